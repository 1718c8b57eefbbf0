"""Part 5 of *Neural Networks Demystified*: numerical gradient checking.

Backpropagation (``costFunctionPrime`` in ``partFour``) is easy to get subtly wrong, and a wrong
gradient fails silently. This module checks it against the definition of the derivative:

    Neural_Network             partFour's network plus getParams / setParams / computeGradients,
                               which treat all the weights as one vector
    loopNumericalGradient      the tutorial's loop: nudge each weight up and down by epsilon;
                               slope of the cost (notebook 06)
    computeNumericalGradient   the same numbers: the loop, or for the network this module knows,
                               fastGradients' vectorized path (notebook 10)
    compareGradients           norm(grad - numgrad) / norm(grad + numgrad)
    checkGradient              all of the above, with a pass/fail verdict (a GradientCheck); for
                               big networks also along random directions or at random weights
    gradientDescent            train with computeGradients, to see what a (wrong) gradient does
    ForgetfulNetwork           a deliberately broken backprop for those demonstrations

``from partFive import *`` gives the data ``X``, ``y``, everything above and the fast checks'
building blocks from ``fastGradients`` (``vectorizedNumericalGradient``, ``directionalSlopes``,
``coordinateSlopes``, ``missProbability``, ...).
"""

import numbers
from dataclasses import dataclass

import numpy as np

import partFour
from fastGradients import (
    checkWholeNumber,
    confinedBugError,
    coordinateSlopes,
    defaultDirections,
    directionalSlopes,
    fastPathApplies,
    missProbability,
    sparseMissProbability,
    vectorizedNumericalGradient,
    weightCount,
)
from partFour import X, checkData, checkFinite, toFloatArray, y

__all__ = ["X", "y", "Neural_Network", "checkData", "checkParams", "checkEpsilon",
           "checkPositive", "checkNetwork", "paramName", "loopNumericalGradient",
           "computeNumericalGradient", "compareGradients", "GradientCheck", "checkGradient",
           "gradientDescent", "fastPathApplies", "vectorizedNumericalGradient",
           "directionalSlopes", "coordinateSlopes", "missProbability", "confinedBugError",
           "sparseMissProbability", "defaultDirections", "ForgetfulNetwork", "verdict"]

METHODS = ("auto", "full", "directional", "sparse")  # the checks checkGradient can run
FULL_CHECK_WEIGHTS = {"loop": 10_000, "fast": 1_000_000}  # "auto" checks every weight up to these


def checkParams(params, count):
    """Validate a weight vector: ``count`` finite numbers in a 1-D array.

    Out: a float copy of ``params``. Raises TypeError or ValueError saying what was expected.
    """
    name = f"params (the {count} weights)"
    params = toFloatArray(params, name)
    if params.shape != (count,):
        raise ValueError(f"params must be a 1-D array of {count} weights; got shape "
                         f"{params.shape}.")
    checkFinite(params, name)
    return params


def checkPositive(value, name, example):
    """Validate a finite number greater than zero called ``name``. Out: value as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number such as {example}; got "
                        f"{type(value).__name__} {value!r}.")
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0, such as {example}; "
                         f"got {value!r}.")
    return value


def checkEpsilon(epsilon):
    """Validate a step size: a finite number greater than zero. Out: epsilon as a float."""
    return checkPositive(epsilon, "epsilon", "1e-4")


class Neural_Network(partFour.Neural_Network):
    """partFour's network, plus helpers that see all its weights as one vector."""

    def getParams(self):
        """Return W1 and W2 unrolled into one 1-D vector (W1's entries first, row by row)."""
        params = np.concatenate((self.W1.ravel(), self.W2.ravel()))
        return params

    def setParams(self, params):
        """Set W1 and W2 from one 1-D vector laid out as getParams returns it.

        Raises TypeError or ValueError (and changes nothing) unless params holds exactly
        inputLayerSize*hiddenLayerSize + hiddenLayerSize*outputLayerSize finite numbers.
        """
        W1_end = self.inputLayerSize * self.hiddenLayerSize
        W2_end = W1_end + self.hiddenLayerSize * self.outputLayerSize
        params = checkParams(params, W2_end)
        self.W1 = params[:W1_end].reshape(self.inputLayerSize, self.hiddenLayerSize)
        self.W2 = params[W1_end:].reshape(self.hiddenLayerSize, self.outputLayerSize)

    def computeGradients(self, X, y):
        """Return backprop's dJ/dW1 and dJ/dW2 unrolled into one vector, like getParams."""
        dJdW1, dJdW2 = self.costFunctionPrime(X, y)
        return np.concatenate((dJdW1.ravel(), dJdW2.ravel()))


def paramName(N, index):
    """Name the weight at position ``index`` of N.getParams(), e.g. 'W1[0, 2]' or 'W2[1, 0]'."""
    count = weightCount(N)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index must be a whole number from 0 to {count - 1}; got {index!r}.")
    if not 0 <= index < count:
        raise IndexError(f"index {index} is out of range for a network of {count} weights.")
    W1_end = N.inputLayerSize * N.hiddenLayerSize
    if index < W1_end:
        return f"W1[{index // N.hiddenLayerSize}, {index % N.hiddenLayerSize}]"
    index -= W1_end
    return f"W2[{index // N.outputLayerSize}, {index % N.outputLayerSize}]"


def checkNetwork(N):
    """Raise TypeError unless N can hand over its weights as one vector."""
    if not (hasattr(N, "getParams") and hasattr(N, "setParams")):
        raise TypeError(f"expected a network with getParams and setParams, such as "
                        f"partFive.Neural_Network; got {type(N).__module__}."
                        f"{type(N).__qualname__}.")


def loopNumericalGradient(N, X, y, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences.

    In:  a network N, data X and y, a step size epsilon > 0.
    Out: a vector like N.getParams() whose entry p is
         (J(w + epsilon e_p) - J(w - epsilon e_p)) / (2 epsilon).
    N's weights are put back as they were, also when the cost raises midway.
    """
    checkNetwork(N)
    X, y = checkData(X, y, N.inputLayerSize, N.outputLayerSize)
    epsilon = checkEpsilon(epsilon)

    paramsInitial = N.getParams()
    numgrad = np.zeros(paramsInitial.shape)
    perturb = np.zeros(paramsInitial.shape)
    try:
        for p in range(len(paramsInitial)):
            perturb[p] = epsilon
            N.setParams(paramsInitial + perturb)
            loss2 = N.costFunction(X, y)
            N.setParams(paramsInitial - perturb)
            loss1 = N.costFunction(X, y)
            numgrad[p] = (loss2 - loss1) / (2 * epsilon)
            perturb[p] = 0
    finally:
        N.setParams(paramsInitial)  # the tutorial forgets this: leave the network as it was
    return numgrad


def computeNumericalGradient(N, X, y, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences, as fast as N allows.

    In:  a network N, data X and y, a step size epsilon > 0.
    Out: loopNumericalGradient's vector (the tutorial's loop), to about 1e-9 relative. When
         N's cost is this module's own (fastPathApplies), fastGradients'
         vectorizedNumericalGradient computes it with numpy, hundreds of times faster on big
         networks; any other network (say one that overrides costFunction) gets the loop, so
         the check always checks N's real cost. N's weights are left as they were.
    """
    if fastPathApplies(N):
        return vectorizedNumericalGradient(N, X, y, epsilon)
    return loopNumericalGradient(N, X, y, epsilon)


def compareGradients(grad, numgrad):
    """Return norm(grad - numgrad) / norm(grad + numgrad): about 1e-8 or less means they agree.

    Two zero vectors agree exactly (0.0); opposite vectors get infinity.
    """
    grad, numgrad = np.asarray(grad, dtype=float), np.asarray(numgrad, dtype=float)
    if grad.shape != numgrad.shape:
        raise ValueError(f"grad and numgrad must have the same shape; got {grad.shape} and "
                         f"{numgrad.shape}.")
    difference = np.linalg.norm(grad - numgrad)
    total = np.linalg.norm(grad + numgrad)
    if difference == 0:
        return 0.0
    if total == 0:
        return float("inf")
    return float(difference / total)


@dataclass(repr=False)
class GradientCheck:
    """What checkGradient found. Print it for a one-line verdict."""

    passed: bool
    relativeError: float
    tolerance: float
    epsilon: float
    grad: np.ndarray  # backprop's numbers: the gradient, or its slopes along directions/weights
    numgrad: np.ndarray  # the numerical estimates of the same numbers
    worstWeight: str  # the weight (or direction) where backprop and the estimate differ most
    method: str = "full"  # "full", "directional" or "sparse"
    checked: str = ""  # what a fast check compared, e.g. "2 random directions, seed 0"

    def __repr__(self):
        verdict = "passed" if self.passed else "FAILED"
        sign = "<=" if self.passed else ">"
        where = f"largest difference at {self.worstWeight}"
        if self.checked:
            where = f"{self.checked}; {where}"
        return (f"GradientCheck {verdict}: relative error {self.relativeError:.1e} {sign} "
                f"tolerance {self.tolerance:.3g} (epsilon {self.epsilon:.3g}; {where})")


def chooseMethod(N, method, directions, coordinates):
    """Validate checkGradient's method (and its count) and resolve "auto". Out: the method.

    "auto" checks every weight when that is cheap (FULL_CHECK_WEIGHTS: 10,000 weights with the
    loop, 1,000,000 on the fast path) and random directions beyond.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; "
                         f"got {method!r}.")
    for name, value, user in [("directions", directions, "directional"),
                              ("coordinates", coordinates, "sparse")]:
        if value is not None and method != user:
            raise ValueError(f"{name} is used only by method={user!r}; got {name}={value!r} "
                             f"with method={method!r}.")
    if method != "auto":
        return method
    count = weightCount(N)
    limit = FULL_CHECK_WEIGHTS["fast" if fastPathApplies(N) else "loop"]
    return "full" if count <= limit else "directional"


def checkGradient(N, X, y, epsilon=1e-4, tolerance=1e-7, method="auto", directions=None,
                  coordinates=None, seed=0):
    """Compare N's backprop gradient with the numerical one and give a verdict.

    method says what is compared:
      "full"         every weight (computeNumericalGradient);
      "directional"  the slopes along ``directions`` random unit directions (default: enough to
                     miss a one-weight bug with probability <= 1e-6, fastGradients'
                     defaultDirections): one backprop and 2 * directions cost evaluations;
      "sparse"       ``coordinates`` randomly chosen weights (default 100);
      "auto"         "full" for small networks (see chooseMethod), "directional" for big ones.
    ``seed`` (a whole number >= 0) picks the directions or weights: run again with another seed.
    Out: a GradientCheck with .passed (relative error <= tolerance, for every method),
    .relativeError, the compared numbers and the weight (or direction) where they differ most.
    The default tolerance, 1e-7, reads "on the order of 1e-8 or less" as correct.
    """
    checkNetwork(N)
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) \
            or not tolerance >= 0:
        raise ValueError(f"tolerance must be a number >= 0, such as 1e-7; got {tolerance!r}.")
    method = chooseMethod(N, method, directions, coordinates)
    checked = ""
    if method == "full":
        numgrad = computeNumericalGradient(N, X, y, epsilon)
        grad = N.computeGradients(X, y)
        names = [paramName(N, index) for index in range(len(grad))]
    elif method == "directional":
        if directions is None:
            directions = defaultDirections(weightCount(N), tolerance) if tolerance > 0 else 1
        grad, numgrad = directionalSlopes(N, X, y, directions, epsilon, seed)
        names = [f"direction {index}" for index in range(len(grad))]
        checked = f"{len(grad)} random direction{'s' * (len(grad) > 1)}, seed {seed}"
    else:
        positions, grad, numgrad = coordinateSlopes(N, X, y, coordinates, epsilon, seed)
        names = [paramName(N, index) for index in positions]
        checked = f"{len(grad)} random weight{'s' * (len(grad) > 1)}, seed {seed}"
    return verdict(grad, numgrad, names, tolerance, epsilon, method, checked)


def verdict(grad, numgrad, names, tolerance, epsilon, method="full", checked=""):
    """Judge backprop's numbers ``grad`` against the estimates ``numgrad`` (``names`` says what
    each entry is). Out: a GradientCheck that passes when compareGradients <= tolerance."""
    relativeError = compareGradients(grad, numgrad)
    worst = int(np.argmax(np.abs(grad - numgrad)))
    return GradientCheck(passed=bool(relativeError <= tolerance), relativeError=relativeError,
                         tolerance=float(tolerance), epsilon=float(epsilon), grad=grad,
                         numgrad=numgrad, worstWeight=names[worst], method=method,
                         checked=checked)


class ForgetfulNetwork(Neural_Network):
    """A network whose backprop forgets one factor: sigmoidPrime(z2)."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T)  # the bug: "* self.sigmoidPrime(self.z2)" is missing
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


def gradientDescent(N, X, y, learningRate=5.0, steps=5000):
    """Train N in place: ``steps`` times, move the weights against N.computeGradients.

    Out: the cost before training and after every step (steps + 1 floats). Whatever gradient
    the network computes is followed, right or wrong: that is the point of the demonstration.
    """
    checkNetwork(N)
    X, y = checkData(X, y, N.inputLayerSize, N.outputLayerSize)
    steps = checkWholeNumber(steps, "steps", 0, example="5000")
    learningRate = checkPositive(learningRate, "learningRate", "5.0")
    costs = [N.costFunction(X, y)]
    for _ in range(steps):
        N.setParams(N.getParams() - learningRate * N.computeGradients(X, y))
        costs.append(N.costFunction(X, y))
    return np.array(costs)
