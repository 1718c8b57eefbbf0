"""A teacher's whole loop with nbgrader, on a fresh copy of the course folder (teacher/).

tools/teacher_kit.py writes source/; nbgrader's own commands make the release, grade three
students' submissions of the core track and write their feedback, and the scores are read from
the gradebook:

- alice answers every exercise in her own words: full marks;
- bob leaves one exercise as its stub, makes a syntax error, loops forever, gives a typical wrong
  answer and leaves a notebook out: no point for any of those, the others graded as usual, and
  the feedback gives the self-checks' hints;
- carol answers well but for one exercise, imports the course's numerical gradient instead of
  writing hers, and replaces every graded test cell by ``pass``: nbgrader grades the real
  tests, which take only a function of her own, so neither gains her anything.

Only the notebooks with exercises are submitted (the others have no points), and a cell is
interrupted after TIMEOUT seconds, so the loop stays under a minute.
"""

import ast
import csv
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest
from conftest import LEARNER_ANSWERS
from nbclient import NotebookClient
from traitlets.config.loader import PyFileConfigLoader

from course.exercises import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "tools" / "teacher_kit.py"
TIMEOUT = 3  # seconds a cell may run while grading here (the course's config says 60)
GRADED = ["04", "05", "06", "08", "09"]  # the core track's notebooks with exercises
CORE = [name for name, exercise in EXERCISES.items() if exercise.notebook in GRADED]


def nbgrader(course, *arguments, wait=True):
    """Run an nbgrader command in ``course``, as a teacher would (the learner's folder variable
    unset, so each submission's saved functions stay in its own folder): its output, or with
    ``wait=False`` the running process (finish it with finished())."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "GRADIENT_COURSE_WORK"}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    process = subprocess.Popen([sys.executable, "-m", "nbgrader", *arguments], cwd=course,
                               env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    return finished(process) if wait else process


def finished(process):
    """Wait for an nbgrader process; its output (it must succeed)."""
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def cellsOf(path):
    """The cells of the notebook at ``path``."""
    return nbformat.read(path, as_version=4).cells


def gradeId(cell):
    """The nbgrader grade id of a cell ("" for none)."""
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def submit(course, student, answers, *, tamper=False, leaveOut=()):
    """Copy the release into submitted/<student>/core, each answer cell's code replaced by
    ``answers[name]`` where given (else the stub stays), every graded test cell replaced by
    ``pass`` if ``tamper``, the notebooks numbered in ``leaveOut`` left out."""
    folder = course / "submitted" / student / "core"
    folder.mkdir(parents=True)
    for number in GRADED:
        if number in leaveOut:
            continue
        [path] = (course / "release" / "core").glob(f"{number}-*.ipynb")
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            name = gradeId(cell).removesuffix("-answer")
            if gradeId(cell).endswith("-answer") and name in answers:
                cell.source = answers[name]
            elif tamper and gradeId(cell).endswith("-test"):
                cell.source = "pass"
        nbformat.write(nb, folder / path.name)


IMPORTED = "from partFive import computeNumericalGradient\n"  # carol's: not her own

WRONG = {  # bob's answers: a syntax error, an endless loop, a typical mistake
    "getParams": "def getParams(N):\n    return np.concatenate((N.W1.ravel(), N.W2.ravel())\n",
    "setParams": "def setParams(N, params):\n    while True:\n        pass\n",
    "relativeError": ("def relativeError(grad, numgrad):\n"
                      "    return np.linalg.norm(grad - numgrad)\n"),
}


@pytest.fixture(scope="module", name="course")
def courseFixture(tmp_path_factory):
    """A fresh copy of teacher/, its source written, the core track released, three students'
    submissions autograded and their feedback written: the course folder."""
    course = tmp_path_factory.mktemp("course") / "teacher"
    shutil.copytree(ROOT / "teacher", course, ignore=shutil.ignore_patterns(
        "source", "release", "submitted", "autograded", "feedback", "gradebook.db", "*.csv"))
    subprocess.run([sys.executable, str(KIT), "--course", str(course)], check=True,
                   capture_output=True)
    nbgrader(course, "generate_assignment", "core", "--force")
    answers = {name: LEARNER_ANSWERS[name].replace("import numpy as np\n\n\n", "")
               for name in CORE}
    submit(course, "alice", answers)
    bob = {name: answer for name, answer in answers.items() if name != "centeredDifference"}
    submit(course, "bob", bob | WRONG, leaveOut=("09",))
    submit(course, "carol", {**answers, "relativeError": WRONG["relativeError"],
                             "computeNumericalGradient": IMPORTED}, tamper=True)
    # One student at a time, as the teacher would; bob beside the others, to save time.
    bob = nbgrader(course, "autograde", "core", "--create", "--force", "--student", "bob",
                   f"--Execute.timeout={TIMEOUT}", wait=False)
    for student in ("alice", "carol"):
        nbgrader(course, "autograde", "core", "--create", "--force", "--student", student,
                 f"--Execute.timeout={TIMEOUT}")
    finished(bob)
    nbgrader(course, "generate_feedback", "core", "--force")
    nbgrader(course, "export")
    return course


def test_the_config_loads_and_sets_what_the_kit_needs():
    """nbgrader goes on with its defaults when its config fails to load: check it loads."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "teacher")).load_config()
    assert config.CourseDirectory.course_id == "nn-demystified-part5"
    assert config.Execute.timeout == 60 and config.Execute.interrupt_on_timeout is True
    assert "change the code above" in config.ClearSolutions.code_stub["python"]


def test_the_release_has_no_model_answer(course):
    """No line that only a model answer has, no model-answer cell, and no sentence pointing at
    one; every exercise keeps its stub, its locked self-check and a graded test worth its
    points; later cells need no model answer (they ran the learners' work above)."""
    release = sorted((course / "release" / "core").glob("*.ipynb"))
    assert len(release) == 9
    text = "\n".join(cell.source for path in release for cell in cellsOf(path))
    assert "model answer waits" not in text and "collapsed model answer" not in " ".join(
        text.split())
    assert not re.search(r"\bmodel[A-Z]\w*\(", text)
    assert "BEGIN SOLUTION" not in text
    code = {line.strip() for path in release for cell in cellsOf(path)
            if cell.cell_type == "code" for line in cell.source.splitlines()}
    for name in CORE:
        source = course / "source" / "core"
        [path] = source.glob(f"{EXERCISES[name].notebook}-*.ipynb")
        [answer] = [cell for cell in cellsOf(path) if gradeId(cell) == f"{name}-answer"]
        model = answer.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        stub = answer.source.split("### BEGIN SOLUTION")[0]
        shown = stub + (ROOT / "partFour.py").read_text()  # 01 and 02 show Parts 1-4's code
        only = {line.strip() for line in model.splitlines()} - {
            line.strip() for line in shown.splitlines()} - {""}
        only = {line for line in only if len(line) > 12
                and not line.startswith(("#", '"""', "def ", "class "))}
        assert not [line for line in only if line in code], name
        cells = {gradeId(cell): cell for path in release for cell in cellsOf(path)}
        assert cells[f"{name}-answer"].source.startswith(stub.rstrip()), name
        assert model.strip() not in cells[f"{name}-answer"].source, name
        assert cells[f"{name}-self-check"].metadata["nbgrader"]["locked"]
        assert cells[f"{name}-test"].metadata["nbgrader"]["points"] == EXERCISES[name].points
        ast.parse(cells[f"{name}-answer"].source)  # the stub still runs


def scores(course):
    """{student: {exercise: points}} from nbgrader's gradebook (0 for a notebook not handed in)."""
    with warnings.catch_warnings():
        # nbgrader 0.9.5's models make newer SQLAlchemy warn on import: not ours to fix.
        warnings.simplefilter("ignore", DeprecationWarning)
        from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: {name: gradebook.find_grade(f"{name}-test", notebookOf(course, name),
                                                      "core", student).score
                          if hasNotebook(course, student, name) else 0.0
                          for name in CORE}
                for student in ("alice", "bob", "carol")}


def notebookOf(course, name):
    """The name (without .ipynb) of the notebook exercise ``name`` is in."""
    [path] = (course / "release" / "core").glob(f"{EXERCISES[name].notebook}-*.ipynb")
    return path.stem


def hasNotebook(course, student, name):
    """Whether ``student`` submitted the notebook of exercise ``name``."""
    folder = course / "submitted" / student / "core"
    return bool(list(folder.glob(f"{EXERCISES[name].notebook}-*.ipynb")))


def test_the_three_students_get_the_scores_they_earned(course):
    got = scores(course)
    full = {name: float(EXERCISES[name].points) for name in CORE}
    assert got["alice"] == full
    assert got["bob"] == {**full, "centeredDifference": 0.0, "getParams": 0.0, "setParams": 0.0,
                          "relativeError": 0.0, "gradientCheck": 0.0}
    assert got["carol"] == {**full, "relativeError": 0.0, "computeNumericalGradient": 0.0}
    with open(course / "grades.csv", newline="") as handle:
        totals = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert totals == {student: sum(points.values()) for student, points in got.items()}


def test_the_feedback_says_why(course):
    """Bob's feedback carries the self-checks' hints, the syntax error and the interrupted
    loop; carol's, the hint of the real test that nbgrader put back in place of her ``pass``."""
    feedback = course / "feedback" / "bob" / "core"
    page = " ".join((feedback / "04-The-Centered-Difference.html").read_text().split())
    assert "not yet: for f(x) = x**2 at x = 1.5 with epsilon = 1e-4" in page
    page = (feedback / "05-All-The-Weights-As-One-Vector.html").read_text()
    assert "SyntaxError" in page and ("KeyboardInterrupt" in page or "Timeout" in page)
    page = " ".join((feedback / "08-How-Close-Is-Close-Enough.html").read_text().split())
    assert "that is the norm of the difference alone" in page
    page = (course / "feedback" / "carol" / "core" / "08-How-Close-Is-Close-Enough.html")
    assert "that is the norm of the difference alone" in " ".join(page.read_text().split())


def test_no_release_cell_shows_an_answer_and_what_stands_in_runs(course):
    """The cells after an exercise that show its answer (notebook 05's class with getParams and
    setParams as methods, notebook 14's backprop with the bias lines) show the release's text
    instead, and it runs: alice's notebook 05 graded without an error, and notebook 14's release
    with its exercise answered checks the learner's backprop."""
    [core] = (course / "release" / "core").glob("05-*.ipynb")
    text = "\n".join(cell.source for cell in cellsOf(core))
    assert "self.W1.ravel()" not in text and "from partFive import Neural_Network" in text
    [graded] = (course / "autograded" / "alice" / "core").glob("05-*.ipynb")
    assert not [output for cell in cellsOf(graded) if cell.cell_type == "code"
                for output in cell.outputs if output.output_type == "error"]
    nbgrader(course, "generate_assignment", "own-network", "--force")
    [path] = (course / "release" / "own-network").glob("14-*.ipynb")
    nb = nbformat.read(path, as_version=4)
    shown = [cell for cell in nb.cells if "shows-answer" in cell.metadata.get("tags", [])]
    assert len(shown) == 4 and not any("sum(axis=0)" in cell.source or "release" in cell.metadata
                                       for cell in shown)
    [answer] = [cell for cell in nb.cells if gradeId(cell) == "biasGradients-answer"]
    answer.source = ("def biasGradients(delta2, delta3):\n"
                     "    return np.ones(len(delta2)) @ delta2, np.ones(len(delta3)) @ delta3\n")
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(output.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                      for output in cell.outputs)
    assert "26 weights in W1, b1, W2, b2\ncheck: passed" in printed
