"""Any network with the tutorial's protocol can be checked, not only the course's.

The networks here are written from scratch, the way a learner writes one after the course, with
their own numpy backprop: biases (paramNames W1, b1, W2, b2, tanh), two hidden layers, no
paramNames (weights named param[k]), a softmax output with a cross-entropy cost, ReLU away from
its kinks and exactly on one, float32, and an L2 penalty. Besides them: scipy's Rosenbrock
function (checkFunctionGradient) and a 100,000-weight linear model that only has the protocol.

For each kind: the numerical gradient agrees with an exact one (the complex step, or the
analytic formula), a correct backprop is not reported wrong, planted bugs fail at the weights
they really break, and the weights are left bit for bit as they were, also when the cost raises
midway through a check.
"""

import numpy as np
import pytest
from conftest import FailingCost
from scipy.optimize import rosen, rosen_der

from partFive import (
    Neural_Network,
    X,
    checkFunctionGradient,
    checkGradient,
    computeNumericalGradient,
    paramName,
    y,
)

COMPLEX_STEP = 1e-30
EXAMPLES = 5


def sigmoid(z):
    """The logistic function (for the bug that takes its derivative for the ReLU's)."""
    return 1 / (1 + np.exp(-z))


def relu(z):
    """max(z, 0), written so that it also takes complex z (the complex step): by z's real part."""
    return np.where(z.real > 0, z, 0)


ACTIVATIONS = {  # name: (activation, its derivative)
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (relu, lambda z: (z > 0).astype(z.dtype)),
}


class Learner:
    """A multilayer perceptron as a learner writes one: layers of ``sizes``, every layer
    z = a W + b, hidden activation ``activation``, a linear output with the cost
    1/2 sum((yHat - y)^2) or a softmax output with cross-entropy, plus an L2 penalty
    ``decay``/2 sum(W^2) on the weight matrices (not the biases).

    The weights are the attributes W1, b1, W2, b2, ... (``arrayNames``); this base class has no
    ``paramNames``, so the check names its weights param[k]. The cost is computed in ``dtype``
    (X and y are cast to it inside), and from any weight vector by ``loss``, which also takes
    complex weights: that is the complex step's reference. ``bug`` plants a mistake in backprop
    (see computeGradients).
    """

    sizes = (3, 4, 2)
    activation = "tanh"
    output = "linear"
    decay = 0.0
    dtype = np.float64

    def __init__(self, seed=0, bug=None):
        rng = np.random.default_rng(seed)
        self.bug = bug
        self.arrayNames = []
        for layer, shape in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            setattr(self, f"W{layer}", rng.standard_normal(shape).astype(self.dtype))
            setattr(self, f"b{layer}", rng.standard_normal(shape[1]).astype(self.dtype))
            self.arrayNames += [f"W{layer}", f"b{layer}"]

    def getParams(self):
        """All the weights as one vector: W1, b1, W2, b2, ... each unrolled row by row."""
        return np.concatenate([getattr(self, name).ravel() for name in self.arrayNames])

    def setParams(self, params):
        """The weights from a vector laid out as getParams returns it (copied, in dtype)."""
        for name, part in zip(self.arrayNames, self.split(np.asarray(params))):
            setattr(self, name, part.astype(self.dtype))

    def split(self, params):
        """The arrays of the weight vector ``params``, shaped like the weights, in order."""
        parts, start = [], 0
        for name in self.arrayNames:
            shape = getattr(self, name).shape
            stop = start + int(np.prod(shape))
            parts.append(params[start:stop].reshape(shape))
            start = stop
        return parts

    def forward(self, params, X):
        """(pre-activations z of every layer, the inputs a of every layer) for weights params."""
        parts = self.split(params)
        weights, biases = parts[0::2], parts[1::2]
        activate = ACTIVATIONS[self.activation][0]
        zs, inputs = [], [X]
        for layer, (W, b) in enumerate(zip(weights, biases)):
            zs.append(inputs[-1] @ W + b)
            if layer < len(weights) - 1:
                inputs.append(activate(zs[-1]))
        return zs, inputs

    def loss(self, params, X, y):
        """The cost at the weight vector ``params`` (float or complex)."""
        work = np.result_type(params.dtype, self.dtype)
        X, y = np.asarray(X).astype(work), np.asarray(y).astype(work)
        out = self.forward(params, X)[0][-1]
        if self.output == "softmax":
            shifted = out - out.real.max(axis=1, keepdims=True)
            logProbabilities = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
            data = -np.sum(y * logProbabilities)
        else:
            data = np.sum(0.5 * (out - y) ** 2)
        # Arrays, not Python floats, around the numbers: numpy 1.x turns float32 scalar times
        # Python float into float64, and this network's cost must stay in its own dtype.
        penalty = np.sum([np.sum(W**2) for W in self.split(params)[0::2]], dtype=work)
        return data + np.asarray(self.decay / 2, dtype=work) * penalty

    def costFunction(self, X, y):
        """The cost at the network's own weights, a number in dtype."""
        return self.loss(self.getParams(), X, y)

    def computeGradients(self, X, y):
        """Backprop's dJ/dparams, laid out like getParams. The planted bugs (``bug``):

        "noBiasGradient"        dJ/db1 is left at zero
        "sigmoidDerivative"     the hidden layers use the sigmoid's derivative
        "forgottenDerivative"   the second hidden layer's derivative is not applied
        "penaltyOnlyInCost"     the penalty's gradient decay * W is left out
        "averaged"              the gradient is divided by the number of examples
        """
        params = self.getParams()
        X, y = np.asarray(X).astype(self.dtype), np.asarray(y).astype(self.dtype)
        zs, inputs = self.forward(params, X)
        weights = self.split(params)[0::2]
        out = zs[-1]
        if self.output == "softmax":
            exponentials = np.exp(out - out.max(axis=1, keepdims=True))
            delta = exponentials / exponentials.sum(axis=1, keepdims=True) - y
        else:
            delta = out - y
        derivative = ACTIVATIONS[self.activation][1]
        if self.bug == "sigmoidDerivative":
            def derivative(z):
                return sigmoid(z) * (1 - sigmoid(z))
        grads = []
        for layer in reversed(range(len(weights))):
            dW = inputs[layer].T @ delta
            if self.bug != "penaltyOnlyInCost":
                dW = dW + self.decay * weights[layer]
            db = delta.sum(axis=0)
            if self.bug == "noBiasGradient" and layer == 0:
                db = np.zeros_like(db)
            grads = [dW.ravel(), db] + grads
            if layer > 0:
                delta = delta @ weights[layer].T
                if not (self.bug == "forgottenDerivative" and layer == 2):
                    delta = delta * derivative(zs[layer - 1])
        grad = np.concatenate(grads)
        return (grad / len(X) if self.bug == "averaged" else grad).astype(self.dtype)


class BiasNet(Learner):
    """2 layers with biases, tanh, named by paramNames."""

    paramNames = ("W1", "b1", "W2", "b2")


class DeepNet(Learner):
    """3 layers (two hidden), tanh."""

    sizes = (3, 5, 4, 2)
    paramNames = ("W1", "b1", "W2", "b2", "W3", "b3")


class Nameless(Learner):
    """BiasNet without paramNames: its weights are param[0] to param[25]."""


class SoftmaxNet(BiasNet):
    """3 classes: a softmax output and the cross-entropy cost, on one-hot targets."""

    sizes = (3, 4, 3)
    output = "softmax"


class ReluNet(BiasNet):
    """ReLU hidden units."""

    activation = "relu"


class Float32Net(BiasNet):
    """Weights and cost in float32."""

    dtype = np.float32


class DecayNet(BiasNet):
    """An L2 penalty 0.1/2 sum(W^2) in the cost and 0.1 W in the gradient."""

    decay = 0.1


KINDS = {  # name: (class, an epsilon at which a correct network passes)
    "biases": (BiasNet, 1e-4),
    "two hidden layers": (DeepNet, 1e-4),
    "no paramNames": (Nameless, 1e-4),
    "softmax": (SoftmaxNet, 1e-4),
    "relu": (ReluNet, 1e-4),
    "float32": (Float32Net, 1e-2),
    "L2 penalty": (DecayNet, 1e-4),
}


def problem(cls, seed=0, bug=None):
    """A ``cls`` network (weights from ``seed``) and seeded data: EXAMPLES standard normal
    inputs, with standard normal targets or, for a softmax, one-hot classes."""
    N = cls(seed, bug)
    rng = np.random.default_rng(seed + 100)
    X = rng.standard_normal((EXAMPLES, N.sizes[0]))
    if N.output == "softmax":
        y = np.eye(N.sizes[-1])[rng.integers(0, N.sizes[-1], EXAMPLES)]
    else:
        y = rng.standard_normal((EXAMPLES, N.sizes[-1]))
    return N, X, y


def complexStepGradient(N, X, y, h=COMPLEX_STEP):
    """The exact gradient of N's cost at its weights: Im J(w + i h e_p) / h for every p,
    in complex128 whatever N's precision (no subtraction, so exact to machine precision)."""
    weights = N.getParams().astype(complex)
    grad = np.empty(weights.size)
    for p in range(weights.size):
        shifted = weights.copy()
        shifted[p] += 1j * h
        grad[p] = N.loss(shifted, X, y).imag / h
    return grad


def snapshot(N):
    """Copies of N's weight arrays, by name."""
    return {name: getattr(N, name).copy() for name in N.arrayNames}


def assertIntact(N, before):
    """Assert N's weight arrays are bit for bit ``before``: values, shapes and dtypes."""
    for name, array in before.items():
        now = getattr(N, name)
        assert now.dtype == array.dtype and now.shape == array.shape, name
        assert np.array_equal(now, array), f"{name} changed"


def checked(N, X, y, **kwargs):
    """checkGradient(N, X, y, ...), asserting that N's weights come back bit for bit."""
    before = snapshot(N)
    result = checkGradient(N, X, y, **kwargs)
    assertIntact(N, before)
    return result


def trulyWrong(N, X, y, threshold):
    """The names of the weights where N's backprop is off from the exact gradient by more than
    ``threshold`` times the gradient's largest entry."""
    exact = complexStepGradient(N, X, y)
    difference = np.abs(N.computeGradients(X, y) - exact)
    scale = np.max(np.abs(exact))
    return {paramName(N, int(p)) for p in np.flatnonzero(difference > threshold * scale)}


# --- the networks, and the numerical gradient against the exact one -------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_the_learner_networks_own_backprop_is_exact(kind):
    """The references are sound: each network's backprop is the complex-step gradient."""
    cls, _ = KINDS[kind]
    N, X, y = problem(cls)
    rtol = 1e-5 if N.dtype == np.float32 else 1e-12
    exact = complexStepGradient(N, X, y)
    np.testing.assert_allclose(N.computeGradients(X, y), exact, rtol=rtol,
                               atol=rtol * np.max(np.abs(exact)))


@pytest.mark.parametrize("kind", KINDS)
def test_the_numerical_gradient_matches_the_complex_step(kind):
    """computeNumericalGradient measures the network's real cost, whatever its kind: float64 to
    ~1e-9 of the largest entry at epsilon 1e-4, float32 to ~1e-4 at epsilon 1e-2."""
    cls, epsilon = KINDS[kind]
    N, X, y = problem(cls)
    before = snapshot(N)
    numgrad = computeNumericalGradient(N, X, y, epsilon=epsilon)
    assertIntact(N, before)
    exact = complexStepGradient(N, X, y)
    tolerance = 1e-3 if N.dtype == np.float32 else 1e-7
    assert numgrad.shape == exact.shape
    assert np.max(np.abs(numgrad - exact)) <= tolerance * np.max(np.abs(exact))


def test_the_numerical_gradient_of_rosenbrock_is_rosen_der():
    """A plain function behind the protocol (Rosenbrock) gets the analytic gradient."""
    function = Rosenbrock(np.array([1.3, 0.7, 0.8, 1.9, 1.2]))
    numgrad = computeNumericalGradient(function, *Rosenbrock.NO_DATA)
    np.testing.assert_allclose(numgrad, rosen_der(function.x), rtol=1e-7)


# --- no false alarm -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_a_correct_network_passes(kind):
    cls, epsilon = KINDS[kind]
    N, X, y = problem(cls)
    result = checked(N, X, y, epsilon=epsilon)
    assert result.status == "passed" and result.passed
    assert result.wrongWeights == [] and result.kinkWeights == [] and result.hints == []
    assert len(result.weights) == N.getParams().size


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("epsilon", [1e-5, 1e-4, 1e-3, 1e-2])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_correct_network_never_fails(kind, epsilon, seed):
    """At any sensible step, for a few seeds: passed, or at worst inconclusive."""
    cls, _ = KINDS[kind]
    N, X, y = problem(cls, seed)
    assert checked(N, X, y, epsilon=epsilon).status != "failed"


@pytest.mark.parametrize("epsilon", [1e-3, 1e-2])
def test_float32_passes_at_a_float32_step(epsilon):
    N, X, y = problem(Float32Net)
    assert N.getParams().dtype == np.float32 and N.costFunction(X, y).dtype == np.float32
    result = checked(N, X, y, epsilon=epsilon)
    assert result.status == "passed" and result.precision == "float32"


def test_float32_at_1e_4_cannot_tell_and_says_to_take_a_larger_epsilon():
    """At the default step float32's rounding swamps the slopes: inconclusive, not failed."""
    N, X, y = problem(Float32Net)
    result = checked(N, X, y)
    assert result.status == "inconclusive" and not result.passed
    assert result.wrongWeights == []
    assert any("larger epsilon" in reason for reason in result.reasons)
    assert N.W1.dtype == np.float32


@pytest.mark.parametrize("method", ["directional", "sparse"])
def test_the_fast_methods_pass_a_correct_network(method):
    result = checked(*problem(DeepNet), method=method)
    assert result.status == "passed" and result.method == method


# --- which weight is which ------------------------------------------------------------------------

def test_weights_are_named_from_paramNames():
    N, X, y = problem(BiasNet)
    names = checked(N, X, y).names  # in getParams order
    assert names[:3] == ["W1[0, 0]", "W1[0, 1]", "W1[0, 2]"]
    assert names[12:16] == ["b1[0]", "b1[1]", "b1[2]", "b1[3]"]
    assert names[16] == "W2[0, 0]" and names[-2:] == ["b2[0]", "b2[1]"]


def test_the_three_layer_networks_weights_are_named_to_the_last_bias():
    N, X, y = problem(DeepNet)
    names = checked(N, X, y).names
    assert len(names) == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2
    assert names[-10:] == ["W3[0, 0]", "W3[0, 1]", "W3[1, 0]", "W3[1, 1]", "W3[2, 0]",
                           "W3[2, 1]", "W3[3, 0]", "W3[3, 1]", "b3[0]", "b3[1]"]


def test_a_network_without_paramNames_has_indices_even_with_W1_and_W2():
    """Nameless has W1 and W2, but they are not all of getParams: no tutorial layout."""
    N, X, y = problem(Nameless)
    assert checked(N, X, y).names == [f"param[{k}]" for k in range(26)]


# --- planted bugs fail, at the weights they break -------------------------------------------------

@pytest.mark.parametrize(("cls", "epsilon", "biases"), [
    (BiasNet, 1e-4, [f"b1[{j}]" for j in range(4)]),
    (DeepNet, 1e-4, [f"b1[{j}]" for j in range(5)]),
    (SoftmaxNet, 1e-4, [f"b1[{j}]" for j in range(4)]),
    (ReluNet, 1e-4, [f"b1[{j}]" for j in range(4)]),
    (Float32Net, 1e-2, [f"b1[{j}]" for j in range(4)]),
    (Nameless, 1e-4, [f"param[{k}]" for k in range(12, 16)]),
], ids=["BiasNet", "DeepNet", "SoftmaxNet", "ReluNet", "Float32Net", "Nameless"])
def test_a_missing_bias_gradient_names_exactly_the_biases_that_have_a_gradient(cls, epsilon,
                                                                             biases):
    N, X, y = problem(cls, bug="noBiasGradient")
    exact = complexStepGradient(N, X, y)
    positions = [12 + j for j in range(len(biases))]
    expected = {name for name, p in zip(biases, positions) if exact[p] != 0}
    result = checked(N, X, y, epsilon=epsilon)
    assert result.status == "failed" and not result.passed
    assert set(result.wrongWeights) == expected
    assert result.kinkWeights == []


def test_a_dead_relu_units_bias_is_not_named():
    """ReLU unit 0 is off for every example: its bias has no gradient, so nothing is missing."""
    N, X, y = problem(ReluNet, bug="noBiasGradient")
    assert np.all(N.forward(N.getParams(), X)[0][0][:, 0] < 0)
    result = checked(N, X, y)
    assert "b1[0]" not in result.wrongWeights and len(result.wrongWeights) == 3


def test_the_sigmoids_derivative_for_the_relus_fails_in_the_first_layer():
    N, X, y = problem(ReluNet, bug="sigmoidDerivative")
    result = checked(N, X, y)
    assert result.status == "failed"
    assert set(result.wrongWeights) == trulyWrong(N, X, y, 1e-6)
    assert {name[:2] for name in result.wrongWeights} == {"W1", "b1"}


def test_a_forgotten_derivative_in_the_second_hidden_layer_spares_the_last_layer():
    N, X, y = problem(DeepNet, bug="forgottenDerivative")
    result = checked(N, X, y)
    assert result.status == "failed"
    assert set(result.wrongWeights) == trulyWrong(N, X, y, 1e-6)
    assert {name[:2] for name in result.wrongWeights} == {"W1", "b1", "W2", "b2"}


def test_an_averaged_softmax_gradient_fails_everywhere_by_one_factor():
    N, X, y = problem(SoftmaxNet, bug="averaged")
    result = checked(N, X, y)
    assert result.status == "failed"
    assert set(result.wrongWeights) == trulyWrong(N, X, y, 1e-6)
    assert any("1/5" in hint for hint in result.hints)


def test_a_float32_bug_fails_at_a_float32_step():
    N, X, y = problem(Float32Net, bug="sigmoidDerivative")
    result = checked(N, X, y, epsilon=1e-2)
    assert result.status == "failed"
    assert result.wrongWeights
    assert all(name.startswith(("W1[", "b1[")) for name in result.wrongWeights)


@pytest.mark.parametrize("method", ["directional", "sparse"])
def test_the_fast_methods_fail_a_missing_bias_gradient(method):
    N, X, y = problem(DeepNet, bug="noBiasGradient")
    kwargs = {"coordinates": N.getParams().size} if method == "sparse" else {}
    assert checked(N, X, y, method=method, **kwargs).status == "failed"


# --- a regularized cost ---------------------------------------------------------------------------

def test_a_penalty_left_out_of_the_gradient_names_every_weight_matrix_entry():
    N, X, y = problem(DecayNet, bug="penaltyOnlyInCost")
    result = checked(N, X, y)
    assert result.status == "failed"
    assert set(result.wrongWeights) == {name for name in result.names if name[0] == "W"}
    assert any("weight-decay" in hint for hint in result.hints)


def test_the_data_term_and_the_penalty_pass_separately():
    """The regularized cost's two parts: the data term (decay 0) as a network, the penalty
    decay/2 sum(W^2) as a plain function of the weight vector, its gradient decay * W."""
    N, X, y = problem(DecayNet)
    dataTerm = BiasNet()
    dataTerm.setParams(N.getParams())
    assert checked(dataTerm, X, y).passed

    isMatrix = np.concatenate([np.full(getattr(N, name).size, name[0] == "W")
                               for name in N.arrayNames])
    weights = N.getParams()

    def penalty(w):
        """DecayNet's penalty at the weight vector w."""
        return DecayNet.decay / 2 * float(np.sum(w[isMatrix] ** 2))

    def penaltyGradient(w):
        """Its gradient: decay * W on the matrices, 0 on the biases."""
        return DecayNet.decay * np.where(isMatrix, w, 0.0)

    assert checkFunctionGradient(penalty, penaltyGradient, weights).passed
    doubled = checkFunctionGradient(penalty, lambda w: 2 * penaltyGradient(w), weights)
    assert doubled.status == "failed"
    assert set(doubled.wrongWeights) == {f"x[{k}]" for k in np.flatnonzero(isMatrix)}
    assert np.array_equal(weights, N.getParams())
    separately = dataTerm.computeGradients(X, y) + penaltyGradient(weights)
    np.testing.assert_allclose(N.computeGradients(X, y), separately, rtol=1e-14)


# --- ReLU on and off its kink ---------------------------------------------------------------------

KINK_UNIT = 1


def kinkedRelu(bug=None):
    """A ReLU network whose hidden unit KINK_UNIT has pre-activation exactly 0 on example 0.

    X and W1 are multiples of 1/4 and 1/8, small enough that every product and sum is exact in
    float64 in any order, so b1[1] = -(X[0] @ W1[:, 1]) puts z2[0, 1] exactly on the corner.
    """
    N, X, y = problem(ReluNet, seed=3, bug=bug)
    X = np.round(X * 4) / 4
    N.W1 = np.round(N.W1 * 8) / 8
    N.b1[KINK_UNIT] = -(X[0] @ N.W1[:, KINK_UNIT])
    return N, X, y


def test_the_kinked_network_really_sits_on_the_corner():
    N, X, y = kinkedRelu()
    z2 = N.forward(N.getParams(), X)[0][0]
    assert z2[0, KINK_UNIT] == 0.0
    assert np.all(X[0] != 0)  # so every weight into the unit moves it across the corner


@pytest.mark.parametrize("epsilon", [1e-5, 1e-4, 1e-3])
def test_relu_on_a_kink_is_inconclusive_naming_the_weights_of_that_unit(epsilon):
    N, X, y = kinkedRelu()
    result = checked(N, X, y, epsilon=epsilon)
    assert result.status == "inconclusive" and not result.passed
    assert result.wrongWeights == []
    unit = {f"W1[{i}, {KINK_UNIT}]" for i in range(3)} | {f"b1[{KINK_UNIT}]"}
    assert set(result.kinkWeights) == unit
    assert any("kink" in reason for reason in result.reasons)


def test_a_kink_does_not_hide_a_bug_elsewhere():
    N, X, y = kinkedRelu(bug="noBiasGradient")
    result = checked(N, X, y)
    assert result.status == "failed"
    exact = complexStepGradient(N, X, y)
    others = {f"b1[{j}]" for j in range(4) if j != KINK_UNIT and exact[12 + j] != 0}
    assert others and others <= set(result.wrongWeights)


@pytest.mark.parametrize("epsilon", [1e-5, 1e-4, 1e-3])
def test_the_correct_relu_off_its_kinks_passes(epsilon):
    N, X, y = problem(ReluNet)
    z2 = N.forward(N.getParams(), X)[0][0]
    reach = 2 * epsilon * (1 + np.max(np.abs(X)))  # how far a step of 2 epsilon moves any z2
    assert np.min(np.abs(z2)) > 4 * reach
    assert checked(N, X, y, epsilon=epsilon).passed


# --- the weights are restored when the cost raises midway -----------------------------------------

def failing(cls, call):
    """A ``cls`` network whose cost raises on call number ``call`` (0: never), and data."""
    failingClass = type(f"Failing{cls.__name__}", (FailingCost, cls), {})
    N, X, y = problem(failingClass)
    N.failing = call
    return N, X, y


def callsMade(cls, run):
    """How many times run(N, X, y) calls a ``cls`` network's cost."""
    N, X, y = failing(cls, 0)
    run(N, X, y)
    return N.calls


RUNS = {
    "checkGradient": lambda N, X, y: checkGradient(N, X, y),
    "computeNumericalGradient": lambda N, X, y: computeNumericalGradient(N, X, y),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("run", RUNS.values(), ids=list(RUNS))
@pytest.mark.parametrize("when", ["first", "middle", "last"])
def test_a_cost_that_raises_midway_leaves_the_weights_bit_for_bit(kind, run, when):
    cls, _ = KINDS[kind]
    total = callsMade(cls, run)
    call = {"first": 1, "middle": total // 2, "last": total}[when]
    N, X, y = failing(cls, call)
    before = snapshot(N)
    with pytest.raises(RuntimeError, match=f"call {call}$"):
        run(N, X, y)
    assert N.calls == call
    assertIntact(N, before)


# --- a plain function: scipy's Rosenbrock ---------------------------------------------------------

class Rosenbrock:
    """scipy.optimize.rosen and rosen_der behind the tutorial's protocol: x is the weight vector,
    the data are ignored (NO_DATA: one row each, as the check's data validation wants)."""

    NO_DATA = (np.zeros((1, 1)), np.zeros((1, 1)))

    def __init__(self, x):
        self.x = np.array(x, dtype=float)

    def getParams(self):
        return self.x.copy()

    def setParams(self, params):
        self.x = np.array(params, dtype=float)

    def costFunction(self, X, y):
        return rosen(self.x)

    def computeGradients(self, X, y):
        return rosen_der(self.x)


ROSENBROCK_POINTS = [np.array([1.3, 0.7, 0.8, 1.9, 1.2]), np.array([-1.2, 1.0]),
                     np.random.default_rng(5).uniform(-2, 2, 10)]


@pytest.mark.parametrize("x", ROSENBROCK_POINTS, ids=["5-d", "classic start", "10-d"])
def test_rosenbrock_passes_and_x_is_left_alone(x):
    x0 = x.copy()
    result = checkFunctionGradient(rosen, rosen_der, x)
    assert result.passed
    assert result.names == [f"x[{k}]" for k in range(len(x))]
    assert np.array_equal(x, x0)


def test_rosenbrock_with_one_gradient_entry_off_by_1_percent_names_it():
    x = ROSENBROCK_POINTS[0].copy()
    scale = np.ones(5)
    scale[4] = 1.01
    result = checkFunctionGradient(rosen, lambda v: rosen_der(v) * scale, x)
    assert result.status == "failed" and result.wrongWeights == ["x[4]"]
    assert np.array_equal(x, ROSENBROCK_POINTS[0])


def test_rosenbrock_behind_the_protocol_gets_the_same_verdict():
    x = ROSENBROCK_POINTS[0]
    N = Rosenbrock(x)
    result = checkGradient(N, *Rosenbrock.NO_DATA)
    assert result.passed and result.names == [f"param[{k}]" for k in range(5)]
    assert np.array_equal(N.x, x)


# --- 100,000 weights that only have the protocol --------------------------------------------------

class LeastSquares:
    """A linear model J(w) = 1/2 ||X w - y||^2 with one weight vector w and nothing else: no
    layer sizes, no paramNames. ``gradientScale`` != 1 plants a scaled gradient."""

    def __init__(self, size, seed=0, gradientScale=1.0):
        self.w = np.random.default_rng(seed).standard_normal(size)
        self.gradientScale = gradientScale

    def getParams(self):
        return self.w.copy()

    def setParams(self, params):
        self.w = np.array(params, dtype=float)

    def costFunction(self, X, y):
        residual = X @ self.w - y
        return 0.5 * float(residual @ residual)

    def computeGradients(self, X, y):
        return self.gradientScale * (X.T @ (X @ self.w - y))


def bigProblem(gradientScale=1.0):
    """A 100,000-weight LeastSquares and two seeded examples."""
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((2, 100_000)) / 300, rng.standard_normal(2)
    return LeastSquares(100_000, gradientScale=gradientScale), X, y


def test_100000_weights_through_the_protocol_get_directions_and_say_so():
    N, X, y = bigProblem()
    before = N.w.copy()
    result = checkGradient(N, X, y)
    assert result.method == "directional" and result.passed
    assert "method 'auto' chose directions" in result.checked
    assert "method 'auto' chose directions" in result.headline()
    assert "100,000 weights" in result.headline()
    assert np.array_equal(N.w, before)


def test_100000_weights_with_a_wrong_gradient_fail_along_directions():
    N, X, y = bigProblem(gradientScale=1.5)
    result = checkGradient(N, X, y)
    assert result.method == "directional" and result.status == "failed"
    assert any("method='full'" in hint for hint in result.hints)


class Float32Recording(Neural_Network):
    """A float32 tutorial network with a cost of its own (so the loop runs), noting the dtype of
    every vector its setParams is handed."""

    def setParams(self, params):
        self.handed = [*getattr(self, "handed", []), np.asarray(params).dtype]
        super().setParams(params)

    def costFunction(self, X, y):
        return super().costFunction(X, y)


def test_a_float32_network_is_handed_float32_weights_only():
    """Every step, the noise probe's too, is taken in the network's own precision."""
    np.random.seed(0)
    N = Float32Recording()
    N.W1, N.W2 = N.W1.astype(np.float32), N.W2.astype(np.float32)
    checkGradient(N, X, y, epsilon=1e-2)
    assert set(N.handed) == {np.dtype(np.float32)}
