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

import math

import numpy as np

__all__ = ["X", "y", "Neural_Network", "checkInputs", "checkData", "toFloatArray",
           "checkFinite"]

rawX = np.array([[3, 5], [5, 1], [10, 2]], dtype=float)  # (hours of sleep, hours of study)
rawY = np.array([[75], [82], [93]], dtype=float)  # test score out of 100

X = rawX / np.amax(rawX, axis=0)
y = rawY / 100


def toFloatArray(values, name, copy=True):
    """Return ``values`` as a float array, or raise TypeError if they are not all numbers.

    copy=False returns ``values`` itself when it already is a float64 array (for numbers that
    are read once and never kept)."""
    try:
        array = np.asarray(values)
    except ValueError as error:  # e.g. rows of different lengths
        raise TypeError(f"{name} must be an array of numbers; got {type(values).__name__} "
                        f"that numpy cannot read as one ({error}).") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of numbers; got {type(values).__name__} "
                        f"holding {array.dtype} values.")
    return array.astype(float, copy=copy)


def checkFinite(array, name):
    """Raise ValueError, saying where, if ``array`` (of floats) holds NaN or infinity."""
    # A sum of squares is finite only if every entry is, and one BLAS dot product is four
    # times as fast as np.isfinite; only when it is not finite (or overflows) look closer.
    if not math.isfinite(np.vdot(array, array)) and not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))[0]
        where = int(bad[0]) if array.ndim == 1 else tuple(int(i) for i in bad)
        raise ValueError(f"{name} must hold only finite numbers; found {array[tuple(bad)]} "
                         f"at index {where}.")


def checkInputs(X, inputLayerSize):
    """Validate network inputs: X needs one row per example and ``inputLayerSize`` columns.

    In:  X, anything numpy can read as a 2-D array of finite numbers.
    Out: X as a 2-D float array. Raises TypeError or ValueError saying what was expected.
    """
    X = toFloatArray(X, "X")
    if X.ndim != 2 or X.shape[1] != inputLayerSize or len(X) == 0:
        raise ValueError(f"X must be a 2-D array with {inputLayerSize} columns and at least "
                         f"one row (one row per example); got shape {X.shape}.")
    checkFinite(X, "X")
    return X


def checkData(X, y, inputLayerSize, outputLayerSize):
    """Validate a data set for a network with the given layer sizes.

    In:  X, one row per example with ``inputLayerSize`` columns; y, one row per example with
         ``outputLayerSize`` columns (a 1-D y is read as a column when there is one output).
    Out: (X, y) as 2-D float arrays. Raises TypeError or ValueError saying what was expected.
    """
    X = checkInputs(X, inputLayerSize)
    y = toFloatArray(y, "y")
    if y.ndim == 1 and outputLayerSize == 1:
        y = y.reshape(-1, 1)
    if y.ndim != 2 or y.shape[1] != outputLayerSize:
        raise ValueError(f"y must be a 2-D array with {outputLayerSize} column(s) (one row per "
                         f"example); got shape {y.shape}.")
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per example each; got {len(X)} rows in X "
                         f"and {len(y)} rows in y.")
    checkFinite(y, "y")
    return X, y


class Neural_Network:
    """A fully connected network: input layer -> sigmoid hidden layer -> sigmoid output layer.

    The weights ``W1`` (inputLayerSize x hiddenLayerSize) and ``W2`` (hiddenLayerSize x
    outputLayerSize) start as draws from ``np.random.randn``: seed numpy first
    (``np.random.seed(...)``) to get the same network every time.
    """

    def __init__(self, inputLayerSize=2, hiddenLayerSize=3, outputLayerSize=1):
        for name, size in [("inputLayerSize", inputLayerSize),
                           ("hiddenLayerSize", hiddenLayerSize),
                           ("outputLayerSize", outputLayerSize)]:
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
                raise ValueError(f"{name} must be a positive whole number; got {size!r}.")
        self.inputLayerSize = int(inputLayerSize)
        self.hiddenLayerSize = int(hiddenLayerSize)
        self.outputLayerSize = int(outputLayerSize)
        self.W1 = np.random.randn(self.inputLayerSize, self.hiddenLayerSize)
        self.W2 = np.random.randn(self.hiddenLayerSize, self.outputLayerSize)

    def forward(self, X):
        """Propagate inputs X (examples x inputLayerSize) through the network; return yHat."""
        X = checkInputs(X, self.inputLayerSize)
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
        X, y = checkData(X, y, self.inputLayerSize, self.outputLayerSize)
        self.yHat = self.forward(X)
        return float(0.5 * np.sum((y - self.yHat) ** 2))

    def costFunctionPrime(self, X, y):
        """Backpropagation: return (dJdW1, dJdW2), shaped like W1 and W2."""
        X, y = checkData(X, y, self.inputLayerSize, self.outputLayerSize)
        self.yHat = self.forward(X)

        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)

        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)

        return dJdW1, dJdW2
