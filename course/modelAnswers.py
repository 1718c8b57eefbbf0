"""The model answers of the core track's exercises whose functions later notebooks use.

Each is the code of the collapsed model-answer cell of its notebook (a test checks that the two
are the same). Until a learner's own function is saved, a later notebook runs the model answer
in its place (exercises.yours), so every notebook runs even when opened on its own.
"""

import numpy as np


def modelCenteredDifference(f, x, epsilon):
    """Estimate the slope f'(x) from f's values a step epsilon to either side of x."""
    return (f(x + epsilon) - f(x - epsilon)) / (2 * epsilon)  # the two points are 2 epsilon apart


def modelGetParams(N):
    """Return N's weights as one 1-D vector: W1's entries row by row, then W2's."""
    return np.concatenate((N.W1.ravel(), N.W2.ravel()))  # ravel unrolls a matrix row by row


def modelSetParams(N, params):
    """Set N.W1 and N.W2 from one vector laid out as getParams returns it."""
    W1_end = N.inputLayerSize * N.hiddenLayerSize  # the first W1_end numbers are W1's
    N.W1 = params[:W1_end].reshape(N.inputLayerSize, N.hiddenLayerSize)
    N.W2 = params[W1_end:].reshape(N.hiddenLayerSize, N.outputLayerSize)


def modelComputeNumericalGradient(N, X, y, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by centered differences.

    In:  a network N (getParams, setParams, costFunction), data X and y, a step epsilon.
    Out: a vector like N.getParams() whose entry p is
         (J(w + epsilon e_p) - J(w - epsilon e_p)) / (2 epsilon).
    N's weights are put back as they were, even when the cost raises midway.
    """
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
        N.setParams(paramsInitial)  # runs even when the cost raises: the weights come back
    return numgrad


def modelRelativeError(grad, numgrad):
    """How far apart two gradients are, for their size: the ratio above."""
    return np.linalg.norm(grad - numgrad) / np.linalg.norm(grad + numgrad)


# The capstone's model answer calls the pieces by the names the learner's check uses.
computeNumericalGradient = modelComputeNumericalGradient
relativeError = modelRelativeError


def modelGradientCheck(N, X, y):
    """Check N's backprop on data X, y: return (its relative error, whether it passes)."""
    grad = N.computeGradients(X, y)  # backprop
    numgrad = computeNumericalGradient(N, X, y)  # nudging each weight
    error = relativeError(grad, numgrad)
    return error, error < 1e-7


MODELS = {"centeredDifference": modelCenteredDifference, "getParams": modelGetParams,
          "setParams": modelSetParams, "computeNumericalGradient": modelComputeNumericalGradient,
          "relativeError": modelRelativeError, "gradientCheck": modelGradientCheck}
