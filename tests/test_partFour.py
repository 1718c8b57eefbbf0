"""Tests of partFour: the tutorial's data and its network with backpropagation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partFour
from partFour import Neural_Network, X, y


@pytest.fixture
def tutorialNetwork():
    """The tutorial's network: np.random.seed(0); Neural_Network()."""
    np.random.seed(0)
    return Neural_Network()


def test_X_is_the_tutorials_data_scaled_by_column_max():
    rawX = np.array([[3, 5], [5, 1], [10, 2]], dtype=float)
    np.testing.assert_array_equal(X, rawX / np.array([10.0, 5.0]))
    np.testing.assert_array_equal(X, [[0.3, 1.0], [0.5, 0.2], [1.0, 0.4]])


def test_y_is_the_tutorials_scores_over_100():
    np.testing.assert_array_equal(y, np.array([[75], [82], [93]], dtype=float) / 100)
    assert y.shape == (3, 1)


def test_default_layer_sizes_are_2_3_1(tutorialNetwork):
    assert tutorialNetwork.W1.shape == (2, 3)
    assert tutorialNetwork.W2.shape == (3, 1)


def test_layer_sizes_are_keyword_arguments():
    N = Neural_Network(inputLayerSize=4, hiddenLayerSize=5, outputLayerSize=2)
    assert (N.inputLayerSize, N.hiddenLayerSize, N.outputLayerSize) == (4, 5, 2)
    assert N.W1.shape == (4, 5)
    assert N.W2.shape == (5, 2)


def test_numpy_integer_layer_sizes_are_accepted():
    N = Neural_Network(inputLayerSize=np.int64(3))
    assert N.W1.shape == (3, 3)
    assert type(N.inputLayerSize) is int


def test_weights_are_randn_draws_after_seeding(tutorialNetwork):
    np.random.seed(0)
    np.testing.assert_array_equal(tutorialNetwork.W1, np.random.randn(2, 3))
    np.testing.assert_array_equal(tutorialNetwork.W2, np.random.randn(3, 1))


@pytest.mark.parametrize("name", ["inputLayerSize", "hiddenLayerSize", "outputLayerSize"])
@pytest.mark.parametrize(("bad", "error"), [(0, ValueError), (-1, ValueError), (2.5, TypeError),
                                            (True, TypeError), ("3", TypeError)])
def test_bad_layer_size_raises_naming_it(name, bad, error):
    """The course's rule: a wrong type raises TypeError, a wrong value ValueError."""
    with pytest.raises(error, match=name) as info:
        Neural_Network(**{name: bad})
    assert repr(bad) in str(info.value)


def test_costFunction_is_a_python_float_equal_to_half_sum_of_squares(tutorialNetwork):
    N = tutorialNetwork
    J = N.costFunction(X, y)
    assert type(J) is float
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    yHat = sigmoid(sigmoid(X @ N.W1) @ N.W2)
    assert J == pytest.approx(0.5 * np.sum((y - yHat) ** 2), rel=1e-14)


def test_forward_returns_one_prediction_per_example_between_0_and_1(tutorialNetwork):
    yHat = tutorialNetwork.forward(X)
    assert yHat.shape == (3, 1)
    assert np.all((yHat > 0) & (yHat < 1))


def test_reference_gradient_is_the_derivative_of_the_reference_cost(
        referenceCost, referenceGradient):
    """Guard the test oracle itself: complex step agrees with a central difference."""
    rng = np.random.default_rng(1)
    W1, W2 = rng.standard_normal((2, 3)), rng.standard_normal((3, 1))
    dW1, _ = referenceGradient(W1, W2, X, y)
    h = 1e-6
    W1plus, W1minus = W1.copy(), W1.copy()
    W1plus[1, 2] += h
    W1minus[1, 2] -= h
    central = (referenceCost(W1plus, W2, X, y) - referenceCost(W1minus, W2, X, y)) / (2 * h)
    assert dW1[1, 2] == pytest.approx(central, rel=1e-6)
    assert dW1[1, 2] != 0


def test_backprop_matches_complex_step_at_the_tutorial_seed(tutorialNetwork, referenceGradient):
    N = tutorialNetwork
    dJdW1, dJdW2 = N.costFunctionPrime(X, y)
    ref1, ref2 = referenceGradient(N.W1, N.W2, X, y)
    assert dJdW1.shape == (2, 3) and dJdW2.shape == (3, 1)
    np.testing.assert_allclose(dJdW1, ref1, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(dJdW2, ref2, rtol=1e-10, atol=1e-14)


@settings(max_examples=50, deadline=None, database=None)
@given(inputs=st.integers(1, 5), hidden=st.integers(1, 5), outputs=st.integers(1, 5),
       examples=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_backprop_matches_complex_step_for_any_sizes(referenceGradient, inputs, hidden,
                                                      outputs, examples, seed):
    rng = np.random.default_rng(seed)
    N = Neural_Network(inputLayerSize=inputs, hiddenLayerSize=hidden, outputLayerSize=outputs)
    N.W1 = rng.standard_normal((inputs, hidden))
    N.W2 = rng.standard_normal((hidden, outputs))
    data = rng.uniform(0, 1, (examples, inputs))
    target = rng.uniform(0, 1, (examples, outputs))
    dJdW1, dJdW2 = N.costFunctionPrime(data, target)
    ref1, ref2 = referenceGradient(N.W1, N.W2, data, target)
    np.testing.assert_allclose(dJdW1, ref1, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(dJdW2, ref2, rtol=1e-10, atol=1e-14)


def test_sigmoidPrime_equals_sigmoid_times_one_minus_sigmoid(tutorialNetwork):
    N = tutorialNetwork
    z = np.linspace(-10, 10, 41).reshape(-1, 1) * np.array([[1.0, 0.5, -0.3]])
    s = N.sigmoid(z)
    np.testing.assert_allclose(N.sigmoidPrime(z), s * (1 - s), rtol=1e-9)
    assert N.sigmoidPrime(0.0) == 0.25
    assert N.sigmoid(0.0) == 0.5


def test_module_exports():
    assert set(partFour.__all__) >= {"X", "y", "Neural_Network"}
