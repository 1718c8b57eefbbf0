"""Bad input raises ValueError or TypeError saying what was expected and what came, and it
leaves the network's weights exactly as they were."""

import re

import numpy as np
import pytest

import partFour
from partFive import Neural_Network, X, checkGradient, computeNumericalGradient, paramName, y

DATA_CALLS = {
    "computeNumericalGradient": lambda N, X, y: computeNumericalGradient(N, X, y),
    "checkGradient": lambda N, X, y: checkGradient(N, X, y),
    "costFunction": lambda N, X, y: N.costFunction(X, y),
    "costFunctionPrime": lambda N, X, y: N.costFunctionPrime(X, y),
}
EPSILON_CALLS = {
    "computeNumericalGradient": lambda N, eps: computeNumericalGradient(N, X, y, eps),
    "checkGradient": lambda N, eps: checkGradient(N, X, y, eps),
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


def test_setParams_of_strings(N):
    assertRejected(N, TypeError, lambda: N.setParams(["w"] * 9), "9", "numbers")
    assertRejected(N, TypeError, lambda: N.setParams(["0.1"] * 9), "9", "numbers")


@pytest.mark.parametrize(("index", "error", "mention"), [
    (9, IndexError, "index 9 is out of range for a network of 9 weights"),
    (-1, IndexError, "index -1 is out of range"),
    (1.5, TypeError, "whole number from 0 to 8"),
    (True, TypeError, "True"),
])
def test_paramName_outside_the_weights(N, index, error, mention):
    assertRejected(N, error, lambda: paramName(N, index), mention)


# --- checkGradient's tolerance and the kind of network -----------------------------------------

@pytest.mark.parametrize("tolerance", [-1e-7, np.nan, True, "1e-7"])
def test_checkGradient_bad_tolerance(N, tolerance):
    assertRejected(N, ValueError, lambda: checkGradient(N, X, y, tolerance=tolerance),
                   "tolerance", repr(tolerance))


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
