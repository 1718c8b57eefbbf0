"""Reporting: a gradient check's judgment as text, as an HTML table, and as hints.

``GradientCheck`` is a judge.Judgment that prints: its headline says the verdict, the table
lists the wrong weights first (worst first) and then the others, ``reasons`` say why a check
could not tell and what to try, and ``hints`` read the pattern of wrong weights (one array, one
unit, a constant factor, a weight-decay term, a transpose) as a pointer to the bug. Nothing here
calls a network or judges: the report reads the judgment's numbers and its reasons' codes.

What a report prints is the same on every machine. The allowances and the tolerance rest on
the measured rounding noise of the cost, which differs from one CPU, BLAS or numpy to the next,
so the text names none of them: it prints the verdict, backprop's and the numerical numbers
(which truncation, not noise, dominates at a sensible epsilon) and the limits the verdict
applies, never an estimate of the noise.
"""

import html
import math
import textwrap
from dataclasses import dataclass, fields

import numpy as np

from judge import (
    KINKS_ONLY,
    NOT_FINITE,
    STEP_LOST,
    STEP_TOO_LARGE,
    TOO_COARSE,
    Judgment,
)

__all__ = ["GradientCheck"]

TABLE_ROWS = 5  # weights a report lists, worst first
TEXT_WIDTH = 88  # a printed report's longest line: unbroken in a notebook at 1280 pixels
PASSED_COLOUR, FAILED_COLOUR, INCONCLUSIVE_COLOUR = "#1a7f37", "#cf222e", "#9a6700"
SAME_FACTOR = 0.01  # wrong weights whose backprop/numerical ratios agree this closely share one


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
