"""Judging: a gradient check's numbers in, a verdict out. Nothing here calls a network.

``judge`` holds each compared slope to an allowance, SAFETY times its estimated numerical error,
and returns a ``Judgment``: "failed", "passed" or "inconclusive" (with ``Reason``s). Notebook 11
explains the verdicts and shows the reasons' code; notebook 12 shows how likely a fast check
misses a bug (``missProbability``, ...).
"""

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from checker.validation import (
    checkDirectionsFound,
    checkGradients,
    checkPositive,
    checkWholeNumber,
)
from checker.weightLayout import placeName, powerOfTwoBelow, unitRoundoff

__all__ = ["judge", "Judgment", "WeightError", "Reason", "compareGradients", "numericalAllowance",
           "kinkSizes", "resolutionOf", "missProbability", "sparseMissProbability",
           "confinedBugError", "defaultDirections", "SAFETY", "RESOLUTION", "CLASSIC_TOLERANCE"]

CLASSIC_TOLERANCE = 1e-7  # the tutorial's "about 1e-8 or less", read as a fixed threshold
SAFETY = 10  # allowance = SAFETY x the estimated error; estimates are good to a factor of ~2
RESOLUTION = {"float64": 1e-3, "float32": 1e-2}  # the largest tolerance a check may pass with
COARSE_RESOLUTION = 1e-1  # for any other precision (float16)
STEP_LIMIT = 0.01  # epsilon is lost in rounding when w + epsilon is off by more than this x eps
DRIFT_LIMIT = 0.1  # slopes at epsilon and 2 epsilon this far apart: epsilon is far too large
KINK_FACTOR = 2  # a fourth difference this many allowances big marks a corner of the cost
MISS_TARGET = 1e-6  # default directions keep missing a one-weight bug this unlikely
MOST_DIRECTIONS = 100  # the most a default takes; a tolerance needing more is too loose


def resolutionOf(dtype):
    """The largest tolerance (norm ratio allowed) a check in ``dtype`` may still pass with."""
    return RESOLUTION.get(np.dtype(dtype).name, COARSE_RESOLUTION)


# --- how much error the numbers may have ----------------------------------------------------------

def numericalAllowance(numgrad, numgradDouble, noise, epsilon, weightScale, roundoff=None):
    """The error each numerical slope may honestly have: (allowed, truncation, roundoff), with
    truncation = |numgradDouble - numgrad| / 3 (slopes at 2 epsilon and epsilon), roundoff =
    noise / epsilon (noise: the cost's sigma) and allowed = SAFETY * (truncation + roundoff +
    step), step = |numgrad| u (weightScale + epsilon) / epsilon (u: the weights' round-off)."""
    roundoff = unitRoundoff(np.float64) if roundoff is None else roundoff
    truncation = np.abs(numgradDouble - numgrad) / 3
    noisy = noise / epsilon
    step = np.abs(numgrad) * roundoff * (weightScale + epsilon) / epsilon
    return SAFETY * (truncation + noisy + step), truncation, noisy


def kinkSizes(sums, sumsDouble, cost, epsilon):
    """|fourth difference| / h per step v, from J(w + h v) + J(w - h v) at h = epsilon and 2h:
    about h^3 |J''''| for a smooth cost, at least 0.87 times the jump in slope when a corner
    lies within h of the weights (a corner moves the centered slope by at most half of it)."""
    return np.abs(sumsDouble - 4 * sums + 6 * cost) / epsilon


# --- the verdict ---------------------------------------------------------------------------------

def vectorNorm(values):
    """The 2-norm of ``values``, also where their squares overflow (numbers of 1e200) or
    underflow (1e-170): then with the largest |value| factored out."""
    with np.errstate(over="ignore", under="ignore"):
        norm = float(np.linalg.norm(values))
    if not 1e-150 < norm < math.inf and np.all(np.isfinite(values)):
        largest = np.max(np.abs(values), initial=0.0)
        return float(largest * np.linalg.norm(values / largest)) if largest else 0.0
    return norm


def normRatio(top, bottom):
    """norm(top) / norm(bottom): 0.0 when top is 0, infinity when only bottom is, NaN when
    both are infinite (an infinite backprop). Both are first divided, exactly, by one power of
    two near their largest entry, so that no norm overflows."""
    scale = powerOfTwoBelow(max(np.max(np.abs(top), initial=0.0),
                                np.max(np.abs(bottom), initial=0.0)))
    top, bottom = vectorNorm(top / scale), vectorNorm(bottom / scale)
    if top == 0:
        return 0.0
    return top / bottom if bottom else math.inf  # floats: inf / inf is NaN


def halved(grad, numgrad):
    """((grad - numgrad) / 2, (grad + numgrad) / 2) of two float arrays, from their halves
    (exact): no difference or sum of gradients near 1e308 overflows."""
    grad, numgrad = grad / 2, numgrad / 2
    return grad - numgrad, grad + numgrad


def relativeError(grad, numgrad):
    """norm(grad - numgrad) / norm(grad + numgrad) of two float arrays (see normRatio)."""
    return normRatio(*halved(grad, numgrad))


def compareGradients(grad, numgrad):
    """norm(grad - numgrad) / norm(grad + numgrad): about 1e-8 or less means they agree (two
    zero vectors: 0.0; opposite vectors: infinity). Two arrays of finite numbers, the same
    shape; anything else raises TypeError or ValueError."""
    return relativeError(*checkGradients(grad, numgrad))


def judge(measured, tolerance, method="full", checked=""):
    """The verdict on a measure.Measurement, a Judgment: by the derived rule (tolerance None:
    each slope against its allowance) or the fixed one (relative error <= tolerance). method
    ("full", "directional" or "sparse") and checked (what a fast check compared) are kept."""
    grad = np.asarray(measured.grad, dtype=float)
    numgrad = np.asarray(measured.numerical[0], dtype=float)
    epsilon, places = measured.epsilon, list(measured.places)
    weightRoundoff = unitRoundoff(measured.dtype)
    stepError = weightRoundoff * (measured.weightScale + epsilon) / epsilon
    halfDifference, halfSum = halved(grad, numgrad)
    found = dict(relativeError=normRatio(halfDifference, halfSum), epsilon=float(epsilon),
                 grad=grad, numgrad=numgrad, places=places, method=method, checked=checked,
                 weightValues=measured.weightValues)
    if tolerance is not None:
        precision = np.dtype(measured.dtype).name
        reasons = lostReasons(numgrad, np.isfinite(numgrad), places, epsilon, stepError,
                              precision) + unchangedReasons(numgrad, epsilon)
        agree = found["relativeError"] <= tolerance
        status = "inconclusive" if reasons else "passed" if agree else "failed"
        return Judgment(status=status, tolerance=float(tolerance), reasons=reasons,
                        precision=precision, **found)
    noise, sums = measured.noise, measured.sums
    precision = np.dtype(noise.dtype).name
    with np.errstate(invalid="ignore", over="ignore"):
        allowed, truncation, roundoff = numericalAllowance(
            numgrad, measured.numerical[1], noise.sigma, epsilon, measured.weightScale,
            weightRoundoff)
        kinkSize = None if sums is None else kinkSizes(sums[0], sums[1], noise.cost, epsilon)
        difference = np.abs(grad - numgrad)  # infinite beyond the largest float: wrong
    finite = np.isfinite(numgrad) & np.isfinite(allowed)
    reasons = lostReasons(numgrad, finite, places, epsilon, stepError, precision)
    if np.all(finite):
        reasons += driftReasons(numgrad, truncation, roundoff, epsilon)
    wrong, kinks = disagreements(difference, allowed, kinkSize, finite)
    # The derived tolerance: every |grad - numgrad| <= allowed implies a relative error below it
    tolerance = normRatio(allowed / 2, halfSum) if np.all(finite) else math.inf
    if not np.any(wrong) or reasons:
        reasons += kinkReasons(places, kinks, wrong)
        if tolerance > resolutionOf(precision) and not reasons:
            reasons.append(resolutionReason(precision, truncation, roundoff))
    status = "inconclusive" if reasons else "failed" if np.any(wrong) else "passed"
    floor = float(unitRoundoff(precision) * abs(noise.cost) / epsilon)  # sigma >= u |J|
    return Judgment(status=status, tolerance=float(tolerance), allowed=allowed,
                    truncation=truncation, roundoff=roundoff, wrong=wrong, kinks=kinks,
                    reasons=reasons, precision=precision, roundoffFloor=floor, **found)


def disagreements(difference, allowed, kinkSize, finite):
    """Per slope: (wrong, at a kink). Off by more than its allowance (a NaN backprop counts as
    off) is at a kink when its fourth difference (kinkSizes, if measured) is over KINK_FACTOR
    allowances and at least the difference, else wrong."""
    outside = finite & ~(difference <= allowed)
    if kinkSize is None:
        return outside, np.zeros(len(outside), dtype=bool)
    kinks = outside & (kinkSize > KINK_FACTOR * allowed) & (kinkSize >= difference)
    return outside & ~kinks, kinks


def lostReasons(numgrad, finite, places, epsilon, stepError, precision):
    """Why any check cannot tell: a slope or allowance not finite (the cost overflowed or is
    NaN near the weights), or epsilon lost in rounding w + epsilon (by stepError, relative)."""
    reasons = []
    if not np.all(finite):
        bad = int(np.flatnonzero(~finite)[0])
        reasons.append(Reason(NOT_FINITE,
                              f"the cost is not finite near the weights (numerical slope "
                              f"{numgrad[bad]} at {placeName(places[bad])}): the activations "
                              f"overflowed or the cost is NaN there. Try smaller weights or a "
                              f"smaller epsilon, or look for a log of 0 or a division by 0 in "
                              f"the cost"))
    if stepError > STEP_LIMIT:
        reasons.append(Reason(STEP_LOST,
                              f"epsilon {epsilon:.3g} is lost in rounding the weights: w + "
                              f"epsilon is off by {stepError:.1g} x epsilon in {precision}. Try a "
                              f"larger epsilon, such as 1e-4 in float64 or 1e-2 in float32"))
    return reasons


def unchangedReasons(numgrad, epsilon):
    """Why a fixed tolerance cannot tell when every numerical slope is exactly 0: backprop's 0
    would pass against it. (The derived rule measures the cost's rounding: it tells a flat cost
    from one whose change is lost in rounding.)"""
    if np.any(numgrad):
        return []
    return [Reason(NO_CHANGE,
                   f"every numerical slope is exactly 0: the cost came out the same a step "
                   f"epsilon {epsilon:.3g} above and below the weights, every time, so a fixed "
                   f"tolerance has nothing to compare backprop with (the cost is flat there, or "
                   f"its change is lost in rounding). Try a larger epsilon, or tolerance=None, "
                   f"which measures the cost's rounding and tells the two apart")]


# --- why a check cannot tell (notebook 11 shows this code) ----------------------------------------

NOT_FINITE, STEP_LOST, NO_CHANGE, STEP_TOO_LARGE, KINKS_ONLY, TOO_COARSE = (
    "not finite", "step lost", "no change", "step too large", "kinks only", "too coarse")


class Reason(str):
    """Why a check is inconclusive: the sentence, and its ``code`` (the report reads the
    code, never the words)."""

    def __new__(cls, code, text):
        reason = super().__new__(cls, text)
        reason.code = code
        return reason


def driftReasons(numgrad, truncation, roundoff, epsilon):
    """Why epsilon far too large cannot tell: beyond round-off, the slopes at epsilon and 2
    epsilon differ by over DRIFT_LIMIT of the gradient, so the truncation estimate fails."""
    size = vectorNorm(numgrad)
    beyondNoise = np.maximum(truncation - roundoff, 0.0)
    drift = 3 * vectorNorm(beyondNoise) / size if size > 0 else 0.0
    if drift <= DRIFT_LIMIT:
        return []
    return [Reason(STEP_TOO_LARGE,
                   f"epsilon {epsilon:.3g} is too large for this cost: the slopes at epsilon and "
                   f"at 2 epsilon differ by more than {DRIFT_LIMIT:.0%} of the gradient, so the "
                   f"numerical error cannot be estimated (nor a wrong weight told from it). Try "
                   f"a smaller epsilon, such as 1e-4")]


def kinkReasons(places, kinks, wrong):
    """Why disagreements only at kinks cannot tell (none if a disagreement is elsewhere)."""
    if not np.any(kinks) or np.any(wrong):
        return []
    named = [placeName(places[i]) for i in np.flatnonzero(kinks)]
    listed = ", ".join(named[:4]) + (", ..." if len(named) > 4 else "")
    return [Reason(KINKS_ONLY,
                   f"the only disagreements are at a kink of the cost ({len(named):,} of "
                   f"{len(places):,}: {listed}): a corner (ReLU, max, abs) lies within epsilon of "
                   f"the weights, so the centered difference averages the slopes on its two "
                   f"sides. Check again off the corner: move the weights or the data (another "
                   f"seed, other examples). A smaller epsilon helps only when the corner is near "
                   f"the weights, not at them. The other slopes agree")]


def resolutionReason(precision, truncation, roundoff):
    """Why allowances over the resolution cannot tell, and which way to move epsilon."""
    if roundoff >= np.median(truncation):
        remedy = "round-off rules here (a tiny gradient, or a noisy cost): try a larger " \
                 "epsilon, such as 1e-2"
        if precision != "float64":
            remedy += ", or compute the cost in float64"
    else:
        remedy = "truncation rules here (epsilon is large for how curved the cost is): try a " \
                 "smaller epsilon, such as 1e-5"
    return Reason(TOO_COARSE,
                  f"the numerical error allowed is more than {resolutionOf(precision):.0e} of "
                  f"the gradient, the most a {precision} check can pass with, so a wrong "
                  f"backprop could look right; {remedy}")


# --- the judgment ---------------------------------------------------------------------------------

class WeightError(NamedTuple):
    """One compared slope: a weight (or a direction) and how far backprop is from the estimate."""

    name: str  # e.g. "W1[0, 2]", "b1[2]", "param[17]", or "direction 3"
    layer: str  # the array the weight is in ("W1", "b1", "param", "x"), or "" for a direction
    index: tuple  # its index in that array, e.g. (row, column), or (k,) for direction k
    analytic: float  # backprop's value
    numerical: float  # the centered-difference estimate
    absoluteError: float  # |analytic - numerical|
    relativeError: float  # |analytic - numerical| / (|analytic| + |numerical|), 0 when both are 0
    allowed: float  # the numerical error this slope may have (nan for a fixed-tolerance check)
    wrong: bool  # off by more than its allowance, and not at a kink
    atKink: bool = False  # off by more than its allowance, at a corner of the cost


def worstFirst(absolute, flagged):
    """Order of the slopes: the ``flagged`` ones (wrong or at a kink; None: all) by |difference|,
    largest (or NaN) first, then the others in their own order (not ranking rounding noise)."""
    absolute = np.where(np.isnan(absolute), np.inf, absolute)
    if flagged is not None:
        absolute = np.where(flagged, absolute, 0.0)
    return np.argsort(-absolute, kind="stable")


@dataclass(repr=False)
class Judgment:
    """What a gradient check found: the verdict, every compared number and its allowance.
    ``.passed`` is True only for "passed", so ``assert check.passed`` is never fooled."""

    status: str  # "passed", "failed" or "inconclusive"
    relativeError: float  # the tutorial's norm ratio, norm(grad - numgrad) / norm(grad + numgrad)
    tolerance: float  # the norm ratio allowed: the caller's, or derived (unprinted: measured)
    epsilon: float
    grad: np.ndarray  # backprop's numbers: the gradient, or its slopes along directions/weights
    numgrad: np.ndarray  # the numerical estimates of the same numbers
    places: list  # what each entry is: (array, index) of a weight, ("", (k,)) direction k
    method: str = "full"  # "full", "directional" or "sparse"
    checked: str = ""  # what a fast check compared, e.g. "2 random directions, seed 0"
    allowed: np.ndarray = None  # the error each numerical slope may have (numericalAllowance)
    truncation: np.ndarray = None  # its truncation part
    roundoff: float = None  # its round-off part (the same for every slope)
    weightValues: np.ndarray = None  # the compared weights' values (None for directions)
    wrong: np.ndarray = None  # per slope: off by more than its allowance, not at a kink
    kinks: np.ndarray = None  # per slope: off by more than its allowance, at a kink
    reasons: list = field(default_factory=list)  # Reasons: why it is inconclusive, what to try
    precision: str = "float64"  # the precision of the weights and cost
    roundoffFloor: float = None  # u |J| / epsilon (derived rule): no allowance's round-off part
    #                              is smaller; exact arithmetic on the cost, no measured noise

    @property
    def passed(self):
        """True only when the status is "passed"."""
        return self.status == "passed"

    @property
    def rule(self):
        """"derived" (per-slope allowances, tolerance None) or "fixed" (the caller's)."""
        return "fixed" if self.allowed is None else "derived"

    @cached_property
    def names(self):
        """What each entry of grad is, as text: "W1[0, 2]", "b1[2]", ... or "direction 3"."""
        return [placeName(place) for place in self.places]

    @property
    def worstWeight(self):
        """The name of the worst slope (see weights)."""
        return self.weights[0].name

    @cached_property
    def weights(self):
        """Every compared slope as a WeightError, worst first (see worstFirst)."""
        halfDifference = np.abs(halved(self.grad, self.numgrad)[0])
        halfTotal = np.abs(self.grad / 2) + np.abs(self.numgrad / 2)  # no sum overflows
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            absolute = 2 * halfDifference  # infinite beyond the largest float
            relative = np.where(halfTotal == 0, 0.0, halfDifference / halfTotal)
        count = len(self.grad)
        allowed = self.allowed if self.allowed is not None else np.full(count, np.nan)
        wrong = self.wrong if self.wrong is not None else np.zeros(count, dtype=bool)
        kinks = self.kinks if self.kinks is not None else np.zeros(count, dtype=bool)
        rows = [WeightError(name, layer, index, float(a), float(n), float(d), float(r),
                            float(limit), bool(bad), bool(kink))
                for name, (layer, index), a, n, d, r, limit, bad, kink
                in zip(self.names, self.places, self.grad, self.numgrad, absolute, relative,
                       allowed, wrong, kinks)]
        flagged = wrong | kinks if self.rule == "derived" else None  # fixed: by |difference|
        return [rows[i] for i in worstFirst(absolute, flagged)]

    @property
    def wrongWeights(self):
        """The names of the wrong slopes (not at a kink), worst first."""
        return [row.name for row in self.weights if row.wrong]

    @property
    def kinkWeights(self):
        """The names of the slopes that disagree at a kink of the cost."""
        return [row.name for row in self.weights if row.atKink]


# --- how likely a fast check misses a bug (notebook 12 shows this code) ---------------------------

def missProbability(directions, relativeError, tolerance=CLASSIC_TOLERANCE):
    """How likely k random directions pass a bug whose full relative error is relativeError:
    P(F(k, k) <= f), f = (tolerance / relativeError)^2, for a bug unrelated to the gradient."""
    from scipy.special import betainc  # imported when first needed

    k = checkWholeNumber(directions, "directions", 1, example="2")
    relativeError = checkPositive(relativeError, "relativeError", "1e-3")
    tolerance = checkPositive(tolerance, "tolerance", "1e-7")
    inverse = relativeError / tolerance  # 1 / sqrt(f): 0 or infinite, never an OverflowError
    # Fisher's F(k, k): P(F <= f) = I_x(k/2, k/2), the regularized incomplete beta function at
    # x = f / (1 + f) = 1 / (1 + 1/f)
    return float(betainc(k / 2, k / 2, 1 / (1 + inverse * inverse)))


def confinedBugError(buggyWeights, size):
    """The full relative error of a bug in m of P weights, each off by a typical gradient
    entry: sqrt(m / (4P + m))."""
    size = checkWholeNumber(size, "size (the number of weights P)", 1)
    m = checkWholeNumber(buggyWeights, "buggyWeights (m)", 1, size)
    return math.sqrt(m / (4 * size + m))


def defaultDirections(size, tolerance=CLASSIC_TOLERANCE):
    """The fewest directions (at least 1) that miss a bug in one of ``size`` weights with
    probability at most MISS_TARGET: 1 for 9 weights, 2 for 101,632. ValueError when even
    MOST_DIRECTIONS miss it more often: the tolerance is too loose for random directions."""
    error = confinedBugError(1, size)
    fewest = next((k for k in range(1, MOST_DIRECTIONS + 1)
                   if missProbability(k, error, tolerance) <= MISS_TARGET), None)
    return checkDirectionsFound(fewest, tolerance, error, MOST_DIRECTIONS)


def sparseMissProbability(coordinates, buggyWeights, size):
    """How likely m random weights of P all avoid b buggy ones: C(P - b, m) / C(P, m)."""
    size = checkWholeNumber(size, "size (the number of weights P)", 1)
    m = checkWholeNumber(coordinates, "coordinates (weights to compare)", 1, size)
    b = checkWholeNumber(buggyWeights, "buggyWeights", 1, size)
    return math.comb(size - b, m) / math.comb(size, m)
