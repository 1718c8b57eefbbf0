"""checkGradient's verdict: no false alarm on correct networks, every gallery bug caught, the
wrong weights named, any network with the tutorial's protocol, and the report's forms."""

import linecache
import math
import re

import numpy as np
import pytest
from conftest import failingNetwork, onFastPath
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checker import gradientReport, judge
from checker.judge import RESOLUTION, SAFETY, numericalAllowance
from checker.measure import Measurement, Noise, costNoise, noiseFromTable
from checker.weightVector import costValue
from course import bugGallery
from course.bugGallery import (
    DECAY,
    GALLERY,
    ForgetfulNetwork,
    OffsetGradient,
    WeightDecay,
    intended,
    sourceDiff,
)
from course.selfChecks import checkMysteryNetwork
from partFive import Neural_Network, X, checkFunctionGradient, checkGradient, gradientDescent, y

SIZES = st.tuples(st.integers(1, 6), st.integers(1, 8), st.integers(1, 3))
PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
LARGEST_INPUT = 300  # sigmoidPrime's (1 + e^-z)^2 overflows (with a warning) below z = -355


def network(cls, sizes, seed, scale):
    """A ``cls`` network of the given layer sizes: numpy's draws for ``seed``, times ``scale``."""
    np.random.seed(seed)
    N = cls(*sizes)
    N.setParams(scale * N.getParams())
    return N


def data(sizes, seed, examples):
    """Random inputs in [-3, 3) and targets in [0, 1), from ``seed``."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-3, 3, (examples, sizes[0])), rng.uniform(0, 1, (examples, sizes[2]))


def moderate(N, inputs):
    """True when no sigmoid input of N is beyond LARGEST_INPUT in size."""
    z2 = inputs @ N.W1
    with np.errstate(over="ignore"):
        z3 = (1 / (1 + np.exp(-z2))) @ N.W2
    return max(np.abs(z2).max(), np.abs(z3).max()) < LARGEST_INPUT


def checkedUnchanged(N, *args, **kwargs):
    """checkGradient(N, ...), asserting that N's weights come back bit for bit."""
    before = N.getParams().copy()
    result = checkGradient(N, *args, **kwargs)
    assert np.array_equal(N.getParams(), before)
    return result


# --- no false alarm -------------------------------------------------------------------------------

@PROPERTY
@given(sizes=SIZES, seed=st.integers(0, 2**16), examples=st.integers(1, 10),
       logScale=st.floats(-2, math.log10(30)), decay=st.booleans())
def test_a_correct_backprop_passes(sizes, seed, examples, logScale, decay):
    N = network(WeightDecay if decay else Neural_Network, sizes, seed, 10**logScale)
    inputs, targets = data(sizes, seed, examples)
    assume(moderate(N, inputs))
    result = checkedUnchanged(N, inputs, targets, seed=seed % 7)
    assert result.status != "failed", str(result)  # no false alarm, ever
    # It passes unless its allowances are too coarse to tell (saturated sigmoids): then it says so.
    assert result.passed == (result.tolerance <= RESOLUTION["float64"]), str(result)
    assert result.relativeError <= result.tolerance


SATURATED = [((2, 3, 1), 0, 20), ((2, 3, 1), 0, 40), ((4, 5, 2), 1, 30), ((1, 8, 1), 0, 20),
             ((6, 2, 3), 1, 60), ((3, 4, 2), 0, 30)]  # (sizes, seed, weight scale)


@pytest.mark.parametrize(("sizes", "seed", "scale"), SATURATED)
def test_a_saturated_network_passes(sizes, seed, scale):
    N = network(Neural_Network, sizes, seed, scale)
    rng = np.random.default_rng(seed)
    inputs, targets = (X, y) if sizes == (2, 3, 1) else \
        (rng.uniform(0, 1, (5, sizes[0])), rng.uniform(0, 1, (5, sizes[2])))
    assert moderate(N, inputs)
    limit = 5e-7 if scale == 20 and sizes == (2, 3, 1) else 1e-7  # notebook 11's example: 4e-7
    assert np.linalg.norm(N.computeGradients(inputs, targets)) <= limit
    result = checkedUnchanged(N, inputs, targets)
    # Never a false alarm; a pass where the allowances can resolve the gradient (notebook 11's
    # example), and otherwise an honest "cannot tell".
    assert result.status == ("passed" if result.tolerance <= RESOLUTION["float64"]
                             else "inconclusive"), str(result)
    if (sizes, scale) == ((2, 3, 1), 20):
        assert result.passed


def test_a_fixed_threshold_fails_saturated_networks_that_the_allowances_pass():
    failed = 0
    for sizes, seed, scale in SATURATED:
        N = network(Neural_Network, sizes, seed, scale)
        rng = np.random.default_rng(seed)
        inputs, targets = (X, y) if sizes == (2, 3, 1) else \
            (rng.uniform(0, 1, (5, sizes[0])), rng.uniform(0, 1, (5, sizes[2])))
        failed += not checkGradient(N, inputs, targets, tolerance=1e-7).passed
    assert failed >= 3


def test_a_trained_network_passes():
    np.random.seed(0)
    N = Neural_Network()


    gradientDescent(N, X, y, steps=5000)
    assert not checkGradient(N, X, y, tolerance=1e-7).passed  # the fixed rule cries wolf
    assert checkedUnchanged(N, X, y).passed


# --- every bug caught, the wrong weights named ---------------------------------------------------

def correctTwin(name, sizes, N):
    """The correct network the bug ``name`` should have been, with N's weights."""
    twin = intended(GALLERY[name])(*sizes)
    twin.setParams(N.getParams())
    return twin


@PROPERTY
@given(sizes=SIZES, seed=st.integers(0, 2**16), examples=st.integers(2, 10),
       logScale=st.floats(-0.5, 0.5), name=st.sampled_from(sorted(GALLERY)))
def test_every_gallery_bug_is_caught_at_its_weights(sizes, seed, examples, logScale, name):
    N = network(GALLERY[name], sizes, seed, 10**logScale)
    inputs, targets = data(sizes, seed, examples)
    deviation = np.abs(N.computeGradients(inputs, targets)
                       - correctTwin(name, sizes, N).computeGradients(inputs, targets))
    assume(deviation.max() > 1e-6)  # e.g. a transpose of a 1 x H matrix changes nothing
    result = checkedUnchanged(N, inputs, targets)
    assert not result.passed
    names = [f"{layer}[{row}, {column}]" for layer, (row, column) in result.places]
    wrong = set(result.wrongWeights)
    assert {names[p] for p in np.flatnonzero(deviation > 1e-6)} <= wrong
    assert wrong <= {names[p] for p in np.flatnonzero(deviation > 0)}


@PROPERTY
@given(sizes=SIZES, seed=st.integers(0, 2**16), examples=st.integers(1, 10),
       logScale=st.floats(-0.5, 0.5), layer=st.sampled_from(["W1", "W2"]))
def test_an_offset_of_1e_5_in_one_layer_is_caught(sizes, seed, examples, logScale, layer):
    N = network(OffsetGradient, sizes, seed, 10**logScale)
    N.layer = layer
    inputs, targets = data(sizes, seed, examples)
    result = checkedUnchanged(N, inputs, targets)
    assert not result.passed
    assert set(result.wrongWeights) == {name for name, (where, _) in
                                        zip(result.names, result.places) if where == layer}


def test_the_gallery_has_thirteen_bugs_that_run_without_an_error():
    assert len(GALLERY) >= 10
    for cls in GALLERY.values():
        np.random.seed(0)
        N = cls()
        assert N.computeGradients(X, y).shape == (9,)
        assert not checkGradient(N, X, y).passed


def galleryNetwork(name):
    """The course's way of making a network, with the gallery's bug ``name``."""
    np.random.seed(0)
    return GALLERY[name]()


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(sorted(GALLERY)), logEpsilon=st.floats(-300, 1))
def test_no_epsilon_makes_a_gallery_bug_pass(name, logEpsilon):
    """From epsilon 1e-300 (lost in rounding the weights) to 10 (far past the cost's curvature),
    a gallery bug may be "inconclusive" but never "passed"."""
    N = galleryNetwork(name)
    before = N.getParams().copy()
    result = checkGradient(N, X, y, epsilon=10.0**logEpsilon)
    assert result.passed is False and result.status in ("failed", "inconclusive")
    assert np.array_equal(N.getParams(), before)


@pytest.mark.parametrize("name", sorted(GALLERY))
def test_every_gallery_bug_fails_at_the_default_epsilon(name):
    result = checkGradient(galleryNetwork(name), X, y)
    assert result.status == "failed" and result.wrongWeights


EXPECTED_HINTS = {
    "FlippedSign": "a sign error", "ForgotTheHalf": "a factor 2 too many",
    "AveragedGradient": "1/3", "ForgetfulNetwork": "only W1 is wrong",
    "PreActivationInput": "only W2 is wrong", "TransposedW1": "the wrong places",
    "UnfinishedW1": "exactly 0", "OffByOneUnit": "column(s) 2",
    "DecayOnlyInCost": "the cost but not backprop",
    "DecayOnlyInGradient": "backprop but not the cost",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_HINTS))
def test_the_pattern_of_wrong_weights_gives_the_bug_away(name):
    np.random.seed(0)
    result = checkGradient(GALLERY[name](), X, y)
    assert any(EXPECTED_HINTS[name] in hint for hint in result.hints), result.hints


def test_a_correct_network_has_no_hints_and_no_wrong_weights():
    np.random.seed(0)
    result = checkGradient(Neural_Network(), X, y)
    assert result.hints == [] and result.wrongWeights == []
    assert [row.name for row in result.weights] == result.names  # in getParams order
    lines = str(result).splitlines()
    # A correct weight shows how close it came, as power-of-ten bounds (it once showed "-").
    assert lines[tableStart(lines) + 1].split() == ["W1[0,", "0]", "-6.7624e-03", "-6.7624e-03",
                                                    "<", "1e-11", "<", "1e-09", "ok"]


def test_a_check_that_cannot_tell_says_inconclusive_and_what_to_try():
    N = network(Neural_Network, (2, 3, 1), 0, 40)  # gradient ~1e-13: below the round-off
    result = checkGradient(N, X, y)
    assert result.status == "inconclusive" and not result.passed and result.tolerance > 1
    assert "INCONCLUSIVE" in result.headline()
    assert any("larger epsilon" in reason for reason in result.reasons)
    assert "why: " in str(result) and not result.hints  # no bug pattern is read into noise


# --- the cost the network really computes ---------------------------------------------------------

def test_a_changed_cost_is_checked_on_the_slow_path_against_its_own_backprop():
    np.random.seed(0)
    decayed = WeightDecay()
    assert not onFastPath(decayed)
    assert checkGradient(decayed, X, y).passed
    np.random.seed(0)
    forgot = GALLERY["DecayOnlyInCost"]()
    result = checkGradient(forgot, X, y)
    assert not result.passed and len(result.wrongWeights) == 9
    np.testing.assert_allclose(result.numgrad - result.grad, DECAY * forgot.getParams(),
                               rtol=1e-4)


class TypedAlong:
    """The tutorial's class as a learner types it along with the video: no validation, a cost
    summed with Python's built-in sum (a one-element array), setParams storing views."""

    def __init__(self, forgetful=False):
        self.inputLayerSize, self.outputLayerSize, self.hiddenLayerSize = 2, 1, 3
        self.W1 = np.random.randn(self.inputLayerSize, self.hiddenLayerSize)
        self.W2 = np.random.randn(self.hiddenLayerSize, self.outputLayerSize)
        self.forgetful = forgetful

    def forward(self, X):
        self.z2 = np.dot(X, self.W1)
        self.a2 = self.sigmoid(self.z2)
        self.z3 = np.dot(self.a2, self.W2)
        return self.sigmoid(self.z3)

    def sigmoid(self, z):
        return 1 / (1 + np.exp(-z))

    def sigmoidPrime(self, z):
        return np.exp(-z) / ((1 + np.exp(-z)) ** 2)

    def costFunction(self, X, y):
        self.yHat = self.forward(X)
        return 0.5 * sum((y - self.yHat) ** 2)

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T)
        if not self.forgetful:
            delta2 = delta2 * self.sigmoidPrime(self.z2)
        return np.dot(X.T, delta2), dJdW2

    def getParams(self):
        return np.concatenate((self.W1.ravel(), self.W2.ravel()))

    def setParams(self, params):
        W1_end = self.hiddenLayerSize * self.inputLayerSize
        self.W1 = np.reshape(params[0:W1_end], (self.inputLayerSize, self.hiddenLayerSize))
        W2_end = W1_end + self.hiddenLayerSize * self.outputLayerSize
        self.W2 = np.reshape(params[W1_end:W2_end], (self.hiddenLayerSize, self.outputLayerSize))

    def computeGradients(self, X, y):
        dJdW1, dJdW2 = self.costFunctionPrime(X, y)
        return np.concatenate((dJdW1.ravel(), dJdW2.ravel()))


@pytest.mark.parametrize(("forgetful", "ours"), [(False, Neural_Network),
                                                 (True, ForgetfulNetwork)])
def test_the_class_typed_along_with_the_video_gets_the_same_verdict(forgetful, ours):
    np.random.seed(0)
    typed = TypedAlong(forgetful)
    assert np.asarray(typed.costFunction(X, y)).shape == (1,)  # the tutorial's built-in sum
    W1, W2 = typed.W1.copy(), typed.W2.copy()
    theirs = checkGradient(typed, X, y)
    assert np.array_equal(typed.W1, W1) and np.array_equal(typed.W2, W2)
    np.random.seed(0)
    mine = checkGradient(ours(), X, y)
    assert theirs.passed == mine.passed and set(theirs.wrongWeights) == set(mine.wrongWeights)
    assert theirs.relativeError == pytest.approx(mine.relativeError, rel=1e-3)


# --- the report -----------------------------------------------------------------------------------

def test_the_report_lists_the_worst_weights_first():
    np.random.seed(0)
    result = checkGradient(ForgetfulNetwork(), X, y)
    rows = result.weights
    wrong = [row for row in rows if row.wrong]
    assert rows[:len(wrong)] == wrong and [row.name for row in wrong] == result.wrongWeights
    differences = [row.absoluteError for row in wrong]
    assert differences == sorted(differences, reverse=True)
    assert [row.name for row in rows[len(wrong):]] == ["W2[0, 0]", "W2[1, 0]", "W2[2, 0]"]
    assert result.worstWeight == rows[0].name and rows[0].layer == "W1"
    for row in rows:
        assert row.absoluteError == abs(row.analytic - row.numerical)
        assert row.wrong == (row.absoluteError > row.allowed)
        assert 0 <= row.relativeError <= 1


def tableStart(lines):
    """The position of a printed report's table header among its lines."""
    return next(k for k, line in enumerate(lines) if line.startswith("weight "))


@pytest.mark.parametrize("name", GALLERY)
def test_a_printed_report_fits_a_notebook_line(name):
    """Headline, reasons and hints are broken between words at TEXT_WIDTH characters, so a
    notebook never wraps them mid-word; the table's rows are short anyway."""
    np.random.seed(0)
    lines = str(checkGradient(GALLERY[name](), X, y)).splitlines()
    assert max(map(len, lines)) <= gradientReport.TEXT_WIDTH, lines
    assert len(lines) > 8  # headline, table and hints


def test_repr_is_one_line_str_is_a_table_html_is_a_table():
    np.random.seed(0)
    result = checkGradient(ForgetfulNetwork(), X, y)
    assert "\n" not in repr(result) and repr(result).startswith("GradientCheck FAILED: 6 of 9")
    lines = str(result).splitlines()
    table = tableStart(lines)
    assert " ".join(line.strip() for line in lines[:table]) == repr(result)  # the headline
    assert lines[table].split("  ")[0] == "weight" and \
        [cell.strip() for cell in lines[table].split("  ") if cell.strip()] == \
        list(gradientReport.COLUMNS)  # the header says what each column holds
    # Every one of the 9 weights is listed, the 6 wrong ones first (once 5 rows and "... and
    # 4 more" hid a wrong weight).
    assert [line[:8] for line in lines[table + 1:table + 7]] == result.wrongWeights
    assert [line[:8] for line in lines[table + 7:table + 10]] == ["W2[0, 0]", "W2[1, 0]",
                                                                 "W2[2, 0]"]
    assert lines[table + 10].startswith("hint: only W1")
    page = result._repr_html_()
    assert page.count("<tr") == 10 and page.count("WRONG") == 6 and result.worstWeight in page
    assert "&lt;" not in repr(result) and "<script" not in page


def test_the_fixed_rule_prints_without_allowances():
    np.random.seed(0)
    result = checkGradient(Neural_Network(), X, y, tolerance=1e-7)
    assert result.rule == "fixed" and result.allowed is None and result.wrongWeights == []
    lines = str(result).splitlines()
    header = lines[tableStart(lines)]  # no verdict column (it once ended in "relative")
    assert header.endswith("|b - n| / (|b| + |n|)") and "verdict" not in header


def reportParts(result):
    """A report's table rows (as cell lists, split on two spaces) and its count lines."""
    lines = str(result).splitlines()
    start = tableStart(lines)
    rows, counts = [], []
    for line in lines[start + 1:]:
        if line.startswith(("why: ", "hint: ")):
            break
        if COUNT_LINE.match(line):
            counts.append(line)
        elif line.startswith("    "):  # a count line's continuation
            counts[-1] += " " + line.strip()
        else:
            rows.append([cell.strip() for cell in line.split("  ") if cell.strip()])
    return rows, counts


COUNT_LINE = re.compile(r"^(\w+|directions): ")
ALL_WITHIN = re.compile(r"^(\w+): all ([\d,]+) within the numerical error"
                        r"(?: \(([\d,]+) listed above\))?$")
SOME_WRONG = re.compile(r"^(\w+): ([\d,]+) of ([\d,]+) wrong(?: \(([\d,]+) listed above\))?, "
                        r"([\d,]+) at a kink(?: \(([\d,]+) listed above\))?, ([\d,]+) within "
                        r"the numerical error(?: \(([\d,]+) listed above\))?$")


def number(text):
    """A count as printed ("1,280", or None for a count not printed: 0)."""
    return int(text.replace(",", "")) if text else 0


def countsOf(line):
    """A count line as (array, weights, wrong, at a kink, listed above)."""
    if match := ALL_WITHIN.match(line):
        return match[1], number(match[2]), 0, 0, number(match[3])
    match = SOME_WRONG.match(line)
    assert match, line
    wrong, total, kinks, within = (number(match[k]) for k in (2, 3, 5, 7))
    assert wrong + kinks + within == total, line
    return match[1], total, wrong, kinks, sum(number(match[k]) for k in (4, 6, 8))


class WrongFactorOnW1(Neural_Network):
    """A backprop whose dJdW1 is 1.5 times too large: with 5 inputs and 8 hidden units, 40
    wrong weights, more than a screenful."""

    def computeGradients(self, X, y):
        grad = super().computeGradients(X, y)
        grad[:self.W1.size] *= 1.5
        return grad


class OneWrongOfMany(Neural_Network):
    """A backprop with one wrong weight, W1[0, 3], among many."""

    def computeGradients(self, X, y):
        grad = super().computeGradients(X, y)
        grad[3] *= 1.5
        return grad


def biggerCheck(cls, **options):
    """checkGradient of a 5-8-2 ``cls`` network (56 weights) on 6 random examples."""
    np.random.seed(0)
    N = cls(5, 8, 2)
    inputs, targets = data((5, 8, 2), 0, 6)
    return checkGradient(N, inputs, targets, **options)


def test_with_6_wrong_weights_of_9_all_6_are_listed_in_text_and_html():
    np.random.seed(0)
    result = checkGradient(ForgetfulNetwork(), X, y)
    rows, counts = reportParts(result)
    assert len(result.wrongWeights) == 6 and counts == []
    assert [row[0] for row in rows] == [row.name for row in result.weights]  # all 9
    assert [row[0] for row in rows if row[-1] == "WRONG"] == result.wrongWeights
    page = result._repr_html_()
    assert all(f"<td>{name}</td>" in page for name in result.names) and page.count("WRONG") == 6
    assert "... and" not in str(result) and "... and" not in page


@pytest.mark.parametrize("cls", [WrongFactorOnW1, OneWrongOfMany])
def test_beyond_a_screenful_the_table_shows_the_worst_and_counts_every_array(cls):
    result = biggerCheck(cls)
    rows, counts = reportParts(result)
    assert result.status == "failed" and len(result.grad) == 56
    assert len(rows) == gradientReport.SCREEN_ROWS
    # Every wrong weight that fits is listed, worst first; the rest of the screenful is correct.
    wrong = result.wrongWeights
    assert [row[0] for row in rows[:min(len(wrong), len(rows))]] == wrong[:len(rows)]
    parsed = [countsOf(line) for line in counts]
    assert [array for array, *_ in parsed] == ["W1", "W2"]  # one line per array, in order
    assert sum(total for _, total, *_ in parsed) == len(result.grad)
    assert sum(wrongs for _, _, wrongs, *_ in parsed) == len(wrong)
    assert sum(listed for *_, listed in parsed) == gradientReport.SCREEN_ROWS
    page = result._repr_html_()
    assert page.count("<tr") == gradientReport.SCREEN_ROWS + 1
    assert all(f"<p>{line}</p>" in page for line in result.countLines())
    assert " ".join(counts) == " ".join(result.countLines())  # the text's, wrapped
    assert "... and" not in str(result) and "... and" not in page


def test_a_directional_check_beyond_a_screenful_counts_its_directions():
    np.random.seed(0)
    result = checkGradient(Neural_Network(), X, y, method="directional", directions=25)
    rows, counts = reportParts(result)
    assert len(rows) == gradientReport.SCREEN_ROWS
    assert counts == ["directions: all 25 within the numerical error (20 listed above)"]


def test_the_fixed_rule_beyond_a_screenful_counts_what_it_compared():
    result = biggerCheck(OneWrongOfMany, tolerance=1e-7)
    rows, counts = reportParts(result)
    assert len(rows) == gradientReport.SCREEN_ROWS and rows[0][0] == "W1[0, 3]"
    assert [line.split(" compared")[0] for line in counts] == ["W1: 40", "W2: 16"]
    listed = [int(re.search(r"\((\d+) listed above\)", line)[1]) for line in counts]
    assert sum(listed) == gradientReport.SCREEN_ROWS


@pytest.mark.parametrize("name", [*sorted(GALLERY), "correct", "WrongFactorOnW1",
                                  "OneWrongOfMany"])
def test_correct_rows_show_true_power_of_ten_bounds_and_nothing_is_hidden(name):
    """No "-" and no "... and N more": a correct weight shows bounds that hold, a wrong one
    two significant digits."""
    if name in ("WrongFactorOnW1", "OneWrongOfMany"):
        result = biggerCheck(globals()[name])
    else:
        np.random.seed(0)
        result = checkGradient(GALLERY.get(name, Neural_Network)(), X, y)
    rows, _ = reportParts(result)
    text, page = str(result), result._repr_html_()
    assert "... and" not in text and "... and" not in page
    for cells, row in zip(rows, result.weights):
        assert cells[0] == row.name and "-" not in cells[3:]
        if row.wrong:
            assert cells[3:] == [f"{row.absoluteError:.1e}", f"{row.relativeError:.1e}", "WRONG"]
            continue
        absolute, relative = gradientReport.bounded(row, result.roundoffFloor)
        assert cells[3:] == [f"< {absolute:.0e}", f"< {relative:.0e}", "ok"]
        assert row.absoluteError < absolute and row.relativeError < relative
        assert absolute > gradientReport.FLOOR_FACTOR * result.roundoffFloor
        assert f"<td>&lt; {absolute:.0e}</td><td>&lt; {relative:.0e}</td><td>ok</td>" in page


def test_powerAbove_and_boundText():
    assert [gradientReport.powerAbove(value) for value in (3.2e-12, 1e-12, 9.99e-11, 0.5, 0.0)] \
        == [1e-11, 1e-11, 1e-10, 1.0, 0.0]
    assert gradientReport.boundText(1e-11) == "< 1e-11" and gradientReport.boundText(0.0) == "0"


def test_a_relative_error_above_1_prints_as_greater_than_1_everywhere():
    """A flipped sign: b = -n, so b + n is rounding and the ratio's digits are noise."""
    assert gradientReport.relativeErrorText(1.9e9) == "> 1"
    assert gradientReport.relativeErrorText(math.inf) == "> 1"
    assert gradientReport.relativeErrorText(5.4e-10) == "5.4e-10"
    assert gradientReport.relativeErrorText(1.0) == "1.0e+00"
    for options in ({}, {"tolerance": 1e-7}):
        np.random.seed(0)
        result = checkGradient(GALLERY["FlippedSign"](), X, y, **options)
        assert result.relativeError > 1 and "relative error > 1" in result.headline()
        assert "e+0" not in result.headline(), result.headline()


def test_sourceDiff_and_the_self_check_of_a_fix():
    diff = sourceDiff(GALLERY["ForgetfulNetwork"])
    assert "-    delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)" in diff
    assert checkMysteryNetwork(Neural_Network).startswith("correct: Neural_Network: all 9 weights")
    verdict = " ".join(checkMysteryNetwork(GALLERY["OffByOneUnit"]).split())
    assert verdict.startswith("not yet: 2 of 9 weights are still wrong (W1[0, 2], W1[1, 2])")
    assert bugGallery.CORRECT is Neural_Network


def test_the_mystery_changes_one_line_and_is_kept_out_of_the_gallery():
    """Notebook 13's exercise: one line of backprop changed, delta3 without sigmoidPrime(z3),
    and the class kept out of GALLERY, so the notebook does not show it before the exercise."""
    diff = sourceDiff(bugGallery.CrossEntropyShortcut).splitlines()
    assert diff[2:] == ["-    delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))",
                        "+    delta3 = -(y - self.yHat)"]
    assert "CrossEntropyShortcut" not in GALLERY



def test_an_edited_bug_keeps_its_source_when_linecache_is_cleared():
    """The gallery's edited bugs (bugGallery.edited) live in linecache, which a debugger may
    clear: their diffs still read, and an edit that does not apply fails at import."""
    diffs = {name: sourceDiff(cls) for name, cls in GALLERY.items()}
    linecache.clearcache()
    assert {name: sourceDiff(cls) for name, cls in GALLERY.items()} == diffs
    with pytest.raises(ValueError, match="not in the backprop exactly once"):
        bugGallery.edited(("no such code", ""))(type("Nothing", (Neural_Network,), {}))

# --- the parts of the allowance ----------------------------------------------------------------

def test_noise_of_a_constant_is_zero_and_of_noise_is_its_size():
    assert noiseFromTable(np.full(9, 0.25)) == 0.0
    rng = np.random.default_rng(0)
    estimates = [noiseFromTable(1e-12 * rng.standard_normal(9)) / 1e-12 for _ in range(200)]
    assert 0.7 < np.median(estimates) < 1.3


def test_noise_ignores_a_smooth_trend():
    rng = np.random.default_rng(1)
    t = np.arange(9) * 1e-3
    smooth = 0.3 + 2 * t - 5 * t**2 + 7 * t**3
    estimates = [noiseFromTable(smooth + 1e-14 * rng.standard_normal(9)) / 1e-14
                 for _ in range(100)]
    assert 0.5 < np.median(estimates) < 2


def test_costNoise_puts_the_weights_back_and_floors_at_unit_roundoff():
    np.random.seed(0)
    N = Neural_Network()
    before = N.getParams().copy()
    sigma, cost, dtype = costNoise(N, X, y, 1e-4)
    assert dtype == np.float64
    assert np.array_equal(N.getParams(), before) and cost == N.costFunction(X, y)
    assert np.finfo(float).eps / 2 * cost <= sigma < 1e-15


class CopyingW1(Neural_Network):
    """The tutorial's network whose W1 setter stores a copy: the fast path still applies."""

    @property
    def W1(self):
        return self._W1

    @W1.setter
    def W1(self, value):
        self._W1 = np.array(value)


@pytest.mark.parametrize("cls", [Neural_Network, CopyingW1])
def test_the_fast_noise_probe_gives_the_loops_numbers_and_leaves_the_network_be(cls):
    """costNoise on copies of N (fast=True, fastGradients.knownCosts) measures the same costs,
    bit for bit, as through N's setParams (fast=False), and N keeps its weights."""
    np.random.seed(3)
    N = cls(4, 5, 2)
    data, targets = np.random.default_rng(3).random((2, 6, 4))
    before = N.getParams().copy()
    fast = costNoise(N, data, targets[:, :2], 1e-4, seed=2, fast=True)
    assert np.array_equal(N.getParams(), before)
    assert fast == costNoise(N, data, targets[:, :2], 1e-4, seed=2, fast=False)


def test_numericalAllowance_adds_truncation_roundoff_and_the_step():
    numgrad, numgradDouble = np.array([1.0, -2.0]), np.array([1.0 + 3e-8, -2.0])
    allowed, truncation, roundoff = numericalAllowance(numgrad, numgradDouble, 1e-17, 1e-4, 1.0)
    np.testing.assert_allclose(truncation, [1e-8, 0])
    assert roundoff == pytest.approx(1e-13)
    step = np.abs(numgrad) * np.finfo(float).eps / 2 * (1 + 1e-4) / 1e-4
    np.testing.assert_allclose(allowed, SAFETY * (truncation + roundoff + step))


# --- bad input ------------------------------------------------------------------------------------

class WrongShapeGradient(Neural_Network):
    def computeGradients(self, X, y):
        return super().computeGradients(X, y)[:-1]


class VectorCost(Neural_Network):
    def costFunction(self, X, y):
        self.yHat = self.forward(X)
        return 0.5 * (y - self.yHat) ** 2


class NanCostLater(Neural_Network):
    """A cost that turns NaN after a few calls, as an overflowing one might."""

    calls = 0

    def costFunction(self, X, y):
        self.calls += 1
        return float("nan") if self.calls > 4 else super().costFunction(X, y)


class NoComputeGradients:
    def getParams(self):
        return np.zeros(9)

    def setParams(self, params):
        pass

    def costFunction(self, X, y):
        return 0.0


@pytest.mark.parametrize(("cls", "error", "mention"), [
    (WrongShapeGradient, ValueError, "shape (8,)"),
    (VectorCost, TypeError, "costFunction must return one number"),
])
def test_a_broken_protocol_is_a_clear_error_and_the_weights_stay(cls, error, mention):
    np.random.seed(0)
    N = cls()
    before = N.getParams().copy()
    with pytest.raises(error, match=mention.replace("(", r"\(").replace(")", r"\)")):
        checkGradient(N, X, y)
    assert np.array_equal(N.getParams(), before)


def test_a_cost_that_turns_nan_is_inconclusive_and_the_weights_stay():
    np.random.seed(0)
    N = NanCostLater()
    before = N.getParams().copy()
    result = checkGradient(N, X, y)
    assert result.status == "inconclusive" and "not finite" in result.reasons[0]
    assert "not finite" in result.headline()
    assert np.array_equal(N.getParams(), before)


def test_a_network_without_computeGradients_is_refused():
    with pytest.raises(TypeError, match="has no computeGradients"):
        checkGradient(NoComputeGradients(), X, y)


@pytest.mark.parametrize(("keyword", "value", "error"), [
    ("epsilon", 0.0, ValueError), ("epsilon", np.inf, ValueError), ("tolerance", -1.0, ValueError),
    ("seed", -1, ValueError), ("seed", 1.5, TypeError)])
def test_bad_settings_are_refused_for_the_typed_along_class_too(keyword, value, error):
    np.random.seed(0)
    typed = TypedAlong()
    W1, W2 = typed.W1.copy(), typed.W2.copy()
    with pytest.raises(error, match=keyword):
        checkGradient(typed, X, y, **{keyword: value})
    assert np.array_equal(typed.W1, W1) and np.array_equal(typed.W2, W2)


@pytest.mark.parametrize(("inputs", "targets", "mention"), [
    (X[:, :1], y, "2 columns"), (X, y[:2], "one row per example"),
    (np.where(X == X[0, 0], np.nan, X), y, "finite")])
def test_bad_data_is_refused_for_the_typed_along_class_too(inputs, targets, mention):
    np.random.seed(0)
    typed = TypedAlong()
    before = typed.getParams().copy()
    with pytest.raises(ValueError, match=mention):
        checkGradient(typed, inputs, targets)
    assert np.array_equal(typed.getParams(), before)


def test_costValue_reads_a_float_or_a_one_element_array():
    np.random.seed(0)
    typed = TypedAlong()
    assert isinstance(costValue(typed, X, y), float)


@pytest.mark.parametrize("failing", [1, 18, 19, 36, 37, 45])
def test_a_cost_that_raises_midway_leaves_the_weights_as_they_were(failing):
    """The cost raises in the slopes at epsilon (calls 1-18), at 2 epsilon (19-36) or in the
    noise probe (37-45)."""
    N = failingNetwork(failing)
    before = N.getParams().copy()
    with pytest.raises(RuntimeError, match=f"call {failing}"):
        checkGradient(N, X, y)
    assert np.array_equal(N.getParams(), before)


def test_the_check_makes_45_cost_calls_on_the_slow_path():
    N = failingNetwork(0)
    checkGradient(N, X, y)
    assert N.calls == 45  # 2 x 9 at epsilon, 2 x 9 at 2 epsilon, 9 for the noise probe


def test_gradientDescent_gives_plain_costs_for_the_typed_along_class():
    """The video's cost is a one-element array; gradientDescent reads every cost with costValue,
    so the costs come back as one number per step, as for the course's own network."""
    np.random.seed(0)
    typed = TypedAlong()
    np.random.seed(0)
    ours = Neural_Network()
    theirs, mine = gradientDescent(typed, X, y, steps=20), gradientDescent(ours, X, y, steps=20)
    assert theirs.shape == mine.shape == (21,)
    np.testing.assert_allclose(theirs, mine, rtol=1e-12)


# --- a cost that cannot tell, and numbers at the ends of the float range --------------------------

@pytest.mark.parametrize("tolerance", [None, 1e-7])
@pytest.mark.parametrize("factor", [0, 2], ids=["forgotten", "correct"])
def test_a_cost_whose_change_is_lost_in_rounding_is_inconclusive(tolerance, factor):
    """1e20 + x.x: every J(+) - J(-) rounds to 0, so the check sees no slope at all. The fixed
    rule used to pass a forgotten gradient (0 against 0); the derived rule sees the rounding."""
    check = checkFunctionGradient(lambda x: 1e20 + float(x @ x), lambda x: factor * x,
                                  np.array([1.0, 2.0]), tolerance=tolerance)
    assert check.status == "inconclusive" and not check.passed
    if tolerance is None:
        assert check.reasons[0].code == judge.TOO_COARSE
    else:
        assert check.reasons[0].code == judge.NO_CHANGE and "tolerance=None" in check.reasons[0]
        assert "the cost did not change within epsilon" in check.headline()


def test_on_a_cost_that_is_exactly_flat_the_derived_rule_still_judges():
    """A cost of exactly 0 has no rounding at all: the derived rule fails a gradient that is not
    0 there and passes one that is; the fixed rule, which measures no rounding, cannot tell."""
    point = np.array([1.0, 2.0])
    assert checkFunctionGradient(lambda x: 0.0, lambda x: x, point).status == "failed"
    assert checkFunctionGradient(lambda x: 0.0, lambda x: 0 * x, point).passed
    fixed = checkFunctionGradient(lambda x: 0.0, lambda x: x, point, tolerance=1e-7)
    assert fixed.status == "inconclusive"


def test_huge_costs_and_gradients_are_judged_without_overflow():
    """A cost of 1e200 |x|^2: squares of its differences and norms of its gradient overflow a
    float unless scaled (warnings are errors here)."""
    def cost(x):
        return 1e200 * float(x @ x)

    point = np.array([1.0, 2.0])
    assert checkFunctionGradient(cost, lambda x: 2e200 * x, point).passed
    wrong = checkFunctionGradient(cost, lambda x: 4e200 * x, point)
    assert wrong.status == "failed" and wrong.wrongWeights == ["x[1]", "x[0]"]


def test_an_infinite_cost_or_gradient_gives_a_verdict_not_a_warning():
    point = np.array([1.0, 2.0])
    check = checkFunctionGradient(lambda x: np.inf, lambda x: 2 * x, point)
    assert check.status == "inconclusive" and check.reasons[0].code == judge.NOT_FINITE
    check = checkFunctionGradient(lambda x: float(x @ x), lambda x: x * np.inf, point)
    assert check.status == "failed" and math.isnan(check.relativeError)


# --- hints only where their pattern holds ---------------------------------------------------------

class OneSlightlyOff(Neural_Network):
    """W1[1, 1] off by 2e-7: one wrong weight, nothing permuted."""

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        dJdW1 = dJdW1.copy()
        dJdW1[1, 1] += 2e-7
        return dJdW1, dJdW2


class SlightlyOffW2(OffsetGradient):
    layer, offset = "W2", 5e-10


class RoughE(Neural_Network):
    """sigmoidPrime with e typed as 2.718: backprop off by 0.002% to 0.02%, no common factor."""

    def sigmoidPrime(self, z):
        return 2.718**-z / (1 + 2.718**-z) ** 2


@pytest.mark.parametrize(("cls", "epsilon"), [(OneSlightlyOff, 1e-2), (SlightlyOffW2, 1e-4),
                                              (RoughE, 1e-4)])
def test_no_hint_reads_a_pattern_that_is_not_there(cls, epsilon):
    """Not "the right numbers in the wrong places" for a slightly wrong weight, not "rows" in a
    one-column matrix, not "1 times the numerical slope" for ratios near 1."""
    np.random.seed(0)
    check = checkGradient(cls(), X, y, epsilon=epsilon)
    assert check.status == "failed"
    said = " ".join(check.hints)
    for claim in ["wrong places", "fill row", "1 times"]:
        assert claim not in said, said


def test_a_decay_like_pattern_with_a_median_of_zero_gives_no_warning():
    check = checkFunctionGradient(lambda x: float(x[0] + x[1]), lambda x: np.array([2.0, 2.0]),
                                  np.array([1.0, -1.0]))
    assert check.status == "failed" and not any("weight-decay" in hint for hint in check.hints)


def test_tiny_gradients_are_compared_without_underflow():
    """Squares of 1e-170 underflow to 0: the norms are taken with the largest entry factored out."""
    from partFive import compareGradients

    assert compareGradients(np.array([1e-170]), np.array([2e-170])) == pytest.approx(1 / 3)
    check = checkFunctionGradient(lambda x: 1e-170 * float(x @ x), lambda x: 4e-170 * x,
                                  np.array([1.0, 2.0]), tolerance=1e-7)
    assert check.status == "failed" and check.relativeError == pytest.approx(1 / 3, rel=1e-6)


@pytest.mark.parametrize("tolerance", [1e-7, None])
def test_gradients_near_the_largest_float_are_compared_without_overflow(tolerance):
    """grad + numgrad of 1.2e308 and 9e307 overflows: a relative error of 0.0 would pass a
    backprop a third off. The halves are added instead (warnings are errors here)."""
    from partFive import compareGradients

    def cost(x):
        return 9e307 * float(x.sum())

    assert compareGradients([1.2e308, 1e308], [9e307, 1e308]) == pytest.approx(
        0.3 / math.sqrt(2.1**2 + 2**2))
    for grad in (1.2e308, -1.7e308, 1.7e308):  # the second: grad - numgrad overflows too
        check = checkFunctionGradient(cost, lambda x, grad=grad: np.full(2, grad),
                                      np.zeros(2), tolerance=tolerance)
        assert check.status == "failed" and 0.05 < check.relativeError, check.relativeError
        assert str(check) and check._repr_html_()


def test_a_report_with_a_subnormal_backprop_entry_prints():
    """A saturated unit: dJ/dW1 is about 4e-320, and its relative bound has no power of ten."""
    N = Neural_Network(1, 1, 1)
    N.W1, N.W2 = np.array([[1.0]]), np.array([[1.0]])
    check = checkGradient(N, np.array([[739.0]]), np.array([[0.5]]))
    assert check.passed and "< inf" in str(check) and "&lt; inf" in check._repr_html_()


def test_a_cost_near_the_largest_float_gives_a_verdict():
    check = checkFunctionGradient(lambda x: 9e307, lambda x: 0 * x, np.array([1.0]))
    assert check.status == "inconclusive"


# --- each line of the verdict, pinned on both sides -----------------------------------------------

def judgedSlope(offBy, kinkSize=None):
    """judge's verdict on one slope whose numerical estimate is 1.0, with an estimated error e of
    1e-8 (the cost's noise 1e-12 over epsilon 1e-4, no truncation; allowance 10 e), backprop
    ``offBy`` e away from it, and (if given) a fourth difference of ``kinkSize`` allowances."""
    estimate, epsilon = 1e-8, 1e-4
    allowed = SAFETY * estimate
    sums = None if kinkSize is None else np.array([[0.0], [kinkSize * allowed * epsilon]])
    measured = Measurement(grad=np.array([1.0 + offBy * estimate]),
                           numerical=np.array([[1.0], [1.0]]), epsilon=epsilon,
                           places=[("x", (0,))], weightValues=np.zeros(1),
                           dtype=np.dtype(np.float64), weightScale=0.0,
                           noise=Noise(1e-12, 0.0, np.dtype(np.float64)), sums=sums)
    return judge.judge(measured, None)


@pytest.mark.parametrize(("offBy", "kinkSize", "status"), [
    (7, None, "passed"),  # within ten times its estimated error
    (12, None, "failed"),
    (12, 1.5, "failed"),  # a fourth difference under two allowances is no corner
    (12, 2.5, "inconclusive"),  # over two allowances, and at least the difference: a kink
    (100, 3.0, "failed"),  # a corner that small cannot explain a difference this large
])
def test_a_slope_is_wrong_beyond_ten_estimated_errors_unless_a_corner_explains_it(
        offBy, kinkSize, status):
    verdict = judgedSlope(offBy, kinkSize)
    assert verdict.status == status, verdict.reasons
    assert SAFETY == 10


@pytest.mark.parametrize("tolerance", [None, 1e-7])
def test_a_nan_backprop_fails(tolerance):
    check = checkFunctionGradient(lambda x: float(x @ x), lambda x: x * np.nan,
                                  np.array([1.0, 2.0]), tolerance=tolerance)
    assert check.status == "failed" and not check.passed


def test_a_relative_error_equal_to_the_tolerance_passes():
    """A linear cost at dyadic points: every centered difference is exact, the relative error 0,
    and a tolerance of 0 (allowed) passes it."""
    check = checkFunctionGradient(lambda x: float(x @ np.array([1.0, 2.0])),
                                  lambda x: np.array([1.0, 2.0]), np.array([0.5, 0.25]),
                                  epsilon=2**-10, tolerance=0)
    assert check.relativeError == 0.0 and check.passed


def test_an_epsilon_lost_in_rounding_is_named_first_at_the_limit():
    """At epsilon 5e-15 the tutorial network's weights round w + epsilon off by about 2% of
    epsilon: over STEP_LIMIT (1%), so the first reason is the lost step, and the only one."""
    np.random.seed(0)
    check = checkGradient(Neural_Network(), X, y, epsilon=5e-15)
    assert check.status == "inconclusive"
    assert [reason.code for reason in check.reasons] == [judge.STEP_LOST]


@pytest.mark.parametrize("beyond", [np.nan, np.inf])
def test_a_cost_that_is_not_finite_beside_the_weights_gives_one_reason(beyond):
    """One slope is not finite: that is the reason, the only one (no drift is measured from a
    slope that is not a number), and the derived tolerance is infinite."""
    check = checkFunctionGradient(lambda x: float(x @ x) if x[1] <= 2 else beyond,
                                  lambda x: 2 * x, np.array([1.0, 2.0]))
    assert [reason.code for reason in check.reasons] == [judge.NOT_FINITE]
    assert check.tolerance == math.inf


def test_the_noise_probe_stays_close_whatever_epsilon():
    """Its points are at most 1e-3 apart, so a large epsilon does not read the cost's curvature
    as noise: the round-off part stays near the float64 rounding of the cost."""
    np.random.seed(0)
    check = checkGradient(Neural_Network(), X, y, epsilon=0.1)
    assert check.roundoff < 1e-14


def test_an_inconclusive_check_gives_no_hints():
    """Hints read the pattern of wrong weights; when the numbers cannot tell, there is none.
    (Here a pattern read from epsilon's truncation error would say "only W1 is wrong" of a
    decay bug in both layers.)"""
    np.random.seed(0)
    check = checkGradient(GALLERY["DecayOnlyInGradient"](), X, y, epsilon=1.0)
    assert check.status == "inconclusive" and check.wrongWeights and check.hints == []


def test_a_sparse_check_reads_no_unit_pattern():
    """A sparse check sees a few weights of each array: whole columns cannot be told from them."""
    np.random.seed(0)
    check = checkGradient(GALLERY["OffByOneUnit"](), X, y, method="sparse", coordinates=7,
                          seed=1)
    assert check.status == "failed"
    assert not any("column(s)" in text for text in check.hints), check.hints


class ScaledBy(Neural_Network):
    """Backprop times ``factor``."""

    factor = 2.05

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        return self.factor * dJdW1, self.factor * dJdW2


class OneWeightDoubled(Neural_Network):
    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        dJdW1 = dJdW1.copy()
        dJdW1[0, 0] *= 2
        return dJdW1, dJdW2


def test_the_factor_hint_names_2_only_for_2_and_needs_two_weights():
    np.random.seed(0)
    [hint] = [text for text in checkGradient(ScaledBy(), X, y).hints if "times" in text]
    assert "2.05 times" in hint and "a constant scale" in hint and "factor 2" not in hint
    np.random.seed(0)
    check = checkGradient(OneWeightDoubled(), X, y)
    assert check.wrongWeights == ["W1[0, 0]"]
    assert not any("times the numerical slope" in text for text in check.hints)


def test_default_directions_keep_a_one_weight_bug_under_one_in_a_million():
    assert judge.defaultDirections(1000) == 2


def test_a_nan_slope_is_listed_first():
    check = checkFunctionGradient(lambda x: float(x @ x),
                                  lambda x: np.array([2 * x[0] + 1, np.nan, 2 * x[2]]),
                                  np.array([1.0, 2.0, 3.0]), tolerance=1e-7)
    assert check.worstWeight == "x[1]"


def test_the_table_lists_up_to_a_screenful_and_counts_beyond_it():
    """A 3-4-2 network has exactly SCREEN_ROWS (20) weights: all listed, nothing counted."""
    for sizes, counted in [((3, 4, 2), False), ((3, 4, 3), True)]:
        np.random.seed(0)
        data = np.random.default_rng(0).random((5, sizes[0]))
        target = np.random.default_rng(1).random((5, sizes[2]))
        check = checkGradient(Neural_Network(*sizes), data, target)
        assert (len(check.grad) == gradientReport.SCREEN_ROWS) != counted
        assert bool(check.countLines()) == counted


def test_a_relative_error_of_exactly_1_is_printed_as_a_number():
    """An all-zero backprop is exactly 1 away under the fixed rule: "1.0e+00 > tolerance", as
    any ratio up to 1 is; only a ratio above 1 is "> 1"."""
    check = checkFunctionGradient(lambda x: float(x @ x), lambda x: 0 * x,
                                  np.array([1.0, 2.0]), tolerance=1e-7)
    assert check.relativeError == 1.0
    assert "relative error 1.0e+00 > tolerance 1e-07" in check.headline()


def test_one_number_compared_by_the_fixed_rule_has_no_table():
    np.random.seed(0)
    check = checkGradient(Neural_Network(), X, y, tolerance=1e-7, method="directional",
                          directions=1)
    assert len(check.grad) == 1 and "backprop b" not in str(check)


@pytest.mark.parametrize("check", [
    lambda: checkFunctionGradient(lambda x: np.float32(x @ x), lambda x: 2 * x,
                                  np.array([1.0, 2.0])),
    lambda: checkGradient(Float32Cost(), X, y)])
def test_a_float32_cost_of_float64_weights_is_judged_in_float32(check):
    """The coarser of the weights' and the cost's precisions sets what the check can resolve,
    for a plain function as for a network."""
    assert check().precision == "float32"


class Float32Cost(Neural_Network):
    def costFunction(self, X, y):
        return np.float32(super().costFunction(X, y))


def test_the_weight_scale_is_the_largest_magnitude_and_float16_has_a_coarse_resolution():
    from checker.measure import weightScale

    assert weightScale(np.array([-3.0, 1.0])) == 3.0
    assert judge.resolutionOf("float16") == 0.1 and judge.resolutionOf("float32") == 1e-2


def test_a_column_of_one_weight_is_no_pattern():
    """With one input a column of W1 is a single weight: no "fill column(s)" hint."""
    np.random.seed(0)
    data, target = np.array([[0.3], [0.5], [1.0]]), y
    check = checkGradient(GALLERY["OffByOneUnit"](1, 3, 1), data, target)
    assert "W1[0, 2]" in check.wrongWeights
    assert not any("column(s)" in hint for hint in check.hints), check.hints


def test_no_factor_is_named_when_a_wrong_slope_has_no_numerical_slope():
    """x[2]'s slope is 0 there, and backprop's 0.5 is no multiple of it: the other two weights'
    common factor 2 is then no pattern of the whole."""
    check = checkFunctionGradient(lambda x: float(x @ x), lambda x: np.array([4.0, 8.0, 0.5]),
                                  np.array([1.0, 2.0, 0.0]))
    assert check.wrongWeights and not any("times" in hint for hint in check.hints), check.hints


def test_the_counts_name_the_slopes_not_judged():
    """Beyond a screenful, a slope that is not finite is counted as not judged."""
    check = checkFunctionGradient(lambda x: float(x @ x) if x[24] <= 0 else np.nan,
                                  lambda x: 2 * x, np.linspace(-1.0, 0.0, 25))
    assert check.status == "inconclusive"
    assert any("1 not judged" in line for line in check.countLines()), check.countLines()
