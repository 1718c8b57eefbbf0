"""Tests for epsilonLab, the module behind notebook 10's sliders.

- The three differences against independent exact derivatives (math.cos, math.exp): the complex
  step to machine precision, forward error ~ epsilon and centered ~ epsilon² on the truncation
  side, the bottom of the U where the model puts it, in float64 and float32.
- The readout text, the network check, the widgets' update (one figure, markers moved).
- Bad input for every public function.
- What notebook 10 prints does not change when every sin, exp, cost and gradient is off by a
  few units in the last place, as on another CPU or numpy (the round-off side of the U is pure
  rounding noise, so the notebook must only print what that noise cannot reach).
"""

import contextlib
import dataclasses
import io
import math
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from conftest import failingNetwork, networkReadout
from IPython.core.inputtransformer2 import TransformerManager
from matplotlib.figure import Figure

from checker.validation import checkEpsilon
from course import labWidgets
from course.epsilonLab import (
    DTYPES,
    EPSILONS,
    FUNCTIONS,
    METHODS,
    bestEpsilon,
    errorCurve,
    errorModel,
    forwardNumericalGradient,
    machineEpsilon,
    networkCheck,
    networkErrorCurve,
    readout,
    ruleOfThumb,
    slopeError,
)
from course.labWidgets import FunctionLab, NetworkLab
from partFive import Neural_Network, X, checkGradient, y

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "10-The-Epsilon-Lab.ipynb"
EXACT = {"sin": math.cos, "exp": math.exp}  # independent of epsilonLab's own derivatives


def slope(function, epsilon, method="centered", dtype="float64", x=None):
    """One numerical slope, as slopeError takes it."""
    return slopeError(function, epsilon, method, dtype, x).numerical


@pytest.fixture
def N():
    """The tutorial's network: np.random.seed(0); Neural_Network()."""
    np.random.seed(0)
    return Neural_Network()


@pytest.fixture(autouse=True)
def matplotlibsOwnPyparsingWarnings():
    """Let pyparsing >= 3.3's deprecation warnings about matplotlib < 3.9 pass.

    matplotlib 3.8 (the oldest the course supports) still calls pyparsing's old camelCase
    names, and pyparsing 3.3 warns about every call where warnings are shown, as here (pytest
    turns warnings into errors). That is between those two packages; every other warning stays
    an error. (matplotlib is imported inside the tests, not above, so this applies to it.)
    """
    try:
        from pyparsing.warnings import PyparsingDeprecationWarning
    except ImportError:  # an older pyparsing: nothing to let pass
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PyparsingDeprecationWarning)
        yield


# --- the differences ------------------------------------------------------------------------

@pytest.mark.parametrize("function", ["sin", "exp"])
@pytest.mark.parametrize("x", [-2.0, -0.5, 0.25, 1.0, 3.0])
@pytest.mark.parametrize("epsilon", [1e-8, 1e-20, 1e-100, 1e-300])
def test_complex_step_is_exact_to_machine_precision(function, x, epsilon):
    exact = EXACT[function](x)
    assert slope(function, epsilon, "complex", x=x) == pytest.approx(exact, rel=4e-16, abs=4e-16)


@pytest.mark.parametrize("function", ["sin", "exp"])
def test_complex_step_in_float32_is_exact_to_float32_precision(function):
    exact = EXACT[function](1.0)
    assert slope(function, 1e-6, "complex", "float32") == pytest.approx(exact, rel=4e-7)


@pytest.mark.parametrize("function", ["sin", "exp"])
def test_forward_error_shrinks_like_epsilon_and_centered_like_epsilon_squared(function):
    steps = [1e-2, 1e-3, 1e-4]
    exact = EXACT[function](1.0)
    for method, power in [("forward", 1), ("centered", 2), ("complex", 2)]:
        errors = [abs(slope(function, h, method) - exact) for h in steps]
        ratios = [errors[i] / errors[i + 1] for i in range(len(steps) - 1)]
        assert ratios == pytest.approx([10.0 ** power] * 2, rel=0.02), method


@pytest.mark.parametrize("function", ["sin", "exp"])
@pytest.mark.parametrize("method", METHODS)
def test_the_truncation_line_matches_the_measured_error_where_truncation_dominates(function,
                                                                                   method):
    steps = [1e-3, 1e-4] if method == "forward" else [1e-2, 1e-3]
    truncation, roundoff = errorModel(function, steps, method)
    assert np.all(roundoff < 1e-3 * truncation)
    assert errorCurve(function, steps, method) == pytest.approx(truncation, rel=0.02)


def test_the_kind_function_has_exactly_the_predicted_errors():
    """x**2: forward is 2x + epsilon exactly; centered and complex step have no truncation."""
    assert slope("x**2", 0.5, "forward") == 3.5
    assert slope("x**2", 0.5, "centered") == 3.0
    assert slope("x**2", 0.5, "complex") == 3.0
    truncation, _ = errorModel("x**2", [1e-3], "centered")
    assert truncation[0] == 0
    assert bestEpsilon("x**2", "centered") is None


def test_round_off_takes_over_for_small_steps():
    assert slopeError("x**2", 1e-16, "centered").relativeError == 1.0  # x + 1e-16 == x
    small = errorCurve("sin", [1e-14, 1e-12], "centered")
    assert np.all(small > 1e-5)
    assert slopeError("sin", 1e-12, "complex").relativeError < 4 * machineEpsilon("float64")


@pytest.mark.parametrize("function", ["sin", "exp"])
@pytest.mark.parametrize("method", ["forward", "centered"])
def test_the_bottom_of_the_measured_U_is_where_the_model_puts_it(function, method):
    bottoms = {}
    for dtype in DTYPES:
        curve = errorCurve(function, EPSILONS, method, dtype)
        bottoms[dtype] = EPSILONS[np.argmin(curve)]
        best = bestEpsilon(function, method, dtype)
        assert best / 10 < bottoms[dtype] < best * 10, (dtype, bottoms[dtype], best)
    power = {"forward": 1 / 2, "centered": 1 / 3}[method]
    shift = (machineEpsilon("float32") / machineEpsilon("float64")) ** power
    assert bestEpsilon(function, method, "float32") / bestEpsilon(function, method) \
        == pytest.approx(shift)
    assert bottoms["float32"] / bottoms["float64"] > shift / 10


def test_best_epsilon_is_the_rule_of_thumb_up_to_a_small_factor():
    for dtype in DTYPES:
        assert ruleOfThumb("forward", dtype) == pytest.approx(machineEpsilon(dtype) ** 0.5)
        assert ruleOfThumb("centered", dtype) == pytest.approx(machineEpsilon(dtype) ** (1 / 3))
        for function in ["sin", "exp"]:
            for method in ["forward", "centered"]:
                ratio = bestEpsilon(function, method, dtype) / ruleOfThumb(method, dtype)
                assert 0.5 < ratio < 2
    assert ruleOfThumb("complex") is None and bestEpsilon("sin", "complex") is None


def test_float32_is_computed_in_float32():
    """In float32, 1 + 1e-8 == 1: the forward difference is exactly 0; in float64 it is not."""
    assert slope("exp", 1e-8, "forward", "float32") == 0.0
    assert slope("exp", 1e-8, "forward", "float64") != 0.0
    assert machineEpsilon(np.float32) == 2.0 ** -23


def test_the_curve_and_single_slopes_agree():
    steps = EPSILONS[::10]
    for method in METHODS:
        curve = errorCurve("x**2", steps, method)  # pure IEEE arithmetic: identical
        assert list(curve) == [slopeError("x**2", h, method).relativeError for h in steps]
    truncationSide = [1e-1, 1e-2]
    assert errorCurve("sin", truncationSide) == pytest.approx(
        [slopeError("sin", h).relativeError for h in truncationSide], rel=1e-9)


# --- the readout ----------------------------------------------------------------------------

def test_readout_text_for_a_given_epsilon():
    assert readout("x**2", 1e-4, "forward") == (
        "x² at x = 1.5, forward difference in float64, epsilon = 1.0e-04\n"
        "numerical slope  3.000100000\n"
        "exact slope      3.000000000\n"
        "absolute error   1.0e-04\n"
        "relative error   3.3e-05 (4 correct digits)")


def test_readout_text_in_float32_and_at_machine_precision():
    assert readout("x**2", 1e-4, "centered", "float32").splitlines()[1:] == [
        "numerical slope  3.000498",
        "exact slope      3.000000",
        "absolute error   5.0e-04",
        "relative error   1.7e-04 (3 correct digits)"]
    assert readout("sin", 1e-20, "complex").splitlines()[3:] == [
        "absolute error   at machine precision",
        "relative error   below 9e-16 (machine precision: every digit is right)"]
    assert readout("sin", 1e-100, "forward").splitlines()[-1] == \
        "relative error   1.0e+00 (no correct digits)"


def test_readout_shows_the_slider_value_and_the_module_numbers():
    result = slopeError("exp", 3e-3, "centered")
    text = readout("exp", 3e-3, "centered")
    assert "epsilon = 3.0e-03" in text
    assert f"{result.numerical:#.10g}" in text and f"{result.relativeError:.1e}" in text


def test_network_readout(N):
    assert networkReadout(N, X, y) == (
        "the tutorial's network, centered differences, epsilon = 1.0e-04\n"
        "relative error   5.4e-10 (passed by the fixed rule: tolerance 1e-07)\n"
        "worst weight     W2[0, 0]")
    assert "(failed by the fixed rule" in networkReadout(N, X, y, 1e-4, "forward")


# --- the network ----------------------------------------------------------------------------

def test_forward_numerical_gradient_is_the_forward_difference_of_an_independent_cost(
        N, referenceCost):
    epsilon = 1e-5
    numgrad = forwardNumericalGradient(N, X, y, epsilon=epsilon)
    params = N.getParams()
    for p in range(len(params)):
        shifted = params.copy()
        shifted[p] += epsilon

        def cost(w):
            return referenceCost(w[:6].reshape(2, 3), w[6:].reshape(3, 1), X, y)

        assert numgrad[p] == pytest.approx((cost(shifted) - cost(params)) / epsilon, rel=1e-6)
    assert np.array_equal(N.getParams(), params)


def test_forward_numerical_gradient_restores_the_weights_when_the_cost_raises(N):
    before = N.getParams()

    failing = failingNetwork(4)
    with pytest.raises(RuntimeError, match="call 4"):
        forwardNumericalGradient(failing, X, y)
    assert np.array_equal(failing.getParams(), before)


def test_network_check_centered_is_partFive_checkGradient(N):
    mine, theirs = networkCheck(N, X, y, 1e-3), checkGradient(N, X, y, epsilon=1e-3, tolerance=1e-7)
    assert (mine.relativeError, mine.worstWeight, mine.passed) == \
        (theirs.relativeError, theirs.worstWeight, theirs.passed)


def test_forward_differences_fail_the_check_at_1e_4_and_pass_near_their_best_step(N):
    assert not networkCheck(N, X, y, 1e-4, "forward").passed
    assert networkCheck(N, X, y, 1e-4, "forward").relativeError == pytest.approx(3.2e-5, rel=0.1)
    assert networkCheck(N, X, y, 1e-8, "forward").passed


def test_network_error_curve_matches_single_checks(N):
    steps = [1e-1, 1e-4, 1e-7]
    for method in ["centered", "forward"]:
        curve = networkErrorCurve(N, X, y, steps, method)
        assert list(curve) == [networkCheck(N, X, y, h, method).relativeError for h in steps]


def test_centered_check_passes_only_inside_the_U(N):
    curve = networkErrorCurve(N, X, y, EPSILONS, "centered")
    passing = EPSILONS[curve <= 1e-7]
    assert passing.min() > 1e-10 and passing.max() < 1e-2
    assert curve[np.argmin(abs(EPSILONS - 1e-4))] <= 1e-7


# --- the widgets ----------------------------------------------------------------------------

def test_function_lab_update_moves_the_marker_without_rebuilding_the_figure():
    lab = FunctionLab()
    lines, background = list(lab.plot.ax.get_lines()), lab.live.background
    text = lab.update(1e-2)
    assert text == readout("sin", 1e-2, "centered", "float64")
    assert "epsilon = 1.0e-02" in lab.readout.value
    assert list(lab.plot.dot.get_xdata()) == [1e-2]
    assert list(lab.plot.dot.get_ydata()) == [slopeError("sin", 1e-2).relativeError]
    assert bytes(lab.image.value).startswith(b"\x89PNG")
    assert lab.plot.ax.get_lines() == lines and lab.live.background is background


def test_function_lab_choices_update_curves_and_readout():
    lab = FunctionLab(epsilon=1e-3)
    lines = list(lab.plot.ax.get_lines())
    lab.methodChoice.value = "forward"
    lab.dtypeChoice.value = "float32"
    lab.functionChoice.value = "exp"
    assert lab.readout.value.count("exp(x) at x = 1, forward difference in float32") == 1
    forward = lab.plot.curves["forward"]
    assert list(forward.get_ydata()) == list(np.maximum(
        errorCurve("exp", EPSILONS, "forward", "float32"), labWidgets.FLOOR))
    assert forward.get_linewidth() > lab.plot.curves["centered"].get_linewidth()
    assert lab.plot.ax.get_lines() == lines


def test_slider_limits_keep_epsilon_positive():
    lab = FunctionLab()
    assert (lab.slider.base, lab.slider.min, lab.slider.max) == (10, -16, -1)
    for value in [0.0, -1.0, 1e-30]:
        lab.slider.value = value
        assert lab.slider.value >= 1e-16
    lab.slider.value = 1e-8
    assert "epsilon = 1.0e-08" in lab.readout.value


def test_network_lab_update(N):
    lab = NetworkLab(N, X, y)
    assert lab.update(1e-1) == networkReadout(N, X, y, 1e-1)
    lab.slider.value = 1e-1  # what a slider move does: update(slider's value)
    lab.methodChoice.value = "forward"
    assert "forward differences, epsilon = 1.0e-01" in lab.readout.value
    assert list(lab.plot.dot.get_ydata()) == [networkCheck(N, X, y, 1e-1, "forward")
                                              .relativeError]


def test_the_labs_plain_text_is_the_same_whatever_their_state(N):
    """nbval compares a displayed widget's text/plain: it must hold no number or setting."""
    for labs in [[FunctionLab(), FunctionLab("exp", "forward", "float32", 1e-2)],
                 [NetworkLab(N, X, y), NetworkLab(N, X, y, "forward", 1e-8)]]:
        bundles = [lab._repr_mimebundle_() for lab in labs]
        assert all("application/vnd.jupyter.widget-view+json" in bundle for bundle in bundles)
        texts = {bundle["text/plain"] for bundle in bundles}
        assert len(texts) == 1
        assert texts.pop().startswith(type(labs[0]).__name__ + ": ")
    assert not any(character.isdigit() for character in bundles[0]["text/plain"])


# --- bad input ------------------------------------------------------------------------------

BAD_EPSILONS = [
    (0, ValueError), (0.0, ValueError), (-1e-4, ValueError), (float("nan"), ValueError),
    (float("inf"), ValueError), (-float("inf"), ValueError), ("1e-4", TypeError),
    (None, TypeError), (True, TypeError), (1e-4j, TypeError), ([1e-4], TypeError),
]
EPSILON_CALLS = {
    "slope": lambda eps: slope("sin", eps),
    "slopeError": lambda eps: slopeError("sin", eps, "forward", "float32"),
    "readout": lambda eps: readout("exp", eps, "complex"),
    "forwardNumericalGradient":
        lambda eps: forwardNumericalGradient(Neural_Network(), X, y, epsilon=eps),
    "networkCheck": lambda eps: networkCheck(Neural_Network(), X, y, eps, "forward"),
    "networkCheck centered": lambda eps: networkCheck(Neural_Network(), X, y, eps),
    "networkReadout": lambda eps: networkReadout(Neural_Network(), X, y, eps),
}
CURVE_CALLS = {  # one bad step among good ones
    "errorCurve": lambda eps: errorCurve("sin", [1e-3, eps]),
    "errorModel": lambda eps: errorModel("sin", [eps, 1e-3], "forward"),
    "networkErrorCurve": lambda eps: networkErrorCurve(Neural_Network(), X, y, [1e-3, eps]),
}


def partFiveMessage(epsilon):
    """The message partFive.checkEpsilon gives for this epsilon (the lab reuses it)."""
    with pytest.raises((TypeError, ValueError)) as info:
        checkEpsilon(epsilon)
    return str(info.value)


@pytest.mark.parametrize("call", EPSILON_CALLS.values(), ids=list(EPSILON_CALLS))
@pytest.mark.parametrize(("epsilon", "error"), BAD_EPSILONS, ids=repr)
def test_bad_epsilon_is_rejected_with_partFives_message(call, epsilon, error):
    with pytest.raises(error) as info:
        call(epsilon)
    assert str(info.value) == partFiveMessage(epsilon)


@pytest.mark.parametrize("call", CURVE_CALLS.values(), ids=list(CURVE_CALLS))
@pytest.mark.parametrize(("epsilon", "error"), BAD_EPSILONS[:-1], ids=repr)
def test_a_bad_step_in_a_curve_is_rejected_with_partFives_message(call, epsilon, error):
    with pytest.raises(error) as info:
        call(epsilon)
    assert str(info.value) == partFiveMessage(epsilon)


@pytest.mark.parametrize("lab", ["function", "network"])
@pytest.mark.parametrize(("epsilon", "error"), BAD_EPSILONS[:7], ids=repr)
def test_lab_update_rejects_bad_epsilon_and_keeps_its_readout(lab, epsilon, error):
    lab = FunctionLab() if lab == "function" else NetworkLab(Neural_Network(), X, y)
    before = lab.readout.value
    with pytest.raises(error, match="epsilon must be"):
        lab.update(epsilon)
    assert lab.readout.value == before


def test_a_step_that_does_not_fit_in_float32_is_rejected():
    for epsilon in [1e-50, 1e39]:
        with pytest.raises(ValueError, match="does not fit in float32"):
            slope("sin", epsilon, "centered", "float32")
    assert slope("sin", 1e-50, "complex", "float64") == pytest.approx(math.cos(1.0))


def test_error_curve_needs_a_flat_sequence_of_steps():
    with pytest.raises(ValueError, match="1-D"):
        errorCurve("sin", [[1e-3, 1e-4]])


@pytest.mark.parametrize(("kwargs", "error", "mentions"), [
    ({"function": "cos"}, ValueError, "'x**2', 'sin', 'exp'"),
    ({"function": np.sin}, TypeError, "function must be one of"),
    ({"method": "backward"}, ValueError, "'forward', 'centered', 'complex'"),
    ({"method": 2}, TypeError, "method must be one of"),
    ({"dtype": "float16"}, ValueError, "'float64', 'float32'"),
    ({"dtype": "double precision"}, TypeError, "dtype must be"),
    ({"x": float("nan")}, ValueError, "finite"),
    ({"x": "one"}, TypeError, "x must be an array of numbers"),
    ({"x": [1.0, 2.0]}, ValueError, "single number"),
])
def test_bad_choices_are_rejected_by_every_function_that_takes_them(kwargs, error, mentions):
    arguments = {"function": "sin", "method": "centered", "dtype": "float64", "x": None}
    arguments.update(kwargs)
    calls = [
        lambda a: slopeError(a["function"], 1e-4, a["method"], a["dtype"], a["x"]),
        lambda a: readout(a["function"], 1e-4, a["method"], a["dtype"], a["x"]),
        lambda a: errorCurve(a["function"], EPSILONS, a["method"], a["dtype"], a["x"]),
        lambda a: errorModel(a["function"], EPSILONS, a["method"], a["dtype"], a["x"]),
        lambda a: bestEpsilon(a["function"], a["method"], a["dtype"], a["x"]),
    ]
    for call in calls:
        with pytest.raises(error, match=mentions.replace("*", r"\*").replace("(", r"\(")):
            call(arguments)


@pytest.mark.parametrize(("function", "dtype", "x"), [("exp", "float64", 1000.0),
                                                   ("exp", "float32", 100.0),
                                                   ("x**2", "float32", 1e39)])
def test_a_point_where_the_function_overflows_is_rejected(function, dtype, x):
    """Not a NaN slope and "no correct digits", nor a best step for a curve of NaNs (warnings
    are errors here)."""
    for call in (lambda: readout(function, 1e-4, "centered", dtype, x),
                 lambda: errorCurve(function, EPSILONS, "centered", dtype, x),
                 lambda: bestEpsilon(function, "centered", dtype, x)):
        with pytest.raises(ValueError, match=f"does not fit in {dtype}"):
            call()


@pytest.mark.parametrize(("build", "error", "mentions"), [
    (lambda N: FunctionLab(function="tanh"), ValueError, "'x\\*\\*2', 'sin', 'exp'"),
    (lambda N: FunctionLab(method="backward"), ValueError, "'forward', 'centered', 'complex'"),
    (lambda N: FunctionLab(epsilon=1.0), ValueError, "slider's range, 1e-16 to 1e-01"),
    (lambda N: FunctionLab(epsilon=1e-20), ValueError, "slider's range"),
    (lambda N: FunctionLab(epsilon=None), TypeError, "epsilon must be a positive number"),
    (lambda N: NetworkLab(N, X, y, method="complex"), ValueError, "'forward', 'centered'"),
    (lambda N: NetworkLab(N, X, y, epsilon=2.0), ValueError, "slider's range"),
    (lambda N: labWidgets.ErrorCurveAxes(Figure().add_subplot(), methods=["backward"]),
     ValueError, "methods must be one of"),
])
def test_a_lab_refuses_a_bad_choice_before_it_draws(N, build, error, mentions):
    """Not traitlets' "Invalid selection", nor a slider that shows another epsilon than the
    readout (the slider stops at its ends)."""
    with pytest.raises(error, match=mentions):
        build(N)


def test_a_lab_takes_a_numpy_dtype_and_its_legend_follows_the_method():
    lab = FunctionLab(dtype=np.float32, method="complex")
    assert lab.plot.dtype == "float32"

    def legend():
        return [text.get_text() for text in lab.plot.ax.get_legend().get_texts()]

    assert "best epsilon" not in legend() and "your epsilon" in legend()
    lab.methodChoice.value = "centered"
    assert "best epsilon" in legend()


def test_network_functions_reject_complex_step_and_non_networks(N):
    with pytest.raises(ValueError, match="'forward', 'centered'"):
        networkCheck(N, X, y, 1e-4, "complex")
    with pytest.raises(TypeError, match="getParams"):
        forwardNumericalGradient(object(), X, y)
    with pytest.raises(ValueError, match="2 columns"):
        networkErrorCurve(N, X[:, :1], y)
    with pytest.raises(TypeError, match="dtype must be"):
        ruleOfThumb("complex", "double precision")


# --- the notebook's printed numbers are stable ---------------------------------------------

def jitter(values, seed, ulps=3):
    """``values`` moved by a whole number of units in the last place, from -ulps to ulps.

    The offset is a hash of each value's bits and the seed: like a real machine's rounding,
    the same result is always moved the same way (so f(x) - f(x) stays 0), but which way
    looks random from one value, and one seed, to the next.
    """
    values = np.asarray(values)
    if np.iscomplexobj(values):
        return jitter(values.real, seed, ulps) + 1j * jitter(values.imag, seed, ulps)
    flat = np.atleast_1d(values)  # arrays, not scalars: their integer overflow is silent
    bits = flat.view(np.uint64 if flat.itemsize == 8 else np.uint32).astype(np.uint64)
    mixed = (bits + np.uint64(seed + 1)) * np.uint64(0x9E3779B97F4A7C15)
    mixed ^= mixed >> np.uint64(31)
    offsets = (mixed % np.uint64(2 * ulps + 1)).astype(np.int64) - ulps
    moved = (flat + offsets * np.spacing(flat)).astype(flat.dtype)
    return moved.reshape(values.shape)


def noisy(function, seed, ulps=3):
    """``function`` whose every result is off by a few units in the last place."""
    def wrapped(x):
        return jitter(function(x), seed, ulps)
    return wrapped


@contextlib.contextmanager
def anotherMachine(monkeypatch, seed):
    """Make sin, exp and their derivatives, the complex x**2, the network's cost and its
    backprop gradient round differently, as another CPU, libm or numpy may."""
    with monkeypatch.context() as patch:
        for name, fn in FUNCTIONS.items():
            if name == "x**2":  # real x * x is one IEEE multiplication: exact everywhere
                def f(z, square=fn.f):
                    return noisy(square, seed, 1)(z) if np.iscomplexobj(z) else square(z)
                changed = dataclasses.replace(fn, f=f)
            else:
                changed = dataclasses.replace(fn, f=noisy(fn.f, seed), derivatives=tuple(
                    noisy(d, seed) for d in fn.derivatives))
            patch.setitem(FUNCTIONS, name, changed)
        # Every new network gets noisy methods of its own: an instance's own costFunction also
        # keeps partFive from taking a vectorized path that would not call it.
        initialize = Neural_Network.__init__

        def noisyNetwork(self, *args, **kwargs):
            initialize(self, *args, **kwargs)
            cost, gradients = self.costFunction, self.computeGradients
            self.costFunction = lambda X, y: float(jitter(cost(X, y), seed))
            self.computeGradients = lambda X, y: jitter(gradients(X, y), seed)

        patch.setattr(Neural_Network, "__init__", noisyNetwork)
        yield


def notebookCode():
    """The notebook's code cells as plain Python (magics turned into calls)."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    return [TransformerManager().transform_cell(cell.source) for cell in cells
            if cell.cell_type == "code"]


def savedPrints():
    """Everything the saved notebook printed, in order."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    return "".join(output.get("text", "") for cell in cells if cell.cell_type == "code"
                   for output in cell.outputs if output.get("name") == "stdout")


class Shell:
    """Stands in for IPython: its magics do nothing here."""

    def run_line_magic(self, name, line):
        return None


def printedByNotebook(monkeypatch):
    """Run the notebook's code here, figures and widgets stubbed out; return what it prints."""
    import matplotlib.pyplot as plt

    with monkeypatch.context() as patch:
        patch.setattr(plt, "show", lambda: None)
        for name in ["ErrorCurveAxes", "NetworkCurveAxes", "FunctionLab", "NetworkLab"]:
            patch.setattr(labWidgets, name, lambda *args, **kwargs: None)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            namespace = {"get_ipython": lambda: Shell()}  # the set-up cell's %matplotlib
            for source in notebookCode():
                exec(source, namespace)
        plt.close("all")
    return printed.getvalue()


def test_running_the_notebook_here_prints_what_it_saved(monkeypatch):
    assert printedByNotebook(monkeypatch) == savedPrints()


@pytest.mark.parametrize("seed", range(8))
def test_the_notebook_prints_the_same_when_the_last_bits_change(monkeypatch, seed):
    with anotherMachine(monkeypatch, seed):
        assert printedByNotebook(monkeypatch) == savedPrints()


def test_the_last_bits_really_change(monkeypatch, N):
    """Guard the test above: the noise does reach the slopes and both sides of the network
    check (the cost, so the numerical gradient, and backprop)."""
    clean = errorCurve("sin", EPSILONS)
    cleanSquare = errorCurve("x**2", EPSILONS)
    cleanNetwork = networkCheck(N, X, y)
    with anotherMachine(monkeypatch, 0):
        assert np.mean(errorCurve("sin", EPSILONS) != clean) > 0.5
        assert np.array_equal(errorCurve("x**2", EPSILONS), cleanSquare)  # real x*x: exact
        np.random.seed(0)
        shaken = networkCheck(Neural_Network(), X, y)
        assert np.mean(shaken.numgrad != cleanNetwork.numgrad) > 0.5
        assert np.mean(shaken.grad != cleanNetwork.grad) > 0.5
    assert networkCheck(N, X, y).relativeError == cleanNetwork.relativeError  # all put back


def test_the_error_model_refuses_a_point_where_the_slope_is_0_and_has_no_best_step_where_f_is_0():
    """The model's errors are relative to f'(x): at x = 0, x**2 has none (a ValueError, not a
    ZeroDivisionError); where f(x) = 0 the model has no round-off, so no best step (not 0.0)."""
    for call in [lambda: errorModel("x**2", [1e-3], "forward", x=0.0),
                 lambda: bestEpsilon("x**2", "centered", x=0.0)]:
        with pytest.raises(ValueError, match=r"slope f'\(x\), which is 0 for x\*\*2 at x = 0.0"):
            call()
    assert bestEpsilon("sin", "centered", x=0.0) is None
