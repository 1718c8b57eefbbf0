"""Part 5 of *Neural Networks Demystified*: numerical gradient checking.

Backpropagation (``costFunctionPrime`` in ``partFour``) is easy to get subtly wrong, and a wrong
gradient fails silently. This module checks it against the definition of the derivative, with
the tutorial's names:

    Neural_Network             partFour's network plus getParams / setParams / computeGradients,
                               which treat all the weights as one vector (notebook 05)
    loopNumericalGradient      the tutorial's loop: nudge each weight up and down by epsilon
                               and take the slope of the cost (notebook 06)
    computeNumericalGradient   the same numbers, through the fast path when it applies (12)
    compareGradients           norm(grad - numgrad) / norm(grad + numgrad) (notebook 08)
    checkGradient              passed, failed or inconclusive, with the wrong weights named and
                               hints from their pattern (a GradientCheck; notebooks 11-14)
    checkFunctionGradient      the same check for a plain function f(x) and its gradient
    paramName                  which weight an index is: "W1[0, 2]", "b1[2]"
    gradientDescent            train with computeGradients, to see what a (wrong) gradient does

Any network with the tutorial's protocol (getParams, setParams, costFunction, computeGradients)
can be checked, of any size, activation and precision. The checker itself lives in the package
``checker``, in layers: measure (the only code that calls a network) -> judge -> report.
"""

import numpy as np

import partFour
from checker.check import checkFunctionGradient, checkGradient
from checker.gradientReport import GradientCheck
from checker.judge import compareGradients
from checker.measure import loopGradient, numericalGradient
from checker.validation import checkData, checkNetwork, checkParams, checkPositive, checkWholeNumber
from checker.weightVector import NEEDS_COST, PROTOCOL, costValue, paramName, preparedNetwork
from partFour import X, y

__all__ = ["X", "y", "Neural_Network", "loopNumericalGradient", "computeNumericalGradient",
           "compareGradients", "checkGradient", "checkFunctionGradient", "GradientCheck",
           "paramName", "gradientDescent"]


class Neural_Network(partFour.Neural_Network):
    """partFour's network, plus helpers that see all its weights as one vector."""

    def getParams(self):
        """Return W1 and W2 unrolled into one 1-D vector (W1's entries first, row by row)."""
        params = np.concatenate((self.W1.ravel(), self.W2.ravel()))
        return params

    def setParams(self, params):
        """Set W1 and W2 from one 1-D vector laid out as getParams returns it.

        Raises TypeError or ValueError (and changes nothing) unless params holds exactly
        inputLayerSize*hiddenLayerSize + hiddenLayerSize*outputLayerSize finite numbers. The
        weights keep their precision (float64, unless made float32).
        """
        W1_end = self.inputLayerSize * self.hiddenLayerSize
        W2_end = W1_end + self.hiddenLayerSize * self.outputLayerSize
        params = checkParams(params, W2_end, self.W1.dtype)  # in the network's precision
        self.W1 = params[:W1_end].reshape(self.inputLayerSize, self.hiddenLayerSize)
        self.W2 = params[W1_end:].reshape(self.hiddenLayerSize, self.outputLayerSize)

    def computeGradients(self, X, y):
        """Return backprop's dJ/dW1 and dJ/dW2 unrolled into one vector, like getParams."""
        dJdW1, dJdW2 = self.costFunctionPrime(X, y)
        return np.concatenate((dJdW1.ravel(), dJdW2.ravel()))


def loopNumericalGradient(N, X, y, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences.

    In:  a network N (getParams, setParams, costFunction), data X and y, a step size
         epsilon > 0.
    Out: a vector like N.getParams() whose entry p is
         (J(w + epsilon e_p) - J(w - epsilon e_p)) / (2 epsilon).
    N's weights are put back as they were, also when the cost raises midway.
    """
    # Bad input raises here, before any weight moves; the loop works on a copy of the weights.
    return loopGradient(N, preparedNetwork(N, X, y, NEEDS_COST, epsilon))


def computeNumericalGradient(N, X, y, *, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences, as fast as N allows.

    In:  a network N, data X and y, a step size epsilon > 0.
    Out: loopNumericalGradient's vector (the tutorial's loop), to about 1e-9 relative. When
         N's cost is this module's own (fastGradients.fastPathApplies), the fast path computes
         it with numpy, hundreds of times faster on big networks; any other network
         (say one that overrides costFunction) gets the loop, so the check always checks N's
         real cost. N's weights are left as they were.
    """
    return numericalGradient(N, preparedNetwork(N, X, y, NEEDS_COST, epsilon, roundTrip=False))


def gradientDescent(N, X, y, *, learningRate=5.0, steps=5000):
    """Train N in place: ``steps`` times, move the weights against N.computeGradients.

    Out: the cost before training and after every step (steps + 1 floats, read with costValue,
    so a cost typed along with the video, a one-element array, gives plain numbers too).
    Whatever gradient the network computes is followed, right or wrong: that is the point of
    the demonstration.
    """
    checkNetwork(N, PROTOCOL)
    X, y = checkData(X, y, N)
    steps = checkWholeNumber(steps, "steps", 0, example="5000")
    learningRate = checkPositive(learningRate, "learningRate", "5.0")
    costs = [costValue(N, X, y)]
    for _ in range(steps):
        N.setParams(N.getParams() - learningRate * N.computeGradients(X, y))
        costs.append(costValue(N, X, y))
    return np.array(costs)
