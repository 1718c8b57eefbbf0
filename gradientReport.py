"""The verdict of a gradient check: how much error to allow, which weights are wrong, and when
the check cannot tell.

The tutorial's rule, "the norm ratio should be around 1e-8", is a fixed threshold on a number
whose honest size depends on the network. Where the gradient is tiny (saturated sigmoids, a
trained network), rounding in the two cost evaluations is as big as the gradient itself, and a
correct backprop "fails". Where one weight of many is wrong, the ratio hardly moves, and a
wrong backprop "passes". ``partFive.checkGradient`` therefore judges every compared slope
against its own allowance, estimated from the numerical derivative's own error:

    truncation   the centered difference at step h is off by about c h^2; at step 2h by 4 c h^2.
                 So |slope(2h) - slope(h)| / 3 estimates the error of slope(h), weight by weight.
    round-off    each cost evaluation carries a rounding error of about sigma (measured by
                 ``costNoise``: differences of the cost at a few close, equally spaced points).
                 Divided by the step 2h, twice: sigma / h.
    the step     w + h is itself rounded, so the step is 2h only to within unit round-off
                 (of the weights' own precision, float64 or float32) times |w|.

    allowed = SAFETY * (truncation + round-off + step), SAFETY = 10.

The three verdicts (``GradientCheck.status``):

    "failed"        some slope is off by more than its allowance: no numerical error explains it
    "inconclusive"  the numbers cannot separate a right backprop from a wrong one: the norm
                    ratio the allowances permit (``tolerance``) exceeds RESOLUTION (1e-3 in
                    float64, 1e-2 in float32: epsilon far too big or too small, or a noisy
                    cost), the cost is not finite near the weights, epsilon is lost in rounding
                    the weights, epsilon is so large that the slopes at epsilon and 2 epsilon
                    differ by more than DRIFT_LIMIT (a tenth: the error estimate itself fails),
                    or the only disagreements sit at kinks (below)
    "passed"        none of that: every slope within its allowance, at a useful resolution

Kinks. Where the cost has a corner (ReLU, max, abs) within a step of a weight, the centered
difference averages the slopes on its two sides and disagrees with a correct backprop. The
check sees such a corner from the cost alone: from the five costs J(w - 2h e), J(w - h e), J(w),
J(w + h e), J(w + 2h e) it forms the fourth difference, which for a smooth cost is of order
h^4 (plus noise) and at a corner of order h times the jump in slope. A disagreeing slope whose
fourth difference exceeds twice its allowance (and its disagreement) is "at a kink", not wrong.

``GradientCheck`` holds the verdict and every number behind it: print it for a text report, or
let a notebook show it as a table of the worst weights; ``hints`` reads the pattern of wrong
weights (one array, one unit, a constant factor, ...) as a pointer to the bug, and ``reasons``
says why a check is inconclusive and what to try.

What a report prints is the same on every machine. The allowances and the tolerance rest on
the measured rounding noise of the cost, which differs from one CPU, BLAS or numpy to the next,
so the text names none of them: it prints the verdict, backprop's and the numerical numbers
(which truncation, not noise, dominates at a sensible epsilon) and the limits the verdict
applies (RESOLUTION, DRIFT_LIMIT), never an estimate of the noise.
"""

import html
import math
import textwrap
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from weightVector import asCost, placeName, randomDirections, stepped

__all__ = ["costNoise", "noiseFromTable", "numericalAllowance", "kinkSizes", "verdict",
           "compareGradients", "derivedTolerance", "GradientCheck", "WeightError", "Noise",
           "unitRoundoff", "resolutionOf", "SAFETY", "RESOLUTION", "STATUSES"]

SAFETY = 10  # allowance = SAFETY x the estimated error; estimates are good to a factor of ~2
RESOLUTION = {"float64": 1e-3, "float32": 1e-2}  # the largest tolerance a check may pass with
COARSE_RESOLUTION = 1e-1  # for any other precision (float16)
STEP_LIMIT = 0.01  # epsilon is lost in rounding when w + epsilon is off by more than this x eps
DRIFT_LIMIT = 0.1  # slopes at epsilon and 2 epsilon this far apart: epsilon is far too large
KINK_FACTOR = 2  # a fourth difference this many allowances big marks a corner of the cost
NOISE_POINTS = 9  # cost evaluations of the noise probe (differences of order 1 to 8)
NOISE_ORDERS = range(2, 7)  # difference orders that may give the noise level (>= 3 values each)
TABLE_ROWS = 5  # weights a report lists, worst first
TEXT_WIDTH = 88  # a printed report's longest line: unbroken in a notebook at 1280 pixels
PASSED_COLOUR, FAILED_COLOUR, INCONCLUSIVE_COLOUR = "#1a7f37", "#cf222e", "#9a6700"
SAME_FACTOR = 0.01  # wrong weights whose backprop/numerical ratios agree this closely share one
STATUSES = ("passed", "failed", "inconclusive")


def unitRoundoff(dtype):
    """u, the largest relative error of one rounding in ``dtype``: 1.1e-16 (float64), 6e-8
    (float32)."""
    return float(np.finfo(dtype).eps) / 2


def resolutionOf(dtype):
    """The largest tolerance (norm ratio allowed) a check in ``dtype`` may still pass with."""
    return RESOLUTION.get(np.dtype(dtype).name, COARSE_RESOLUTION)


# --- how much error the numbers may have ----------------------------------------------------------

class Noise(NamedTuple):
    """What the noise probe measured near the weights."""

    sigma: float  # the typical rounding error of one cost evaluation
    cost: float  # the cost at the weights
    dtype: np.dtype  # the coarser of the weights' and the cost's precision


def costNoise(N, X, y, spacing, seed=0, params=None):
    """Measure the rounding noise of N's cost near its weights.

    In:  a network N (getParams / setParams / costFunction), validated X and y, the spacing of
         the probe (the check's epsilon), a seed for the probe's random direction, and N's
         weights (default: N.getParams()).
    Out: a Noise: sigma, the typical rounding error of one evaluation of the cost near the
         weights (at least unit round-off times |J|, in the coarser of the weights' and the
         cost's precision); J, the cost at the weights; that precision.
    The cost is evaluated at NOISE_POINTS equally spaced points along a random unit direction
    and ``noiseFromTable`` reads sigma off their differences. N's weights are put back as they
    were, also when the cost raises.
    """
    params = np.array(N.getParams()) if params is None else params
    direction = next(randomDirections(1, len(params), seed))
    costs, dtype = [], params.dtype
    try:
        for step in range(NOISE_POINTS):
            N.setParams(stepped(params, step * spacing * direction))
            cost, costType = asCost(N.costFunction(X, y))
            costs.append(cost)
            if unitRoundoff(costType) > unitRoundoff(dtype):
                dtype = costType
    finally:
        N.setParams(params)
    floor = unitRoundoff(dtype) * abs(costs[0])
    sigma = noiseFromTable(costs) if all(map(math.isfinite, costs)) else math.inf
    return Noise(max(sigma, floor), costs[0], np.dtype(dtype))


def noiseFromTable(costs):
    """The noise level sigma of equally spaced cost values, from their table of differences.

    The k-th differences of a smooth function shrink like spacing^k; those of independent noise
    of standard deviation sigma have mean square C(2k, k) sigma^2. So each order k gives an
    estimate sqrt(mean((k-th differences)^2) / C(2k, k)): the noise plus what is left of the
    smooth part. We take the lowest order (from NOISE_ORDERS) where the differences change sign
    (noise, not a smooth trend) and the next order agrees within a factor of 4 (the idea of
    More and Wild's ECnoise); failing that, the smallest estimate, which is still at least the
    noise. Out: sigma (0.0 when the values are all equal).
    """
    differences, estimates, changesSign = np.asarray(costs, dtype=float), {}, {}
    for order in range(1, max(NOISE_ORDERS) + 2):
        differences = np.diff(differences)
        estimates[order] = math.sqrt(np.mean(differences**2) / math.comb(2 * order, order))
        changesSign[order] = bool(np.any(differences[:-1] * differences[1:] < 0))
    for order in NOISE_ORDERS:
        here, following = estimates[order], estimates[order + 1]
        if changesSign[order] and max(here, following) <= 4 * min(here, following):
            return here
    return min(estimates[order] for order in NOISE_ORDERS)


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


# --- the verdict ----------------------------------------------------------------------------------

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
            stepError=0.0):
    """Judge backprop's numbers ``grad`` against the estimates ``numgrad``.

    In:  ``places`` say what each entry is ((array name, index) of a weight, or ("", (k,)) for
         direction k); tolerance None means the derived rule (needs ``allowance``,
         numericalAllowance's (allowed, truncation, roundoff)), a number the fixed rule
         (compareGradients <= tolerance); weightValues, the compared weights' values (for the
         hints), if known; kinkSize, kinkSizes' numbers, if measured; precision, the dtype the
         numbers were computed in; stepError, the relative error with which w + epsilon
         represents a step of epsilon (unit round-off x (|w| + eps) / eps).
    Out: a GradientCheck with its status: "passed", "failed" or "inconclusive" (see the module
    docstring), and the reasons for an inconclusive one.
    """
    grad, numgrad = np.asarray(grad, dtype=float), np.asarray(numgrad, dtype=float)
    relativeError = compareGradients(grad, numgrad)
    allowed, truncation, roundoff = allowance if allowance is not None else (None, None, None)
    difference = np.abs(grad - numgrad)
    finite = np.isfinite(numgrad) & (np.isfinite(allowed) if allowed is not None else True)
    reasons = []
    if not np.all(finite):
        bad = int(np.flatnonzero(~finite)[0])
        reasons.append(f"the cost is not finite near the weights (numerical slope "
                       f"{numgrad[bad]} at {placeName(places[bad])}): the activations overflowed "
                       f"or the cost is NaN there. Try smaller weights or a smaller epsilon, or "
                       f"look for a log of 0 or a division by 0 in the cost")
    if stepError > STEP_LIMIT:
        reasons.append(f"epsilon {epsilon:.3g} is lost in rounding the weights: w + epsilon is "
                       f"off by {stepError:.1g} x epsilon in {precision}. Try a larger epsilon, "
                       f"such as 1e-4 in float64 or 1e-2 in float32")
    if tolerance is None and np.all(finite):
        reasons += driftReasons(numgrad, truncation, roundoff, epsilon)
    if tolerance is None:
        rule = "derived"
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
        rule, kinks, wrong = "fixed", None, None
        status = "inconclusive" if reasons else \
            ("passed" if relativeError <= tolerance else "failed")
    return GradientCheck(status=status, relativeError=relativeError,
                         tolerance=float(tolerance), epsilon=float(epsilon), grad=grad,
                         numgrad=numgrad, places=list(places), method=method, checked=checked,
                         allowed=allowed, truncation=truncation, roundoff=roundoff, rule=rule,
                         weightValues=weightValues, wrong=wrong, kinks=kinks,
                         reasons=reasons, precision=str(precision))


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
    return [f"epsilon {epsilon:.3g} is too large for this cost: the slopes at epsilon and at "
            f"2 epsilon differ by more than {DRIFT_LIMIT:.0%} of the gradient, so the "
            f"numerical error cannot be estimated (nor a wrong weight told from it). Try a "
            f"smaller epsilon, such as 1e-4"]


def kinkReasons(places, kinks, wrong):
    """Why a check whose only disagreements sit at kinks cannot tell (none if there are none,
    or if some disagreement is not at a kink)."""
    if not np.any(kinks) or np.any(wrong):
        return []
    named = [placeName(places[i]) for i in np.flatnonzero(kinks)]
    listed = ", ".join(named[:4]) + (", ..." if len(named) > 4 else "")
    return [f"the only disagreements are at a kink of the cost ({len(named):,} of "
            f"{len(places):,}: {listed}): a corner (ReLU, max, abs) lies within epsilon of the "
            f"weights, so the centered difference averages the slopes on its two sides. Move "
            f"the weights off the corner (another seed or other data), or use a smaller "
            f"epsilon; the other slopes agree"]


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
    return (f"the numerical error allowed is more than {limit} of the gradient, the most a "
            f"{precision} check can pass with, so a wrong backprop could look right; {remedy}")


# --- the report -----------------------------------------------------------------------------------

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


@dataclass(repr=False)
class GradientCheck:
    """What a gradient check found: the verdict, every compared number and how much error each
    may have. ``print`` it for a text report; in a notebook it shows as a table of the worst
    weights. ``.passed`` is True only for status "passed", so ``assert check.passed`` in a test
    is never fooled by a check that could not tell.
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
    rule: str = "derived"  # "derived": per-slope allowances; "fixed": relativeError <= tolerance
    weightValues: np.ndarray = None  # the compared weights' values (None for directions)
    wrong: np.ndarray = None  # per slope: off by more than its allowance, not at a kink
    kinks: np.ndarray = None  # per slope: off by more than its allowance, at a kink
    reasons: list = field(default_factory=list)  # why the check is inconclusive, what to try
    precision: str = "float64"  # the precision of the weights and cost

    @property
    def passed(self):
        """True only when the status is "passed"."""
        return self.status == "passed"

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

    @property
    def hints(self):
        """What the pattern of wrong weights says about the bug: a list of sentences."""
        return patternHints(self)

    def headline(self):
        """The verdict in one line.

        Under the derived rule it prints no tolerance: that ratio comes from the measured
        rounding noise of the cost, whose digits differ from one CPU or BLAS to the next, and a
        report must read the same on every machine (``.tolerance`` holds it).
        """
        word = {"passed": "passed", "failed": "FAILED", "inconclusive": "INCONCLUSIVE"}[self.status]
        scope = f"{self.checked}; " if self.checked else ""
        if self.rule == "fixed":
            if self.status == "inconclusive":
                return (f"GradientCheck {word}: {shortReason(self)} (relative error "
                        f"{ratioText(self.relativeError, '.1e')}, fixed tolerance "
                        f"{self.tolerance:.3g}; {scope}epsilon {self.epsilon:.3g})")
            sign = "<=" if self.passed else ">"
            return (f"GradientCheck {word}: relative error {self.relativeError:.1e} {sign} "
                    f"tolerance {self.tolerance:.3g} (epsilon {self.epsilon:.3g}; {scope}"
                    f"largest difference at {self.worstWeight})")
        what = "weights" if self.method != "directional" else "directions"
        count, wrong = len(self.grad), len(self.wrongWeights)
        if self.status == "passed":
            finding = f"all {count:,} {what} within the numerical error"
        elif self.status == "failed":
            finding = f"{wrong:,} of {count:,} {what} off by more than the numerical error"
        else:
            finding = shortReason(self)
        return (f"GradientCheck {word}: {finding} (relative error "
                f"{ratioText(self.relativeError, '.1e')}; {scope}epsilon {self.epsilon:.3g})")

    def __repr__(self):
        return self.headline()

    def summary(self):
        """The verdict, why (if inconclusive) and the hints, without the table: text lines of
        at most TEXT_WIDTH characters, broken between words."""
        lines = [wrapped(self.headline(), "", "    ")]
        lines += [wrapped(reason, "why: ", "     ") for reason in self.reasons]
        lines += [wrapped(hint, "hint: ", "      ") for hint in self.hints]
        return "\n".join(lines)

    def __str__(self):
        """The report as text lines of at most TEXT_WIDTH characters (the table aside), so a
        notebook shows them unbroken: the headline, the table, why (if inconclusive), hints."""
        lines = [wrapped(self.headline(), "", "    ")]
        rows = self.weights
        if self.rule == "derived" or len(rows) > 1:
            lines += textTable(rows[:TABLE_ROWS], self.rule)
            if len(rows) > TABLE_ROWS:
                lines.append(f"... and {len(rows) - TABLE_ROWS:,} more")
        lines += [wrapped(reason, "why: ", "     ") for reason in self.reasons]
        lines += [wrapped(hint, "hint: ", "      ") for hint in self.hints]
        return "\n".join(lines)

    def _repr_html_(self):
        """The notebook view: the verdict, a table of the worst weights and the hints."""
        colour = {"passed": PASSED_COLOUR, "failed": FAILED_COLOUR,
                  "inconclusive": INCONCLUSIVE_COLOUR}[self.status]
        parts = [f"<p style='color: {colour}; font-weight: bold'>"
                 f"{html.escape(self.headline())}</p>"]
        rows = self.weights
        header = "".join(f"<th>{html.escape(title)}</th>" for title in COLUMNS)
        body = "".join(
            (f"<tr style='color: {FAILED_COLOUR}'>" if row.wrong else
             f"<tr style='color: {INCONCLUSIVE_COLOUR}'>" if row.atKink else "<tr>")
            + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells(row)) + "</tr>"
            for row in rows[:TABLE_ROWS])
        parts.append(f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>")
        if len(rows) > TABLE_ROWS:
            parts.append(f"<p>... and {len(rows) - TABLE_ROWS:,} more</p>")
        parts += [f"<p>why: {html.escape(reason)}</p>" for reason in self.reasons]
        parts += [f"<p>hint: {html.escape(hint)}</p>" for hint in self.hints]
        return "\n".join(parts)


def wrapped(text, first, rest):
    """``text`` as lines of at most TEXT_WIDTH characters, broken only between words: the
    first line starts with ``first``, the others with ``rest``."""
    return textwrap.fill(text, TEXT_WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)


def shortReason(check):
    """An inconclusive check's reason in a few words, for its headline."""
    first = check.reasons[0] if check.reasons else ""
    if first.startswith("the only disagreements are at a kink"):
        return f"the only disagreements are at a kink of the cost ({len(check.kinkWeights):,} " \
               f"of {len(check.grad):,})"
    if first.startswith("the cost is not finite"):
        return "the cost is not finite near the weights"
    if first.startswith("epsilon") and "lost in rounding" in first:
        return "epsilon is lost in rounding the weights"
    if first.startswith("epsilon"):
        return "epsilon is too large to estimate the numerical error"
    return "the numerical error is too large to tell a right gradient from a wrong one"


def ratioText(ratio, spec):
    """A norm ratio as text; above 1 just "> 1": the sum of the two vectors is then smaller than
    their difference (they point apart), and the digits only measure how nearly it cancels."""
    return "> 1" if ratio > 1 else format(ratio, spec)


COLUMNS = ("weight", "backprop", "numerical", "|difference|", "relative", "")


def cells(row):
    """A WeightError as the text of one table row (see COLUMNS).

    Printed are only digits that are the same on every machine. The allowance is an estimate
    whose digits depend on rounding noise, so it is left out (it is in .weights), and so is the
    difference of a weight within its allowance: that is numerical error, "-" here.
    """
    judged = not math.isnan(row.allowed)
    if judged and not (row.wrong or row.atKink):
        return (row.name, f"{row.analytic:+.4e}", f"{row.numerical:+.4e}", "-", "-", "ok")
    mark = "WRONG" if row.wrong else "KINK" if row.atKink else ""
    return (row.name, f"{row.analytic:+.4e}", f"{row.numerical:+.4e}",
            f"{row.absoluteError:.1e}", f"{row.relativeError:.1e}", mark)


def textTable(rows, rule):
    """Rows of WeightErrors as aligned text lines, with a header."""
    table = [COLUMNS] + [cells(row) for row in rows]
    if rule == "fixed":  # no allowances, no verdict per weight
        table = [line[:5] for line in table]
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    return ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip()
            for line in table]


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


# --- reading the pattern of wrong weights ---------------------------------------------------------

def patternHints(check):
    """Sentences about the pattern of wrong weights of a GradientCheck (none if nothing is wrong).

    Looks for: wrong weights confined to some of the arrays; to whole columns (units) or rows
    (inputs) of a matrix; backprop's numbers being the true ones times one factor (a sign, a
    missing 1/2, an average instead of a sum); zeros where the gradient is not zero; backprop
    minus numerical proportional to the weight (weight decay on one side only); and the right
    numbers in the wrong places (a transpose).
    """
    wrong = [row for row in check.weights if row.wrong]
    if not wrong or check.status != "failed":
        return []
    if check.method == "directional":
        return ["a directional check cannot say which weights are wrong: run method='full' "
                "(or 'sparse') to find them"]
    hints = arrayHints(check, wrong)
    if check.method == "full":
        hints += unitHints(check, wrong)
    hints += factorHints(wrong)
    hints += decayHints(check, wrong)
    zeros = [row.name for row in wrong if row.analytic == 0]
    if zeros:
        hints.append(f"backprop gives exactly 0 for {len(zeros)} wrong weight(s) "
                     f"({', '.join(zeros[:3])}{', ...' if len(zeros) > 3 else ''}): "
                     f"a term is missing or never computed there")
    if check.method == "full":
        hints += placeHints(check, sorted({row.layer for row in wrong}))
    return hints


def arrayHints(check, wrong):
    """A hint when only some of the weight arrays are wrong."""
    allArrays = list(dict.fromkeys(layer for layer, _ in check.places))
    wrongArrays = [name for name in allArrays if any(row.layer == name for row in wrong)]
    if len(wrongArrays) == len(allArrays):
        return []
    if allArrays == ["W1", "W2"]:  # the tutorial's network: say where in backprop
        if wrongArrays == ["W1"]:
            return ["only W1 is wrong; W2 is right, so delta3 is right: the bug is on the way "
                    "from delta3 back to dJdW1 (delta2, the hidden layer's derivative, or "
                    "dJdW1 itself)"]
        return ["only W2 is wrong; W1 is right, so delta3 is right (W1's gradient is "
                "built from it): the bug is in dJdW2 itself, or in a term only it has"]
    right = [name for name in allArrays if name not in wrongArrays]
    return [f"only {', '.join(wrongArrays)} {'is' if len(wrongArrays) == 1 else 'are'} wrong; "
            f"{', '.join(right)} {'is' if len(right) == 1 else 'are'} right: look at what "
            f"only {'the wrong ones compute' if len(wrongArrays) > 1 else 'the wrong one computes'}"
            f" (the line that writes "
            f"{'its' if len(wrongArrays) == 1 else 'their'} gradient, or the step back to "
            f"{'it' if len(wrongArrays) == 1 else 'them'})"]


def unitHints(check, wrong):
    """Hints when a matrix's wrong weights fill whole columns (units) or rows (inputs)."""
    hints = []
    for name in dict.fromkeys(row.layer for row in wrong):
        shape = layerShape(check, name)
        inside = {row.index for row in wrong if row.layer == name}
        if shape is None or len(inside) == shape[0] * shape[1]:
            continue
        columns = sorted({column for _, column in inside})
        rows = sorted({row for row, _ in inside})
        unit = "hidden unit(s)" if name == "W1" else "unit(s)"
        if all((row, column) in inside for column in columns for row in range(shape[0])):
            units = ", ".join(str(column) for column in columns)
            hints.append(f"{name}'s wrong weights fill column(s) {units}: every weight into "
                         f"{unit} {units}. Look for what singles those units out (a loop's "
                         f"range, an index)")
        elif all((row, column) in inside for row in rows for column in range(shape[1])):
            inputs = ", ".join(str(row) for row in rows)
            hints.append(f"{name}'s wrong weights fill row(s) {inputs}: every weight from "
                         f"input(s) {inputs}")
    return hints


def factorHints(wrong):
    """A hint when backprop = factor x the numerical slope on every wrong weight."""
    ratios = [row.analytic / row.numerical for row in wrong if row.numerical != 0]
    if len(ratios) < 2 or len(ratios) < len(wrong) or not all(map(math.isfinite, ratios)):
        return []
    factor = float(np.median(ratios))
    if factor == 0 or max(abs(r / factor - 1) for r in ratios) > SAME_FACTOR:
        return []
    meaning = {-1: "a sign error", 2: "a factor 2 too many (the cost's 1/2 forgotten?)",
               0.5: "a factor 1/2 missing"}
    named = next((text for value, text in meaning.items() if abs(factor - value) < 1e-3), None)
    if named is None and factor > 0:
        named = f"a constant scale (an average instead of a sum? 1/{1 / factor:.3g})" \
            if factor < 1 else "a constant scale"
    return [f"on every wrong weight backprop is {factor:.3g} times the numerical slope: "
            f"{named or 'a sign error and a scale'}"]


def decayHints(check, wrong):
    """A hint when backprop - numerical = c W on every wrong weight: weight decay on one side."""
    if check.weightValues is None or len(wrong) < 2:
        return []
    value = dict(zip(check.names, check.weightValues))
    ratios = [(row.analytic - row.numerical) / value[row.name] for row in wrong
              if value[row.name] != 0]
    if len(ratios) < len(wrong):
        return []
    c = float(np.median(ratios))
    if max(abs(r / c - 1) for r in ratios) > SAME_FACTOR:
        return []
    side = "backprop but not the cost" if c > 0 else "the cost but not backprop"
    return [f"backprop - numerical = {c:.2g} x the weight, on every wrong weight: a weight-decay "
            f"term ({abs(c):.2g} W) added to {side}"]


def placeHints(check, layers):
    """A hint when a wrong array holds the right numbers in the wrong places (a transpose)."""
    hints = []
    for layer in layers:
        positions = [i for i, (name, _) in enumerate(check.places) if name == layer]
        grad, numgrad = check.grad[positions], check.numgrad[positions]
        allowed = check.allowed[positions]
        if np.all(np.abs(np.sort(grad) - np.sort(numgrad)) <= np.max(allowed)) and \
                not np.all(np.abs(grad - numgrad) <= allowed):
            hints.append(f"{layer}'s backprop values are the right numbers in the wrong places: "
                         f"a transpose or reshape mix-up (is dJd{layer} shaped like {layer}?)")
    return hints


def layerShape(check, layer):
    """The (rows, columns) of a matrix of the check's weights, from its places; None if the
    array is not 2-D or absent."""
    indices = [index for name, index in check.places if name == layer]
    if not indices or len(indices[0]) != 2:
        return None
    return (max(i for i, _ in indices) + 1, max(j for _, j in indices) + 1)
