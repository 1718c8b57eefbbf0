"""The numbers the notebooks print must not depend on the floating-point evaluation order.

The notebooks print the tutorial network's relative error as f"{r:.1e}" and its gradients as
f"{g:.8f}". Another CPU or BLAS may sum in another order (or use another exp), changing the last
bits. Here two subclasses compute the same maths in a different order, with plain Python floats:

    ReversedSums             every sum (matrix products, the cost, the norms) added back to front
    CorrectlyRoundedSums     every sum by math.fsum, and exp from libm (math.exp), not numpy's

and for seeds 0..9 every printed string must be identical to the module's. The module computes
the numerical gradient on two paths (partFive.computeNumericalGradient picks one), so both are
held to it: the tutorial's loop, and fastGradients' vectorized path, which evaluates the same
centered differences in yet another order (and also with one weight per batch).
"""

import math

import numpy as np
import pytest

import partFive
from bugGallery import GALLERY
from fastGradients import vectorizedNumericalGradient
from partFive import (
    X,
    compareGradients,
    computeNumericalGradient,
    loopNumericalGradient,
    y,
)
from partFour import checkData, checkInputs

SEEDS = range(10)


def reversedSum(terms):
    """Add plain Python floats from the last to the first."""
    total = 0.0
    for term in reversed(list(terms)):
        total += term
    return total


class ReversedSums(partFive.Neural_Network):
    """partFive's network with every sum evaluated back to front, one Python float at a time."""

    total = staticmethod(reversedSum)

    def dot(self, A, B):
        """Matrix product A @ B with each entry summed by self.total."""
        return np.array([[self.total([float(A[i, k]) * float(B[k, j])
                                      for k in range(A.shape[1])])
                          for j in range(B.shape[1])] for i in range(A.shape[0])])

    def forward(self, X):
        X = checkInputs(X, self.inputLayerSize)
        self.z2 = self.dot(X, self.W1)
        self.a2 = self.sigmoid(self.z2)
        self.z3 = self.dot(self.a2, self.W2)
        return self.sigmoid(self.z3)

    def costFunction(self, X, y):
        X, y = checkData(X, y, self.inputLayerSize, self.outputLayerSize)
        self.yHat = self.forward(X)
        return 0.5 * self.total(((y - self.yHat) ** 2).ravel().tolist())

    def costFunctionPrime(self, X, y):
        X, y = checkData(X, y, self.inputLayerSize, self.outputLayerSize)
        self.yHat = self.forward(X)
        delta3 = -(y - self.yHat) * self.sigmoidPrime(self.z3)
        dJdW2 = self.dot(self.a2.T, delta3)
        delta2 = self.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        return self.dot(X.T, delta2), dJdW2

    def relativeError(self, grad, numgrad):
        """compareGradients' norm(grad - numgrad) / norm(grad + numgrad), summed by self.total."""
        pairs = list(zip(grad, numgrad, strict=True))
        difference = math.sqrt(self.total([(g - n) ** 2 for g, n in pairs]))
        return difference / math.sqrt(self.total([(g + n) ** 2 for g, n in pairs]))


class CorrectlyRoundedSums(ReversedSums):
    """Every sum correctly rounded by math.fsum, and the sigmoid built on libm's exp."""

    total = staticmethod(math.fsum)

    def sigmoid(self, z):
        return np.vectorize(lambda v: 1 / (1 + math.exp(-v)), otypes=[float])(z)

    def sigmoidPrime(self, z):
        return np.vectorize(lambda v: math.exp(-v) / (1 + math.exp(-v)) ** 2,
                            otypes=[float])(z)


IMPLEMENTATIONS = [ReversedSums, CorrectlyRoundedSums]


MODULE_PATHS = {
    "loop": loopNumericalGradient,
    "fast": vectorizedNumericalGradient,
    "fast, one weight per batch": lambda N, X, y: vectorizedNumericalGradient(N, X, y,
                                                                              chunkSize=1),
}


def moduleResults(seed, path="fast"):
    """(relative error, backprop gradient, numerical gradient) as partFive computes them, with
    the numerical gradient from MODULE_PATHS[path] ("fast" is what checkGradient uses)."""
    np.random.seed(seed)
    N = partFive.Neural_Network()
    grad, numgrad = N.computeGradients(X, y), MODULE_PATHS[path](N, X, y)
    return compareGradients(grad, numgrad), grad, numgrad


def reorderedResults(seed, cls):
    """The same three numbers from the re-ordered implementation ``cls``."""
    np.random.seed(seed)
    N = cls()
    grad, numgrad = N.computeGradients(X, y), computeNumericalGradient(N, X, y)
    return N.relativeError(grad, numgrad), grad, numgrad


def test_checkGradient_takes_the_fast_path_for_the_tutorials_network():
    """So the "fast" results below are the ones the notebooks print."""
    np.random.seed(0)
    result = partFive.checkGradient(partFive.Neural_Network(), X, y)
    assert np.array_equal(result.numgrad, moduleResults(0, "fast")[2])
    assert result.relativeError == moduleResults(0, "fast")[0]


@pytest.mark.parametrize("path", MODULE_PATHS)
@pytest.mark.parametrize("cls", IMPLEMENTATIONS)
@pytest.mark.parametrize("seed", SEEDS)
def test_printed_relative_error_does_not_depend_on_evaluation_order(seed, cls, path):
    assert f"{reorderedResults(seed, cls)[0]:.1e}" == f"{moduleResults(seed, path)[0]:.1e}"


@pytest.mark.parametrize("path", MODULE_PATHS)
@pytest.mark.parametrize("cls", IMPLEMENTATIONS)
@pytest.mark.parametrize("seed", SEEDS)
def test_printed_gradients_do_not_depend_on_evaluation_order(seed, cls, path):
    _, grad, numgrad = reorderedResults(seed, cls)
    _, moduleGrad, moduleNumgrad = moduleResults(seed, path)
    assert [f"{g:.8f}" for g in grad] == [f"{g:.8f}" for g in moduleGrad]
    assert [f"{g:.8f}" for g in numgrad] == [f"{g:.8f}" for g in moduleNumgrad]


@pytest.mark.parametrize("cls", IMPLEMENTATIONS)
def test_reordered_network_computes_the_same_maths(cls):
    """Guard the comparison: the re-ordered network agrees with partFive to rounding error."""
    np.random.seed(0)
    N = partFive.Neural_Network()
    np.random.seed(0)
    reordered = cls()
    assert reordered.costFunction(X, y) == pytest.approx(N.costFunction(X, y), rel=1e-14)
    np.testing.assert_allclose(reordered.computeGradients(X, y), N.computeGradients(X, y),
                               rtol=1e-12)


@pytest.mark.parametrize("cls", IMPLEMENTATIONS)
def test_reordered_network_really_rounds_differently(cls):
    """Guard the comparison: the last bits do differ, so the tests above mean something.

    (Here they differ at all 10 seeds; at least 8 leaves room for another platform's rounding.)
    """
    differs = np.zeros(3, dtype=int)
    for seed in SEEDS:
        relativeError, grad, numgrad = reorderedResults(seed, cls)
        moduleError, moduleGrad, moduleNumgrad = moduleResults(seed)
        differs += [relativeError != moduleError, not np.array_equal(grad, moduleGrad),
                    not np.array_equal(numgrad, moduleNumgrad)]
    assert np.all(differs >= 8), f"bits differ at {differs} of 10 seeds (error, grad, numgrad)"


def test_the_fast_path_really_rounds_differently_from_the_loop():
    """Guard the comparison: the two module paths differ in the last bits (at all 10 seeds here,
    every one of the 9 entries), so their identical printed digits above mean something."""
    differs = sum(not np.array_equal(moduleResults(seed, "fast")[2], moduleResults(seed, "loop")[2])
                  for seed in SEEDS)
    assert differs >= 8, f"the fast path equals the loop bit for bit at {10 - differs} seeds"


# --- checkGradient's printed report ---------------------------------------------------------------

@pytest.mark.parametrize("cls", IMPLEMENTATIONS)
@pytest.mark.parametrize("seed", SEEDS)
def test_printed_report_does_not_depend_on_evaluation_order(seed, cls):
    """The whole text report (verdict, table, allowances) of a correct network, as notebooks 08
    and 12 print it: the allowances are estimates, printed to one digit."""
    np.random.seed(seed)
    mine = str(partFive.checkGradient(partFive.Neural_Network(), X, y))
    np.random.seed(seed)
    assert str(partFive.checkGradient(cls(), X, y)) == mine


@pytest.mark.parametrize("cls", IMPLEMENTATIONS)
@pytest.mark.parametrize("bug", sorted(GALLERY))
def test_printed_report_of_every_gallery_bug_does_not_depend_on_evaluation_order(bug, cls):
    """The bug hunt (notebook 11) prints every gallery bug's report at seed 0."""
    np.random.seed(0)
    mine = str(partFive.checkGradient(GALLERY[bug](), X, y))
    np.random.seed(0)
    reordered = type(f"Reordered{bug}", (GALLERY[bug], cls), {})()
    assert str(partFive.checkGradient(reordered, X, y)) == mine
