"""Part 5 of *Neural Networks Demystified*: numerical gradient checking.

Backpropagation (``costFunctionPrime`` in ``partFour``) is easy to get subtly wrong, and a wrong
gradient fails silently. This module checks it against the definition of the derivative:

    Neural_Network             partFour's network plus getParams / setParams / computeGradients,
                               which treat all the weights as one vector
    loopNumericalGradient      the tutorial's loop: nudge each weight up and down by epsilon;
                               slope of the cost (notebook 06)
    computeNumericalGradient   the same numbers: the loop, or for the network this module knows,
                               fastGradients' vectorized path (notebook 10)
    compareGradients           norm(grad - numgrad) / norm(grad + numgrad)
    checkGradient              all of the above, with a verdict that diagnoses (a GradientCheck):
                               every weight judged against the numerical error it may honestly
                               have (gradientReport), the wrong ones named, worst first, and
                               hints from their pattern; for big networks also along random
                               directions or at random weights
    gradientDescent            train with computeGradients, to see what a (wrong) gradient does
    ForgetfulNetwork           a deliberately broken backprop for those demonstrations

``from partFive import *`` gives the data ``X``, ``y``, everything above, the fast checks'
building blocks from ``fastGradients`` (``vectorizedNumericalGradient``, ``directionalSlopes``,
``coordinateSlopes``, ``missProbability``, ...) and the report's from ``gradientReport``
(``GradientCheck``, ``costValue``, ``costNoise``, ``numericalAllowance``).

Any network that follows the tutorial's protocol can be checked, not only this module's: one
with getParams, setParams, costFunction and computeGradients (and the layer sizes
inputLayerSize, hiddenLayerSize, outputLayerSize), such as the class typed along with the video,
whose costFunction returns a one-element array.
"""

import numbers

import numpy as np

import partFour
from fastGradients import (
    checkSeed,
    checkWholeNumber,
    confinedBugError,
    coordinateSlopes,
    defaultDirections,
    directionalSlopes,
    fastPathApplies,
    missProbability,
    sparseMissProbability,
    vectorizedNumericalGradient,
    weightCount,
)
from gradientReport import GradientCheck, costNoise, costValue, numericalAllowance, placeName
from partFour import X, checkData, checkFinite, toFloatArray, y

__all__ = ["X", "y", "Neural_Network", "checkData", "checkParams", "checkEpsilon",
           "checkPositive", "checkNetwork", "paramName", "loopNumericalGradient",
           "computeNumericalGradient", "compareGradients", "GradientCheck", "checkGradient",
           "gradientDescent", "fastPathApplies", "vectorizedNumericalGradient",
           "directionalSlopes", "coordinateSlopes", "missProbability", "confinedBugError",
           "sparseMissProbability", "defaultDirections", "ForgetfulNetwork", "verdict", "costValue",
           "costNoise", "numericalAllowance", "backpropGradient", "weightPlaces"]

METHODS = ("auto", "full", "directional", "sparse")  # the checks checkGradient can run
FULL_CHECK_WEIGHTS = {"loop": 10_000, "fast": 1_000_000}  # "auto" checks every weight up to these
CLASSIC_TOLERANCE = 1e-7  # the tutorial's "about 1e-8 or less", read as a fixed threshold
PROTOCOL = ("getParams", "setParams", "costFunction", "computeGradients")


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


class Neural_Network(partFour.Neural_Network):
    """partFour's network, plus helpers that see all its weights as one vector."""

    def getParams(self):
        """Return W1 and W2 unrolled into one 1-D vector (W1's entries first, row by row)."""
        params = np.concatenate((self.W1.ravel(), self.W2.ravel()))
        return params

    def setParams(self, params):
        """Set W1 and W2 from one 1-D vector laid out as getParams returns it.

        Raises TypeError or ValueError (and changes nothing) unless params holds exactly
        inputLayerSize*hiddenLayerSize + hiddenLayerSize*outputLayerSize finite numbers.
        """
        W1_end = self.inputLayerSize * self.hiddenLayerSize
        W2_end = W1_end + self.hiddenLayerSize * self.outputLayerSize
        params = checkParams(params, W2_end)
        self.W1 = params[:W1_end].reshape(self.inputLayerSize, self.hiddenLayerSize)
        self.W2 = params[W1_end:].reshape(self.hiddenLayerSize, self.outputLayerSize)

    def computeGradients(self, X, y):
        """Return backprop's dJ/dW1 and dJ/dW2 unrolled into one vector, like getParams."""
        dJdW1, dJdW2 = self.costFunctionPrime(X, y)
        return np.concatenate((dJdW1.ravel(), dJdW2.ravel()))


def paramName(N, index):
    """Name the weight at position ``index`` of N.getParams(), e.g. 'W1[0, 2]' or 'W2[1, 0]'."""
    count = weightCount(N)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index must be a whole number from 0 to {count - 1}; got {index!r}.")
    if not 0 <= index < count:
        raise IndexError(f"index {index} is out of range for a network of {count} weights.")
    return placeName(weightPlaces(N, [index])[0])


def weightPlaces(N, positions):
    """Where the weights at ``positions`` of N.getParams() sit: [(layer, (row, column)), ...].

    getParams lays out W1 (inputLayerSize x hiddenLayerSize) row by row, then W2.
    """
    W1_end = N.inputLayerSize * N.hiddenLayerSize
    places = []
    for index in positions:
        if index < W1_end:
            places.append(("W1", tuple(map(int, divmod(index, N.hiddenLayerSize)))))
        else:
            places.append(("W2", tuple(map(int, divmod(index - W1_end, N.outputLayerSize)))))
    return places


def checkNetwork(N, needs=("getParams", "setParams")):
    """Raise TypeError unless N has the methods ``needs`` (by default: it can hand over its
    weights as one vector)."""
    missing = [name for name in needs if not callable(getattr(N, name, None))]
    if missing:
        raise TypeError(f"expected a network with {', '.join(needs[:-1])} and {needs[-1]}, "
                        f"such as partFive.Neural_Network; got {type(N).__module__}."
                        f"{type(N).__qualname__}, which has no {', '.join(missing)}.")


def backpropGradient(N, X, y):
    """N.computeGradients(X, y), checked: a float vector of one number per weight.

    Raises TypeError/ValueError when it is not weightCount(N) numbers laid out like getParams.
    """
    count = weightCount(N)
    grad = toFloatArray(N.computeGradients(X, y), "computeGradients' result")
    if grad.shape != (count,):
        raise ValueError(f"computeGradients must return a 1-D vector of {count} numbers, one "
                         f"per weight in getParams' order; got shape {grad.shape}.")
    return grad


def loopNumericalGradient(N, X, y, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences.

    In:  a network N, data X and y, a step size epsilon > 0.
    Out: a vector like N.getParams() whose entry p is
         (J(w + epsilon e_p) - J(w - epsilon e_p)) / (2 epsilon).
    N's weights are put back as they were, also when the cost raises midway.
    """
    checkNetwork(N)
    X, y = checkData(X, y, N.inputLayerSize, N.outputLayerSize)
    epsilon = checkEpsilon(epsilon)

    paramsInitial = N.getParams()
    numgrad = np.zeros(paramsInitial.shape)
    perturb = np.zeros(paramsInitial.shape)
    try:
        for p in range(len(paramsInitial)):
            perturb[p] = epsilon
            N.setParams(paramsInitial + perturb)
            loss2 = costValue(N, X, y)
            N.setParams(paramsInitial - perturb)
            loss1 = costValue(N, X, y)
            numgrad[p] = (loss2 - loss1) / (2 * epsilon)
            perturb[p] = 0
    finally:
        N.setParams(paramsInitial)  # the tutorial forgets this: leave the network as it was
    return numgrad


def computeNumericalGradient(N, X, y, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences, as fast as N allows.

    In:  a network N, data X and y, a step size epsilon > 0.
    Out: loopNumericalGradient's vector (the tutorial's loop), to about 1e-9 relative. When
         N's cost is this module's own (fastPathApplies), fastGradients'
         vectorizedNumericalGradient computes it with numpy, hundreds of times faster on big
         networks; any other network (say one that overrides costFunction) gets the loop, so
         the check always checks N's real cost. N's weights are left as they were.
    """
    if fastPathApplies(N):
        return vectorizedNumericalGradient(N, X, y, epsilon)
    return loopNumericalGradient(N, X, y, epsilon)


def compareGradients(grad, numgrad):
    """Return norm(grad - numgrad) / norm(grad + numgrad): about 1e-8 or less means they agree.

    Two zero vectors agree exactly (0.0); opposite vectors get infinity.
    """
    grad, numgrad = np.asarray(grad, dtype=float), np.asarray(numgrad, dtype=float)
    if grad.shape != numgrad.shape:
        raise ValueError(f"grad and numgrad must have the same shape; got {grad.shape} and "
                         f"{numgrad.shape}.")
    difference = np.linalg.norm(grad - numgrad)
    total = np.linalg.norm(grad + numgrad)
    if difference == 0:
        return 0.0
    if total == 0:
        return float("inf")
    return float(difference / total)


def chooseMethod(N, method, directions, coordinates):
    """Validate checkGradient's method (and its count) and resolve "auto". Out: the method.

    "auto" checks every weight when that is cheap (FULL_CHECK_WEIGHTS: 10,000 weights with the
    loop, 1,000,000 on the fast path) and random directions beyond.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; "
                         f"got {method!r}.")
    for name, value, user in [("directions", directions, "directional"),
                              ("coordinates", coordinates, "sparse")]:
        if value is not None and method != user:
            raise ValueError(f"{name} is used only by method={user!r}; got {name}={value!r} "
                             f"with method={method!r}.")
    if method != "auto":
        return method
    count = weightCount(N)
    limit = FULL_CHECK_WEIGHTS["fast" if fastPathApplies(N) else "loop"]
    return "full" if count <= limit else "directional"


def checkTolerance(tolerance):
    """Validate checkGradient's tolerance: None (derive it) or a number >= 0. Out: None or float."""
    if tolerance is None:
        return None
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) \
            or not tolerance >= 0:
        raise ValueError(f"tolerance must be None (derive it from the numerical error) or a "
                         f"number >= 0, such as 1e-7; got {tolerance!r}.")
    return float(tolerance)


def fullSlopes(N, X, y, epsilon, count, seed):
    """Every weight: (backprop, numerical slopes at epsilon, positions, what was checked)."""
    numgrad = computeNumericalGradient(N, X, y, epsilon)
    return backpropGradient(N, X, y), numgrad, np.arange(len(numgrad)), ""


def directionalCheckSlopes(N, X, y, epsilon, count, seed):
    """Random directions: (backprop, numerical slopes at epsilon, None, what was checked)."""
    grad, numgrad = directionalSlopes(N, X, y, count, epsilon, seed)
    return grad, numgrad, None, f"{len(grad)} random direction{'s' * (len(grad) > 1)}, seed {seed}"


def sparseCheckSlopes(N, X, y, epsilon, count, seed):
    """Random weights: (backprop, numerical slopes at epsilon, positions, what was checked)."""
    positions, grad, numgrad = coordinateSlopes(N, X, y, count, epsilon, seed)
    checked = f"{len(grad)} random weight{'s' * (len(grad) > 1)}, seed {seed}"
    return grad, numgrad, positions, checked


SLOPES = {"full": fullSlopes, "directional": directionalCheckSlopes, "sparse": sparseCheckSlopes}


def checkGradient(N, X, y, epsilon=1e-4, tolerance=None, method="auto", directions=None,
                  coordinates=None, seed=0):
    """Compare N's backprop gradient with the numerical one and say which weights are wrong.

    In:  any network with the tutorial's protocol (getParams, setParams, costFunction,
         computeGradients), data X and y, a step size epsilon > 0.
    The rule (tolerance=None, the default): every compared slope gets an allowance, ten times
    the error its numerical estimate may honestly have: truncation, estimated from the same
    slope at step 2 epsilon (|slope(2 eps) - slope(eps)| / 3), plus round-off, the cost's
    measured rounding noise divided by epsilon (gradientReport.costNoise), plus the rounding of
    the step itself. A slope off by more than its allowance is wrong; the check passes when none
    is. So it passes a correct backprop where the gradient is tiny (saturated sigmoids, trained
    weights) and catches a bug confined to a few weights of many. ``tolerance=<number>`` instead
    applies the tutorial's fixed rule: pass when relativeError <= tolerance (cheaper: no
    allowances are computed, and no weight is marked wrong).
    method says what is compared:
      "full"         every weight (computeNumericalGradient);
      "directional"  the slopes along ``directions`` random unit directions (default: enough to
                     miss a one-weight bug with probability <= 1e-6 under the fixed rule 1e-7,
                     fastGradients' defaultDirections): a backprop and 2 * directions costs;
      "sparse"       ``coordinates`` randomly chosen weights (default 100);
      "auto"         "full" for small networks (see chooseMethod), "directional" for big ones.
    ``seed`` (a whole number >= 0) picks the directions or weights and the noise probe's line.
    The cost is whatever N.costFunction computes: a subclass that changes it is checked against
    its own computeGradients. About twice the cost evaluations of the numerical gradient alone.
    Out: a GradientCheck: .passed, .relativeError (the norm ratio), .tolerance (the norm ratio
    the allowances permit, or yours), .weights (every slope, worst first: backprop, numerical,
    errors, allowance), .wrongWeights, .hints. N's weights are left exactly as they were.
    """
    checkNetwork(N, PROTOCOL)
    X, y = checkData(X, y, N.inputLayerSize, N.outputLayerSize)
    epsilon = checkEpsilon(epsilon)
    tolerance = checkTolerance(tolerance)
    method = chooseMethod(N, method, directions, coordinates)
    seed = checkSeed(seed)
    count = coordinates if method == "sparse" else directions
    if method == "directional" and count is None:
        count = defaultDirections(weightCount(N), tolerance or CLASSIC_TOLERANCE)
    grad, numgrad, positions, checked = SLOPES[method](N, X, y, epsilon, count, seed)
    params = N.getParams()
    places = [("", (k,)) for k in range(len(grad))] if positions is None \
        else weightPlaces(N, positions)
    checkEstimates(numgrad, places)
    allowance = None  # the fixed rule needs no allowances
    if tolerance is None:
        numgradDouble = SLOPES[method](N, X, y, 2 * epsilon, count, seed)[1]
        checkEstimates(numgradDouble, places)
        noise, _ = costNoise(N, X, y, epsilon, seed)
        scale = float(np.max(np.abs(params), initial=0.0))
        allowance = numericalAllowance(numgrad, numgradDouble, noise, epsilon, scale)
    values = None if positions is None else params[positions]
    return verdict(grad, numgrad, places, tolerance, epsilon, method, checked, allowance, values)


def checkEstimates(numgrad, places):
    """Raise ValueError, naming the first place, if a numerical slope is not finite."""
    bad = np.flatnonzero(~np.isfinite(numgrad))
    if len(bad):
        raise ValueError(f"the cost is not finite near the weights (numerical slope "
                         f"{numgrad[bad[0]]} at {placeName(places[bad[0]])}): the sigmoids "
                         f"overflowed or the cost is NaN there; try smaller weights or a smaller "
                         f"epsilon.")


def verdict(grad, numgrad, places, tolerance, epsilon, method="full", checked="",
            allowance=None, weightValues=None):
    """Judge backprop's numbers ``grad`` against the estimates ``numgrad``.

    In:  ``places`` say what each entry is (weightPlaces' (layer, (row, column)), or
         ("", (k,)) for direction k); ``allowance`` is numericalAllowance's (allowed,
         truncation, roundoff) or None; tolerance None means the derived rule (every
         |grad - numgrad| <= allowed; needs the allowance), a number the fixed rule
         (compareGradients <= tolerance); weightValues, the compared weights' values (for the
         hints), if known.
    Out: a GradientCheck.
    """
    grad, numgrad = np.asarray(grad, dtype=float), np.asarray(numgrad, dtype=float)
    relativeError = compareGradients(grad, numgrad)
    allowed, truncation, roundoff = allowance if allowance is not None else (None, None, None)
    if tolerance is None:
        rule = "derived"
        passed = bool(np.all(np.abs(grad - numgrad) <= allowed))
        tolerance = derivedTolerance(allowed, grad + numgrad)
    else:
        rule = "fixed"
        passed = bool(relativeError <= tolerance)
    return GradientCheck(passed=passed, relativeError=relativeError,
                         tolerance=float(tolerance), epsilon=float(epsilon), grad=grad,
                         numgrad=numgrad, places=list(places), method=method, checked=checked,
                         allowed=allowed, truncation=truncation, roundoff=roundoff, rule=rule,
                         weightValues=weightValues)


def derivedTolerance(allowed, total):
    """The norm ratio the allowances permit: norm(allowed) / norm(grad + numgrad).

    Every |grad - numgrad| <= allowed implies compareGradients <= this.
    """
    limit, size = np.linalg.norm(allowed), np.linalg.norm(total)
    if size == 0:
        return 0.0 if limit == 0 else float("inf")
    return float(limit / size)


class ForgetfulNetwork(Neural_Network):
    """A network whose backprop forgets one factor: sigmoidPrime(z2)."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T)  # the bug: "* self.sigmoidPrime(self.z2)" is missing
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


def gradientDescent(N, X, y, learningRate=5.0, steps=5000):
    """Train N in place: ``steps`` times, move the weights against N.computeGradients.

    Out: the cost before training and after every step (steps + 1 floats). Whatever gradient
    the network computes is followed, right or wrong: that is the point of the demonstration.
    """
    checkNetwork(N)
    X, y = checkData(X, y, N.inputLayerSize, N.outputLayerSize)
    steps = checkWholeNumber(steps, "steps", 0, example="5000")
    learningRate = checkPositive(learningRate, "learningRate", "5.0")
    costs = [N.costFunction(X, y)]
    for _ in range(steps):
        N.setParams(N.getParams() - learningRate * N.computeGradients(X, y))
        costs.append(N.costFunction(X, y))
    return np.array(costs)
