"""Part 5 of *Neural Networks Demystified*: numerical gradient checking.

Backpropagation (``costFunctionPrime`` in ``partFour``) is easy to get subtly wrong, and a wrong
gradient fails silently. This module checks it against the definition of the derivative:

    Neural_Network             partFour's network plus getParams / setParams / computeGradients,
                               which treat all the weights as one vector
    loopNumericalGradient      the tutorial's loop: nudge each weight up and down by epsilon;
                               slope of the cost (notebook 06)
    computeNumericalGradient   the same numbers: the loop, or for the network this module knows,
                               checker.fastGradients' vectorized path (notebook 12)
    compareGradients           norm(grad - numgrad) / norm(grad + numgrad)
    checkGradient              all of the above, with a verdict that diagnoses (a GradientCheck):
                               passed, failed or inconclusive; every weight judged against the
                               numerical error it may honestly have, the wrong ones named, worst
                               first, with hints from their pattern; kinks of the cost told apart
                               from bugs; for big networks along random directions or at random
                               weights
    checkFunctionGradient      the same check for a plain function f(x) and its gradient
    paramName                  which weight an index is: "W1[0, 2]", "b1[2]"
    gradientDescent            train with computeGradients, to see what a (wrong) gradient does

Any network with the tutorial's protocol can be checked, not only this module's: getParams,
setParams, costFunction and computeGradients, of any size, activation and precision, such as the
class typed along with the video, whose costFunction returns a one-element array. Layer sizes
(inputLayerSize, ...) are optional; a class attribute ``paramNames`` such as ("W1", "b1", "W2",
"b2") names the arrays getParams concatenates, so the report can say "b1[2]". Options after the
data are keyword-only: ``checkGradient(N, X, y, epsilon=1e-5)`` (but for the tutorial's loop,
which keeps the signature notebook 06 builds it with).

The checker's layers live in the ``checker`` package, and a check flows one way through them:
measure (``checker.measure``, with weightVector and fastGradients: the only code that calls a
network) -> judge (``checker.judge``: pure, numbers in, a verdict out) -> report
(``checker.gradientReport``: text, an HTML table, hints). The course's labs and exercises, in
the ``course`` package, sit above this module.
"""

import numpy as np

import partFour
from checker.fastGradients import fastPathApplies, vectorizedNumericalGradient
from checker.gradientReport import GradientCheck
from checker.judge import CLASSIC_TOLERANCE, compareGradients, defaultDirections, judge
from checker.measure import DEFAULT_COORDINATES, centeredDifferences, measureCheck, unitVector
from checker.validation import (
    checkChoice,
    checkCost,
    checkData,
    checkEpsilon,
    checkFunction,
    checkGradAt,
    checkNetwork,
    checkOnlyFor,
    checkParams,
    checkPositive,
    checkSeed,
    checkTolerance,
    checkVector,
    checkWholeNumber,
)
from checker.weightLayout import functionLayout
from checker.weightVector import (
    NEEDS_COST,
    PROTOCOL,
    Prepared,
    costValue,
    paramName,
    preparedNetwork,
)
from partFour import X, y

__all__ = ["X", "y", "Neural_Network", "loopNumericalGradient", "computeNumericalGradient",
           "compareGradients", "checkGradient", "checkFunctionGradient", "GradientCheck",
           "paramName", "gradientDescent"]

METHODS = ("auto", "full", "directional", "sparse")  # the checks checkGradient can run
FULL_CHECK_WEIGHTS = {"loop": 10_000, "fast": 1_000_000}  # "auto" checks every weight up to these


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


def loopNumericalGradient(N, X, y, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences.

    In:  a network N (getParams, setParams, costFunction), data X and y, a step size
         epsilon > 0.
    Out: a vector like N.getParams() whose entry p is
         (J(w + epsilon e_p) - J(w - epsilon e_p)) / (2 epsilon).
    N's weights are put back as they were, also when the cost raises midway.
    """
    # Bad input raises here, before any weight moves; params is a copy of the weights.
    X, y, params, _, epsilon = preparedNetwork(N, X, y, NEEDS_COST, epsilon)
    # the unit vectors e_p in the weights' own precision: a float32 network is nudged in float32
    steps = (unitVector(p, params.size, params.dtype) for p in range(params.size))
    return centeredDifferences(N, X, y, params, steps, (epsilon,))[0]


def computeNumericalGradient(N, X, y, *, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences, as fast as N allows.

    In:  a network N, data X and y, a step size epsilon > 0.
    Out: loopNumericalGradient's vector (the tutorial's loop), to about 1e-9 relative. When
         N's cost is this module's own (fastPathApplies), fastGradients'
         vectorizedNumericalGradient computes it with numpy, about a hundred times faster on big
         networks; any other network (say one that overrides costFunction) gets the loop, so
         the check always checks N's real cost. N's weights are left as they were.
    """
    if fastPathApplies(N):
        return vectorizedNumericalGradient(N, X, y, epsilon=epsilon)
    return loopNumericalGradient(N, X, y, epsilon=epsilon)


def checkGradient(N, X, y, *, epsilon=1e-4, tolerance=None, method="auto", directions=None,
                  coordinates=None, seed=0):
    """Compare N's backprop gradient with the numerical one: passed, failed or inconclusive,
    and which weights are wrong.

    In:  any network with the tutorial's protocol (getParams, setParams, costFunction,
         computeGradients), data X and y, a step size epsilon > 0.
    The rule (tolerance=None, the default): every compared slope gets an allowance, ten times
    the error its numerical estimate may honestly have: truncation, estimated from the same
    slope at step 2 epsilon (|slope(2 eps) - slope(eps)| / 3), plus round-off, the cost's
    measured rounding noise divided by epsilon (measure.costNoise), plus the rounding of
    the step itself. A slope off by more than its allowance is wrong, unless the cost has a
    kink (a ReLU's corner) within the step: then it is "at a kink". The status is
      "failed"        when some slope is wrong;
      "inconclusive"  when the numbers cannot tell: the allowances permit a norm ratio above
                      judge.RESOLUTION (1e-3 in float64, 1e-2 in float32), the cost
                      is not finite near the weights, epsilon is lost in rounding the weights,
                      or the only disagreements are at kinks; ``.reasons`` says why and what
                      to try;
      "passed"        otherwise.
    ``tolerance=<number>`` instead applies the tutorial's fixed rule: pass when relativeError
    <= tolerance (cheaper: no allowances are computed, and no weight is marked wrong).
    method says what is compared:
      "full"         every weight;
      "directional"  the slopes along ``directions`` random unit directions (default: enough to
                     miss a one-weight bug with probability <= 1e-6 under the fixed rule 1e-7,
                     judge.defaultDirections): a backprop and 2 * directions costs;
      "sparse"       ``coordinates`` randomly chosen weights (default 100);
      "auto"         "full" for small networks (see _chooseMethod), "directional" for big ones,
                     and the report says so.
    ``seed`` (a whole number >= 0) picks the directions or weights and the noise probe's line.
    The cost is whatever N.costFunction computes: a subclass that changes it is checked against
    its own computeGradients. About twice the cost evaluations of the numerical gradient alone.
    Out: a GradientCheck: .status, .passed (True only for "passed"), .relativeError (the norm
    ratio), .tolerance (the norm ratio the allowances permit, or yours), .weights (every slope,
    worst first), .wrongWeights, .kinkWeights, .reasons, .hints. N's weights are left exactly as
    they were.
    """
    prepared = preparedNetwork(N, X, y, PROTOCOL, epsilon)
    return _runCheck(N, prepared, checkTolerance(tolerance), method, directions, coordinates,
                     seed)


def _runCheck(N, prepared, tolerance, method, directions, coordinates, seed):
    """checkGradient's work, once N and its inputs are validated (a weightVector.Prepared):
    measure, judge, report."""
    size = prepared.params.size
    fast = fastPathApplies(N, prepared.params)  # once: it compares every weight
    method, note = _chooseMethod(size, method, directions, coordinates, fast)
    seed = checkSeed(seed)
    count = coordinates if method == "sparse" else directions
    if method == "directional" and count is None:
        count = defaultDirections(size, tolerance or CLASSIC_TOLERANCE)
    elif method == "sparse" and count is None:
        count = min(DEFAULT_COORDINATES, size)
    measured = measureCheck(N, prepared, method, count, seed, tolerance, fast)
    judged = judge(measured, tolerance, method, _describeChecked(method, count, seed, note))
    return GradientCheck.of(judged)


def _chooseMethod(size, method, directions, coordinates, fast):
    """Validate checkGradient's method (and its count) and resolve "auto".

    Out: (method, note): "auto" checks every weight when that is cheap (FULL_CHECK_WEIGHTS:
    10,000 weights with the loop, 1,000,000 on the fast path) and random directions beyond;
    the note says what auto chose, and why, when it chose directions.
    """
    checkChoice(method, METHODS, "method")
    checkOnlyFor(method, [("directions", directions, "directional"),
                          ("coordinates", coordinates, "sparse")])
    if method != "auto":
        return method, ""
    path = "fast" if fast else "loop"
    if size <= FULL_CHECK_WEIGHTS[path]:
        return "full", ""
    return "directional", (f"method 'auto' chose directions: {size:,} weights are more than "
                           f"the {FULL_CHECK_WEIGHTS[path]:,} it checks one by one "
                           f"{'on the fast path' if path == 'fast' else 'through the protocol'}")


def _describeChecked(method, count, seed, note):
    """What a fast check compared, as text for its headline ("" for the full check)."""
    if method == "full":
        return ""
    what = "direction" if method == "directional" else "weight"
    text = f"{count:,} random {what}{'s' * (count > 1)}, seed {seed}"
    return f"{text} ({note})" if note else text


class _FunctionNetwork:
    """A plain function f(x) and its claimed gradient seen through the tutorial's protocol: x is
    the weight vector, named "x[3]" in the report. f and grad always get a copy of x."""

    def __init__(self, f, grad, x):
        self.f, self.gradient, self.x = f, grad, x.copy()

    def getParams(self):
        return self.x.copy()

    def setParams(self, params):
        self.x = np.array(params, dtype=self.x.dtype)

    def costFunction(self, X=None, y=None):
        expected = "f must return one number (the function's value)"
        return checkCost(self.f(self.x.copy()), expected)[0]

    def computeGradients(self, X=None, y=None):
        return checkGradAt(self.gradient(self.x.copy()), self.x)


def checkFunctionGradient(f, grad, x, *, epsilon=1e-4, tolerance=None, method="auto",
                          directions=None, coordinates=None, seed=0):
    """checkGradient for a plain function: is ``grad`` the gradient of ``f`` at ``x``?

    In:  f(x) -> one number; grad(x) -> a 1-D array like x; x, a 1-D array of finite numbers
         (scipy.optimize.check_grad's order); the rest as in checkGradient.
    Out: a GradientCheck whose weights are named x[0], x[1], ... x itself is never modified.
    Raises TypeError/ValueError when f or grad is not callable, x is not a 1-D array of finite
    numbers, f does not return one number, or grad's result is not shaped like x.
    """
    checkFunction(f, "f")
    checkFunction(grad, "grad")
    point = checkVector(x, "x", "x must be a 1-D array of at least one number, the point where "
                                "the gradient is checked")
    N = _FunctionNetwork(f, grad, point)
    N.costFunction()  # f's result checked before anything else runs
    prepared = Prepared(None, None, point, functionLayout(point.size), checkEpsilon(epsilon))
    return _runCheck(N, prepared, checkTolerance(tolerance), method, directions, coordinates,
                     seed)


def gradientDescent(N, X, y, *, learningRate=5.0, steps=5000):
    """Train N in place: ``steps`` times, move the weights against N.computeGradients.

    Out: the cost before training and after every step (steps + 1 floats, read with costValue,
    so a cost typed along with the video, a one-element array, gives plain numbers too).
    Whatever gradient the network computes is followed, right or wrong: that is the point of
    the demonstration.
    """
    checkNetwork(N, PROTOCOL)
    X, y = checkData(X, y, N)
    steps = checkWholeNumber(steps, "steps", 0, example="5000")
    learningRate = checkPositive(learningRate, "learningRate", "5.0")
    costs = [costValue(N, X, y)]
    for _ in range(steps):
        N.setParams(N.getParams() - learningRate * N.computeGradients(X, y))
        costs.append(costValue(N, X, y))
    return np.array(costs)
