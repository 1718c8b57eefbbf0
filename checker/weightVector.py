"""The weight vector: the tutorial's protocol, checked, for any network.

A network, for the checks, is anything with getParams (all the weights as one 1-D vector),
setParams (its inverse), costFunction(X, y) (one number; the tutorial's one-element array is
accepted) and computeGradients(X, y) (backprop's dJ/dparams, laid out like getParams). This is
the first module of the measuring layer, the code that calls networks.
"""

from typing import NamedTuple

import numpy as np

from checker.validation import (
    checkCost,
    checkData,
    checkEpsilon,
    checkGivenBack,
    checkIndex,
    checkNetwork,
    checkParamNames,
    checkParams,
    checkSlopes,
    checkVector,
)
from checker.weightLayout import WeightLayout, placeName

__all__ = ["PROTOCOL", "NEEDS_COST", "checkRoundTrip", "preparedNetwork", "Prepared",
           "backpropGradient", "layoutOf", "paramName", "costValue", "WeightVector"]

PROTOCOL = ("getParams", "setParams", "costFunction", "computeGradients")
NEEDS_COST = PROTOCOL[:3]  # what a numerical gradient calls
TUTORIAL_ARRAYS = ("W1", "W2")  # what the tutorial's getParams concatenates, in order


def checkRoundTrip(N, params, layout):
    """Raise ValueError unless N.setParams(params) gives back ``params`` from N.getParams(),
    naming the first weight that did not by its place in ``layout``; N's attributes are then
    put back as they were."""
    # copies of N's arrays too: a setParams may write into them in place
    saved = {name: value.copy() if isinstance(value, np.ndarray) else value
             for name, value in vars(N).items()} if hasattr(N, "__dict__") else None
    N.setParams(params.copy())
    try:
        checkGivenBack(np.asarray(N.getParams()), params,
                       lambda index: placeName(layout.places([index])[0]))
    except ValueError:
        if saved is not None:  # undo whatever that setParams did: the attributes as they were
            vars(N).clear()
            vars(N).update(saved)
        raise


class Prepared(NamedTuple):
    """A network's checked inputs (see preparedNetwork)."""

    X: np.ndarray
    y: np.ndarray
    params: np.ndarray  # N's weights, a copy
    layout: "WeightLayout"
    epsilon: float  # None when none was given


NO_STEP = object()  # preparedNetwork's epsilon when the caller takes no step


def preparedNetwork(N, X, y, needs=PROTOCOL, epsilon=NO_STEP, roundTrip=True):
    """A Prepared: N, the data and the step checked, in that order, before a check touches
    anything; N keeps its weights. roundTrip=False leaves out checkRoundTrip (N is not even
    touched), for a caller that never calls setParams."""
    checkNetwork(N, needs)
    X, y = checkData(X, y, N)
    epsilon = None if epsilon is NO_STEP else checkEpsilon(epsilon)
    # a copy (float32 stays float32): a getParams that hands out its storage must not see steps
    params = checkVector(N.getParams(), "getParams' result",
                         "getParams must return a 1-D vector of the weights (at least one)")
    layout = layoutOf(N, params.size)
    if roundTrip:
        checkRoundTrip(N, params, layout)
    return Prepared(X, y, params, layout, epsilon)


def backpropGradient(N, X, y, count, copy=True):
    """N.computeGradients(X, y), checked: a float vector of ``count`` numbers, one per weight.
    copy=False may return N's own array, for a caller done with it before it calls N again."""
    return checkSlopes(N.computeGradients(X, y), count, copy)


class WeightVector:
    """getParams and setParams for a network whose weights are the arrays named in paramNames."""

    def getParams(self):
        return np.concatenate([getattr(self, name).ravel() for name in self.paramNames])

    def setParams(self, params):
        # checked whole before any array changes: the right count of finite numbers
        params = checkParams(params, sum(getattr(self, name).size for name in self.paramNames))
        start = 0
        for name in self.paramNames:
            array = getattr(self, name)
            stop = start + array.size
            setattr(self, name, params[start:stop].reshape(array.shape).astype(array.dtype))
            start = stop


def layoutOf(N, size):
    """The WeightLayout of N's ``size`` weights: from N's ``paramNames`` (checked) when it has
    them; else the tutorial's W1 and W2 when their sizes add up; else "param[17]" and so on."""
    if getattr(N, "paramNames", None) is not None:
        return WeightLayout(checkParamNames(N, size))
    arrays = [getattr(N, name, None) for name in TUTORIAL_ARRAYS]
    if all(isinstance(array, np.ndarray) for array in arrays) \
            and sum(array.size for array in arrays) == size:
        return WeightLayout(tuple(zip(TUTORIAL_ARRAYS, (array.shape for array in arrays))))
    return WeightLayout((("param", (int(size),)),))


def paramName(N, index):
    """The name of the weight at position ``index`` of N.getParams(), e.g. 'W1[0, 2]'."""
    checkNetwork(N, ("getParams",))
    count = int(np.size(N.getParams()))
    return placeName(layoutOf(N, count).places([checkIndex(index, count)])[0])


def costValue(N, X, y):
    """N.costFunction(X, y) as a float (the tutorial's one-element array accepted)."""
    return checkCost(N.costFunction(X, y))[0]
