"""Reporting: a gradient check's judgment as text, as an HTML table, and as hints.

``GradientCheck`` is a judge.Judgment that prints: its headline says the verdict, the table
lists the wrong weights first (worst first) and then the others, ``reasons`` say why a check
could not tell and what to try, and ``hints`` read the pattern of wrong weights (one array, one
unit, a constant factor, a weight-decay term, a transpose) as a pointer to the bug. Nothing here
calls a network or judges: the report reads the judgment's numbers and its reasons' codes.

Nothing is hidden. The table lists every wrong weight and every weight at a kink, worst first,
and fills the rest of a screenful (SCREEN_ROWS rows) with correct weights, in getParams order:
for the tutorial's 9 weights, all 9. When the weights do not fit, it lists the worst SCREEN_ROWS
and then one line per weight array (or "directions") that counts its wrong weights, its weights
at a kink and the rest, and how many of each the table listed: a count, never a silent drop.

One notation. The headline's "relative error" is the tutorial's norm ratio
norm(b - n) / norm(b + n), b backprop's gradient and n the numerical one. A relative error
above 1 prints as "> 1": then norm(b - n) > norm(b + n), which happens exactly when b and n point
apart (their dot product is negative, as with a flipped sign), and its digits only measure how
nearly b + n cancels, which rounding decides (a flipped sign's ratio is 1.9e+09 on one machine
and something else on the next). The table's columns say what they hold: backprop b, numerical
n, |b - n| and |b - n| / (|b| + |n|) for each weight.

What a report prints is the same on every machine. The allowances and the tolerance rest on
the measured rounding noise of the cost, which differs from one CPU, BLAS or numpy to the next,
so the text names none of them: it prints the verdict, backprop's and the numerical numbers
(which truncation, not noise, dominates at a sensible epsilon) and the limits the verdict
applies, never an estimate of the noise. A wrong weight's |b - n| and relative difference print
to two significant digits (a bug, not rounding, sets them). A correct weight's are numerical
error, whose last digits differ between machines, so they print as a power-of-ten upper bound,
"< 1e-11": B, the smallest power of ten above both |b - n| and FLOOR_FACTOR times the
round-off floor u |J| / epsilon, and the smallest above B / (|b| + |n|) (``bounded``). Rounding
moves a difference by about the round-off floor (every allowance is at least SAFETY = 10 times
it); a hundred times that floor, a difference crosses a power of ten only from within a few
percent of it. The fixed rule (a tolerance given) judges no weight alone and measures no
round-off floor, so its table prints every |b - n| to two digits, rounding noise included: no
notebook prints that table.
"""

import html
import math
import textwrap
from dataclasses import dataclass, fields

import numpy as np

from checker.judge import (
    KINKS_ONLY,
    NOT_FINITE,
    STEP_LOST,
    STEP_TOO_LARGE,
    TOO_COARSE,
    Judgment,
)

__all__ = ["GradientCheck", "relativeErrorText"]

SCREEN_ROWS = 20  # table rows in a screenful: beyond it, one line of counts per weight array
FLOOR_FACTOR = 100  # a correct weight's bound is above FLOOR_FACTOR x u |J| / epsilon (see top)
TEXT_WIDTH = 88  # a printed report's longest line: unbroken in a notebook at 1280 pixels
PASSED_COLOUR, FAILED_COLOUR, INCONCLUSIVE_COLOUR = "#1a7f37", "#cf222e", "#9a6700"
SAME_FACTOR = 1e-3  # wrong weights whose backprop/numerical ratios agree this closely share one


@dataclass(repr=False)
class GradientCheck(Judgment):
    """A Judgment with its report: ``print`` it for text, or leave it last in a notebook cell
    for an HTML table of the worst weights; ``hints`` reads the pattern of wrong weights.
    ``.passed`` is True only for status "passed", so ``assert check.passed`` in a test is never
    fooled by a check that could not tell.
    """

    @classmethod
    def of(cls, judgment):
        """The GradientCheck of a judge.Judgment: the same numbers, with a report."""
        return cls(**{item.name: getattr(judgment, item.name) for item in fields(judgment)})

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
                        f"{relativeErrorText(self.relativeError)}, fixed tolerance "
                        f"{self.tolerance:.3g}; {scope}epsilon {self.epsilon:.3g})")
            if self.relativeError > 1:  # "> 1 > tolerance" would read like a typo
                comparison = f"> 1 (tolerance {self.tolerance:.3g}; "
            else:
                sign = "<=" if self.passed else ">"
                comparison = f"{self.relativeError:.1e} {sign} tolerance {self.tolerance:.3g} ("
            return (f"GradientCheck {word}: relative error {comparison}epsilon "
                    f"{self.epsilon:.3g}; {scope}largest difference at {self.worstWeight})")
        what = "weights" if self.method != "directional" else "directions"
        count, wrong = len(self.grad), len(self.wrongWeights)
        if self.status == "passed":
            finding = f"all {count:,} {what} within the numerical error"
        elif self.status == "failed":
            finding = f"{wrong:,} of {count:,} {what} off by more than the numerical error"
        else:
            finding = shortReason(self)
        return (f"GradientCheck {word}: {finding} (relative error "
                f"{relativeErrorText(self.relativeError)}; {scope}epsilon {self.epsilon:.3g})")

    def __repr__(self):
        return self.headline()

    def summary(self):
        """The verdict, why (if inconclusive) and the hints, without the table: text lines of
        at most TEXT_WIDTH characters, broken between words."""
        lines = [wrapped(self.headline(), "", "    ")]
        lines += [wrapped(reason, "why: ", "     ") for reason in self.reasons]
        lines += [wrapped(hint, "hint: ", "      ") for hint in self.hints]
        return "\n".join(lines)

    def listedRows(self):
        """The weights the table lists: the worst SCREEN_ROWS (all wrong and kinked ones first,
        then correct ones in getParams order; with the fixed rule, by |b - n|)."""
        return self.weights[:SCREEN_ROWS]

    def countLines(self):
        """What the table leaves out, counted: one line per weight array (see arrayCounts), or
        none when the table lists every weight."""
        if len(self.weights) <= SCREEN_ROWS:
            return []
        listed = {row.name for row in self.listedRows()}
        arrays = dict.fromkeys(row.layer for row in self.weights)
        return [arrayCounts(layer, [row for row in self.weights if row.layer == layer], listed,
                            self.rule) for layer in arrays]

    def tableShown(self):
        """True when the report has a table: always under the derived rule; under the fixed
        rule only for more than one number (one number is all in the headline)."""
        return self.rule == "derived" or len(self.weights) > 1

    def __str__(self):
        """The report as text lines of at most TEXT_WIDTH characters (the table aside), so a
        notebook shows them unbroken: the headline, the table and the counts of what it leaves
        out, why (if inconclusive), hints."""
        lines = [wrapped(self.headline(), "", "    ")]
        if self.tableShown():
            lines += textTable(self.listedRows(), self.rule, self.roundoffFloor)
            lines += [wrapped(line, "", "    ") for line in self.countLines()]
        lines += [wrapped(reason, "why: ", "     ") for reason in self.reasons]
        lines += [wrapped(hint, "hint: ", "      ") for hint in self.hints]
        return "\n".join(lines)

    def _repr_html_(self):
        """The notebook view, with what the text holds: the verdict, the table and the counts
        of what it leaves out, why (if inconclusive), the hints."""
        colour = {"passed": PASSED_COLOUR, "failed": FAILED_COLOUR,
                  "inconclusive": INCONCLUSIVE_COLOUR}[self.status]
        parts = [f"<p style='color: {colour}; font-weight: bold'>"
                 f"{html.escape(self.headline())}</p>"]
        if self.tableShown():
            parts.append(htmlTable(self.listedRows(), self.rule, self.roundoffFloor))
            parts += [f"<p>{html.escape(line)}</p>" for line in self.countLines()]
        parts += [f"<p>why: {html.escape(reason)}</p>" for reason in self.reasons]
        parts += [f"<p>hint: {html.escape(hint)}</p>" for hint in self.hints]
        return "\n".join(parts)


def wrapped(text, first, rest):
    """``text`` as lines of at most TEXT_WIDTH characters, broken only between words: the
    first line starts with ``first``, the others with ``rest``."""
    return textwrap.fill(text, TEXT_WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)


SHORT_REASONS = {NOT_FINITE: "the cost is not finite near the weights",
                 STEP_LOST: "epsilon is lost in rounding the weights",
                 STEP_TOO_LARGE: "epsilon is too large to estimate the numerical error",
                 TOO_COARSE: "the numerical error is too large to tell a right gradient from a "
                             "wrong one"}


def shortReason(check):
    """An inconclusive check's first reason in a few words, for its headline (from the reason's
    code, never its wording)."""
    code = check.reasons[0].code if check.reasons else TOO_COARSE
    if code == KINKS_ONLY:
        return f"the only disagreements are at a kink of the cost ({len(check.kinkWeights):,} " \
               f"of {len(check.grad):,})"
    return SHORT_REASONS[code]


def relativeErrorText(ratio):
    """The relative error (the norm ratio) as the course prints it: "5.4e-10", and above 1 just
    "> 1": the sum b + n is then shorter than the difference b - n (they point apart), and the
    digits only measure how nearly the sum cancels, which rounding decides."""
    return "> 1" if ratio > 1 else f"{ratio:.1e}"


COLUMNS = ("weight", "backprop b", "numerical n", "|b - n|", "|b - n| / (|b| + |n|)", "verdict")


def cells(row, roundoffFloor=None):
    """A WeightError as the text of one table row (see COLUMNS).

    Printed are only digits that are the same on every machine. A wrong weight's (or one at a
    kink's) |b - n| and relative difference to two significant digits; a correct weight's as
    power-of-ten upper bounds (``bounded``), as its digits are rounding and truncation error.
    With the fixed rule (no verdict per weight, ``allowed`` NaN) two digits for every weight.
    """
    values = (row.name, f"{row.analytic:+.4e}", f"{row.numerical:+.4e}")
    mark = verdictOf(row)
    if mark == "ok":
        return values + tuple(boundText(bound) for bound in bounded(row, roundoffFloor)) + (mark,)
    return values + (f"{row.absoluteError:.1e}", f"{row.relativeError:.1e}", mark)


def verdictOf(row):
    """A WeightError's verdict as the table marks it: "WRONG", "KINK", "ok" (within a finite
    allowance), or "" when it has none (the fixed rule, or a slope the cost's overflow left
    without a finite allowance)."""
    if row.wrong:
        return "WRONG"
    if row.atKink:
        return "KINK"
    return "ok" if math.isfinite(row.allowed) and math.isfinite(row.absoluteError) else ""


def bounded(row, roundoffFloor):
    """Upper bounds on a correct weight's |b - n| and |b - n| / (|b| + |n|), powers of ten (0.0
    for an exact 0): B, the smallest above ``closeness``, and the smallest above
    B / (|b| + |n|). The second follows from the first and the printed slopes, so it flips only
    when B does (|b| + |n| is the same on every machine to far more digits than it needs)."""
    difference = powerAbove(closeness(row, roundoffFloor))
    size = abs(row.analytic) + abs(row.numerical)
    return difference, powerAbove(difference / size) if size else 0.0


def closeness(row, roundoffFloor):
    """What a correct weight's bounds rest on: the larger of its |b - n| and FLOOR_FACTOR x
    roundoffFloor (u |J| / epsilon; ignored when unknown or not finite). Below that floor a
    difference is rounding, and its bound stays put."""
    floor = FLOOR_FACTOR * roundoffFloor \
        if roundoffFloor is not None and math.isfinite(roundoffFloor) else 0.0
    return max(row.absoluteError, floor)


def powerAbove(value):
    """The smallest power of ten above ``value`` (>= 0): 1e-11 for 3.2e-12 and for 1e-12; 0.0
    for 0.0."""
    if value == 0:
        return 0.0
    exponent = math.floor(math.log10(value)) + 1
    while 10.0 ** exponent <= value:  # log10 may round a value just below a power up to it
        exponent += 1
    while 10.0 ** (exponent - 1) > value:
        exponent -= 1
    return float(f"1e{exponent}")


def boundText(bound):
    """A power-of-ten bound as a cell: "< 1e-11" ("0" for an exact 0)."""
    return f"< {bound:.0e}" if bound else "0"


def arrayCounts(layer, rows, listed, rule):
    """One line counting a weight array's rows (``layer`` "" means directions): how many are
    wrong, at a kink and within the numerical error, and how many of each the table listed
    (``listed``: the names it shows). With the fixed rule there is no verdict per weight, so
    only how many there are and were listed."""
    name = layer or "directions"
    if rule == "fixed":
        return (f"{name}: {len(rows):,} compared{listedNote(countListed(rows, listed))}; the "
                f"fixed tolerance judges them only together")
    wrong, kinks, within, unjudged = ([row for row in rows if verdictOf(row) == mark]
                                      for mark in ("WRONG", "KINK", "ok", ""))
    if len(within) == len(rows):
        return (f"{name}: all {len(rows):,} within the numerical error"
                f"{listedNote(countListed(rows, listed))}")
    line = (f"{name}: {len(wrong):,} of {len(rows):,} wrong{listedNote(countListed(wrong, listed))}"
            f", {len(kinks):,} at a kink{listedNote(countListed(kinks, listed))}, "
            f"{len(within):,} within the numerical error{listedNote(countListed(within, listed))}")
    if unjudged:
        line += f", {len(unjudged):,} not judged{listedNote(countListed(unjudged, listed))}"
    return line


def countListed(rows, listed):
    """How many of ``rows`` the table lists."""
    return sum(row.name in listed for row in rows)


def listedNote(count):
    """" (3 listed above)", or nothing for none."""
    return f" ({count:,} listed above)" if count else ""


def tableLines(rows, rule, roundoffFloor):
    """The table's header and rows as text cells; the fixed rule drops the verdict column."""
    table = [COLUMNS] + [cells(row, roundoffFloor) for row in rows]
    return [line[:5] for line in table] if rule == "fixed" else table


def textTable(rows, rule, roundoffFloor=None):
    """Rows of WeightErrors as aligned text lines, with a header."""
    table = tableLines(rows, rule, roundoffFloor)
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    return ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip()
            for line in table]


def htmlTable(rows, rule, roundoffFloor=None):
    """Rows of WeightErrors as an HTML table (wrong rows red, kinked ones amber)."""
    header, *body = tableLines(rows, rule, roundoffFloor)
    colours = [FAILED_COLOUR if row.wrong else INCONCLUSIVE_COLOUR if row.atKink else None
               for row in rows]
    head = "".join(f"<th>{html.escape(title)}</th>" for title in header)
    lines = "".join((f"<tr style='color: {colour}'>" if colour else "<tr>")
                    + "".join(f"<td>{html.escape(cell)}</td>" for cell in line) + "</tr>"
                    for line, colour in zip(body, colours))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"


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
