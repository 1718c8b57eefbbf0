"""Reporting: a gradient check's judgment as text, as an HTML table, and as hints.

``GradientCheck`` is a judge.Judgment that prints the verdict, the weights (wrong ones first;
beyond SCREEN_ROWS, counted per array), the reasons and ``hints`` read from the pattern of wrong
weights, in digits that are the same on every machine (notebook 11 shows how). It judges nothing.
"""

import html
import math
import textwrap
from dataclasses import dataclass, fields

import numpy as np

from checker.judge import (
    KINKS_ONLY,
    NO_CHANGE,
    NOT_FINITE,
    STEP_LOST,
    STEP_TOO_LARGE,
    TOO_COARSE,
    Judgment,
)

__all__ = ["GradientCheck", "relativeErrorText"]

SCREEN_ROWS = 20  # table rows in a screenful: beyond it, one line of counts per weight array
FLOOR_FACTOR = 100  # a correct weight's bound is above FLOOR_FACTOR x u |J| / epsilon
TEXT_WIDTH = 88  # a printed report's longest line: unbroken in a notebook at 1280 pixels
COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "inconclusive": "#9a6700"}
SAME_FACTOR = 1e-3  # wrong weights whose backprop/numerical ratios agree this closely share one


@dataclass(repr=False)
class GradientCheck(Judgment):
    """A Judgment with its report: ``print`` it for text, or leave it last in a notebook cell
    for an HTML table; ``hints`` reads the pattern of wrong weights."""

    @classmethod
    def of(cls, judgment):
        """The GradientCheck of a judge.Judgment: the same numbers, with a report."""
        return cls(**{item.name: getattr(judgment, item.name) for item in fields(judgment)})

    @property
    def hints(self):
        """Sentences on the pattern of a failed check's wrong weights: in some arrays, units or
        inputs; one factor off; zeros; off by c W (weight decay); misplaced (a transpose)."""
        wrong = [row for row in self.weights if row.wrong]
        if not wrong or self.status != "failed":
            return []
        if self.method == "directional":
            return ["a directional check cannot say which weights are wrong: run method='full' "
                    "(or 'sparse') to find them"]
        hints = arrayHints(self, wrong)
        if self.method == "full":
            hints += unitHints(self, wrong)
        hints += factorHints(wrong)
        hints += decayHints(self, wrong)
        zeros = [row.name for row in wrong if row.analytic == 0]
        if zeros:
            hints.append(f"backprop gives exactly 0 for {len(zeros)} wrong weight(s) "
                         f"({', '.join(zeros[:3])}{', ...' if len(zeros) > 3 else ''}): "
                         f"a term is missing or never computed there")
        if self.method == "full":
            hints += placeHints(self, sorted({row.layer for row in wrong}))
        return hints

    def headline(self):
        """The verdict in one line (no derived tolerance: it rests on measured noise)."""
        word = "passed" if self.passed else self.status.upper()
        scope = f"{self.checked}; " if self.checked else ""
        if self.rule == "fixed" and self.status != "inconclusive":
            sign = "<=" if self.passed else ">"
            if self.relativeError > 1:  # "> 1 > tolerance" would read like a typo
                comparison = f"> 1 (tolerance {self.tolerance:.3g}; "
            else:
                comparison = f"{self.relativeError:.1e} {sign} tolerance {self.tolerance:.3g} ("
            return (f"GradientCheck {word}: relative error {comparison}epsilon "
                    f"{self.epsilon:.3g}; {scope}largest difference at {self.worstWeight})")
        what = f"{len(self.grad):,} {'directions' if self.method == 'directional' else 'weights'}"
        if self.status == "passed":
            finding = f"all {what} within the numerical error"
        elif self.status == "failed":
            finding = f"{len(self.wrongWeights):,} of {what} off by more than the numerical error"
        else:  # the first reason in a few words, from its code (never its wording)
            code = self.reasons[0].code if self.reasons else TOO_COARSE
            finding = SHORT_REASONS[code].format(kinks=len(self.kinkWeights), count=len(self.grad))
        fixed = f", fixed tolerance {self.tolerance:.3g}" if self.rule == "fixed" else ""
        return (f"GradientCheck {word}: {finding} (relative error "
                f"{relativeErrorText(self.relativeError)}{fixed}; {scope}epsilon "
                f"{self.epsilon:.3g})")

    __repr__ = headline

    def tableShown(self):
        """Always under the derived rule; under the fixed one for more than one number."""
        return self.rule == "derived" or len(self.weights) > 1

    def countLines(self):
        """What the table leaves out, counted: a line per weight array (see arrayCounts)."""
        if len(self.weights) <= SCREEN_ROWS:
            return []
        listed = {row.name for row in self.weights[:SCREEN_ROWS]}
        arrays = dict.fromkeys(row.layer for row in self.weights)
        return [arrayCounts(layer, [row for row in self.weights if row.layer == layer], listed,
                            self.rule) for layer in arrays]

    def textLines(self, table):
        """The headline, the table and its counts (if ``table``), why and hints as text."""
        lines = [wrapped(self.headline(), "", "    ")]
        if table:
            lines += textTable(self.weights[:SCREEN_ROWS], self.rule, self.roundoffFloor)
            lines += [wrapped(line, "", "    ") for line in self.countLines()]
        lines += [wrapped(reason, "why: ", "     ") for reason in self.reasons]
        return lines + [wrapped(hint, "hint: ", "      ") for hint in self.hints]

    def summary(self):
        """The report without the table: the verdict, why (if inconclusive) and the hints."""
        return "\n".join(self.textLines(table=False))

    def __str__(self):
        return "\n".join(self.textLines(table=self.tableShown()))

    def _repr_html_(self):
        """The notebook view: what the text holds, the table in HTML, the verdict in colour."""
        parts = [f"<p style='color: {COLOURS[self.status]}; font-weight: bold'>"
                 f"{html.escape(self.headline())}</p>"]
        if self.tableShown():
            parts.append(htmlTable(self.weights[:SCREEN_ROWS], self.rule, self.roundoffFloor))
            parts += [f"<p>{html.escape(line)}</p>" for line in self.countLines()]
        parts += [f"<p>why: {html.escape(reason)}</p>" for reason in self.reasons]
        parts += [f"<p>hint: {html.escape(hint)}</p>" for hint in self.hints]
        return "\n".join(parts)


def wrapped(text, first, rest):
    """``text`` in lines of at most TEXT_WIDTH characters, the first starting with ``first``."""
    return textwrap.fill(text, TEXT_WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)


SHORT_REASONS = {NOT_FINITE: "the cost is not finite near the weights",
                 STEP_LOST: "epsilon is lost in rounding the weights",
                 NO_CHANGE: "the cost did not change within epsilon",
                 STEP_TOO_LARGE: "epsilon is too large to estimate the numerical error",
                 KINKS_ONLY: "the only disagreements are at a kink of the cost ({kinks:,} of "
                             "{count:,})",
                 TOO_COARSE: "the numerical error is too large to tell a right gradient from a "
                             "wrong one"}


def relativeErrorText(ratio):
    """"5.4e-10"; above 1 "> 1" (b, n point apart: its digits measure rounding in b + n)."""
    return "> 1" if ratio > 1 else f"{ratio:.1e}"


# --- the table ----------------------------------------------------------------------------------

COLUMNS = ("weight", "backprop b", "numerical n", "|b - n|", "|b - n| / (|b| + |n|)", "verdict")


def verdictOf(row):
    """A WeightError's mark: "WRONG", "KINK", "ok" (within a finite allowance), or "" (none)."""
    if row.wrong:
        return "WRONG"
    if row.atKink:
        return "KINK"
    return "ok" if math.isfinite(row.allowed) and math.isfinite(row.absoluteError) else ""


# Digits that are the same on every machine (notebook 11 shows this code).

def cells(row, roundoffFloor=None):
    """A WeightError as one table row (COLUMNS): a correct weight's differences as bounds, the
    others' (wrong, at a kink, or under the fixed rule) to two digits."""
    mark = verdictOf(row)
    if mark == "ok":
        differences = [boundText(bound) for bound in bounded(row, roundoffFloor)]
    else:
        differences = [f"{row.absoluteError:.1e}", f"{row.relativeError:.1e}"]
    return (row.name, f"{row.analytic:+.4e}", f"{row.numerical:+.4e}", *differences, mark)


def bounded(row, roundoffFloor):
    """Bounds on a correct weight's |b - n| and relative difference: B, the power of ten above
    closeness, and the power above B / (|b| + |n|) (0.0 for an exact 0)."""
    difference = powerAbove(closeness(row, roundoffFloor))
    size = abs(row.analytic) + abs(row.numerical)
    return difference, powerAbove(difference / size) if size else 0.0


def closeness(row, roundoffFloor):
    """The larger of |b - n| and FLOOR_FACTOR x the round-off floor u |J| / epsilon (if known):
    rounding moves a difference by about that floor, so a bound above it stays put."""
    floor = FLOOR_FACTOR * roundoffFloor \
        if roundoffFloor is not None and math.isfinite(roundoffFloor) else 0.0
    return max(row.absoluteError, floor)


def powerAbove(value):
    """The smallest power of ten above ``value`` (>= 0): 1e-11 for 3.2e-12 and for 1e-12."""
    if value == 0:
        return 0.0
    if value >= 1e308:  # no power of ten above it is a float
        return math.inf
    exponent = math.floor(math.log10(value)) + 1
    while 10.0 ** exponent <= value:  # log10 may round a value just below a power up to it
        exponent += 1
    while 10.0 ** (exponent - 1) > value:
        exponent -= 1
    return float(f"1e{exponent}")


def boundText(bound):
    """A bound as a cell: "< 1e-11" ("0" for an exact 0)."""
    return f"< {bound:.0e}" if bound else "0"


def arrayCounts(layer, rows, listed, rule):
    """One line counting a weight array's ``rows`` (layer "": directions) by verdict, and how
    many of each the table lists (``listed``: their names)."""
    name = layer or "directions"
    if rule == "fixed":
        return (f"{name}: {len(rows):,} compared{listedNote(rows, listed)}; the fixed tolerance "
                f"judges them only together")
    marks = [verdictOf(row) for row in rows]
    wrong, kinks, within, unjudged = ([row for row, its in zip(rows, marks) if its == mark]
                                      for mark in ("WRONG", "KINK", "ok", ""))
    if len(within) == len(rows):
        return f"{name}: all {len(rows):,} within the numerical error{listedNote(rows, listed)}"
    line = (f"{name}: {len(wrong):,} of {len(rows):,} wrong{listedNote(wrong, listed)}, "
            f"{len(kinks):,} at a kink{listedNote(kinks, listed)}, {len(within):,} within the "
            f"numerical error{listedNote(within, listed)}")
    if unjudged:
        line += f", {len(unjudged):,} not judged{listedNote(unjudged, listed)}"
    return line


def listedNote(rows, listed):
    """" (3 listed above)": how many of ``rows`` the table lists; nothing for none."""
    count = sum(row.name in listed for row in rows)
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
    colours = [COLOURS["failed"] if row.wrong else COLOURS["inconclusive"] if row.atKink
               else None for row in rows]
    head = "".join(f"<th>{html.escape(title)}</th>" for title in header)
    lines = "".join((f"<tr style='color: {colour}'>" if colour else "<tr>")
                    + "".join(f"<td>{html.escape(cell)}</td>" for cell in line) + "</tr>"
                    for line, colour in zip(body, colours))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"


# --- reading the pattern of wrong weights ---------------------------------------------------------

def arrayHints(check, wrong):
    """A hint when only some of the weight arrays are wrong."""
    allArrays = list(dict.fromkeys(layer for layer, _ in check.places))
    wrongArrays = [name for name in allArrays if any(row.layer == name for row in wrong)]
    right = [name for name in allArrays if name not in wrongArrays]
    if not right:
        return []
    if allArrays == ["W1", "W2"]:  # the tutorial's network: say where in backprop
        if wrongArrays == ["W1"]:
            return ["only W1 is wrong; W2 is right, so delta3 is right: the bug is on the way "
                    "from delta3 back to dJdW1 (delta2, the hidden layer's derivative, or "
                    "dJdW1 itself)"]
        return ["only W2 is wrong; W1 is right, so delta3 is right (W1's gradient is "
                "built from it): the bug is in dJdW2 itself, or in a term only it has"]
    one = len(wrongArrays) == 1
    what = "the wrong one computes" if one else "the wrong ones compute"
    its, it = ("its", "it") if one else ("their", "them")
    return [f"only {', '.join(wrongArrays)} {'is' if one else 'are'} wrong; {', '.join(right)} "
            f"{'is' if len(right) == 1 else 'are'} right: look at what only {what} (the line "
            f"that writes {its} gradient, or the step back to {it})"]


def unitHints(check, wrong):
    """Hints when a matrix's wrong weights fill whole columns (units) or rows (inputs)."""
    hints = []
    for name in dict.fromkeys(row.layer for row in wrong):
        indices = [index for layer, index in check.places if layer == name]
        inside = {row.index for row in wrong if row.layer == name}
        if len(indices[0]) != 2 or len(inside) == len(indices):  # not a matrix, or all wrong
            continue
        shape = (max(i for i, _ in indices) + 1, max(j for _, j in indices) + 1)
        columns = sorted({column for _, column in inside})
        rows = sorted({row for row, _ in inside})
        unit = "hidden unit(s)" if name == "W1" else "unit(s)"
        if shape[0] > 1 and len(inside) == shape[0] * len(columns):  # whole columns
            units = ", ".join(str(column) for column in columns)
            hints.append(f"{name}'s wrong weights fill column(s) {units}: every weight into "
                         f"{unit} {units}. Look for what singles those units out (a loop's "
                         f"range, an index)")
        elif shape[1] > 1 and len(inside) == shape[1] * len(rows):  # whole rows
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
    if factor == 0 or abs(factor - 1) <= SAME_FACTOR \
            or max(abs(r / factor - 1) for r in ratios) > SAME_FACTOR:
        return []  # off by a little (no factor to name), or by no common factor
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
    if c == 0 or max(abs(r / c - 1) for r in ratios) > SAME_FACTOR:
        return []
    side = "backprop but not the cost" if c > 0 else "the cost but not backprop"
    return [f"backprop - numerical = {c:.2g} x the weight, on every wrong weight: a weight-decay "
            f"term ({abs(c):.2g} W) added to {side}"]


def placeHints(check, layers):
    """A hint when a wrong array holds the right numbers in the wrong places (a transpose):
    sorted, its backprop and numerical values agree, and far better than in their places."""
    hints = []
    for layer in layers:
        positions = [i for i, (name, _) in enumerate(check.places) if name == layer]
        grad, numgrad = check.grad[positions], check.numgrad[positions]
        allowed = check.allowed[positions]
        with np.errstate(over="ignore"):  # near 1e308 a difference is infinite: far apart
            apart, sortedApart = np.abs(grad - numgrad), np.abs(np.sort(grad) - np.sort(numgrad))
        if np.max(sortedApart) <= np.max(allowed) and np.max(sortedApart) < np.max(apart) / 10 \
                and not np.all(apart <= allowed):
            hints.append(f"{layer}'s backprop values are the right numbers in the wrong places: "
                         f"a transpose or reshape mix-up (is dJd{layer} shaped like {layer}?)")
    return hints
