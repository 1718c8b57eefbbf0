"""Tests of fastGradients: the vectorized numerical gradient, the directional and sparse checks,
their miss probabilities, and partFive's dispatch to them.

The central promise: the vectorized gradient gives the tutorial loop's numbers (to 1e-9 relative,
same epsilon) on networks of several sizes, and a network with a cost of its own always gets the
loop, so the check checks its real cost. No test here is timed (see benchmarks/big_networks.py).
"""

import functools
import math
import re
import tracemalloc

import numpy as np
import pytest
from conftest import ScalingItsX, onFastPath, seededNetwork
from scipy import stats

import partFour
from checker import check, fastGradients, measure
from checker.fastGradients import vectorizedNumericalGradient
from checker.judge import (
    confinedBugError,
    defaultDirections,
    missProbability,
    sparseMissProbability,
)
from checker.measure import (
    coordinateEstimates,
    directionalEstimates,
    randomCoordinates,
    randomDirections,
)
from checker.weightVector import preparedNetwork
from course.bugGallery import ForgetfulNetwork
from partFive import (
    Neural_Network,
    X,
    checkGradient,
    computeNumericalGradient,
    loopNumericalGradient,
    y,
)

SIZES = [(2, 3, 1, 3), (4, 5, 2, 7), (5, 9, 3, 11), (16, 8, 4, 9), (30, 20, 10, 16)]  # I, H, O, n


def coordinateSlopes(N, X, y, *, coordinates, epsilon=1e-4, seed=0):
    """The sparse check's numbers at ``coordinates`` random weights, as checkGradient measures
    them: (positions, backprop's slopes, the numerical slopes)."""
    prepared = preparedNetwork(N, X, y, epsilon=epsilon)
    positions = randomCoordinates(coordinates, prepared.params.size, seed)
    numerical, _ = coordinateEstimates(N, prepared, positions, (prepared.epsilon,), False,
                                       onFastPath(N))
    return positions, N.computeGradients(prepared.X, prepared.y)[positions], numerical[0]


def directionalSlopes(N, X, y, *, directions, epsilon=1e-4, seed=0):
    """The directional check's numbers along ``directions`` random directions, as checkGradient
    measures them: (backprop's slopes grad . v, the numerical slopes)."""
    prepared = preparedNetwork(N, X, y, epsilon=epsilon)
    grad = N.computeGradients(prepared.X, prepared.y)
    backprop, numerical, _ = directionalEstimates(N, prepared, directions, (prepared.epsilon,),
                                                  seed, grad, False, onFastPath(N))
    return backprop, numerical[0]


DIRECTIONAL = functools.partial(checkGradient, method="directional")
SPARSE = functools.partial(checkGradient, method="sparse")


def sizedProblem(inputs, hidden, outputs, examples, seed=0, cls=Neural_Network):
    """A seeded network of the given sizes with data scaled like the tutorial's (0 to 1)."""
    N = seededNetwork(seed, cls, (inputs, hidden, outputs))
    data = np.random.RandomState(seed + 100)
    return N, data.rand(examples, inputs), data.rand(examples, outputs)


def assertSameNumbers(fast, loop, tolerance=1e-9):
    """Assert two numerical gradients agree to ``tolerance`` relative, entry by entry against
    the largest entry and as whole vectors."""
    scale = np.max(np.abs(loop))
    assert np.max(np.abs(fast - loop)) <= tolerance * scale
    assert np.linalg.norm(fast - loop) <= tolerance * np.linalg.norm(loop)


def assertUntouched(N, call):
    """Run call() and assert N's weights are exactly as before (values and shapes)."""
    W1, W2 = N.W1.copy(), N.W2.copy()
    result = call()
    assert np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2)
    return result


class WeightDecayCost(Neural_Network):
    """A network whose cost adds weight decay: the fast path does not know it."""

    decay = 0.01

    def costFunction(self, X, y):
        return super().costFunction(X, y) + self.decay / 2 * float(np.sum(self.getParams() ** 2))


class OneFlippedWeight(Neural_Network):
    """Backprop with the sign of one gradient entry flipped: a bug confined to one weight."""

    flipped = 4

    def computeGradients(self, X, y):
        grad = super().computeGradients(X, y)
        grad[self.flipped] = -grad[self.flipped]
        return grad


# --- the vectorized gradient is the loop's --------------------------------------------------------

@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "{}-{}-{} n={}".format(*s))
@pytest.mark.parametrize("seed", [0, 1])
def test_vectorized_gradient_equals_the_loop(sizes, seed):
    N, data, target = sizedProblem(*sizes, seed=seed)
    assertSameNumbers(vectorizedNumericalGradient(N, data, target),
                      loopNumericalGradient(N, data, target))


@pytest.mark.parametrize("epsilon", [1e-3, 1e-4, 1e-5])
def test_vectorized_gradient_equals_the_loop_at_every_epsilon(epsilon):
    N, data, target = sizedProblem(6, 7, 3, 5)
    assertSameNumbers(vectorizedNumericalGradient(N, data, target, epsilon=epsilon),
                      loopNumericalGradient(N, data, target, epsilon=epsilon))


@pytest.mark.parametrize("seed", range(10))
def test_vectorized_gradient_matches_complex_step(seed, referenceGradient):
    N = seededNetwork(seed)
    ref1, ref2 = referenceGradient(N.W1, N.W2, X, y)
    np.testing.assert_allclose(vectorizedNumericalGradient(N, X, y),
                               np.concatenate((ref1.ravel(), ref2.ravel())), rtol=1e-7)


def test_vectorized_gradient_is_closer_to_the_exact_difference_than_the_loop():
    """Summing J(+) - J(-) term by term avoids the loop's cancellation of two totals: against
    the same centered differences evaluated in extended precision, the fast path is closer."""
    N, data, target = sizedProblem(12, 10, 4, 20)
    exact = extendedPrecisionDifferences(N, data, target, 1e-4)
    fastError = np.linalg.norm(vectorizedNumericalGradient(N, data, target) - exact)
    loopError = np.linalg.norm(loopNumericalGradient(N, data, target) - exact)
    assert fastError < loopError


def extendedPrecisionDifferences(N, data, target, epsilon):
    """The loop's centered differences (same perturbed float64 weights), costs in long double."""
    params, long = N.getParams(), np.longdouble
    W1_end = N.W1.size
    slopes = []
    for p in range(len(params)):
        costs = []
        for step in (epsilon, -epsilon):
            shifted = params.copy()
            shifted[p] += step
            shifted = shifted.astype(long)
            W1 = shifted[:W1_end].reshape(N.W1.shape)
            W2 = shifted[W1_end:].reshape(N.W2.shape)
            yHat = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(data.astype(long) @ W1))) @ W2)))
            costs.append(np.sum((target.astype(long) - yHat) ** 2) / 2)
        slopes.append(float((costs[0] - costs[1]) / (2 * long(epsilon))))
    return np.array(slopes)


@pytest.mark.parametrize("chunkSize", [1, 3, 8, 50, 10_000])
def test_chunk_size_changes_only_the_last_bits(chunkSize):
    N, data, target = sizedProblem(30, 20, 10, 16)
    default = vectorizedNumericalGradient(N, data, target)
    chunked = vectorizedNumericalGradient(N, data, target, chunkSize=chunkSize)
    assertSameNumbers(chunked, default, tolerance=1e-14)


@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "{}-{}-{} n={}".format(*s))
def test_vectorized_gradient_is_structured_slopes_bit_for_bit(sizes):
    """allSlopes (the vectorized gradient's and a full check's) rearranges structuredSlopes'
    arithmetic (the code notebook 12 builds, which a sparse check runs) without changing a
    rounding: same numbers, so a sparse check's slopes are the full gradient's. (Where numpy adds
    structuredSlopes' terms pairwise, with one output and 8 or more examples, or one input, only
    the last bits may differ.)"""
    N, data, target = sizedProblem(*sizes)
    net, epsilon = fastGradients.withParams(N, N.getParams()), 1e-4
    reference = fastGradients.structuredSlopes(net, data, target, epsilon,
                                               np.arange(N.getParams().size))
    assert np.array_equal(vectorizedNumericalGradient(N, data, target), reference)


@pytest.mark.parametrize(("batchFloats", "chunkSize", "layout"), [
    (2**15, None, (30, 30, 1, 20, 30)),  # one batch per unit, all units in one panel
    (2**15, 7, (6, 6, 5, 20, 30)),  # equal batches
    (2**15, 8, (8, 8, 4, 20, 32)),  # a padded last batch: 6 inputs and 2 zero steps
    (16 * 96, 8, (8, 8, 4, 3, 32)),  # panels of 3 whole units, the last of 2
    (16 * 24, 8, (8, 8, 4, 1, 24)),  # panels of 3 batches of one unit, the last of 1
    (64, 8, (8, 8, 4, 1, 8)),  # one batch per panel
    (64, 1, (1, 2, 30, 1, 4))])  # one weight per batch, beside a zero step
def test_every_batch_and_panel_layout_gives_the_same_numbers(monkeypatch, batchFloats,
                                                             chunkSize, layout):
    N, data, target = sizedProblem(30, 20, 10, 16)
    default = vectorizedNumericalGradient(N, data, target)
    monkeypatch.setattr(fastGradients, "BATCH_FLOATS", batchFloats)
    assert fastGradients.layoutOfBatches(16, 30, 20, chunkSize or 2**15 // 160) == layout
    assert np.array_equal(vectorizedNumericalGradient(N, data, target, chunkSize=chunkSize),
                          default)


def test_a_batch_of_one_weight_is_computed_with_a_zero_step_beside_it():
    """A matrix product with one column would be a matrix-vector product (other rounding): a
    batch of one weight gets a padding column, and its slope is the weight's own."""
    layout = fastGradients.layoutOfBatches(5, 1, 4, 256)
    assert (layout.take, layout.width, layout.batches) == (1, 2, 1)
    N, data, target = sizedProblem(1, 4, 3, 5)
    assertSameNumbers(vectorizedNumericalGradient(N, data, target),
                      loopNumericalGradient(N, data, target))


def test_outputs_beyond_exp_overflow_give_the_loops_numbers():
    """|z3| > 700 (e^z3 would overflow): the unfactored sigmoids, finite numbers, the loop's."""
    N, data, target = sizedProblem(4, 5, 2, 7, seed=3)
    N.W2[:, 0] = 1000 * np.abs(N.W2[:, 0])  # a2 > 0: z3[:, 0] > 700 (output 0 saturated)
    N.forward(data)
    assert np.min(N.z3[:, 0]) > 700 and np.max(np.abs(N.z3[:, 1])) < 10
    fast = vectorizedNumericalGradient(N, data, target)
    assert np.all(np.isfinite(fast))
    assertSameNumbers(fast, loopNumericalGradient(N, data, target))


def test_vectorized_gradient_leaves_the_network_alone():
    N, data, target = sizedProblem(5, 9, 3, 11)
    before = {name: getattr(N, name) for name in ("W1", "W2")}
    assertUntouched(N, lambda: vectorizedNumericalGradient(N, data, target))
    assert all(getattr(N, name) is array for name, array in before.items())
    assert not hasattr(N, "z2") and not hasattr(N, "yHat")  # not even its cached forward pass


class ScalingInPlace(ScalingItsX, Neural_Network):
    """The tutorial's network, scaling its X in place before every cost and backprop."""


@pytest.mark.parametrize("call", [
    loopNumericalGradient, computeNumericalGradient, checkGradient,
    functools.partial(checkGradient, method="directional")])
def test_a_network_that_writes_into_its_X_never_reaches_the_callers(call):
    data, before = X.copy(), X.copy()
    call(seededNetwork(cls=ScalingInPlace), data, y)
    assert np.array_equal(data, before)


class CountingReads(Neural_Network):
    """The course's network, counting its getParams calls (``reads``)."""

    reads = 0

    def getParams(self):
        self.reads += 1
        return super().getParams()


class CountingReadsOwnCost(CountingReads):
    """The same with a cost of its own (the same cost): it gets the loop."""

    def costFunction(self, X, y):
        return super().costFunction(X, y)


def test_the_loop_path_reads_the_weights_as_the_loop_does():
    for function in [loopNumericalGradient, computeNumericalGradient]:
        N = seededNetwork(cls=CountingReadsOwnCost)
        function(N, X, y)
        assert N.reads == 2, function.__name__  # the copy, then the round trip


def test_one_dimensional_y_is_read_as_a_column():
    N = seededNetwork()
    assert np.array_equal(vectorizedNumericalGradient(N, X, y.ravel()),
                          vectorizedNumericalGradient(N, X, y))


def test_memory_stays_bounded_at_101632_weights():
    """784-128-10 with 32 examples: the extra memory is a few MiB, far below 256 MiB."""
    N, data, target = sizedProblem(784, 128, 10, 32)
    tracemalloc.start()
    try:
        vectorizedNumericalGradient(N, data, target)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20, f"peak {peak / 2**20:.1f} MiB"


# --- which path: the fast one only for the cost it knows ------------------------------------------

def test_fast_path_applies_to_the_course_network_and_to_other_backprops():
    assert onFastPath(seededNetwork())
    assert onFastPath(seededNetwork(sizes=(4, 5, 2)))
    assert onFastPath(seededNetwork(cls=ForgetfulNetwork))  # checking backprop is the point
    assert onFastPath(seededNetwork(cls=OneFlippedWeight))


@pytest.mark.parametrize("method", fastGradients.COST_METHODS)
def test_fast_path_does_not_apply_when_a_method_it_relies_on_is_overridden(method):
    """Even an override that calls the original is the network's own code: the loop runs it."""
    Custom = type("Custom", (Neural_Network,),
                  {method: lambda self, *args: getattr(Neural_Network, method)(self, *args)})
    N, data, target = sizedProblem(4, 5, 2, 7, cls=Custom)
    assert not onFastPath(N)
    assert np.array_equal(computeNumericalGradient(N, data, target),
                          loopNumericalGradient(N, data, target))


@pytest.mark.parametrize("method", fastGradients.VECTOR_METHODS)
def test_an_override_of_the_weight_vector_keeps_the_fast_path_if_the_layout_is_the_tutorials(
        method):
    """What the fast path relies on is the layout (W1 then W2), checked at the weights."""
    Custom = type("Custom", (Neural_Network,),
                  {method: lambda self, *args: getattr(Neural_Network, method)(self, *args)})
    N, data, target = sizedProblem(4, 5, 2, 7, cls=Custom)
    assert onFastPath(N)


class OutputLayerFirst(Neural_Network):
    """The same weights, W2's laid out before W1's: the fast path's layout no longer holds."""

    def getParams(self):
        return np.concatenate((self.W2.ravel(), self.W1.ravel()))

    def setParams(self, params):
        end = self.W2.size
        self.W2 = np.array(params[:end]).reshape(self.W2.shape)
        self.W1 = np.array(params[end:]).reshape(self.W1.shape)


def test_another_layout_gets_the_loop():
    N, data, target = sizedProblem(4, 5, 2, 7, cls=OutputLayerFirst)
    assert not onFastPath(N)
    reference = sizedProblem(4, 5, 2, 7)[0]
    numgrad = computeNumericalGradient(N, data, target)
    expected = loopNumericalGradient(reference, data, target)
    assert np.array_equal(numgrad[:N.W2.size], expected[N.W1.size:])


class W2ColumnByColumn(Neural_Network):
    """W1 as the tutorial lays it out, W2 column by column: only the second part differs."""

    def getParams(self):
        return np.concatenate((self.W1.ravel(), self.W2.T.ravel()))

    def setParams(self, params):
        end = self.W1.size
        self.W1 = np.array(params[:end]).reshape(self.W1.shape)
        self.W2 = np.array(params[end:]).reshape(self.W2.shape[::-1]).T


def test_a_second_layer_in_another_layout_gets_the_loop():
    N, data, target = sizedProblem(4, 5, 2, 7, cls=W2ColumnByColumn)
    assert not onFastPath(N)
    assert np.array_equal(computeNumericalGradient(N, data, target),
                          loopNumericalGradient(N, data, target))


def test_weights_shaped_against_the_layer_sizes_get_the_loop_and_its_error():
    """The fast path splits the weights by the layer sizes: weights of other shapes (a hidden
    layer of 4 where the network says 3) never reach it, and the loop's round trip refuses
    them (setParams takes 9 weights), leaving them as they were."""
    N = seededNetwork()
    N.W1, N.W2 = np.ones((2, 4)), np.ones((4, 1))
    assert not onFastPath(N)
    with pytest.raises(ValueError, match=r"9 weights; got shape \(12,\)"):
        computeNumericalGradient(N, X, y)
    assert np.array_equal(N.W1, np.ones((2, 4))) and np.array_equal(N.W2, np.ones((4, 1)))


def test_equal_weights_in_another_layout_get_the_loop():
    """With every weight equal, W2-first values look like the tutorial's layout: only partFive's
    own getParams is taken at its word; another's needs weights that tell the layout."""
    N, data, target = sizedProblem(4, 5, 2, 7, cls=OutputLayerFirst)
    N.W1, N.W2 = np.full_like(N.W1, 0.5), np.full_like(N.W2, 0.5)
    assert not onFastPath(N)
    reference = sizedProblem(4, 5, 2, 7)[0]
    reference.W1, reference.W2 = N.W1.copy(), N.W2.copy()
    assert onFastPath(reference)
    numgrad = computeNumericalGradient(N, data, target)
    assert np.array_equal(numgrad[:N.W2.size], loopNumericalGradient(reference, data,
                                                                     target)[N.W1.size:])


def test_a_float32_network_stays_float32_and_gives_the_same_verdict_twice():
    N = seededNetwork()
    N.W1, N.W2 = N.W1.astype(np.float32), N.W2.astype(np.float32)
    before = N.getParams()
    verdicts = [checkGradient(N, X, y).status for _ in range(2)]
    assert verdicts[0] == verdicts[1]
    assert N.W1.dtype == N.W2.dtype == np.float32 and np.array_equal(N.getParams(), before)


def test_fast_path_does_not_apply_to_an_instance_override():
    N = seededNetwork()
    N.costFunction = lambda X, y: 0.0
    assert not onFastPath(N)


@pytest.mark.parametrize("thing", [partFour.Neural_Network(), None, "network", 3])
def test_fast_path_does_not_apply_to_other_things(thing):
    assert not onFastPath(thing)


def test_a_network_with_its_own_cost_gets_the_loop():
    N, data, target = sizedProblem(4, 5, 2, 7, cls=WeightDecayCost)
    numgrad = computeNumericalGradient(N, data, target)
    assert np.array_equal(numgrad, loopNumericalGradient(N, data, target))
    plain, _, _ = sizedProblem(4, 5, 2, 7)
    difference = numgrad - vectorizedNumericalGradient(plain, data, target)
    np.testing.assert_allclose(difference, N.decay * N.getParams(), rtol=1e-6)  # decay's slope


def test_the_fast_function_refuses_a_cost_it_does_not_know():
    N = seededNetwork(cls=WeightDecayCost)
    message = str(pytest.raises(TypeError, assertUntouched, N,
                                lambda: vectorizedNumericalGradient(N, X, y)).value)
    assert "WeightDecayCost" in message and "costFunction" in message
    assert "computeNumericalGradient" in message


def test_computeNumericalGradient_takes_the_fast_path_for_the_course_network(monkeypatch):
    def refuse(*args, **options):
        raise AssertionError("the loop ran")

    monkeypatch.setattr(measure, "loopGradient", refuse)  # the loop, on validated inputs
    N = seededNetwork()
    assert np.array_equal(computeNumericalGradient(N, X, y), vectorizedNumericalGradient(N, X, y))
    with pytest.raises(AssertionError, match="the loop ran"):
        computeNumericalGradient(seededNetwork(cls=WeightDecayCost), X, y)


def test_the_course_networks_numbers_are_what_the_notebooks_print():
    """The fast path prints the loop's digits for the tutorial's network (test_stability.py
    checks seeds 0..9 against re-ordered arithmetic)."""
    N = seededNetwork()
    fast, loop = computeNumericalGradient(N, X, y), loopNumericalGradient(N, X, y)
    assert [f"{g:.8f}" for g in fast] == [f"{g:.8f}" for g in loop]
    assert f"{checkGradient(N, X, y).relativeError:.1e}" == "5.4e-10"


# --- the sparse check -----------------------------------------------------------------------------

def test_random_coordinates_are_sorted_distinct_and_seeded():
    first = randomCoordinates(100, 101_632, seed=3)
    assert len(set(first)) == 100 and np.all(np.diff(first) > 0)
    assert np.array_equal(first, randomCoordinates(100, 101_632, seed=3))
    assert not np.array_equal(first, randomCoordinates(100, 101_632, seed=4))
    assert np.array_equal(randomCoordinates(9, 9), np.arange(9))


def test_random_streams_are_the_same_on_every_numpy():
    """The seeded streams (default_rng): these values hold on numpy 1.26 and 2.x (if a numpy
    release ever changes them, the notebooks' seeded results would change too)."""
    np.testing.assert_array_equal(randomCoordinates(3, 1000, seed=0), [511, 636, 848])
    # the directions' stream: default_rng(seed).standard_normal in float32 (was Box-Muller
    # from SFC64's raw words); checked on numpy 1.26.0 and 2.4.6
    first = next(randomDirections(1, 4, seed=0))
    np.testing.assert_allclose(first, [0.5587474362, -0.6934835454, -0.2132615395,
                                       -0.4017479192], rtol=1e-7)
    odd = next(randomDirections(1, 5, seed=3))
    np.testing.assert_allclose(odd, [0.9731577268, 0.0574769867, -0.2064104619,
                                     -0.0389362968, 0.0744252705], rtol=1e-7)


def test_random_directions_are_gaussian():
    """The miss probabilities assume Gaussian directions: the entries of a direction times
    sqrt(P) are independent standard normal numbers (Kolmogorov-Smirnov, and no correlation
    between the two halves of a direction)."""
    size = 200_001
    for seed in range(3):
        v = next(randomDirections(1, size, seed=seed)) * math.sqrt(size)
        assert stats.kstest(v, "norm").pvalue > 1e-3
        half = (size + 1) // 2
        assert abs(np.corrcoef(v[:half - 1], v[half:])[0, 1]) < 5 / math.sqrt(half)
        assert abs(np.mean(v**4) - 3) < 0.05  # the normal's fourth moment
    draws = list(randomDirections(3, 1000, seed=5))  # successive directions differ
    assert not np.array_equal(draws[0], draws[1]) and not np.array_equal(draws[1], draws[2])


@pytest.mark.parametrize("cls", [Neural_Network, WeightDecayCost])
def test_sparse_slopes_are_the_loops_at_the_chosen_weights(cls):
    N, data, target = sizedProblem(16, 8, 4, 9, cls=cls)
    positions, backprop, numerical = assertUntouched(
        N, lambda: coordinateSlopes(N, data, target, coordinates=20, seed=1))
    loop = loopNumericalGradient(N, data, target)[positions]
    if cls is WeightDecayCost:
        assert np.array_equal(numerical, loop)  # the generic path is the loop, bit for bit
    else:
        assertSameNumbers(numerical, loop)
    assert np.array_equal(backprop, N.computeGradients(data, target)[positions])


def test_sparse_slopes_on_the_fast_path_are_the_full_gradients_entries():
    N, data, target = sizedProblem(30, 20, 10, 16)
    positions, _, numerical = coordinateSlopes(N, data, target, coordinates=57, seed=2)
    assertSameNumbers(numerical, vectorizedNumericalGradient(N, data, target)[positions], 1e-14)


@pytest.mark.parametrize("sizes", [(30, 20, 10, 16), (5, 4, 1, 40), (1, 8, 3, 20)])
def test_a_full_check_on_the_fast_path_compares_the_vectorized_gradient_bit_for_bit(sizes):
    # one output or one input with many examples: numpy adds structuredSlopes' terms pairwise
    N, data, target = sizedProblem(*sizes)
    for tolerance in [None, 1e-7]:
        check = checkGradient(N, data, target, method="full", tolerance=tolerance)
        assert np.array_equal(check.numgrad, vectorizedNumericalGradient(N, data, target))


def test_the_fast_path_reads_the_weights_once():
    assert onFastPath(seededNetwork(cls=CountingReads))
    for function in [computeNumericalGradient, vectorizedNumericalGradient]:
        N = seededNetwork(cls=CountingReads)
        function(N, X, y)
        assert N.reads == 1, function.__name__


def test_sparse_slopes_of_only_output_weights():
    N = seededNetwork()
    positions, _, numerical = coordinateSlopes(N, X, y, coordinates=1, seed=7)
    assert positions.tolist() == [8]  # W2[2, 0]
    assertSameNumbers(numerical, loopNumericalGradient(N, X, y)[positions])


def test_sparse_miss_probability_is_the_hypergeometric_one():
    for size, m, b in [(9, 3, 1), (9, 3, 2), (20, 5, 4), (101_632, 100, 1), (10, 8, 3)]:
        expected = math.comb(size - b, m) / math.comb(size, m)
        assert sparseMissProbability(m, b, size) == pytest.approx(expected, rel=1e-10)
    assert sparseMissProbability(100, 1, 101_632) == pytest.approx(1 - 100 / 101_632)


# --- the directional check ------------------------------------------------------------------------

def test_random_directions_are_unit_vectors_drawn_with_the_seed():
    vectors = list(randomDirections(3, 50, seed=7))
    assert len(vectors) == 3
    np.testing.assert_allclose([np.linalg.norm(v) for v in vectors], 1.0, rtol=1e-14)
    again = list(randomDirections(3, 50, seed=7))
    assert all(np.array_equal(a, b) for a, b in zip(vectors, again))
    assert not np.array_equal(vectors[0], next(randomDirections(1, 50, seed=8)))


def test_random_directions_are_the_normalised_float32_draws_each_in_its_own_array():
    generator = np.random.default_rng(4)
    vectors = list(randomDirections(3, 1001, seed=4))
    for v in vectors:  # the documented recipe, bit for bit
        draw = generator.standard_normal(1001, dtype=np.float32).astype(float)
        assert v.dtype == np.float64 and np.array_equal(v, draw / np.linalg.norm(draw))
    assert not any(np.shares_memory(a, b) for a, b in zip(vectors, vectors[1:]))


def plainDirectionalSlopes(net, data, target, steps, epsilons):
    """knownDifferences as plain formulas: both forward passes per direction and step size,
    slopesFromPredictions summed over the outputs."""
    z2, sigmoid = data @ net.W1, fastGradients.sigmoid
    slopes = []
    for v in steps:
        V1, V2 = v[:net.W1.size].reshape(net.W1.shape), v[net.W1.size:].reshape(net.W2.shape)
        shift = data @ V1
        for epsilon in epsilons:
            a2 = sigmoid(np.stack((z2 + epsilon * shift, z2 - epsilon * shift)))
            up, down = sigmoid(a2 @ np.stack((net.W2 + epsilon * V2, net.W2 - epsilon * V2)))
            slopes.append(fastGradients.slopesFromPredictions(up, down, target, epsilon).sum())
    return np.array(slopes).reshape(-1, len(epsilons)).T


@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "{}-{}-{} n={}".format(*s))
@pytest.mark.parametrize("group", [None, 1, 2], ids=["one group", "groups of 1", "2 and 1"])
def test_directional_slopes_are_the_plain_formulas_bit_for_bit(monkeypatch, sizes, group):
    """knownDifferences works in preallocated arrays, a group of directions at a time, with the
    sigmoids' arguments negated and small matrix products for the steps: the same roundings
    as the plain formulas."""
    N, data, target = sizedProblem(*sizes, seed=1)
    if group:  # the group's activations: 2 sides x 3 step sizes x n x H numbers per direction
        monkeypatch.setattr(fastGradients, "BATCH_FLOATS", group * 6 * sizes[3] * sizes[1])
    net = fastGradients.withParams(N, N.getParams())
    steps = list(randomDirections(3, N.getParams().size, seed=5))
    epsilons = (1e-4, 2e-4, 1e-2)
    assert np.array_equal(fastGradients.knownDifferences(net, data, target, iter(steps), epsilons),
                          plainDirectionalSlopes(net, data, target, steps, epsilons))


def test_directional_slopes_are_what_they_say():
    N, data, target = sizedProblem(5, 9, 3, 11)
    backprop, numerical = assertUntouched(
        N, lambda: directionalSlopes(N, data, target, directions=4, seed=2))
    grad, params = N.computeGradients(data, target), N.getParams()
    for v, b, n in zip(randomDirections(4, len(params), seed=2), backprop, numerical):
        assert b == pytest.approx(grad @ v, rel=1e-14)
        N.setParams(params + 1e-4 * v)
        up = N.costFunction(data, target)
        N.setParams(params - 1e-4 * v)
        down = N.costFunction(data, target)
        N.setParams(params)
        assert n == pytest.approx((up - down) / 2e-4, rel=1e-9)  # the network's own cost
        assert n == pytest.approx(b, rel=1e-6)


class SameCostOwnCode(Neural_Network):
    """The course's cost through an override: the fast path must not assume, so it steps aside."""

    def costFunction(self, X, y):
        return super().costFunction(X, y)


def test_fast_and_generic_paths_give_the_same_directional_slopes():
    N, data, target = sizedProblem(16, 8, 4, 9)
    same, _, _ = sizedProblem(16, 8, 4, 9, cls=SameCostOwnCode)
    assert not onFastPath(same)
    fast = directionalSlopes(N, data, target, directions=5, seed=3)
    generic = directionalSlopes(same, data, target, directions=5, seed=3)
    assert np.array_equal(fast[0], generic[0])  # backprop's slopes
    assertSameNumbers(fast[1], generic[1])


@pytest.mark.parametrize("cls", [Neural_Network, SameCostOwnCode], ids=["fast", "generic"])
def test_several_step_sizes_share_the_directions(cls, monkeypatch):
    """The derived rule's slopes at epsilon and 2 epsilon come from one draw of the directions:
    each row is what a run at that one step size gives, and the directions are drawn once."""
    N, data, target = sizedProblem(16, 8, 4, 9, cls=cls)
    prepared = preparedNetwork(N, data, target, epsilon=1e-4)
    grad = N.computeGradients(data, target)
    fast = onFastPath(N)
    draws = []

    def counted(count, size, seed=0):
        draws.append(count)
        return randomDirections(count, size, seed)

    monkeypatch.setattr(measure, "randomDirections", counted)
    backprop, both, _ = directionalEstimates(N, prepared, 3, (1e-4, 2e-4), 5, grad, False, fast)
    assert draws == [3] and both.shape == (2, 3)
    for row, epsilon in enumerate((1e-4, 2e-4)):
        alone = directionalEstimates(N, prepared, 3, (epsilon,), 5, grad, False, fast)
        assert np.array_equal(alone[0], backprop) and np.array_equal(alone[1][0], both[row])
    positions = np.array([0, 7, 40, 100])
    slopes, _ = coordinateEstimates(N, prepared, positions, (1e-4, 2e-4), False, fast)
    for row, epsilon in enumerate((1e-4, 2e-4)):
        alone, _ = coordinateEstimates(N, prepared, positions, (epsilon,), False, fast)
        assert np.array_equal(alone[0], slopes[row])


def test_directional_slopes_of_a_custom_cost_use_its_cost():
    N, data, target = sizedProblem(5, 9, 3, 11, cls=WeightDecayCost)
    backprop, numerical = directionalSlopes(N, data, target, directions=3, seed=1)
    plain, _, _ = sizedProblem(5, 9, 3, 11)
    _, plainNumerical = directionalSlopes(plain, data, target, directions=3, seed=1)
    decay = [N.decay * N.getParams() @ v for v in randomDirections(3, len(N.getParams()), 1)]
    np.testing.assert_allclose(numerical - plainNumerical, decay, rtol=1e-5)


def test_directional_check_catches_a_bug_in_every_weight_of_a_layer():
    result = checkGradient(seededNetwork(cls=ForgetfulNetwork), X, y, method="directional")
    assert not result.passed and result.relativeError > 1e-3


def test_directional_check_catches_a_one_weight_bug():
    for seed in range(20):
        result = checkGradient(seededNetwork(cls=OneFlippedWeight), X, y, method="directional",
                               seed=seed)
        assert not result.passed


def test_miss_probability_is_fishers_F():
    for k in range(1, 9):
        for ratio in [1e-12, 1e-6, 1e-3, 0.1, 0.5, 0.99, 1, 3, 30]:
            error, tolerance = 1.0, math.sqrt(ratio)
            expected = stats.f.cdf(ratio, k, k)
            assert missProbability(k, error, tolerance) == pytest.approx(expected, rel=1e-9,
                                                                          abs=1e-300)


def test_miss_probability_matches_an_experiment():
    """A sign flipped on one weight makes the error orthogonal to grad + numgrad (that weight's
    entry of the sum is ~0), the worst case of missProbability. With the tolerance set where
    one direction should miss 30% of the time, 400 seeds miss about that often."""
    N = seededNetwork(cls=OneFlippedWeight)
    full = checkGradient(N, X, y, method="full").relativeError
    tolerance = full * math.tan(math.pi / 2 * 0.3)
    assert missProbability(1, full, tolerance) == pytest.approx(0.3, rel=1e-12)
    misses = sum(checkGradient(N, X, y, tolerance=tolerance, method="directional",
                               directions=1, seed=seed).passed for seed in range(400))
    assert abs(misses / 400 - 0.3) < 4 * math.sqrt(0.3 * 0.7 / 400), misses


def test_confined_bug_error_and_default_directions():
    assert confinedBugError(1, 101_632) == pytest.approx(math.sqrt(1 / 406_529))
    assert confinedBugError(9, 9) == pytest.approx(math.sqrt(1 / 5))
    assert missProbability(1, confinedBugError(1, 101_632)) > 1e-6 > \
        missProbability(2, confinedBugError(1, 101_632))
    assert defaultDirections(101_632) == 2
    assert defaultDirections(9) == 1
    assert defaultDirections(10**9) == 3


# --- checkGradient's methods ----------------------------------------------------------------------

def test_full_check_with_the_fixed_rule_prints_as_before():
    assert repr(checkGradient(seededNetwork(), X, y, tolerance=1e-7)) == (
        "GradientCheck passed: relative error 5.4e-10 <= tolerance 1e-07 (epsilon 0.0001; "
        "largest difference at W2[0, 0])")


def test_fast_checks_say_what_they_compared():
    N = seededNetwork()
    directional = checkGradient(N, X, y, method="directional", directions=3, seed=4)
    assert directional.method == "directional" and directional.grad.shape == (3,)
    assert "3 random directions, seed 4; epsilon" in repr(directional)
    sparse = checkGradient(N, X, y, method="sparse", coordinates=5, seed=1)
    assert sparse.method == "sparse" and sparse.numgrad.shape == (5,)
    assert "5 random weights, seed 1; epsilon" in repr(sparse)
    assert re.fullmatch(r"W[12]\[\d, \d\]", sparse.worstWeight)
    assert checkGradient(N, X, y, method="sparse", coordinates=1).checked.startswith("1 random "
                                                                                      "weight,")


@pytest.mark.parametrize("method", ["full", "directional", "sparse"])
def test_every_method_passes_a_correct_network_and_fails_a_buggy_one(method):
    for seed in range(5):
        N, data, target = sizedProblem(6, 7, 3, 5, seed=seed)
        assert checkGradient(N, data, target, method=method, seed=seed).passed
        buggy, data, target = sizedProblem(6, 7, 3, 5, seed=seed, cls=ForgetfulNetwork)
        assert not checkGradient(buggy, data, target, method=method, seed=seed).passed


def test_auto_checks_every_weight_when_that_is_cheap(monkeypatch):
    N = seededNetwork(sizes=(10, 10, 10))  # 200 weights
    assert checkGradient(N, np.ones((2, 10)), np.ones((2, 10)) / 2).method == "full"
    monkeypatch.setitem(check.FULL_CHECK_WEIGHTS, "fast", 199)
    assert checkGradient(N, np.ones((2, 10)), np.ones((2, 10)) / 2).method == "directional"
    custom = seededNetwork(cls=WeightDecayCost, sizes=(10, 10, 10))
    assert checkGradient(custom, np.ones((2, 10)), np.ones((2, 10)) / 2).method == "full"
    monkeypatch.setitem(check.FULL_CHECK_WEIGHTS, "loop", 199)
    assert checkGradient(custom, np.ones((2, 10)), np.ones((2, 10)) / 2).method == "directional"


# --- bad input: a clear error, and the weights untouched ------------------------------------------

def assertRejected(error, call, *mentions, N=None):
    """Assert call() raises ``error`` mentioning every one of ``mentions``, weights unchanged."""
    N = N if N is not None else seededNetwork()
    W1, W2 = N.W1.copy(), N.W2.copy()
    with pytest.raises(error) as info:
        call(N)
    for mention in mentions:
        assert mention in str(info.value), f"{mention!r} not in {str(info.value)!r}"
    assert np.array_equal(N.W1, W1) and np.array_equal(N.W2, W2), "weights changed"


@pytest.mark.parametrize(("directions", "error"), [
    (0, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError), ("2", TypeError),
    (2.0, TypeError)])
def test_bad_number_of_directions(directions, error):
    assertRejected(error, lambda N: DIRECTIONAL(N, X, y, directions=directions), "directions",
                   repr(directions), "whole number >= 1")


@pytest.mark.parametrize(("coordinates", "error"), [
    (0, ValueError), (-3, ValueError), (10, ValueError), (2.5, TypeError), (None, None)])
def test_bad_number_of_coordinates(coordinates, error):
    if error is None:  # None means the default: min(100, P) = 9 for the tutorial
        check = checkGradient(seededNetwork(), X, y, method="sparse", coordinates=coordinates)
        assert len(check.weights) == 9
        return
    assertRejected(error, lambda N: SPARSE(N, X, y, coordinates=coordinates), "coordinates",
                   repr(coordinates), "from 1 to 9")


@pytest.mark.parametrize(("seed", "error"), [
    (-1, ValueError), (1.5, TypeError), ("0", TypeError), (None, TypeError)])
def test_bad_seed(seed, error):
    for call in [lambda N: checkGradient(N, X, y, method="directional", seed=seed),
                 lambda N: checkGradient(N, X, y, method="sparse", seed=seed)]:
        assertRejected(error, call, "seed", repr(seed), "whole number >= 0")


@pytest.mark.parametrize(("chunkSize", "error"), [
    (0, ValueError), (-8, ValueError), (2.5, TypeError), (True, TypeError), ("64", TypeError),
    (10**12, ValueError)])
def test_bad_chunk_size(chunkSize, error):
    assertRejected(error, lambda N: vectorizedNumericalGradient(N, X, y, chunkSize=chunkSize),
                   "chunkSize", repr(chunkSize), "MiB")


@pytest.mark.parametrize("epsilon", [0, -1e-4, np.nan, np.inf])
@pytest.mark.parametrize("function", [vectorizedNumericalGradient, DIRECTIONAL, SPARSE])
def test_bad_epsilon(function, epsilon):
    assertRejected(ValueError, lambda N: function(N, X, y, epsilon=epsilon), "epsilon",
                   repr(float(epsilon)))


@pytest.mark.parametrize("epsilon", ["1e-4", None, True])
@pytest.mark.parametrize("method", ["directional", "sparse"])
def test_epsilon_not_a_number(method, epsilon):
    assertRejected(TypeError, lambda N: checkGradient(N, X, y, epsilon=epsilon, method=method),
                   "epsilon", repr(epsilon))


@pytest.mark.parametrize("function", [vectorizedNumericalGradient, DIRECTIONAL, SPARSE])
def test_bad_data(function):
    assertRejected(ValueError, lambda N: function(N, np.hstack((X, X[:, :1])), y), "2 columns",
                   "(3, 3)")
    bad = y.copy()
    bad[1, 0] = np.nan
    assertRejected(ValueError, lambda N: function(N, X, bad), "y", "finite", "nan")


@pytest.mark.parametrize("function", [vectorizedNumericalGradient, DIRECTIONAL, SPARSE])
def test_not_a_course_network(function):
    np.random.seed(0)
    old = partFour.Neural_Network()
    assertRejected(TypeError, lambda N: function(N, X, y), "getParams",
                   "partFour.Neural_Network", N=old)


def test_non_finite_weights_are_refused_like_the_loop_refuses_them():
    N = seededNetwork()
    N.W1[0, 1] = np.nan
    for function in [loopNumericalGradient, vectorizedNumericalGradient, computeNumericalGradient]:
        with pytest.raises(ValueError, match="finite.*index 1"):
            function(N, X, y)


@pytest.mark.parametrize(("method", "message", "error"), [
    ("fast", "'auto', 'full', 'directional', 'sparse'", ValueError),
    ("Full", "got 'Full'", ValueError), (None, "got NoneType None", TypeError),
    (3, "got int 3", TypeError)])
def test_bad_method(method, message, error):
    assertRejected(error, lambda N: checkGradient(N, X, y, method=method), "method", message)


@pytest.mark.parametrize(("keyword", "method"), [
    ("directions", "full"), ("directions", "sparse"), ("directions", "auto"),
    ("coordinates", "directional"), ("coordinates", "full")])
def test_a_count_for_another_method(keyword, method):
    assertRejected(ValueError, lambda N: checkGradient(N, X, y, method=method, **{keyword: 3}),
                   f"{keyword} is used only by method=", f"method={method!r}")


@pytest.mark.parametrize(("call", "mention"), [
    (lambda: missProbability(0, 1e-3), "directions"),
    (lambda: missProbability(2, 0), "relativeError"),
    (lambda: missProbability(2, 1e-3, -1e-7), "tolerance"),
    (lambda: confinedBugError(0, 10), "buggyWeights"),
    (lambda: confinedBugError(11, 10), "buggyWeights"),
    (lambda: sparseMissProbability(11, 1, 10), "coordinates"),
    (lambda: randomCoordinates(0, 10), "coordinates"),
    (lambda: next(randomDirections(-1, 10)), "directions")])
def test_bad_probability_questions(call, mention):
    with pytest.raises(ValueError, match=mention):
        call()


def test_a_check_round_trips_the_weights_unless_the_methods_are_partFives_own(monkeypatch):
    """partFive's own setParams undoes its getParams by construction, and the fast path never
    calls it: a check leaves it alone. A setParams of another module is still tried, on the fast
    path too, and one that does not undo getParams is refused."""
    calls = []
    original = Neural_Network.setParams

    @functools.wraps(original)  # keeps its module, partFive
    def counted(self, params):
        calls.append(True)
        original(self, params)

    monkeypatch.setattr(Neural_Network, "setParams", counted)
    for method in ("full", "directional", "sparse"):
        assert checkGradient(seededNetwork(), X, y, method=method).passed
    assert not calls

    class Reversed(Neural_Network):
        def setParams(self, params):
            original(self, np.asarray(params)[::-1])

    N = seededNetwork(cls=Reversed)
    assert onFastPath(N)
    with pytest.raises(ValueError, match="setParams must undo getParams"):
        checkGradient(N, X, y)
