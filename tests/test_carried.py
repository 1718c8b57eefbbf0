"""The learner's code carries forward: a self-check that says correct saves the learner's function
in yourGradientCheck.py (yourWork), and later notebooks run it from there (exercises.yours).

- Unit tests: only a correct function is saved, never a model answer; one that does not run on
  its own is not saved, and says why; a saved piece that no longer passes, or does not run, is
  replaced by the model answer, and the notebook says so; the file keeps the course's order and
  is a module a project can import.
- The notebooks: 04 to 09 run in order, each exercise answered in other words than the model
  answer's, in a folder of their own; every self-check says correct and saves, every later
  notebook says it runs the learner's pieces and prints what they compute; a notebook run again
  on its own, on a new kernel, still finds them. With the exercises left as stubs (the saved
  notebooks, which nbval runs one at a time) every later notebook runs the model answers.
"""

import ast
import contextlib
import importlib.util
import inspect
import io
import re
import sys
import tempfile
from pathlib import Path

import nbformat
import numpy as np
import pytest
from conftest import LEARNER_ANSWERS
from nbclient import NotebookClient

from course import bugGallery, exercises, modelAnswers, selfChecks, yourWork
from course.exercises import selfCheck, yours
from partFive import Neural_Network, X, y

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.fixture(name="work")
def workFixture(tmp_path, monkeypatch):
    """A folder of its own for yourGradientCheck.py; its path."""
    monkeypatch.setenv(yourWork.FOLDER_VARIABLE, str(tmp_path))
    return tmp_path / yourWork.FILE_NAME


def said(function, *args):
    """What function(*args) prints, and what it returns."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = function(*args)
    return " ".join(out.getvalue().split()), result


def defined(source, name):
    """The function ``name`` defined by ``source``, its source kept where inspect finds it."""
    path = Path(tempfile.mkdtemp()) / f"{name}_answer.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


# --- saving and loading -----------------------------------------------------------------------

def test_a_correct_function_is_saved_and_loaded_back(work):
    answer = defined(LEARNER_ANSWERS["centeredDifference"], "centeredDifference")
    text, _ = said(selfCheck, answer)
    assert text.startswith("correct: centeredDifference(f, 1.5, 1e-4) gives")
    assert ("Saved in yourGradientCheck.py: the rest of this notebook and notebook 06 run it "
            "from there.") in text
    assert "rise / run" in work.read_text()
    text, loaded = said(yours, "centeredDifference")
    assert text == "centeredDifference: yours, from notebook 04"
    assert loaded(np.sin, 1.0, 1e-3) == answer(np.sin, 1.0, 1e-3)


def test_a_file_saved_in_another_encoding_is_still_read(work):
    """A learner who edits the file in an editor that writes Latin-1 (a comment "café") still
    gets answers, and the pieces still load."""
    answer = defined(LEARNER_ANSWERS["centeredDifference"], "centeredDifference")
    said(selfCheck, answer)
    work.write_bytes(work.read_bytes() + "# caf\xe9\n".encode("latin-1"))
    text, loaded = said(yours, "centeredDifference")
    assert text == "centeredDifference: yours, from notebook 04"
    assert said(selfCheck, answer)[0].startswith("correct: ")


def test_a_stub_is_not_saved_and_the_model_answer_stands_in(work):
    def centeredDifference(f, x, epsilon):
        return (f(x + epsilon) - f(x)) / epsilon

    text, _ = said(selfCheck, centeredDifference)
    assert text.startswith("not yet: ") and "Saved" not in text
    assert not work.exists()
    text, loaded = said(yours, "centeredDifference")
    assert text == ("centeredDifference: the model answer, until notebook 04's self-check "
                    "saves yours")
    assert loaded is modelAnswers.modelCenteredDifference


def test_a_model_answer_is_never_saved_and_its_check_names_it(work):
    text, _ = said(selfCheck, modelAnswers.modelCenteredDifference)
    assert text.startswith("not yet: selfCheck knows the exercises")
    answer = selfChecks.checkCenteredDifference(modelAnswers.modelCenteredDifference)
    assert answer.startswith("correct: modelCenteredDifference(f, 1.5, 1e-4)")
    assert "your" not in answer
    assert not work.exists()


@pytest.mark.parametrize("name", list(modelAnswers.MODELS))
def test_no_model_answers_check_speaks_of_yours(name, work):
    answer = exercises.EXERCISES[name].check(modelAnswers.MODELS[name])
    assert answer.startswith("correct: "), answer
    assert not re.search(r"\byour\b", answer), answer


def test_a_function_that_needs_the_notebook_is_not_saved_and_says_why(work):
    answer = defined('''
import numpy as np


def helper(v):
    return np.sqrt(np.sum(v ** 2))


def relativeError(grad, numgrad):
    return helper(grad - numgrad) / helper(grad + numgrad)
''', "relativeError")
    text, _ = said(selfCheck, answer)
    assert text.startswith("correct: ")
    assert "It was not saved for later notebooks: on its own, outside this notebook" in text
    assert "name 'helper' is not defined" in text
    assert not work.exists()


def test_a_function_of_another_name_is_checked_but_not_saved(work):
    """Later notebooks and the learner's own project look the piece up by its exercise's name."""
    answer = defined(LEARNER_ANSWERS["centeredDifference"].replace(
        "def centeredDifference", "def mySlope"), "mySlope")
    text, _ = said(selfCheck, answer, "centeredDifference")
    assert text.startswith("correct: mySlope(f, 1.5, 1e-4)")
    assert "It was not saved for later notebooks, which look for centeredDifference: define " \
           "it with def centeredDifference(...)" in text
    assert not work.exists()


def test_a_saved_piece_renamed_in_the_file_gives_way_to_the_model_answer(work):
    said(selfCheck, defined(LEARNER_ANSWERS["centeredDifference"], "centeredDifference"))
    work.write_text(work.read_text().replace("def centeredDifference", "def centered_difference"))
    text, loaded = said(yours, "centeredDifference")
    assert text == ("centeredDifference: the model answer: yours in yourGradientCheck.py does "
                    "not run (NameError: its code defines no function named centeredDifference)")
    assert loaded is modelAnswers.modelCenteredDifference


@pytest.mark.parametrize(("call", "error", "mentions"), [
    (lambda: yours(), TypeError, "yours' names must be one or more of 'centeredDifference'"),
    (lambda: yours("typo"), ValueError, "yours' names must be one of .*; got 'typo'"),
    (lambda: yours("ExerciseNetwork"), ValueError, "'gradientCheck'; got 'ExerciseNetwork'"),
    (lambda: exercises.grade("typo", 1), ValueError, "grade's name must be one of"),
])
def test_yours_and_grade_say_which_names_they_know(work, call, error, mentions):
    with pytest.raises(error, match=mentions):
        call()


def test_a_lambda_is_told_to_be_defined_with_def(work):
    text, _ = said(selfCheck, lambda f, x, epsilon: (f(x + epsilon) - f(x - epsilon)) / 2 / epsilon)
    assert text.startswith("not yet: ") and "a lambda, which has no name: define it with def" \
        in text


def test_a_saved_piece_that_fails_now_gives_way_to_the_model_answer(work):
    for name in ("getParams", "setParams"):
        said(selfCheck, defined(LEARNER_ANSWERS[name], name))
    text = work.read_text().replace("N.W1.flatten(), N.W2.flatten()",
                                    "N.W2.flatten(), N.W1.flatten()")
    work.write_text(text.replace("n1 = N.W1.size", "n1 = N.W1.size +"))  # a syntax error
    text, (getParams, setParams) = said(yours, "getParams", "setParams")
    assert "getParams: the model answer: yours in yourGradientCheck.py no longer passes" in text
    assert "setParams: the model answer: yours in yourGradientCheck.py does not run " \
           "(SyntaxError" in text
    assert (getParams, setParams) == (modelAnswers.modelGetParams, modelAnswers.modelSetParams)


def test_the_file_keeps_the_course_order_and_is_a_module(work, monkeypatch):
    for name in reversed(exercises.CARRIED):
        text, _ = said(selfCheck, defined(LEARNER_ANSWERS[name], name)
                       if name != "gradientCheck" else gradientCheckWithPieces())
        assert text.startswith("correct: ") and "Saved in" in text, text
    names = re.findall(r"^# --- (\w+), from notebook", work.read_text(), re.MULTILINE)
    assert names == exercises.CARRIED
    monkeypatch.syspath_prepend(str(work.parent))
    sys.modules.pop("yourGradientCheck", None)
    module = importlib.import_module("yourGradientCheck")
    np.random.seed(0)
    error, passes = module.gradientCheck(Neural_Network(), X, y)
    assert passes and error < 1e-7
    sys.modules.pop("yourGradientCheck", None)


def gradientCheckWithPieces():
    """The learner's gradientCheck, defined where computeNumericalGradient and relativeError
    are the carried pieces, as in notebook 09."""
    return defined("from course.exercises import MODELS\n"
                   "computeNumericalGradient = MODELS['computeNumericalGradient']\n"
                   "relativeError = MODELS['relativeError']\n" + LEARNER_ANSWERS["gradientCheck"],
                   "gradientCheck")


def test_saving_a_piece_whose_pieces_are_missing_says_the_file_needs_them(work):
    text, _ = said(selfCheck, gradientCheckWithPieces())
    assert "It calls computeNumericalGradient and relativeError, not saved there yet" in text
    said(selfCheck, defined(LEARNER_ANSWERS["relativeError"], "relativeError"))
    said(selfCheck, defined(LEARNER_ANSWERS["computeNumericalGradient"],
                            "computeNumericalGradient"))
    text, _ = said(selfCheck, gradientCheckWithPieces())
    assert text.endswith("runs it from there; a project of your own can import it.")


def test_a_network_method_of_the_same_name_is_not_a_missing_piece(work):
    """computeNumericalGradient calls N.getParams() and N.setParams(...), the network's own
    methods, not the learner's getParams and setParams: saved first, it runs on its own."""
    text, _ = said(selfCheck, defined(LEARNER_ANSWERS["computeNumericalGradient"],
                                      "computeNumericalGradient"))
    assert "N.getParams()" in LEARNER_ANSWERS["computeNumericalGradient"]
    assert "Saved in yourGradientCheck.py" in text and "not saved there yet" not in text


def test_a_wrong_answer_after_a_right_one_says_the_right_one_is_kept(work):
    said(selfCheck, defined(LEARNER_ANSWERS["centeredDifference"], "centeredDifference"))

    def centeredDifference(f, x, epsilon):
        return (f(x + epsilon) - f(x)) / epsilon

    text, _ = said(selfCheck, centeredDifference)
    assert text.startswith("not yet: ")
    assert "keeps your last version that said correct" in text
    assert "rise / run" in work.read_text()


def test_a_later_piece_uses_the_earlier_pieces_that_pass(work):
    """gradientCheck, saved, calls computeNumericalGradient by name: in the file that is the
    learner's where it passes, the model answer elsewhere."""
    said(selfCheck, gradientCheckWithPieces())
    said(selfCheck, defined(LEARNER_ANSWERS["relativeError"], "relativeError"))
    text, check = said(yours, "gradientCheck")
    assert text == "gradientCheck: yours, from notebook 09"
    LostSquare = bugGallery.withHelpers(bugGallery.CapstoneLostSquare,
                                        modelAnswers.modelGetParams, modelAnswers.modelSetParams)
    np.random.seed(0)
    with contextlib.redirect_stdout(io.StringIO()):
        error, _ = check(LostSquare(), X, y)
    np.random.seed(0)
    N = LostSquare()
    grad, numgrad = N.computeGradients(X, y), selfChecks.loopNumericalGradient(N, X, y)
    variant = selfChecks.ratios(grad, numgrad)["variant"]  # the learner's relativeError's
    assert error == pytest.approx(variant, rel=1e-9)


# --- the notebooks, in order, with the learner's answers --------------------------------------

CORE = ["04", "05", "06", "07", "08", "09"]


def execute(path, answers, folder):
    """Run notebook ``path`` on a fresh kernel, each exercise cell replaced by its answer in
    ``answers`` (by the name it defines) when there is one; the executed notebook."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if "exercise" in cell.metadata.get("tags", []):
            name = re.search(r"^(?:def|class) (\w+)", cell.source, re.MULTILINE)[1]
            if name in answers:
                cell.source = answers[name].replace("import numpy as np\n\n\n", "")
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def outputs(nb):
    """Everything the notebook printed, one string, line breaks read as spaces."""
    return " ".join("".join(output.get("text", "") for cell in nb.cells
                            if cell.cell_type == "code" for output in cell.outputs).split())


@pytest.fixture(scope="module", name="chain")
def chainFixture(tmp_path_factory):
    """Notebooks 04-09 run in order with the learner's answers, in a folder of their own; then
    notebook 07 again, on a new kernel: {number: what it printed}, and the folder."""
    folder = tmp_path_factory.mktemp("course-work")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(yourWork.FOLDER_VARIABLE, str(folder))
        printed = {number: outputs(execute(next(FOLDER.glob(f"{number}-*.ipynb")), LEARNER_ANSWERS,
                                           folder)) for number in CORE}
        printed["07 again"] = outputs(execute(next(FOLDER.glob("07-*.ipynb")), {}, folder))
    return printed, folder


def test_every_answer_is_correct_and_saved(chain):
    printed, folder = chain
    for name, exercise in exercises.EXERCISES.items():
        if exercise.notebook in CORE:
            assert f"correct: {name}" in printed[exercise.notebook], name
    assert printed["04"].count("Saved in yourGradientCheck.py") == 1
    assert printed["05"].count("Saved in yourGradientCheck.py") == 2
    text = (folder / yourWork.FILE_NAME).read_text()
    assert re.findall(r"^# --- (\w+), from notebook", text, re.MULTILINE) == exercises.CARRIED
    assert "rise / run" in text and "np.hstack" in text and "error <= 1e-7" in text


@pytest.mark.parametrize("number, pieces", [
    ("06", ["centeredDifference"]), ("07", ["computeNumericalGradient"]),
    ("08", ["computeNumericalGradient", "relativeError"]),
    ("09", ["getParams", "setParams", "computeNumericalGradient", "relativeError",
            "gradientCheck"]),
    ("07 again", ["computeNumericalGradient"])])
def test_each_later_notebook_runs_the_learners_pieces(chain, number, pieces):
    printed, _ = chain
    for name in pieces:
        notebook = exercises.EXERCISES[name].notebook
        assert re.search(rf"{name}: +yours, from notebook {notebook}", printed[number]), name
    assert "the model answer, until" not in printed[number]


def test_what_the_later_notebooks_print_is_computed_by_the_learners_code(chain):
    """06 tells the truth about the learner's restore after the loop (the flaky cost leaves the
    weights nudged); 08's table of classic bugs is measured with the learner's relativeError,
    deeplearning.ai's variant, which never exceeds 1 (the model answer's is above 1 for a lost
    minus sign); 09 runs the learner's gradientCheck, which prints as it goes."""
    printed, _ = chain
    assert "RuntimeError: the cost failed on call 5 weights restored: False" in printed["06"]
    assert "lost minus sign 1.0e+00 look for a bug" in printed["08"]
    assert printed["09"].count("relative error") >= 6  # three of its own prints, three rows


def test_with_the_stubs_every_later_notebook_runs_the_model_answers():
    """The saved notebooks, run as nbval runs them (one at a time, stubs in place, a folder of
    their own): each later notebook says it runs the model answer, and why."""
    for path in sorted(FOLDER.glob("0[4-9]-*.ipynb")):
        text = outputs(nbformat.read(path, as_version=4))
        assert "yours, from notebook" not in text, path.name
        assert "Saved in" not in text, path.name
    text = outputs(nbformat.read(next(FOLDER.glob("09-*.ipynb")), as_version=4))
    for name in ("getParams", "setParams", "computeNumericalGradient", "relativeError"):
        notebook = exercises.EXERCISES[name].notebook
        assert re.search(rf"{name}: +the model answer, until notebook {notebook}'s self-check "
                         rf"saves yours", text), name


def test_the_notebooks_model_answers_are_the_modules():
    """Each carried exercise's collapsed model answer defines the very function modelAnswers
    runs in its place."""
    for name, function in modelAnswers.MODELS.items():
        path = next(FOLDER.glob(f"{exercises.EXERCISES[name].notebook}-*.ipynb"))
        cells = [cell for cell in nbformat.read(path, as_version=4).cells
                 if "solution" in cell.metadata.get("tags", [])
                 and f"def {function.__name__}(" in cell.source]
        assert len(cells) == 1, (name, path.name)
        tree = ast.parse(cells[0].source)
        [shown] = [node for node in tree.body if isinstance(node, ast.FunctionDef)
                   and node.name == function.__name__]
        module = ast.parse(inspect.getsource(function)).body[0]
        assert ast.dump(shown) == ast.dump(module), name
