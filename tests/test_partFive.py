"""Tests of partFive: weights as one vector, the numerical gradient and the gradient check."""

import inspect
import re

import numpy as np
import pytest
from conftest import failingNetwork, seededNetwork

import partFive
import partFour
from course.bugGallery import ForgetfulNetwork
from partFive import (
    Neural_Network,
    X,
    checkGradient,
    compareGradients,
    computeNumericalGradient,
    paramName,
    y,
)

DEFAULT_NAMES = ["W1[0, 0]", "W1[0, 1]", "W1[0, 2]", "W1[1, 0]", "W1[1, 1]", "W1[1, 2]",
                 "W2[0, 0]", "W2[1, 0]", "W2[2, 0]"]


def flatReference(N, referenceGradient):
    """The complex-step gradient of N's weights as one vector, laid out like getParams."""
    ref1, ref2 = referenceGradient(N.W1, N.W2, X, y)
    return np.concatenate((ref1.ravel(), ref2.ravel()))


# --- getParams / setParams / computeGradients ---------------------------------------------

def test_getParams_is_W1_ravel_then_W2_ravel():
    N = seededNetwork()
    params = N.getParams()
    assert params.shape == (9,)
    np.testing.assert_array_equal(params, np.concatenate((N.W1.ravel(), N.W2.ravel())))


def test_setParams_lays_out_W1_row_by_row_then_W2():
    N = seededNetwork()
    N.setParams(np.arange(9.0))
    np.testing.assert_array_equal(N.W1, [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(N.W2, [[6], [7], [8]])
    np.testing.assert_array_equal(N.getParams(), np.arange(9.0))


def test_setParams_of_getParams_round_trips_exactly():
    N = seededNetwork()
    W1, W2 = N.W1.copy(), N.W2.copy()
    N.setParams(N.getParams())
    assert np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2)


def test_setParams_stores_a_copy():
    N = seededNetwork()
    params = np.arange(9.0)
    N.setParams(params)
    params[:] = -1.0
    np.testing.assert_array_equal(N.getParams(), np.arange(9.0))


def test_getParams_returns_a_copy():
    N = seededNetwork()
    W1 = N.W1.copy()
    N.getParams()[:] = 0.0
    np.testing.assert_array_equal(N.W1, W1)


def test_computeGradients_is_costFunctionPrime_unrolled():
    N = seededNetwork()
    dJdW1, dJdW2 = N.costFunctionPrime(X, y)
    np.testing.assert_array_equal(N.computeGradients(X, y),
                                  np.concatenate((dJdW1.ravel(), dJdW2.ravel())))


# --- computeNumericalGradient ----------------------------------------------------------------

@pytest.mark.parametrize("seed", range(10))
def test_numerical_gradient_matches_complex_step(seed, referenceGradient):
    N = seededNetwork(seed)
    numgrad = computeNumericalGradient(N, X, y)
    np.testing.assert_allclose(numgrad, flatReference(N, referenceGradient), rtol=1e-7)


def test_default_epsilon_is_1e_minus_4():
    for function in (computeNumericalGradient, checkGradient):
        assert inspect.signature(function).parameters["epsilon"].default == 1e-4
    N = seededNetwork()
    default = computeNumericalGradient(N, X, y)
    assert np.array_equal(default, computeNumericalGradient(N, X, y, epsilon=1e-4))
    assert not np.array_equal(default, computeNumericalGradient(N, X, y, epsilon=1e-3))


def test_numerical_gradient_is_the_centered_difference():
    N = seededNetwork()
    params, eps = N.getParams(), 1e-3
    shifted = params.copy()
    shifted[4] += eps
    N.setParams(shifted)
    up = N.costFunction(X, y)
    shifted[4] -= 2 * eps
    N.setParams(shifted)
    down = N.costFunction(X, y)
    N.setParams(params)
    assert computeNumericalGradient(N, X, y, epsilon=eps)[4] == pytest.approx(
        (up - down) / (2 * eps), rel=1e-9)


def test_numerical_gradient_leaves_the_weights_as_they_were():
    N = seededNetwork()
    W1, W2 = N.W1.copy(), N.W2.copy()
    computeNumericalGradient(N, X, y)
    assert np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2)
    assert N.W1.shape == (2, 3) and N.W2.shape == (3, 1)


def test_numerical_gradient_restores_the_weights_when_the_cost_raises():
    N = failingNetwork(5)
    W1, W2 = N.W1.copy(), N.W2.copy()
    with pytest.raises(RuntimeError, match="call 5"):
        computeNumericalGradient(N, X, y)
    assert N.calls == 5
    assert np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2)


# --- compareGradients --------------------------------------------------------------------------

def test_compareGradients_of_identical_vectors_is_zero():
    grad = np.array([0.1, -0.2, 0.3])
    assert compareGradients(grad, grad.copy()) == 0.0


@pytest.mark.parametrize(("grad", "numgrad", "expected"), [
    ([1.0, 2.0], [1.0, 1.0], 1 / np.sqrt(13)),  # |(0, 1)| / |(2, 3)|
    ([3.0, 4.0], [0.0, 0.0], 1.0),  # |(3, 4)| / |(3, 4)|
    ([1.0, 0.0], [0.0, 1.0], 1.0),  # sqrt(2) / sqrt(2)
])
def test_compareGradients_hand_computed(grad, numgrad, expected):
    result = compareGradients(np.array(grad), np.array(numgrad))
    assert type(result) is float
    assert result == pytest.approx(expected, rel=1e-15)


def test_compareGradients_of_two_zero_vectors_is_zero():
    assert compareGradients(np.zeros(9), np.zeros(9)) == 0.0


def test_compareGradients_of_opposite_vectors_is_infinite():
    grad = np.array([0.1, -0.2, 0.3])
    assert compareGradients(grad, -grad) == float("inf")


def test_compareGradients_shape_mismatch_raises_ValueError():
    with pytest.raises(ValueError, match=re.escape("(3,)")):
        compareGradients(np.zeros(3), np.zeros(4))


# --- checkGradient -------------------------------------------------------------------------------

def test_checkGradient_passes_a_correct_network():
    result = checkGradient(seededNetwork(), X, y)
    assert result.passed is True
    assert type(result.relativeError) is float
    assert result.relativeError < 1e-7
    assert result.worstWeight in DEFAULT_NAMES


def test_checkGradient_repr_is_one_line_with_the_formatted_error():
    result = checkGradient(seededNetwork(), X, y)
    text = repr(result)
    assert "\n" not in text
    assert "passed" in text and "FAILED" not in text
    assert f"relative error {result.relativeError:.1e}" in text
    assert re.search(r"\(relative error \d\.\de-\d\d; epsilon 0\.0001\)$", text)
    # The derived tolerance rests on measured rounding noise, different on every CPU: not shown.
    assert "tolerance" not in text and "tolerance" not in str(result)
    assert "5.4e-10" in text  # what the notebooks print for the tutorial's seed 0


def test_checkGradient_catches_a_backprop_bug(referenceGradient):
    N = seededNetwork(cls=ForgetfulNetwork)
    result = checkGradient(N, X, y)
    assert result.passed is False
    assert result.relativeError > 1e-3
    assert "FAILED" in repr(result)
    np.testing.assert_array_equal(result.grad, N.computeGradients(X, y))
    difference = np.abs(N.computeGradients(X, y) - flatReference(N, referenceGradient))
    trulyWrong = {paramName(N, int(p)) for p in np.flatnonzero(difference > 1e-6)}
    assert set(result.wrongWeights) == trulyWrong  # the bug is in dJdW1 only
    assert result.worstWeight == result.wrongWeights[0] and result.worstWeight.startswith("W1")
    assert checkGradient(N, X, y, tolerance=1e-7).worstWeight == DEFAULT_NAMES[
        int(np.argmax(difference))]  # the fixed rule names the largest difference


# --- paramName ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("index", "name"), list(enumerate(DEFAULT_NAMES)))
def test_paramName_of_the_default_network(index, name):
    assert paramName(seededNetwork(), index) == name


def test_paramName_of_a_wider_network():
    N = Neural_Network(inputLayerSize=4, hiddenLayerSize=5, outputLayerSize=2)
    assert paramName(N, 19) == "W1[3, 4]"
    assert paramName(N, 20) == "W2[0, 0]"
    assert paramName(N, 21) == "W2[0, 1]"
    assert paramName(N, 29) == "W2[4, 1]"


@pytest.mark.parametrize("index", [9, 10, -1])
def test_paramName_out_of_range_raises_ValueError(index):
    with pytest.raises(ValueError):
        paramName(seededNetwork(), index)


# --- the module's surface ----------------------------------------------------------------------

def test_star_import_provides_the_tutorials_names():
    namespace = {}
    exec("from partFive import *", namespace)
    for name in ["X", "y", "Neural_Network", "computeNumericalGradient", "compareGradients",
                 "checkGradient", "GradientCheck"]:
        assert namespace[name] is getattr(partFive, name)
    assert namespace["X"] is partFour.X and namespace["y"] is partFour.y


def test_network_extends_partFour_without_redefining_the_maths():
    assert issubclass(partFive.Neural_Network, partFour.Neural_Network)
    for name in ["forward", "costFunction", "costFunctionPrime", "sigmoid", "sigmoidPrime"]:
        assert name not in vars(partFive.Neural_Network)
        assert getattr(partFive.Neural_Network, name) is getattr(partFour.Neural_Network, name)
