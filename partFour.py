"""What Parts 1-4 of *Neural Networks Demystified* built: the data and a network with backprop.

The problem: from hours of sleep and hours of study, predict a test score.

    X  (3 examples x 2 inputs)   hours of sleep, hours of study
    y  (3 examples x 1 output)   test score

``X`` is scaled by each column's maximum and ``y`` by 100, so every number the network sees
lies between 0 and 1.

``Neural_Network`` is the tutorial's 2-3-1 sigmoid network: ``forward`` predicts, ``costFunction``
measures how wrong the prediction is, and ``costFunctionPrime`` (backpropagation) says how the
cost changes with every weight. Part 5 (``partFive``) checks that last claim numerically.
"""

import numpy as np

from checker.validation import checkData, checkInputs, checkWholeNumber

__all__ = ["X", "y", "Neural_Network"]

rawX = np.array([[3, 5], [5, 1], [10, 2]], dtype=float)  # (hours of sleep, hours of study)
rawY = np.array([[75], [82], [93]], dtype=float)  # test score out of 100

X = rawX / np.amax(rawX, axis=0)
y = rawY / 100


class Neural_Network:
    """A fully connected network: input layer -> sigmoid hidden layer -> sigmoid output layer.

    The weights ``W1`` (inputLayerSize x hiddenLayerSize) and ``W2`` (hiddenLayerSize x
    outputLayerSize) start as draws from ``np.random.randn``: seed numpy first
    (``np.random.seed(...)``) to get the same network every time.
    """

    def __init__(self, inputLayerSize=2, hiddenLayerSize=3, outputLayerSize=1):
        self.inputLayerSize = checkWholeNumber(inputLayerSize, "inputLayerSize", 1)
        self.hiddenLayerSize = checkWholeNumber(hiddenLayerSize, "hiddenLayerSize", 1)
        self.outputLayerSize = checkWholeNumber(outputLayerSize, "outputLayerSize", 1)
        self.W1 = np.random.randn(self.inputLayerSize, self.hiddenLayerSize)
        self.W2 = np.random.randn(self.hiddenLayerSize, self.outputLayerSize)

    def forward(self, X):
        """Propagate inputs X (examples x inputLayerSize) through the network; return yHat."""
        X = checkInputs(X, self)
        self.z2 = np.dot(X, self.W1)
        self.a2 = self.sigmoid(self.z2)
        self.z3 = np.dot(self.a2, self.W2)
        yHat = self.sigmoid(self.z3)
        return yHat

    def sigmoid(self, z):
        """Apply the sigmoid activation 1 / (1 + e^-z) to a scalar, vector or matrix."""
        return 1 / (1 + np.exp(-z))

    def sigmoidPrime(self, z):
        """Derivative of the sigmoid: e^-z / (1 + e^-z)^2."""
        return np.exp(-z) / ((1 + np.exp(-z)) ** 2)

    def costFunction(self, X, y):
        """Return the cost J = 1/2 * sum((y - yHat)^2) over all examples, as a Python float."""
        X, y = checkData(X, y, self)
        self.yHat = self.forward(X)
        return float(0.5 * np.sum((y - self.yHat) ** 2))

    def costFunctionPrime(self, X, y):
        """Backpropagation: return (dJdW1, dJdW2), shaped like W1 and W2."""
        X, y = checkData(X, y, self)
        self.yHat = self.forward(X)

        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)

        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)

        return dJdW1, dJdW2
