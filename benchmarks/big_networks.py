"""Time every way to check a sigmoid network's gradient, from the tutorial's 9 weights to 101,632.

Sizes (float64):   2-3-1 with the tutorial's data (n = 3), 64-128-10 and 784-128-10 (n = 32 both,
                   so that the growth from one to the other is the growth with P alone)
Methods, timed in one run (median of repeated runs; a method that takes longer than --budget
seconds runs once, like the tutorial's loop on the big network):

    tutorial's loop       partFive.loopNumericalGradient: 2P cost evaluations in Python
    vectorized            fastGradients.vectorizedNumericalGradient: the loop's numbers in numpy
    directional           checkGradient(method="directional", tolerance=1e-7): default
                          directions, and the cost of one more direction; also with the
                          derived allowances (tolerance=None: slopes at 2 epsilon too, and the
                          noise probe's 9 cost evaluations)
    sparse                checkGradient(method="sparse", tolerance=1e-7): 100 random weights
                          (all 9 for 2-3-1)
    backprop              N.computeGradients: one analytical gradient, for scale
    drawing               measure.randomDirections: the k default Gaussian directions alone
                          (numpy's standard_normal in float32, normalised)
    scipy approx_fprime   scipy.optimize.approx_fprime (forward differences: P + 1 costs) and
    scipy check_grad      scipy.optimize.check_grad, both on a lean numpy cost
    torch gradcheck       torch.autograd.gradcheck, fast_mode=False and True, on the same cost
                          written in torch (skipped, with a message, when torch is missing:
                          pip install -r benchmarks/requirements-torch.txt)

It also checks that the vectorized gradient equals the loop's (to 1e-9 relative), measures the
vectorized gradient's peak extra memory with tracemalloc, and prints how each method's time grows
with the number of weights P, then our targets at the big network with their ratios (and the
ratios to the floors at the other sizes). It writes three files to benchmarks/results/:

    big_networks.txt           every figure above, at every size, with the set-up it ran on
    big_networks_summary.txt   the few rows a learner needs: the tutorial's loop, the vectorized
                               gradient, the directional and sparse checks and one backprop at
                               784-128-10, each with its speed-up over the loop and its growth
                               with P (no set-up notes, no version strings)
    big_networks.png           a log-log figure of time against P for four of them: the loop,
                               the vectorized gradient, the directional check and one backprop

The course's notebook 12 shows the summary and the figure (it reads them; it never times
anything). The targets go to stdout only.

Three targets compare a check with its floor, the work it cannot avoid, timed in turns with it
in the same run (the two alternate; medians), so a busy machine slows both alike:

    directional, fixed rule    one backprop (N.computeGradients) + 2k cost evaluations
                               (N.costFunction; k = the default directions) + drawing the k
                               directions (standard_normal(P, dtype=np.float32) each)
    directional, derived rule  one backprop + 4k + 9 costs (the slopes at 2 epsilon too, and
                               the noise probe's 9 costs) + drawing k + 1 directions (the
                               probe's line is one more)
    vectorized gradient        the sigmoids it needs (2 I H n O + 2 I H n + 2 H O n of them),
                               each evaluated by numpy in place in cache-sized chunks: negative,
                               exp, add 1, reciprocal (as 1 / x, numpy's faster way)

Every method runs on one core: the script sets OPENBLAS/OMP/MKL_NUM_THREADS=1 (unless already
set) and torch.set_num_threads(1), so BLAS threads neither help nor, on a busy machine, hurt one
method more than another. It also asks glibc's malloc to keep freed memory (keepFreedMemory):
otherwise each run of a check may fault in its big arrays' pages anew, which on a virtual machine
can double a directional check's time, and by how much depends on what ran before it. Timings
are never asserted by the test suite: they depend on the machine and on what else it runs (see
benchmarks/suite_time.py for why).

Usage:  python benchmarks/big_networks.py [--budget SECONDS] [--no-save]
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy (and torch) start their thread pools

import argparse  # noqa: E402
import ctypes  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.optimize import approx_fprime, check_grad  # noqa: E402

import partFive  # noqa: E402
from checker.fastGradients import vectorizedNumericalGradient  # noqa: E402
from checker.judge import defaultDirections  # noqa: E402
from checker.measure import randomDirections  # noqa: E402

try:
    import torch
    from torch.autograd import gradcheck
except ImportError:  # a benchmark-only dependency
    torch = None

RESULTS = Path(__file__).resolve().parent / "results"
EPSILON = 1e-4
FIXED = 1e-7  # the fast checks are timed with the fixed rule, the kind of test torch's is
SIZES = [(2, 3, 1, 3), (64, 128, 10, 32), (784, 128, 10, 32)]  # inputs, hidden, outputs, n
TARGETS = [  # at 784-128-10: (what, faster method, slower method, at least this many times)
    ("vectorized vs the tutorial's loop", "vectorized", "loop", 300),
    ("vectorized vs scipy approx_fprime", "vectorized", "scipy approx_fprime", 50),
    ("vectorized vs torch gradcheck, slow mode", "vectorized", "torch gradcheck", 200),
    ("directional (default) vs torch gradcheck, fast mode", "directional", "torch fast", 5),
]
MEMORY_TARGET = 256 * 2**20
FLOOR_TARGETS = [  # at 784-128-10: (what, method, its floor, at most this many times the floor)
    ("directional (default, fixed rule) vs its floor", "directional", "floor, fixed", 1.3),
    ("directional (default, derived rule) vs its floor", "directional, derived allowances",
     "floor, derived", 1.3),
    ("vectorized vs its floor (its sigmoids in numpy)", "vectorized", "floor, sigmoids", 2.0),
]
FLOOR_NAMES = {"directional": "directional (fixed rule)",
               "directional, derived allowances": "directional (derived rule)",
               "vectorized": "vectorized"}
FLOOR_LABELS = {
    "floor, fixed": "backprop + 2k costs + k directions",
    "floor, derived": "backprop + (4k + 9) costs + k + 1 directions",
    "floor, sigmoids": "the vectorized gradient's sigmoids, numpy",
}
FLOOR_CHUNK = 2**15  # floats per chunk of the sigmoid floor (256 KiB: in the L2 cache)


def problem(inputs, hidden, outputs, examples):
    """A seeded network and data. 2-3-1 is the tutorial's (its data, np.random.seed(0)); the
    others have data in [0, 1] like the tutorial's scaled data, and randn weights divided by
    the square root of each layer's fan-in, so their sigmoids are not saturated."""
    np.random.seed(0)
    N = partFive.Neural_Network(inputs, hidden, outputs)
    if (inputs, hidden, outputs) == (2, 3, 1):
        return N, partFive.X, partFive.y
    N.setParams(np.concatenate(((N.W1 / np.sqrt(inputs)).ravel(),
                                (N.W2 / np.sqrt(hidden)).ravel())))
    data = np.random.RandomState(1)
    return N, data.rand(examples, inputs), data.rand(examples, outputs)


def leanCost(N, X, y):
    """The cost and its backprop gradient as plain functions of the weight vector, for scipy."""
    inputs, hidden, outputs = N.inputLayerSize, N.hiddenLayerSize, N.outputLayerSize

    def weights(w):
        return w[:inputs * hidden].reshape(inputs, hidden), w[inputs * hidden:].reshape(hidden,
                                                                                        outputs)

    def cost(w):
        W1, W2 = weights(w)
        yHat = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(X @ W1))) @ W2)))
        return float(0.5 * np.sum((y - yHat) ** 2))

    def grad(w):
        N.setParams(w)
        return N.computeGradients(X, y)

    return cost, grad


def torchCost(N, X, y):
    """The same cost written in torch, and its weights as float64 tensors that need grad."""
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def cost(W1, W2):
        yHat = torch.sigmoid(torch.sigmoid(Xt @ W1) @ W2)
        return 0.5 * ((yt - yHat) ** 2).sum()

    return cost, (torch.tensor(N.W1, requires_grad=True), torch.tensor(N.W2, requires_grad=True))


def timed(call, budget):
    """Median seconds of call() over repeated runs: once if one run takes more than ``budget``,
    otherwise as many runs (3 to 21) as fit in about 3 budgets. Out: (median, runs, result)."""
    start = time.perf_counter()
    result = call()
    times = [time.perf_counter() - start]
    runs = 1 if times[0] > budget else min(21, max(3, int(3 * budget / max(times[0], 1e-6))))
    for _ in range(runs - 1):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), result


def keepFreedMemory():
    """Ask glibc's malloc (where there is one) to keep the memory numpy frees, instead of
    handing it back to the OS and faulting its pages in again at the next allocation: on a
    virtual machine a fresh 800 KB array's page faults can cost as much as the arithmetic done
    with it, and they come and go with the allocator's history (what ran before). Out: True if
    the allocator took the settings."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
        M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
        return bool(mallopt(M_TRIM_THRESHOLD, 2**30)) and bool(mallopt(M_MMAP_THRESHOLD,
                                                                           2**25))
    except (AttributeError, OSError, TypeError):  # not glibc
        return False


def alternating(calls, budget):
    """Median seconds of each of ``calls`` ({name: call}), timed in turns: A, B, A, B, ... so that
    a change in the machine's load falls on all of them. As many rounds (5 to 41) as fit in
    about 3 budgets. Out: {name: median seconds}."""
    start = time.perf_counter()
    for call in calls.values():
        call()
    rounds = min(41, max(5, int(3 * budget / max(time.perf_counter() - start, 1e-6))))
    times = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def sigmoidCount(N, examples):
    """How many sigmoids the vectorized gradient evaluates: for each first-layer weight, n O
    predictions and n hidden activations per side; for each second-layer weight, n predictions
    per side."""
    inputs, hidden, outputs = N.inputLayerSize, N.hiddenLayerSize, N.outputLayerSize
    return 2 * inputs * hidden * examples * (outputs + 1) + 2 * hidden * outputs * examples


def sigmoidFloor(count):
    """A call that evaluates ``count`` sigmoids 1 / (1 + e^-z) with numpy, in place, in chunks of
    FLOOR_CHUNK floats: negative, exp, add 1, reciprocal (np.divide(1.0, t), which is faster
    than np.reciprocal), into one buffer."""
    inputs = np.random.default_rng(0).standard_normal(FLOOR_CHUNK)
    buffer = np.empty(FLOOR_CHUNK)

    def evaluate():
        for start in range(0, count, FLOOR_CHUNK):
            size = min(FLOOR_CHUNK, count - start)
            work = buffer[:size]
            np.negative(inputs[:size], out=work)
            np.exp(work, out=work)
            work += 1.0
            np.divide(1.0, work, out=work)

    return evaluate


def costsFloor(N, X, y, costs, directions):
    """A call that runs one backprop and ``costs`` cost evaluations of N and draws
    ``directions`` Gaussian vectors of N's size with numpy's standard_normal in float32: what a
    directional check cannot do without."""
    size = N.getParams().size

    def evaluate():
        N.computeGradients(X, y)
        for _ in range(costs):
            N.costFunction(X, y)
        generator = np.random.default_rng(0)
        for _ in range(directions):
            generator.standard_normal(size, dtype=np.float32)

    return evaluate


def peakMemory(call):
    """Peak memory (bytes) that call() allocates on top of what is already there (tracemalloc)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(sizes, budget):
    """Time every method on one size. Out: dict of results (times in seconds, runs, checks)."""
    inputs, hidden, outputs, examples = sizes
    N, X, y = problem(*sizes)
    P = N.getParams().size
    k = defaultDirections(P)
    times, runs = {}, {}

    def record(name, call):
        times[name], runs[name], result = timed(call, budget)
        return result

    loop = record("loop", lambda: partFive.loopNumericalGradient(N, X, y, epsilon=EPSILON))
    fast = record("vectorized", lambda: vectorizedNumericalGradient(N, X, y, epsilon=EPSILON))
    directional = record("directional", lambda: partFive.checkGradient(
        N, X, y, epsilon=EPSILON, tolerance=FIXED, method="directional"))
    record("directional, 1 direction", lambda: partFive.checkGradient(
        N, X, y, epsilon=EPSILON, tolerance=FIXED, method="directional", directions=1))
    record(f"directional, {k + 8} directions", lambda: partFive.checkGradient(
        N, X, y, epsilon=EPSILON, tolerance=FIXED, method="directional", directions=k + 8))
    record("directional, derived allowances", lambda: partFive.checkGradient(
        N, X, y, epsilon=EPSILON, method="directional"))
    sparse = record("sparse", lambda: partFive.checkGradient(
        N, X, y, epsilon=EPSILON, tolerance=FIXED, method="sparse"))
    record("backprop", lambda: N.computeGradients(X, y))
    record("drawing", lambda: sum(1 for _ in randomDirections(k, P)))  # part of a check's time
    cost, grad = leanCost(N, X, y)
    params = N.getParams()
    record("scipy approx_fprime", lambda: approx_fprime(params, cost, EPSILON))
    record("scipy check_grad", lambda: check_grad(cost, grad, params, epsilon=EPSILON))
    N.setParams(params)
    if torch is not None:
        torchFunction, tensors = torchCost(N, X, y)
        passed = record("torch gradcheck", lambda: gradcheck(torchFunction, tensors, eps=EPSILON,
                                                              atol=1e-5, rtol=1e-3))
        passedFast = record("torch fast", lambda: gradcheck(torchFunction, tensors, eps=EPSILON,
                                                            atol=1e-5, rtol=1e-3, fast_mode=True))
    floors = {}  # each target's method and its floor, timed in turns, pair by pair
    for method, call, floor, floorCall in [
            ("directional", lambda: partFive.checkGradient(
                N, X, y, epsilon=EPSILON, tolerance=FIXED, method="directional"),
             "floor, fixed", costsFloor(N, X, y, 2 * k, k)),
            ("directional, derived allowances", lambda: partFive.checkGradient(
                N, X, y, epsilon=EPSILON, method="directional"),
             "floor, derived", costsFloor(N, X, y, 4 * k + 9, k + 1)),
            ("vectorized", lambda: vectorizedNumericalGradient(N, X, y, epsilon=EPSILON),
             "floor, sigmoids", sigmoidFloor(sigmoidCount(N, examples)))]:
        floors.update(alternating({method: call, floor: floorCall}, budget))
    perDirection = (times[f"directional, {k + 8} directions"]
                    - times["directional, 1 direction"]) / (k + 7)
    return {
        "sizes": sizes, "P": P, "directions": k, "times": times, "runs": runs,
        "per direction": perDirection, "floors": floors,
        "difference 2-norm": float(np.linalg.norm(fast - loop) / np.linalg.norm(loop)),
        "difference max": float(np.max(np.abs(fast - loop)) / np.max(np.abs(loop))),
        "peak memory": peakMemory(lambda: vectorizedNumericalGradient(N, X, y, epsilon=EPSILON)),
        "verdicts": {"full": partFive.checkGradient(N, X, y, epsilon=EPSILON, method="full").passed,
                     "directional": directional.passed, "sparse": sparse.passed,
                     **({"torch": passed, "torch fast": passedFast} if torch is not None
                        else {})},
    }


def seconds(value):
    """A duration with a unit that keeps three significant digits: 47.2 s, 312 ms, 85.1 us."""
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6)):
        if value >= scale or unit == "us":
            return f"{value / scale:.3g} {unit}"
    return ""


ROWS = [  # (label in the table, key in times)
    ("tutorial's loop, partFive.loopNumericalGradient", "loop"),
    ("vectorized full gradient, fastGradients", "vectorized"),
    ("directional check, default directions", "directional"),
    ("directional check, 1 direction", "directional, 1 direction"),
    ("directional, default, derived allowances", "directional, derived allowances"),
    ("sparse check, 100 random weights (all if fewer)", "sparse"),
    ("one backprop, N.computeGradients", "backprop"),
    ("scipy.optimize.approx_fprime (forward diff.)", "scipy approx_fprime"),
    ("scipy.optimize.check_grad", "scipy check_grad"),
    ("torch gradcheck, fast_mode=False", "torch gradcheck"),
    ("torch gradcheck, fast_mode=True", "torch fast"),
]


def report(results, steadyMemory=False):
    """The table and the growth with P, as lines of text (the figures a learner sees)."""
    lines = ["Gradient checks of a sigmoid network, float64, one core (BLAS/OpenMP threads = 1);",
             "time = median of the runs; 'x vectorized' = time / the vectorized gradient's time.",
             "malloc keeps freed memory (no page faults from handing it back to the OS): "
             f"{'yes' if steadyMemory else 'no (not glibc)'}.",
             f"Python {platform.python_version()}, numpy {np.__version__}, scipy "
             f"{scipy.__version__}, torch {torch.__version__ if torch else 'not installed'}; "
             f"{platform.machine()}, {os.cpu_count()} cores.", ""]
    if torch is None:
        lines += ["torch is not installed: its two rows are skipped "
                  "(pip install -r benchmarks/requirements-torch.txt).", ""]
    for result in results:
        inputs, hidden, outputs, examples = result["sizes"]
        times, fast = result["times"], result["times"]["vectorized"]
        lines += [f"{inputs}-{hidden}-{outputs}, n = {examples}, P = {result['P']:,} weights; "
                  f"default directions k = {result['directions']}",
                  f"  {'method':50s} {'time':>9s} {'runs':>5s} {'x vectorized':>13s}"]
        for label, key in ROWS:
            if key in times:
                if key == "directional":
                    count = result["directions"]
                    label = f"directional check, default ({count} direction{'s' * (count > 1)})"
                lines.append(f"  {label:50s} {seconds(times[key]):>9s} "
                             f"{result['runs'][key]:>5d} {times[key] / fast:>13.3g}")
        lines += [f"  {'directional check, each further direction':50s} "
                  f"{seconds(result['per direction']):>9s}",
                  f"  {'drawing the k default directions (in the check)':50s} "
                  f"{seconds(times['drawing']):>9s}"]
        lines += [f"  {'floor: ' + label:50s} {seconds(result['floors'][key]):>9s}"
                  for key, label in FLOOR_LABELS.items()]
        lines += [f"  vectorized vs loop: relative difference {result['difference 2-norm']:.1e} "
                  f"(2-norm), {result['difference max']:.1e} (largest entry)",
                  f"  vectorized gradient's peak extra memory: "
                  f"{result['peak memory'] / 2**20:.1f} MiB",
                  "  verdicts (True = passed): " + ", ".join(
                      f"{name} {passed}" for name, passed in result["verdicts"].items()), ""]
    lines.append("How time grows with P: exponent a in time ~ P^a, from 64-128-10 to 784-128-10")
    big, middle = results[-1], results[-2]
    for label, key in ROWS:
        if key in big["times"]:
            exponent = np.log(big["times"][key] / middle["times"][key]) / \
                np.log(big["P"] / middle["P"])
            lines.append(f"  {label:50s} {exponent:5.2f}")
    return lines


SUMMARY_ROWS = [  # (label in the learner's summary, key in times): the figure's, and sparse
    ("tutorial's loop (2P cost evaluations)", "loop"),
    ("vectorized full gradient", "vectorized"),
    ("directional check, default directions", "directional"),
    ("sparse check, 100 random weights", "sparse"),
    ("one backprop (not a check: for scale)", "backprop"),
]
PLOTTED = ("loop", "vectorized", "directional", "backprop")  # the figure's four series


def speedUp(ratio):
    """A ratio to three significant digits, with thousands separators: 1x, 119x, 24,300x."""
    return f"{float(f'{ratio:.3g}'):,.0f}x" if ratio >= 100 else f"{ratio:.3g}x"


def growth(results, key):
    """The exponent a in time ~ P^a, from the second-biggest size to the biggest."""
    big, middle = results[-1], results[-2]
    return float(np.log(big["times"][key] / middle["times"][key]) /
                 np.log(big["P"] / middle["P"]))


def summary(results):
    """The learner's few rows at the biggest size, as lines of text (no set-up notes)."""
    big, middle = results[-1], results[-2]
    inputs, hidden, outputs, examples = big["sizes"]
    k, loop = big["directions"], big["times"]["loop"]
    lines = [f"{inputs}-{hidden}-{outputs}: P = {big['P']:,} weights, n = {examples} examples; "
             "one core, median times",
             f"{'method':40s} {'time':>8s} {'faster than the loop':>21s} {'growth':>7s}"]
    for label, key in SUMMARY_ROWS:
        if key == "directional":
            label = f"directional check, {k} direction{'s' * (k > 1)}"
        lines.append(f"{label:40s} {seconds(big['times'][key]):>8s} "
                     f"{speedUp(loop / big['times'][key]):>21s} "
                     f"{'P^' + format(growth(results, key), '.2f'):>7s}")
    lines.append(f"growth: time ~ P^a, from {'-'.join(map(str, middle['sizes'][:3]))} "
                 f"(P = {middle['P']:,}) to {'-'.join(map(str, big['sizes'][:3]))}, "
                 f"both n = {examples}")
    return lines


def targetLines(results):
    """Our targets at the biggest size, met or MISSED, as lines of text: printed, never saved
    (learners see the figures, not our targets)."""
    big = results[-1]
    lines = [f"Targets at {'-'.join(map(str, big['sizes'][:3]))} "
             "(ratio = slower method's time / faster method's time):"]
    for what, faster, slower, target in TARGETS:
        if slower not in big["times"]:
            lines.append(f"  {what:52s} skipped: torch is not installed")
            continue
        ratio = big["times"][slower] / big["times"][faster]
        verdict = "met" if ratio >= target else f"MISSED by {target / ratio:.2f}x"
        lines.append(f"  {what:52s} {ratio:8.1f}x  (target >= {target}x: {verdict})")
    for what, method, floor, target in FLOOR_TARGETS:
        inTurns = big["floors"]  # the method and its floor, timed in turns
        ratio = inTurns[method] / inTurns[floor]
        verdict = "met" if ratio <= target else f"MISSED by {ratio / target:.2f}x"
        lines.append(f"  {what:52s} {ratio:8.2f}x  (target <= {target}x: {verdict}; "
                     f"{seconds(inTurns[method])} vs {seconds(inTurns[floor])})")
    lines.append("  the same ratios to the floors at the other sizes (also timed in turns):")
    for result in results[:-1]:
        inTurns = result["floors"]
        ratios = ", ".join(f"{FLOOR_NAMES[method]} {inTurns[method] / inTurns[floor]:.2f}x"
                           for _, method, floor, _ in FLOOR_TARGETS)
        lines.append(f"    {'-'.join(map(str, result['sizes'][:3])):>10s}: {ratios}")
    same = big["difference 2-norm"] <= 1e-9 and big["difference max"] <= 1e-9
    lines.append(f"  {'vectorized equals the loop to 1e-9 relative':52s} "
                 f"{max(big['difference 2-norm'], big['difference max']):8.1e}   "
                 f"({'met' if same else 'MISSED'})")
    memory = big["peak memory"]
    lines += [f"  {'peak extra memory of the vectorized gradient':52s} "
              f"{memory / 2**20:6.1f} MiB  (target <= 256 MiB: "
              f"{'met' if memory <= MEMORY_TARGET else 'MISSED'})", ""]
    return lines


def plot(results, path):
    """Save the log-log figure of time against P for the four PLOTTED methods."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 4.5), dpi=100)
    sizes = [result["P"] for result in results]
    labels = dict((key, label) for label, key in SUMMARY_ROWS)
    for key, marker in zip(PLOTTED, "os^v"):
        ax.plot(sizes, [result["times"][key] for result in results], marker=marker,
                label=labels[key])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [f"{'-'.join(map(str, result['sizes'][:3]))}\nP = {result['P']:,}"
                          for result in results])
    ax.minorticks_off()
    ax.set_xlabel("network and its number of weights P")
    ax.set_ylabel("seconds (median)")
    ax.set_title("Time against network size, one core")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    """Run the benchmark; print the report and (unless --no-save) save it and the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=2.0,
                        help="seconds: a method slower than this runs once (default 2)")
    parser.add_argument("--no-save", action="store_true", help="print only; save nothing")
    options = parser.parse_args(argv)
    steadyMemory = keepFreedMemory()
    if torch is not None:
        torch.set_num_threads(1)
        warmUp = torch.ones(2, dtype=torch.float64, requires_grad=True)
        gradcheck(lambda w: (w ** 2).sum(), (warmUp,))  # torch's first call loads lazily: untimed
    results = []
    for sizes in SIZES:
        print(f"measuring {'-'.join(map(str, sizes[:3]))} ...", file=sys.stderr, flush=True)
        results.append(measure(sizes, options.budget))
    lines = report(results, steadyMemory)
    print("\n".join(lines + [""] + summary(results) + [""] + targetLines(results)))
    if not options.no_save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "big_networks.txt").write_text("\n".join(lines) + "\n")
        (RESULTS / "big_networks_summary.txt").write_text("\n".join(summary(results)) + "\n")
        plot(results, RESULTS / "big_networks.png")
        print(f"saved big_networks.txt, big_networks_summary.txt and big_networks.png in "
              f"{RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
