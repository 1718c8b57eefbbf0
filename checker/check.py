"""A gradient check from end to end, for a network (``checkGradient``) or a plain function
(``checkFunctionGradient``): measure (checker.measure) -> judge (checker.judge) -> report
(checker.gradientReport). partFive re-exports both."""

import numpy as np

from checker.fastGradients import fastPathApplies, ownVectorMethods
from checker.gradientReport import GradientCheck
from checker.judge import CLASSIC_TOLERANCE, defaultDirections, judge
from checker.measure import DEFAULT_COORDINATES, measureCheck
from checker.validation import (
    checkChoice,
    checkCoordinates,
    checkCost,
    checkDirections,
    checkEpsilon,
    checkFunction,
    checkGradAt,
    checkOnlyFor,
    checkSeed,
    checkTolerance,
    checkVector,
)
from checker.weightLayout import WeightLayout
from checker.weightVector import PROTOCOL, Prepared, checkRoundTrip, preparedNetwork

__all__ = ["checkGradient", "checkFunctionGradient"]

METHODS = ("auto", "full", "directional", "sparse")  # the checks checkGradient can run
FULL_CHECK_WEIGHTS = {"loop": 10_000, "fast": 1_000_000}  # "auto" checks every weight up to these


def checkGradient(N, X, y, *, epsilon=1e-4, tolerance=None, method="auto", directions=None,
                  coordinates=None, seed=0):
    """Compare N's backprop gradient with the numerical one: passed, failed or inconclusive,
    and which weights are wrong.

    In:  any network with the tutorial's protocol (getParams, setParams, costFunction,
         computeGradients), data X and y, a step size epsilon > 0, and:
      tolerance    None (the default): every compared slope gets an allowance, ten times the
                   error its estimate may honestly have (truncation from the slope at 2 epsilon,
                   round-off from the cost's measured noise, the rounding of the step); a slope
                   beyond it is wrong, or "at a kink" when the cost has a corner within the step
                   (judge.py says how). A number: the tutorial's fixed rule, relativeError <=
                   tolerance (cheaper; no weight is marked wrong).
      method       "full" (every weight), "directional" (``directions`` random unit directions;
                   default judge.defaultDirections), "sparse" (``coordinates`` random weights,
                   default 100) or "auto" (full for small networks, directional for big ones,
                   and the report says so).
      seed         picks the directions or weights and the noise probe's line.
    The cost is whatever N.costFunction computes, so a subclass that changes it is checked
    against its own computeGradients.
    Out: a GradientCheck: .status ("failed" when some slope is wrong; "inconclusive" when the
    numbers cannot tell, with .reasons saying why and what to try; else "passed"), .passed
    (True only for "passed"), .relativeError, .tolerance, .weights (worst first),
    .wrongWeights, .kinkWeights, .hints. N's weights are left exactly as they were.
    """
    prepared = preparedNetwork(N, X, y, PROTOCOL, epsilon, roundTrip=False)
    fast = fastPathApplies(N, prepared.params)  # once: it compares every weight
    if not (fast and ownVectorMethods(N)):  # partFive's own setParams undoes getParams: known
        checkRoundTrip(N, prepared.params, prepared.layout)
    return runCheck(N, prepared, fast, tolerance, method, directions, coordinates, seed)


def runCheck(N, prepared, fast, tolerance, method, directions, coordinates, seed):
    """checkGradient's work once N and its inputs are validated (``prepared``) and the fast path
    decided (``fast``); the tolerance is checked here, for both entry points."""
    tolerance = checkTolerance(tolerance)
    size = prepared.params.size
    method, note = chooseMethod(size, method, directions, coordinates, fast)
    seed = checkSeed(seed)
    count = None  # the full check compares every weight
    if method == "directional":  # a count given is checked now, before N's backprop runs
        count = defaultDirections(size, tolerance or CLASSIC_TOLERANCE) if directions is None \
            else checkDirections(directions)
    elif method == "sparse":
        default = min(DEFAULT_COORDINATES, size)
        count = default if coordinates is None else checkCoordinates(coordinates, size, default)
    measured = measureCheck(N, prepared, method, count, seed, tolerance, fast)
    judged = judge(measured, tolerance, method, describeChecked(method, count, seed, note))
    return GradientCheck.of(judged)


def chooseMethod(size, method, directions, coordinates, fast):
    """(method, note): the method checked, "auto" resolved to "full" up to FULL_CHECK_WEIGHTS
    and to "directional" beyond, which the note explains."""
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


def describeChecked(method, count, seed, note):
    """What a fast check compared, as text for its headline ("" for the full check)."""
    if method == "full":
        return ""
    what = "direction" if method == "directional" else "weight"
    text = f"{count:,} random {what}{'s' * (count > 1)}, seed {seed}"
    return f"{text} ({note})" if note else text


class FunctionNetwork:
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
        value, dtype = checkCost(self.f(self.x.copy()), expected)
        return dtype.type(value)  # in f's precision: a float32 f is judged as float32

    def computeGradients(self, X=None, y=None):
        return checkGradAt(self.gradient(self.x.copy()), self.x)


def checkFunctionGradient(f, grad, x, *, epsilon=1e-4, tolerance=None, method="auto",
                          directions=None, coordinates=None, seed=0):
    """checkGradient for a plain function: is ``grad`` the gradient of ``f`` at ``x``?

    In:  f(x) -> one number; grad(x) -> a 1-D array like x; x, a 1-D array of finite numbers
         (scipy.optimize.check_grad's order); the rest as in checkGradient.
    Out: a GradientCheck whose weights are named x[0], x[1], ... x itself is never modified.
    Raises TypeError/ValueError for an f or grad not callable or not returning those, or a bad x.
    """
    checkFunction(f, "f")
    checkFunction(grad, "grad")
    point = checkVector(x, "x", "x must be a 1-D array of at least one number, the point where "
                                "the gradient is checked")
    N = FunctionNetwork(f, grad, point)
    N.costFunction()  # f's result checked before anything else runs
    prepared = Prepared(None, None, point, WeightLayout((("x", point.shape),)),
                        checkEpsilon(epsilon))
    return runCheck(N, prepared, False, tolerance, method, directions, coordinates, seed)
