"""A gradient check that diagnoses: how much error to allow, and which weights are wrong.

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
                 times |w|: relative error u (|w| + h) / h of the slope.

    allowed = SAFETY * (truncation + round-off + step), SAFETY = 10.

A slope whose |backprop - numerical| exceeds its allowance is wrong: no numerical error of this
size explains it. The check passes when no slope is wrong. The ``tolerance`` it reports,
norm(allowed) / norm(backprop + numerical), is the tutorial's norm ratio that numerical error
alone could produce; passing implies relativeError <= tolerance.

``GradientCheck`` holds the verdict and every number behind it: print it for a text report, or
let a notebook show it as a table of the worst weights; ``hints`` reads the pattern of wrong
weights (one layer, one hidden unit, a constant factor, ...) as a pointer to the bug.
"""

import html
import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

__all__ = ["costValue", "costNoise", "noiseFromTable", "numericalAllowance", "GradientCheck",
           "WeightError", "placeName", "SAFETY"]

UNIT_ROUNDOFF = np.finfo(float).eps / 2  # u: the largest relative error of one rounding
SAFETY = 10  # allowance = SAFETY x the estimated error; estimates are good to a factor of ~2
NOISE_POINTS = 9  # cost evaluations of the noise probe (differences of order 1 to 8)
NOISE_ORDERS = range(2, 7)  # difference orders that may give the noise level (>= 3 values each)
TABLE_ROWS = 5  # weights a report lists, worst first
PASSED_COLOUR, FAILED_COLOUR = "#1a7f37", "#cf222e"  # green and red that read on light and dark
WEAK_TOLERANCE = 0.1  # a passing check whose tolerance exceeds this says it is weak
SAME_FACTOR = 0.01  # wrong weights whose backprop/numerical ratios agree this closely share one


def costValue(N, X, y):
    """N.costFunction(X, y) as a float.

    The tutorial's cost, ``0.5*sum((y-self.yHat)**2)`` with Python's built-in sum, returns a
    one-element array; that is accepted. Anything else that is not one number raises TypeError.
    """
    cost = N.costFunction(X, y)
    try:
        value = np.asarray(cost, dtype=float)
    except (TypeError, ValueError):
        value = None
    if value is None or value.size != 1:
        raise TypeError(f"costFunction must return one number (the cost); got "
                        f"{type(cost).__name__} {cost!r:.80}.")
    return float(value.reshape(()))


def costNoise(N, X, y, spacing, seed=0):
    """Measure the rounding noise of N's cost near its weights.

    In:  a network N (getParams / setParams / costFunction), validated X and y, the spacing of
         the probe (the check's epsilon) and a seed for the probe's random direction.
    Out: (sigma, J): sigma, the typical rounding error of one evaluation of the cost near the
         weights (at least unit round-off times |J|), and J, the cost at the weights.
    The cost is evaluated at NOISE_POINTS equally spaced points along a random unit direction
    and ``noiseFromTable`` reads sigma off their differences. N's weights are put back as they
    were, also when the cost raises.
    """
    params = N.getParams()
    direction = np.random.default_rng(seed).standard_normal(len(params))
    direction /= np.linalg.norm(direction)
    costs = []
    try:
        for step in range(NOISE_POINTS):
            N.setParams(params + step * spacing * direction)
            costs.append(costValue(N, X, y))
    finally:
        N.setParams(params)
    return max(noiseFromTable(costs), UNIT_ROUNDOFF * abs(costs[0])), costs[0]


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


def numericalAllowance(numgrad, numgradDouble, noise, epsilon, weightScale):
    """The error each numerical slope may honestly have, and its parts.

    In:  numgrad, the centered slopes at step epsilon; numgradDouble, the same slopes at step
         2 epsilon; noise, costNoise's sigma; weightScale, the largest |weight|.
    Out: (allowed, truncation, roundoff): allowed = SAFETY * (truncation + roundoff + step),
         with truncation = |numgradDouble - numgrad| / 3 per slope, roundoff = sigma / epsilon
         for every slope, and step = |numgrad| u (weightScale + epsilon) / epsilon.
    """
    truncation = np.abs(numgradDouble - numgrad) / 3
    roundoff = noise / epsilon
    step = np.abs(numgrad) * UNIT_ROUNDOFF * (weightScale + epsilon) / epsilon
    return SAFETY * (truncation + roundoff + step), truncation, roundoff


def placeName(place):
    """A (layer, index) place as text: ("W1", (0, 2)) is "W1[0, 2]", ("", (3,)) "direction 3"."""
    layer, index = place
    return f"{layer}[{index[0]}, {index[1]}]" if layer else f"direction {index[0]}"


class WeightError(NamedTuple):
    """One compared slope: a weight (or a direction) and how far backprop is from the estimate."""

    name: str  # e.g. "W1[0, 2]", or "direction 3"
    layer: str  # "W1", "W2", or "" for a direction
    index: tuple  # (row, column) in the layer, or (k,) for direction k
    analytic: float  # backprop's value
    numerical: float  # the centered-difference estimate
    absoluteError: float  # |analytic - numerical|
    relativeError: float  # |analytic - numerical| / (|analytic| + |numerical|), 0 when both are 0
    allowed: float  # the numerical error this slope may have (nan for a fixed-tolerance check)
    wrong: bool  # absoluteError > allowed: no numerical error explains it


def pairRelativeError(analytic, numerical):
    """|a - n| / (|a| + |n|) elementwise: 0 where both are 0, 1 for opposite signs."""
    total = np.abs(analytic) + np.abs(numerical)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(analytic - numerical) / total
    return np.where(total == 0, 0.0, ratio)


@dataclass(repr=False)
class GradientCheck:
    """What checkGradient found: the verdict, every compared number and how much error each may
    have. ``print`` it for a text report; in a notebook it shows as a table of the worst weights.
    """

    passed: bool
    relativeError: float  # the tutorial's norm ratio, norm(grad - numgrad) / norm(grad + numgrad)
    tolerance: float  # the norm ratio allowed: derived from the allowances, or the caller's
    epsilon: float
    grad: np.ndarray  # backprop's numbers: the gradient, or its slopes along directions/weights
    numgrad: np.ndarray  # the numerical estimates of the same numbers
    places: list  # what each entry is: (layer, (row, column)) of a weight, ("", (k,)) direction k
    method: str = "full"  # "full", "directional" or "sparse"
    checked: str = ""  # what a fast check compared, e.g. "2 random directions, seed 0"
    allowed: np.ndarray = None  # the error each numerical slope may have (numericalAllowance)
    truncation: np.ndarray = None  # its truncation part
    roundoff: float = None  # its round-off part (the same for every slope)
    rule: str = "derived"  # "derived": per-slope allowances; "fixed": relativeError <= tolerance
    weightValues: np.ndarray = None  # the compared weights' values (None for directions)

    @cached_property
    def names(self):
        """What each entry of grad is, as text: "W1[0, 2]", ... or "direction 3"."""
        return [placeName(place) for place in self.places]

    @property
    def worstWeight(self):
        """The name of the worst slope: the most wrong one, or with the fixed rule the one
        with the largest difference."""
        return self.weights[0].name

    @cached_property
    def weights(self):
        """Every compared slope as a WeightError, worst first: the wrong ones by |difference|,
        then the rest in getParams order (see worstFirst)."""
        absolute = np.abs(self.grad - self.numgrad)
        relative = pairRelativeError(self.grad, self.numgrad)
        allowed = self.allowed if self.allowed is not None else np.full(len(self.grad), np.nan)
        rows = [WeightError(name, layer, index, float(a), float(n), float(d), float(r),
                            float(limit), bool(not d <= limit) if self.allowed is not None
                            else False)
                for name, (layer, index), a, n, d, r, limit
                in zip(self.names, self.places, self.grad, self.numgrad, absolute, relative,
                       allowed)]
        ranking = self.allowed if self.rule == "derived" else None  # fixed: by |difference|
        return [rows[i] for i in worstFirst(absolute, ranking)]

    @property
    def wrongWeights(self):
        """The names of the slopes outside their allowance, worst first."""
        return [row.name for row in self.weights if row.wrong]

    @property
    def hints(self):
        """What the pattern of wrong weights says about the bug: a list of sentences."""
        return patternHints(self)

    def headline(self):
        """The verdict in one line."""
        if self.rule == "fixed":
            sign = "<=" if self.passed else ">"
            where = f"largest difference at {self.worstWeight}"
            if self.checked:
                where = f"{self.checked}; {where}"
            return (f"GradientCheck {'passed' if self.passed else 'FAILED'}: relative error "
                    f"{self.relativeError:.1e} {sign} tolerance {self.tolerance:.3g} "
                    f"(epsilon {self.epsilon:.3g}; {where})")
        what = "weights" if self.method != "directional" else "directions"
        count, wrong = len(self.grad), len(self.wrongWeights)
        if self.passed:
            finding = f"all {count:,} {what} within the numerical error"
        else:
            finding = f"{wrong:,} of {count:,} {what} off by more than the numerical error"
        scope = f"{self.checked}; " if self.checked else ""
        return (f"GradientCheck {'passed' if self.passed else 'FAILED'}: {finding} "
                f"(relative error {ratioText(self.relativeError, '.1e')}, tolerance "
                f"{ratioText(self.tolerance, '.0e')}; {scope}epsilon {self.epsilon:.3g})")

    def __repr__(self):
        return self.headline()

    def __str__(self):
        lines = [self.headline()]
        rows = self.weights
        if self.rule == "derived" or len(rows) > 1:
            lines += textTable(rows[:TABLE_ROWS], self.rule)
            if len(rows) > TABLE_ROWS:
                lines.append(f"... and {len(rows) - TABLE_ROWS:,} more")
        lines += [f"hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def _repr_html_(self):
        """The notebook view: the verdict, a table of the worst weights and the hints."""
        colour = PASSED_COLOUR if self.passed else FAILED_COLOUR
        parts = [f"<p style='color: {colour}; font-weight: bold'>"
                 f"{html.escape(self.headline())}</p>"]
        rows = self.weights
        header = "".join(f"<th>{html.escape(title)}</th>" for title in COLUMNS)
        body = "".join(
            (f"<tr style='color: {FAILED_COLOUR}'>" if row.wrong else "<tr>")
            + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells(row)) + "</tr>"
            for row in rows[:TABLE_ROWS])
        parts.append(f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>")
        if len(rows) > TABLE_ROWS:
            parts.append(f"<p>... and {len(rows) - TABLE_ROWS:,} more</p>")
        parts += [f"<p>hint: {html.escape(hint)}</p>" for hint in self.hints]
        return "\n".join(parts)


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
    if judged and not row.wrong:
        return (row.name, f"{row.analytic:+.4e}", f"{row.numerical:+.4e}", "-", "-", "ok")
    return (row.name, f"{row.analytic:+.4e}", f"{row.numerical:+.4e}",
            f"{row.absoluteError:.1e}", f"{row.relativeError:.1e}", "WRONG" if row.wrong else "")


def textTable(rows, rule):
    """Rows of WeightErrors as aligned text lines, with a header."""
    table = [COLUMNS] + [cells(row) for row in rows]
    if rule == "fixed":  # no allowances, no verdict per weight
        table = [line[:5] for line in table]
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    return ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip()
            for line in table]


def worstFirst(absolute, allowed):
    """Order of the slopes, worst first.

    With allowances: the wrong slopes by |difference|, largest first, then the others in their
    own order (within the numerical error, ranking them would rank rounding noise; so would
    ranking by difference / allowance, an estimate). Without: by |difference|, largest first.
    A NaN difference (backprop returned NaN) counts as the largest.
    """
    absolute = np.where(np.isnan(absolute), np.inf, absolute)
    if allowed is not None:
        absolute = np.where(absolute > allowed, absolute, 0.0)
    return np.argsort(-absolute, kind="stable")


# --- reading the pattern of wrong weights ---------------------------------------------------------

def patternHints(check):
    """Sentences about the pattern of wrong weights of a GradientCheck (none if nothing is wrong).

    Looks for: wrong weights confined to one layer; to some columns of W1 (hidden units) or rows
    (inputs); backprop's numbers being the true ones times one factor (a sign, a missing 1/2,
    an average instead of a sum); zeros where the gradient is not zero; and the right numbers in
    the wrong places (a transpose).
    """
    wrong = [row for row in check.weights if row.wrong]
    if not wrong:
        return resolutionHints(check)
    if check.method == "directional":
        return [] if not wrong else ["a directional check cannot say which weights are wrong: "
                                     "run method='full' (or 'sparse') to find them"]
    hints = []
    layers = sorted({row.layer for row in wrong})
    allLayers = sorted({layer for layer, _ in check.places})
    if layers == ["W1"] and "W2" in allLayers:
        hints.append("only W1 is wrong; W2 is right, so delta3 is right: the bug is on the way "
                     "from delta3 back to dJdW1 (delta2, the hidden layer's derivative, or "
                     "dJdW1 itself)")
    elif layers == ["W2"] and "W1" in allLayers:
        hints.append("only W2 is wrong; W1 is right, so delta3 is right (W1's gradient is "
                     "built from it): the bug is in dJdW2 itself, or in a term only it has")
    elif len(layers) < len(allLayers):
        hints.append(f"only {', '.join(layers)} is wrong")
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
        hints += placeHints(check, layers)
    return hints


def resolutionHints(check):
    """A warning when a passing check could not have seen a sizeable bug."""
    if check.rule != "derived" or check.tolerance <= WEAK_TOLERANCE:
        return []
    roundoffRules = check.roundoff >= np.median(check.truncation)
    remedy = ("round-off rules here (saturated sigmoids?): try a larger epsilon, such as 1e-2"
              if roundoffRules else
              "truncation rules here (a tiny gradient near a minimum?): try a smaller epsilon, "
              "such as 1e-5")
    size = "as large as the gradient itself" if check.tolerance >= 1 else \
        "more than a tenth of the gradient"
    return [f"the numerical error allowed is {size}, so a bug that changes the gradient by "
            f"less would pass unseen; {remedy}"]


def unitHints(check, wrong):
    """Hints when W1's wrong weights fill whole columns (hidden units) or rows (inputs)."""
    shape = layerShape(check, "W1")
    inW1 = {row.index for row in wrong if row.layer == "W1"}
    if shape is None or not inW1 or len(inW1) == shape[0] * shape[1]:
        return []
    columns = sorted({column for _, column in inW1})
    rows = sorted({row for row, _ in inW1})
    if all((row, column) in inW1 for column in columns for row in range(shape[0])):
        units = ", ".join(str(column) for column in columns)
        return [f"W1's wrong weights fill column(s) {units}: every weight into hidden unit(s) "
                f"{units}. Look for what singles those units out (a loop's range, an index)"]
    if all((row, column) in inW1 for row in rows for column in range(shape[1])):
        inputs = ", ".join(str(row) for row in rows)
        return [f"W1's wrong weights fill row(s) {inputs}: every weight from input(s) {inputs}"]
    return []


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
    """A hint when a wrong layer holds the right numbers in the wrong places (a transpose)."""
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
    """The (rows, columns) of a layer of the check's weights, from its places; None if absent."""
    indices = [index for name, index in check.places if name == layer]
    if not indices or len(indices[0]) != 2:
        return None
    return (max(i for i, _ in indices) + 1, max(j for _, j in indices) + 1)
