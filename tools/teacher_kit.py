"""Write a teacher's nbgrader assignments from the course's notebooks: teacher/source/.

Usage: python tools/teacher_kit.py [--course teacher]

nbgrader (Jupyter's grading system) keeps a course in one folder: its nbgrader_config.py, the
teacher's versions of the assignments in source/<assignment>/, and what its commands make from
them (release/, submitted/, autograded/, feedback/, gradebook.db). This script writes source/,
one assignment per group of ASSIGNMENTS, from the saved notebooks, each exercise declared in
exercises.EXERCISES:

* the exercise cell becomes an answer cell: the course's stub, then the model answer between
  nbgrader's solution markers (so the teacher's version runs the model answer; the release keeps
  the stub and nbgrader's code stub after it, a comment);
* the self-check cell is kept, locked;
* after it comes a graded, locked test cell worth the exercise's points: exercises.grade, which
  fails with the self-check's hint unless it says correct;
* the model-answer cell is left out, and with it the sentences that point at it;
* a later cell that shows an exercise's answer (tagged shows-answer: notebook 05's class with
  getParams and setParams as methods, notebook 14's backprop with the bias lines) takes the
  text its metadata keeps for the release ("release"), which imports the course's code or
  runs the learner's function instead;
* the navigation cells are left out: their links and badges lead outside the assignment.

Nothing else changes: a notebook without exercises is copied as it is (its outputs cleared), and
the later notebooks need no model-answer cell (they load the learner's saved functions, or the
model answers from course/modelAnswers.py). The rest is nbgrader's own commands (README, "For
teachers"). Running the script again rewrites source/ the same way.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from navigation import NAV_MARKER  # noqa: E402  (tools/, this script's folder)

from course.exercises import EXERCISES  # noqa: E402  (the repository's root, on the path above)

NOTEBOOKS = ROOT / "notebooks"
COURSE = ROOT / "teacher"
SCHEMA = 3  # nbgrader's cell metadata schema
# The assignments, as a teacher would set them: the core track, then each going-deeper notebook
# with an exercise (the others are reading, not graded).
ASSIGNMENTS = {
    "core": [f"{number:02d}" for number in range(1, 10)],
    "epsilon-lab": ["10"],
    "bug-hunt": ["13"],
    "own-network": ["14"],
}
POINTING_AT_THE_ANSWER = re.compile(  # sentences about the collapsed model-answer cell
    r"\s*[^.;:]*\b(model\s+answer\s+waits|collapsed\s+model\s+answer)\b[^.]*\.")


def tags(cell):
    """The cell's tags, e.g. ["exercise"]."""
    return cell.metadata.get("tags", [])


def exerciseName(cell):
    """The name of the exercise an exercise cell defines (a key of EXERCISES)."""
    names = [name for name in EXERCISES
             if re.search(rf"^(def|class) {name}\b|^{name} =", cell.source, re.MULTILINE)]
    if len(names) != 1:
        raise ValueError(f"an exercise cell must define one exercise's name; this one defines "
                         f"{names or 'none'}:\n{cell.source}")
    return names[0]


def modelAnswer(cell, name):
    """The code of a model-answer cell with the learner's name for model<Name>: its heading,
    the import of the self-check and the closing call of it left out."""
    model = "model" + name[0].upper() + name[1:]
    lines = [line for line in cell.source.splitlines()
             if not line.startswith(("# Model answer:", "# It is named",
                                     "from course.selfChecks import"))
             and not re.match(rf"print\(\w+\({model}\)\)", line)]
    return re.sub(rf"\b{model}\b", name, "\n".join(lines)).strip("\n")


def nbgraderCell(cell, gradeId, *, solution=False, grade=False, locked=False, points=None):
    """``cell`` with nbgrader's metadata."""
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": gradeId, "locked": locked,
                                 "schema_version": SCHEMA, "solution": solution, "task": False}
    if points is not None:
        cell.metadata["nbgrader"]["points"] = points
    return cell


def answerCell(exercise, solution, name):
    """The learner's answer cell: the stub, then the model answer between solution markers."""
    cell = nbformat.v4.new_code_cell(f"{exercise.source.rstrip()}\n\n### BEGIN SOLUTION\n"
                                     f"{modelAnswer(solution, name)}\n### END SOLUTION")
    return nbgraderCell(cell, f"{name}-answer", solution=True)


def testCell(name):
    """The graded test of exercise ``name``: locked, worth its points."""
    points = EXERCISES[name].points
    cell = nbformat.v4.new_code_cell(
        f"# Graded test ({points} point{'s' * (points != 1)}): the self-check above must say "
        f"correct.\nfrom course.exercises import grade\n\ngrade({name!r}, {name})")
    return nbgraderCell(cell, f"{name}-test", grade=True, locked=True, points=points)


def assignmentNotebook(path):
    """The notebook at ``path`` as nbgrader's source: answer, self-check and test cells for its
    exercises, no model-answer cells, no outputs."""
    nb = nbformat.read(path, as_version=4)
    cells, pending = [], {}
    solutions = [cell for cell in nb.cells if "solution" in tags(cell)]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if "exercise" in tags(cell):
            name = exerciseName(cell)
            solution = next(s for s in solutions if re.search(rf"\bmodel{name[0].upper()}"
                                                                rf"{name[1:]}\b", s.source))
            cells.append(answerCell(cell, solution, name))
            pending[name] = True
        elif "self-check" in tags(cell):
            name = next(name for name in pending if re.search(rf"\b{name}\b", cell.source))
            cells += [nbgraderCell(cell, f"{name}-self-check", locked=True), testCell(name)]
            del pending[name]
        elif "shows-answer" in tags(cell):
            cell.source = cell.metadata.pop("release")  # no answer, where the class sees it
            cells.append(cell)
        elif cell.source.startswith(NAV_MARKER):
            continue  # its links and badges lead outside the assignment, to the model answers
        elif "solution" not in tags(cell):
            if cell.cell_type == "markdown":
                cell.source = POINTING_AT_THE_ANSWER.sub("", cell.source)
            cells.append(cell)
    if pending:
        raise ValueError(f"{path.name}: no self-check cell for {', '.join(pending)}")
    nb.cells = cells
    return nb


def writeSource(course=COURSE):
    """Write ``course``/source/<assignment>/ for every assignment; the assignments' paths."""
    source = Path(course) / "source"
    written = []
    for assignment, numbers in ASSIGNMENTS.items():
        folder = source / assignment
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for number in numbers:
            [path] = NOTEBOOKS.glob(f"{number}-*.ipynb")
            nbformat.write(assignmentNotebook(path), folder / path.name)
        written.append(folder)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", default=COURSE, type=Path,
                        help="the nbgrader course folder (default: teacher/)")
    arguments = parser.parse_args(argv)
    for folder in writeSource(arguments.course):
        print(f"wrote {folder.relative_to(arguments.course.resolve().parent)}/ "
              f"({len(list(folder.glob('*.ipynb')))} notebooks)")


if __name__ == "__main__":
    main()
