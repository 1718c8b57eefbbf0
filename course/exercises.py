"""The course's exercises, declared once, and the learner's functions carried forward.

``EXERCISES`` says, for each exercise: its notebook, its self-check (course.selfChecks), its
points in a teacher's graded test (tools/teacher_kit.py) and the later notebooks that run the
learner's function. ``selfCheck`` prints a self-check's answer and keeps a correct carried
function in the learner's own file (course.yourWork); ``yours`` loads it in a later notebook,
the model answer (course.modelAnswers) standing in until then; ``grade`` is a teacher's test.
"""

import inspect
import re
import textwrap
from collections import namedtuple

import numpy as np

from checker import gradientReport
from checker.validation import checkChoice, checkNames
from course import selfChecks
from course.modelAnswers import MODELS
from course.selfChecks import describe, nameOf, wrapped
from course.yourWork import FILE_NAME, runPieces, savedPieces, savePiece

__all__ = ["EXERCISES", "CARRIED", "selfCheck", "grade", "yours"]


Exercise = namedtuple("Exercise", ["notebook", "check", "points", "usedIn"], defaults=[()])
EXERCISES = {  # the name the learner defines: its exercise, in the order of the course
    "centeredDifference": Exercise("04", selfChecks.checkCenteredDifference, 1, ("06",)),
    "getParams": Exercise("05", selfChecks.checkGetParams, 1, ("09",)),
    "setParams": Exercise("05", selfChecks.checkSetParams, 1, ("09",)),
    "computeNumericalGradient": Exercise("06", selfChecks.checkNumericalGradient, 2,
                                         ("07", "08", "09")),
    "relativeError": Exercise("08", selfChecks.checkRelativeError, 1, ("09",)),
    "ExerciseNetwork": Exercise("08", selfChecks.checkFixedNetwork, 2),
    "gradientCheck": Exercise("09", selfChecks.checkGradientCheck, 2),
    "myEpsilon": Exercise("10", selfChecks.checkFloat32Epsilon, 1),
    "MysteryNetwork": Exercise("13", selfChecks.checkMysteryNetwork, 2),
    "biasGradients": Exercise("14", selfChecks.checkBiasGradients, 2),
}
CARRIED = [name for name in EXERCISES if name in MODELS]  # saved when correct; the file's order


def selfCheck(candidate, name=None):
    """Print the self-check's answer for ``candidate`` (the exercise named ``name`` or as it was
    defined); keep it when correct and carried."""
    name = name or nameOf(candidate, None)
    if not isinstance(name, str) or name not in EXERCISES:
        handed = "a lambda, which has no name" if name == "<lambda>" else \
            str(name or type(candidate).__name__)
        print(wrapped(f"not yet: selfCheck knows the exercises {', '.join(EXERCISES)}; it was "
                      f"handed {handed}: define it with def (or class), under the name the "
                      f"exercise cell defines"))
        return
    answer = EXERCISES[name].check(candidate)
    if answer.startswith("correct") and name in CARRIED:
        answer += "\n" + keep(name, candidate)
    elif name in savedPieces():
        answer += "\n" + wrapped(f"{FILE_NAME} keeps your last version that said correct; the "
                                 f"notebooks after this one run that.")
    print(answer)


def grade(name, candidate):
    """A teacher's graded test: AssertionError with the hint unless ``candidate`` is defined in
    the notebook under the exercise's name and its self-check says correct (then printed)."""
    checkChoice(name, tuple(EXERCISES), "grade's name")
    if callable(candidate) and (nameOf(candidate, None) != name
                                or getattr(candidate, "__module__", None) != "__main__"):
        raise AssertionError(f"not yet: {name} must be defined in this notebook, as the "
                             f"exercise cell does; this one is {nameOf(candidate)} from "
                             f"{getattr(candidate, '__module__', 'elsewhere')}")
    answer = EXERCISES[name].check(candidate)
    if not answer.startswith("correct"):
        raise AssertionError(answer)
    print(answer)


def keep(name, candidate):
    """Save a correct ``candidate`` in yourGradientCheck.py if, run there on its own, it is still
    correct; a line saying where it went or why not."""
    if nameOf(candidate, None) != name:
        return wrapped(f"It was not saved for later notebooks, which look for {name}: define it "
                       f"with def {name}(...), as the exercise cell does.")
    try:
        source = textwrap.dedent(inspect.getsource(candidate))
    except (OSError, TypeError):
        return wrapped("It could not be saved for later notebooks: its source code is not "
                       "available. Define it with def in a cell of this notebook.")
    namespace, _ = piecesNamespace()
    error = runPieces({name: source}, namespace).get(name)
    answer = EXERCISES[name].check(namespace[name]) if error is None else None
    if answer is None or not answer.startswith("correct"):
        why = f"it raised {describe(error)}" if error else f"its self-check said {answer}"
        return wrapped(f"It was not saved for later notebooks: on its own, outside this "
                       f"notebook, {why}. Keep what it uses inside it (numpy is there, as np).")
    savePiece(name, EXERCISES[name].notebook, source, CARRIED)
    later = EXERCISES[name].usedIn
    where = "the rest of this notebook" + (
        f" and notebook {later[0]}" if len(later) == 1 else
        f" and notebooks {', '.join(later[:-1])} and {later[-1]}" if later else "")
    missing = [piece for piece in CARRIED if piece != name and piece not in savedPieces()
               and re.search(rf"(?<![\w.]){piece}\b", source)]  # N.getParams() is N's own
    saved = f"Saved in {FILE_NAME}: {where} run{'s' * (not later)} it from there"
    if missing:
        return wrapped(f"{saved}. It calls {' and '.join(missing)}, not saved there yet: until "
                       f"their self-checks say correct, the file does not run on its own.")
    return wrapped(saved + ("." if later else "; a project of your own can import it."))


def piecesNamespace():
    """(namespace, errors): numpy as np and the carried pieces, the learner's saved ones where
    they run; {name: exception} of those that do not."""
    namespace = {"np": np, **{name: MODELS[name] for name in CARRIED}}
    saved = {name: source for name, (_, source) in savedPieces().items() if name in MODELS}
    return namespace, runPieces(saved, namespace)


def yours(*names, show=True):
    """The learner's functions ``names`` from yourGradientCheck.py, the model answer for any not
    saved, not running or not passing (vetted in order, so gradientCheck calls the learner's
    pieces that pass); says which, unless not ``show``. One name: its function; several: a tuple."""
    names = checkNames(names, CARRIED, "yours' names")
    saved = savedPieces()
    namespace, errors = piecesNamespace()
    said = {}
    for name in CARRIED[:max(CARRIED.index(name) for name in names) + 1]:
        notebook = EXERCISES[name].notebook
        if name not in saved:
            said[name] = f"the model answer, until notebook {notebook}'s self-check saves yours"
        elif name in errors:
            said[name] = (f"the model answer: yours in {FILE_NAME} does not run "
                          f"({describe(errors[name])})")
        elif not EXERCISES[name].check(namespace[name]).startswith("correct"):
            said[name] = f"the model answer: yours in {FILE_NAME} no longer passes its self-check"
        else:
            said[name] = f"yours, from notebook {notebook}"
        if said[name].startswith("the model answer"):
            namespace[name] = MODELS[name]
    width = max(map(len, names))
    for name in names if show else ():
        print(gradientReport.wrapped(f"{name + ':':<{width + 1}} {said[name]}", "",
                                     " " * (width + 2)))
    functions = tuple(namespace[name] for name in names)
    return functions[0] if len(functions) == 1 else functions
