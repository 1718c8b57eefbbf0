"""How trustworthy is checkGradient's verdict? Count false alarms and missed bugs, and time it.

Three sweeps, all seeded, over layer sizes, seeds, weight scales and random data:

    correct      correct backprops (partFive.Neural_Network, and bugGallery.WeightDecay, whose
                 changed cost goes through the slow path): how many fail, under the derived
                 allowances and under the tutorial's fixed tolerance 1e-7; how close a correct
                 weight comes to its allowance (largest |difference| / allowance; 1 would fail)
    gallery      every bug of bugGallery.GALLERY, wherever it changes the gradient by more
                 than 1e-6 (a transpose of a 1 x H matrix changes nothing): how many are caught,
                 and whether the wrong weights are named right: every weight the bug moves by
                 more than 1e-6 is named, and no weight it leaves alone
    offset       1e-5 added to every entry of one layer's gradient: how many are caught

Weight scales up to 40 saturate the sigmoids (gradient norms down to 1e-13); sigmoid inputs
are kept below 300 in size, where partFour's sigmoidPrime would overflow. Then the time of a
derived check against the fixed-rule check and the numerical gradient alone (median of
repeats), for the tutorial's 2-3-1 network and a 784-128-10 one.

Usage::

    python benchmarks/verdicts.py [--seeds N]
"""

import argparse
import itertools
import statistics
import time

import numpy as np

from bugGallery import GALLERY, OffsetGradient, WeightDecay, intended
from partFive import Neural_Network, X, checkGradient, computeNumericalGradient, y

SIZES = [(2, 3, 1), (4, 5, 2), (1, 8, 1), (6, 2, 3), (3, 1, 1), (1, 1, 1), (5, 10, 4), (8, 16, 3)]
CORRECT_SCALES = [0.01, 0.1, 0.3, 1, 3, 10, 20, 40]
BUG_SCALES = [0.3, 1, 3]
LARGEST_INPUT = 300


def setUp(cls, sizes, seed, scale):
    """A ``cls`` network with seeded weights times ``scale``, and seeded data (or None if some
    sigmoid input would exceed LARGEST_INPUT)."""
    rng = np.random.default_rng(seed)
    examples = int(rng.integers(1, 12))
    inputs = rng.uniform(-1, 1, (examples, sizes[0])) * rng.choice([1, 3])
    targets = rng.uniform(0, 1, (examples, sizes[2]))
    np.random.seed(seed)
    N = cls(*sizes)
    N.setParams(scale * N.getParams())
    z2 = inputs @ N.W1
    with np.errstate(over="ignore"):
        z3 = (1 / (1 + np.exp(-z2))) @ N.W2
    if max(np.abs(z2).max(), np.abs(z3).max()) >= LARGEST_INPUT:
        return None
    return N, inputs, targets


def correctSweep(seeds):
    """Check correct networks; print the counts."""
    checked = derivedAlarms = fixedAlarms = 0
    closest, smallestGradient = 0.0, np.inf
    for cls, sizes, scale, seed in itertools.product([Neural_Network, WeightDecay], SIZES,
                                                     CORRECT_SCALES, range(seeds)):
        case = setUp(cls, sizes, seed, scale)
        if case is None:
            continue
        N, inputs, targets = case
        result = checkGradient(N, inputs, targets, seed=seed)
        checked += 1
        derivedAlarms += not result.passed
        fixedAlarms += not checkGradient(N, inputs, targets, tolerance=1e-7).passed
        closest = max(closest, float(np.max(np.abs(result.grad - result.numgrad)
                                            / result.allowed)))
        smallestGradient = min(smallestGradient, float(np.linalg.norm(result.grad)))
    print(f"correct networks checked: {checked} ({len(SIZES)} layer sizes, "
          f"{len(CORRECT_SCALES)} weight scales {CORRECT_SCALES[0]}-{CORRECT_SCALES[-1]}, "
          f"{seeds} seeds, with and without weight decay)")
    print(f"  false alarms, derived allowances: {derivedAlarms}")
    print(f"  false alarms, fixed tolerance 1e-7: {fixedAlarms}")
    print(f"  closest a correct weight came to its allowance: {closest:.2f} of it")
    print(f"  smallest gradient norm checked: {smallestGradient:.1e}")


def correctTwin(name, sizes, N):
    """The correct network the bug ``name`` should have been, with N's weights."""
    twin = intended(GALLERY[name])(*sizes)
    twin.setParams(N.getParams())
    return twin


def gallerySweep(seeds):
    """Check every gallery bug where it changes the gradient; print the counts."""
    print(f"gallery bugs ({len(BUG_SCALES)} weight scales {BUG_SCALES}, {len(SIZES)} layer "
          f"sizes, {seeds} seeds):")
    total = caught = named = 0
    for name, cls in GALLERY.items():
        cases = hits = exact = 0
        for sizes, scale, seed in itertools.product(SIZES, BUG_SCALES, range(seeds)):
            case = setUp(cls, sizes, seed, scale)
            if case is None:
                continue
            N, inputs, targets = case
            deviation = np.abs(N.computeGradients(inputs, targets)
                               - correctTwin(name, sizes, N).computeGradients(inputs, targets))
            if deviation.max() <= 1e-6:
                continue
            result = checkGradient(N, inputs, targets)
            cases += 1
            hits += not result.passed
            touched = {result.names[p] for p in np.flatnonzero(deviation > 0)}
            changed = {result.names[p] for p in np.flatnonzero(deviation > 1e-6)}
            exact += changed <= set(result.wrongWeights) <= touched
        print(f"  {name:24s} caught {hits} of {cases}; wrong weights named right: {exact}")
        total, caught, named = total + cases, caught + hits, named + exact
    print(f"  all bugs: caught {caught} of {total}; wrong weights named right in {named}")


def offsetSweep(seeds):
    """Check the 1e-5 offset in each layer; print the count."""
    cases = caught = 0
    for layer, sizes, scale, seed in itertools.product(["W1", "W2"], SIZES, BUG_SCALES,
                                                       range(seeds)):
        case = setUp(OffsetGradient, sizes, seed, scale)
        if case is None:
            continue
        N, inputs, targets = case
        N.layer = layer
        cases += 1
        caught += not checkGradient(N, inputs, targets).passed
    print(f"offset of 1e-5 in one layer: caught {caught} of {cases}")


def medianSeconds(call, repeats):
    """The median wall time of ``repeats`` calls, after one untimed call."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timing():
    """Time the derived check against the fixed-rule check and the numerical gradient."""
    np.random.seed(0)
    big = Neural_Network(784, 128, 10)
    rng = np.random.default_rng(0)
    bigX, bigY = rng.uniform(0, 1, (64, 784)), rng.uniform(0, 1, (64, 10))
    for label, N, inputs, targets, repeats in [("2-3-1", Neural_Network(), X, y, 50),
                                                ("784-128-10", big, bigX, bigY, 5)]:
        calls = {
            "numerical": lambda N=N, inputs=inputs, targets=targets: computeNumericalGradient(
                N, inputs, targets),
            "fixed": lambda N=N, inputs=inputs, targets=targets: checkGradient(
                N, inputs, targets, tolerance=1e-7, method="full"),
            "derived": lambda N=N, inputs=inputs, targets=targets: checkGradient(
                N, inputs, targets, method="full"),
        }
        numerical, fixed, derived = (medianSeconds(call, repeats) for call in calls.values())
        print(f"{label}: numerical gradient {1e3 * numerical:.2f} ms, fixed-rule check "
              f"{1e3 * fixed:.2f} ms, derived check {1e3 * derived:.2f} ms "
              f"({derived / fixed:.2f}x the fixed-rule check)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="seeds per configuration")
    seeds = parser.parse_args().seeds
    start = time.perf_counter()
    correctSweep(seeds)
    gallerySweep(seeds)
    offsetSweep(seeds)
    timing()
    print(f"(whole run: {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
