"""Measuring: every number a gradient check takes from a network, and nothing judged.

With weightVector and fastGradients below it, this is the only code that calls a network.
``measureCheck`` takes all a check needs at once: backprop's numbers, their centered slopes
(through ``costsAt``, the one nudge loop, or fastGradients' structure trick when the cost is the
tutorial network's own), the kink test's sums J(+) + J(-) and the cost's noise (``costNoise``).
"""

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from checker.fastGradients import (
    allSlopes,
    fastPathApplies,
    knownCosts,
    knownDifferences,
    knownGradient,
    structuredSlopes,
    withParams,
)
from checker.validation import checkCoordinates, checkCost, checkDirections, checkSeed
from checker.weightLayout import powerOfTwoBelow, unitRoundoff
from checker.weightVector import backpropGradient, checkRoundTrip

__all__ = ["Measurement", "measureCheck", "Noise", "costNoise", "noiseFromTable", "costsAt",
           "loopGradient", "numericalGradient",
           "unitVector", "weightScale", "centeredDifferences", "coordinateEstimates",
           "directionalEstimates", "randomDirections", "randomCoordinates", "DEFAULT_COORDINATES"]

DEFAULT_COORDINATES = 100  # weights a sparse check compares, by default
NOISE_POINTS = 9  # cost evaluations of the noise probe (differences of order 1 to 8)
NOISE_ORDERS = range(2, 7)  # difference orders that may give the noise level (>= 3 values each)
NOISE_SPACING = 1e-3  # the noise probe's largest spacing


# --- steps: one weight, or a random direction -----------------------------------------------------

def stepped(params, step):
    """params + step in params' own dtype: a float32 network is moved in float32."""
    return (params + step).astype(params.dtype, copy=False)


def unitVector(position, size, dtype=np.float64):
    """The vector e_p of ``size`` zeros with a 1 at ``position``, in ``dtype`` (a float32
    network's steps epsilon e_p are then float32, as it is nudged)."""
    vector = np.zeros(size, dtype=dtype)
    vector[position] = 1
    return vector


def randomDirections(count, size, seed=0):
    """Yield ``count`` random unit vectors of length ``size``, one at a time (memory: one vector):
    independent standard normal numbers (default_rng(seed).standard_normal, in float32: half the
    memory traffic of float64, and the check needs no more precision in its directions) divided
    by their length, so each points anywhere on the unit sphere with equal probability. Each is
    a new float64 array (the float32 draws share one)."""
    count = checkDirections(count)
    generator = np.random.default_rng(checkSeed(seed))
    draw = np.empty(size, dtype=np.float32)
    for _ in range(count):
        generator.standard_normal(dtype=np.float32, out=draw)
        direction = draw.astype(float)
        direction /= math.sqrt(direction.dot(direction))  # np.linalg.norm's, without its checks
        yield direction


def randomCoordinates(count, size, seed=0):
    """``count`` different positions out of range(size), sorted, drawn by
    np.random.default_rng(seed), whose streams are the same on numpy 1.26 and 2.x (a test pins
    them)."""
    count = checkCoordinates(count, size, min(DEFAULT_COORDINATES, size))
    return np.sort(np.random.default_rng(checkSeed(seed)).choice(size, count, replace=False))


# --- centered slopes ------------------------------------------------------------------------------

def costsAt(N, X, y, params, steps):
    """The one nudge loop: N's cost at the weights params + step, for each step.

    In:  N (getParams / setParams / costFunction), validated X and y, a copy of N's weights
         ``params``, an iterable of steps shaped like params (read once: it may be a generator).
    Out: (the costs as a float64 array, the coarsest precision they came in). Only setParams
    and costFunction are called, so any network's real cost is measured. N's weights are put
    back as they were, also when the cost raises midway.
    """
    costs, dtype = [], np.dtype(np.float64)
    try:
        for step in steps:
            N.setParams(stepped(params, step))
            cost, costType = checkCost(N.costFunction(X, y))
            costs.append(cost)
            if unitRoundoff(costType) > unitRoundoff(dtype):
                dtype = np.dtype(costType)
    finally:
        N.setParams(params)
    return np.array(costs, dtype=float), dtype


def centeredDifferences(N, X, y, params, steps, epsilons, sums=False):
    """For each unit vector v in ``steps`` and each eps in ``epsilons``:
    (J(w + eps v) - J(w - eps v)) / (2 eps), through costsAt (which puts N's weights back).

    In:  as costsAt, with unit vectors for steps and a tuple of step sizes; sums=True also
         returns J(w + eps v) + J(w - eps v) (what a kink test needs).
    Out: the slopes, float64, a row per step size and a column per vector; or (slopes, sums).
    """
    def bothWays(vectors):
        for v in vectors:
            for epsilon in epsilons:
                yield epsilon * v
                yield -epsilon * v

    costs, _ = costsAt(N, X, y, params, bothWays(steps))
    up, down = costs[0::2], costs[1::2]
    shape = (-1, len(epsilons))  # a row per vector, transposed to a row per step size
    twice = 2 * np.array(epsilons, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):  # an infinite cost: judge says so
        slopes = ((up - down).reshape(shape) / twice).T
        return (slopes, (up + down).reshape(shape).T) if sums else slopes


def loopGradient(N, prepared):
    """The tutorial's loop on validated inputs (weightVector.preparedNetwork, round trip
    checked): (J(w + eps e_p) - J(w - eps e_p)) / (2 eps) for every weight p, nudged in the
    weights' own precision (a float32 network in float32), through centeredDifferences."""
    X, y, params, _, epsilon = prepared
    steps = (unitVector(p, params.size, params.dtype) for p in range(params.size))
    return centeredDifferences(N, X, y, params, steps, (epsilon,))[0]


def numericalGradient(N, prepared):
    """Every weight's centered slope, on inputs validated without the round trip: through the
    fast path when it applies (decided here, once, on the validated weights), else through the
    tutorial's loop once setParams is found to undo getParams."""
    if fastPathApplies(N, prepared.params):
        return knownGradient(N, prepared)
    checkRoundTrip(N, prepared.params, prepared.layout)  # the loop calls setParams
    return loopGradient(N, prepared)


def coordinateEstimates(N, prepared, positions, epsilons, sums, fast):
    """The numerical slopes of N at the weight ``positions`` (sorted), at each step size in
    ``epsilons``, through the fast path when it applies, else through the protocol.

    In:  N and its Prepared inputs (weightVector.preparedNetwork), the positions, a tuple of
         step sizes; sums=True also asks for J(+) + J(-) per position (the kink test's);
         fast, whether the fast path applies (the check decides it once).
    Out: (slopes, sums), a row per step size; sums is None on the fast path (no kinks).
    """
    if fast:
        net, X, y = withParams(N, prepared.params), prepared.X, prepared.y
        every = len(positions) == prepared.params.size  # a full check: allSlopes, twice as fast
        return np.array([allSlopes(net, X, y, epsilon) if every else
                         structuredSlopes(net, X, y, epsilon, positions)
                         for epsilon in epsilons]), None
    steps = (unitVector(p, prepared.params.size) for p in positions)
    found = centeredDifferences(N, prepared.X, prepared.y, prepared.params, steps, epsilons,
                                sums)
    return found if sums else (found, None)


def directionalEstimates(N, prepared, count, epsilons, seed, grad, sums, fast):
    """Backprop's and the numerical slopes along ``count`` random directions (drawn with
    ``seed``, each once, whatever the number of step sizes), as coordinateEstimates does.

    In:  N and its Prepared inputs, the number of directions, a tuple of step sizes, the seed,
         backprop's gradient ``grad``; sums and fast as in coordinateEstimates.
    Out: (backprop slopes grad . v, numerical slopes, sums or None), the last two a row per
    step size.
    """
    backprop = []

    def projecting(vectors):
        """Pass the directions on, noting backprop's slope grad . v along each."""
        for v in vectors:
            backprop.append(grad @ v)
            yield v

    unitVectors = projecting(randomDirections(count, prepared.params.size, seed))
    if fast:
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
    """The rounding noise of N's cost near its weights ``params`` (default: N.getParams()).

    The cost at NOISE_POINTS points ``spacing`` apart on a random line (drawn with ``seed``),
    through costsAt (which puts N's weights back), or with ``fast`` through knownCosts (on a
    copy of N), so N itself never moves. Out: a Noise, whose sigma is at least u |J|, one
    rounding of the cost in the coarser of the weights' and cost's precision.
    """
    params = np.array(N.getParams()) if params is None else params
    direction = next(randomDirections(1, len(params), seed))
    offsets = [step * spacing for step in range(NOISE_POINTS)]
    if fast:  # the tutorial network's float64 cost
        costs, dtype = knownCosts(N, X, y, params, direction, offsets), params.dtype
    else:
        steps = (offset * direction for offset in offsets)
        costs, costType = costsAt(N, X, y, params, steps)
        dtype = max(params.dtype, costType, key=unitRoundoff)
    floor = unitRoundoff(dtype) * abs(costs[0])
    sigma = noiseFromTable(costs) if np.all(np.isfinite(costs)) else math.inf
    return Noise(max(sigma, floor), float(costs[0]), np.dtype(dtype))


def noiseFromTable(costs):
    """The noise level sigma of equally spaced cost values (0.0 when they are all equal).

    The k-th differences of a smooth function shrink like spacing^k; those of noise of size
    sigma have mean square C(2k, k) sigma^2. Out: the estimate of the lowest order k whose
    differences change sign (noise, not a trend) and agree with order k + 1 within a factor of
    4 (as More and Wild's ECnoise); failing that, the smallest estimate.
    """
    costs = np.asarray(costs, dtype=float)
    # in units of a power of two near the largest cost: exact, and no square overflows
    unit = powerOfTwoBelow(float(np.max(np.abs(costs))))
    differences, estimates, changesSign = costs / unit, {}, {}
    for order in range(1, max(NOISE_ORDERS) + 2):
        differences = np.diff(differences)
        estimates[order] = unit * math.sqrt(np.mean(differences**2) / math.comb(2 * order, order))
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


def measureCheck(N, prepared, method, count, seed, tolerance, fast):
    """Take every number a gradient check needs from N, once.

    In:  N and its Prepared inputs (weightVector.preparedNetwork); method "full",
         "directional" or "sparse"; count, the directions or weights a fast check compares;
         seed, which ones (and the noise probe's line); the tolerance: None for the derived
         rule (slopes at epsilon and 2 epsilon, the kink test's sums and the cost's noise), a
         number for the fixed rule (slopes at epsilon only); fast, whether the fast path
         applies.
    Out: a Measurement. N's weights are left as they were.
    """
    params, epsilon = prepared.params, prepared.epsilon
    size, derived = params.size, tolerance is None
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
    return Measurement(compared, numerical, epsilon, places, values, params.dtype,
                       weightScale(params), noise, sums)


def weightScale(params):
    """The largest |weight| of a weight vector (0.0 for none): what rounds a step w + eps."""
    return max(float(params.max(initial=0)), -float(params.min(initial=0)))
