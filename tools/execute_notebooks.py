"""Re-execute the course's notebooks top to bottom on a fresh kernel and save them.

Usage: python tools/execute_notebooks.py [notebook.ipynb ...]   (default: every notebook)

Run it after any change to partFour.py, partFive.py or a notebook, so the saved outputs are
one clean run (execution counts 1..n) that strict nbval can compare against. Each notebook
runs with its own folder as the working directory, as in JupyterLab and under nbval, and with
an empty folder for the learner's file (yourGradientCheck.py, see course/yourWork.py), so the saved
outputs never depend on a learner's own saved functions.
"""

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def executeNotebook(path):
    """Run the notebook at ``path`` on a fresh python3 kernel and save it in place."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    # A cell's prints arrive in as many pieces as the kernel flushed (that depends on timing):
    # saved as one stream, the file is the same from one run to the next.
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    nbformat.write(nb, path)


def main(paths):
    """Execute the given notebooks, or all numbered notebooks when none are given."""
    paths = [Path(p).resolve() for p in paths] or sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="course-work-") as folder:
        os.environ["GRADIENT_COURSE_WORK"] = folder  # the kernels inherit it
        for path in paths:
            executeNotebook(path)
            print(f"executed {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
