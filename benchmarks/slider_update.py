"""Time one slider move of notebook 10's epsilon labs: it must feel instant.

Target: the median update takes at most 100 ms.

What one update is: ``lab.update(epsilon)``, exactly what the slider's callback runs: the
numerical slope (or the network's gradient check) at the new epsilon, the readout text, the
marker moved on the error curve, and the curve re-rendered to the PNG the image widget shows.
The figure is not rebuilt: the axes and curves are drawn once, and each update pastes the
moved marker onto that picture (blitting). Not measured: sending the readout and the PNG
(about 25 kB) to the browser, which depends on the connection rather than on this code.

The epsilons are the slider's own positions (every eighth of a decade from 1e-16 to 1e-1)
visited in a shuffled order, so both arms of the U and every branch of the readout are hit.
Each lab is created and warmed up by a few untimed updates first. For information, a change of
method (which redraws the curves and is not a slider move) is timed too.

Usage::

    python benchmarks/slider_update.py [--updates N]
"""

import argparse
import statistics
import sys
import time

import numpy as np

from course.epsilonLab import EPSILONS
from course.labWidgets import FunctionLab, NetworkLab
from partFive import Neural_Network, X, y

TARGET_MS = 100.0
WARM_UP = 3


def timeUpdates(lab, epsilons):
    """A lab and the epsilons to visit in; the milliseconds each lab.update took out."""
    for epsilon in epsilons[:WARM_UP]:
        lab.update(epsilon)
    times = []
    for epsilon in epsilons:
        start = time.perf_counter()
        lab.update(epsilon)
        times.append((time.perf_counter() - start) * 1000)
    return times


def timeChoices(choice, values, rounds=5):
    """A toggle widget and the values to switch between in; milliseconds per switch out."""
    times = []
    for round_ in range(rounds):
        for value in values[round_ % 2:] + values[:round_ % 2]:
            start = time.perf_counter()
            choice.value = value
            times.append((time.perf_counter() - start) * 1000)
    return times


def report(name, times, judged=True):
    """Print the median and maximum of ``times`` (and, if judged, whether the median meets the
    target); return whether it does."""
    median = statistics.median(times)
    verdict = ("ok" if median <= TARGET_MS else "OVER") if judged else ""
    print(f"{name:<44} {len(times):>4} {median:>9.1f} {max(times):>9.1f}  {verdict}".rstrip())
    return median <= TARGET_MS


def main(argv=None):
    """Time both labs; print one line each; exit 1 if a median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=len(EPSILONS),
                        help=f"slider moves per lab, at least 50 (default {len(EPSILONS)})")
    options = parser.parse_args(argv)
    if options.updates < 50:
        parser.error("--updates must be at least 50")
    rng = np.random.default_rng(0)
    # every slider position once, shuffled (repeated when more updates are asked for)
    epsilons = [float(e) for e in np.resize(rng.permutation(EPSILONS), options.updates)]

    np.random.seed(0)
    functionLab = FunctionLab()
    networkLab = NetworkLab(Neural_Network(), X, y)
    print(f"one slider update (target: median <= {TARGET_MS:g} ms)")
    print(f"{'lab':<44} {'runs':>4} {'median ms':>9} {'max ms':>9}")
    ok = report("FunctionLab (sin, centered, float64)", timeUpdates(functionLab, epsilons))
    functionLab.dtypeChoice.value = "float32"
    ok &= report("FunctionLab (sin, centered, float32)", timeUpdates(functionLab, epsilons))
    ok &= report("NetworkLab (centered)", timeUpdates(networkLab, epsilons))
    networkLab.methodChoice.value = "forward"
    ok &= report("NetworkLab (forward)", timeUpdates(networkLab, epsilons))
    print("for information, not a slider move:")
    report("FunctionLab method switch (curves redrawn)",
           timeChoices(functionLab.methodChoice, ["forward", "centered", "complex"]), False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
