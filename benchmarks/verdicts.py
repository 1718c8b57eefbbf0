"""How trustworthy is checkGradient's verdict? Count false alarms and missed bugs, and time it.

Four sweeps, all seeded, over layer sizes, seeds, weight scales and random data:

    correct      correct backprops (partFive.Neural_Network, and bugGallery.WeightDecay, whose
                 changed cost goes through the slow path): how many fail, under the derived
                 allowances and under the tutorial's fixed tolerance 1e-7; how close a correct
                 weight comes to its allowance (largest |difference| / allowance; 1 would fail)
    gallery      every bug of bugGallery.GALLERY, wherever it changes the gradient by more
                 than 1e-6 (a transpose of a 1 x H matrix changes nothing): how many are caught,
                 and whether the wrong weights are named right: every weight the bug moves by
                 more than 1e-6 is named, and no weight it leaves alone
    offset       1e-5 added to every entry of one layer's gradient: how many are caught
    kinds        networks of other kinds, written here from scratch with their own backprop and
                 checked through the protocol (getParams / setParams / costFunction /
                 computeGradients, paramNames ("W1", "b1", "W2", "b2")): tanh with biases, ReLU
                 (random weights, so kinks are rare), softmax with cross-entropy, float32
                 (weights, data and cost; epsilon 1e-2 and 1e-4), and a cost with an L2 penalty.
                 For each kind: correct networks (false alarms = "failed"; inconclusive), and
                 planted bugs (missing bias gradient, a sign flip in dJ/dW2, a wrong activation
                 derivative, the penalty missing from the gradient): caught = "failed" naming
                 the weight the bug moves most and no weight it leaves alone; missed = the
                 other verdicts, "inconclusive" or "passed" (the last must never happen).

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

from checker.weightVector import WeightVector
from course.bugGallery import GALLERY, OffsetGradient, WeightDecay, intended
from partFive import Neural_Network, X, checkGradient, computeNumericalGradient, y

SIZES = [(2, 3, 1), (4, 5, 2), (1, 8, 1), (6, 2, 3), (3, 1, 1), (1, 1, 1), (5, 10, 4), (8, 16, 3)]
CORRECT_SCALES = [0.01, 0.1, 0.3, 1, 3, 10, 20, 40]
BUG_SCALES = [0.3, 1, 3]
LARGEST_INPUT = 300
KIND_SIZES = [(2, 3, 1), (4, 5, 2), (1, 8, 1), (6, 2, 3), (3, 1, 2), (5, 10, 4), (8, 16, 3)]
KIND_SCALES = [0.3, 1, 3]
DECAY = 0.1  # the L2 penalty's strength: (DECAY / 2) |W|^2 on W1 and W2, not on the biases
BUG_FLOOR = 1e-2  # a planted bug counts where it moves the gradient by 1% of its norm or more


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
    checked = derivedAlarms = derivedInconclusive = fixedAlarms = 0
    closest, smallestGradient = 0.0, np.inf
    for cls, sizes, scale, seed in itertools.product([Neural_Network, WeightDecay], SIZES,
                                                     CORRECT_SCALES, range(seeds)):
        case = setUp(cls, sizes, seed, scale)
        if case is None:
            continue
        N, inputs, targets = case
        result = checkGradient(N, inputs, targets, seed=seed)
        checked += 1
        derivedAlarms += result.status == "failed"
        derivedInconclusive += result.status == "inconclusive"
        fixedAlarms += checkGradient(N, inputs, targets, tolerance=1e-7).status == "failed"
        closest = max(closest, float(np.max(np.abs(result.grad - result.numgrad)
                                            / result.allowed)))
        smallestGradient = min(smallestGradient, float(np.linalg.norm(result.grad)))
    print(f"correct networks checked: {checked} ({len(SIZES)} layer sizes, "
          f"{len(CORRECT_SCALES)} weight scales {CORRECT_SCALES[0]}-{CORRECT_SCALES[-1]}, "
          f"{seeds} seeds, with and without weight decay)")
    print(f"  false alarms (failed), derived allowances: {derivedAlarms}; inconclusive: "
          f"{derivedInconclusive}")
    print(f"  false alarms (failed), fixed tolerance 1e-7: {fixedAlarms}")
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
        cases = hits = exact = unsure = 0
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
            hits += result.status == "failed"
            unsure += result.status == "inconclusive"
            touched = {result.names[p] for p in np.flatnonzero(deviation > 0)}
            changed = {result.names[p] for p in np.flatnonzero(deviation > 1e-6)}
            exact += changed <= set(result.wrongWeights) <= touched
        print(f"  {name:24s} caught (failed) {hits} of {cases}; wrong weights named right: "
              f"{exact}" + (f"; inconclusive {unsure}" if unsure else ""))
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
        caught += checkGradient(N, inputs, targets).status == "failed"
    print(f"offset of 1e-5 in one layer: caught (failed) {caught} of {cases}")


# --- other kinds of network, written from scratch -------------------------------------------------

class ScratchNetwork(WeightVector):
    """A two-layer network with biases, its own forward pass and backprop, seen by the checks
    only through the protocol: h = f(X W1 + b1), out = h W2 + b2, and either the squared error
    1/2 sum (y - out)^2 or, with ``softmax``, the cross-entropy -sum y log softmax(out) of
    one-hot targets y; ``decay`` adds (decay / 2)(|W1|^2 + |W2|^2) to the cost. Everything,
    the cost included, is computed in ``dtype``. ``bug`` plants one mistake in backprop (see
    BUGS); None is the correct backprop."""

    paramNames = ("W1", "b1", "W2", "b2")

    def __init__(self, sizes, rng, scale, activation="tanh", softmax=False, decay=0.0,
                 dtype=np.float64, bug=None):
        inputs, hidden, outputs = sizes
        self.activation, self.softmax, self.decay, self.dtype, self.bug = \
            activation, softmax, decay, np.dtype(dtype), bug
        draw = lambda *shape: (scale * rng.standard_normal(shape)).astype(dtype)  # noqa: E731
        self.W1, self.b1 = draw(inputs, hidden), draw(hidden)
        self.W2, self.b2 = draw(hidden, outputs), draw(outputs)

    def hiddenLayer(self, X):
        """(pre-activation z, activation h) of the hidden layer."""
        z = X @ self.W1 + self.b1
        h = np.tanh(z) if self.activation == "tanh" else np.maximum(z, 0)
        return z, h

    def costFunction(self, X, y):
        _, h = self.hiddenLayer(X)
        out = h @ self.W2 + self.b2
        if self.softmax:
            shifted = out - out.max(axis=1, keepdims=True)
            logProbabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            cost = -np.sum(y * logProbabilities)
        else:
            cost = 0.5 * np.sum((y - out) ** 2)
        if self.decay:
            cost = cost + self.dtype.type(self.decay / 2) * (np.sum(self.W1 ** 2)
                                                             + np.sum(self.W2 ** 2))
        return self.dtype.type(cost)

    def computeGradients(self, X, y):
        z, h = self.hiddenLayer(X)
        out = h @ self.W2 + self.b2
        if self.softmax:
            probabilities = np.exp(out - out.max(axis=1, keepdims=True))
            probabilities /= probabilities.sum(axis=1, keepdims=True)
            deltaOut = probabilities * y.sum(axis=1, keepdims=True) - y
        else:
            deltaOut = out - y
        dW2, db2 = h.T @ deltaOut, deltaOut.sum(axis=0)
        if self.activation == "tanh":
            slope = 1 - h if self.bug == "wrong activation derivative" else 1 - h ** 2
        else:
            slope = h if self.bug == "wrong activation derivative" else (z > 0).astype(h.dtype)
        deltaHidden = (deltaOut @ self.W2.T) * slope
        dW1, db1 = X.T @ deltaHidden, deltaHidden.sum(axis=0)
        if self.decay and self.bug != "penalty missing from the gradient":
            dW1, dW2 = dW1 + self.decay * self.W1, dW2 + self.decay * self.W2
        if self.bug == "missing bias gradient":
            db1 = np.zeros_like(db1)
        if self.bug == "sign flip in dJ/dW2":
            dW2 = -dW2
        return np.concatenate([g.ravel() for g in (dW1, db1, dW2, db2)]).astype(self.dtype)


BUGS = ["missing bias gradient", "sign flip in dJ/dW2", "wrong activation derivative",
        "penalty missing from the gradient"]
KINDS = {  # name: (ScratchNetwork options, epsilon)
    "tanh, biases": ({}, 1e-4),
    "ReLU, biases": ({"activation": "relu"}, 1e-4),
    "softmax + cross-entropy": ({"softmax": True}, 1e-4),
    "float32, epsilon 1e-2": ({"dtype": np.float32}, 1e-2),
    "float32, epsilon 1e-4": ({"dtype": np.float32}, 1e-4),
    "L2 penalty in the cost": ({"decay": DECAY}, 1e-4),
}


def kindCase(options, sizes, seed, scale, bug=None):
    """A seeded ScratchNetwork and data: inputs in [-1, 1] (or [-3, 3]), targets in [-1, 1]
    (one-hot classes for softmax), in the network's dtype."""
    rng = np.random.default_rng([seed, *sizes, int(10 * scale)])
    inputs, hidden, outputs = sizes
    if options.get("softmax"):
        outputs = max(outputs, 2)
    examples = int(rng.integers(1, 12))
    dtype = options.get("dtype", np.float64)
    X = (rng.uniform(-1, 1, (examples, inputs)) * rng.choice([1, 3])).astype(dtype)
    if options.get("softmax"):
        y = np.eye(outputs, dtype=dtype)[rng.integers(0, outputs, examples)]
    else:
        y = rng.uniform(-1, 1, (examples, outputs)).astype(dtype)
    N = ScratchNetwork((inputs, hidden, outputs), rng, scale, bug=bug, **options)
    return N, X, y


def appliesTo(bug, options):
    """Whether the kind has what the bug breaks (only a penalised cost can lose its penalty)."""
    return bug != "penalty missing from the gradient" or options.get("decay", 0) > 0


def bugCaught(result, deviation):
    """A bug is caught when the check fails and names the weight the bug moves most, and no
    weight the bug leaves alone."""
    if result.status != "failed":
        return False
    touched = {result.names[p] for p in np.flatnonzero(deviation > 0)}
    worst = result.names[int(np.argmax(deviation))]
    return worst in result.wrongWeights and set(result.wrongWeights) <= touched


def reasonWord(result):
    """An inconclusive verdict's first reason, in a word or two."""
    first = result.reasons[0] if result.reasons else ""
    for start, word in [("the only disagreements are at a kink", "kinks"),
                        ("the cost is not finite", "not finite"),
                        ("epsilon", "epsilon lost" if "lost in rounding" in first
                         else "epsilon too large")]:
        if first.startswith(start):
            return word
    return "resolution"


def kindSweep(seeds):
    """Check correct and buggy networks of every kind; print a table of counts."""
    print(f"other kinds of network, through the protocol ({len(KIND_SIZES)} layer sizes, "
          f"{len(KIND_SCALES)} weight scales {KIND_SCALES}, {seeds} seeds; a bug counts where "
          f"it moves the gradient by >= {BUG_FLOOR:.0%} of its norm):")
    header = ("kind", "correct", "false alarms", "inconclusive", "bugs", "caught",
              "missed, inconclusive", "missed, passed")
    rows, notes = [], []
    for kind, (options, epsilon) in KINDS.items():
        counts = dict.fromkeys(header[1:], 0)
        why, misnamed = {}, 0
        small = dict.fromkeys(["caught", "failed", "inconclusive", "passed"], 0)
        for sizes, scale, seed in itertools.product(KIND_SIZES, KIND_SCALES, range(seeds)):
            N, X, y = kindCase(options, sizes, seed, scale)
            result = checkGradient(N, X, y, epsilon=epsilon, seed=seed)
            counts["correct"] += 1
            counts["false alarms"] += result.status == "failed"
            if result.status == "inconclusive":
                counts["inconclusive"] += 1
                why[reasonWord(result)] = why.get(reasonWord(result), 0) + 1
            correct = N.computeGradients(X, y).astype(float)
            for bug in BUGS:
                if not appliesTo(bug, options):
                    continue
                buggy, _, _ = kindCase(options, sizes, seed, scale, bug)
                deviation = np.abs(buggy.computeGradients(X, y).astype(float) - correct)
                if not deviation.any():
                    continue  # the bug changes nothing here (say, a dead ReLU unit)
                result = checkGradient(buggy, X, y, epsilon=epsilon, seed=seed)
                if np.linalg.norm(deviation) < BUG_FLOOR * np.linalg.norm(correct):
                    small[result.status if not bugCaught(result, deviation) else "caught"] += 1
                    continue  # the bug hardly changes this network's gradient: not counted
                counts["bugs"] += 1
                if bugCaught(result, deviation):
                    counts["caught"] += 1
                elif result.status == "inconclusive":
                    counts["missed, inconclusive"] += 1
                elif result.status == "passed":
                    counts["missed, passed"] += 1
                else:
                    misnamed += 1
        rows.append((kind, *map(str, counts.values())))
        if why:
            notes.append(f"  {kind}: inconclusive correct networks, by first reason: "
                         + ", ".join(f"{word} {count}" for word, count in sorted(why.items())))
        if misnamed:
            notes.append(f"  {kind}: {misnamed} bug(s) failed but named other weights")
        if sum(small.values()):
            notes.append(f"  {kind}: {sum(small.values())} planted bug(s) moved the gradient by "
                         f"less than {BUG_FLOOR:.0%} (not counted above): " + ", ".join(
                             f"{status} {count}" for status, count in small.items() if count))
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, *rows]:
        print("  " + "  ".join(text.rjust(width) if column else text.ljust(width)
                               for column, (text, width) in enumerate(zip(row, widths))))
    for note in notes:
        print(note)
    passed = sum(int(row[-1]) for row in rows)
    print(f"  missed and passed, all kinds: {passed} (must be 0)")


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
    kindSweep(seeds)
    timing()
    print(f"(whole run: {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
