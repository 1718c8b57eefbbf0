"""The self-checks of the course's exercises, one per exercise (course.exercises declares them).

A self-check tries what the learner wrote on seeded inputs (bugGallery's fixtures) and answers
"correct: ..." or "not yet: <the hint of the typical mistake it recognised>"; it never raises and
leaves numpy's global random state be. ``recognised`` turns a table of typical mistakes into
their hints, for every check.
"""

import contextlib
import functools
import io
import math
import re

import numpy as np

from checker import gradientReport
from checker.judge import CLASSIC_TOLERANCE, compareGradients
from checker.validation import asFloat
from course import bugGallery
from course.epsilonLab import bestEpsilon, errorModel, forwardNumericalGradient
from course.modelAnswers import MODELS
from partFive import Neural_Network, X, checkGradient, loopNumericalGradient, paramName, y

__all__ = ["checkCenteredDifference", "checkGetParams", "checkSetParams",
           "checkNumericalGradient", "checkRelativeError", "checkFixedNetwork",
           "checkGradientCheck", "checkFloat32Epsilon", "checkMysteryNetwork",
           "checkBiasGradients", "wrapped", "describe", "nameOf"]

SIZES = ((2, 3, 1), (3, 4, 2))  # the tutorial's network, and one of other sizes
UNBROKEN = re.compile(r"\[[^\]]*\]|\w+\([^()]{0,24}\)")  # W1[0, 2], f(x + epsilon): one line
FAILING_CALL = bugGallery.FAILING_CALL  # the call on which the flaky network's cost raises


class NotYet(Exception):
    """Raised inside a check with the hint it answers: "not yet: <hint>"."""


def wrapped(text):
    """``text`` as a check answers: lines of at most gradientReport.TEXT_WIDTH characters, the
    rest indented two spaces, never broken inside an index or a short call (W1[0, 2], f(x +
    epsilon)); text already wrapped (a check's answer quoted) is joined into one line first."""
    text = UNBROKEN.sub(lambda span: span.group().replace(" ", "\xa0"), " ".join(text.split()))
    return gradientReport.wrapped(text, "", "  ").replace("\xa0", " ")


def asSelfCheck(function=None):
    """A check (candidate in; a success message out, or NotYet) as a wrapped self-check; the
    candidate must be a function when the exercise's is (``function``: its name)."""
    def decorate(check):
        @functools.wraps(check)
        def answer(candidate):
            try:
                if function and not callable(candidate):
                    raise NotYet(f"{function} should be a function; got {type(candidate).__name__}")
                text = f"correct: {check(candidate)}"
            except NotYet as hint:
                text = f"not yet: {hint}"
            except Exception as error:  # e.g. a network the learner's code left unreadable
                text = f"not yet: your answer could not be checked: {describe(error)}"
            return wrapped(text)
        return answer
    return decorate


def recognised(mistakes, value=None, tolerance=0.0):
    """The hint of the first typical mistake that applies, else None: a pair (condition, hint)
    applies when the condition is True, a pair (wrong value, hint) when ``value`` has its shape
    and is within ``tolerance`` of it, relatively and by norm (0: equal)."""
    for wrong, hint in mistakes:
        if isinstance(wrong, (bool, np.bool_)):
            if wrong:
                return hint
        elif np.shape(value) == np.shape(wrong) and closeTo(value, wrong, tolerance):
            return hint
    return None


def refuse(hint):
    """Raise NotYet(hint), unless ``hint`` is falsy (None, False: no mistake found)."""
    if hint:
        raise NotYet(hint)


def closeTo(candidate, reference, tolerance):
    """True when norm(candidate - reference) <= tolerance * norm(reference)."""
    return np.linalg.norm(candidate - reference) <= tolerance * np.linalg.norm(reference)


def describe(error):
    """An exception as short, machine-independent text: "ValueError: <first line>"."""
    lines = str(error).strip().splitlines()
    text = re.sub(r"0x[0-9a-fA-F]+", "0x...", lines[0]) if lines else ""
    text = text if len(text) <= 70 else text[:67] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def attempt(function, *args, what="your function", **options):
    """function(*args, **options); NotYet saying what it raised, or that it lacks epsilon."""
    try:
        return function(*args, **options)
    except Exception as error:  # the learner's code may raise anything: say what, not crash
        if isinstance(error, TypeError) and "argument 'epsilon'" in str(error):
            raise NotYet("give your function the parameter epsilon=1e-4, as the stub has it, "
                         "and take its step from that parameter") from None
        raise NotYet(f"{what} raised {describe(error)}") from None


def nameOf(candidate, default="it"):
    """The name a candidate was defined with: a message says whose function it checked."""
    return getattr(candidate, "__name__", default)


@contextlib.contextmanager
def seeded():
    """Run the block with numpy's global generator seeded with 0; then put its old state back."""
    state = np.random.get_state()
    np.random.seed(0)
    try:
        yield
    finally:
        np.random.set_state(state)


def handed(*arrays):
    """Copies of arrays for the learner's code, which may change what it is handed: the originals
    (the course's X and y, which every notebook imports; a network's deltas) stay as they are."""
    return [array.copy() for array in arrays]


def refuseChanged(copies, originals, what, data="X or y",
                  why="leave the data it is handed as it is, and compute new arrays instead"):
    """NotYet when the learner's code changed the arrays it was handed (``copies``) in place."""
    refuse(not all(np.array_equal(mine, theirs) for mine, theirs in zip(copies, originals))
           and f"{what} changed {data} in place: {why}")


def network(sizes=SIZES[0], cls=Neural_Network):
    """A seeded network of the given layer sizes (the tutorial's 2-3-1 by default)."""
    with seeded():
        return cls(*sizes)


@contextlib.contextmanager
def otherSizes(first, sizes, advice, right="the 2-3-1 network", more=""):
    """NotYet: unless the network is the ``first`` tried, "right for <right>, but for a <sizes>
    one: <hint>. <advice>"."""
    try:
        yield
    except NotYet as hint:
        if first:
            raise
        raise NotYet(f"right for {right}, but for a {'-'.join(map(str, sizes))} one{more}: "
                     f"{hint}. {advice}") from None


def returned(value, what, advice=""):
    """NotYet when the learner's function returned None (``advice``: what it should return)."""
    if value is None:
        raise NotYet(f"{what} returned None: is its return statement missing?{advice}")


def refuseLowPrecision(value, what):
    """NotYet when ``value`` holds float32 or float16 numbers: the checks compare ten digits."""
    dtype = getattr(value, "dtype", None)
    refuse(dtype is not None and dtype.kind == "f" and dtype.itemsize < 8
           and f"{what} came back as {dtype}, which keeps only a few digits: compute in "
               f"float64, numpy's default, so that all of them can be checked")


def asNumber(value, what):
    """``value`` as one finite float; NotYet saying what came back otherwise."""
    returned(value, what)
    refuseLowPrecision(value, what)
    array = np.asarray(value) if not isinstance(value, (str, bytes)) else np.asarray(None)
    refuse(recognised([
        (array.dtype.kind not in "iuf", f"{what} returned {type(value).__name__}, not a number"),
        (array.size != 1, f"{what} returned {array.size} numbers: it should return one")]))
    number = float(array.ravel()[0])
    refuse(not np.isfinite(number) and f"{what} returned {number}, not a finite number")
    return number


def asVector(value, what):
    """``value`` as a 1-D float array; NotYet saying what came back otherwise."""
    returned(value, what)
    refuseLowPrecision(value, what)
    if isinstance(value, (list, tuple)) and any(np.ndim(item) > 0 for item in value):
        raise NotYet(f"{what} returned a {type(value).__name__} of {len(value)} arrays: "
                     f"join them into one 1-D vector (np.concatenate)")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotYet(f"{what} returned {type(value).__name__}, not numbers") from None
    refuse(array.ndim != 1 and f"{what} returned an array of shape {array.shape}: make it one "
                               f"1-D vector (ravel)")
    return array


SLOPE_HINTS = {  # (notebook 04's hint, notebook 06's)
    "forward": ("that is the one-sided (forward) difference of notebook 03, (f(x + epsilon) - "
                "f(x)) / epsilon: step to both sides of x instead",
                "that is a one-sided (forward) difference, (J(w + epsilon e_p) - J(w)) / "
                "epsilon: take the cost a step below as well, and divide by 2 * epsilon"),
    "backward": ("that is a one-sided (backward) difference, from x - epsilon to x: step to both "
                 "sides of x",
                 "that is a one-sided (backward) difference: take the cost a step above and a "
                 "step below, and divide by 2 * epsilon"),
    "twice": ("twice the slope: f(x + epsilon) and f(x - epsilon) are 2 epsilon apart, so divide "
              "by 2 * epsilon",
              "every slope is twice the centered difference: the two costs are 2 epsilon apart, "
              "so divide by 2 * epsilon"),
    "flipped": ("the sign is flipped: subtract f(x - epsilon) from f(x + epsilon), in that order",
                "every slope has the wrong sign: subtract the cost below from the cost above"),
    "times epsilon": ("epsilon multiplies instead of dividing: Python reads a / 2 * epsilon as "
                      "(a / 2) * epsilon; write a / (2 * epsilon)",
                      "epsilon multiplies instead of dividing: write / (2 * epsilon), with the "
                      "brackets"),
}


def slopeMistakes(centered, forward, epsilon, notebook):
    """(wrong slope, hint) for each of SLOPE_HINTS, in notebook 04's words (0) or 06's (1),
    from the centered and the forward difference at step ``epsilon``."""
    wrong = {"forward": forward, "backward": 2 * centered - forward,  # (f(x) - f(x - h)) / h
             "twice": 2 * centered, "flipped": -centered,
             "times epsilon": centered * epsilon**2}  # (f(x + h) - f(x - h)) / 2 * h
    return [(wrong[mistake], hints[notebook]) for mistake, hints in SLOPE_HINTS.items()]


@asSelfCheck("centeredDifference")
def checkCenteredDifference(centeredDifference):
    """Notebook 04: centeredDifference(f, x, epsilon), for each of bugGallery.SLOPE_PROBES."""
    slopes = []
    for f, name, x, h, derivative in bugGallery.SLOPE_PROBES:
        value = asNumber(attempt(centeredDifference, f, x, h), "centeredDifference")
        expected = (f(x + h) - f(x - h)) / (2 * h)
        slopes.append(value)
        if closeTo(value, expected, 1e-9):
            continue
        epsilon = f"{h:.0e}".replace("e-0", "e-")  # as the notebooks write it: 0.1 as 1e-1
        where = f"for f(x) = {name} at x = {x} with epsilon = {epsilon}"
        lostSign = [(abs(expected), "the slope lost its sign: a slope can be negative (sin "
                                    "falls at x = 2), so leave out abs")] if expected < 0 else []
        hint = recognised([*lostSign, *slopeMistakes(expected, (f(x + h) - f(x)) / h, h, 0),
                           (2 * x, "that is 2x, the exact slope of x**2 only: take the "
                                   "difference of f's values, so that it works for any f")],
                          value, 1e-9)
        refuse(hint and f"{where}, {hint}")
        if abs(value - derivative(x)) < abs(expected - derivative(x)) / 10:
            raise NotYet(f"{where} your slope is closer to the exact one than a centered "
                         f"difference with that step can be: take the step epsilon your "
                         f"function is given")
        raise NotYet(f"{where} your function gives {value:.6f}; the centered difference is "
                     f"{expected:.6f}")
    return (f"{nameOf(centeredDifference)}(f, 1.5, 1e-4) gives {slopes[0]:.10f} for f(x) = "
            f"x**2 (2x = 3), and it is the centered difference of x**3 and sin(x) too.")


def refuseVector(N, vector):
    """NotYet: why the 1-D ``vector`` is not N.getParams()."""
    W1, W2, expected = N.W1.ravel(), N.W2.ravel(), N.getParams()
    columns = ("W1 is read column by column (as W1.T.ravel() does): read it row by row, as "
               "W1.ravel() does")
    refuse(recognised([
        (W1, f"only W1's {W1.size} weights: W2's belong in the vector too"),
        (W2, f"only W2's {W2.size} weights: W1's belong in the vector too"),
        (np.concatenate((W2, W1)), f"W2's weights come first: W1's {W1.size} go first, then "
                                   f"W2's {W2.size}"),
        (np.concatenate((N.W1.T.ravel(), N.W2.T.ravel())), columns),
        (np.concatenate((N.W1.T.ravel(), W2)), columns),
        (vector.size != expected.size, f"{vector.size} numbers instead of the network's "
         f"{expected.size} weights ({W1.size} in W1, then {W2.size} in W2)"),
        (not np.any(vector), "every entry is 0, the stub's placeholder: fill the vector with "
                             "N.W1's and N.W2's weights")], vector))
    p = int(np.flatnonzero(vector != expected)[0])
    found = np.flatnonzero(expected == vector[p])
    refuse(found.size and f"entry {p} holds {paramName(N, int(found[0]))} but should hold "
                          f"{paramName(N, p)}: W1 row by row, then W2")
    raise NotYet(f"entry {p} should be {paramName(N, p)}, but holds a number that is no weight "
                 f"of N")


@asSelfCheck("getParams")
def checkGetParams(getParams):
    """Notebook 05: getParams(N), N.getParams() as an array, for both SIZES; no weight changed."""
    for sizes in SIZES:
        N = network(sizes)
        W1, W2 = N.W1.copy(), N.W2.copy()
        with otherSizes(sizes == SIZES[0], sizes,
                        "Let N's own matrices give the sizes, rather than 2, 3 and 1"):
            answer = attempt(getParams, N)
            vector = asVector(answer, "getParams(N)")
            if not (np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2)):
                raise NotYet("getParams changed the network's weights: it should only read "
                             "N.W1 and N.W2")
            if not np.array_equal(vector, N.getParams()):
                refuseVector(N, vector)
            if not isinstance(answer, np.ndarray):
                raise NotYet(f"the right numbers, but in a {type(answer).__name__}: return a "
                             f"numpy array (np.concatenate gives one), so that "
                             f"paramsInitial.shape and paramsInitial + perturb work as in the "
                             f"tutorial's loop")
    return (f"{nameOf(getParams)}(N) gives W1's weights row by row, then W2's, for a 2-3-1 "
            f"and a 3-4-2 network.")


def refuseWeights(N, expected, old, answer):
    """NotYet: why N.W1 and N.W2 are not ``expected``'s, set by the course's setParams from the
    same vector (``old``: N's weights before; ``answer``: what setParams returned)."""
    try:
        W = {name: np.asarray(getattr(N, name), dtype=float) for name in old}
    except (AttributeError, TypeError, ValueError):
        raise NotYet("N.W1 and N.W2 must be arrays of numbers after setParams") from None
    params, n1 = expected.getParams(), expected.W1.size
    kept = all(np.array_equal(W[name], old[name]) for name in W)
    refuse(recognised([
        (kept and answer is not None, "setParams returned something but left N's weights as "
                                      "they were: assign the new matrices to N.W1 and N.W2"),
        (kept, "the network kept its old weights: store the vector's numbers in N.W1 and N.W2"),
        (np.array_equal(W["W1"].ravel(), params[-n1:])
         and np.array_equal(W["W2"].ravel(), params[:-n1]), f"the two slices are swapped: the "
         f"first {n1} numbers are W1's, the last {params.size - n1} W2's")]))
    for name, which in [("W1", "first"), ("W2", "last")]:
        mine, right = W[name], getattr(expected, name)
        if mine.shape == right.shape and np.array_equal(mine, right):
            continue
        raise NotYet(recognised([
            (mine.shape != right.shape and np.array_equal(mine.ravel(), right.ravel()),
             f"N.{name} has shape {mine.shape}: reshape its {right.size} numbers to {name}'s "
             f"shape {right.shape}"),
            (mine.shape != right.shape, f"N.{name} has shape {mine.shape}; it must keep "
                                        f"{name}'s shape {right.shape}"),
            (right.ravel().reshape(right.shape, order="F"), f"N.{name} is filled column by "
             f"column: fill it row by row, as reshape does by default and as getParams reads it")],
            mine) or (f"N.{name} should hold the {which} {right.size} numbers of the vector, as "
                      f"a {right.shape[0]} x {right.shape[1]} matrix filled row by row"))
    raise NotYet("N.W1 and N.W2 are not the vector's numbers laid out as getParams reads them")


@asSelfCheck("setParams")
def checkSetParams(setParams):
    """Notebook 05: setParams(N, params) sets W1 and W2 as the course's does, for both SIZES."""
    for sizes in SIZES:
        N, expected = network(sizes), network(sizes)
        old = {"W1": N.W1.copy(), "W2": N.W2.copy()}
        params = np.arange(1.0, N.W1.size + N.W2.size + 1) / 10  # 0.1, 0.2, ...: easy to trace
        expected.setParams(params)
        with otherSizes(sizes == SIZES[0], sizes, "Let N's layer sizes (N.inputLayerSize, ...) "
                        "give the shapes, rather than 2, 3 and 1"):
            answer = attempt(setParams, N, params.copy())
            if not all(np.shape(getattr(N, name, None)) == getattr(expected, name).shape
                       and np.array_equal(getattr(N, name), getattr(expected, name))
                       for name in old):
                refuseWeights(N, expected, old, answer)
    return (f"{nameOf(setParams)}(N, params) puts the first numbers into W1, row by row, and "
            f"the rest into W2, for a 2-3-1 and a 3-4-2 network.")


STEPPING_BACK = ("in floating point, adding epsilon and taking it away again does not always "
                 "give back the very same number")


def refuseDrift(N, weights, epsilon):
    """NotYet when N's weights came back a rounding error off ``weights`` (stepped back)."""
    off = np.abs(N.getParams() - weights)
    drifted = np.flatnonzero((off > 0) & (off < epsilon / 1000))
    if drifted.size:
        p = int(drifted[0])
        raise NotYet(f"after its turn, weight {paramName(N, p)} came back {off[p]:.1e} off: "
                     f"{STEPPING_BACK}. Put each weight back from a saved copy (paramsInitial) "
                     f"instead")


def refuseNudges(N, weights, epsilon):
    """NotYet when a vector handed to N.setParams (a Recorder) moves more than one weight."""
    for params in N.handed:
        moved = np.flatnonzero(np.abs(params - weights) >= epsilon / 1000) \
            if np.shape(params) == weights.shape else []
        refuse(len(moved) > 1 and (recognised([
            (np.count_nonzero(params) == 1, "setParams was handed the step alone: hand it the "
                                            "weights plus the step, paramsInitial + perturb"),
            (np.allclose(np.abs(params[moved] - weights[moved]), epsilon, rtol=1e-6),
             f"{len(moved)} weights were nudged at once: set perturb[p] back to 0 once weight p "
             f"is done, so each step moves one weight")]) or (
            f"setParams was handed a vector that moves {len(moved)} weights at once: nudge one "
            f"weight at a time, by epsilon")))


def refuseSlopes(N, numgrad):
    """NotYet: why ``numgrad`` is not partFive's loop's centered difference at epsilon 1e-4."""
    centered = loopNumericalGradient(network(), X, y, 1e-4)
    if closeTo(numgrad, centered, 1e-8):
        return
    forward = forwardNumericalGradient(network(), X, y, epsilon=1e-4)
    p = int(np.argmax(np.abs(numgrad - centered)))
    raise NotYet(recognised([
        (not np.any(numgrad), "every slope is 0, the stub's placeholder: for each weight p, take "
                              "the cost a step above and a step below, and store their centered "
                              "slope in numgrad[p]"),
        *slopeMistakes(centered, forward, 1e-4, 1)], numgrad, 1e-6) or (
        f"the slope for {paramName(N, p)} is {numgrad[p]:+.4e}; the centered difference gives "
        f"{centered[p]:+.4e}"))


def restoredAfterError(computeNumericalGradient):
    """Whether the weights come back when the cost raises midway; NotYet if the error is lost."""
    flaky = network(cls=bugGallery.FlakyCost)
    weights = flaky.getParams()
    try:
        computeNumericalGradient(flaky, *handed(X, y), epsilon=1e-4)
    except bugGallery.CostFailure:
        return np.array_equal(flaky.getParams(), weights)
    except Exception as error:  # the learner's code may raise anything: say what, not crash
        raise NotYet(f"on a network whose cost fails on call {FAILING_CALL}, your function "
                     f"raised {describe(error)} instead of letting that error through") from None
    raise NotYet(f"a network's cost raised an error on its call {FAILING_CALL} and your "
                 f"function carried on: let the error reach the caller")


@asSelfCheck("computeNumericalGradient")
def checkNumericalGradient(computeNumericalGradient):
    """Notebook 06: computeNumericalGradient(N, X, y, epsilon), centered slopes at the epsilon
    given, one weight nudged at a time, the weights put back (better: in a finally: block)."""
    N = network(cls=bugGallery.Recorder)
    weights, data = N.getParams(), handed(X, y)
    numgrad = asVector(attempt(computeNumericalGradient, N, *data, epsilon=1e-4),
                       "computeNumericalGradient")
    refuseChanged(data, (X, y), "computeNumericalGradient")
    refuse(numgrad.size != weights.size and f"it returned {numgrad.size} numbers: return one "
           f"slope per weight, a vector like N.getParams() ({weights.size} numbers)")
    refuseNudges(N, weights, 1e-4)
    refuseSlopes(N, numgrad)
    if not np.array_equal(N.getParams(), weights):
        refuseDrift(N, weights, 1e-4)
        raise NotYet("the network was left with nudged weights: once the loop is done, put the "
                     "original weights back, N.setParams(paramsInitial)")
    N, other = network(cls=bugGallery.Recorder), (X / 2, y)  # other data: its own are used
    wider = asVector(attempt(computeNumericalGradient, N, *handed(*other), epsilon=1e-2),
                     "computeNumericalGradient")
    if wider.shape != weights.shape \
            or not closeTo(wider, loopNumericalGradient(network(), *other, 1e-2), 1e-8):
        if wider.shape == weights.shape and np.allclose(wider, N.computeGradients(*other),
                                                        rtol=1e-12, atol=0):
            raise NotYet("these are backprop's numbers (computeGradients): the numerical "
                         "gradient must only evaluate the cost, N.costFunction")
        refuse(wider.shape == weights.shape
               and closeTo(wider, loopNumericalGradient(network(), X, y, 1e-2), 1e-8)
               and "with other data handed over, it gives the slopes of the notebook's X and y: "
                   "compute the cost with the X and y your function is given")
        raise NotYet("with epsilon = 1e-2 the slopes are not the centered difference at that "
                     "step: use the epsilon your function is given")
    refuseNudges(N, weights, 1e-2)
    refuseDrift(N, weights, 1e-2)
    slopes = (f"{nameOf(computeNumericalGradient)} gives every slope as the centered difference "
              f"(at epsilon 1e-4 and 1e-2), one weight nudged at a time")
    if restoredAfterError(computeNumericalGradient):
        return (f"{slopes}, and the weights come back even when the cost raises midway (the "
                f"finally: way).")
    return (f"{slopes}, and the weights are put back after the loop, the tutorial's way. Better "
            f"still, put back a saved copy (paramsInitial) in a finally: block: when the cost "
            f"raised an error midway (on its call {FAILING_CALL}), the weights stayed nudged.")


def ratios(grad, numgrad):
    """The valid norm ratios: {"tutorial": compareGradients, "variant": deeplearning.ai's}."""
    norm = np.linalg.norm
    return {"tutorial": compareGradients(grad, numgrad),
            "variant": norm(grad - numgrad) / (norm(grad) + norm(numgrad))}


def ratioMistakes(grad, numgrad):
    """(wrong ratio, hint) for the typical mistakes, for one pair of gradients."""
    norm = np.linalg.norm
    difference, total = norm(grad - numgrad), norm(grad + numgrad)
    return [
        (difference, "that is the norm of the difference alone: scale both gradients by 1000 "
         "and it grows 1000 times; divide it by the norm of their sum"),
        (difference / norm(grad), "it divides by the norm of grad alone: divide by the norm "
         "of the sum, norm(grad + numgrad)"),
        (difference / norm(numgrad), "it divides by the norm of numgrad alone: divide by the "
         "norm of the sum, norm(grad + numgrad)"),
        (difference / norm(grad) + norm(numgrad), "Python divides before it adds: "
         "a / b + c is (a / b) + c; put the whole denominator in brackets"),
        (abs(norm(grad) - norm(numgrad)) / total, "that is the difference of the two lengths: "
         "take the length of the difference, norm(grad - numgrad)"),
        (norm((grad - numgrad) / (grad + numgrad)), "it divides entry by entry, then takes the "
         "length: take the two lengths first, then divide one by the other"),
        ((difference / total) ** 2, "that is the ratio squared: np.linalg.norm already takes "
         "the square root of the sum of squares"),
        (total / difference, "the ratio is upside down: the difference goes on top, the sum "
         "below"),
        (np.sum(np.abs(grad - numgrad)) / np.sum(np.abs(grad + numgrad)), "it sums absolute "
         "values: take the Euclidean length of each vector, np.linalg.norm"),
    ]


@asSelfCheck("relativeError")
def checkRelativeError(relativeError):
    """Notebook 08: relativeError(grad, numgrad), one of ``ratios``, for bugGallery.RATIO_PAIRS."""
    formulas = set()
    for grad, numgrad in bugGallery.RATIO_PAIRS:
        value = attempt(relativeError, grad.copy(), numgrad.copy())
        if np.size(value) == grad.size and np.size(value) > 1:
            raise NotYet("it returned one number per weight: the ratio is one number, the "
                         "length (np.linalg.norm) of one vector over that of the other")
        value = asNumber(value, "relativeError")
        valid = ratios(grad, numgrad)
        formula = recognised([(ratio, name) for name, ratio in valid.items()], value, 1e-9)
        refuse(not formula and recognised([
            (value == 0, "it gives 0 for two gradients that differ, the stub's placeholder: "
                         "compute the ratio of the two norms"),
            *ratioMistakes(grad, numgrad),
            (True, f"for two gradients whose ratio is {valid['tutorial']:.4f} it gives "
                   f"{value:.4f}: divide norm(grad - numgrad) by norm(grad + numgrad)")],
            value, 1e-9))
        formulas.add(formula)
    if formulas == {"variant"}:
        return (f"{nameOf(relativeError)} divides norm(grad - numgrad) by norm(grad) + "
                f"norm(numgrad), deeplearning.ai's variant of the tutorial's ratio, a valid one: "
                f"it never exceeds 1, and where two gradients nearly agree it gives the "
                f"tutorial's number. It gives the same number for both gradients times 1000.")
    return (f"{nameOf(relativeError)} gives norm(grad - numgrad) / norm(grad + numgrad), and "
            f"the same number for both gradients times 1000.")


MOST_PASSES = 3  # forward passes a backprop may make; a numerical gradient makes 2 per weight
# A backprop written another way (a2 * (1 - a2), factors swapped) differs from the course's by
# rounding, 1e-16 of a slope; a numerical gradient, even extrapolated, by 1e-11 or more.
BACKPROP_RTOL = 1e-12


def seededGradient(cls):
    """Backprop's gradient of the seeded 2-3-1 ``cls`` network on the tutorial's data."""
    return network(cls=cls).computeGradients(*handed(X, y))


def forwardPasses(cls):
    """How many times one computeGradients of a seeded ``cls`` network runs forward."""
    calls = {"forward": 0, "sigmoid": 0}

    class Counting(cls):
        def forward(self, X):
            calls["forward"] += 1
            return super().forward(X)

        def sigmoid(self, z):
            calls["sigmoid"] += 1
            return super().sigmoid(z)

    seededGradient(Counting)
    return max(calls["forward"], calls["sigmoid"] // 2)


def refuseShapes(cls):
    """NotYet unless the seeded ``cls`` network's costFunctionPrime returns (dJdW1, dJdW2) in
    float64, shaped like W1 and W2 (gradient descent subtracts each from its matrix)."""
    N = network(cls=cls)
    pair = attempt(N.costFunctionPrime, *handed(X, y), what="your class")
    refuse((not isinstance(pair, (tuple, list)) or len(pair) != 2) and "costFunctionPrime "
           "should return two arrays, dJdW1 and dJdW2 (return dJdW1, dJdW2)")
    shapes = [np.shape(part) for part in pair]
    refuse(recognised([
        (shapes == [N.W2.shape, N.W1.shape], "costFunctionPrime returns dJdW2 first: return "
                                             "dJdW1, dJdW2, in that order"),
        *((shape != W.shape, f"{name} has shape {shape}: it must be shaped like {name[3:]}, "
           f"{W.shape}, so that N.{name[3:]} - learningRate * {name} keeps its shape")
          for name, shape, W in zip(("dJdW1", "dJdW2"), shapes, (N.W1, N.W2))),
        (any(np.asarray(part).dtype != np.float64 for part in pair), "costFunctionPrime "
         "returns numbers that are not float64: compute in float64, as the network does, so "
         "that backprop keeps all its digits")]))


def fixedNetwork(cls, name, fixes, are, hint):
    """The success message when the class ``name`` passes checkGradient with a real backprop
    (forward once or twice, the course's gradient to rounding); else NotYet: the hint of the
    wrong fix in ``fixes`` it matches, or hint(check, "k of n weights <are> (...)")."""
    refuse(not isinstance(cls, type) and f"{name} should be a class (class {name}(Neural_Network): "
                                         f"...); got {type(cls).__name__}")
    refuseShapes(cls)
    with seeded():
        check = attempt(lambda: checkGradient(cls(), X, y), what="your class")
    if not check.passed:
        refuse(recognised([(seededGradient(fix), text) for fix, text in fixes], check.grad, 1e-10))
        wrong = [weight for weight in check.names if weight in check.wrongWeights]
        refuse(not wrong and f"the check is {check.status}"
               + (f": {check.reasons[0]}" if check.reasons else ""))
        raise NotYet(hint(check, f"{len(wrong)} of {len(check.grad)} weights {are} "
                                 f"({', '.join(wrong)})"))
    passes = attempt(forwardPasses, cls, what="your class")
    refuse(passes > MOST_PASSES and f"computeGradients ran the network forward {passes} times, "
           f"as a numerical gradient does: comparing it with the numerical gradient then proves "
           f"nothing. Backprop runs forward once, then the chain rule backwards: fix the bug in "
           f"costFunctionPrime")
    grad = np.asarray(attempt(seededGradient, cls, what="your class"), dtype=float)
    correct = seededGradient(Neural_Network)
    if not np.allclose(grad, correct, rtol=BACKPROP_RTOL,
                       atol=BACKPROP_RTOL * 1e-2 * np.abs(correct).max()):
        if network(cls=cls).costFunction(X, y) != network().costFunction(X, y):
            raise NotYet("costFunction was changed: the check compares backprop with the slopes "
                         "of whatever the cost computes; leave the cost as it was and fix "
                         "costFunctionPrime")
        raise NotYet("the slopes agree with the numerical gradient but not with the chain rule "
                     "to rounding, as if they were estimated from nudged costs: compute them with "
                     "backprop's formulas in costFunctionPrime")
    return (f"{cls.__name__}: all {len(check.grad)} weights agree with the numerical gradient "
            f"(relative error {check.relativeError:.1e}).")


@asSelfCheck()
def checkFixedNetwork(cls):
    """Notebook 08: ExerciseNetwork, its bug (dJdW2 = a2 delta3, no transpose) fixed; the hints
    never name the line to fix (the cell before the self-check measures each layer's ratio)."""
    return fixedNetwork(cls, "ExerciseNetwork", [
        (bugGallery.GALLERY["PreActivationInput"], "W2 multiplies what comes out of the hidden "
                                                   "layer, a2 = f(z2), not what goes into it, z2")],
        "are off", lambda check, listed: recognised([
            (any(weight.startswith("W1") for weight in check.wrongWeights),
             f"{listed}: W1's weights were right before your change; put the lines that compute "
             f"them back as they were"),
            (True, f"{listed}: the cell before this self-check measures the ratio of each layer's "
                   f"weights; W2's gradient comes from delta3, and so does W1's: which lines can "
                   f"be wrong if W1's is right?")]))


def mysteryHint(check, listed):
    """Why MysteryNetwork is not fixed yet, never naming the line or the factor it lacks."""
    grad = np.asarray(check.grad, dtype=float)
    given = seededGradient(bugGallery.CrossEntropyShortcut)
    scale = float(grad @ given / (given @ given))
    layers = {weight[:2] for weight in check.wrongWeights}
    every = ": every weight, in both layers" if len(check.wrongWeights) == len(check.grad) else ""
    return recognised([
        (scale != 1 and np.allclose(grad, scale * given, rtol=1e-10, atol=0),
         f"{listed}. Backprop is now the given MysteryNetwork's gradient times one number, but "
         f"backprop / numerical was not the same number on every weight (the cell above prints "
         f"it), so no constant fixes it"),
        (layers == {"W1"}, f"{listed}, all in W1: W2's gradient is right now. W1's is built from "
                           f"the same delta3, through delta2 and dJdW1: does it get the delta3 "
                           f"that W2's gets, and do those lines follow the chain rule?"),
        (layers == {"W2"}, f"{listed}, all in W2: W1's gradient is right now. W2's is built from "
                           f"the same delta3, through dJdW2: does it get the delta3 that W1's "
                           f"gets, and does that line follow the chain rule?"),
        (True, f"{listed}{every}. Read that pattern as the gallery above does, then check the "
               f"line it points to against the chain rule")])


@asSelfCheck()
def checkMysteryNetwork(cls):
    """Notebook 13: MysteryNetwork, bugGallery.CrossEntropyShortcut fixed."""
    return fixedNetwork(cls, "MysteryNetwork", [
        (bugGallery.Delta3TimesYHat, "sigmoid(z3) is the output layer's activation, yHat "
                                     "itself, not its derivative"),
        (bugGallery.Delta3AtTheOutput, "sigmoidPrime(yHat) is the derivative taken at what "
                                       "comes out of the output layer: take it at what goes in")],
        "are still wrong", mysteryHint)


RETURN = "return error, error < 1e-7"  # the tutorial's rule, judge's CLASSIC_TOLERANCE
OTHER_X, OTHER_Y = np.random.default_rng(342).random((2, 4, 3))  # data for the 3-4-2 network
# (what the network is, its class, its layer sizes, its data X and y, whether the rule passes it)
CAPSTONE_CASES = (
    ("the network of Parts 1-4", bugGallery.CapstoneNetwork, SIZES[0], X, y, True),
    ("a 3-4-2 network", bugGallery.CapstoneNetwork, SIZES[1], OTHER_X, OTHER_Y[:, :2], True),
    ("a sigmoidPrime that lost its square", bugGallery.CapstoneLostSquare, SIZES[0], X, y, False),
    ("a sigmoidPrime with e typed as 2.718", bugGallery.CapstoneRoughE, SIZES[0], X, y, False),
    ("a backprop just below the line", bugGallery.JustBelowTheLine, SIZES[0], X, y, True),
    ("a backprop just above the line", bugGallery.JustAboveTheLine, SIZES[0], X, y, False),
)


def resultOf(gradientCheck, N, X, y):
    """gradientCheck(N, X, y), its prints hidden, as (float ratio, bool passed); or NotYet."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            result = gradientCheck(N, X, y)
    except Exception as error:  # the learner's code may raise anything: say what, not crash
        if isinstance(error, NameError) and getattr(error, "name", None) in MODELS:
            raise NotYet(f"{error.name} is not defined: run the cell above that loads your "
                         f"pieces, yours(...)") from None
        raise NotYet(f"gradientCheck raised {describe(error)}") from None
    returned(result, "gradientCheck", f" Return the ratio and whether it passes, {RETURN}")
    if isinstance(result, (bool, np.bool_)):
        raise NotYet(f"it returned only whether the check passes: return the ratio too, {RETURN}")
    if not isinstance(result, (tuple, list)):
        number = np.ndim(result) == 0 and isinstance(result, (int, float, np.number))
        raise NotYet(f"it returned {'one number' if number else type(result).__name__}: return "
                     f"two things, the ratio and whether it passes the rule, {RETURN}")
    refuse(len(result) != 2 and f"it returned {len(result)} things: return two, the ratio and "
           f"whether it passes the rule, {RETURN}")
    ratio, passed = result
    refuse(ratio is None and f"gradientCheck still returns its placeholder: compute backprop's "
           f"gradient (N.computeGradients(X, y)), the numerical gradient (your "
           f"computeNumericalGradient) and their relativeError, then {RETURN}")
    if isinstance(ratio, (bool, np.bool_)):
        raise NotYet(f"the ratio comes first, then whether it passes: {RETURN}")
    refuse(np.size(ratio) != 1 and f"the ratio should be one number, as relativeError gives; "
           f"got {np.size(ratio)} numbers")
    try:
        ratio = float(np.ravel(ratio)[0])
    except (TypeError, ValueError):
        raise NotYet(f"the ratio should be a number; got {type(ratio).__name__}") from None
    refuse(not np.isfinite(ratio) and f"the ratio is {ratio}: relativeError(grad, numgrad) of "
           f"two gradients of the network gives a finite number")
    refuse(not isinstance(passed, (bool, np.bool_)) and f"whether it passes should be True or "
           f"False, as error < 1e-7 gives; got {type(passed).__name__}")
    return ratio, bool(passed)


@functools.cache
def capstoneReference(case):
    """What a right check says of CAPSTONE_CASES[case], the same on every call: (the valid
    ratios of its backprop against the numerical gradient, (wrong ratio, hint) for backprop's
    gradient unrolled wrongly)."""
    _, cls, sizes, X, y, _ = CAPSTONE_CASES[case]
    grad = network(sizes, cls=cls).computeGradients(X, y)
    numgrad = loopNumericalGradient(network(sizes), X, y)  # a twin's: every case has one cost
    dJdW1, dJdW2 = network(sizes).costFunctionPrime(X, y)
    unrolled = "N.computeGradients(X, y) unrolls it in getParams' order"
    unrolls = [(value, hint) for wrong, hint in [
        (np.concatenate((dJdW2.ravel(), dJdW1.ravel())), f"backprop's gradient is unrolled W2 "
                                                         f"first: {unrolled}"),
        (np.concatenate((dJdW1.T.ravel(), dJdW2.T.ravel())), f"backprop's gradient is unrolled "
                                                             f"column by column: {unrolled}"),
        (np.zeros_like(numgrad), "a ratio of 1 means one of the two gradients is all zeros: do "
                                 "you compare the two gradients the network gives?")]
        for value in ratios(wrong, numgrad).values()]
    return ratios(grad, numgrad), unrolls


def capstoneHint(case, N, weights, ratio, passed):
    """Why a check that gave (ratio, passed) for CAPSTONE_CASES[case]'s network N (handed with
    ``weights``; it counts backprops, keeps each cost's weights) is no gradient check; or None."""
    what, cls, sizes, X, y, passes = CAPSTONE_CASES[case]
    counts = [np.count_nonzero(np.abs(params - weights) > 1e-9) for params in N.costedAt
              if params is not None and params.shape == weights.shape]
    moved = next((count for count in counts if count > 1), 0)
    now = bugGallery.bareWeights(N)
    shapes = [np.shape(getattr(N, name, None)) for name in ("W1", "W2")]
    reshaped = now is None or shapes != [sizes[:2], sizes[1:]]
    changed = not reshaped and not np.array_equal(now, weights)
    off = np.abs(now - weights).max() if changed else 0.0
    correct = cls is bugGallery.CapstoneNetwork  # the course's backprop, unchanged
    expected, unrolls = capstoneReference(case)
    agrees = ratio < CLASSIC_TOLERANCE if correct else \
        any(abs(ratio - value) <= 0.1 * value for value in expected.values())
    return recognised([
        (N.backprops == 0 and not N.costedAt, "your check never used the network it was handed: "
                                              "work with its arguments N, X, y"),
        (N.backprops == 0, "your check never ran backprop, N.computeGradients(X, y): compare "
                           "backprop's gradient with the numerical one (the numerical gradient "
                           "compared with itself can never fail)"),
        (not N.costedAt, "your check never evaluated the cost, so it has no numerical gradient: "
                         "call computeNumericalGradient(N, X, y), which nudges each weight and "
                         "evaluates N.costFunction(X, y)"),
        (moved > 1, f"the cost was evaluated at weights that differ from the network's own in "
                    f"{moved} places at once: nudge one weight at a time"),
        (reshaped, f"after your check N.W1 and N.W2 have shapes {shapes[0]} and {shapes[1]}, not "
                   f"{sizes[:2]} and {sizes[1:]}: hand N.setParams a vector like N.getParams()"),
        (changed and off <= 1e-9, f"your check left the weights {off:.1e} off: {STEPPING_BACK}; "
         f"put the weights back from a saved copy, N.setParams(paramsInitial)"),
        (changed, "your check left the network with other weights than it was handed: a check "
         "only looks, so put them back (computeNumericalGradient does, once its loop is done)"),
        (ratio == 0, "the ratio is exactly 0, yet backprop and a numerical gradient always "
                     "differ a little: does your check compare a gradient with itself?"),
        (not agrees, correct and recognised(unrolls, ratio, 1e-6) or (
            f"for {what}, backprop and the numerical gradient are {expected['tutorial']:.1e} "
            f"apart by the norm ratio, but your check says {ratio:.1e}: compare "
            f"N.computeGradients(X, y) with computeNumericalGradient(N, X, y) by relativeError")),
        (passes and not passed and correct, f"your check fails {what}, whose backprop is right "
         f"(ratio {ratio:.1e}): it passes when the ratio is below the line, 1e-7"),
        (passes and not passed, f"your check flags {what} (ratio {ratio:.1e}): the tutorial's "
         f"rule, on the order of 1e-8 or less, passes it; draw the line at 1e-7"),
        (passed and not passes, f"your check passes {what} (ratio {ratio:.1e}): the line is at "
                                f"1e-7, and anything above it means look for a bug")])


@asSelfCheck("gradientCheck")
def checkGradientCheck(gradientCheck):
    """Notebook 09: gradientCheck(N, X, y), (norm ratio, below 1e-7) for each of CAPSTONE_CASES,
    leaving N's weights be. The networks get getParams and setParams that pass their
    self-checks (the model answers: the learner's saved ones, which yours loads, behave alike)."""
    helpers = MODELS["getParams"], MODELS["setParams"]
    said = []
    for case, (_, cls, sizes, data, targets, _) in enumerate(CAPSTONE_CASES):
        N = network(sizes, cls=bugGallery.withHelpers(cls, *helpers))
        weights = bugGallery.bareWeights(N)
        with otherSizes(sizes == SIZES[0], sizes, "Let what your check is handed give the "
                        "sizes (N, X and y), rather than 9 or the notebook's own X and y"):
            copies = handed(data, targets)
            ratio, passed = resultOf(gradientCheck, N, *copies)
            refuseChanged(copies, (data, targets), "your check")
            refuse(capstoneHint(case, N, weights, ratio, passed))
        said.append(ratio)
    return (f"{nameOf(gradientCheck)} passes the network of Parts 1-4 and a 3-4-2 one, and flags "
            f"two bugs no notebook has shown: a sigmoidPrime that lost its square (ratio "
            f"{said[2]:.1e}) and one with e typed as 2.718 (ratio {said[3]:.1e}, a bug that a "
            f"looser line such as 1e-3 would miss). It draws its line at 1e-7, and leaves every "
            f"weight as it was.")


TARGET = 1e-4  # the relative error the float32 step must keep the slope of exp(x) at 1 under


def modeledError(epsilon):
    """epsilonLab's modeled relative error of the float32 centered slope of exp at 1."""
    truncation, roundoff = errorModel("exp", [epsilon], "centered", "float32")
    return float(truncation[0] + roundoff[0])


@asSelfCheck()
def checkFloat32Epsilon(epsilon):
    """Notebook 10: a step whose modeledError is below TARGET (a lucky slope is not enough)."""
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float, np.integer, np.floating)):
        raise NotYet(f"myEpsilon should be a number such as 1e-3; got {type(epsilon).__name__}")
    if not (math.isfinite(asFloat(epsilon)) and epsilon > 0):  # 10**400 too
        raise NotYet(f"myEpsilon should be a positive step such as 1e-3; got {epsilon!r:.40}")
    try:
        error = modeledError(epsilon)
    except ValueError:  # the step does not fit in float32: it rounds to 0 or to infinity
        side = "rounds to 0 in float32: take a larger" if epsilon < 1 else \
            "is too large for float32: take a smaller"
        raise NotYet(f"epsilon = {epsilon:.1e} {side} step") from None
    if error < TARGET:
        return (f"epsilon = {epsilon:.1e} keeps the modeled float32 error of the slope below "
                f"1e-4 (here {error:.1e}).")
    raise NotYet(f"at epsilon = {epsilon:.1e} the modeled error is {error:.1e}, above 1e-4: " + (
        "round-off rules on this side of the float32 U, where one slope can come out close by "
        "luck; take a larger step" if epsilon < bestEpsilon("exp", "centered", "float32") else
        "truncation rules on this side of the float32 U; take a smaller step"))


def biasPair(answer):
    """The learner's (db1, db2) as two float arrays, or NotYet."""
    returned(answer, "biasGradients", " Return db1, db2")
    if isinstance(answer, np.ndarray) or not isinstance(answer, (tuple, list)):
        raise NotYet(f"biasGradients returned one {type(answer).__name__}: return the two "
                     f"gradients, db1 and db2, as a pair (return db1, db2)")
    refuse(len(answer) != 2 and f"biasGradients returned {len(answer)} things: return the two "
           f"gradients, db1 and db2 (return db1, db2)")
    pair = []
    for name, value in zip(("db1", "db2"), answer):
        refuse(value is None and f"{name} is None: compute it from its layer's delta")
        refuseLowPrecision(value, f"biasGradients' {name}")
        try:
            pair.append(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            raise NotYet(f"{name} is {type(value).__name__}, not numbers") from None
    return pair


def refuseBias(name, value, delta, other, examples):
    """NotYet: why ``value`` is not ``delta`` summed over the examples (``other``: the other
    layer's delta)."""
    bias, layer, otherLayer, where = {
        "db1": ("b1", "delta2", "delta3", "in the hidden layer (z2 = X W1 + b1)"),
        "db2": ("b2", "delta3", "delta2", "at the output (yHat = a2 W2 + b2)")}[name]
    expected = delta.sum(axis=0)
    same = value.shape == expected.shape
    if same and closeTo(value, expected, 1e-10):
        return
    shape = f"{bias} has shape {expected.shape}, one number per unit"
    madeFrom = (f"{name} is made from {otherLayer}, the other layer's delta: {bias} is added "
                f"{where}, so {name} adds up {layer}")
    refuse(recognised([  # whatever value's shape: its numbers tell the mistake
        (np.zeros(expected.size), f"{name} is all zeros, the stub's placeholder: build it as "
         f"dJ/dW1 = X^T delta2 is built, for a weight whose input is 1 in every example"),
        (expected, f"{name} has the right numbers in shape {value.shape}: {shape}. Leave out "
         f"keepdims=True (or ravel the result)"),
        (np.ravel(delta.sum()), f"{name} is one number, {layer} added up over the units too: "
         f"add over the examples only, down the rows (axis=0), one sum per unit"),
        (delta.sum(axis=1), f"{name} has one number per example ({examples} of them): that adds "
         f"across each row, axis=1. {shape}: add down the rows, over the examples (axis=0)"),
        (delta.mean(axis=0), f"{name} is the mean over the {examples} examples, 1/{examples} of "
         f"their sum: the cost adds up the examples' errors, J = 1/2 sum (yHat - y)^2, so its "
         f"slope adds them up too: sum, not mean"),
        (other.sum(axis=0), madeFrom), (other.mean(axis=0), madeFrom),
        (same and closeTo(value, -expected, 1e-10), f"{name} has the wrong sign: {layer} is "
         f"already the slope of the cost along its layer's input; add it up as it is"),
        (not same, f"{name} has shape {value.shape}: {shape}, {layer} added up over the "
                   f"examples")], value.ravel(), 1e-10))
    unit = int(np.argmax(np.abs(value - expected)))
    raise NotYet(f"for unit {unit}, {name} is {value[unit]:.4f} where column {unit} of {layer} "
                 f"adds up to {expected[unit]:.4f} over the examples")


@asSelfCheck("biasGradients")
def checkBiasGradients(biasGradients):
    """Notebook 14: biasGradients(delta2, delta3), each delta summed over the examples, for
    each of bugGallery.BIAS_PROBES; then checkGradient passes notebook 14's network with it."""
    for number, (sizes, examples, seed) in enumerate(bugGallery.BIAS_PROBES):
        N, X, y = bugGallery.biasProbe(sizes, examples, seed)
        deltas = N.deltas(X, y)
        copies = handed(*deltas)
        with otherSizes(number == 0, sizes, "Are sizes such as 4 or 5 written into your "
                        "function? Let the deltas' shapes give them",
                        right="this notebook's 3-4-2 network", more=f" with {examples} examples"):
            db1, db2 = biasPair(attempt(biasGradients, *copies, what="biasGradients"))
            refuseChanged(copies, deltas, "biasGradients", "delta2 or delta3", "backprop still "
                          "needs them for dJ/dW1 and dJ/dW2, so compute new arrays instead")
            refuseBias("db1", db1, *deltas, len(X))
            refuseBias("db2", db2, *deltas[::-1], len(X))
    N, X, y = bugGallery.biasProbe(*bugGallery.BIAS_PROBES[0])
    N.biasGradients = biasGradients
    check = checkGradient(N, X, y)
    refuse(not check.passed and f"checkGradient on this notebook's network with your "
           f"biasGradients says {check.status}")
    return (f"db1 and db2 add up delta2 and delta3 over the examples, for both networks; in "
            f"the backprop of this notebook's network, checkGradient passes all "
            f"{check.grad.size} weights. (np.sum(delta, axis=0), a loop over the examples or "
            f"np.ones(len(delta)) @ delta: any way of adding them is right.)")
