"""The weight vector: the tutorial's protocol, checked, for any network.

A network, for the checks, is anything with getParams (all the weights as one 1-D vector),
setParams (its inverse), costFunction(X, y) (one number; the tutorial's one-element array is
accepted) and computeGradients(X, y) (backprop's dJ/dparams, laid out like getParams). This is
the first module of the measuring layer, the code that calls networks:

    readParams, checkRoundTrip, preparedNetwork, backpropGradient   the protocol, checked
    layoutOf, paramName     which weight is which: from ``paramNames``, the tutorial's W1 and W2,
                            or indices
    costValue               the cost as a float
    WeightVector            getParams and setParams for a network that names its arrays in
                            ``paramNames`` (notebook 14 builds it; this is the same code)
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
    checkSlopes,
    checkVector,
)
from checker.weightLayout import WeightLayout, placeName

__all__ = ["PROTOCOL", "NEEDS_COST", "readParams", "checkRoundTrip", "preparedNetwork", "Prepared",
           "backpropGradient", "layoutOf", "paramName", "costValue", "WeightVector"]

PROTOCOL = ("getParams", "setParams", "costFunction", "computeGradients")
NEEDS_COST = PROTOCOL[:3]  # what a numerical gradient calls
TUTORIAL_ARRAYS = ("W1", "W2")  # what the tutorial's getParams concatenates, in order


# --- the protocol ---------------------------------------------------------------------------------

def readParams(N):
    """N.getParams(), checked: a copy, a 1-D array of at least one finite number.

    A float32 network's vector stays float32. The copy matters: a getParams that hands out its
    own storage must not see the steps a check takes. Raises TypeError/ValueError.
    """
    return checkVector(N.getParams(), "getParams' result",
                       "getParams must return a 1-D vector of the weights (at least one)")


def checkRoundTrip(N, params, layout=None):
    """Raise ValueError unless N.setParams(params) gives back ``params`` from N.getParams().

    Every check moves the weights with setParams and reads them with getParams, so the two must
    be each other's inverse. When they are not, N's attributes are put back as they were before
    the test (so the network is unchanged) and the error names the first weight that did not
    come back, by its place in ``layout`` (default: its index).
    """
    saved = dict(vars(N)) if hasattr(N, "__dict__") else None
    N.setParams(params.copy())
    layout = layout or WeightLayout((("param", params.shape),))
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
    params: np.ndarray  # N's weights, a copy (readParams)
    layout: "WeightLayout"
    epsilon: float  # None when none was given


NO_STEP = object()  # preparedNetwork's epsilon when the caller takes no step


def preparedNetwork(N, X, y, needs=PROTOCOL, epsilon=NO_STEP, roundTrip=True):
    """Check N, the data and the step before a check touches anything, in that order.

    Out: a Prepared (X, y, params, layout, epsilon): the validated data (checkData), N's weights
    (readParams, after checkRoundTrip), their WeightLayout and epsilon (checkEpsilon, when one
    is given). roundTrip=False leaves out checkRoundTrip, for a caller that never calls
    setParams (so N is not even touched). Raises TypeError/ValueError; N keeps its weights.
    """
    checkNetwork(N, needs)
    X, y = checkData(X, y, N)
    epsilon = None if epsilon is NO_STEP else checkEpsilon(epsilon)
    params = readParams(N)
    layout = layoutOf(N, params.size)
    if roundTrip:
        checkRoundTrip(N, params, layout)
    return Prepared(X, y, params, layout, epsilon)


def backpropGradient(N, X, y, count, copy=True):
    """N.computeGradients(X, y), checked: a float vector of ``count`` numbers, one per weight.

    copy=False may return N's own array (no copy of a float64 one): for a caller that calls
    nothing of N's before it is done with it, since N might write into it again.
    Raises TypeError/ValueError when it is not laid out like getParams.
    """
    return checkSlopes(N.computeGradients(X, y), count, copy)


# --- which weight is which ------------------------------------------------------------------------

class WeightVector:
    """getParams and setParams for a network whose weights are the arrays named in paramNames."""

    def getParams(self):
        return np.concatenate([getattr(self, name).ravel() for name in self.paramNames])

    def setParams(self, params):
        start = 0
        for name in self.paramNames:
            array = getattr(self, name)
            stop = start + array.size
            setattr(self, name, params[start:stop].reshape(array.shape).astype(array.dtype))
            start = stop


def layoutOf(N, size):
    """The WeightLayout of N's vector of ``size`` weights.

    From N's ``paramNames`` when it has them (the array attributes getParams concatenates, in
    order, e.g. ("W1", "b1", "W2", "b2")); else the tutorial's W1 and W2 when N holds them and
    their sizes add up; else one array "param", so weight 17 is "param[17]".
    Raises TypeError/ValueError when paramNames do not name arrays adding up to ``size``.
    """
    names = getattr(N, "paramNames", None)
    if names is None:
        arrays = [getattr(N, name, None) for name in TUTORIAL_ARRAYS]
        if all(isinstance(array, np.ndarray) for array in arrays) \
                and sum(array.size for array in arrays) == size:
            return WeightLayout(tuple((name, array.shape)
                                      for name, array in zip(TUTORIAL_ARRAYS, arrays)))
        return WeightLayout((("param", (int(size),)),))
    return WeightLayout(checkParamNames(N, size))


def paramName(N, index):
    """Name the weight at position ``index`` of N.getParams(), e.g. 'W1[0, 2]' or 'b1[2]'.

    Raises TypeError/ValueError unless index is a whole number from 0 to P - 1."""
    checkNetwork(N, ("getParams",))
    count = int(np.size(N.getParams()))
    return placeName(layoutOf(N, count).places([checkIndex(index, count)])[0])


# --- the cost, through the protocol ---------------------------------------------------------------

def costValue(N, X, y):
    """N.costFunction(X, y) as a float.

    The tutorial's cost, ``0.5*sum((y-self.yHat)**2)`` with Python's built-in sum, returns a
    one-element array; that is accepted. Anything else that is not one number raises TypeError.
    """
    return checkCost(N.costFunction(X, y))[0]
