"""Every notebook prints the same thing run after run: three fresh runs, no difference.

Strict nbval already compares one re-run with the saved outputs. This test (marked ``repeat``
and left out of the default run because it executes every notebook three more times; CI runs
it with ``python -m pytest -m repeat``) catches what one run cannot: output that changes from
run to run on the same machine (an unseeded draw, a timing, an address, a dict order).
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]-*.ipynb"))
COMPARED = ("text/plain", "text/html", "text/latex", "text/markdown")


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


def execute(path):
    """Run the notebook at ``path`` top to bottom on a fresh kernel; return the executed copy."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                   resources={"metadata": {"path": str(FOLDER)}}).execute()
    return nb


@pytest.mark.repeat
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_three_fresh_runs_print_what_is_saved(path):
    saved = comparable(nbformat.read(path, as_version=4))
    for run in range(1, 4):
        assert comparable(execute(path)) == saved, f"run {run} of {path.name} differs"


def test_a_stream_cut_into_pieces_compares_equal_to_one_piece():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def notebook(*texts):
        cell = new_code_cell("print('a'); slow(); print('b')")
        cell.outputs = [new_output("stream", name="stdout", text=text) for text in texts]
        return new_notebook(cells=[cell])

    assert comparable(notebook("a\n", "b\n")) == comparable(notebook("a\nb\n"))
    assert comparable(notebook("a\n", "c\n")) != comparable(notebook("a\nb\n"))
