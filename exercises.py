"""The learner's exercises: one self-check per exercise, each answering in a line or two.

The core track leaves the piece it teaches for the learner to write. A self-check tries what
the learner wrote on seeded inputs and answers "correct: ..." or "not yet: <a hint at what is
wrong>", the hint naming the typical mistake it recognised. A check never raises: when the
learner's code does, it says "not yet: your function raised ...". It leaves numpy's global
random state as it found it, and prints only statuses and digits that every machine agrees on.

    checkCenteredDifference  04  centeredDifference(f, x, epsilon): the slope from both sides
    checkGetParams           05  getParams(N): W1 and W2 as one vector
    checkSetParams           05  setParams(N, params): the vector back into W1 and W2
    checkNumericalGradient   06  computeNumericalGradient(N, X, y, epsilon=1e-4)
    checkRelativeError       08  relativeError(grad, numgrad): the norm ratio
    checkFixedNetwork        08  ExerciseNetwork: a backprop with one of the classic bugs
    checkFloat32Epsilon      09  a step for the centered slope of exp(x) at 1 in float32
    checkMysteryNetwork      11  MysteryNetwork: a backprop with a bug of a new kind
    BuggyNetwork             notebook 08's four classic bugs, the gallery's networks; named
                             here, out of sight, because their code shows the fix of that
                             notebook's exercise
"""

import contextlib
import functools
import re
import textwrap

import numpy as np

from bugGallery import GALLERY
from epsilonLab import bestEpsilon, errorModel
from partFive import ForgetfulNetwork, Neural_Network, X, checkGradient, paramName, y

__all__ = ["checkCenteredDifference", "checkGetParams", "checkSetParams",
           "checkNumericalGradient", "checkRelativeError", "checkFixedNetwork",
           "checkFloat32Epsilon", "checkMysteryNetwork", "BuggyNetwork", "CLASSIC_BUGS",
           "float32Band"]

WIDTH = 88  # a verdict's lines stay short enough not to wrap in a notebook
SIZES = ((2, 3, 1), (3, 4, 2))  # the tutorial's network, and one of other sizes
UNBROKEN = re.compile(r"\[[^\]]*\]|\w+\([^()]{0,24}\)")  # W1[0, 2], f(x + epsilon): one line


# --- how every check answers ------------------------------------------------------------------

class NotYet(Exception):
    """Raised inside a check with the hint it answers: "not yet: <hint>"."""


def asSelfCheck(check):
    """Make ``check`` (one candidate in; a success message out, or NotYet) a self-check: it
    returns "correct: <message>" or "not yet: <hint>", wrapped to WIDTH characters."""
    @functools.wraps(check)
    def answer(candidate):
        try:
            status, message = "correct", check(candidate)
        except NotYet as hint:
            status, message = "not yet", str(hint)
        except Exception as error:  # e.g. a network the learner's code left unreadable
            status, message = "not yet", f"your answer could not be checked: {describe(error)}"
        text = UNBROKEN.sub(lambda span: span.group().replace(" ", "\xa0"), f"{status}: {message}")
        return textwrap.fill(text, WIDTH, subsequent_indent="  ", break_long_words=False,
                             break_on_hyphens=False).replace("\xa0", " ")
    return answer


def describe(error):
    """An exception as short, machine-independent text: "ValueError: <first line>"."""
    lines = str(error).strip().splitlines()
    text = re.sub(r"0x[0-9a-fA-F]+", "0x...", lines[0]) if lines else ""
    text = text if len(text) <= 70 else text[:67] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def attempt(function, *args, what="your function", **options):
    """function(*args, **options), any exception it raises turned into NotYet("... raised
    ...")."""
    try:
        return function(*args, **options)
    except Exception as error:  # the learner's code may raise anything: say what, not crash
        raise NotYet(f"{what} raised {describe(error)}") from None


def needCallable(candidate, name):
    """NotYet unless ``candidate`` can be called like the exercise's ``name``."""
    if not callable(candidate):
        raise NotYet(f"{name} should be a function; got {type(candidate).__name__}")


@contextlib.contextmanager
def seeded(seed):
    """Run the block with numpy's global generator seeded; then put its old state back."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def network(sizes=SIZES[0], seed=0, cls=Neural_Network):
    """A seeded network of the given layer sizes (the tutorial's 2-3-1 by default)."""
    with seeded(seed):
        return cls(*sizes)


def sizeName(N):
    """A network's layer sizes as text, e.g. "2-3-1"."""
    return f"{N.inputLayerSize}-{N.hiddenLayerSize}-{N.outputLayerSize}"


def asNumber(value, what):
    """``value`` as one finite float; NotYet saying what came back otherwise."""
    if value is None:
        raise NotYet(f"{what} returned None: is its return statement missing?")
    array = np.asarray(value) if not isinstance(value, (str, bytes)) else np.asarray(None)
    if array.dtype.kind not in "iuf":
        raise NotYet(f"{what} returned {type(value).__name__}, not a number")
    if array.size != 1:
        raise NotYet(f"{what} returned {array.size} numbers: it should return one")
    number = float(array.ravel()[0])
    if not np.isfinite(number):
        raise NotYet(f"{what} returned {number}, not a finite number")
    return number


def asVector(value, what):
    """``value`` as a 1-D float array; NotYet saying what came back otherwise."""
    if value is None:
        raise NotYet(f"{what} returned None: is its return statement missing?")
    if isinstance(value, (list, tuple)) and any(np.ndim(item) > 0 for item in value):
        raise NotYet(f"{what} returned a {type(value).__name__} of {len(value)} arrays: "
                     f"join them into one 1-D vector (np.concatenate)")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotYet(f"{what} returned {type(value).__name__}, not numbers") from None
    if array.ndim != 1:
        raise NotYet(f"{what} returned an array of shape {array.shape}: make it one 1-D "
                     f"vector (ravel)")
    return array


def closeTo(candidate, reference, tolerance):
    """True when norm(candidate - reference) <= tolerance * norm(reference)."""
    return np.linalg.norm(candidate - reference) <= tolerance * np.linalg.norm(reference)


# --- notebook 04: the centered difference -----------------------------------------------------

def square(x):
    """x * x: one correctly rounded multiplication, the same digits on every machine."""
    return x * x


def cube(x):
    """x**3, whose centered difference is not exact: it tells the formulas apart."""
    return x * x * x


# (f, its name, x, epsilon, f'): the notebook's example, then two that expose shortcuts.
SLOPE_PROBES = ((square, "x**2", 1.5, 1e-4, lambda x: 2 * x),
                (cube, "x**3", 1.5, 0.1, lambda x: 3 * x * x),
                (np.sin, "sin", 1.0, 1e-3, np.cos))


def step(h):
    """A power-of-ten step as the notebooks write it: 1e-4, 0.1 as 1e-1."""
    return f"{h:.0e}".replace("e-0", "e-")


def slopeMistakes(f, x, h):
    """The typical wrong slopes of f at x with step h, each with its hint."""
    up, here, down = f(x + h), f(x), f(x - h)
    return [
        ((up - here) / h, "that is the one-sided (forward) difference of notebook 03, "
         "(f(x + epsilon) - f(x)) / epsilon: step to both sides of x instead"),
        ((here - down) / h, "that is a one-sided (backward) difference, from x - epsilon to x: "
         "step to both sides of x"),
        ((up - down) / h, "twice the slope: f(x + epsilon) and f(x - epsilon) are 2 epsilon "
         "apart, so divide by 2 * epsilon"),
        ((down - up) / (2 * h), "the sign is flipped: subtract f(x - epsilon) from "
         "f(x + epsilon), in that order"),
        ((up - down) / 2 * h, "epsilon multiplies instead of dividing: Python reads "
         "a / 2 * epsilon as (a / 2) * epsilon; write a / (2 * epsilon)"),
        (2 * x, "that is 2x, the exact slope of x**2 only: take the difference of f's values, "
         "so that it works for any f"),
    ]


@asSelfCheck
def checkCenteredDifference(centeredDifference):
    """Self-check of notebook 04: centeredDifference(f, x, epsilon) must return
    (f(x + epsilon) - f(x - epsilon)) / (2 epsilon), tried on x**2 (the notebook's example),
    x**3 and sin. Recognises a forward or backward difference, dividing by epsilon, a sign
    slip, a / 2 * epsilon, and a hard-wired 2x."""
    needCallable(centeredDifference, "centeredDifference")
    slopes = []
    for f, name, x, h, derivative in SLOPE_PROBES:
        value = asNumber(attempt(centeredDifference, f, x, h), "centeredDifference")
        expected = (f(x + h) - f(x - h)) / (2 * h)
        slopes.append(value)
        if abs(value - expected) <= 1e-9 * abs(expected):
            continue
        for mistake, hint in slopeMistakes(f, x, h):
            if abs(value - mistake) <= 1e-9 * abs(mistake):
                raise NotYet(f"for f(x) = {name} at x = {x} with epsilon = {step(h)}, {hint}")
        if abs(value - derivative(x)) < abs(expected - derivative(x)) / 10:
            raise NotYet(f"for f(x) = {name} at x = {x} with epsilon = {step(h)} your slope is "
                         f"closer to the exact one than a centered difference with that step "
                         f"can be: take the step epsilon your function is given")
        raise NotYet(f"for f(x) = {name} at x = {x} with epsilon = {step(h)} your function gives "
                     f"{value:.6f}; the centered difference is {expected:.6f}")
    return (f"centeredDifference(f, 1.5, 1e-4) gives {slopes[0]:.10f} for f(x) = x**2 (2x = 3), "
            f"and it is the centered difference of x**3 and sin(x) too.")


# --- notebook 05: the weights as one vector ---------------------------------------------------

def getParamsHint(N, vector):
    """Why ``vector`` is not N's weights, W1 row by row and then W2 (a 1-D array in)."""
    W1, W2 = N.W1.ravel(), N.W2.ravel()
    expected = np.concatenate((W1, W2))
    for part, name, other in [(W1, "W1", "W2"), (W2, "W2", "W1")]:
        if vector.shape == part.shape and np.array_equal(vector, part):
            return f"only {name}'s {part.size} weights: {other}'s belong in the vector too"
    if vector.size != expected.size:
        return (f"{vector.size} numbers instead of the network's {expected.size} weights "
                f"({W1.size} in W1, then {W2.size} in W2)")
    if not np.any(vector):
        return ("every entry is 0, the stub's placeholder: fill the vector with N.W1's and "
                "N.W2's weights")
    if np.array_equal(vector, np.concatenate((W2, W1))):
        return f"W2's weights come first: W1's {W1.size} go first, then W2's {W2.size}"
    if np.array_equal(vector, np.concatenate((N.W1.T.ravel(), N.W2.T.ravel()))) \
            or np.array_equal(vector, np.concatenate((N.W1.T.ravel(), W2))):
        return ("W1 is read column by column (as W1.T.ravel() does): read it row by row, "
                "as W1.ravel() does")
    p = int(np.flatnonzero(vector != expected)[0])
    found = np.flatnonzero(expected == vector[p])
    if found.size:
        return (f"entry {p} holds {paramName(N, int(found[0]))} but should hold "
                f"{paramName(N, p)}: W1 row by row, then W2")
    return f"entry {p} should be {paramName(N, p)}, but holds a number that is no weight of N"


@asSelfCheck
def checkGetParams(getParams):
    """Self-check of notebook 05: getParams(N) must return N.W1's entries row by row, then
    N.W2's, as one 1-D vector, for the 2-3-1 network and a 3-4-2 one. Recognises W2 before W1,
    W1 column by column, a list of arrays, a 2-D array, one matrix only, zeros, hard-wired
    sizes, and a getParams that changes the weights."""
    needCallable(getParams, "getParams")
    for sizes in SIZES:
        N = network(sizes)
        W1, W2 = N.W1.copy(), N.W2.copy()
        try:
            vector = asVector(attempt(getParams, N), "getParams(N)")
            if not (np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2)):
                raise NotYet("getParams changed the network's weights: it should only read "
                             "N.W1 and N.W2")
            if not np.array_equal(vector, N.getParams()):
                raise NotYet(getParamsHint(N, vector))
        except NotYet as hint:
            if sizes == SIZES[0]:
                raise
            raise NotYet(f"right for the 2-3-1 network, but for a {sizeName(N)} one: {hint}. "
                         f"Let N's own matrices give the sizes, rather than 2, 3 and 1") from None
    return ("getParams(N) gives W1's weights row by row, then W2's, for a 2-3-1 and a 3-4-2 "
            "network.")


def setParamsHint(N, params, old, returned):
    """Why N.W1 and N.W2 are not ``params`` laid out as getParams reads them."""
    n1 = N.inputLayerSize * N.hiddenLayerSize
    shapes = {"W1": (N.inputLayerSize, N.hiddenLayerSize),
              "W2": (N.hiddenLayerSize, N.outputLayerSize)}
    parts = {"W1": params[:n1], "W2": params[n1:]}
    try:
        W = {name: np.asarray(getattr(N, name), dtype=float) for name in ("W1", "W2")}
    except (AttributeError, TypeError, ValueError):
        return "N.W1 and N.W2 must be arrays of numbers after setParams"
    if all(W[name].size == old[name].size and np.array_equal(W[name], old[name]) for name in W):
        if returned is not None:
            return ("setParams returned something but left N's weights as they were: assign "
                    "the new matrices to N.W1 and N.W2")
        return "the network kept its old weights: store the vector's numbers in N.W1 and N.W2"
    if np.array_equal(W["W1"].ravel(), params[-n1:]) \
            and np.array_equal(W["W2"].ravel(), params[:params.size - n1]):
        return (f"the two slices are swapped: the first {n1} numbers are W1's, the last "
                f"{params.size - n1} W2's")
    for name in W:
        rows, cols = shapes[name]
        if W[name].shape != shapes[name]:
            if np.array_equal(W[name].ravel(), parts[name]):
                return (f"N.{name} has shape {W[name].shape}: reshape its {parts[name].size} "
                        f"numbers to {name}'s shape {shapes[name]}")
            return f"N.{name} has shape {W[name].shape}; it must keep {name}'s shape {shapes[name]}"
        if np.array_equal(W[name], parts[name].reshape(shapes[name], order="F")) \
                and not np.array_equal(W[name], parts[name].reshape(shapes[name])):
            return (f"N.{name} is filled column by column: fill it row by row, as reshape does "
                    f"by default and as getParams reads it")
        if not np.array_equal(W[name], parts[name].reshape(shapes[name])):
            which = "first" if name == "W1" else "last"
            return (f"N.{name} should hold the {which} {parts[name].size} numbers of the "
                    f"vector, as a {rows} x {cols} matrix filled row by row")
    return "N.W1 and N.W2 are not the vector's numbers laid out as getParams reads them"


@asSelfCheck
def checkSetParams(setParams):
    """Self-check of notebook 05: setParams(N, params) must put params' first numbers into
    N.W1 (row by row, W1's shape) and the rest into N.W2, for the 2-3-1 network and a 3-4-2
    one. Recognises a setParams that changes nothing, a missing reshape, swapped slices,
    filling column by column, and hard-wired sizes."""
    needCallable(setParams, "setParams")
    for sizes in SIZES:
        N = network(sizes)
        old = {"W1": N.W1.copy(), "W2": N.W2.copy()}
        params = np.arange(1.0, N.W1.size + N.W2.size + 1) / 10  # 0.1, 0.2, ...: easy to trace
        try:
            returned = attempt(setParams, N, params.copy())
            expected = network(sizes)
            Neural_Network.setParams(expected, params)
            if not all(np.shape(getattr(N, name, None)) == getattr(expected, name).shape
                       and np.array_equal(getattr(N, name), getattr(expected, name))
                       for name in ("W1", "W2")):
                raise NotYet(setParamsHint(N, params, old, returned))
        except NotYet as hint:
            if sizes == SIZES[0]:
                raise
            raise NotYet(f"right for the 2-3-1 network, but for a {sizeName(N)} one: {hint}. "
                         f"Let N's layer sizes (N.inputLayerSize, ...) give the shapes, rather "
                         f"than 2, 3 and 1") from None
    return ("setParams(N, params) puts the first numbers into W1, row by row, and the rest into "
            "W2, for a 2-3-1 and a 3-4-2 network.")


# --- notebook 06: the numerical gradient ------------------------------------------------------

FAILING_CALL = 5  # the flaky network's cost raises on this call, midway through the loop


class CostFailure(RuntimeError):
    """The error the flaky network's cost raises on purpose."""


class Recorder(Neural_Network):
    """The tutorial's network, keeping a copy of every vector setParams is handed (handed)."""

    def __init__(self, *sizes):
        super().__init__(*sizes)
        self.handed = []

    def setParams(self, params):
        self.handed.append(np.array(params, dtype=float))
        super().setParams(params)


class FailingCost:
    """A mixin for any network class: its costFunction counts its calls (``calls``, per
    instance) and raises CostFailure("the cost failed on call k") on call number ``failing``
    (0, the default, never fails). Put it first: class C(FailingCost, SomeNetwork)."""

    calls, failing = 0, 0

    def costFunction(self, X, y):
        self.calls += 1
        if self.calls == self.failing:
            raise CostFailure(f"the cost failed on call {self.calls}")
        return super().costFunction(X, y)


class FlakyCost(FailingCost, Recorder):
    """A network whose cost raises CostFailure on call FAILING_CALL, as a real one might."""

    failing = FAILING_CALL


def costsAround(epsilon):
    """The seeded 2-3-1 network's cost with each weight nudged up, not at all, and down."""
    N = network()
    weights = N.getParams()
    costs = {}
    for name, step in [("up", epsilon), ("down", -epsilon)]:
        slopes = []
        for p in range(weights.size):
            nudged = weights.copy()
            nudged[p] += step
            N.setParams(nudged)
            slopes.append(N.costFunction(X, y))
        costs[name] = np.array(slopes)
    N.setParams(weights)
    costs["here"] = N.costFunction(X, y)
    return costs


def nudgeHint(N, weights, epsilon):
    """A hint when some vector handed to setParams is not N's weights with one of them nudged;
    None when every one is."""
    for params in N.handed:
        moved = np.flatnonzero(params != weights)
        if moved.size <= 1:
            continue
        if np.count_nonzero(params) == 1:
            return ("setParams was handed the step alone: hand it the weights plus the step, "
                    "paramsInitial + perturb")
        if np.allclose(np.abs(params[moved] - weights[moved]), epsilon, rtol=1e-6):
            return (f"{moved.size} weights were nudged at once: set perturb[p] back to 0 once "
                    f"weight p is done, so each step moves one weight")
        return (f"setParams was handed a vector that moves {moved.size} weights at once: nudge "
                f"one weight at a time, by epsilon")
    return None


def slopeHint(N, numgrad, costs, epsilon):
    """Why ``numgrad`` is not the centered difference at ``epsilon`` (None when it is)."""
    up, down, here = costs["up"], costs["down"], costs["here"]
    centered = (up - down) / (2 * epsilon)
    if closeTo(numgrad, centered, 1e-8):
        return None
    if not np.any(numgrad):
        return ("every slope is 0, the stub's placeholder: for each weight p, take the cost a "
                "step above and a step below, and store their centered slope in numgrad[p]")
    mistakes = [
        ((up - here) / epsilon, "that is a one-sided (forward) difference, (J(w + epsilon e_p) "
         "- J(w)) / epsilon: take the cost a step below as well, and divide by 2 * epsilon"),
        ((here - down) / epsilon, "that is a one-sided (backward) difference: take the cost a "
         "step above and a step below, and divide by 2 * epsilon"),
        (2 * centered, "every slope is twice the centered difference: the two costs are "
         "2 epsilon apart, so divide by 2 * epsilon"),
        (-centered, "every slope has the wrong sign: subtract the cost below from the cost "
         "above"),
        ((up - down) / 2 * epsilon, "epsilon multiplies instead of dividing: write "
         "/ (2 * epsilon), with the brackets"),
    ]
    for mistake, hint in mistakes:
        if closeTo(numgrad, mistake, 1e-6):
            return hint
    p = int(np.argmax(np.abs(numgrad - centered)))
    return (f"the slope for {paramName(N, p)} is {numgrad[p]:+.4e}; the centered difference "
            f"gives {centered[p]:+.4e}")


@asSelfCheck
def checkNumericalGradient(computeNumericalGradient):
    """Self-check of notebook 06: computeNumericalGradient(N, X, y, epsilon) must return the
    centered slope of the cost along every weight, nudging one weight at a time, and leave N's
    weights as they were, also when the cost raises midway. Recognises zeros, one-sided
    differences, dividing by epsilon, a sign slip, weights not put back (also on an error), an
    error swallowed, perturb not reset, an epsilon ignored, and backprop passed off as the
    numerical gradient."""
    needCallable(computeNumericalGradient, "computeNumericalGradient")
    N = network(cls=Recorder)
    weights = N.getParams()
    numgrad = asVector(attempt(computeNumericalGradient, N, X, y, epsilon=1e-4),
                       "computeNumericalGradient")
    if numgrad.size != weights.size:
        raise NotYet(f"it returned {numgrad.size} numbers: return one slope per weight, a vector "
                     f"like N.getParams() ({weights.size} numbers)")
    hint = nudgeHint(N, weights, 1e-4) or slopeHint(N, numgrad, costsAround(1e-4), 1e-4)
    if hint:
        raise NotYet(hint)
    if not np.array_equal(N.getParams(), weights):
        raise NotYet("the network was left with nudged weights: once the loop is done, put the "
                     "original weights back with N.setParams")

    N = network(cls=Recorder)
    wider = asVector(attempt(computeNumericalGradient, N, X, y, epsilon=1e-2),
                     "computeNumericalGradient")
    if wider.shape != weights.shape or slopeHint(N, wider, costsAround(1e-2), 1e-2):
        if wider.shape == weights.shape and np.allclose(wider, N.computeGradients(X, y),
                                                        rtol=1e-12, atol=0):
            raise NotYet("these are backprop's numbers (computeGradients): the numerical "
                         "gradient must only evaluate the cost, N.costFunction")
        raise NotYet("with epsilon = 1e-2 the slopes are not the centered difference at that "
                     "step: use the epsilon your function is given")

    flaky = network(cls=FlakyCost)
    weights = flaky.getParams()
    try:
        computeNumericalGradient(flaky, X, y, epsilon=1e-4)
    except CostFailure:
        if not np.array_equal(flaky.getParams(), weights):
            raise NotYet(f"when the cost raised an error midway (on its call {FAILING_CALL}), "
                         f"the weights were left nudged: put them back in a finally: block, "
                         f"which runs on errors too") from None
    except Exception as error:  # the learner's code may raise anything: say what, not crash
        raise NotYet(f"on a network whose cost fails on call {FAILING_CALL}, your function "
                     f"raised {describe(error)} instead of letting that error through") from None
    else:
        raise NotYet(f"a network's cost raised an error on its call {FAILING_CALL} and your "
                     f"function carried on: let the error reach the caller")
    return ("every slope is the centered difference (at epsilon 1e-4 and 1e-2), one weight "
            "nudged at a time, and the weights are put back, also when the cost raises midway.")


# --- notebook 08: the norm ratio and a broken backprop ----------------------------------------

# Three pairs of gradients: far apart with different norms (it tells the formulas apart), close
# together (a typical check), and the first pair times 1000 (the ratio must not move).
GRAD = np.array([0.3, -1.2, 0.5, 2.0, -0.7, 0.1, 1.1, -0.4, 0.9])
FAR = np.array([0.1, 0.4, -0.2, 1.5, 0.3, 0.6, -0.5, 0.2, 0.1])
CLOSE = GRAD * (1 + 1e-3 * np.array([1, -2, 3, -1, 2, -3, 1, 2, -1]))
RATIO_PAIRS = ((GRAD, FAR), (GRAD, CLOSE), (1000 * GRAD, 1000 * FAR))


def ratioMistakes(grad, numgrad):
    """The typical wrong ratios for one pair of gradients, each with its hint."""
    norm = np.linalg.norm
    difference, total = norm(grad - numgrad), norm(grad + numgrad)
    return [
        (difference, "that is the norm of the difference alone: scale both gradients by 1000 "
         "and it grows 1000 times; divide it by the norm of their sum"),
        (difference / norm(grad), "it divides by the norm of grad alone: divide by the norm "
         "of the sum, norm(grad + numgrad)"),
        (difference / norm(numgrad), "it divides by the norm of numgrad alone: divide by the "
         "norm of the sum, norm(grad + numgrad)"),
        (difference / (norm(grad) + norm(numgrad)), "it divides by norm(grad) + norm(numgrad): "
         "divide by the norm of the sum, norm(grad + numgrad)"),
        ((difference / total) ** 2, "that is the ratio squared: np.linalg.norm already takes "
         "the square root of the sum of squares"),
        (total / difference, "the ratio is upside down: the difference goes on top, the sum "
         "below"),
        (np.sum(np.abs(grad - numgrad)) / np.sum(np.abs(grad + numgrad)), "it sums absolute "
         "values: take the Euclidean length of each vector, np.linalg.norm"),
    ]


@asSelfCheck
def checkRelativeError(relativeError):
    """Self-check of notebook 08: relativeError(grad, numgrad) must return the one number
    norm(grad - numgrad) / norm(grad + numgrad). Recognises the unscaled norm of the
    difference, dividing by the norm of one gradient or by the sum of the norms, the square
    of the ratio, the ratio upside down, sums of absolute values, one number per weight, and
    the stub's 0."""
    needCallable(relativeError, "relativeError")
    for grad, numgrad in RATIO_PAIRS:
        value = attempt(relativeError, grad.copy(), numgrad.copy())
        if np.size(value) == grad.size and np.size(value) > 1:
            raise NotYet("it returned one number per weight: the ratio is one number, the "
                         "length (np.linalg.norm) of one vector over that of the other")
        value = asNumber(value, "relativeError")
        expected = np.linalg.norm(grad - numgrad) / np.linalg.norm(grad + numgrad)
        if abs(value - expected) <= 1e-9 * expected:
            continue
        if value == 0:
            raise NotYet("it gives 0 for two gradients that differ, the stub's placeholder: "
                         "compute the ratio of the two norms")
        for mistake, hint in ratioMistakes(grad, numgrad):
            if abs(value - mistake) <= 1e-9 * mistake:
                raise NotYet(hint)
        raise NotYet(f"for two gradients whose ratio is {expected:.4f} it gives {value:.4f}: "
                     f"divide norm(grad - numgrad) by norm(grad + numgrad)")
    return ("relativeError gives norm(grad - numgrad) / norm(grad + numgrad), and the same "
            "number for both gradients times 1000.")


CLASSIC_BUGS = {  # notebook 08's four classic mistakes: the gallery's networks that make them
    "no sigmoidPrime in delta2": ForgetfulNetwork,
    "sigmoid instead of sigmoidPrime": GALLERY["ActivationForDerivative"],
    "lost minus sign": GALLERY["FlippedSign"],
    "factor 2": GALLERY["ForgotTheHalf"],
}


def BuggyNetwork(bug):
    """A new network whose backprop makes the mistake named by ``bug``, a key of CLASSIC_BUGS
    (anything else: the correct network), drawn from numpy's global random state like
    Neural_Network() (notebook 08)."""
    return CLASSIC_BUGS.get(bug, Neural_Network)()


class OutputSlopeInDelta2(Neural_Network):
    """Takes the output layer's derivative, at z3, where delta2 needs the hidden layer's."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z3)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


# Wrong fixes of delta2's derivative factor, each with its hint (an exercise leaves out its own
# bug: the unchanged stub gets the pattern of its wrong weights as its hint, not the answer).
WRONG_FACTORS = (
    (ForgetfulNetwork, "delta2 has no derivative factor: by the chain rule it needs the hidden "
     "layer's sigmoidPrime"),
    (GALLERY["ActivationForDerivative"], "sigmoid(z2) is the hidden layer's activation, not "
     "its derivative: use sigmoidPrime"),
    (GALLERY["DerivativeOfTheOutput"], "sigmoidPrime(a2) is the derivative taken at the "
     "hidden layer's output: take it at its input, z2"),
    (GALLERY["ReluDerivative"], "(z2 > 0) is a ReLU's derivative: this network's hidden layer "
     "is a sigmoid"),
    (OutputSlopeInDelta2, "sigmoidPrime(z3) is the output layer's derivative: delta2 needs the "
     "hidden layer's, at z2"),
)


def backpropVerdict(cls, name, bug):
    """A fixed backprop's verdict: the success message, or NotYet with a hint. ``bug`` is the
    class of the exercise's own bug, left out of the hints about wrong fixes."""
    if not isinstance(cls, type):
        raise NotYet(f"{name} should be a class (class {name}(Neural_Network): ...); got "
                     f"{type(cls).__name__}")
    with seeded(0):
        check = attempt(lambda: checkGradient(cls(), X, y), what="your class")
    if check.passed:
        return (f"all {len(check.grad)} weights agree with the numerical gradient (relative "
                f"error {check.relativeError:.1e}).")
    for wrongFix, hint in WRONG_FACTORS:
        if wrongFix is not bug and np.allclose(check.grad, network(cls=wrongFix)
                                               .computeGradients(X, y), rtol=1e-10, atol=0):
            raise NotYet(hint)
    wrong = [weight for weight in check.names if weight in check.wrongWeights]
    if not wrong:
        raise NotYet(f"the check is {check.status}" + (f": {check.reasons[0]}"
                                                         if check.reasons else ""))
    listed = f"{len(wrong)} of {len(check.grad)} weights are still wrong ({', '.join(wrong)})"
    if any(weight.startswith("W2") for weight in wrong):
        raise NotYet(f"{listed}: W2's weights were right before, so put delta3 and dJdW2 back "
                     f"as they were")
    raise NotYet(f"{listed}, all in W1: W2 is right, so delta3 is right; the bug is on the way "
                 f"from delta3 back to dJdW1")


@asSelfCheck
def checkFixedNetwork(cls):
    """Self-check of notebook 08: checkGradient on ``cls`` (ExerciseNetwork, whose delta2
    lacks its derivative factor) from the seeded starting weights must pass. Recognises the
    wrong factors sigmoid(z2), sigmoidPrime(a2), sigmoidPrime(z3) and (z2 > 0), and a fix that
    breaks W2."""
    return backpropVerdict(cls, "ExerciseNetwork", ForgetfulNetwork)


@asSelfCheck
def checkMysteryNetwork(cls):
    """Self-check of notebook 11: checkGradient on ``cls`` (MysteryNetwork) from the seeded
    starting weights must pass. Recognises the wrong fixes of delta2's factor (none, sigmoid,
    at a2, a ReLU's) and a fix that breaks W2."""
    return backpropVerdict(cls, "MysteryNetwork", OutputSlopeInDelta2)


# --- notebook 09: a step for float32 ----------------------------------------------------------

TARGET = 1e-4  # the relative error the float32 step must keep the slope of exp(x) at 1 under


def modeledError(epsilon):
    """The error model's relative error (truncation + round-off) of the centered slope of
    exp(x) at x = 1 in float32 with step epsilon (epsilonLab.errorModel)."""
    truncation, roundoff = errorModel("exp", [epsilon], "centered", "float32")
    return float(truncation[0] + roundoff[0])


def float32Band(target=TARGET):
    """(smallest, largest) epsilon where the modeled error of exp's float32 centered slope at 1
    is below ``target``: the bottom of the U, where any step is good whatever its luck."""
    best = bestEpsilon("exp", "centered", "float32")
    edges = []
    for inside, outside in [(best, best * 1e-6), (best, best * 1e6)]:
        for _ in range(60):  # bisect in log space: each step halves the interval's log width
            middle = np.sqrt(inside * outside)
            inside, outside = (middle, outside) if modeledError(middle) < target \
                else (inside, middle)
        edges.append(inside)
    return edges[0], edges[1]


@asSelfCheck
def checkFloat32Epsilon(epsilon):
    """Self-check of notebook 09: the step ``epsilon`` must lie where the error model (not a
    single measured slope, which a lucky rounding can bring close) keeps the relative error of
    the float32 centered slope of exp(x) at 1 below 1e-4. Says which side of the U a step that
    misses is on."""
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float, np.integer, np.floating)):
        raise NotYet(f"myEpsilon should be a number such as 1e-3; got {type(epsilon).__name__}")
    if not (np.isfinite(epsilon) and epsilon > 0):
        raise NotYet(f"myEpsilon should be a positive step such as 1e-3; got {epsilon!r}")
    try:
        error = modeledError(epsilon)
    except ValueError:  # the step does not fit in float32: it rounds to 0 or to infinity
        side = "rounds to 0 in float32: take a larger" if epsilon < 1 else \
            "is too large for float32: take a smaller"
        raise NotYet(f"epsilon = {epsilon:.1e} {side} step") from None
    low, high = float32Band()
    if error < TARGET:
        return (f"epsilon = {epsilon:.1e} lies in the band from {low:.1e} to {high:.1e} where "
                f"the modeled float32 error stays below 1e-4 (here {error:.1e}).")
    if epsilon < bestEpsilon("exp", "centered", "float32"):
        raise NotYet(f"at epsilon = {epsilon:.1e} the modeled error is {error:.1e}, above 1e-4: "
                     f"round-off rules on this side of the float32 U, where one slope can come "
                     f"out close by luck; take a larger step")
    raise NotYet(f"at epsilon = {epsilon:.1e} the modeled error is {error:.1e}, above 1e-4: "
                 f"truncation rules on this side of the float32 U; take a smaller step")
