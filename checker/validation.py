"""Every check of what a caller hands the course's code, in one place (the bottom layer: it
imports nothing of the course's).

One rule for exceptions: a value of the wrong type (a string where a number belongs, a float
where a whole number belongs, a list of words where numbers belong) raises TypeError; a value of
the right type that is out of range, the wrong shape, NaN or infinite raises ValueError. Each
message names what was expected and what came.
"""

import math
import numbers

import numpy as np

__all__ = ["toFloatArray", "checkFinite", "checkWholeNumber", "checkDirections",
           "checkCoordinates", "checkSeed", "checkPositive",
           "checkEpsilon", "checkTolerance", "checkChoice", "checkDtype", "checkStep",
           "checkEpsilons", "checkVector", "checkParams", "checkGivenBack", "checkIndex",
           "checkSlopes", "checkCost", "checkPoint", "checkInputs", "checkData",
           "checkFunction", "checkGradAt", "checkOnlyFor", "checkParamNames", "checkChunkSize",
           "checkFastPath", "checkNetwork", "checkGradients", "checkDirectionsFound",
           "checkNonzeroSlope", "asFloat", "checkNames", "checkFiniteAt", "checkWithin"]


def toFloatArray(values, name, copy=True, keepFloat=False):
    """``values`` as a new float64 array, or in their own dtype if keepFloat and they are
    float16/32/64; TypeError if they are not all numbers. copy=False may return ``values``
    itself."""
    try:
        array = np.asarray(values)
    except ValueError as error:  # e.g. rows of different lengths
        raise TypeError(f"{name} must be an array of numbers; got {type(values).__name__} "
                        f"that numpy cannot read as one ({error}).") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of numbers; got {type(values).__name__} "
                        f"holding {array.dtype} values.")
    if keepFloat and array.dtype.kind == "f":
        return array.copy() if copy else array
    return array.astype(float, copy=copy)


def checkFinite(array, name):
    """Raise ValueError, saying where, if ``array`` (of floats) holds NaN or infinity."""
    # A sum of squares is finite only if every entry is, and one BLAS dot product is four
    # times as fast as np.isfinite; only when it is not finite (or overflows) look closer.
    if not math.isfinite(np.vdot(array, array)) and not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))[0]
        where = int(bad[0]) if array.ndim == 1 else tuple(int(i) for i in bad)
        raise ValueError(f"{name} must hold only finite numbers; found {array[tuple(bad)]} "
                         f"at index {where}.")


def checkWholeNumber(value, name, smallest, largest=None, example=None):
    """value as an int from ``smallest`` to ``largest`` (None: no upper end); TypeError for
    anything but a whole number (2.0 and True too), ValueError out of range."""
    expected = f"a whole number >= {smallest}" if largest is None else \
        f"a whole number from {smallest} to {largest}"
    if example is not None:
        expected += f", such as {example}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__} {value!r}.")
    if value < smallest or (largest is not None and value > largest):
        raise ValueError(f"{name} must be {expected}; got {value!r}.")
    return int(value)


def checkDirections(count):
    """The number of random directions a check compares, a whole number >= 1, as an int."""
    return checkWholeNumber(count, "directions", 1, example="2")


def checkCoordinates(count, size, example):
    """The number of random weights a sparse check compares, from 1 to ``size``, as an int."""
    return checkWholeNumber(count, "coordinates (weights to compare)", 1, size, example=example)


def checkSeed(seed):
    """seed, a whole number >= 0, as an int."""
    return checkWholeNumber(seed, "seed", 0, example="0")


def checkPositive(value, name, example):
    """value, a finite number greater than zero called ``name``, as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number such as {example}; got "
                        f"{type(value).__name__} {value!r}.")
    value = asFloat(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0, such as {example}; "
                         f"got {value!r}.")
    return value


def asFloat(number):
    """A real number as a float; a whole number too large for one (10**400) is out of range."""
    try:
        return float(number)
    except OverflowError:
        return math.inf


def checkEpsilon(epsilon):
    """epsilon, a step size: a finite number greater than zero (and 4 epsilon finite: the checks
    step by 2 epsilon and divide by 4 epsilon), as a float."""
    epsilon = checkPositive(epsilon, "epsilon", "1e-4")
    if not math.isfinite(4 * epsilon):
        raise ValueError(f"epsilon must be small enough for 4 epsilon to be a finite number, such "
                         f"as 1e-4; got {epsilon!r}.")
    return epsilon


def checkTolerance(tolerance):
    """A check's tolerance: None (derive it) or a number >= 0, as a float."""
    if tolerance is None:
        return None
    expected = "None (derive it from the numerical error) or a number >= 0, such as 1e-7"
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real):
        raise TypeError(f"tolerance must be {expected}; got {type(tolerance).__name__} "
                        f"{tolerance!r}.")
    value = asFloat(tolerance)
    if not value >= 0:  # NaN too
        raise ValueError(f"tolerance must be {expected}; got {tolerance!r}.")
    return value


def checkChoice(value, choices, name):
    """Return ``value`` if it is one of the strings ``choices``; else TypeError or ValueError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, choices))}; got "
                        f"{type(value).__name__} {value!r}.")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}.")
    return value


DTYPES = ("float64", "float32")  # the precisions the epsilon lab computes in


def checkNames(names, choices, name):
    """``names``, one or more of the strings ``choices``, as a tuple; TypeError for none."""
    if not names:
        raise TypeError(f"{name} must be one or more of {', '.join(map(repr, choices))}; got "
                        f"none.")
    return tuple(checkChoice(item, choices, name) for item in names)


def checkDtype(dtype):
    """Return 'float64' or 'float32' for dtype given as a name or a numpy type; else raise."""
    try:
        name = np.dtype(dtype).name
    except TypeError:
        raise TypeError(f"dtype must be 'float64' or 'float32'; got {dtype!r}.") from None
    return checkChoice(name, DTYPES, "dtype")


def checkStep(epsilon, dtype):
    """epsilon (checkEpsilon) rounded to ``dtype``; ValueError if that is 0 or infinite (1e-50
    in float32)."""
    epsilon = checkEpsilon(epsilon)
    with np.errstate(over="ignore"):  # 1e39 becomes inf in float32: reported just below
        step = np.dtype(dtype).type(epsilon)
    if not (np.isfinite(step) and step > 0):
        raise ValueError(f"epsilon {epsilon!r} does not fit in {dtype}: it rounds to "
                         f"{float(step)!r}.")
    return step


def checkEpsilons(epsilons, dtype):
    """A sequence of epsilons, each checked by checkStep, as a 1-D ``dtype`` array."""
    values = np.atleast_1d(np.asarray(epsilons, dtype=object))
    if values.ndim != 1:
        raise ValueError(f"epsilons must be a 1-D sequence of steps; got shape {values.shape}.")
    return np.array([checkStep(value, dtype) for value in values], dtype=dtype)


def checkVector(values, name, expected):
    """A copy of ``values``, a 1-D array of at least one finite number (float dtypes kept);
    a wrong shape raises ValueError with the sentence ``expected``."""
    vector = toFloatArray(values, name, keepFloat=True)
    if vector.ndim != 1 or vector.size == 0:
        raise ValueError(f"{expected}; got shape {vector.shape}.")
    checkFinite(vector, name)
    return vector


def checkParams(params, count, dtype=np.float64):
    """A copy of ``params`` in ``dtype`` (the network's precision), checked to be ``count``
    finite numbers in a 1-D array."""
    name = f"params (the {count} weights)"
    params = toFloatArray(params, name).astype(dtype, copy=False)
    if params.shape != (count,):
        raise ValueError(f"params must be a 1-D array of {count} weights; got shape "
                         f"{params.shape}.")
    checkFinite(params, name)
    return params


def checkGivenBack(back, params, nameOf):
    """Raise ValueError unless ``back``, what getParams returned after setParams(params), is
    ``params``: the error names the first weight that did not come back, by nameOf(index)."""
    if back.shape == params.shape and np.array_equal(back, params):
        return
    if back.shape != params.shape:
        found = f"a vector of shape {back.shape} instead of {params.shape}"
    else:
        first = int(np.flatnonzero(back != params)[0])
        found = f"{nameOf(first)} = {float(back[first])!r} instead of {float(params[first])!r}"
    raise ValueError(f"setParams must undo getParams: after N.setParams(N.getParams()), "
                     f"N.getParams() returned {found}; does setParams store the weights in the "
                     f"order getParams reads them?")


def checkIndex(index, count):
    """index, a weight's position in a vector of ``count``, as an int from 0 to count - 1."""
    if isinstance(index, bool) or not isinstance(index, numbers.Integral):
        raise TypeError(f"index must be a whole number from 0 to {count - 1}; got {index!r}.")
    if not 0 <= index < count:
        raise ValueError(f"index {index} is out of range for a network of {count} weights: it "
                         f"must be from 0 to {count - 1}.")
    return int(index)


def checkSlopes(values, count, copy=True):
    """computeGradients' result as a float64 vector of ``count`` numbers, one per weight
    (copy=False: ``values`` itself when it already is one)."""
    grad = toFloatArray(values, "computeGradients' result", copy=copy)
    if grad.shape != (count,):
        raise ValueError(f"computeGradients must return a 1-D vector of {count} numbers, one "
                         f"per weight in getParams' order; got shape {grad.shape}.")
    return grad


def checkCost(cost, expected="costFunction must return one number (the cost)"):
    """A cost, one number or the tutorial's one-element array, as (float, its numpy dtype);
    TypeError with the sentence ``expected`` for anything else."""
    try:
        value = np.asarray(cost)
        number = value.astype(float) if value.dtype.kind in "iuf" else None
    except (TypeError, ValueError):
        number = None
    if number is None or number.size != 1:
        raise TypeError(f"{expected}; got {type(cost).__name__} {cost!r:.80}.")
    dtype = value.dtype if value.dtype.kind == "f" else np.dtype(float)
    return float(number.reshape(())), dtype


def checkPoint(x):
    """x, the point where a function of one number is differentiated, as a finite float."""
    value = toFloatArray(x, "x")
    if value.shape != ():
        raise ValueError(f"x must be a single number such as 1.5; got shape {value.shape}.")
    checkFinite(value, "x")
    return float(value)


def checkFiniteAt(values, name, x, dtype):
    """Raise ValueError unless ``values``, the function ``name`` and its derivatives at x in
    ``dtype``, are all finite numbers (exp(1000) overflows)."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} at x = {x!r} does not fit in {dtype}: its value or a slope "
                         f"there overflows; choose a smaller x, such as the default.")


def checkWithin(value, smallest, largest, name):
    """Raise ValueError unless smallest <= value <= largest (the range of a slider)."""
    if not smallest <= value <= largest:
        raise ValueError(f"{name} must be within the slider's range, {smallest:.0e} to "
                         f"{largest:.0e}; got {value!r}.")
    return value


def checkNonzeroSlope(slope, name, x):
    """Raise ValueError when the exact slope of the function ``name`` at x is 0: the epsilon
    lab's error model is relative to it."""
    if slope == 0:
        raise ValueError(f"the error model is relative to the slope f'(x), which is 0 for {name} "
                         f"at x = {x!r}: choose a point where the slope is not 0.")


def checkInputs(X, N, copy=False):
    """X as a 2-D float64 array of N.inputLayerSize columns, one row per example: X itself when
    it is one (forward checks what checkData copied), unless ``copy``."""
    X = toFloatArray(X, "X", copy=copy)
    columns = N.inputLayerSize
    if X.ndim != 2 or X.shape[1] != columns or len(X) == 0:
        raise ValueError(f"X must be a 2-D array with {columns} columns and at least one row "
                         f"(one row per example); got shape {X.shape}.")
    checkFinite(X, "X")
    return X


def checkData(X, y, N=None):
    """(X, y), checked for the network N (or for no network in particular).

    When N says its layer sizes (inputLayerSize and outputLayerSize, as the tutorial's network
    does), X must have inputLayerSize columns and y outputLayerSize (a 1-D y is read as a column
    when there is one output), both as new 2-D float64 arrays. Otherwise they are arrays of finite
    numbers with one row per example each, keeping a float dtype (a float32 network gets float32
    data); N's own errors say whatever else it needs.
    """
    sizes = tuple(getattr(N, name, None) for name in ("inputLayerSize", "outputLayerSize"))
    if all(isinstance(size, numbers.Integral) for size in sizes):
        # a copy of X: a network that writes into its X never reaches the caller's
        X, y = checkInputs(X, N, copy=True), toFloatArray(y, "y")
        if y.ndim == 1 and sizes[1] == 1:
            y = y.reshape(-1, 1)
        if y.ndim != 2 or y.shape[1] != sizes[1]:
            raise ValueError(f"y must be a 2-D array with {sizes[1]} column(s) (one row per "
                             f"example); got shape {y.shape}.")
    else:
        X, y = toFloatArray(X, "X", keepFloat=True), toFloatArray(y, "y", keepFloat=True)
        for name, data in (("X", X), ("y", y)):
            if data.ndim == 0 or len(data) == 0:
                raise ValueError(f"{name} must be an array with one row per example (at least "
                                 f"one); got shape {data.shape}.")
            checkFinite(data, name)
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per example each; got {len(X)} rows in X "
                         f"and {len(y)} rows in y.")
    checkFinite(y, "y")
    return X, y


def checkFunction(function, name):
    """Raise TypeError unless ``function`` can be called (a function of x, named ``name``)."""
    if not callable(function):
        raise TypeError(f"{name} must be a function of x; got {type(function).__name__} "
                        f"{function!r:.60}.")


def checkGradAt(gradient, x):
    """What a plain function's gradient returned at x, as an array of numbers shaped like x."""
    expected = f"grad must return a 1-D array of {x.size} numbers, one per entry of x"
    try:
        gradient = np.asarray(gradient)
    except ValueError:  # nested lists of different lengths: not one array of numbers
        gradient = np.asarray(gradient, dtype=object)
    if gradient.dtype.kind not in "biuf":
        raise TypeError(f"{expected}; got {gradient.dtype} values.")
    if gradient.shape != x.shape:
        raise ValueError(f"{expected}; got shape {gradient.shape}.")
    return gradient


def checkOnlyFor(method, options):
    """ValueError when one of ``options``, (name, value, the method that uses it), is given (not
    None) to another ``method``."""
    for name, value, user in options:
        if value is not None and method != user:
            raise ValueError(f"{name} is used only by method={user!r}; got {name}={value!r} "
                             f"with method={method!r}.")


def checkParamNames(N, size):
    """((name, shape), ...) of the arrays N.paramNames names, checked to hold ``size`` weights
    together."""
    names = N.paramNames
    if not isinstance(names, (tuple, list)) or not all(isinstance(name, str) for name in names):
        raise TypeError(f"paramNames must be a tuple of attribute names, such as "
                        f"('W1', 'b1', 'W2', 'b2'); got {names!r}.")
    missing = [name for name in names if not hasattr(N, name)]
    if missing:
        raise ValueError(f"paramNames names {missing[0]!r}, but the network has no attribute "
                         f"{missing[0]!r}.")
    arrays = tuple((name, np.shape(getattr(N, name))) for name in names)
    total = sum(math.prod(shape) for _, shape in arrays)
    if total != size:
        parts = " + ".join(f"{name} {math.prod(shape)}" for name, shape in arrays)
        raise ValueError(f"paramNames must name the arrays getParams concatenates: they hold "
                         f"{parts} = {total} weights, but getParams returns {size}.")
    return arrays


def checkChunkSize(chunkSize, floatsPerWeight, largestBytes):
    """Validate the weights a batch nudges: None (the default batch) or a whole number >= 1
    whose arrays, about 8 float64s per (example, output) of each weight, fit in largestBytes.
    Out: None or an int."""
    if chunkSize is None:
        return None
    largest = max(1, largestBytes // (8 * 8 * floatsPerWeight))
    return checkWholeNumber(chunkSize, "chunkSize (weights nudged per batch)", 1, largest,
                            example="256 (at most this many, so its arrays stay within "
                                    f"{largestBytes // 2**20} MiB)")


def checkFastPath(N, applies):
    """Raise TypeError unless the fast path applies to N (``applies``: fastPathApplies(N))."""
    if not applies:
        raise TypeError(f"the fast path only knows the tutorial network's cost (partFive."
                        f"Neural_Network's forward, sigmoid and costFunction, weights W1 then "
                        f"W2); {type(N).__qualname__} is not one or changes it: use "
                        f"partFive.computeNumericalGradient, which falls back to the loop.")


def checkNetwork(N, needs=("getParams", "setParams")):
    """Raise TypeError unless N has the methods ``needs`` (by default: it can hand over its
    weights as one vector and take them back)."""
    missing = [name for name in needs if not callable(getattr(N, name, None))]
    if missing:
        raise TypeError(f"expected a network with {', '.join(needs[:-1])} and {needs[-1]}, "
                        f"such as partFive.Neural_Network; got {type(N).__module__}."
                        f"{type(N).__qualname__}, which has no {', '.join(missing)}.")


def checkGradients(grad, numgrad):
    """Two gradients to compare, as float64 arrays of the same shape holding finite numbers."""
    grad, numgrad = toFloatArray(grad, "grad", copy=False), toFloatArray(numgrad, "numgrad",
                                                                         copy=False)
    if grad.shape != numgrad.shape:
        raise ValueError(f"grad and numgrad must have the same shape; got {grad.shape} and "
                         f"{numgrad.shape}.")
    checkFinite(grad, "grad")
    checkFinite(numgrad, "numgrad")
    return grad, numgrad


def checkDirectionsFound(count, tolerance, error, most):
    """count, the directions a check takes by default; ValueError when there is none (None):
    the tolerance is so loose that ``most`` directions would miss a bug in one weight (relative
    error ``error``) too often."""
    if count is None:
        raise ValueError(f"tolerance {tolerance:.3g} is too loose for random directions: a bug in "
                         f"one weight moves the relative error by only about {error:.1e}, and "
                         f"even {most} directions would miss it too often. Use a smaller "
                         f"tolerance, give directions=k yourself, or check every weight "
                         f"(method='full').")
    return count
