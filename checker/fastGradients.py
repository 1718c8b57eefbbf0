"""The fast path: the tutorial network's centered slopes, computed with its structure.

The tutorial's loop evaluates the whole cost twice per weight: 2P forward passes for P weights.
For the one cost it knows, the tutorial network's (``fastPathApplies``: any other network gets
the loop, measure.costsAt, so a check always checks the real cost), this module computes the
same slopes in numpy, each nudge costing only the part of the forward pass it changes: a nudge
of W2[j, k] moves only output column k, one of W1[i, j] only hidden unit j, and the other
columns cancel exactly in J(+) - J(-) (notebook 12 explains it):

    structuredSlopes    the slopes at chosen weights (a sparse check's), in the readable form
                        notebook 12 builds statement for statement
    allSlopes           every weight's (vectorizedNumericalGradient, a full check): the same
                        arithmetic, rounding for rounding, arranged for speed
    knownDifferences    the slopes along directions (a directional check's)
"""

import copy
from typing import NamedTuple

import numpy as np

import partFour
from checker.validation import checkChunkSize, checkFastPath
from checker.weightVector import costValue, layoutOf, preparedNetwork

__all__ = ["fastPathApplies", "ownVectorMethods", "vectorizedNumericalGradient", "knownGradient",
           "structuredSlopes", "knownDifferences", "knownCosts", "withParams"]

COST_METHODS = ("forward", "sigmoid", "costFunction")  # the cost the fast path knows
VECTOR_METHODS = ("getParams", "setParams")  # must not be replaced on the instance
BATCH_FLOATS = 2**15  # default batch: n * O * batch <= this, so a batch's arrays stay in cache
MAX_CHUNK_BYTES = 128 * 2**20  # refuse chunk sizes whose arrays would need more
DIRECTION_GROUP = 4  # directions whose slopes knownDifferences computes at once (a check has few)


# --- which path -----------------------------------------------------------------------------------

def fastPathApplies(N, params):
    """True when N's cost is exactly the tutorial network's, so the fast path may stand in for
    the loop.

    That is: N is a partFour.Neural_Network whose forward, sigmoid and costFunction are
    partFour's own (not overridden by its class or on the instance), it says nothing else
    about its weights (no paramNames), and getParams returns the numbers of its float64 W1 and
    W2, shaped by its layer sizes, unrolled one after the other, as the tutorial's does
    (checked at the weights; a check also checks that setParams undoes getParams, unless both
    are partFive's own, whose round trip is exact by construction: ownVectorMethods). A
    subclass that changes only the backprop, such as a buggy one, qualifies: checking backprop
    is the point. Anything else gets the loop. ``params``: N's weights as validation returned
    them (read once by a check), all different unless getParams is partFive's own.
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
    inputs, hidden, outputs = (getattr(N, f"{layer}LayerSize", None)
                               for layer in ("input", "hidden", "output"))
    if (W1.shape, W2.shape) != ((inputs, hidden), (hidden, outputs)):
        return False  # the fast path splits the weights by the layer sizes
    laidOut = params.shape == (W1.size + W2.size,) and params.dtype == np.float64 \
        and np.array_equal(params[:W1.size], W1.ravel()) \
        and np.array_equal(params[W1.size:], W2.ravel())
    # partFive's own getParams lays W1 then W2 out; another's layout is read from the values,
    # which only tell it when no two weights are equal (constant weights fit any layout)
    return laidOut and (ownVectorMethods(N) or np.unique(params).size == params.size)


def ownVectorMethods(N):
    """Whether N's getParams and setParams are partFive's own, known by their module's name (this
    layer lies below partFive): W1 then W2 unrolled, and put back by the layer sizes."""
    return all(getattr(type(N), name).__module__ == "partFive" for name in VECTOR_METHODS)


def withParams(N, params):
    """A shallow copy of N whose W1 and W2 are ``params``, split as N's layout says: its own
    forward and costFunction evaluate N's cost at ``params``, and N's weights stay untouched."""
    net = copy.copy(N)
    for name, array in layoutOf(N, params.size).split(params).items():
        setattr(net, name, array)
    return net


# --- the structure trick, in numpy ----------------------------------------------------------------

def sigmoid(z):
    """1 / (1 + e^-z), as partFour's network computes it."""
    return 1 / (1 + np.exp(-z))


def slopesFromPredictions(up, down, y, epsilon):
    """Centered slopes (J(+) - J(-)) / (2 eps), one per nudged weight.

    In:  up, down: predictions at w + eps e_p and at w - eps e_p, shaped (..., m) with the m
         weights on the last axis, for the (example, output) pairs the nudge moves (the others
         cancel); y: the targets of those pairs, broadcastable against them.
    Out: the m slopes.
    """
    # J(+) - J(-) = 1/2 sum (y - up)^2 - (y - down)^2 = 1/2 sum (down - up)(2y - up - down):
    # a sum of small terms, not the difference of two nearly equal totals
    terms = (down - up) * (2 * y - up - down)
    return terms.reshape(-1, terms.shape[-1]).sum(axis=0) / (4 * epsilon)


def hiddenUnitSlopes(net, X, y, epsilon, j, rows):
    """Slopes along W1[rows, j], the weights into hidden unit j from the inputs ``rows``."""
    step = epsilon * X[:, rows]                                          # (n, m)
    z2, a2 = net.z2[:, j, None], net.a2[:, j, None]
    delta = sigmoid(np.stack((z2 + step, z2 - step))) - a2               # (side, n, m)
    z3 = net.z3[:, :, None] + delta[:, :, None, :] * net.W2[j, :, None]  # (side, n, O, m)
    up, down = sigmoid(z3)
    return slopesFromPredictions(up, down, y[:, :, None], epsilon)


def outputWeightSlopes(net, y, epsilon, hidden, outputs):
    """Slopes along W2[hidden, outputs] (two index arrays, one entry per weight)."""
    step = epsilon * net.a2[:, hidden]                                   # (n, m)
    z3 = net.z3[:, outputs]
    return slopesFromPredictions(sigmoid(z3 + step), sigmoid(z3 - step), y[:, outputs], epsilon)


def chunks(positions, size):
    """An index array cut into consecutive pieces of at most ``size``."""
    return [positions[start:start + size] for start in range(0, len(positions), size)]


def structuredSlopes(net, X, y, epsilon, flat, chunkSize=None):
    """Numerical slopes of the network at the weight positions ``flat``.

    In:  ``net``, a copy of the network holding the weights (withParams: its forward pass is
         run on it); validated float64 X and y; epsilon; ``flat``, sorted unique positions in
         the weight vector; chunkSize, at most this many weights nudged per batch (None: n O
         batch stays within BATCH_FLOATS).
    Out: one slope (J(w + eps e_p) - J(w - eps e_p)) / (2 eps) per position, float64.
    """
    if chunkSize is None:
        chunkSize = max(1, BATCH_FLOATS // (len(X) * net.outputLayerSize))
    net.forward(X)  # the unnudged pass, once: leaves z2, a2 and z3 on net
    count = np.searchsorted(flat, net.W1.size)  # flat is sorted: W1's positions come first
    rows, units = np.divmod(flat[:count], net.hiddenLayerSize)           # W1[rows, units]
    hidden, outputs = np.divmod(flat[count:] - net.W1.size, net.outputLayerSize)  # W2[...]
    slopes = np.empty(len(flat))
    first, second = slopes[:count], slopes[count:]  # views: W1's slopes, W2's slopes
    for j in np.unique(units):  # one hidden unit at a time: its weights share W2[j, :]
        for part in chunks(np.flatnonzero(units == j), chunkSize):
            first[part] = hiddenUnitSlopes(net, X, y, epsilon, j, rows[part])
    for part in chunks(np.arange(len(hidden)), chunkSize):
        second[part] = outputWeightSlopes(net, y, epsilon, hidden[part], outputs[part])
    return slopes


# --- the same slopes of every weight, arranged for speed ------------------------------------------
#
# allSlopes computes structuredSlopes' numbers operation for operation, with fewer and larger
# numpy calls, all in place, so a sparse check's slopes are the full gradient's: bit for bit
# wherever numpy adds structuredSlopes' terms in order (it adds them pairwise when they lie
# example after example in memory: one input, or one output and 8 or more examples; there the
# last bits may differ). Some steps here and in DirectionSlopes are small matrix products (K = 2
# or 3) in which every product but the first is exact, a factor being 1, -1 or 0: a BLAS that
# adds the K terms in order (OpenBLAS's kernels do, with fused multiply-adds or without) rounds
# such an entry as the elementwise formula does, a rounded product, then rounded sums in order.

# The rows (2y, up, down) of a batch, times this, give (down - up, (2y - up) - down): the two
# factors of each term of J(+) - J(-) (see slopesFromPredictions), in one matrix product.
DIFFERENCE_AND_SUM = np.array([[0.0, -1.0, 1.0], [1.0, -1.0, -1.0]])


def sigmoidsOfNegated(values):
    """Turn values -z into s(z) = 1 / (1 + e^-z), in place, as partFour's sigmoid computes
    it from z (np.exp of -z, plus 1, 1 divided by that)."""
    np.exp(values, out=values)
    values += 1.0
    np.divide(1.0, values, out=values)


def termSums(rows, factors, weights):
    """Add up J(+) - J(-) term by term for nudged weights, as slopesFromPredictions does.

    In:  rows, a (..., 3, m) array: 2y and the predictions up and down, the ``weights`` (2 or
         more) nudged weights varying fastest; factors, a (..., 2, m) work array.
    Out: (..., weights): 2 (J(+) - J(-)) per weight, its terms added in the order of the rows.
    """
    np.matmul(DIFFERENCE_AND_SUM, rows, out=factors)
    difference, total = factors[..., 0, :], factors[..., 1, :]
    np.multiply(difference, total, out=difference)
    # row after row, as structuredSlopes' sums (with 2 weights or more)
    return difference.reshape(*difference.shape[:-1], -1, weights).sum(axis=-2)


class Layout(NamedTuple):
    """How FirstLayerSlopes cuts W1: each hidden unit's inputs in ``batches`` batches of
    ``take`` inputs (the last may have fewer), each batch ``width`` columns wide (the columns
    past its inputs hold zero steps, whose slopes are dropped), so every array keeps its shape;
    and the activation changes a panel at a time: ``panelUnits`` units x ``panelColumns``
    columns (several whole units, or several batches of one unit)."""

    take: int
    width: int
    batches: int
    panelUnits: int
    panelColumns: int


def layoutOfBatches(examples, inputs, units, chunkSize):
    """The Layout for at most chunkSize inputs per batch (equal batches of 2 columns or more:
    a matrix product with one column is a matrix-vector product, whose rounding may differ),
    and panels of at most BATCH_FLOATS // n columns (or one batch)."""
    batches = -(-inputs // min(chunkSize, inputs))
    take = -(-inputs // batches)
    width = max(2, take)
    capacity = max(width, BATCH_FLOATS // examples)
    if batches * width <= capacity:  # whole units
        return Layout(take, width, batches, min(units, capacity // (batches * width)),
                      batches * width)
    return Layout(take, width, batches, 1, capacity // width * width)


class FirstLayerSlopes:
    """The slopes along every weight of W1, in preallocated arrays.

    hiddenUnitSlopes' arithmetic (its readable form, built in notebook 12), rearranged so that
    each numpy call works in place on a batch of weights into one hidden unit j:

    * a side's output-layer input is an affine function of the unit's change delta:
      -z3(+-) = -delta W2[j, :] - z3 for every example and output, so one batched matrix
      product, [-W2[j], -z3] @ [delta; 1], gives both sides of the whole batch, already
      negated for the sigmoid (for about what the sigmoid's negation would cost);
    * the sigmoids then run in place, and termSums adds up J(+) - J(-) term by term.

    The activation changes delta, n times fewer numbers than a batch's predictions, are
    computed a panel at a time, so that those numpy calls are not tiny (see Layout). Work
    memory: about 5 n O width + 4 BATCH_FLOATS floats, the padded inputs and the slopes.
    """

    def __init__(self, net, X, y, epsilon, chunkSize):
        """In: ``net`` after its unnudged forward pass (z2, a2, z3 on it); validated X and y;
        epsilon; chunkSize, at most this many weights per batch (1 or more)."""
        examples, inputs = X.shape
        outputs, units = net.outputLayerSize, net.hiddenLayerSize
        self.layout = layout = layoutOfBatches(examples, inputs, units, chunkSize)
        self.net, self.inputs, self.epsilon = net, inputs, epsilon
        padded = layout.batches * layout.width
        self.steps = np.zeros((examples, layout.batches, layout.width))  # eps X, and zeros
        flat = np.zeros((examples, layout.batches * layout.take))
        np.multiply(epsilon, X, out=flat[:, :inputs])
        self.steps[:, :, :layout.take] = flat.reshape(examples, layout.batches, layout.take)
        self.steps = self.steps.reshape(examples, padded)
        pairs = examples * outputs * layout.width  # (example, output) pairs of a batch
        self.coefficients = np.empty((examples, outputs, 2))  # [-W2[j], -z3] per example
        np.negative(net.z3, out=self.coefficients[:, :, 1])
        # side, [delta; 1], example, unit and column of the panel
        self.basis = np.ones((2, 2, examples, layout.panelUnits, layout.panelColumns))
        self.rows = np.empty((3, pairs))  # 2y, and the predictions up and down
        self.rows[0] = np.repeat(2 * y.ravel(), layout.width)
        # -z3 at both sides, then the predictions up and down, per example and output
        self.sides = self.rows[1:].reshape(2, examples, outputs, layout.width)
        self.factors = np.empty((2, pairs))
        self.sums = np.empty((units, padded))  # a row per unit

    def slopes(self):
        """Out: every weight's slope, shaped like W1."""
        for units, columns in self.panels():
            self.activationChanges(units, columns)
            for panelUnit, j in enumerate(units):
                np.negative(self.net.W2[j], out=self.coefficients[:, :, 0])
                for offset in range(0, len(columns), self.layout.width):
                    batch = slice(columns.start + offset,
                                  columns.start + offset + self.layout.width)
                    self.sums[j, batch] = self.batchSums(panelUnit, offset)
        units, (take, width, batches, _, _) = len(self.sums), self.layout
        real = self.sums.reshape(units, batches, width)[:, :, :take].reshape(units, -1)
        return real[:, :self.inputs].T / (4 * self.epsilon)

    def panels(self):
        """Yield (units, columns), two ranges: the hidden units and padded columns of a panel."""
        padded, step = self.sums.shape[1], self.layout.panelColumns
        for first in range(0, len(self.sums), self.layout.panelUnits):
            units = range(first, min(first + self.layout.panelUnits, len(self.sums)))
            for start in range(0, padded, step):
                yield units, range(start, min(start + step, padded))

    def activationChanges(self, units, columns):
        """Put delta = s(z2[:, j] +- eps X[:, i]) - a2[:, j], for the ``units`` j and the
        padded columns i in ``columns``, in the basis (side 0: +eps, side 1: -eps)."""
        delta = self.basis[:, 0, :, :len(units), :len(columns)]
        step = self.steps[:, None, columns.start:columns.stop]
        negative = -self.net.z2[:, units.start:units.stop, None]
        np.subtract(negative, step, out=delta[0])  # -(z2 + step), exactly
        np.add(negative, step, out=delta[1])  # -(z2 - step)
        sigmoidsOfNegated(delta)
        delta -= self.net.a2[:, units.start:units.stop, None]

    def batchSums(self, panelUnit, offset):
        """In: where the batch starts in the panel (its unit, its first column), the unit's W2 row
        in the coefficients. Out: 2 (J(+) - J(-)) for each of its columns (termSums)."""
        basis = self.basis[:, :, :, panelUnit, offset:offset + self.layout.width]
        np.matmul(self.coefficients, basis.transpose(0, 2, 1, 3), out=self.sides)
        sigmoidsOfNegated(self.sides)
        return termSums(self.rows, self.factors, self.layout.width)


def allSlopes(net, X, y, epsilon, chunkSize=None):
    """The numerical slopes of every weight: structuredSlopes' numbers, computed faster.

    In:  ``net`` holding the weights (withParams); validated float64 X and y; epsilon;
         chunkSize, at most this many weights nudged per batch (None: n O batch stays within
         BATCH_FLOATS for W1's, n batch for W2's).
    Out: one slope per weight, in getParams' order, float64.
    """
    examples, size = len(X), net.W1.size + net.W2.size
    # W2's slopes first: structuredSlopes runs the unnudged pass on net (its documented
    # contract), leaving the z2, a2 and z3 that FirstLayerSlopes reads, so it runs only once.
    # outputWeightSlopes' arrays hold n numbers per weight, not n O: larger batches.
    second = structuredSlopes(net, X, y, epsilon, np.arange(net.W1.size, size),
                              chunkSize or max(1, BATCH_FLOATS // examples))
    first = FirstLayerSlopes(net, X, y, epsilon,
                             chunkSize or max(1, BATCH_FLOATS // (examples * net.outputLayerSize)))
    return np.concatenate((first.slopes().ravel(), second))


# --- the slopes along directions ------------------------------------------------------------------

class DirectionSlopes:
    """Centered slopes of the network along a group of directions, at several step sizes, in
    preallocated arrays: each numpy call serves the whole group. Moving the weights by +-eps v
    (v split into V1 and V2 like W1 and W2) changes z2 by +-eps X V1 and W2 by +-eps V2: the
    slope along v needs one product X V1 and the rest of two forward passes. The numbers are the
    plain formulas', rounding for rounding: the sigmoids take -z, and small matrix products with
    the rows [[-eps, -1], [eps, -1]] turn (X V1, z2) into (-(z2 + eps X V1), -(z2 - eps X V1))
    and (V2, W2) into -(W2 +- eps V2), the first term rounded and the second added (see the
    note above allSlopes on such products).
    """

    def __init__(self, net, X, y, epsilons, group):
        """In: ``net`` holding the weights; validated X and y; a tuple of step sizes; group, the
        most directions taken at once."""
        examples, hidden, outputs = len(X), net.hiddenLayerSize, net.outputLayerSize
        sizes = len(epsilons)
        self.X, self.outputs, self.count = X, outputs, 0
        self.steps = np.array([[[-epsilon, -1.0], [epsilon, -1.0]] for epsilon in epsilons])
        self.quarters = np.array([4 * epsilon for epsilon in epsilons])[:, None]
        self.inputs = np.empty((group, 2, examples, hidden))  # X V1 of a direction, and z2
        self.inputs[:, 1] = X @ net.W1  # one product X W1 for every direction
        self.weights = np.empty((group, 2, hidden, outputs))  # V2 of a direction, and W2
        self.weights[:, 1] = net.W2
        # per direction and step size: both sides' -z2, then a2; -(W2 +- eps V2); 2y and
        # both sides' predictions; the two factors of the cost's terms
        self.activations = np.empty((group, sizes, 2, examples, hidden))
        self.sideWeights = np.empty((group, sizes, 2, hidden, outputs))
        self.rows = np.empty((group, sizes, 3, examples * outputs))
        self.rows[:, :, 0] = 2 * y.ravel()
        self.factors = np.empty((group, sizes, 2, examples * outputs))

    def add(self, V1, V2):
        """Take one more direction (V1, V2) into the group: X V1 into the inputs, V2 beside W2."""
        np.matmul(self.X, V1, out=self.inputs[self.count, 0])
        self.weights[self.count, 0] = V2
        self.count += 1

    def slopes(self):
        """Out: (J(w + eps v) - J(w - eps v)) / (2 eps) along the directions taken, a row per
        direction and a column per step size (slopesFromPredictions' sums over the outputs).
        The group is empty again."""
        count, sizes = self.count, len(self.steps)
        inputs, activations = self.inputs[:count], self.activations[:count]
        np.matmul(self.steps, inputs.reshape(count, 1, 2, -1),
                  out=activations.reshape(count, sizes, 2, -1))
        sigmoidsOfNegated(activations)
        np.matmul(self.steps, self.weights[:count].reshape(count, 1, 2, -1),
                  out=self.sideWeights[:count].reshape(count, sizes, 2, -1))
        sides = self.rows[:count, :, 1:]  # -z3, then the predictions up and down
        np.matmul(activations, self.sideWeights[:count],
                  out=sides.reshape(*sides.shape[:-1], -1, self.outputs))
        sigmoidsOfNegated(sides)
        sums = termSums(self.rows[:count], self.factors[:count], self.outputs)
        self.count = 0
        return (sums / self.quarters).sum(axis=-1)  # each output's share, then the outputs


def knownCosts(N, X, y, params, direction, offsets):
    """The tutorial network's cost at the weights params + offset * direction, for each of the
    sequence ``offsets``, as a float64 array, rounded as costsAt's steps would give them.

    In:  N, whose cost the fast path knows; validated X and y; N's float64 weights ``params``
         and a float64 ``direction`` of the same length. Out: the costs. Each point's weights
         are written into one reused buffer and handed to one shallow copy of N as its W1
         and W2 (as withParams does): no weight vector or network is made per point, and N's
         weights never move.
    """
    point = np.empty_like(params)
    net, costs = copy.copy(N), np.empty(len(offsets))  # given the buffer's weights below
    parts = layoutOf(N, point.size).split(point)  # views of the buffer
    for k, offset in enumerate(offsets):
        if offset == 0:
            np.copyto(point, params)  # what params + 0 * direction gives
        else:
            np.multiply(offset, direction, out=point)
            point += params  # params + offset * direction, as measure.stepped rounds it
        for name, array in parts.items():  # again: a setter may keep a copy
            setattr(net, name, array)
        costs[k] = costValue(net, X, y)
    return costs


def knownDifferences(net, X, y, steps, epsilons):
    """Centered slopes of the network along given directions, at several step sizes.

    In:  ``net`` holding the weights (withParams); validated X and y; ``steps``, an iterable of
         unit vectors v (read once: only X V1 and V2 of each are kept); a tuple ``epsilons``.
    Out: (J(w + eps v) - J(w - eps v)) / (2 eps), a row per step size, a column per direction,
    computed in groups of at most DIRECTION_GROUP directions (activations within BATCH_FLOATS).
    """
    group = max(1, min(DIRECTION_GROUP,
                       BATCH_FLOATS // (2 * len(epsilons) * len(X) * net.hiddenLayerSize)))
    directions = DirectionSlopes(net, X, y, epsilons, group)
    slopes = [np.empty((0, len(epsilons)))]
    for v in steps:
        directions.add(v[:net.W1.size].reshape(net.W1.shape),
                       v[net.W1.size:].reshape(net.W2.shape))
        if directions.count == group:
            slopes.append(directions.slopes())
    if directions.count:
        slopes.append(directions.slopes())
    return np.concatenate(slopes).T


def vectorizedNumericalGradient(N, X, y, *, epsilon=1e-4, chunkSize=None):
    """The tutorial loop's numerical gradient, computed in batches with the structure trick.

    In:  a partFive.Neural_Network N (whose cost the fast path knows: see fastPathApplies),
         data X and y, a step size epsilon > 0, and chunkSize, at most this many weights
         perturbed per batch (None: a cache-sized batch, a few MiB of work memory).
    Out: a vector like N.getParams() whose entry p is (J(w + eps e_p) - J(w - eps e_p)) / (2 eps),
         equal to partFive.loopNumericalGradient's to about 1e-9 relative (only rounding
         differs). Raises what the loop would raise (TypeError/ValueError), or TypeError when
         the fast path does not know N's cost. N's weights are never changed.
    """
    prepared = preparedNetwork(N, X, y, VECTOR_METHODS, epsilon, roundTrip=False)
    checkFastPath(N, fastPathApplies(N, prepared.params))
    return knownGradient(N, prepared, chunkSize)


def knownGradient(N, prepared, chunkSize=None):
    """vectorizedNumericalGradient once N's inputs are validated (``prepared``, without the
    round trip) and the fast path found to apply: setParams is never called, so N is never
    changed."""
    net = withParams(N, prepared.params)
    chunkSize = checkChunkSize(chunkSize, len(prepared.X) * net.outputLayerSize, MAX_CHUNK_BYTES)
    return allSlopes(net, prepared.X, prepared.y, prepared.epsilon, chunkSize)
