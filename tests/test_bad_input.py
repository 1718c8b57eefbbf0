"""Bad input raises ValueError or TypeError saying what was expected and what came, and it
leaves the network's weights exactly as they were."""

import re

import numpy as np
import pytest
from conftest import ScalingItsX

import partFour
from partFive import (
    Neural_Network,
    X,
    checkFunctionGradient,
    checkGradient,
    computeNumericalGradient,
    paramName,
    y,
)

DATA_CALLS = {
    "computeNumericalGradient": lambda N, X, y: computeNumericalGradient(N, X, y),
    "checkGradient": lambda N, X, y: checkGradient(N, X, y),
    "costFunction": lambda N, X, y: N.costFunction(X, y),
    "costFunctionPrime": lambda N, X, y: N.costFunctionPrime(X, y),
}
EPSILON_CALLS = {
    "computeNumericalGradient": lambda N, eps: computeNumericalGradient(N, X, y, epsilon=eps),
    "checkGradient": lambda N, eps: checkGradient(N, X, y, epsilon=eps),
}


@pytest.fixture
def N():
    """The tutorial's network: np.random.seed(0); Neural_Network()."""
    np.random.seed(0)
    return Neural_Network()


def assertRejected(N, error, call, *mentions):
    """Assert call() raises ``error`` whose message has every one of ``mentions``, and that
    N's weights are exactly unchanged. Return the message."""
    W1, W2 = N.W1.copy(), N.W2.copy()
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for mention in mentions:
        assert mention in message, f"{mention!r} not in {message!r}"
    assert np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2), "weights changed"
    return message


# --- X and y -----------------------------------------------------------------------------------

@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
def test_X_with_three_columns(N, call):
    threeColumns = np.hstack((X, X[:, :1]))
    assertRejected(N, ValueError, lambda: call(N, threeColumns, y), "2 columns", "(3, 3)")


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
def test_one_dimensional_X(N, call):
    assertRejected(N, ValueError, lambda: call(N, X[0], y[:1]), "2 columns", "(2,)")


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
@pytest.mark.parametrize(("longX", "longY"), [(True, False), (False, True)])
def test_X_and_y_of_different_lengths(N, call, longX, longY):
    """6 rows against 3 rows, either way round: the message names both lengths."""
    data = np.vstack((X, X)) if longX else X
    target = np.vstack((y, y)) if longY else y
    message = assertRejected(N, ValueError, lambda: call(N, data, target), "X", "y", "row")
    assert re.search(r"\b6\b", message) and re.search(r"\b3\b", message), message


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["X", "y"])
def test_non_finite_data(N, call, bad, where):
    data = {"X": X.copy(), "y": y.copy()}
    data[where][1, 0] = bad
    assertRejected(N, ValueError, lambda: call(N, data["X"], data["y"]),
                   where, "finite", str(bad))


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
def test_X_of_strings(N, call):
    strings = [["a", "b"], ["c", "d"], ["e", "f"]]
    assertRejected(N, TypeError, lambda: call(N, strings, y), "X", "numbers", "list")


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
def test_y_of_strings(N, call):
    assertRejected(N, TypeError, lambda: call(N, X, ["a", "b", "c"]), "y", "numbers", "list")


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
def test_numbers_written_as_strings_are_not_numbers(N, call):
    """numpy would happily turn "0.3" into 0.3; the course refuses text, in X and in y."""
    assertRejected(N, TypeError, lambda: call(N, X.astype(str), y), "X", "numbers")
    assertRejected(N, TypeError, lambda: call(N, X, y.astype(str)), "y", "numbers")


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
def test_no_examples_at_all(N, call):
    """A check on zero examples would 'pass' with nothing compared."""
    assertRejected(N, ValueError, lambda: call(N, np.zeros((0, 2)), np.zeros((0, 1))),
                   "at least one row", "(0, 2)")


@pytest.mark.parametrize("call", DATA_CALLS.values(), ids=list(DATA_CALLS))
def test_y_with_two_columns(N, call):
    assertRejected(N, ValueError, lambda: call(N, X, np.hstack((y, y))), "1 column", "(3, 2)")


def test_forward_rejects_X_with_three_columns(N):
    assertRejected(N, ValueError, lambda: N.forward(np.ones((3, 3))), "2 columns", "(3, 3)")


def test_one_dimensional_y_is_read_as_a_column(N):
    flat = y.ravel()
    assert flat.shape == (3,)
    assert N.costFunction(X, flat) == N.costFunction(X, y)
    assert np.array_equal(computeNumericalGradient(N, X, flat), computeNumericalGradient(N, X, y))
    assert np.array_equal(N.computeGradients(X, flat), N.computeGradients(X, y))


# --- epsilon -------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", EPSILON_CALLS.values(), ids=list(EPSILON_CALLS))
@pytest.mark.parametrize("epsilon", [0, 0.0, -1e-4, np.nan, np.inf])
def test_epsilon_not_a_positive_finite_number(N, call, epsilon):
    assertRejected(N, ValueError, lambda: call(N, epsilon), "epsilon", repr(float(epsilon)))


@pytest.mark.parametrize("call", EPSILON_CALLS.values(), ids=list(EPSILON_CALLS))
@pytest.mark.parametrize("epsilon", ["1e-4", None, True, [1e-4]])
def test_epsilon_not_a_number(N, call, epsilon):
    assertRejected(N, TypeError, lambda: call(N, epsilon), "epsilon", repr(epsilon))


# --- setParams -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "received"), [
    (np.zeros(8), "(8,)"),
    (np.zeros(10), "(10,)"),
    (np.zeros((3, 3)), "(3, 3)"),
    (np.zeros((1, 9)), "(1, 9)"),
])
def test_setParams_wrong_shape(N, params, received):
    assertRejected(N, ValueError, lambda: N.setParams(params), "9", received)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_setParams_non_finite(N, bad):
    params = N.getParams()
    params[4] = bad
    assertRejected(N, ValueError, lambda: N.setParams(params), "9", "finite", str(bad), "4")


def test_huge_finite_weights_are_finite(N):
    """checkFinite's quick test (a sum of squares) overflows here: the close look must pass it,
    and still find the one bad entry among huge ones."""
    huge = np.full(9, 1e200)
    N.setParams(huge)
    assert np.array_equal(N.getParams(), huge)
    huge[7] = -np.inf
    assertRejected(N, ValueError, lambda: N.setParams(huge), "finite", "-inf", "7")


def test_setParams_of_strings(N):
    assertRejected(N, TypeError, lambda: N.setParams(["w"] * 9), "9", "numbers")
    assertRejected(N, TypeError, lambda: N.setParams(["0.1"] * 9), "9", "numbers")


@pytest.mark.parametrize(("index", "error", "mention"), [
    (9, ValueError, "index 9 is out of range for a network of 9 weights"),
    (-1, ValueError, "index -1 is out of range"),
    (1.5, TypeError, "whole number from 0 to 8"),
    (True, TypeError, "True"),
])
def test_paramName_outside_the_weights(N, index, error, mention):
    assertRejected(N, error, lambda: paramName(N, index), mention)


# --- checkGradient's tolerance and the kind of network -----------------------------------------

@pytest.mark.parametrize(("tolerance", "error"), [(-1e-7, ValueError), (np.nan, ValueError),
                                                  (True, TypeError), ("1e-7", TypeError)])
def test_checkGradient_bad_tolerance(N, tolerance, error):
    """A tolerance of the wrong type raises TypeError, like a bad epsilon; a wrong value
    ValueError."""
    assertRejected(N, error, lambda: checkGradient(N, X, y, tolerance=tolerance),
                   "tolerance", repr(tolerance))


@pytest.mark.parametrize("call", EPSILON_CALLS.values(), ids=list(EPSILON_CALLS))
def test_a_whole_number_too_large_for_a_float_is_out_of_range(N, call):
    """10**400 is a number, so a ValueError (not Python's OverflowError); a tolerance of 10**400
    is infinite, as float("inf") is."""
    assertRejected(N, ValueError, lambda: call(N, 10**400), "epsilon", "finite")
    from partFive import gradientDescent

    assertRejected(N, ValueError, lambda: gradientDescent(N, X, y, learningRate=10**400),
                   "learningRate")
    assert checkGradient(N, X, y, tolerance=10**400).tolerance == float("inf")


class OwnCost(Neural_Network):
    """The tutorial's cost through an override: checked through the protocol, not the fast path."""

    def costFunction(self, X, y):
        return super().costFunction(X, y)


@pytest.mark.parametrize("method", ["directional", "auto"])
def test_a_tolerance_too_loose_for_random_directions_is_refused(N, method):
    """No default count of directions catches a one-weight bug whose relative error is under the
    tolerance: a ValueError that says what to do, at once (the search for one used to run
    forever), before backprop runs."""
    many = OwnCost(200, 60, 2)  # 12,120 weights through the protocol: "auto" goes directional
    network = N if method == "directional" else many
    message = assertRejected(network, ValueError,
                             lambda: checkGradient(network, np.ones((2, network.inputLayerSize)),
                                                   np.zeros((2, network.outputLayerSize)),
                                                   tolerance=0.5, method=method),
                             "tolerance 0.5 is too loose", "method='full'")
    assert "100 directions" in message
    assert checkGradient(N, X, y, tolerance=0.5, method="directional", directions=3).passed


@pytest.mark.parametrize(("grad", "numgrad", "error", "mention"), [
    (None, None, TypeError, "grad must be an array of numbers"),
    (["1.0"], ["1.0"], TypeError, "<U3"),
    ([1j], [1j], TypeError, "complex128"),
    ((np.ones((2, 3)), np.ones((3, 1))), np.ones(9), TypeError, "tuple"),  # (dJdW1, dJdW2)
    ([np.nan, 1.0], [1.0, 1.0], ValueError, "grad must hold only finite numbers"),
    ([1.0, 1.0], [1.0, np.inf], ValueError, "numgrad must hold only finite numbers"),
    (np.ones(9), np.ones(8), ValueError, "same shape")])
def test_compareGradients_refuses_what_is_not_two_gradients(grad, numgrad, error, mention):
    from partFive import compareGradients

    with pytest.raises(error, match=re.escape(mention)):
        compareGradients(grad, numgrad)


@pytest.mark.parametrize("call", EPSILON_CALLS.values(), ids=list(EPSILON_CALLS))
def test_partFour_network_has_no_getParams(call):
    np.random.seed(0)
    old = partFour.Neural_Network()
    assertRejected(old, TypeError, lambda: call(old, 1e-4), "getParams", "partFour.Neural_Network")


# --- gradientDescent ---------------------------------------------------------------------------

@pytest.mark.parametrize(("steps", "error"), [(-1, ValueError), (2.5, TypeError),
                                              (True, TypeError), ("10", TypeError)])
def test_gradientDescent_bad_steps(N, steps, error):
    from partFive import gradientDescent

    assertRejected(N, error, lambda: gradientDescent(N, X, y, steps=steps), "steps", "whole number")


@pytest.mark.parametrize("learningRate", [0, -5.0, np.nan, np.inf])
def test_gradientDescent_bad_learning_rate(N, learningRate):
    from partFive import gradientDescent

    assertRejected(N, ValueError, lambda: gradientDescent(N, X, y, learningRate=learningRate),
                   "learningRate")


# --- any network: a broken protocol ------------------------------------------------------------

class Linear:
    """A protocol network written from scratch, nothing more: yHat = X W + b, the cost
    1/2 sum((yHat - y)^2), paramNames ("W", "b"). The broken networks below change one thing."""

    paramNames = ("W", "b")

    def __init__(self):
        rng = np.random.default_rng(0)
        self.W, self.b = rng.standard_normal((2, 1)), rng.standard_normal(1)

    def getParams(self):
        return np.concatenate((self.W.ravel(), self.b))

    def setParams(self, params):
        params = np.array(params, dtype=float)
        self.W, self.b = params[:2].reshape(2, 1), params[2:]

    def costFunction(self, X, y):
        return 0.5 * float(np.sum((X @ self.W + self.b - y) ** 2))

    def computeGradients(self, X, y):
        residual = X @ self.W + self.b - y
        return np.concatenate(((X.T @ residual).ravel(), residual.sum(axis=0)))


def without(method):
    """A Linear class that lacks ``method`` altogether."""
    members = {name: value for name, value in vars(Linear).items()
               if name != method and name not in ("__dict__", "__weakref__")}
    return type(f"LinearWithout_{method}", (), members)


@pytest.mark.parametrize(("params", "error", "mention"), [
    (np.ones(25), ValueError, "got shape (25,)"), (np.ones(27), ValueError, "got shape (27,)"),
    (np.full(26, np.nan), ValueError, "finite"), (["w"] * 26, TypeError, "numbers")])
def test_the_weight_vectors_setParams_refuses_a_wrong_vector_before_it_changes_a_weight(
        params, error, mention):
    """checker's WeightVector (notebook 14's plumbing), here as the bias network's: 26 weights."""
    from course.bugGallery import BiasLayers

    N = BiasLayers(lambda delta2, delta3: (delta2.sum(axis=0), delta3.sum(axis=0)))
    before = N.getParams()
    with pytest.raises(error, match=re.escape(mention)):
        N.setParams(params)
    assert np.array_equal(N.getParams(), before)


class ScalingItsData(ScalingItsX, Linear):
    """Halves its X in place at every call; it says no layer sizes, so the checker copies X as
    it is."""


def test_a_network_without_layer_sizes_never_writes_into_the_callers_data():
    data, targets = np.array([[1.0, 2.0], [3.0, 1.0]]), np.array([[1.0], [0.5]])
    kept = data.copy(), targets.copy()
    checkGradient(ScalingItsData(), data, targets)
    computeNumericalGradient(ScalingItsData(), data, targets)
    assert np.array_equal(data, kept[0]) and np.array_equal(targets, kept[1])


class MatrixParams(Linear):
    def getParams(self):
        return super().getParams().reshape(1, 3)


class TextParams(Linear):
    def getParams(self):
        return super().getParams().astype(str)


class ReversedSetParams(Linear):
    """setParams reads the vector back to front: it does not undo getParams."""

    def setParams(self, params):
        super().setParams(np.asarray(params)[::-1])


class Float32SetParams(Linear):
    """setParams stores float32 while getParams started in float64: the weights get rounded."""

    def setParams(self, params):
        super().setParams(params)
        self.W, self.b = self.W.astype(np.float32), self.b.astype(np.float32)


class TooFewNames(Linear):
    paramNames = ("W",)


class MissingName(Linear):
    paramNames = ("W", "bias")


class OneStringName(Linear):
    paramNames = "W"


class TextCost(Linear):
    def costFunction(self, X, y):
        return "0.42"


class TruthCost(Linear):
    def costFunction(self, X, y):
        return True  # a comparison, not a cost


class VectorCost(Linear):
    def costFunction(self, X, y):
        return 0.5 * ((X @ self.W + self.b - y) ** 2).ravel()


class ShortGradient(Linear):
    def computeGradients(self, X, y):
        return super().computeGradients(X, y)[:2]


NETWORK_CALLS = {
    "checkGradient": lambda N: checkGradient(N, X, y),
    "computeNumericalGradient": lambda N: computeNumericalGradient(N, X, y),
}


def weightArrays(N):
    """Copies of every array attribute of N (whatever its protocol does)."""
    return {name: value.copy() for name, value in vars(N).items()
            if isinstance(value, np.ndarray)}


def assertRejectedUnchanged(N, error, call, *mentions):
    """Assert call() raises ``error`` naming every one of ``mentions``, and that every array of
    N is bit for bit as it was (values, shapes, dtypes). Return the message."""
    before = weightArrays(N)
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for mention in mentions:
        assert mention in message, f"{mention!r} not in {message!r}"
    after = weightArrays(N)
    assert after.keys() == before.keys()
    for name, array in before.items():
        assert after[name].dtype == array.dtype and np.array_equal(after[name], array), name
    return message


def test_the_linear_network_is_a_sound_base():
    """The broken networks differ from a correct one only in what they break."""
    assert checkGradient(Linear(), X, y).passed


@pytest.mark.parametrize("method", ["getParams", "setParams", "costFunction", "computeGradients"])
def test_checkGradient_refuses_a_network_missing_a_protocol_method(method):
    N = without(method)()
    assertRejectedUnchanged(N, TypeError, lambda: checkGradient(N, X, y),
                            "getParams, setParams, costFunction and computeGradients",
                            f"which has no {method}")


@pytest.mark.parametrize("method", ["getParams", "setParams", "costFunction"])
def test_the_numerical_gradient_refuses_a_network_missing_what_it_calls(method):
    N = without(method)()
    assertRejectedUnchanged(N, TypeError, lambda: computeNumericalGradient(N, X, y),
                            "getParams, setParams and costFunction", f"which has no {method}")


def test_the_numerical_gradient_needs_no_computeGradients():
    N = without("computeGradients")()
    assert computeNumericalGradient(N, X, y).shape == (3,)


@pytest.mark.parametrize("call", NETWORK_CALLS.values(), ids=list(NETWORK_CALLS))
@pytest.mark.parametrize(("cls", "error", "mentions"), [
    (MatrixParams, ValueError, ["getParams must return a 1-D vector", "(1, 3)"]),
    (TextParams, TypeError, ["getParams' result must be an array of numbers"]),
    (ReversedSetParams, ValueError, ["setParams must undo getParams"]),
    (Float32SetParams, ValueError, ["setParams must undo getParams"]),
    (TooFewNames, ValueError, ["paramNames must name the arrays getParams concatenates",
                               "W 2 = 2 weights, but getParams returns 3"]),
    (MissingName, ValueError, ["paramNames names 'bias'", "no attribute 'bias'"]),
    (OneStringName, TypeError, ["paramNames must be a tuple of attribute names", "'W'"]),
    (TextCost, TypeError, ["costFunction must return one number", "'0.42'"]),
    (TruthCost, TypeError, ["costFunction must return one number", "True"]),
    (VectorCost, TypeError, ["costFunction must return one number", "ndarray"]),
], ids=lambda value: getattr(value, "__name__", None))
def test_a_broken_protocol_is_named(call, cls, error, mentions):
    """The error names what was expected. (The weights are checked below: apart for the
    setParams that do not undo getParams, which change them.)"""
    N = cls()
    with pytest.raises(error) as info:
        call(N)
    for mention in mentions:
        assert mention in str(info.value)


@pytest.mark.parametrize("call", NETWORK_CALLS.values(), ids=list(NETWORK_CALLS))
@pytest.mark.parametrize("cls", [MatrixParams, TextParams, TooFewNames, MissingName,
                                 OneStringName, TextCost, TruthCost, VectorCost],
                         ids=lambda cls: cls.__name__)
def test_a_broken_protocol_leaves_the_weights_as_they_were(call, cls):
    N = cls()
    assertRejectedUnchanged(N, (TypeError, ValueError), lambda: call(N))


@pytest.mark.parametrize("call", NETWORK_CALLS.values(), ids=list(NETWORK_CALLS))
@pytest.mark.parametrize("cls", [ReversedSetParams, Float32SetParams],
                         ids=lambda cls: cls.__name__)
def test_a_setParams_that_does_not_undo_getParams_leaves_the_weights_as_they_were(call, cls):
    N = cls()
    assertRejectedUnchanged(N, ValueError, lambda: call(N), "setParams must undo getParams")


def test_the_round_trip_error_names_the_weight_as_the_report_would():
    with pytest.raises(ValueError, match=re.escape("W[0, 0]")):
        checkGradient(ReversedSetParams(), X, y)


def test_a_gradient_of_the_wrong_shape_is_named_and_the_weights_stay():
    N = ShortGradient()
    assertRejectedUnchanged(N, ValueError, lambda: checkGradient(N, X, y),
                            "computeGradients must return a 1-D vector of 3 numbers", "(2,)")


# --- a plain function: f and grad ------------------------------------------------------------

POINT = np.array([1.3, 0.7, 0.8, 1.9, 1.2])


def rosenbrock(x):
    """scipy.optimize.rosen, typed out."""
    return float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))


def rosenbrockGradient(x):
    """Its gradient, with the analytic formula."""
    grad = np.zeros_like(x)
    grad[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    grad[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return grad


def assertFunctionRejected(error, f, grad, *mentions, x=POINT):
    """Assert checkFunctionGradient(f, grad, x) raises ``error`` naming every one of ``mentions``
    and leaves x bit for bit as it was. Return the message."""
    before = x.copy()
    with pytest.raises(error) as info:
        checkFunctionGradient(f, grad, x)
    message = str(info.value)
    for mention in mentions:
        assert mention in message, f"{mention!r} not in {message!r}"
    assert np.array_equal(x, before, equal_nan=x.dtype.kind == "f") and x.dtype == before.dtype
    return message


def test_the_typed_out_rosenbrock_passes():
    assert checkFunctionGradient(rosenbrock, rosenbrockGradient, POINT).passed


@pytest.mark.parametrize(("value", "shown"), [("0.42", "str '0.42'"), (np.ones(3), "ndarray"),
                                              (None, "NoneType"), (True, "bool")])
def test_f_must_return_one_number(value, shown):
    assertFunctionRejected(TypeError, lambda x: value, rosenbrockGradient,
                           "f must return one number", shown)


@pytest.mark.parametrize(("grad", "shape"), [
    (lambda x: rosenbrockGradient(x)[:-1], "(4,)"),
    (lambda x: rosenbrockGradient(x)[None, :], "(1, 5)"),
    (lambda x: 3.0, "()"),
    (lambda x: np.zeros((5, 5)), "(5, 5)"),
])
def test_grad_must_be_shaped_like_x(grad, shape):
    assertFunctionRejected(ValueError, rosenbrock, grad, "grad must return a 1-D array of 5 "
                           "numbers, one per entry of x", shape)


def test_grad_must_return_numbers():
    # the wrong type: TypeError, as validation's rule says (and as f's result has it)
    assertFunctionRejected(TypeError, rosenbrock, lambda x: rosenbrockGradient(x).astype(str),
                           "grad must return a 1-D array of 5 numbers", "<U")


def test_a_ragged_grad_is_the_wrong_type():
    assertFunctionRejected(TypeError, rosenbrock, lambda x: [1.0, [2.0, 3.0]],
                           "grad must return a 1-D array of 5 numbers", "object")


@pytest.mark.parametrize("which", ["f", "grad"])
def test_f_and_grad_must_be_functions(which):
    f, grad = (3.0, rosenbrockGradient) if which == "f" else (rosenbrock, "gradient")
    assertFunctionRejected(TypeError, f, grad, f"{which} must be a function of x")



@pytest.mark.parametrize(("x", "error", "mention"), [
    (POINT.reshape(1, 5), ValueError, "(1, 5)"),
    (POINT.astype(str), TypeError, "numbers"),
    (np.array([1.0, np.nan]), ValueError, "finite"),
])
def test_a_bad_x_is_refused_and_left_alone(x, error, mention):
    assertFunctionRejected(error, rosenbrock, rosenbrockGradient, mention, x=x)


@pytest.mark.parametrize(("x", "error"), [(POINT.reshape(1, 5), ValueError),
                                          (POINT.astype(str), TypeError),
                                          (np.array([1.0, np.nan]), ValueError)])
def test_a_bad_x_is_called_x(x, error):
    message = assertFunctionRejected(error, rosenbrock, rosenbrockGradient, x=x)
    assert re.search(r"\bx\b", message) and "getParams" not in message, message


class CountingBackprop(Neural_Network):
    """The tutorial's network, counting its backprops."""

    backprops = 0

    def computeGradients(self, X, y):
        self.backprops += 1
        return super().computeGradients(X, y)


@pytest.mark.parametrize("options, error", [
    ({"method": "directional", "directions": 0}, ValueError),
    ({"method": "directional", "directions": 2.0}, TypeError),
    ({"method": "sparse", "coordinates": 10}, ValueError),  # the network has 9 weights
    ({"method": "sparse", "coordinates": "5"}, TypeError)])
def test_a_bad_count_of_directions_or_weights_is_refused_before_backprop_runs(options, error):
    np.random.seed(0)
    N = CountingBackprop()
    before = N.getParams().copy()
    with pytest.raises(error, match="directions|coordinates"):
        checkGradient(N, X, y, **options)
    assert N.backprops == 0 and np.array_equal(N.getParams(), before)


# --- numbers at the ends of the float range -----------------------------------------------------

def test_an_epsilon_whose_steps_overflow_is_refused(N):
    assertRejected(N, ValueError, lambda: checkGradient(N, X, y, epsilon=1e308), "epsilon",
                   "4 epsilon to be a finite number", "1e+308")


def test_a_tolerance_too_large_to_square_is_too_loose_not_an_overflow(N):
    from checker.judge import missProbability

    assertRejected(N, ValueError,
                   lambda: checkGradient(N, X, y, tolerance=1e160, method="directional"),
                   "too loose for random directions")
    assert missProbability(1, 1e-200) == 1.0


class InPlaceReversed:
    """A protocol network whose setParams writes into its array, reversed: the round trip fails,
    and what setParams wrote must be undone."""

    def __init__(self):
        self.W = np.array([1.0, 2.0, 3.0])

    def getParams(self):
        return self.W.copy()

    def setParams(self, params):
        self.W[:] = np.asarray(params)[::-1]

    def costFunction(self, X, y):
        return float(np.sum(self.W**2))

    def computeGradients(self, X, y):
        return 2 * self.W


def test_a_failed_round_trip_undoes_a_setParams_that_writes_in_place():
    N = InPlaceReversed()
    with pytest.raises(ValueError, match="setParams must undo getParams"):
        checkGradient(N, np.zeros((1, 1)), np.zeros((1, 1)))
    assert np.array_equal(N.W, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("names", [5, "W", {"W": 1}])
def test_paramNames_that_are_no_list_of_names_are_named(names):
    """Not Python's "'int' object is not iterable": the error says what paramNames must be."""
    N = Linear()
    N.paramNames = names
    with pytest.raises(TypeError, match=r"paramNames must be a tuple of attribute names"):
        checkGradient(N, np.ones((2, 2)), np.zeros((2, 1)))
    assert np.array_equal(N.getParams(), Linear().getParams())
