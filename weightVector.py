"""The weight vector: what every gradient check needs to know about a network.

A network, for the checks, is anything with the tutorial's protocol:

    getParams()              all the weights as one 1-D vector of numbers
    setParams(params)        the inverse: the weights from such a vector
    costFunction(X, y)       the cost, one number (the tutorial's one-element array is accepted)
    computeGradients(X, y)   backprop's dJ/dparams, laid out like getParams

This module is the layer every check stands on (partFour below it; gradientReport,
fastGradients and partFive above):

    checkNetwork, readParams, checkRoundTrip, preparedNetwork, backpropGradient
                        the protocol, checked: methods present, a vector of finite numbers,
                        setParams undoing getParams, a gradient laid out like the weights
    WeightLayout, layoutOf, placeName, paramName
                        which weight is which: the arrays getParams concatenates, named from
                        the network's ``paramNames``, the tutorial's W1 and W2, or indices
    costValue, stepped, unitVector, randomDirections, centeredDifferences
                        the cost as a float; steps along one weight or a random direction;
                        slopes along steps, through the protocol only
    checkData, checkParams, checkWholeNumber, checkSeed, checkPositive, checkEpsilon,
    checkTolerance, checkChoice
                        the validators: each raises TypeError/ValueError naming what was
                        expected and what came (with partFour's toFloatArray and checkFinite)
"""

import numbers
from dataclasses import dataclass
from math import prod
from typing import NamedTuple

import numpy as np

import partFour
from partFour import checkFinite, toFloatArray

__all__ = ["PROTOCOL", "checkNetwork", "readParams", "checkRoundTrip", "preparedNetwork",
           "Prepared", "backpropGradient", "WeightLayout", "layoutOf", "functionLayout",
           "placeName", "paramName",
           "weightCount", "costValue", "asCost", "stepped", "centeredDifferences", "unitVector",
           "randomDirections",
           "checkData", "checkParams", "checkVector", "checkWholeNumber", "checkSeed",
           "checkPositive", "checkEpsilon", "checkTolerance", "checkChoice", "toFloatArray",
           "checkFinite"]

PROTOCOL = ("getParams", "setParams", "costFunction", "computeGradients")
TUTORIAL_ARRAYS = ("W1", "W2")  # what the tutorial's getParams concatenates, in order


# --- the validators -------------------------------------------------------------------------------

def checkWholeNumber(value, name, smallest, largest=None, example=None):
    """Validate a whole number from ``smallest`` to ``largest`` (no upper end if None).

    Out: value as an int. Raises TypeError (not a whole number, e.g. 2.0 or True) or ValueError
    (out of range), naming what was expected and what came.
    """
    expected = f"a whole number >= {smallest}" if largest is None else \
        f"a whole number from {smallest} to {largest}"
    if example is not None:
        expected += f", such as {example}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__} {value!r}.")
    if value < smallest or (largest is not None and value > largest):
        raise ValueError(f"{name} must be {expected}; got {value!r}.")
    return int(value)


def checkSeed(seed):
    """Validate a random seed: a whole number >= 0. Out: seed as an int."""
    return checkWholeNumber(seed, "seed", 0, example="0")


def checkPositive(value, name, example):
    """Validate a finite number greater than zero called ``name``. Out: value as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number such as {example}; got "
                        f"{type(value).__name__} {value!r}.")
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0, such as {example}; "
                         f"got {value!r}.")
    return value


def checkEpsilon(epsilon):
    """Validate a step size: a finite number greater than zero. Out: epsilon as a float."""
    return checkPositive(epsilon, "epsilon", "1e-4")


def checkTolerance(tolerance):
    """Validate a check's tolerance: None (derive it) or a number >= 0. Out: None or a float."""
    if tolerance is None:
        return None
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) \
            or not tolerance >= 0:
        raise ValueError(f"tolerance must be None (derive it from the numerical error) or a "
                         f"number >= 0, such as 1e-7; got {tolerance!r}.")
    return float(tolerance)


def checkChoice(value, choices, name):
    """Return ``value`` if it is one of the strings ``choices``; else TypeError or ValueError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, choices))}; got "
                        f"{type(value).__name__} {value!r}.")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}.")
    return value


def numberArray(values, name):
    """``values`` as an array of numbers: float16/32/64 kept as they are, the rest as float64.

    Raises TypeError when numpy cannot read them as numbers.
    """
    try:
        array = np.asarray(values)
    except ValueError:  # e.g. rows of different lengths: toFloatArray says so
        array = None
    return array if array is not None and array.dtype.kind == "f" else toFloatArray(values, name)


def checkVector(values, name, expected):
    """``values`` as a copy of a 1-D array of at least one finite number (float dtypes kept).

    ``expected`` is the sentence a wrong shape raises (ValueError), e.g. "x must be a 1-D
    array ..."; not numbers raise TypeError, NaN or infinity ValueError, naming ``name``.
    """
    vector = numberArray(values, name)
    if vector.ndim != 1 or vector.size == 0:
        raise ValueError(f"{expected}; got shape {vector.shape}.")
    checkFinite(vector, name)
    return np.array(vector, copy=True)


def checkParams(params, count):
    """Validate a weight vector: ``count`` finite numbers in a 1-D array.

    Out: a float copy of ``params``. Raises TypeError or ValueError saying what was expected.
    """
    name = f"params (the {count} weights)"
    params = toFloatArray(params, name)
    if params.shape != (count,):
        raise ValueError(f"params must be a 1-D array of {count} weights; got shape "
                         f"{params.shape}.")
    checkFinite(params, name)
    return params


def checkData(X, y, N=None):
    """Validate a data set for the network N (or for no network in particular).

    When N says its layer sizes (inputLayerSize and outputLayerSize, as the tutorial's network
    does), X and y must fit them: partFour.checkData. Otherwise X and y are checked for what can
    be checked: arrays of finite numbers, at least one row, one row per example each; whatever
    else N needs, N's own errors will say.
    Out: (X, y): float64 arrays for a network with layer sizes; otherwise arrays that keep a
    float dtype they have (so a float32 network gets float32 data). Raises TypeError/ValueError.
    """
    sizes = [getattr(N, name, None) for name in ("inputLayerSize", "outputLayerSize")]
    if all(isinstance(size, numbers.Integral) for size in sizes):
        return partFour.checkData(X, y, *sizes)
    X, y = numberArray(X, "X"), numberArray(y, "y")
    for name, data in (("X", X), ("y", y)):
        if data.ndim == 0 or len(data) == 0:
            raise ValueError(f"{name} must be an array with one row per example (at least one); "
                             f"got shape {data.shape}.")
        checkFinite(data, name)
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per example each; got {len(X)} rows in X "
                         f"and {len(y)} rows in y.")
    return X, y


# --- the protocol ---------------------------------------------------------------------------------

def checkNetwork(N, needs=("getParams", "setParams")):
    """Raise TypeError unless N has the methods ``needs`` (by default: it can hand over its
    weights as one vector and take them back)."""
    missing = [name for name in needs if not callable(getattr(N, name, None))]
    if missing:
        raise TypeError(f"expected a network with {', '.join(needs[:-1])} and {needs[-1]}, "
                        f"such as partFive.Neural_Network; got {type(N).__module__}."
                        f"{type(N).__qualname__}, which has no {', '.join(missing)}.")


def readParams(N):
    """N.getParams(), checked: a copy, a 1-D array of at least one finite number.

    A float32 network's vector stays float32. The copy matters: a getParams that hands out its
    own storage must not see the steps a check takes. Raises TypeError/ValueError.
    """
    return checkVector(N.getParams(), "getParams' result",
                       "getParams must return a 1-D vector of the weights (at least one)")


def checkRoundTrip(N, params, layout=None):
    """Raise ValueError unless N.setParams(params) gives back ``params`` from N.getParams().

    Every check moves the weights with setParams and reads them with getParams, so the two must
    be each other's inverse. When they are not, N's attributes are put back as they were before
    the test (so the network is unchanged) and the error names the first weight that did not
    come back, by its place in ``layout`` (default: its index).
    """
    saved = dict(vars(N)) if hasattr(N, "__dict__") else None
    N.setParams(params.copy())
    back = np.asarray(N.getParams())
    if back.shape == params.shape and np.array_equal(back, params):
        return
    if saved is not None:  # undo whatever that setParams did: the attributes as they were
        vars(N).clear()
        vars(N).update(saved)
    if back.shape != params.shape:
        found = f"a vector of shape {back.shape} instead of {params.shape}"
    else:
        first = int(np.flatnonzero(back != params)[0])
        layout = layout or WeightLayout((("param", params.shape),))
        found = (f"{placeName(layout.places([first])[0])} = {float(back[first])!r} instead of "
                 f"{float(params[first])!r}")
    raise ValueError(f"setParams must undo getParams: after N.setParams(N.getParams()), "
                     f"N.getParams() returned {found}; does setParams store the weights in the "
                     f"order getParams reads them?")


class Prepared(NamedTuple):
    """A network's checked inputs (see preparedNetwork)."""

    X: np.ndarray
    y: np.ndarray
    params: np.ndarray  # N's weights, a copy (readParams)
    layout: "WeightLayout"
    epsilon: float  # None when none was given


NO_STEP = object()  # preparedNetwork's epsilon when the caller takes no step


def preparedNetwork(N, X, y, needs=PROTOCOL, epsilon=NO_STEP, roundTrip=True):
    """Check N, the data and the step before a check touches anything, in that order.

    Out: a Prepared (X, y, params, layout, epsilon): the validated data (checkData), N's weights
    (readParams, after checkRoundTrip), their WeightLayout and epsilon (checkEpsilon, when one
    is given). roundTrip=False leaves out checkRoundTrip, for a caller that never calls
    setParams (so N is not even touched). Raises TypeError/ValueError; N keeps its weights.
    """
    checkNetwork(N, needs)
    X, y = checkData(X, y, N)
    epsilon = None if epsilon is NO_STEP else checkEpsilon(epsilon)
    params = readParams(N)
    layout = layoutOf(N, params.size)
    if roundTrip:
        checkRoundTrip(N, params, layout)
    return Prepared(X, y, params, layout, epsilon)


def backpropGradient(N, X, y, count, copy=True):
    """N.computeGradients(X, y), checked: a float vector of ``count`` numbers, one per weight.

    copy=False may return N's own array (no copy of a float64 one): for a caller that calls
    nothing of N's before it is done with it, since N might write into it again.
    Raises TypeError/ValueError when it is not laid out like getParams.
    """
    grad = toFloatArray(N.computeGradients(X, y), "computeGradients' result", copy=copy)
    if grad.shape != (count,):
        raise ValueError(f"computeGradients must return a 1-D vector of {count} numbers, one "
                         f"per weight in getParams' order; got shape {grad.shape}.")
    return grad


# --- which weight is which ------------------------------------------------------------------------

@dataclass(frozen=True)
class WeightLayout:
    """The arrays a weight vector is made of: ((name, shape), ...) in order, each unrolled row by
    row (numpy's ravel), the way the tutorial's getParams concatenates W1 and W2."""

    arrays: tuple

    @property
    def size(self):
        """The number of weights: the arrays' sizes added up."""
        return sum(prod(shape) for _, shape in self.arrays)

    @property
    def names(self):
        """The arrays' names, in order."""
        return [name for name, _ in self.arrays]

    def bounds(self):
        """Yield (name, shape, start, stop): where each array sits in the vector."""
        start = 0
        for name, shape in self.arrays:
            stop = start + prod(shape)
            yield name, shape, start, stop
            start = stop

    def split(self, vector):
        """{name: that array's part of ``vector``, shaped like the array} (views, not copies)."""
        return {name: vector[start:stop].reshape(shape)
                for name, shape, start, stop in self.bounds()}

    def places(self, positions):
        """Where the weights at ``positions`` sit: [(array name, index in the array), ...]."""
        positions = np.asarray(positions, dtype=np.int64).reshape(-1)
        places = [None] * len(positions)
        for name, shape, start, stop in self.bounds():
            inside = np.flatnonzero((positions >= start) & (positions < stop))
            if len(inside) == 0:
                continue
            indices = np.unravel_index(positions[inside] - start, shape) if shape else ()
            for k, where in enumerate(inside):
                places[where] = (name, tuple(int(axis[k]) for axis in indices))
        return places


def functionLayout(size):
    """The layout of a plain function's argument: one vector x, so weight 3 is "x[3]"."""
    return WeightLayout((("x", (int(size),)),))


def layoutOf(N, size):
    """The WeightLayout of N's vector of ``size`` weights.

    From N's ``paramNames`` when it has them (the array attributes getParams concatenates, in
    order, e.g. ("W1", "b1", "W2", "b2")); else the tutorial's W1 and W2 when N holds them and
    their sizes add up; else one array "param", so weight 17 is "param[17]".
    Raises TypeError/ValueError when paramNames do not name arrays adding up to ``size``.
    """
    names = getattr(N, "paramNames", None)
    if names is None:
        arrays = [getattr(N, name, None) for name in TUTORIAL_ARRAYS]
        if all(isinstance(array, np.ndarray) for array in arrays) \
                and sum(array.size for array in arrays) == size:
            return WeightLayout(tuple((name, array.shape)
                                      for name, array in zip(TUTORIAL_ARRAYS, arrays)))
        return WeightLayout((("param", (int(size),)),))
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise TypeError(f"paramNames must be a tuple of attribute names, such as "
                        f"('W1', 'b1', 'W2', 'b2'); got {names!r}.")
    shapes = []
    for name in names:
        if not hasattr(N, name):
            raise ValueError(f"paramNames names {name!r}, but the network has no attribute "
                             f"{name!r}.")
        shapes.append(np.shape(getattr(N, name)))
    layout = WeightLayout(tuple(zip(names, shapes)))
    if layout.size != size:
        parts = " + ".join(f"{name} {prod(shape)}" for name, shape in layout.arrays)
        raise ValueError(f"paramNames must name the arrays getParams concatenates: they hold "
                         f"{parts} = {layout.size} weights, but getParams returns {size}.")
    return layout


def placeName(place):
    """A place as text: ("W1", (0, 2)) is "W1[0, 2]", ("b1", (2,)) "b1[2]", ("", (3,))
    "direction 3" (a directional check's k-th direction), ("scale", ()) "scale"."""
    name, index = place
    if not name:
        return f"direction {index[0]}"
    return f"{name}[{', '.join(map(str, index))}]" if index else name


def weightCount(N):
    """The number of weights of N: the length of N.getParams()."""
    checkNetwork(N, ("getParams",))
    return int(np.size(N.getParams()))


def paramName(N, index):
    """Name the weight at position ``index`` of N.getParams(), e.g. 'W1[0, 2]' or 'b1[2]'."""
    count = weightCount(N)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index must be a whole number from 0 to {count - 1}; got {index!r}.")
    if not 0 <= index < count:
        raise IndexError(f"index {index} is out of range for a network of {count} weights.")
    return placeName(layoutOf(N, count).places([index])[0])


# --- the cost, through the protocol ---------------------------------------------------------------

def asCost(cost):
    """A cost as (float, its numpy dtype): one number, or the tutorial's one-element array.

    Raises TypeError for anything else.
    """
    try:
        value = np.asarray(cost)
        number = value.astype(float) if value.dtype.kind in "iuf" else None
    except (TypeError, ValueError):
        number = None
    if number is None or number.size != 1:
        raise TypeError(f"costFunction must return one number (the cost); got "
                        f"{type(cost).__name__} {cost!r:.80}.")
    dtype = value.dtype if value.dtype.kind == "f" else np.dtype(float)
    return float(number.reshape(())), dtype


def costValue(N, X, y):
    """N.costFunction(X, y) as a float.

    The tutorial's cost, ``0.5*sum((y-self.yHat)**2)`` with Python's built-in sum, returns a
    one-element array; that is accepted. Anything else that is not one number raises TypeError.
    """
    return asCost(N.costFunction(X, y))[0]


def stepped(params, step):
    """params + step in params' own dtype: a float32 network is moved in float32."""
    return (params + step).astype(params.dtype, copy=False)


def unitVector(position, size):
    """The vector e_p of ``size`` zeros with a 1 at ``position``."""
    vector = np.zeros(size)
    vector[position] = 1.0
    return vector


def uniformFloat32(bits, size):
    """``size`` (even) uniform float32 numbers in [0, 1), from a numpy bit generator ``bits``.

    Each raw 64-bit word gives two numbers: 23 of its 32 bits, under the exponent of 1.0, make
    a float in [1, 2), and 1 is taken off. That is Generator.random(dtype=np.float32)'s job,
    but its cost is per number and this one's per word: about 40% less time at 100,000 numbers.
    (The words' halves are read in the machine's byte order: the streams below assume a
    little-endian CPU, as x86 and ARM machines are.)
    """
    words = bits.random_raw(size // 2).view(np.uint32)
    words >>= np.uint32(9)  # keep the 23 high bits
    words |= np.uint32(0x3F800000)  # the sign and exponent of 1.0
    uniform = words.view(np.float32)
    uniform -= np.float32(1)
    return uniform


def randomDirections(count, size, seed=0):
    """Yield ``count`` random unit vectors of length ``size``, one at a time (memory: one vector).

    Each is a vector of independent standard normal numbers divided by its length, so it points
    anywhere on the unit sphere with equal probability. The normal numbers come from uniform
    ones u1, u2 (uniformFloat32, from np.random.SFC64(seed), numpy's fastest bit generator), by
    the Box-Muller transform sqrt(-2 ln(1 - u1)) (cos, sin)(2 pi u2), in float32: about three
    times as fast as standard_normal at 100,000 numbers. float32's 23 bits leave out only the
    tail beyond 5.6 standard deviations, which one number in 10^8 would reach. The vectors are
    float64. The streams are the same on numpy 1.26 and 2.x (a test pins them).
    """
    count = checkWholeNumber(count, "directions", 1, example="2")
    bits = np.random.SFC64(checkSeed(seed))
    half = (size + 1) // 2  # pairs of normal numbers; an odd size drops the last one
    turn = np.empty(half, dtype=np.float32)
    for _ in range(count):
        uniform = uniformFloat32(bits, 2 * half)
        radius, angle = uniform[:half], uniform[half:]
        np.subtract(np.float32(1), radius, out=radius)  # 1 - u1 in (0, 1]: the log is finite
        np.log(radius, out=radius)
        radius *= np.float32(-2)
        np.sqrt(radius, out=radius)
        angle *= np.float32(2 * np.pi)
        direction = np.empty(2 * half)
        np.cos(angle, out=turn)
        np.multiply(radius, turn, out=direction[:half])
        np.sin(angle, out=turn)
        np.multiply(radius, turn, out=direction[half:])
        direction = direction[:size]
        direction *= 1.0 / np.linalg.norm(direction)  # a multiplication is faster than a division
        yield direction


def centeredDifferences(N, X, y, params, steps, epsilons, sums=False):
    """For each unit vector v in ``steps`` and each eps in ``epsilons``:
    (J(w + eps v) - J(w - eps v)) / (2 eps).

    In:  N (the protocol), validated X and y, N's weights ``params`` (readParams), an iterable
         of unit vectors (read once, so it may be a generator), a tuple of step sizes;
         sums=True also returns J(w + eps v) + J(w - eps v) (what a kink test needs).
    Out: the slopes as a float64 array with a row per step size and a column per vector, or
    (slopes, sums). Only getParams' inverse setParams and costFunction are called, so any
    network's real cost is what is measured. N's weights are put back as they were, also when
    the cost raises midway.
    """
    slopes, totals = [], []
    try:
        for v in steps:
            for epsilon in epsilons:
                N.setParams(stepped(params, epsilon * v))
                up = costValue(N, X, y)
                N.setParams(stepped(params, -epsilon * v))
                down = costValue(N, X, y)
                slopes.append((up - down) / (2 * epsilon))
                totals.append(up + down)
    finally:
        N.setParams(params)
    shape = (-1, len(epsilons))  # a row per vector, transposed to a row per step size
    slopes = np.array(slopes, dtype=float).reshape(shape).T
    return (slopes, np.array(totals, dtype=float).reshape(shape).T) if sums else slopes
