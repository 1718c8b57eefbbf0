"""Time every notebook's Run All on a fresh kernel, beside the median notebook's.

What one run measures
---------------------
Each notebook is executed top to bottom with nbclient on a fresh ``python3`` kernel whose
working directory is the notebooks folder, as in JupyterLab (``benchmarks/suite_time.py``'s
``execute_notebook``; nothing is saved). Its **Run All** time is the kernel's start until it
answers plus every cell: what a learner's "Restart Kernel and Run All Cells" costs. The table
gives each notebook's Run All time, the median over the notebooks timed, and each notebook's
ratio to that median. One untimed run of the first notebook warms the caches first (imports
of numpy and matplotlib). With ``--repeat N`` each time is the median of N rounds, taken
round after round so that a slow spell of the machine hits every notebook alike (the rounds
are ``suite_time.time_notebooks``'s, which also times a bare kernel's start and stop beside
each notebook; a notebook's Run All is then its median start plus its median cells).

The course's target, printed on stdout only (learners may see the figures, never the targets
we set ourselves): every notebook's Run All at most TARGET_RATIO times the median notebook's
(issue 18). No test asserts it: the machines the
suite runs on are shared and noisy.

The figures go to stdout and, when every notebook was timed (no ``--only``) and none failed,
to ``benchmarks/results/notebook_times.txt``.

Usage::

    python benchmarks/notebook_times.py [--only NN [NN ...]] [--repeat N] [--timeout SECONDS]
                                        [--no-save]
"""

import argparse
import importlib.util
import os
import platform
import statistics
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent / "notebooks"
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
RESULTS = HERE / "results" / "notebook_times.txt"
TARGET_RATIO = 2.5  # every notebook's Run All / the median notebook's

_spec = importlib.util.spec_from_file_location("suite_time", HERE / "suite_time.py")
suiteTime = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suiteTime)


def chosenNotebooks(only):
    """Notebook numbers in (e.g. ["02", "3"]; empty: all), the paths of those notebooks out,
    in file-name order. Raises SystemExit naming a number that matches no notebook."""
    paths = sorted(NOTEBOOKS.glob(NOTEBOOK_GLOB))
    if not only:
        return paths
    wanted = {int(number) for number in only}
    missing = wanted - {int(path.name[:2]) for path in paths}
    if missing:
        raise SystemExit(f"no notebook numbered {sorted(missing)} in {NOTEBOOKS}")
    return [path for path in paths if int(path.name[:2]) in wanted]


def runAll(phases):
    """A notebook's phase timings (suite_time.execute_notebook's) in, its Run All seconds out:
    the kernel's start plus every cell."""
    return phases["start"] + phases["cells"]


def medianRunAll(times):
    """{path: phases} in, the median of the notebooks' Run All seconds out."""
    return statistics.median(runAll(phases) for phases in times.values())


def figures(times, failures, repeat):
    """The timings in; the lines of the figures table out (no targets)."""
    import ipykernel
    import matplotlib

    rounds = "one run each" if repeat == 1 else f"median of {repeat} runs each"
    lines = [
        "Run All of each notebook on a fresh python3 kernel (working directory: notebooks/);",
        "run all = the kernel's start until it answers + every cell (\"Restart Kernel and Run",
        f"All Cells\"); x median = run all / the median notebook's run all; {rounds}.",
        f"Python {platform.python_version()}, numpy {np.__version__}, matplotlib "
        f"{matplotlib.__version__}, ipykernel {ipykernel.__version__}; {platform.machine()}, "
        f"{os.cpu_count()} cores.",
        "",
        f"{'notebook':<44} {'start':>7} {'cells':>7} {'run all':>8} {'x median':>9}",
    ]
    median = medianRunAll(times) if times else float("nan")
    for path in sorted([*times, *failures]):
        if path in failures:
            lines.append(f"{path.stem:<44} FAILED: {failures[path]}")
            continue
        phases = times[path]
        lines.append(f"{path.stem:<44} {phases['start']:6.2f}s {phases['cells']:6.2f}s "
                     f"{runAll(phases):7.2f}s {runAll(phases) / median:9.2f}")
    lines.append(f"{'median notebook':<44} {'':>7} {'':>7} {median:7.2f}s {1:9.2f}")
    return lines


def targetLine(times):
    """The timings in, the target's line out: met, or MISSED with the notebooks over it."""
    median = medianRunAll(times)
    over = [f"{path.stem} {runAll(phases) / median:.1f}x" for path, phases in times.items()
            if runAll(phases) > TARGET_RATIO * median]
    verdict = "met" if not over else "MISSED (" + ", ".join(over) + ")"
    return f"target: every notebook's Run All at most {TARGET_RATIO:g}x the median: {verdict}"


def parseArguments(argv):
    """Command-line arguments in (None: sys.argv), the parsed options out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NN", default=[],
                        help="time only these notebooks (by number); saves nothing")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per notebook (median)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per cell")
    parser.add_argument("--no-save", action="store_true", help="print only; save nothing")
    options = parser.parse_args(argv)
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    return options


def main(argv=None):
    """Time the notebooks; print the figures and the target; save the figures when every
    notebook was timed. Exit status 1 if a notebook failed, else 0 (a missed target is
    reported, not turned into a failing status)."""
    options = parseArguments(argv)
    paths = chosenNotebooks(options.only)
    print(f"warming up on {paths[0].name} (untimed) ...", file=sys.stderr, flush=True)
    suiteTime.execute_notebook(paths[0], options.timeout)
    _, times, failures = suiteTime.time_notebooks(paths, options.repeat, options.timeout)
    lines = figures(times, failures, options.repeat)
    print("\n".join(lines))
    if times:
        print("\n" + targetLine(times))
    if options.only or options.no_save or failures:
        print(f"not saved to {RESULTS.relative_to(HERE.parent)}", file=sys.stderr)
    else:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")
        print(f"saved {RESULTS.relative_to(HERE.parent)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
