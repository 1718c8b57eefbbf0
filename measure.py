"""Measuring: every number a gradient check takes from a network, and nothing judged.

A check flows one way: measure (this module, with weightVector and fastGradients below it: the
only code that calls a network) -> judge (``judge``: numbers in, a verdict out) -> report
(``gradientReport``: text, HTML, hints). ``measureCheck`` takes all a check needs at once:

    backprop's numbers      the gradient at the compared weights, or its slopes grad . v along
                            random unit directions v
    centered slopes         (J(w + eps v) - J(w - eps v)) / (2 eps) along the same weights or
                            directions, at eps and, for the derived rule, at 2 eps
    the kink test's sums    J(w + eps v) + J(w - eps v) at both steps (through the protocol only:
                            the fast path's sigmoid cost has no kinks)
    the cost's noise        its rounding noise near the weights (``costNoise``)

The slopes come through the protocol (getParams / setParams / costFunction:
``centeredDifferences``), or through fastGradients' structure trick when the cost is the
tutorial network's own (fastGradients.fastPathApplies). Either way N's weights are put back as
they were, also when the cost raises midway.
"""

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from fastGradients import fastPathApplies, knownDifferences, structuredSlopes, withParams
from validation import checkSeed, checkWholeNumber
from weightVector import asCost, backpropGradient, costValue, unitRoundoff

__all__ = ["Measurement", "measureCheck", "Noise", "costNoise", "noiseFromTable",
           "centeredDifferences", "coordinateEstimates", "directionalEstimates",
           "randomDirections", "randomCoordinates", "DEFAULT_COORDINATES"]

DEFAULT_COORDINATES = 100  # weights a sparse check compares, by default
NOISE_POINTS = 9  # cost evaluations of the noise probe (differences of order 1 to 8)
NOISE_ORDERS = range(2, 7)  # difference orders that may give the noise level (>= 3 values each)
NOISE_SPACING = 1e-3  # the noise probe's largest spacing


# --- steps: one weight, or a random direction -----------------------------------------------------

def stepped(params, step):
    """params + step in params' own dtype: a float32 network is moved in float32."""
    return (params + step).astype(params.dtype, copy=False)


def unitVector(position, size):
    """The vector e_p of ``size`` zeros with a 1 at ``position``."""
    vector = np.zeros(size)
    vector[position] = 1.0
    return vector


def randomDirections(count, size, seed=0):
    """Yield ``count`` random unit vectors of length ``size``, one at a time (memory: one vector).

    Each is a vector of independent standard normal numbers (numpy's
    default_rng(seed).standard_normal, in float32: half the memory traffic of float64, and the
    check needs no more precision in its directions) divided by its length, so it points
    anywhere on the unit sphere with equal probability. The vectors are float64, each a new
    array (the float32 draws share one).
    """
    count = checkWholeNumber(count, "directions", 1, example="2")
    generator = np.random.default_rng(checkSeed(seed))
    draw = np.empty(size, dtype=np.float32)
    for _ in range(count):
        generator.standard_normal(dtype=np.float32, out=draw)
        direction = draw.astype(float)
        direction /= math.sqrt(direction.dot(direction))  # np.linalg.norm's, without its checks
        yield direction


def randomCoordinates(count, size, seed=0):
    """``count`` different positions out of range(size), drawn with the seed, sorted.

    Drawn by np.random.default_rng(seed), whose streams are the same on numpy 1.26 and 2.x
    (a test pins them).
    """
    count = checkWholeNumber(count, "coordinates (weights to compare)", 1, size,
                             example=min(DEFAULT_COORDINATES, size))
    return np.sort(np.random.default_rng(checkSeed(seed)).choice(size, count, replace=False))


# --- centered slopes ------------------------------------------------------------------------------

def centeredDifferences(N, X, y, params, steps, epsilons, sums=False):
    """For each unit vector v in ``steps`` and each eps in ``epsilons``:
    (J(w + eps v) - J(w - eps v)) / (2 eps).

    In:  N (the protocol), validated X and y, N's weights ``params`` (weightVector.readParams),
         an iterable of unit vectors (read once, so it may be a generator), a tuple of step
         sizes; sums=True also returns J(w + eps v) + J(w - eps v) (what a kink test needs).
    Out: the slopes as a float64 array with a row per step size and a column per vector, or
    (slopes, sums). Only setParams and costFunction are called, so any network's real cost is
    what is measured. N's weights are put back as they were, also when the cost raises midway.
    """
    slopes, totals = [], []
    try:
        for v in steps:
            for epsilon in epsilons:
                N.setParams(stepped(params, epsilon * v))
                up = costValue(N, X, y)
                N.setParams(stepped(params, -epsilon * v))
                down = costValue(N, X, y)
                slopes.append((up - down) / (2 * epsilon))
                totals.append(up + down)
    finally:
        N.setParams(params)
    shape = (-1, len(epsilons))  # a row per vector, transposed to a row per step size
    slopes = np.array(slopes, dtype=float).reshape(shape).T
    return (slopes, np.array(totals, dtype=float).reshape(shape).T) if sums else slopes


def coordinateEstimates(N, prepared, positions, epsilons, sums=False, fast=None):
    """The numerical slopes of N at the weight ``positions`` (sorted), at each step size in
    ``epsilons``, through the fast path when it applies, else through the protocol.

    In:  N and its Prepared inputs (weightVector.preparedNetwork), the positions, a tuple of
         step sizes; sums=True also asks for J(+) + J(-) per position (the kink test's
         numbers); fast, whether the fast path applies (None: find out, with fastPathApplies).
    Out: (slopes, sums), each with a row per step size: sums is None on the fast path, whose
    sigmoid cost has no kinks.
    """
    if fastPathApplies(N) if fast is None else fast:
        net = withParams(N, prepared.params)
        return np.array([structuredSlopes(net, prepared.X, prepared.y, epsilon, positions)
                         for epsilon in epsilons]), None
    size = prepared.params.size
    steps = (unitVector(p, size) for p in positions)
    found = centeredDifferences(N, prepared.X, prepared.y, prepared.params, steps, epsilons,
                                sums)
    return found if sums else (found, None)


def directionalEstimates(N, prepared, count, epsilons, seed, grad, sums=False, fast=None):
    """Backprop's and the numerical slopes along ``count`` random directions (drawn with
    ``seed``), at each step size in ``epsilons``, through the fast path when it applies, else
    through the protocol. Each direction is drawn once, whatever the number of step sizes.

    In:  N and its Prepared inputs, the number of directions, a tuple of step sizes, the seed,
         backprop's gradient ``grad``; sums and fast as in coordinateEstimates.
    Out: (backprop slopes grad . v, numerical slopes, sums or None); the numerical slopes and
    the sums have a row per step size.
    """
    backprop = []

    def projecting(vectors):
        """Pass the directions on, noting backprop's slope grad . v along each."""
        for v in vectors:
            backprop.append(grad @ v)
            yield v

    unitVectors = projecting(randomDirections(count, prepared.params.size, seed))
    if fastPathApplies(N) if fast is None else fast:
        net = withParams(N, prepared.params)
        numerical = knownDifferences(net, prepared.X, prepared.y, unitVectors, epsilons)
        totals = None
    else:
        found = centeredDifferences(N, prepared.X, prepared.y, prepared.params, unitVectors,
                                    epsilons, sums)
        numerical, totals = found if sums else (found, None)
    return np.array(backprop), numerical, totals


# --- the cost's rounding noise --------------------------------------------------------------------

class Noise(NamedTuple):
    """What the noise probe measured near the weights."""

    sigma: float  # the typical rounding error of one cost evaluation
    cost: float  # the cost at the weights
    dtype: np.dtype  # the coarser of the weights' and the cost's precision


def costNoise(N, X, y, spacing, seed=0, params=None, fast=False):
    """Measure the rounding noise of N's cost near its weights.

    In:  a network N (getParams / setParams / costFunction), validated X and y, the spacing of
         the probe (the check's epsilon, at most NOISE_SPACING), a seed for the probe's random
         direction, N's weights (default: N.getParams()), and fast: True when the fast path
         applies (fastPathApplies), so the costs are taken on a copy of N holding each point's
         weights (withParams) and N itself is never moved.
    Out: a Noise: sigma, the typical rounding error of one evaluation of the cost near the
         weights (at least unit round-off times |J|, in the coarser of the weights' and the
         cost's precision); J, the cost at the weights; that precision.
    The cost is evaluated at NOISE_POINTS equally spaced points along a random unit direction
    and ``noiseFromTable`` reads sigma off their differences. N's weights are put back as they
    were, also when the cost raises.
    """
    params = np.array(N.getParams()) if params is None else params
    direction = next(randomDirections(1, len(params), seed))
    costs, dtype = [], params.dtype
    try:
        for step in range(NOISE_POINTS):
            cost, costType = costAt(N, X, y, stepped(params, step * spacing * direction), fast)
            costs.append(cost)
            if unitRoundoff(costType) > unitRoundoff(dtype):
                dtype = costType
    finally:
        if not fast:
            N.setParams(params)
    floor = unitRoundoff(dtype) * abs(costs[0])
    sigma = noiseFromTable(costs) if all(map(math.isfinite, costs)) else math.inf
    return Noise(max(sigma, floor), costs[0], np.dtype(dtype))


def costAt(N, X, y, params, fast):
    """N's cost at the weights ``params``, as asCost gives it: (the cost, its dtype).

    On the fast path (fast=True) a copy of N holds the weights (withParams) and N is not
    touched; otherwise N.setParams(params) moves N itself, and the caller puts its weights back.
    """
    if fast:
        return asCost(withParams(N, params).costFunction(X, y))
    N.setParams(params)
    return asCost(N.costFunction(X, y))


def noiseFromTable(costs):
    """The noise level sigma of equally spaced cost values, from their table of differences.

    The k-th differences of a smooth function shrink like spacing^k; those of independent noise
    of standard deviation sigma have mean square C(2k, k) sigma^2. So each order k gives an
    estimate sqrt(mean((k-th differences)^2) / C(2k, k)): the noise plus what is left of the
    smooth part. We take the lowest order (from NOISE_ORDERS) where the differences change sign
    (noise, not a smooth trend) and the next order agrees within a factor of 4 (the idea of
    More and Wild's ECnoise); failing that, the smallest estimate, which is still at least the
    noise. Out: sigma (0.0 when the values are all equal).
    """
    differences, estimates, changesSign = np.asarray(costs, dtype=float), {}, {}
    for order in range(1, max(NOISE_ORDERS) + 2):
        differences = np.diff(differences)
        estimates[order] = math.sqrt(np.mean(differences**2) / math.comb(2 * order, order))
        changesSign[order] = bool(np.any(differences[:-1] * differences[1:] < 0))
    for order in NOISE_ORDERS:
        here, following = estimates[order], estimates[order + 1]
        if changesSign[order] and max(here, following) <= 4 * min(here, following):
            return here
    return min(estimates[order] for order in NOISE_ORDERS)


# --- everything a check measures ------------------------------------------------------------------

@dataclass
class Measurement:
    """Every number one gradient check measured (see measureCheck); nothing judged yet."""

    grad: np.ndarray  # backprop's numbers compared: gradient entries, or slopes grad . v
    numerical: np.ndarray  # the centered slopes of the same, a row per step size
    epsilon: float
    places: list  # what each compared number is: (array, index) of a weight, ("", (k,)) a direction
    weightValues: np.ndarray  # the compared weights' values (None for directions)
    dtype: np.dtype  # the weights' precision
    weightScale: float  # the largest |weight|
    noise: Noise = None  # the cost's rounding noise (the derived rule only)
    sums: np.ndarray = None  # J(+) + J(-) per compared step, a row per step size (or None)


def measureCheck(N, prepared, method, count, seed, derived, fast):
    """Take every number a gradient check needs from N, once.

    In:  N and its Prepared inputs (weightVector.preparedNetwork); method "full",
         "directional" or "sparse"; count, the directions or weights a fast check compares;
         seed, which ones (and the noise probe's line); derived, True for the derived rule
         (slopes at epsilon and 2 epsilon, the kink test's sums and the cost's noise) or False
         for a fixed tolerance (slopes at epsilon only); fast, whether the fast path applies.
    Out: a Measurement. N's weights are left as they were.
    """
    params, epsilon = prepared.params, prepared.epsilon
    size = params.size
    # The fast path calls none of N's methods after this: backprop's vector needs no copy.
    grad = backpropGradient(N, prepared.X, prepared.y, size, copy=not fast)
    epsilons = (epsilon, 2 * epsilon) if derived else (epsilon,)
    if method == "directional":
        compared, numerical, sums = directionalEstimates(N, prepared, count, epsilons, seed,
                                                         grad, derived, fast)
        places, values = [("", (k,)) for k in range(count)], None
    else:
        positions = np.arange(size) if method == "full" else randomCoordinates(count, size, seed)
        numerical, sums = coordinateEstimates(N, prepared, positions, epsilons, derived, fast)
        compared, places = grad[positions], prepared.layout.places(positions)
        values = params[positions].astype(float)
    noise = None
    if derived:
        # The probe's points must be close enough for their high differences to cancel the
        # smooth part of the cost: at most NOISE_SPACING apart, however large epsilon is.
        noise = costNoise(N, prepared.X, prepared.y, min(epsilon, NOISE_SPACING), seed, params,
                          fast)
    scale = max(float(params.max(initial=0)), -float(params.min(initial=0)))  # max |w|
    return Measurement(compared, numerical, epsilon, places, values, params.dtype, scale,
                       noise, sums)
