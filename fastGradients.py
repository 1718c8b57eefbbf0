"""The fast path: the tutorial network's centered slopes, computed with its structure.

The tutorial's loop (``partFive.loopNumericalGradient``) evaluates the whole cost twice for every
weight: 2P forward passes for P weights. That is nothing for the tutorial's 9 weights and most of
a minute for a 784-128-10 network's 101,632. For the one cost it knows, the tutorial network's
(see ``fastPathApplies``), this module computes the same centered slopes in numpy:

    vectorizedNumericalGradient   every weight's slope: the loop's numbers (to about 1e-9
                                  relative), many perturbed weights per call, each costing only
                                  the part of the forward pass that it changes
    structuredSlopes              the slopes at chosen weights (all, or a sparse check's)
    knownDifferences              the slopes along directions (a directional check's)

It is part of the measuring layer: ``measure`` calls it whenever the fast path applies, and
measures any other network through the protocol.

The structure trick
-------------------
The network is z2 = X W1, a2 = s(z2), z3 = a2 W2, yHat = s(z3), J = 1/2 sum (y - yHat)^2, with
s the sigmoid, n examples and layer sizes I-H-O.

* Nudging W2[j, k] by +-eps moves only output column k: z3[:, k] +- eps a2[:, j]. The other O - 1
  columns of the cost are the same at both points, so they cancel exactly in J(+) - J(-): the
  slope needs n sigmoids per side instead of a forward pass.
* Nudging W1[i, j] by +-eps moves only hidden unit j: z2[:, j] +- eps X[:, i], so a2[:, j] changes
  by delta = s(z2[:, j] +- eps X[:, i]) - a2[:, j], and z3 changes by the outer product
  delta W2[j, :]. That is n O sigmoids per side instead of the n (I H + H O) multiply-adds of a
  forward pass.

Both are exact rewrites of the same forward pass (only the rounding differs), evaluated for a
batch of weights at once with the batch as the last, contiguous axis. Batches are chunked so the
work memory stays a few MiB whatever the network's size. The difference J(+) - J(-) is summed
term by term as (yHat(-) - yHat(+)) (2y - yHat(+) - yHat(-)), which avoids subtracting two nearly
equal totals: the result is closer to the exact centered difference than the loop's own.

The fast path knows one cost: the tutorial network's (see fastPathApplies). A network whose
class (or instance) overrides ``forward``, ``sigmoid`` or ``costFunction``, or whose weights are
not W1 then W2, gets the generic path (weightVector.centeredDifferences), which only calls
getParams / setParams / costFunction, so the check always checks the network's real cost.
"""

import copy
import math

import numpy as np

import partFour
from validation import checkNetwork, checkWholeNumber
from weightVector import layoutOf, preparedNetwork

__all__ = ["fastPathApplies", "vectorizedNumericalGradient", "structuredSlopes",
           "knownDifferences", "withParams"]

COST_METHODS = ("forward", "sigmoid", "costFunction")  # the cost the fast path knows
VECTOR_METHODS = ("getParams", "setParams")  # must not be replaced on the instance
BUFFER_FLOATS = 2**19  # work memory of one batch, in floats (4 MiB): fits the CPU cache
MAX_CHUNK_BYTES = 128 * 2**20  # refuse chunk sizes whose work buffers would need more
LARGEST_EXPONENT = 700  # e^x of |x| below this is finite and normal (float64 overflows at 709.8)


def checkChunkSize(chunkSize, rowFloats):
    """Validate ``chunkSize`` (weights perturbed per batch; None picks a cache-sized one).

    ``rowFloats`` is how many floats of work memory one perturbed weight needs. Out: the chunk
    size as an int. Raises TypeError/ValueError for anything but a whole number >= 1 whose
    work buffers fit in MAX_CHUNK_BYTES.
    """
    if chunkSize is None:  # as many as fit in BUFFER_FLOATS, a multiple of 8 where possible
        fitting = max(1, BUFFER_FLOATS // rowFloats)
        return fitting // 8 * 8 if fitting >= 8 else fitting
    largest = max(1, MAX_CHUNK_BYTES // (8 * rowFloats))
    return checkWholeNumber(chunkSize, "chunkSize (weights perturbed per batch)", 1, largest,
                            example="256 (at most this many, so the work buffers stay within "
                                    f"{MAX_CHUNK_BYTES // 2**20} MiB)")


# --- which path -----------------------------------------------------------------------------------

def fastPathApplies(N, params=None):
    """True when N's cost is exactly the tutorial network's, so the fast path may stand in for
    the loop.

    That is: N is a partFour.Neural_Network whose forward, sigmoid and costFunction are
    partFour's own (not overridden by its class or on the instance), it says nothing else
    about its weights (no paramNames), and getParams returns its float64 W1 and W2 unrolled one
    after the other, as the tutorial's does (checked at the weights; every check also checks
    that setParams undoes getParams). A subclass that changes only the backprop, such as a
    buggy one, qualifies: checking backprop is the point. Anything else gets the loop.
    ``params``: what N.getParams() just returned, if the caller has it (None: call it).
    """
    base = partFour.Neural_Network
    if not isinstance(N, base) or getattr(N, "paramNames", None) is not None:
        return False
    if any(getattr(type(N), name) is not getattr(base, name) or name in vars(N)
           for name in COST_METHODS):
        return False
    if any(not callable(getattr(N, name, None)) or name in vars(N) for name in VECTOR_METHODS):
        return False
    W1, W2 = getattr(N, "W1", None), getattr(N, "W2", None)
    if not all(isinstance(W, np.ndarray) and W.dtype == np.float64 for W in (W1, W2)):
        return False
    if params is None:
        try:
            params = np.asarray(N.getParams())
        except Exception:  # the generic path will call it again and let its error speak
            return False
    return params.shape == (W1.size + W2.size,) and \
        sameWeights(params[:W1.size], W1.ravel()) and sameWeights(params[W1.size:], W2.ravel())


def sameWeights(a, b):
    """True when two float arrays hold the same numbers, NaN matching NaN (the plain
    comparison first: comparing with equal_nan costs twenty times as much)."""
    return np.array_equal(a, b) or np.array_equal(a, b, equal_nan=True)


def knownNetwork(N, X, y, epsilon):
    """Validate the inputs of the fast path, in the loop's order, and read the weights.

    Out: (copy of N holding the weights as getParams lays them out, X, y, epsilon).
    Raises what the loop would raise (TypeError/ValueError), or TypeError when the fast path
    does not know N's cost. N itself is never changed: setParams is never called, so its round
    trip is not checked.
    """
    checkNetwork(N)
    if not fastPathApplies(N):
        raise TypeError(f"the fast path only knows the tutorial network's cost (partFive."
                        f"Neural_Network's forward, sigmoid and costFunction, weights W1 then "
                        f"W2); {type(N).__qualname__} is not one or changes it: use "
                        f"partFive.computeNumericalGradient, which falls back to the loop.")
    prepared = preparedNetwork(N, X, y, VECTOR_METHODS, epsilon, roundTrip=False)
    return withParams(N, prepared.params), prepared.X, prepared.y, prepared.epsilon


def withParams(N, params):
    """A shallow copy of N whose W1 and W2 are ``params``, split as N's layout says.

    The copy's own forward and costFunction then evaluate N's cost at ``params``, and N's
    weights stay untouched.
    """
    net = copy.copy(N)
    for name, array in layoutOf(N, params.size).split(params).items():
        setattr(net, name, array)
    return net


# --- the vectorized numerical gradient ------------------------------------------------------------

def sigmoidOfNegated(t):
    """Overwrite t = -z with the sigmoid 1 / (1 + e^-z) and return it.

    Bit for bit partFour's sigmoid of z: negating is exact, so passing -z saves a pass.
    """
    np.exp(t, out=t)
    t += 1.0
    np.divide(1.0, t, out=t)
    return t


def slopesFromPredictions(up, down, twiceY, epsilon):
    """Centered slopes from the predictions at the two points of each perturbation.

    In:  up and down, predictions at w + eps e_p and at w - eps e_p for each perturbed weight p
         along the last axis, over every (output, example) that the perturbation changes;
         twiceY, 2y for those, broadcastable against them.
    Out: (J(+) - J(-)) / (2 eps) for each p. up is overwritten.

    J(+) - J(-) = 1/2 sum [(y - up)^2 - (y - down)^2] = 1/2 sum (down - up)(2y - up - down):
    a sum of small terms, not the difference of two nearly equal totals.
    """
    difference = down - up
    up += down
    np.subtract(twiceY, up, out=up)
    summed = "ab"[:up.ndim - 1]  # the (output, example) axes: sum over them, batch by batch
    return np.einsum(f"{summed}p,{summed}p->p", difference, up) * (0.25 / epsilon)


class StructuredPass:
    """One forward pass of a known network, kept so each perturbation costs a sliver of a pass.

    Built from a network copy holding the weights (see withParams), validated X, y and epsilon,
    and the batch size. Its two methods give the numerical slopes along batches of weights. The
    work arrays are allocated here, once, and every batch reuses them (see workFloats).
    """

    def __init__(self, net, X, y, epsilon, batch):
        net.forward(X)  # the network's own forward pass leaves z2, a2 and z3 on the copy
        self.X, self.y, self.epsilon, self.batch = X, y, epsilon, batch
        self.z2, self.a2, self.z3 = net.z2, net.a2, net.z3
        outputs, examples = net.outputLayerSize, len(X)
        self.shape = (outputs, examples)                                   # (O, n) of one side
        self.work = np.empty(2 * outputs * examples * batch)    # (side, O, n, batch)
        # every step eps X[:, i] at once, (n, I), if that takes no more memory than the work
        self.steps = epsilon * X if X.size <= self.work.size // 2 else None
        self.negativeZ2 = np.ascontiguousarray(-net.z2.T)                  # (H, n)
        self.hiddenOutputs = np.ascontiguousarray(net.a2.T)                # (H, n)
        self.negativeW2 = -net.W2
        self.twiceY = 2 * np.ascontiguousarray(y.T).ravel()                 # (O n,)
        # s(z3 + t) = G / (G + e^-t) with G = e^z3: one pass fewer than 1 / (1 + e^-(z3 + t)),
        # where G and e^-t stay far from overflow (|delta| < 1, so |t| < |W2|); e^-t is taken
        # as 2^(-t log2 e), numpy's exp2 being faster than its exp
        self.factored = max(np.max(np.abs(net.z3)), np.max(np.abs(net.W2))) < LARGEST_EXPONENT
        self.outputFactor = self.negativeW2 * math.log2(math.e) if self.factored \
            else self.negativeW2
        self.outputTerm = np.ascontiguousarray(                             # (O, n, 1)
            np.exp(net.z3.T) if self.factored else -net.z3.T)[:, :, None]
        self.hidden = np.empty(2 * examples * batch)             # (side, n, batch)
        self.spread = {}  # batch size -> outputTerm repeated along the batch axis

    @staticmethod
    def workFloats(outputs, examples):
        """Floats of work memory per perturbed first-layer weight: the two sides' predictions,
        the output term spread along the batch, and the two sides' hidden columns."""
        return 3 * outputs * examples + 2 * examples

    def spreadOutputTerm(self, size):
        """e^z3 (or -z3) as (O n, size), repeated along the batch axis, so that using it is one
        pass over contiguous memory (a broadcast along the last axis is several times slower).
        Kept for the first two sizes asked for (a network's batches take at most two)."""
        found = self.spread.get(size)
        if found is None:
            outputs, examples = self.shape
            found = np.ascontiguousarray(np.broadcast_to(
                self.outputTerm, (outputs, examples, size))).reshape(outputs * examples, size)
            if len(self.spread) < 2:
                self.spread[size] = found
        return found

    def hiddenUnitSlopes(self, j, rows):
        """Slopes of J along W1[rows, j], the weights into hidden unit j from the inputs ``rows``
        (a slice or an index array of at most ``batch`` inputs).

        Nudging W1[i, j] by +-eps moves z2[:, j] by +-eps X[:, i] and nothing else in the hidden
        layer, so a2[:, j] moves by delta = s(z2[:, j] +- eps X[:, i]) - a2[:, j], and the output
        layer's input z3 by the outer product delta W2[j, :]: n*O sigmoids per side instead of a
        forward pass. Arrays are laid out (side, output, example, weight), the weights last, in
        the work arrays allocated once (each step writes into one: no temporaries).
        """
        steps = self.epsilon * self.X[:, rows] if self.steps is None else self.steps[:, rows]
        examples, size = steps.shape                                         # (n, batch)
        delta = self.hidden[:2 * examples * size].reshape(2, examples, size)
        return self.slopesFromHiddenChanges(j, self.hiddenChanges(j, steps, delta))

    def hiddenChanges(self, j, steps, delta):
        """delta = s(z2[:, j] +- steps) - a2[:, j] for the steps eps X[:, i] (n, m), written into
        ``delta`` (2, n, m): the change of hidden unit j's activations at both sides."""
        negativeZ2 = self.negativeZ2[j][:, None]
        np.subtract(negativeZ2, steps, out=delta[0])                        # -(z2 + eps X)
        np.add(negativeZ2, steps, out=delta[1])                             # -(z2 - eps X)
        sigmoidOfNegated(delta)
        delta -= self.hiddenOutputs[j][:, None]
        return delta

    def slopesFromHiddenChanges(self, j, delta):
        """The slopes along W1[i, j] for the hidden changes ``delta`` (2, n, m) of unit j, one
        column per weight (see hiddenUnitSlopes)."""
        outputs, examples = self.shape
        size = delta.shape[-1]
        work = self.work[:2 * outputs * examples * size].reshape(2, outputs * examples, size)
        np.multiply(delta[:, None], self.outputFactor[j][None, :, None, None],
                    out=work.reshape(2, outputs, examples, size))  # -t, t = delta W2[j, :]
        spread = self.spreadOutputTerm(size)
        if self.factored:  # the predictions s(z3 + t) = G / (G + e^-t), -t in units of ln 2
            np.exp2(work, out=work)
            work += spread
            np.divide(spread, work, out=work)
        else:  # the predictions 1 / (1 + e^-(z3 + t))
            work += spread
            sigmoidOfNegated(work)
        up, difference = work
        difference -= up                                               # down - up, in place
        # (J(+) - J(-)) / (2 eps) = sum (down - up) (2y - up - down) / (4 eps), with down - up =
        # difference: sums of small terms, 2y . difference - 2 up . difference - difference^2
        return (self.twiceY @ difference - 2 * np.einsum("ap,ap->p", difference, up)
                - np.einsum("ap,ap->p", difference, difference)) \
            * (0.25 / self.epsilon)

    def outputWeightSlopes(self, flat):
        """Slopes of J along the W2 weights at positions ``flat`` (j * O + k) of W2.ravel().

        Nudging W2[j, k] by +-eps moves only output column k: z3[:, k] +- eps a2[:, j]. The other
        columns are the same at both points and cancel, so only column k's n predictions are made.
        """
        hidden, output = np.divmod(flat, self.z3.shape[1])
        steps = self.epsilon * self.a2[:, hidden]                            # (n, batch)
        negativeZ3 = -self.z3[:, output]
        up, down = sigmoidOfNegated(np.stack((negativeZ3 - steps, negativeZ3 + steps)))
        return slopesFromPredictions(up, down, 2 * self.y[:, output], self.epsilon)


def batches(count, largest):
    """Split range(count) into slices of at most ``largest``, near-equal and, where that fits,
    a multiple of 8 long (so each row of the work arrays starts 64-byte aligned: much faster)."""
    if count == 0:
        return []
    even = -(-count // -(-count // largest))  # ceil(count / number of slices)
    size = min(largest, -(-even // 8) * 8)
    return [slice(start, min(start + size, count)) for start in range(0, count, size)]


def structuredSlopes(net, X, y, epsilon, flat, chunkSize=None):
    """Numerical slopes of a known network at the flat weight positions ``flat``.

    In:  ``net``, a copy of the network holding the weights (see withParams); validated X, y and
         epsilon; ``flat``, sorted unique positions in the getParams vector; chunkSize, at most
         this many weights perturbed per batch (None: a cache-sized batch).
    Out: one slope (J(w + eps e_p) - J(w - eps e_p)) / (2 eps) per position.
    """
    rowFloats = StructuredPass.workFloats(net.outputLayerSize, len(X))  # per weight
    batch = min(checkChunkSize(chunkSize, rowFloats), max(len(flat), 1))
    structured = StructuredPass(net, X, y, epsilon, min(batch, net.inputLayerSize))
    slopes = np.empty(len(flat))
    inW1 = int(np.searchsorted(flat, net.W1.size))  # flat is sorted: W1's positions come first
    if inW1 == net.W1.size:  # all of W1 (flat is sorted and unique): each unit's whole column
        column = slopes[:inW1].reshape(net.W1.shape)
        parts = batches(net.inputLayerSize, structured.batch)
        for unit in range(net.hiddenLayerSize):
            for inputs in parts:
                column[inputs, unit] = structured.hiddenUnitSlopes(unit, inputs)
    elif inW1:
        rows, units = np.divmod(flat[:inW1], net.hiddenLayerSize)       # W1[rows, units]
        byUnit = np.argsort(units, kind="stable")
        for group in np.split(byUnit, np.flatnonzero(np.diff(units[byUnit])) + 1):
            for part in batches(len(group), structured.batch):  # one hidden unit's positions
                chosen = group[part]
                first, last = rows[chosen[0]], rows[chosen[-1]]
                inputs = slice(first, last + 1) if last - first + 1 == len(chosen) \
                    else rows[chosen]
                slopes[chosen] = structured.hiddenUnitSlopes(units[chosen[0]], inputs)
    for part in batches(len(flat) - inW1, batch):
        where = slice(inW1 + part.start, inW1 + part.stop)
        slopes[where] = structured.outputWeightSlopes(flat[where] - net.W1.size)
    return slopes


def vectorizedNumericalGradient(N, X, y, epsilon=1e-4, chunkSize=None):
    """The tutorial loop's numerical gradient, computed in batches with the structure trick.

    In:  a partFive.Neural_Network N (whose cost the fast path knows: see fastPathApplies),
         data X and y, a step size epsilon > 0, and chunkSize, at most this many weights
         perturbed per batch (None: a cache-sized batch, a few MiB of work memory).
    Out: a vector like N.getParams() whose entry p is (J(w + eps e_p) - J(w - eps e_p)) / (2 eps),
         equal to partFive.loopNumericalGradient's to about 1e-9 relative (only rounding
         differs). N's weights are never changed.
    """
    net, X, y, epsilon = knownNetwork(N, X, y, epsilon)
    count = net.W1.size + net.W2.size
    return structuredSlopes(net, X, y, epsilon, np.arange(count), chunkSize)


# --- slopes along directions --------------------------------------------------------------------

def knownDifferences(net, X, y, steps, epsilons):
    """The fast path of weightVector.centeredDifferences, for a copy ``net`` of a network whose
    cost the fast path knows (see withParams), and validated X, y and step sizes.

    The same numbers up to rounding (closer to the exact centered difference: J(+) - J(-) is
    summed term by term, as in slopesFromPredictions), with one product X W1 in all and one
    matrix product per direction, whatever the number of step sizes: the first layer's input at
    w +- eps v is X (W1 +- eps V1) = z2 +- eps X V1. Both sides are evaluated together, in work
    arrays allocated once. Out: a row of slopes per step size, a column per direction.
    """
    examples, (inputs, hidden), outputs = len(X), net.W1.shape, net.outputLayerSize
    firstLayer = inputs * hidden
    negativeZ2 = np.dot(X, net.W1)  # z2 as the network's forward pass computes it
    np.negative(negativeZ2, out=negativeZ2)
    W2, twiceY = net.W2, 2 * y
    hiddenLayer = np.empty((2, examples, hidden))     # -(z2 +- eps X V1), then a2 at both sides
    outputWeights = np.empty((2, hidden, outputs))    # W2 +- eps V2
    predictions = np.empty((2, examples, outputs))
    slopes = []
    for v in steps:
        inputShift = np.dot(X, v[:firstLayer].reshape(inputs, hidden))  # X V1
        for epsilon in epsilons:
            shift = epsilon * inputShift
            np.subtract(negativeZ2, shift, out=hiddenLayer[0])
            np.add(negativeZ2, shift, out=hiddenLayer[1])
            sigmoidOfNegated(hiddenLayer)
            step = epsilon * v[firstLayer:].reshape(hidden, outputs)
            np.add(W2, step, out=outputWeights[0])
            np.subtract(W2, step, out=outputWeights[1])
            np.matmul(hiddenLayer, outputWeights, out=predictions)
            np.negative(predictions, out=predictions)
            up, down = sigmoidOfNegated(predictions)
            slopes.append(float(slopesFromPredictions(up[..., None], down[..., None],
                                                      twiceY[..., None], epsilon)[0]))
    return np.array(slopes).reshape(-1, len(epsilons)).T
