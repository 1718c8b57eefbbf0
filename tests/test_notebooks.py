"""Promises about the saved notebooks, checked without running them (nbval runs them).

- Each notebook is saved as one clean top-to-bottom run: kernelspec python3, execution counts
  1..n, no errors, nothing on stderr, no machine paths or memory addresses in the outputs.
- Each figure is saved in the outputs, so a reader sees it without running anything.
- At most one code cell in five is excluded from nbval's comparison.
- A notebook never redefines what the course's modules provide, unless it shows that piece being
  built: then its code is the module's code, statement for statement (notebooks 11 and 12 show
  the checker's expert numerics that way). An exercise's stub (a cell tagged ``exercise``) is
  the learner's to change and is left out; its model answer (tagged ``solution``) is written
  for the learner under a model-prefixed name (tests/test_exercises.py holds it to that
  convention), so it redefines nothing of the modules.
"""

import ast
import importlib.util
import inspect
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

import partFive
import partFour
from checker import fastGradients, gradientReport, judge, measure, weightVector
from course import bugGallery

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]-*.ipynb"))
EXCLUDED = re.compile(r"NBVAL_(IGNORE_OUTPUT|SKIP|RAISES_EXCEPTION)")


def codeCells(path):
    """Return the code cells of the notebook at ``path``."""
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def outputText(output):
    """Return all the text an output shows (stream text and text/plain data)."""
    return output.get("text", "") + output.get("data", {}).get("text/plain", "")


def test_the_course_has_its_notebooks():
    assert len(NOTEBOOKS) >= 9, [path.name for path in NOTEBOOKS]
    assert NOTEBOOKS[0].name == "00-Index.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_saved_as_one_clean_run(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    cells = codeCells(path)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        assert "%pylab" not in cell.source
        for output in cell.outputs:
            assert output.output_type != "error", cell.source
            assert output.get("name") != "stderr", outputText(output)
            text = outputText(output)
            assert not re.search(r"0x[0-9a-fA-F]{6,}", text), text
            assert not re.search(r"(/home/|/root/|/tmp/|/work/|/Users/|[A-Z]:\\)", text), text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_figures_are_saved_in_the_outputs(path):
    for cell in codeCells(path):
        if "plt.show()" in cell.source:
            assert any("image/png" in output.get("data", {}) for output in cell.outputs), \
                cell.source


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda path: path.stem)
def test_each_lesson_says_what_you_will_learn(path):
    markdown = [cell.source for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "markdown"]
    assert markdown[0].startswith("# ")
    assert any("**You will learn**" in source for source in markdown)


def test_at_most_one_code_cell_in_five_is_excluded_from_comparison():
    cells = [cell for path in NOTEBOOKS for cell in codeCells(path)]
    excluded = [cell for cell in cells if EXCLUDED.search(cell.source)
                or any(tag.startswith("nbval-") for tag in cell.metadata.get("tags", []))]
    assert len(excluded) * 5 <= len(cells)


def moduleDefinitions():
    """Map each function and class name the course's modules define to its source's AST dump."""
    definitions = {}
    for module in (partFour, weightVector, partFive, fastGradients, measure, judge,
                   gradientReport, bugGallery):
        for name, value in vars(module).items():
            if (inspect.isfunction(value) or inspect.isclass(value)) \
                    and value.__module__ == module.__name__:
                definitions[name] = ast.dump(ast.parse(textwrap.dedent(inspect.getsource(value))))
    return definitions


# A notebook definition under a name on the left is renamed to the module name on the right, and
# must then be statement for statement the module's code. (Notebook 06's computeNumericalGradient
# is the learner's exercise, left out; its model answer is modelComputeNumericalGradient.)
MODULE_NAME_OF = {}


def tags(cell):
    """The cell's tags, e.g. ["exercise"]."""
    return cell.metadata.get("tags", [])


def notebookDefinitions(path, tagged=None):
    """Yield (module name, AST dump) for every top-level def and class in the notebook's code
    cells, renamed by MODULE_NAME_OF where the notebook uses the tutorial's name. Exercise
    stubs (cells tagged "exercise") are left out; ``tagged`` keeps only cells with that tag."""
    for cell in codeCells(path):
        if "exercise" in tags(cell) or (tagged and tagged not in tags(cell)):
            continue
        python = TransformerManager().transform_cell(cell.source)  # %magics become calls
        for node in ast.parse(python).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                node.name = MODULE_NAME_OF.get(node.name, node.name)
                yield node.name, ast.dump(ast.Module(body=[node], type_ignores=[]))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_notebook_that_builds_a_module_piece_builds_the_same_code(path):
    modules = moduleDefinitions()
    for name, dump in notebookDefinitions(path):
        if name in modules:
            assert dump == modules[name], f"{path.name} defines {name} differently from the module"


# The expert numerics each going-deeper notebook shows as the modules' own code.
SHOWN = {
    "11": {"costNoise", "noiseFromTable",  # measure: the noise probe
           "Reason", "driftReasons", "kinkReasons", "resolutionReason",  # judge: why not
           "cells", "bounded", "closeness", "powerAbove", "boundText"},  # report: digit bounds
    "12": {"structuredSlopes", "hiddenUnitSlopes",  # fastGradients: the fast path
           "missProbability", "confinedBugError",  # judge: a fast check's
           "defaultDirections", "sparseMissProbability"},  # chance of a miss
}


def test_the_pieces_built_in_front_of_the_learner_are_checked():
    """The notebooks that build module code really do (so the test above is not vacuous): the
    core track's network and weight vector, and the expert numerics in the notebook that
    explains them; and no model answer redefines a module's function: each is the learner's,
    model-prefixed."""
    modules = set(moduleDefinitions())
    built = {name for path in NOTEBOOKS for name, _ in notebookDefinitions(path)}
    assert {"Neural_Network", "WeightVector"} <= built & modules
    for number, names in SHOWN.items():
        path = next(path for path in NOTEBOOKS if path.name.startswith(f"{number}-"))
        shown = {name for name, _ in notebookDefinitions(path)}
        assert names <= shown & modules, (path.name, names - (shown & modules))
    solved = {name for path in NOTEBOOKS for name, _ in notebookDefinitions(path, "solution")}
    assert solved and all(name.startswith("model") for name in solved), solved


def test_exercise_stubs_are_left_out_of_the_comparison():
    """Notebook 06's stub of computeNumericalGradient is not partFive's (it is a stub), and
    the comparison skips it."""
    stubs = [(path, cell) for path in NOTEBOOKS for cell in codeCells(path)
             if "exercise" in tags(cell) and "def computeNumericalGradient(" in cell.source]
    assert len(stubs) == 1
    path, stub = stubs[0]
    node = ast.parse(stub.source).body[0]
    assert ast.dump(ast.Module(body=[node], type_ignores=[])) \
        != moduleDefinitions()["computeNumericalGradient"]
    assert "computeNumericalGradient" not in dict(notebookDefinitions(path))


def recapLines(path):
    """Yield the code in the last column of every table whose header has 'line in `partFour.py`'."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown" or "line in `partFour.py`" not in cell.source:
            continue
        rows = [line for line in cell.source.splitlines() if line.startswith("|")]
        for row in rows[2:]:  # after the header and the |---| line
            yield re.search(r"`([^`]+)`\s*\|\s*$", row).group(1)


def test_the_recap_quotes_partFour_line_for_line():
    """Each equation of the recap sits next to a line that really is in partFour.py."""
    source = inspect.getsource(partFour)
    quoted = [line for path in NOTEBOOKS for line in recapLines(path)]
    assert len(quoted) >= 10
    for line in quoted:
        assert line in source, f"the recap quotes a line partFour.py does not have: {line}"


PRINTED_WIDTH = 100  # JupyterLab breaks longer lines anywhere, mid-word, at 1280 pixels


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_printed_lines_fit_the_page(path):
    """What a cell prints is broken between words by the course itself, never mid-word by the
    browser: no printed line is longer than PRINTED_WIDTH characters."""
    for cell in codeCells(path):
        for output in cell.outputs:
            if output.output_type == "stream":
                long = [line for line in output.text.splitlines() if len(line) > PRINTED_WIDTH]
                assert not long, long


# Short enough to finish (issue 18): tools/word_count.py counts each notebook's prose words.
_spec = importlib.util.spec_from_file_location(
    "word_count", FOLDER.parent / "tools" / "word_count.py")
wordCount = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wordCount)


def test_word_count_counts_prose_only():
    """LaTeX, HTML, link targets and numbers are not prose; a word starts with a letter."""
    markdown = ("The slope $f'(x) = 2x$ is <b>exact</b> for x², see [notebook four]"
                "(04-The-Centered-Difference.ipynb).\n$$\\frac{a}{b}$$ Round-off at 1e-8 isn't.")
    assert wordCount.WORD.findall(wordCount.proseText(markdown)) == [
        "The", "slope", "is", "exact", "for", "x", "see", "notebook", "four", "Round-off",
        "at", "isn't"]


def test_word_count_reads_markdown_cells_only(tmp_path):
    """Navigation cells and code cells hold no prose."""
    path = tmp_path / "10-Words.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("<!--NAVIGATION-->\n< [Contents](00-Index.ipynb) >"),
        nbformat.v4.new_markdown_cell("# Three words here"),
        nbformat.v4.new_code_cell("print('not prose at all')")]), path)
    assert wordCount.notebookWords(path) == 3


def test_the_core_track_is_short_enough_to_finish():
    counts = wordCount.wordCounts(NOTEBOOKS)
    core = {path.stem: words for path, words in counts.items() if wordCount.isCore(path)}
    assert len(core) == 9, core
    assert wordCount.coreTotal(counts) <= wordCount.CORE_LIMIT, core
    assert max(core.values()) <= wordCount.CORE_NOTEBOOK_LIMIT, core


CORE = [path for path in NOTEBOOKS if wordCount.isCore(path)]
DRAWING_LINES = 12  # drawing code longer than this is collapsed, like a model answer
FOR_THE_TEST_SUITE = re.compile(r"correctly rounded|parsed from text|polyfit|same digits|"
                                r"on every machine|nbval|\bCI\b", re.IGNORECASE)


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.stem)
def test_the_core_tracks_code_speaks_to_the_learner(path):
    """In 01-09, a cell that draws a figure in more than a dozen lines is collapsed (and says
    what it draws), and no code cell explains itself to the test suite."""
    for cell in codeCells(path):
        lines = [line for line in cell.source.splitlines() if line.strip()]
        if "plt." in cell.source or "ax." in cell.source:
            if len(lines) > DRAWING_LINES:
                assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, lines[0]
                assert lines[0].startswith("# Drawing code"), lines[0]
        comments = [line for line in lines if "#" in line]
        assert not [line for line in comments if FOR_THE_TEST_SUITE.search(line)], comments


@pytest.mark.parametrize("path", [path for path in NOTEBOOKS if wordCount.isGoingDeeper(path)],
                         ids=lambda path: path.stem)
def test_a_going_deeper_notebook_is_short_enough(path):
    assert wordCount.notebookWords(path) <= wordCount.DEEPER_LIMIT
