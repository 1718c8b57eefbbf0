"""Part 5 of *Neural Networks Demystified*: numerical gradient checking.

Backpropagation (``costFunctionPrime`` in ``partFour``) is easy to get subtly wrong, and a wrong
gradient fails silently. This module checks it against the definition of the derivative:

    Neural_Network             partFour's network plus getParams / setParams / computeGradients,
                               which treat all the weights as one vector
    computeNumericalGradient   nudge each weight up and down by epsilon; slope of the cost
    compareGradients           norm(grad - numgrad) / norm(grad + numgrad)
    checkGradient              all of the above, with a pass/fail verdict (a GradientCheck)
    gradientDescent            train with computeGradients, to see what a (wrong) gradient does

``from partFive import *`` gives the data ``X``, ``y`` and everything above.
"""

import numbers
from dataclasses import dataclass

import numpy as np

import partFour
from partFour import X, checkData, checkFinite, toFloatArray, y

__all__ = ["X", "y", "Neural_Network", "checkData", "checkParams", "checkEpsilon",
           "checkPositive", "checkNetwork", "paramName", "computeNumericalGradient",
           "compareGradients", "GradientCheck", "checkGradient", "gradientDescent"]

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
    count = N.inputLayerSize * N.hiddenLayerSize + N.hiddenLayerSize * N.outputLayerSize
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


def computeNumericalGradient(N, X, y, epsilon=1e-4):
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
    grad: np.ndarray
    numgrad: np.ndarray
    worstWeight: str  # the weight where backprop and the estimate differ most

    def __repr__(self):
        verdict = "passed" if self.passed else "FAILED"
        sign = "<=" if self.passed else ">"
        return (f"GradientCheck {verdict}: relative error {self.relativeError:.1e} {sign} "
                f"tolerance {self.tolerance:.3g} (epsilon {self.epsilon:.3g}; largest "
                f"difference at {self.worstWeight})")


def checkGradient(N, X, y, epsilon=1e-4, tolerance=1e-7):
    """Compare N's backprop gradient with the numerical one and give a verdict.

    Out: a GradientCheck with .passed (relative error <= tolerance), .relativeError, both
    gradients and the name of the weight where they differ most. The default tolerance, 1e-7,
    reads "on the order of 1e-8 or less" as correct.
    """
    checkNetwork(N)
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) \
            or not tolerance >= 0:
        raise ValueError(f"tolerance must be a number >= 0, such as 1e-7; got {tolerance!r}.")
    numgrad = computeNumericalGradient(N, X, y, epsilon)
    grad = N.computeGradients(X, y)
    relativeError = compareGradients(grad, numgrad)
    worst = int(np.argmax(np.abs(grad - numgrad)))
    return GradientCheck(passed=bool(relativeError <= tolerance), relativeError=relativeError,
                         tolerance=float(tolerance), epsilon=float(epsilon), grad=grad,
                         numgrad=numgrad, worstWeight=paramName(N, worst))


def gradientDescent(N, X, y, learningRate=5.0, steps=5000):
    """Train N in place: ``steps`` times, move the weights against N.computeGradients.

    Out: the cost before training and after every step (steps + 1 floats). Whatever gradient
    the network computes is followed, right or wrong: that is the point of the demonstration.
    """
    checkNetwork(N)
    X, y = checkData(X, y, N.inputLayerSize, N.outputLayerSize)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0; got {steps!r}.")
    learningRate = checkPositive(learningRate, "learningRate", "5.0")
    costs = [N.costFunction(X, y)]
    for _ in range(steps):
        N.setParams(N.getParams() - learningRate * N.computeGradients(X, y))
        costs.append(N.costFunction(X, y))
    return np.array(costs)
