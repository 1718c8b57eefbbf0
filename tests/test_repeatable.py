"""Every notebook prints the same thing on other machines: re-runs under other floating-point
environments, each equal to the saved outputs.

Strict nbval compares one re-run on this machine with the saved outputs. A teacher's CI runs on
another CPU, whose numpy picks other SIMD kernels (exp, log, sums) and whose OpenBLAS picks
other matrix kernels, both at run time. Both choices can be forced down on this machine, so
these tests (marked ``repeat`` and left out of the default run, as they execute every notebook
once per environment; .ci/run runs them with ``python -m pytest -m repeat``) re-run every
notebook on fresh kernels as on other machines:

    numpy baseline   NPY_DISABLE_CPU_FEATURES names every SIMD target this CPU has above
                     numpy's baseline (X86_V3, X86_V4, ... on numpy 2; AVX2, AVX512F, ... on
                     1.26; ASIMDHP, SVE, ... on ARM)
    OpenBLAS <type>  OPENBLAS_CORETYPE forces older matrix kernels (Sandybridge and Prescott on
                     x86-64, ARMV8 on ARM)
    both             the numpy baseline with the oldest of those kernels

Each re-run must print exactly what is saved; an unseeded draw, a timing or an address would
fail them too.
"""

import os
import platform
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]-*.ipynb"))
COMPARED = ("text/plain", "text/html", "text/latex", "text/markdown")
OLDER_BLAS_KERNELS = {"x86_64": ["Sandybridge", "Prescott"], "AMD64": ["Sandybridge", "Prescott"],
                      "aarch64": ["ARMV8"], "arm64": ["ARMV8"]}


def numpyTargetsAboveBaseline():
    """The SIMD targets numpy dispatches to on this CPU above its baseline, by numpy's names."""
    try:
        from numpy._core import _multiarray_umath as umath  # numpy 2
    except ImportError:
        from numpy.core import _multiarray_umath as umath  # numpy 1.26
    return [name for name in umath.__cpu_dispatch__ if umath.__cpu_features__.get(name)]


def otherMachines():
    """{name: environment variables} of the floating-point environments the notebooks re-run
    under (see the module docstring); the BLAS variants only where OpenBLAS has older kernels
    for this CPU architecture."""
    # Targets this environment turns off already stay off (the suite may run in one of these).
    already = [name for name in os.environ.get("NPY_DISABLE_CPU_FEATURES", "").split(",") if name]
    targets = dict.fromkeys(already + numpyTargetsAboveBaseline())
    numpyBaseline = {"NPY_DISABLE_CPU_FEATURES": ",".join(targets)}
    kernels = OLDER_BLAS_KERNELS.get(platform.machine(), [])
    machines = {"numpy baseline": numpyBaseline}
    machines.update({f"OpenBLAS {kernel}": {"OPENBLAS_CORETYPE": kernel} for kernel in kernels})
    if kernels:
        machines["both"] = dict(numpyBaseline, OPENBLAS_CORETYPE=kernels[-1])
    return machines


def comparable(nb):
    """A notebook in; per code cell, the outputs nbval compares (text of streams and data).

    Consecutive pieces of one stream are joined, as nbval joins them: where the kernel cuts
    its stdout into messages depends on timing (a slow cell between two prints), not on what
    the cell printed.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "NBVAL_IGNORE_OUTPUT" in cell.source:
            continue
        outputs = []
        for output in cell.outputs:
            if output.get("output_type") == "stream" and outputs \
                    and outputs[-1][0] == output.get("name"):
                outputs[-1] = (output.name, outputs[-1][1] + output.text)
            elif "text" in output:
                outputs.append((output.get("name"), output.text))
            for kind in COMPARED:
                if kind in output.get("data", {}):
                    outputs.append((kind, output.data[kind]))
        cells.append(outputs)
    return cells


def execute(path, variables=None):
    """Run the notebook at ``path`` top to bottom on a fresh kernel whose environment has
    ``variables`` added; return the executed copy."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                            resources={"metadata": {"path": str(FOLDER)}})
    client.execute(env=dict(os.environ, **(variables or {})))
    return nb


def firstDifference(saved, rerun):
    """The first code cell (counted among compared code cells) whose outputs differ, with both
    versions, as text for an assertion message."""
    for index, (before, after) in enumerate(zip(saved, rerun)):
        if before != after:
            return f"code cell {index}:\nsaved: {before}\nre-run: {after}"
    return f"{len(saved)} compared code cells saved, {len(rerun)} re-run"


MACHINES = otherMachines()


@pytest.mark.repeat
@pytest.mark.parametrize("machine", MACHINES)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_run_on_another_machine_prints_what_is_saved(path, machine):
    saved = comparable(nbformat.read(path, as_version=4))
    rerun = comparable(execute(path, MACHINES[machine]))
    assert rerun == saved, f"{path.name} under {machine} ({MACHINES[machine]}) differs at " \
                           f"{firstDifference(saved, rerun)}"


def test_numpy_baseline_really_turns_the_targets_off():
    """Guard the comparison: in the "numpy baseline" environment numpy dispatches to none of
    the targets it named (on a CPU at numpy's baseline the list is empty, and nothing changes)."""
    variables = MACHINES["numpy baseline"]
    named = [name for name in variables["NPY_DISABLE_CPU_FEATURES"].split(",") if name]
    probe = "import sys; sys.path.insert(0, sys.argv[1]); " \
            "from test_repeatable import numpyTargetsAboveBaseline as t; print(','.join(t()))"
    done = subprocess.run([sys.executable, "-c", probe, str(Path(__file__).parent)],
                          env=dict(os.environ, **variables), capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "" and done.stderr == "", (named, done.stdout, done.stderr)


@pytest.mark.skipif(platform.machine() not in OLDER_BLAS_KERNELS,
                    reason="no older OpenBLAS kernels known for this CPU architecture")
def test_blas_variants_run_where_openblas_has_older_kernels():
    assert [name for name in MACHINES if name.startswith("OpenBLAS")]
    assert MACHINES["both"]["OPENBLAS_CORETYPE"] == OLDER_BLAS_KERNELS[platform.machine()][-1]


def test_a_stream_cut_into_pieces_compares_equal_to_one_piece():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def notebook(*texts):
        cell = new_code_cell("print('a'); slow(); print('b')")
        cell.outputs = [new_output("stream", name="stdout", text=text) for text in texts]
        return new_notebook(cells=[cell])

    assert comparable(notebook("a\n", "b\n")) == comparable(notebook("a\nb\n"))
    assert comparable(notebook("a\n", "c\n")) != comparable(notebook("a\nb\n"))
