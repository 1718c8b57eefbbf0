"""Judging: a gradient check's numbers in, a verdict out. Nothing here calls a network.

The tutorial's rule, "the norm ratio should be around 1e-8", is a fixed threshold on a number
whose honest size depends on the network. Where the gradient is tiny (saturated sigmoids, a
trained network), rounding in the two cost evaluations is as big as the gradient itself, and a
correct backprop "fails". Where one weight of many is wrong, the ratio hardly moves, and a
wrong backprop "passes". ``judge`` therefore judges every compared slope against its own
allowance, estimated from the numerical derivative's own error (measure.Measurement holds the
numbers):

    truncation   the centered difference at step h is off by about c h^2; at step 2h by 4 c h^2.
                 So |slope(2h) - slope(h)| / 3 estimates the error of slope(h), weight by weight.
    round-off    each cost evaluation carries a rounding error of about sigma (measured by
                 measure.costNoise). Divided by the step 2h, twice: sigma / h.
    the step     w + h is itself rounded, so the step is 2h only to within unit round-off
                 (of the weights' own precision, float64 or float32) times |w|.

    allowed = SAFETY * (truncation + round-off + step), SAFETY = 10.

The three verdicts (``Judgment.status``):

    "failed"        some slope is off by more than its allowance: no numerical error explains it
    "inconclusive"  the numbers cannot separate a right backprop from a wrong one: the norm
                    ratio the allowances permit (``tolerance``) exceeds RESOLUTION (1e-3 in
                    float64, 1e-2 in float32: epsilon far too big or too small, or a noisy
                    cost), the cost is not finite near the weights, epsilon is lost in rounding
                    the weights, epsilon is so large that the slopes at epsilon and 2 epsilon
                    differ by more than DRIFT_LIMIT (a tenth: the error estimate itself fails),
                    or the only disagreements sit at kinks (below)
    "passed"        none of that: every slope within its allowance, at a useful resolution

Each reason is a ``Reason``: its text, and a ``code`` the report reads (never its wording).

Kinks. Where the cost has a corner (ReLU, max, abs) within a step of a weight, the centered
difference averages the slopes on its two sides and disagrees with a correct backprop. The
check sees such a corner from the cost alone: from the five costs J(w - 2h e), J(w - h e), J(w),
J(w + h e), J(w + 2h e) it forms the fourth difference, which for a smooth cost is of order
h^4 (plus noise) and at a corner of order h times the jump in slope. A disagreeing slope whose
fourth difference exceeds twice its allowance (and its disagreement) is "at a kink", not wrong.

How likely a fast check misses a bug (``missProbability``, ``sparseMissProbability``,
``confinedBugError``, ``defaultDirections``) is judged here too: it is arithmetic on the
numbers of directions, weights and the bug's size.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy as np

from checker.validation import checkPositive, checkSameShape, checkWholeNumber
from checker.weightLayout import placeName, unitRoundoff

__all__ = ["judge", "Judgment", "WeightError", "Reason", "compareGradients",
           "numericalAllowance", "kinkSizes", "derivedTolerance",
           "resolutionOf", "missProbability", "sparseMissProbability", "confinedBugError",
           "defaultDirections", "SAFETY", "RESOLUTION", "CLASSIC_TOLERANCE"]

CLASSIC_TOLERANCE = 1e-7  # the tutorial's "about 1e-8 or less", read as a fixed threshold
SAFETY = 10  # allowance = SAFETY x the estimated error; estimates are good to a factor of ~2
RESOLUTION = {"float64": 1e-3, "float32": 1e-2}  # the largest tolerance a check may pass with
COARSE_RESOLUTION = 1e-1  # for any other precision (float16)
STEP_LIMIT = 0.01  # epsilon is lost in rounding when w + epsilon is off by more than this x eps
DRIFT_LIMIT = 0.1  # slopes at epsilon and 2 epsilon this far apart: epsilon is far too large
KINK_FACTOR = 2  # a fourth difference this many allowances big marks a corner of the cost
MISS_TARGET = 1e-6  # default directions keep missing a one-weight bug this unlikely


def resolutionOf(dtype):
    """The largest tolerance (norm ratio allowed) a check in ``dtype`` may still pass with."""
    return RESOLUTION.get(np.dtype(dtype).name, COARSE_RESOLUTION)


# --- how much error the numbers may have ----------------------------------------------------------

def numericalAllowance(numgrad, numgradDouble, noise, epsilon, weightScale, roundoff=None):
    """The error each numerical slope may honestly have, and its parts.

    In:  numgrad, the centered slopes at step epsilon; numgradDouble, the same slopes at step
         2 epsilon; noise, costNoise's sigma; weightScale, the largest |weight|; roundoff, the
         unit round-off u of the weights' precision (default: float64's).
    Out: (allowed, truncation, roundoff): allowed = SAFETY * (truncation + roundoff + step),
         with truncation = |numgradDouble - numgrad| / 3 per slope, roundoff = sigma / epsilon
         for every slope, and step = |numgrad| u (weightScale + epsilon) / epsilon.
    """
    roundoff = unitRoundoff(np.float64) if roundoff is None else roundoff
    truncation = np.abs(numgradDouble - numgrad) / 3
    noisy = noise / epsilon
    step = np.abs(numgrad) * roundoff * (weightScale + epsilon) / epsilon
    return SAFETY * (truncation + noisy + step), truncation, noisy


def kinkSizes(sums, sumsDouble, cost, epsilon):
    """How far from smooth the cost is along each compared step: |fourth difference| / epsilon.

    In:  sums, J(w + h v) + J(w - h v) per step v at h = epsilon; sumsDouble, the same at 2h;
         cost, J(w). Out: |J(+2h) - 4 J(+h) + 6 J(w) - 4 J(-h) + J(-2h)| / h per step, in the
    units of a slope: about h^3 |J''''| for a smooth cost, and at least 0.87 times the jump in
    slope when a corner lies within h of the weights (so it is how much a corner can move the
    centered slope, which it shifts by at most half the jump).
    """
    return np.abs(sumsDouble - 4 * sums + 6 * cost) / epsilon


# --- the verdict ---------------------------------------------------------------------------------

def compareGradients(grad, numgrad):
    """Return norm(grad - numgrad) / norm(grad + numgrad): about 1e-8 or less means they agree.

    Two zero vectors agree exactly (0.0); opposite vectors get infinity.
    """
    checkSameShape(grad, numgrad)
    grad, numgrad = np.asarray(grad, dtype=float), np.asarray(numgrad, dtype=float)
    difference = np.linalg.norm(grad - numgrad)
    total = np.linalg.norm(grad + numgrad)
    if difference == 0:
        return 0.0
    if total == 0:
        return float("inf")
    return float(difference / total)


def derivedTolerance(allowed, total):
    """The norm ratio the allowances permit: norm(allowed) / norm(grad + numgrad).

    Every |grad - numgrad| <= allowed implies compareGradients <= this.
    """
    with np.errstate(over="ignore"):  # allowances of 1e300 (epsilon 1e-300) have norm inf
        limit, size = np.linalg.norm(allowed), np.linalg.norm(total)
    if size == 0:
        return 0.0 if limit == 0 else float("inf")
    return float(limit / size)


def verdict(grad, numgrad, places, tolerance, epsilon, method="full", checked="",
            allowance=None, weightValues=None, kinkSize=None, precision="float64",
            stepError=0.0, roundoffFloor=None):
    """Judge backprop's numbers ``grad`` against the estimates ``numgrad``.

    In:  ``places`` say what each entry is ((array name, index) of a weight, or ("", (k,)) for
         direction k); tolerance None means the derived rule (needs ``allowance``,
         numericalAllowance's (allowed, truncation, roundoff)), a number the fixed rule
         (compareGradients <= tolerance); weightValues, the compared weights' values (for the
         hints), if known; kinkSize, kinkSizes' numbers, if measured; precision, the dtype the
         numbers were computed in; stepError, the relative error with which w + epsilon
         represents a step of epsilon (unit round-off x (|w| + eps) / eps); roundoffFloor,
         u |J| / epsilon (kept for the report, which bounds correct weights by it).
    Out: a Judgment with its status: "passed", "failed" or "inconclusive" (see the module
    docstring), and the reasons (Reasons) for an inconclusive one.
    """
    grad, numgrad = np.asarray(grad, dtype=float), np.asarray(numgrad, dtype=float)
    relativeError = compareGradients(grad, numgrad)
    allowed, truncation, roundoff = allowance if allowance is not None else (None, None, None)
    difference = np.abs(grad - numgrad)
    finite = np.isfinite(numgrad) & (np.isfinite(allowed) if allowed is not None else True)
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
    if tolerance is None and np.all(finite):
        reasons += driftReasons(numgrad, truncation, roundoff, epsilon)
    if tolerance is None:
        outside = finite & ~(difference <= allowed)  # NaN backprop counts as outside
        kinks = outside & (kinkSize > KINK_FACTOR * allowed) & (kinkSize >= difference) \
            if kinkSize is not None else np.zeros(len(grad), dtype=bool)
        wrong = outside & ~kinks
        tolerance = derivedTolerance(np.where(finite, allowed, 0.0), grad + numgrad) \
            if np.all(finite) else math.inf
        if np.any(wrong) and not reasons:
            status = "failed"
        else:
            reasons += kinkReasons(places, kinks, wrong)
            if tolerance > resolutionOf(precision) and not reasons:
                reasons.append(resolutionReason(precision, truncation, roundoff))
            status = "inconclusive" if reasons else "passed"
    else:
        kinks = wrong = None
        status = "inconclusive" if reasons else \
            ("passed" if relativeError <= tolerance else "failed")
    return Judgment(status=status, relativeError=relativeError, tolerance=float(tolerance),
                    epsilon=float(epsilon), grad=grad, numgrad=numgrad, places=list(places),
                    method=method, checked=checked, allowed=allowed, truncation=truncation,
                    roundoff=roundoff, weightValues=weightValues, wrong=wrong,
                    kinks=kinks, reasons=reasons, precision=str(precision),
                    roundoffFloor=roundoffFloor)


def judge(measured, tolerance, method="full", checked=""):
    """The verdict on a measure.Measurement: allowances from its numbers (the derived rule,
    tolerance None) or the fixed rule (relative error <= tolerance).

    In:  the Measurement, the tolerance (None or a number >= 0), the method that measured
         ("full", "directional" or "sparse") and what a fast check compared, as text.
    Out: a Judgment (see verdict).
    """
    numgrad, epsilon, scale = measured.numerical[0], measured.epsilon, measured.weightScale
    roundoffOfWeights = unitRoundoff(measured.dtype)
    allowance = kinkSize = floor = None
    precision = measured.dtype
    if tolerance is None:
        noise = measured.noise
        precision = noise.dtype
        floor = float(unitRoundoff(precision) * abs(noise.cost) / epsilon)  # sigma >= u|J|
        with np.errstate(invalid="ignore", over="ignore"):
            allowance = numericalAllowance(numgrad, measured.numerical[1], noise.sigma, epsilon,
                                           scale, roundoffOfWeights)
            if measured.sums is not None:
                kinkSize = kinkSizes(measured.sums[0], measured.sums[1], noise.cost, epsilon)
    stepError = roundoffOfWeights * (scale + epsilon) / epsilon
    return verdict(measured.grad, numgrad, measured.places, tolerance, epsilon, method, checked,
                   allowance, measured.weightValues, kinkSize, np.dtype(precision).name,
                   stepError, floor)


# --- why a check cannot tell ----------------------------------------------------------------------

NOT_FINITE, STEP_LOST, STEP_TOO_LARGE, KINKS_ONLY, TOO_COARSE = (
    "not finite", "step lost", "step too large", "kinks only", "too coarse")


class Reason(str):
    """Why a check is inconclusive: the sentence itself (a str, as printed), and its ``code``,
    one of NOT_FINITE, STEP_LOST, STEP_TOO_LARGE, KINKS_ONLY, TOO_COARSE, for code that needs
    to know which reason it is (the report's headline) without reading the words."""

    def __new__(cls, code, text):
        reason = super().__new__(cls, text)
        reason.code = code
        return reason


def driftReasons(numgrad, truncation, roundoff, epsilon):
    """Why a check whose step is far too large cannot tell (none if the step is fine).

    The truncation estimate assumes slope(h) = true slope + c h^2: then slope(2h) - slope(h) =
    3 c h^2 is small next to the slope. When the two slopes differ, beyond what round-off
    explains, by more than DRIFT_LIMIT of the slope (norm against norm), that expansion does
    not hold at this epsilon, the estimate of the error means nothing, and neither would a
    "wrong" weight.
    """
    size = np.linalg.norm(numgrad)
    beyondNoise = np.maximum(truncation - roundoff, 0.0)
    drift = 3 * np.linalg.norm(beyondNoise) / size if size > 0 else 0.0
    if drift <= DRIFT_LIMIT:
        return []
    return [Reason(STEP_TOO_LARGE,
                   f"epsilon {epsilon:.3g} is too large for this cost: the slopes at epsilon and "
                   f"at 2 epsilon differ by more than {DRIFT_LIMIT:.0%} of the gradient, so the "
                   f"numerical error cannot be estimated (nor a wrong weight told from it). Try "
                   f"a smaller epsilon, such as 1e-4")]


def kinkReasons(places, kinks, wrong):
    """Why a check whose only disagreements sit at kinks cannot tell (none if there are none,
    or if some disagreement is not at a kink)."""
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
    """Why a check whose allowances are too large cannot tell, and which way to move epsilon.

    The text names the limit, not the tolerance itself: that is an estimate from measured
    rounding noise, whose digits differ from one machine to the next.
    """
    roundoffRules = truncation is None or roundoff >= np.median(truncation)
    if roundoffRules:
        remedy = "round-off rules here (a tiny gradient, or a noisy cost): try a larger " \
                 "epsilon, such as 1e-2"
        if precision != "float64":
            remedy += ", or compute the cost in float64"
    else:
        remedy = "truncation rules here (epsilon is large for how curved the cost is): try a " \
                 "smaller epsilon, such as 1e-5"
    limit = f"{resolutionOf(precision):.0e}"
    return Reason(TOO_COARSE,
                  f"the numerical error allowed is more than {limit} of the gradient, the most "
                  f"a {precision} check can pass with, so a wrong backprop could look right; "
                  f"{remedy}")


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


def pairRelativeError(analytic, numerical):
    """|a - n| / (|a| + |n|) elementwise: 0 where both are 0, 1 for opposite signs."""
    total = np.abs(analytic) + np.abs(numerical)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(analytic - numerical) / total
    return np.where(total == 0, 0.0, ratio)


def worstFirst(absolute, flagged):
    """Order of the slopes, worst first.

    With verdicts per slope (``flagged``: wrong or at a kink): the flagged slopes by
    |difference|, largest first, then the others in their own order (within the numerical
    error, ranking them would rank rounding noise). Without: by |difference|, largest first.
    A NaN difference (backprop returned NaN) counts as the largest.
    """
    absolute = np.where(np.isnan(absolute), np.inf, absolute)
    if flagged is not None:
        absolute = np.where(flagged, absolute, 0.0)
    return np.argsort(-absolute, kind="stable")


@dataclass(repr=False)
class Judgment:
    """What a gradient check found: the verdict, every compared number and how much error each
    may have. ``.passed`` is True only for status "passed", so ``assert check.passed`` in a
    test is never fooled by a check that could not tell. (gradientReport.GradientCheck is the
    same with a report: text, HTML and hints.)
    """

    status: str  # "passed", "failed" or "inconclusive"
    relativeError: float  # the tutorial's norm ratio, norm(grad - numgrad) / norm(grad + numgrad)
    tolerance: float  # the norm ratio allowed: the caller's, or derived from the allowances
    #                   (then an estimate from measured noise, so the report does not print it)
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
        """"derived" (per-slope allowances: the check was given tolerance None) or "fixed"
        (relativeError <= the caller's tolerance)."""
        return "fixed" if self.allowed is None else "derived"

    @cached_property
    def names(self):
        """What each entry of grad is, as text: "W1[0, 2]", "b1[2]", ... or "direction 3"."""
        return [placeName(place) for place in self.places]

    @property
    def worstWeight(self):
        """The name of the worst slope: the most wrong one, or with the fixed rule the one
        with the largest difference."""
        return self.weights[0].name

    @cached_property
    def weights(self):
        """Every compared slope as a WeightError, worst first: the wrong and kinked ones by
        |difference|, then the rest in getParams order (see worstFirst)."""
        absolute = np.abs(self.grad - self.numgrad)
        relative = pairRelativeError(self.grad, self.numgrad)
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
        """The names of the slopes off by more than their allowance (not at a kink), worst
        first."""
        return [row.name for row in self.weights if row.wrong]

    @property
    def kinkWeights(self):
        """The names of the slopes that disagree because a kink of the cost is within epsilon."""
        return [row.name for row in self.weights if row.atKink]


# --- how likely a fast check misses a bug ---------------------------------------------------------

def confinedBugError(buggyWeights, size):
    """The full check's relative error for a bug confined to m = buggyWeights of P = size weights.

    The model: backprop is off on m weights, each by about the size of a typical gradient entry
    (the root mean square), in directions unrelated to the gradient. Then
    |error|^2 = (m/P) |g|^2 and |grad + numgrad|^2 = (4 + m/P) |g|^2, so the relative error is
    sqrt(m / (4P + m)): about 0.0016 for one weight in 101,632.
    """
    size = checkWholeNumber(size, "size (the number of weights P)", 1)
    buggyWeights = checkWholeNumber(buggyWeights, "buggyWeights (m)", 1, size)
    return math.sqrt(buggyWeights / (4 * size + buggyWeights))


def missProbability(directions, relativeError, tolerance=CLASSIC_TOLERANCE):
    """How likely k random directions pass a bug whose full relative error is ``relativeError``.

    With Gaussian directions and a bug error e unrelated to (orthogonal to) s = grad + numgrad,
    the slopes of e and of s along k directions are 2k independent normal numbers (the
    directions' entries are independent normal numbers, so the slopes of any two orthogonal
    vectors along them are independent), so the directional relative error is relativeError *
    sqrt(F), with F the ratio of two independent chi-squared sums of k terms (Fisher's F(k, k)
    distribution). The check passes the bug when F <= (tolerance / relativeError)^2. A bug that
    also changes the gradient's own direction is missed less often: this is the worst case
    (exactly for k = 1, closely for larger k).
    Out: P(F(k, k) <= (tolerance / relativeError)^2).
    """
    k = checkWholeNumber(directions, "directions", 1, example="2")
    relativeError = checkPositive(relativeError, "relativeError", "1e-3")
    tolerance = checkPositive(tolerance, "tolerance", "1e-7")
    ratio = (tolerance / relativeError) ** 2
    return regularizedBeta(ratio / (1 + ratio), k / 2)


def regularizedBeta(x, a):
    """I_x(a, a), the regularized incomplete beta function with equal parameters (0 <= x <= 1).

    P(F(k, k) <= f) = I_x(k/2, k/2) with x = f / (1 + f). Computed by the power series
    I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * sum_n (a+b)_n / (a+1)_n x^n, for x <= 1/2
    (the symmetry I_x(a, a) = 1 - I_{1-x}(a, a) covers the rest); the terms shrink at least
    as fast as x^n, so 200 terms reach double precision.
    """
    if x > 0.5:
        return 1.0 - regularizedBeta(1.0 - x, a)
    if x == 0:
        return 0.0
    logFront = a * math.log(x) + a * math.log1p(-x) - math.log(a) \
        - (2 * math.lgamma(a) - math.lgamma(2 * a))
    term, total = 1.0, 1.0
    for n in range(200):
        term *= (2 * a + n) / (a + 1 + n) * x
        total += term
        if term < 1e-17 * total:
            break
    return min(1.0, math.exp(logFront) * total)


def sparseMissProbability(coordinates, buggyWeights, size):
    """How likely m = coordinates random weights of P = size all avoid a bug on buggyWeights.

    The sparse check compares only the weights it picks, so it misses a bug exactly when none
    of them is buggy: the first pick avoids the b buggy weights with probability (P - b) / P,
    the next with (P - b - 1) / (P - 1), and so on: C(P - b, m) / C(P, m), about (1 - b/P)^m.
    """
    size = checkWholeNumber(size, "size (the number of weights P)", 1)
    m = checkWholeNumber(coordinates, "coordinates (weights to compare)", 1, size)
    b = checkWholeNumber(buggyWeights, "buggyWeights", 1, size)
    return math.prod((size - b - pick) / (size - pick) for pick in range(m)) if m + b <= size \
        else 0.0


def defaultDirections(size, tolerance=CLASSIC_TOLERANCE):
    """The fewest directions that miss a one-weight bug with probability <= MISS_TARGET (1e-6).

    The bug is confinedBugError(1, size): one weight of P off by a typical gradient entry.
    Out: 2 for 101,632 weights (1 would miss with probability 4e-5); at least 1.
    """
    error = confinedBugError(1, size)
    return fewestDirections(error, checkPositive(tolerance, "tolerance", "1e-7"))


@lru_cache(maxsize=64)  # every directional check asks; the series takes ~40 us
def fewestDirections(error, tolerance):
    """The smallest k >= 1 with missProbability(k, error, tolerance) <= MISS_TARGET."""
    k = 1
    while missProbability(k, error, tolerance) > MISS_TARGET:
        k += 1
    return k
