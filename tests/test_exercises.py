"""The exercises: each self-check against its notebook's stub, its model answer and the typical
wrong answers it must recognise; and the convention every exercise in every notebook follows.

The convention (COURSE.md): the learner's cell is tagged ``exercise`` and holds a stub that
runs; the next cell, tagged ``self-check``, prints "not yet: <hint>" for the stub; a later cell
tagged ``solution``, collapsed, defines the model answer and prints "correct: ...". The notebook
is saved as the learner sees it, so its outputs show exactly that.

The stub and the model answer are taken from the saved notebook: the cells before the exercise
contribute their imports and definitions (enough to define the exercise's code), then the
exercise cell runs, then the self-check and the solution.
"""

import ast
import builtins
import contextlib
import copy
import io
import linecache
from pathlib import Path

import nbformat
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from course import bugGallery, exercises, selfChecks
from course.bugGallery import (
    GALLERY,
    BuggyNetwork,
    CrossEntropyShortcut,
    ForgetfulNetwork,
    WeightDecay,
)
from course.epsilonLab import bestEpsilon, errorCurve
from course.modelAnswers import modelComputeNumericalGradient, modelRelativeError
from course.selfChecks import (
    checkBiasGradients,
    checkCenteredDifference,
    checkFixedNetwork,
    checkFloat32Epsilon,
    checkGetParams,
    checkGradientCheck,
    checkMysteryNetwork,
    checkNumericalGradient,
    checkRelativeError,
    checkSetParams,
)
from partFive import Neural_Network, checkGradient, computeNumericalGradient, loopNumericalGradient

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"


class MissingTranspose(Neural_Network):
    """Notebook 08's bug to find, as its exercise cell holds it (ExerciseNetwork): dJdW2 = a2
    delta3, a2 not transposed, which numpy accepts as the batch's 3 examples match the 3 hidden
    units; W2's gradient is wrong, W1's right."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2



NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]-*.ipynb"))

# (notebook number, the name the learner defines): its self-check, from the course's registry.
EXERCISES = {(exercise.notebook, name): exercise.check
             for name, exercise in exercises.EXERCISES.items()}


# --- reading the exercises out of the saved notebooks ----------------------------------------

def tags(cell):
    """The cell's tags, e.g. ["exercise"]."""
    return cell.metadata.get("tags", [])


def python(cell):
    """A code cell's source as plain Python (%magics become calls)."""
    return TransformerManager().transform_cell(cell.source)


def definedNames(cell):
    """The names a code cell defines at its top level: def, class, and plain assignments."""
    names = []
    for node in ast.parse(python(cell)).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
    return names


def codeCells(path):
    """The notebook's code cells, in order."""
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def printed(cell):
    """Everything a saved code cell printed."""
    return "".join(output.get("text", "") for output in cell.outputs
                   if output.get("name") == "stdout")


def exerciseParts(cells):
    """Yield (exercise, self-check or None, solution or None) cell indices, per exercise: the
    first solution cell after the exercise, and the first self-check before it (diagnostic
    cells may sit between the exercise and its self-check)."""
    for i, cell in enumerate(cells):
        if "exercise" in tags(cell):
            solution = next((j for j in range(i + 1, len(cells))
                             if "solution" in tags(cells[j])), None)
            check = next((j for j in range(i + 1, solution or len(cells))
                          if "self-check" in tags(cells[j])), None)
            yield i, check, solution


def allExercises():
    """Yield (path, cells, exercise, self-check, solution) for every exercise of the course."""
    for path in NOTEBOOKS:
        cells = codeCells(path)
        for parts in exerciseParts(cells):
            yield (path, cells, *parts)


def findExercise(number, name):
    """(path, cells, exercise, self-check, solution) of notebook ``number``'s exercise that
    defines ``name``."""
    for found in allExercises():
        path, cells, exercise = found[:3]
        if path.name.startswith(number) and name in definedNames(cells[exercise]):
            return found
    raise LookupError(f"no exercise defining {name} in notebook {number}")


def learnerVersions(number, name):
    """(stub, model answer) of notebook ``number``'s exercise that defines ``name``."""
    path, cells, exercise, check, solution = findExercise(number, name)
    preamble = [node for cell in cells[:exercise] for node in ast.parse(python(cell)).body
                if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))
                or isLoadingPieces(node)]
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        run(ast.unparse(ast.Module(body=preamble, type_ignores=[])), f"{path.stem}-preamble",
            namespace)
        run(python(cells[exercise]), f"{path.stem}-cell-{exercise}", namespace)
        stub = namespace[name]
        run(python(cells[check]), f"{path.stem}-cell-{check}", namespace)
        run(python(cells[solution]), f"{path.stem}-cell-{solution}", namespace)
    return stub, namespace.get(modelName(name), namespace[name])


def isLoadingPieces(node):
    """Whether ``node`` is an assignment from exercises.yours (the learner's carried pieces)."""
    return isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
        and getattr(node.value.func, "id", None) == "yours"


def modelName(name):
    """The model answer's name for the learner's ``name``: relativeError -> modelRelativeError."""
    return "model" + name[0].upper() + name[1:]


def run(source, filename, namespace):
    """exec ``source`` in ``namespace``, its lines kept where inspect.getsource finds them (as
    IPython keeps a cell's), so code that reads a class's source works as in the notebook."""
    filename = f"<{filename}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)


@pytest.fixture(scope="module", name="versions")
def versionsFixture():
    """Each exercise's (stub, model answer), read out of its notebook once."""
    return {key: learnerVersions(*key) for key in EXERCISES}


def ids(key):
    return f"{key[0]}-{key[1]}"


# --- the convention ---------------------------------------------------------------------------

def test_every_exercise_in_the_notebooks_is_tested_here():
    found = {(path.name[:2], name) for path, cells, exercise, _, _ in allExercises()
             for name in definedNames(cells[exercise])}
    assert found == set(EXERCISES)


def test_the_core_track_has_at_least_five_exercises():
    core = [path for path, *_ in allExercises() if "01" <= path.name[:2] <= "09"]
    assert len(core) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_exercise_has_its_self_check_next_then_a_collapsed_solution(path):
    cells = codeCells(path)
    parts = list(exerciseParts(cells))
    for exercise, check, solution in parts:
        assert check is not None, f"no self-check right after exercise cell {exercise}"
        assert solution is not None, f"no solution after exercise cell {exercise}"
        later = [i for i, _, _ in parts if i > exercise]
        assert not later or solution < later[0], "a solution must come before the next exercise"
        assert cells[solution].metadata.get("jupyter", {}).get("source_hidden") is True
        answers = set(definedNames(cells[solution]))
        assert all(modelName(name) in answers and name not in answers
                   for name in definedNames(cells[exercise]))
        for between in cells[check + 1:solution]:  # hints may sit there; the answer may not
            assert not set(definedNames(cells[exercise])) & set(definedNames(between))
    tagged = {tag: [i for i, cell in enumerate(cells) if tag in tags(cell)]
              for tag in ("self-check", "solution")}
    assert tagged["self-check"] == [check for _, check, _ in parts]
    assert tagged["solution"] == [solution for _, _, solution in parts]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_saved_notebook_shows_not_yet_then_correct(path):
    cells = codeCells(path)
    for _, check, solution in exerciseParts(cells):
        assert printed(cells[check]).startswith("not yet: ")
        assert any(line.startswith("correct: ") for line in printed(cells[solution]).splitlines())
        for line in (printed(cells[check]) + printed(cells[solution])).splitlines():
            assert len(line) <= 90, line


@pytest.mark.parametrize("key", EXERCISES, ids=ids)
def test_the_stub_is_not_yet_and_the_model_answer_is_correct(key, versions):
    stub, answer = versions[key]
    assert EXERCISES[key](stub).startswith("not yet: ")
    assert EXERCISES[key](answer).startswith("correct: ")


@pytest.mark.parametrize("key", EXERCISES, ids=ids)
def test_the_saved_self_check_and_solution_print_what_the_checks_say(key, versions):
    """What the notebook's kernel printed is what the check says here, in another process."""
    stub, answer = versions[key]
    _, cells, _, check, solution = findExercise(*key)
    assert printed(cells[check]) == EXERCISES[key](stub) + "\n"
    assert printed(cells[solution]).startswith(EXERCISES[key](answer) + "\n")


def test_notebook_08_shows_no_fix_before_its_solution():
    """No cell of notebook 08 before the model answer shows the line ExerciseNetwork gets wrong
    as it should be (notebook 01's table does: the exercise sends the learner there), and no
    self-check names it."""
    cells = nbformat.read(FOLDER / "08-How-Close-Is-Close-Enough.ipynb", as_version=4).cells
    solution = next(i for i, cell in enumerate(cells) if "solution" in tags(cell)
                    and "ExerciseNetwork" in cell.source)
    fix = "np.dot(self.a2.T, delta3)"
    assert not [cell.source for cell in cells[:solution] if fix in cell.source]
    assert fix in cells[solution].source
    shown = [printed(cell) for cell in cells[:solution] if cell.cell_type == "code"]
    assert not [text for text in shown if "dJdW2" in text or "transpose" in text or ".T" in text]


def test_the_self_check_comes_after_the_diagnosis():
    """Notebook 08's find-the-bug: the exercise, then the cell measuring each layer's ratio,
    then the self-check; the self-check's hint for the unchanged bug names no line to fix."""
    path, cells, exercise, check, solution = findExercise("08", "ExerciseNetwork")
    between = cells[exercise + 1:check]
    assert [cell for cell in between if "W1's six" in cell.source], "no diagnosis before it"
    answer = checkFixedNetwork(MissingTranspose)
    for line in ("dJdW2", "a2.T", "transpose", "delta2", "np.dot"):
        assert line not in answer, answer


# --- every check: typical wrong answers, each with its hint -----------------------------------

def forward(f, x, epsilon):
    return (f(x + epsilon) - f(x)) / epsilon


def raises(*args, **options):
    raise ZeroDivisionError("division by zero")


CENTERED = [
    (forward, "one-sided (forward)"),
    (lambda f, x, epsilon: (f(x) - f(x - epsilon)) / epsilon, "backward"),
    (lambda f, x, epsilon: (f(x + epsilon) - f(x - epsilon)) / epsilon, "divide by 2 * epsilon"),
    (lambda f, x, epsilon: (f(x - epsilon) - f(x + epsilon)) / (2 * epsilon), "sign is flipped"),
    (lambda f, x, epsilon: (f(x + epsilon) - f(x - epsilon)) / 2 * epsilon, "(a / 2) * epsilon"),
    (lambda f, x, epsilon: 2 * x, "that is 2x"),
    (lambda f, x, epsilon: (f(x + 1e-4) - f(x - 1e-4)) / 2e-4, "the step epsilon your"),
    (lambda f, x, epsilon: (f(x + epsilon) - f(x - epsilon)) / (2 * epsilon) + 1e-3,
     "the centered difference is 3.000000"),
    (raises, "raised ZeroDivisionError: division by zero"),
    (lambda f, x, epsilon: None, "return statement"),
    (lambda f, x, epsilon: "3.0", "not a number"),
    (lambda f, x, epsilon: np.array([3.0, 3.0]), "returned 2 numbers"),
    (3.0, "should be a function"),
]


@pytest.mark.parametrize("candidate, hint", CENTERED)
def test_centered_difference_mistakes(candidate, hint):
    assertNotYet(checkCenteredDifference(candidate), hint)


CENTERED_VARIANTS = {
    "the formula": lambda f, x, epsilon: (f(x + epsilon) - f(x - epsilon)) / (2 * epsilon),
    "divided twice": lambda f, x, epsilon: (f(x + epsilon) - f(x - epsilon)) / 2 / epsilon,
    "the mean of the one-sided slopes": lambda f, x, epsilon: (
        (f(x + epsilon) - f(x)) / epsilon + (f(x) - f(x - epsilon)) / epsilon) / 2,
    "over the points' real distance": lambda f, x, epsilon: (
        (f(x + epsilon) - f(x - epsilon)) / ((x + epsilon) - (x - epsilon))),
    "with numpy": lambda f, x, epsilon: (
        np.diff(f(np.array([x - epsilon, x + epsilon])))[0] / (2 * epsilon)),
}


@pytest.mark.parametrize("candidate", CENTERED_VARIANTS.values(), ids=CENTERED_VARIANTS)
def test_centered_difference_variants_are_correct(candidate):
    assert checkCenteredDifference(candidate).startswith("correct: ")


def assertNotYet(answer, hint):
    """The answer is "not yet: ..." and gives the hint (line breaks read as spaces)."""
    assert answer.startswith("not yet: "), answer
    assert hint in " ".join(answer.split()), answer


def doubling(N):
    N.W1 = 2 * N.W1
    return np.concatenate((N.W1.ravel(), N.W2.ravel()))


GET_PARAMS = [
    (lambda N: np.zeros(9), "stub's placeholder"),
    (lambda N: np.concatenate((N.W2.ravel(), N.W1.ravel())), "W2's weights come first"),
    (lambda N: np.concatenate((N.W1.T.ravel(), N.W2.ravel())), "column by column"),
    (lambda N: [N.W1, N.W2], "a list of 2 arrays"),
    (lambda N: (N.W1.ravel(), N.W2.ravel()), "a tuple of 2 arrays"),
    (lambda N: np.concatenate((N.W1.reshape(-1, 1), N.W2)), "shape (9, 1)"),
    (lambda N: N.W1.ravel(), "only W1's 6 weights"),
    (lambda N: np.concatenate((N.W1.reshape(6), N.W2.reshape(3))), "but for a 3-4-2 one"),
    (lambda N: np.concatenate((N.W1.ravel(), N.W2.ravel()))[::-1], "entry 0 holds W2[2, 0]"),
    (lambda N: np.concatenate((N.W1.ravel(), N.W2.ravel())) + 1, "no weight of N"),
    (doubling, "changed the network's weights"),
    (lambda N: list(np.concatenate((N.W1.ravel(), N.W2.ravel()))),
     "the right numbers, but in a list: return a numpy array"),
    (raises, "your function raised ZeroDivisionError"),
]


@pytest.mark.parametrize("candidate, hint", GET_PARAMS)
def test_getParams_mistakes(candidate, hint):
    assertNotYet(checkGetParams(candidate), hint)


GET_PARAMS_VARIANTS = {
    "concatenate and ravel": lambda N: np.concatenate((N.W1.ravel(), N.W2.ravel())),
    "flatten": lambda N: np.concatenate([N.W1.flatten(), N.W2.flatten()]),
    "reshape(-1)": lambda N: np.concatenate((N.W1.reshape(-1), N.W2.reshape(-1))),
    "hstack": lambda N: np.hstack((N.W1.ravel(), N.W2.ravel())),
    "append": lambda N: np.append(N.W1, N.W2),
    "axis=None": lambda N: np.concatenate((N.W1, N.W2), axis=None),
    "r_": lambda N: np.r_[N.W1.ravel(), N.W2.ravel()],
    "unpacked": lambda N: np.array([*N.W1.ravel(), *N.W2.ravel()]),
}


@pytest.mark.parametrize("candidate", GET_PARAMS_VARIANTS.values(), ids=GET_PARAMS_VARIANTS)
def test_getParams_variants_are_correct(candidate):
    assert checkGetParams(candidate).startswith("correct: ")


def withoutReshape(N, params):
    N.W1, N.W2 = params[:6], params[6:]


def swapped(N, params):
    W1_end = N.inputLayerSize * N.hiddenLayerSize
    W2_size = N.hiddenLayerSize * N.outputLayerSize
    N.W1 = params[W2_size:].reshape(N.inputLayerSize, N.hiddenLayerSize)
    N.W2 = params[:W2_size].reshape(N.hiddenLayerSize, N.outputLayerSize)
    assert W1_end + W2_size == params.size


def columnByColumn(N, params):
    W1_end = N.inputLayerSize * N.hiddenLayerSize
    N.W1 = params[:W1_end].reshape(N.hiddenLayerSize, N.inputLayerSize).T
    N.W2 = params[W1_end:].reshape(N.hiddenLayerSize, N.outputLayerSize)


def hardWired(N, params):
    N.W1 = params[:6].reshape(2, 3)
    N.W2 = params[6:].reshape(3, 1)


def aNewNetwork(N, params):
    other = Neural_Network()
    other.W1 = params[:6].reshape(2, 3)
    other.W2 = params[6:].reshape(3, 1)
    return other


def rowOfW2(N, params):
    W1_end = N.inputLayerSize * N.hiddenLayerSize
    N.W1 = params[:W1_end].reshape(N.inputLayerSize, N.hiddenLayerSize)
    N.W2 = params[W1_end:].reshape(N.outputLayerSize, N.hiddenLayerSize)


SET_PARAMS = [
    (lambda N, params: None, "kept its old weights"),
    (withoutReshape, "N.W1 has shape (6,): reshape"),
    (swapped, "slices are swapped"),
    (columnByColumn, "filled column by column"),
    (hardWired, "but for a 3-4-2 one"),
    (aNewNetwork, "returned something"),
    (rowOfW2, "N.W2 has shape (1, 3)"),
    (raises, "your function raised ZeroDivisionError"),
]


@pytest.mark.parametrize("candidate, hint", SET_PARAMS)
def test_setParams_mistakes(candidate, hint):
    assertNotYet(checkSetParams(candidate), hint)


def tutorialSetParams(N, params):
    """The tutorial's setParams method, as a function of N."""
    W1_start = 0
    W1_end = N.hiddenLayerSize * N.inputLayerSize
    N.W1 = np.reshape(params[W1_start:W1_end], (N.inputLayerSize, N.hiddenLayerSize))
    W2_end = W1_end + N.hiddenLayerSize * N.outputLayerSize
    N.W2 = np.reshape(params[W1_end:W2_end], (N.hiddenLayerSize, N.outputLayerSize))


def shapesOfTheMatrices(N, params):
    W1_end = N.W1.size
    N.W1 = params[:W1_end].reshape(N.W1.shape)
    N.W2 = params[W1_end:].reshape(N.W2.shape)


def inPlaceSetParams(N, params):
    N.W1[:] = params[:N.W1.size].reshape(N.W1.shape)
    N.W2[...] = params[N.W1.size:].reshape(N.W2.shape)


def splitAndReturnN(N, params):
    first, rest = np.split(params, [N.inputLayerSize * N.hiddenLayerSize])
    N.W1 = first.reshape(N.inputLayerSize, N.hiddenLayerSize)
    N.W2 = rest.reshape(N.hiddenLayerSize, N.outputLayerSize)
    return N


SET_PARAMS_VARIANTS = [tutorialSetParams, shapesOfTheMatrices, inPlaceSetParams,
                       splitAndReturnN]


@pytest.mark.parametrize("candidate", SET_PARAMS_VARIANTS, ids=lambda f: f.__name__)
def test_setParams_variants_are_correct(candidate):
    assert checkSetParams(candidate).startswith("correct: ")


def numericalGradient(restore="finally", reset=True, kind="centered", fixedStep=None,
                      swallow=False):
    """A learner's computeNumericalGradient, right or with one of the typical mistakes."""
    slopes = {"centered": lambda up, down, here, e: (up - down) / (2 * e),
              "forward": lambda up, down, here, e: (up - here) / e,
              "over epsilon": lambda up, down, here, e: (up - down) / e,
              "sign": lambda up, down, here, e: (down - up) / (2 * e)}

    def compute(N, X, y, epsilon=1e-4):
        epsilon = fixedStep or epsilon
        paramsInitial = N.getParams()
        here = N.costFunction(X, y)
        numgrad = np.zeros(paramsInitial.shape)
        perturb = np.zeros(paramsInitial.shape)

        def loop():
            for p in range(len(paramsInitial)):
                perturb[p] = epsilon
                N.setParams(paramsInitial + perturb)
                up = N.costFunction(X, y)
                N.setParams(paramsInitial - perturb)
                down = N.costFunction(X, y)
                numgrad[p] = slopes[kind](up, down, here, epsilon)
                if reset:
                    perturb[p] = 0

        try:
            if restore == "finally":
                try:
                    loop()
                finally:
                    N.setParams(paramsInitial)
            else:
                loop()
                if restore == "after the loop":
                    N.setParams(paramsInitial)
        except RuntimeError:
            if not swallow:
                raise
        return numgrad

    return compute


def stepAlone(N, X, y, epsilon=1e-4):
    paramsInitial = N.getParams()
    perturb = np.zeros(paramsInitial.shape)
    perturb[0] = epsilon
    N.setParams(perturb)
    N.setParams(paramsInitial)
    return np.zeros(paramsInitial.shape)


def steppingBack(N, X, y, epsilon=1e-4):
    """Nudges weights in place and puts each back by stepping: w + e - 2e + e is not always w."""
    weights = N.getParams()
    numgrad = np.zeros(weights.shape)
    for p in range(len(weights)):
        weights[p] += epsilon
        N.setParams(weights)
        up = N.costFunction(X, y)
        weights[p] -= 2 * epsilon
        N.setParams(weights)
        down = N.costFunction(X, y)
        weights[p] += epsilon
        numgrad[p] = (up - down) / (2 * epsilon)
    N.setParams(weights)
    return numgrad


def steppingBackOnTheMatrices(N, X, y, epsilon=1e-4):
    """The same, on N.W1 and N.W2 directly: setParams is never called."""
    numgrad = []
    for W in (N.W1, N.W2):
        for index in np.ndindex(W.shape):
            W[index] += epsilon
            up = N.costFunction(X, y)
            W[index] -= 2 * epsilon
            down = N.costFunction(X, y)
            W[index] += epsilon
            numgrad.append((up - down) / (2 * epsilon))
    return np.array(numgrad)


def tutorialSignature(N, X, y):
    """The tutorial's loop as typed from the video: no epsilon parameter (e = 1e-4 inside)."""
    return numericalGradient(restore="after the loop")(N, X, y)


NUMERICAL_GRADIENT = [
    (numericalGradient(restore="never"), "left with nudged weights"),
    (numericalGradient(reset=False), "2 weights were nudged at once"),
    (numericalGradient(kind="forward"), "one-sided (forward)"),
    (numericalGradient(kind="over epsilon"), "twice the centered difference"),
    (numericalGradient(kind="sign"), "wrong sign"),
    (numericalGradient(fixedStep=1e-4), "use the epsilon your function is given"),
    (numericalGradient(swallow=True), "carried on"),
    (steppingBack, "weight W1[1, 0] came back 4.4e-16 off"),
    (steppingBack, "from a saved copy (paramsInitial)"),
    (steppingBackOnTheMatrices, "came back 4.4e-16 off"),
    (tutorialSignature, "the parameter epsilon=1e-4"),
    (lambda N, X, y, epsilon=1e-4: N.computeGradients(X, y), "backprop's numbers"),
    (lambda N, X, y, epsilon=1e-4: np.zeros(9), "stub's placeholder"),
    (lambda N, X, y, epsilon=1e-4: np.zeros(8), "it returned 8 numbers"),
    (lambda N, X, y, epsilon=1e-4: None, "return statement"),
    (stepAlone, "the step alone"),
    (raises, "your function raised ZeroDivisionError"),
]


@pytest.mark.parametrize("candidate, hint", NUMERICAL_GRADIENT)
def test_numerical_gradient_mistakes(candidate, hint):
    assertNotYet(checkNumericalGradient(candidate), hint)


def restoreAndReraise(N, X, y, epsilon=1e-4):
    """Puts the weights back in an except: block that re-raises, and after the loop."""
    paramsInitial = N.getParams()
    try:
        numgrad = numericalGradient(restore="never")(N, X, y, epsilon)
    except Exception:
        N.setParams(paramsInitial)
        raise
    N.setParams(paramsInitial)
    return numgrad


def fromASavedCopy(N, X, y, epsilon=1e-4):
    """Nudges one copy of the weights in place, putting each weight back from the original."""
    paramsInitial = N.getParams()
    weights = paramsInitial.copy()
    numgrad = np.zeros(weights.shape)
    for p in range(len(weights)):
        weights[p] = paramsInitial[p] + epsilon
        N.setParams(weights)
        up = N.costFunction(X, y)
        weights[p] = paramsInitial[p] - epsilon
        N.setParams(weights)
        down = N.costFunction(X, y)
        weights[p] = paramsInitial[p]
        numgrad[p] = (up - down) / (2 * epsilon)
    N.setParams(paramsInitial)
    return numgrad


def aFreshCopyEachTime(N, X, y, epsilon=1e-4):
    """A new nudged vector per cost, and the weights put back in a finally: block."""
    paramsInitial = N.getParams()
    numgrad = np.zeros(paramsInitial.shape)
    try:
        for p in range(len(paramsInitial)):
            costs = []
            for step in (epsilon, -epsilon):
                nudged = paramsInitial.copy()
                nudged[p] += step
                N.setParams(nudged)
                costs.append(N.costFunction(X, y))
            numgrad[p] = (costs[0] - costs[1]) / (2 * epsilon)
    finally:
        N.setParams(paramsInitial)
    return numgrad


def onACopyOfTheNetwork(N, X, y, epsilon=1e-4):
    """Nudges a deep copy of N, so N itself never moves."""
    twin = copy.deepcopy(N)
    return numericalGradient(restore="never")(twin, X, y, epsilon)


def withNotebook05sFunctions(N, X, y, epsilon=1e-4):
    """The learner's getParams(N) and setParams(N, params) of notebook 05 instead of the
    methods, the weights put back after the loop."""
    def getParams(N):
        return np.concatenate((N.W1.ravel(), N.W2.ravel()))

    def setParams(N, params):
        W1_end = N.inputLayerSize * N.hiddenLayerSize
        N.W1 = params[:W1_end].reshape(N.inputLayerSize, N.hiddenLayerSize)
        N.W2 = params[W1_end:].reshape(N.hiddenLayerSize, N.outputLayerSize)

    paramsInitial = getParams(N)
    numgrad = np.zeros(paramsInitial.shape)
    perturb = np.zeros(paramsInitial.shape)
    for p in range(len(paramsInitial)):
        perturb[p] = epsilon
        setParams(N, paramsInitial + perturb)
        loss2 = N.costFunction(X, y)
        setParams(N, paramsInitial - perturb)
        loss1 = N.costFunction(X, y)
        numgrad[p] = (loss2 - loss1) / (2 * epsilon)
        perturb[p] = 0
    setParams(N, paramsInitial)
    return numgrad


COMES_BACK_ON_ERRORS = "the weights come back even when the cost raises midway (the finally: way)"
AFTER_THE_LOOP = "the weights are put back after the loop, the tutorial's way. Better still"
NUMERICAL_GRADIENT_VARIANTS = [
    (numericalGradient(restore="finally"), COMES_BACK_ON_ERRORS),
    (numericalGradient(restore="after the loop"), AFTER_THE_LOOP),
    (restoreAndReraise, COMES_BACK_ON_ERRORS),
    (fromASavedCopy, AFTER_THE_LOOP),
    (aFreshCopyEachTime, COMES_BACK_ON_ERRORS),
    (onACopyOfTheNetwork, COMES_BACK_ON_ERRORS),
    (withNotebook05sFunctions, AFTER_THE_LOOP),
    (loopNumericalGradient, COMES_BACK_ON_ERRORS),
]


@pytest.mark.parametrize("candidate, named", NUMERICAL_GRADIENT_VARIANTS,
                         ids=lambda item: getattr(item, "__name__", "-"))
def test_numerical_gradient_variants_are_correct_and_named(candidate, named):
    """The tutorial's way (the weights put back after the loop) is correct, and named; so is a
    finally: block, named as the way that also survives a cost that raises."""
    answer = checkNumericalGradient(candidate)
    assert answer.startswith("correct: "), answer
    assert named in " ".join(answer.split()), answer


def test_the_tutorial_way_leaves_nudged_weights_when_the_cost_raises():
    """What the "Better still" says is so: with the restore after the loop, a cost that raises
    midway leaves the weights nudged; with a finally: block, they come back."""
    for restore, comesBack in [("after the loop", False), ("finally", True)]:
        flaky = selfChecks.network(cls=bugGallery.FlakyCost)
        weights = flaky.getParams()
        with pytest.raises(bugGallery.CostFailure):
            numericalGradient(restore=restore)(flaky, selfChecks.X, selfChecks.y)
        assert np.array_equal(flaky.getParams(), weights) is comesBack


def test_stepping_back_really_leaves_a_weight_off():
    """The in-place loop's hint names a real effect: w + e - 2e + e != w for one weight."""
    np.random.seed(0)
    N = Neural_Network()
    weights = N.getParams()
    steppingBack(N, selfChecks.X, selfChecks.y)
    off = np.abs(N.getParams() - weights)
    assert 0 < off.max() < 1e-15
    assert f"{off[3]:.1e}" == "4.4e-16"


# --- the core track's model answers (04-06): the convention, each to the letter --------------

CORE_EXERCISES = [("04", "centeredDifference"), ("05", "getParams"), ("05", "setParams"),
                  ("06", "computeNumericalGradient")]


def namesIn(tree):
    """(names read, names bound) anywhere in ``tree``: arguments, assignments, defs, imports."""
    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return read, bound


def modelAnswerHeading(model, name):
    """The first two lines of every model answer: nothing of the answer, only what runs."""
    return ["# Model answer: open it after your own try.",
            f"# It is named {model}, so your {name} stays yours."]


@pytest.mark.parametrize("key", EXERCISES, ids=ids)
def test_every_model_answer_keeps_the_learners_name_and_runs_its_self_check(key):
    """In every notebook: the collapsed answer opens with the same two lines (they give
    nothing away), defines model<Name> and never the learner's own name (so running it leaves
    the learner's function in place), and calls the exercise's self-check on model<Name> (so a
    learner who runs it sees that it ran, and what it says)."""
    number, name = key
    _, cells, _, _, solution = findExercise(*key)
    model, source = modelName(name), cells[solution].source
    assert source.splitlines()[:2] == modelAnswerHeading(model, name)
    assert model in definedNames(cells[solution])
    assert name not in definedNames(cells[solution])
    assert f"{EXERCISES[key].__name__}({model})" in source


@pytest.mark.parametrize("key", CORE_EXERCISES, ids=ids)
def test_a_core_model_answer_follows_the_convention(key):
    """Its first line gives nothing away; it defines model<Name> and not the learner's name;
    it uses nothing but numpy, Python and its self-check; it ends by running that self-check on
    itself; and after the learner runs it, their own function is still theirs."""
    number, name = key
    path, cells, exercise, check, solution = findExercise(*key)
    model, checkName = modelName(name), EXERCISES[key].__name__
    assert cells[solution].source.splitlines()[:2] == modelAnswerHeading(model, name)
    tree = ast.parse(python(cells[solution]))
    assert model in definedNames(cells[solution])
    assert name not in definedNames(cells[solution])
    read, bound = namesIn(tree)
    assert read - bound - set(dir(builtins)) <= {"np", checkName}
    assert ast.unparse(tree.body[-1]) == f"print({checkName}({model}))"

    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        run("import numpy as np", "imports", namespace)
        for i in (exercise, check, solution):
            run(python(cells[i]), f"{path.stem}-cell-{i}", namespace)
    assert EXERCISES[key](namespace[name]).startswith("not yet: ")  # still the learner's stub
    assert EXERCISES[key](namespace[model]).startswith("correct: ")


def norm(vector):
    return np.linalg.norm(vector)


RELATIVE_ERROR = [
    (lambda grad, numgrad: 0.0, "stub's placeholder"),
    (lambda grad, numgrad: norm(grad - numgrad), "norm of the difference alone"),
    (lambda grad, numgrad: norm(grad - numgrad) / norm(grad), "norm of grad alone"),
    (lambda grad, numgrad: norm(grad - numgrad) / norm(numgrad), "norm of numgrad alone"),
    (lambda grad, numgrad: norm(grad - numgrad) / norm(grad) + norm(numgrad),
     "put the whole denominator in brackets"),
    (lambda grad, numgrad: abs(norm(grad) - norm(numgrad)) / norm(grad + numgrad),
     "the difference of the two lengths"),
    (lambda grad, numgrad: norm((grad - numgrad) / (grad + numgrad)), "entry by entry"),
    (lambda grad, numgrad: (norm(grad - numgrad) / norm(grad + numgrad)) ** 2, "ratio squared"),
    (lambda grad, numgrad: np.sum((grad - numgrad) ** 2) / np.sum((grad + numgrad) ** 2),
     "ratio squared"),
    (lambda grad, numgrad: norm(grad + numgrad) / norm(grad - numgrad), "upside down"),
    (lambda grad, numgrad: np.sum(np.abs(grad - numgrad)) / np.sum(np.abs(grad + numgrad)),
     "absolute values"),
    (lambda grad, numgrad: np.abs(grad - numgrad) / np.abs(grad + numgrad),
     "one number per weight"),
    (raises, "your function raised ZeroDivisionError"),
]


@pytest.mark.parametrize("candidate, hint", RELATIVE_ERROR)
def test_relative_error_mistakes(candidate, hint):
    assertNotYet(checkRelativeError(candidate), hint)


def test_relative_error_accepts_deeplearning_ais_variant_and_names_it():
    """Dividing by the sum of the two lengths is a valid ratio (deeplearning.ai's): correct,
    and named as the variant it is; the tutorial's ratio, however written, is not so named."""
    variant = checkRelativeError(lambda grad, numgrad:
                                 norm(grad - numgrad) / (norm(grad) + norm(numgrad)))
    assert variant.startswith("correct: ") and "deeplearning.ai's variant" in " ".join(
        variant.split())
    for tutorial in [lambda grad, numgrad: norm(grad - numgrad) / norm(grad + numgrad),
                     lambda grad, numgrad: np.sqrt(np.sum((numgrad - grad) ** 2)
                                                   / np.sum((numgrad + grad) ** 2))]:
        answer = checkRelativeError(tutorial)
        assert answer.startswith("correct: ") and "variant" not in answer


class RaisingBackprop(Neural_Network):
    def costFunctionPrime(self, X, y):
        raise ValueError("shapes (3,3) and (1,3) not aligned")


FIXED_NETWORK = [  # the exercise's own bug is MissingTranspose: dJdW2 = a2 delta3, no .T
    (MissingTranspose, "which lines can be wrong if W1's is right?"),
    (GALLERY["PreActivationInput"], "not what goes into it, z2"),
    (ForgetfulNetwork, "W1's weights were right before your change"),
    (GALLERY["FlippedSign"], "W1's weights were right before your change"),
    (RaisingBackprop, "your class raised ValueError: shapes (3,3) and (1,3) not aligned"),
    (Neural_Network(), "should be a class"),
]


@pytest.mark.parametrize("candidate, hint", FIXED_NETWORK)
def test_fixed_network_mistakes(candidate, hint):
    assertNotYet(checkFixedNetwork(candidate), hint)


# --- notebook 09's capstone: a gradient check from the learner's own pieces --------------------

def methodGetParams(N):
    return N.getParams()


def methodSetParams(N, params):
    N.setParams(params)


def tutorialRatio(grad, numgrad):
    return norm(grad - numgrad) / norm(grad + numgrad)


def rowsW1First(dJdW1, dJdW2):
    return np.concatenate((dJdW1.ravel(), dJdW2.ravel()))


def ownCheck(getParams=methodGetParams, setParams=methodSetParams, restore="finally", reset=True,
             stepBack=False, store=True, size=None, ratio=tutorialRatio, unroll=None,
             passes=lambda error: error < 1e-7, backprop=True, numerical=True, epsilon=1e-4,
             result=lambda error, passed: (error, passed)):
    """A learner's gradientCheck, right or with one typical mistake. Its numerical gradient is
    a loop of its own (as a learner may write it inline); backprop's gradient is
    N.computeGradients(X, y), or the two matrices unrolled by ``unroll``."""
    def computeNumericalGradient(N, X, y, epsilon=epsilon):
        paramsInitial = getParams(N)
        numgrad = np.zeros(size or paramsInitial.shape)
        perturb = np.zeros(paramsInitial.shape)
        weights = paramsInitial.copy()

        def loop():
            for p in range(size or len(paramsInitial)):
                if stepBack:  # nudge in place, then step back: w + e - 2e + e is not always w
                    weights[p] += epsilon
                    setParams(N, weights.copy())
                    loss2 = N.costFunction(X, y)
                    weights[p] -= 2 * epsilon
                    setParams(N, weights.copy())
                    loss1 = N.costFunction(X, y)
                    weights[p] += epsilon
                else:
                    perturb[p] = epsilon
                    setParams(N, paramsInitial + perturb)
                    loss2 = N.costFunction(X, y)
                    setParams(N, paramsInitial - perturb)
                    loss1 = N.costFunction(X, y)
                    if reset:
                        perturb[p] = 0
                if store:
                    numgrad[p] = (loss2 - loss1) / (2 * epsilon)

        if restore == "finally":
            try:
                loop()
            finally:
                setParams(N, weights if stepBack else paramsInitial)
        else:
            loop()
            if restore == "after the loop":
                setParams(N, paramsInitial)
        return numgrad

    def gradientCheck(N, X, y):
        numgrad = computeNumericalGradient(N, X, y) if numerical else None
        if not backprop:
            grad = numgrad
        else:
            grad = unroll(*N.costFunctionPrime(X, y)) if unroll else N.computeGradients(X, y)
        error = ratio(grad, grad if numgrad is None else numgrad)
        return result(error, passes(error))

    return gradientCheck


def withoutTheNetwork(N, X, y):
    paramsInitial = np.ones(9)
    return tutorialRatio(paramsInitial, paramsInitial), True


def ownNetworkNotN(N, X, y):
    np.random.seed(0)
    return ownCheck()(Neural_Network(), X, y)


def notLoadedYet(piece):
    """A gradientCheck calling the learner's ``piece`` before the cell that loads it ran."""
    namespace = {}
    exec(f"def gradientCheck(N, X, y):\n    return {piece}(N, X, y), True", namespace)
    return namespace["gradientCheck"]


def talkative(N, X, y):
    print("checking...")
    return ownCheck()(N, X, y)


def fromTheCarriedPieces(N, X, y):
    """The model answer's way: the course's carried pieces (the model answers here)."""
    computeNumericalGradient, relativeError = exercises.MODELS["computeNumericalGradient"], \
        exercises.MODELS["relativeError"]
    error = relativeError(N.computeGradients(X, y), computeNumericalGradient(N, X, y))
    return error, error < 1e-7


GRADIENT_CHECK = [
    (lambda N, X, y: (None, False), "still returns its placeholder"),
    (ownCheck(getParams=lambda N: np.zeros(9)), "9 places at once"),
    (ownCheck(reset=False), "2 places at once"),
    (ownCheck(restore="never"), "other weights than it was handed"),
    (ownCheck(stepBack=True), "put the weights back from a saved copy"),
    (ownCheck(store=False), "one of the two gradients is all zeros"),
    (ownCheck(size=9), "but for a 3-4-2 one"),
    (ownCheck(ratio=lambda grad, numgrad: 0.0), "compare a gradient with itself"),
    (ownCheck(ratio=lambda grad, numgrad: tutorialRatio(grad, numgrad) ** 2),
     "apart by the norm ratio, but your check says"),
    (ownCheck(unroll=lambda dJdW1, dJdW2: np.concatenate((dJdW2.ravel(), dJdW1.ravel()))),
     "unrolled W2 first"),
    (ownCheck(unroll=lambda dJdW1, dJdW2: np.concatenate((dJdW1.T.ravel(), dJdW2.T.ravel()))),
     "column by column"),
    (ownCheck(passes=lambda error: error < 1e-8), "draw the line at 1e-7"),
    (ownCheck(passes=lambda error: error < 1e-3), "passes a sigmoidPrime with e typed as 2.718"),
    (ownCheck(passes=lambda error: error < 1e-6), "passes a backprop just above the line"),
    (ownCheck(passes=lambda error: error > 1e-7), "it passes when the ratio is below the line"),
    (ownCheck(passes=lambda error: True), "passes a sigmoidPrime that lost its square"),
    (ownCheck(backprop=False), "never ran backprop"),
    (ownCheck(numerical=False), "never evaluated the cost"),
    (ownCheck(result=lambda error, passed: error), "it returned one number"),
    (ownCheck(result=lambda error, passed: passed), "only whether the check passes"),
    (ownCheck(result=lambda error, passed: (passed, error)), "the ratio comes first"),
    (ownCheck(result=lambda error, passed: (error, "passed")), "should be True or False"),
    (ownCheck(result=lambda error, passed: (error, passed, "ok")), "it returned 3 things"),
    (ownCheck(result=lambda error, passed: None), "is its return statement missing?"),
    (withoutTheNetwork, "never used the network it was handed"),
    (ownNetworkNotN, "never used the network it was handed"),
    (notLoadedYet("computeNumericalGradient"), "run the cell above that loads your pieces"),
    (notLoadedYet("relativeError"), "run the cell above that loads your pieces"),
    (raises, "gradientCheck raised ZeroDivisionError"),
]


@pytest.mark.parametrize("candidate, hint", GRADIENT_CHECK)
def test_gradient_check_mistakes(candidate, hint):
    assertNotYet(checkGradientCheck(candidate), hint)


@pytest.mark.parametrize("candidate", [
    ownCheck(), ownCheck(restore="after the loop"), talkative, fromTheCarriedPieces,
    ownCheck(ratio=lambda grad, numgrad: norm(grad - numgrad) / (norm(grad) + norm(numgrad))),
    ownCheck(passes=lambda error: error <= 1e-7), ownCheck(passes=lambda error: error < 5e-8),
    ownCheck(result=lambda error, passed: [error, passed]), ownCheck(epsilon=1e-5),
    ownCheck(unroll=rowsW1First), ownCheck(stepBack=True, restore="after the loop"),
], ids=["finally", "tutorial's restore", "prints", "carried pieces", "deeplearning.ai's ratio",
        "<=", "5e-8", "a list back", "epsilon 1e-5", "unrolled by hand", "drifting copy"])
def test_gradient_check_accepts_every_correct_answer(candidate, capsys):
    """The tutorial's loop with its restore after it, a finally: block, the carried pieces,
    deeplearning.ai's ratio, any line between the 3e-8 and 3e-7 the check tries, a list back,
    epsilon 1e-5, backprop unrolled by hand, a working copy stepped back in place that drifts
    by rounding (harmless: N gets its saved weights back); and nothing the learner's check
    prints shows up in the self-check's answer."""
    answer = checkGradientCheck(candidate)
    assert answer.startswith("correct: "), answer
    assert "ratio 2.0e-01" in answer and "ratio 1.2e-05" in answer
    assert capsys.readouterr().out == ""


def test_gradient_check_networks_carry_the_learners_helpers_and_the_bugs_are_new(tmp_path,
                                                                                  monkeypatch):
    """The capstone's networks have getParams and setParams as methods, the model answers
    (course.modelAnswers.MODELS, which a learner's saved pieces pass the same self-checks as),
    and the bugs it flags appear in no gallery and in no other exercise."""
    monkeypatch.setenv("GRADIENT_COURSE_WORK", str(tmp_path))
    seen = []

    def getParams(N):
        seen.append("getParams")
        return np.concatenate((N.W1.ravel(), N.W2.ravel()))

    monkeypatch.setitem(exercises.MODELS, "getParams", getParams)
    ownCheck()
    assert checkGradientCheck(ownCheck()).startswith("correct: ")
    assert seen, "the capstone's networks did not use the carried getParams"
    shown = {*GALLERY.values(), ForgetfulNetwork, MissingTranspose,
             CrossEntropyShortcut}
    for bug in (bugGallery.CapstoneLostSquare, bugGallery.CapstoneRoughE):
        np.random.seed(0)
        grad = rowsW1First(*bug().costFunctionPrime(selfChecks.X, selfChecks.y))
        for other in shown:
            np.random.seed(0)
            assert not np.allclose(grad, other().computeGradients(selfChecks.X, selfChecks.y))


def test_notebook_08s_printed_ratios_have_a_margin():
    """The ratios notebooks 08 and 09 print (.1e), computed by the loop and by the fast path,
    print alike with at least 20 times their spread to spare before a digit flips; the
    capstone's, of its two new bugs, with a thousandth of themselves to spare."""
    def flipDistance(value):
        low, high = 0.0, 1.0
        for _ in range(60):
            middle = (low + high) / 2
            same = {f"{value * (1 + middle):.1e}", f"{value * (1 - middle):.1e}"} \
                == {f"{value:.1e}"}
            low, high = (middle, high) if same else (low, middle)
        return low

    printed = [(Neural_Network, slice(0, 9), 1e-4), (Neural_Network, slice(0, 9), 1e-3),
               (Neural_Network, slice(0, 9), 1e-2),
               (MissingTranspose, slice(0, 9), 1e-4),
               (MissingTranspose, slice(6, 9), 1e-4)]  # W1's six: "< 1e-8"
    printed += [(bugGallery.CLASSIC_BUGS[bug], slice(0, 9), 1e-4)
                for bug in ("no sigmoidPrime in delta2", "sigmoid instead of sigmoidPrime",
                            "factor 2")]
    for cls, part, epsilon in printed:
        np.random.seed(0)
        N = cls()
        grad = N.computeGradients(selfChecks.X, selfChecks.y)[part]
        values = [tutorialRatio(grad, numerical(N, selfChecks.X, selfChecks.y,
                                                epsilon=epsilon)[part])
                  for numerical in (computeNumericalGradient, loopNumericalGradient)]
        assert len({f"{value:.1e}" for value in values}) == 1, (cls, part, values)
        spread = abs(values[0] - values[1]) / values[0]
        assert flipDistance(values[0]) >= 20 * max(spread, 1e-9), (cls, part, values)
    np.random.seed(0)
    numgrad = loopNumericalGradient(Neural_Network(), selfChecks.X, selfChecks.y)
    for bug in (bugGallery.CapstoneLostSquare, bugGallery.CapstoneRoughE):  # notebook 09's two
        np.random.seed(0)
        value = tutorialRatio(bug().computeGradients(selfChecks.X, selfChecks.y), numgrad)
        assert flipDistance(value) >= 1e-3, (bug, value)


class SigmoidInDelta3(CrossEntropyShortcut):
    """delta3 with the output's activation, sigmoid(z3), for its derivative."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoid(self.z3))
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        return np.dot(X.T, delta2), np.dot(self.a2.T, delta3)


class DerivativeAtYHat(CrossEntropyShortcut):
    """delta3 with the output's derivative taken at yHat, what comes out, not z3."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = (self.yHat - y) * self.sigmoidPrime(self.yHat)
        delta2 = delta3 @ self.W2.T * self.sigmoidPrime(self.z2)
        return X.T @ delta2, self.a2.T @ delta3


class FixedInDJdW2Only(CrossEntropyShortcut):
    """The missing factor put into dJdW2's line: W2 right, W1 still wrong."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = -(y - self.yHat)
        dJdW2 = np.dot(self.a2.T, delta3 * self.sigmoidPrime(self.z3))
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        return np.dot(X.T, delta2), dJdW2


class FixedInDelta2Only(CrossEntropyShortcut):
    """The missing factor put into delta2's line: W1 right, W2 still wrong."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = -(y - self.yHat)
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3 * self.sigmoidPrime(self.z3), self.W2.T) \
            * self.sigmoidPrime(self.z2)
        return np.dot(X.T, delta2), dJdW2


class FixedTwice(CrossEntropyShortcut):
    """delta3 fixed, and the same factor added to delta2 as well: W1 wrong."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2) \
            * self.sigmoidPrime(self.z3)
        return np.dot(X.T, delta2), np.dot(self.a2.T, delta3)


class ScaledByAConstant(CrossEntropyShortcut):
    """The check's "4.48 times" taken at its word: the whole gradient divided by 4.48."""

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        return dJdW1 / 4.48, dJdW2 / 4.48


class CrossEntropyCost(CrossEntropyShortcut):
    """The cost changed to cross-entropy, for which the stub's backprop is right."""

    def costFunction(self, X, y):
        self.yHat = self.forward(X)
        return float(-np.sum(y * np.log(self.yHat) + (1 - y) * np.log(1 - self.yHat)))


MYSTERY_NETWORK = [
    (CrossEntropyShortcut, "9 of 9 weights are still wrong"),
    (SigmoidInDelta3, "activation, yHat itself, not its derivative"),
    (DerivativeAtYHat, "take it at what goes in"),
    (FixedInDJdW2Only, "6 of 9 weights are still wrong"),
    (FixedTwice, "all in W1: W2's gradient is right now"),
    (FixedInDelta2Only, "all in W2: W1's gradient is right now"),
    (ScaledByAConstant, "no constant fixes it"),
    (CrossEntropyCost, "costFunction was changed"),
    (GALLERY["OffByOneUnit"], "2 of 9 weights are still wrong (W1[0, 2], W1[1, 2])"),
    (GALLERY["ForgotTheHalf"], "every weight, in both layers"),
]


@pytest.mark.parametrize("candidate, hint", MYSTERY_NETWORK,
                         ids=lambda item: getattr(item, "__name__", "hint"))
def test_mystery_network_mistakes(candidate, hint):
    assertNotYet(checkMysteryNetwork(candidate), hint)


def test_the_mystery_stubs_hint_does_not_give_the_bug_away():
    """The stub's hint says which weights are wrong, never the line or the factor to fix."""
    answer = " ".join(checkMysteryNetwork(CrossEntropyShortcut).split())
    assert "every weight, in both layers" in answer
    for giveaway in ("delta3", "sigmoidPrime", "z3", "output", "derivative", "cross-entropy"):
        assert giveaway not in answer, giveaway


def test_the_mystery_is_the_fixture_and_a_bug_the_course_has_not_shown():
    """Notebook 13's stub computes bugGallery.CrossEntropyShortcut's gradient, which is not in
    the gallery and is none of the course's other bugs' (notebook 02's W1-only, 08's W2-only,
    the classic four, the gallery's): it spoils all nine weights, by ratios close to one number
    but not equal to it."""
    stub, _ = learnerVersions("13", "MysteryNetwork")
    gradient = selfChecks.network(cls=CrossEntropyShortcut).computeGradients(selfChecks.X,
                                                                           selfChecks.y)
    assert np.array_equal(selfChecks.network(cls=stub).computeGradients(selfChecks.X, selfChecks.y),
                          gradient)
    assert CrossEntropyShortcut not in GALLERY.values()
    others = [*GALLERY.values(), ForgetfulNetwork, *bugGallery.CLASSIC_BUGS.values(),
              MissingTranspose]
    for bug in others:
        other = selfChecks.network(cls=bug).computeGradients(selfChecks.X, selfChecks.y)
        assert not np.allclose(gradient, other, rtol=1e-3), bug.__name__
    np.random.seed(0)
    check = checkGradient(CrossEntropyShortcut(), selfChecks.X, selfChecks.y)
    assert len(check.wrongWeights) == 9
    ratios = check.grad / check.numgrad
    assert 1e-3 < np.ptp(ratios) / np.median(ratios) < 0.05


def test_the_backprop_checks_pass_the_course_backprop():
    for check in (checkFixedNetwork, checkMysteryNetwork):
        assert " ".join(check(Neural_Network).split()) == (
            "correct: Neural_Network: all 9 weights agree with the numerical gradient (relative "
            "error 5.4e-10).")


# A "backprop" that is really a numerical gradient agrees with the check's numerical gradient by
# construction, so checkGradient passes it; the two "fix the network" checks must not.

def asGradients(N, vector):
    """A weight vector's gradient cut into (dJdW1, dJdW2), as costFunctionPrime returns it."""
    return vector[:N.W1.size].reshape(N.W1.shape), vector[N.W1.size:].reshape(N.W2.shape)


def ownNumericalGradient(N, X, y, epsilon):
    """A learner's own centered-difference loop over N's weights (notebook 06)."""
    weights = N.getParams()
    slopes = np.zeros_like(weights)
    for p in range(weights.size):
        step = np.zeros_like(weights)
        step[p] = epsilon
        N.setParams(weights + step)
        up = N.costFunction(X, y)
        N.setParams(weights - step)
        slopes[p] = (up - N.costFunction(X, y)) / (2 * epsilon)
    N.setParams(weights)
    return slopes


class NumericalComputeGradients(Neural_Network):
    """computeGradients hands back the course's own numerical gradient."""

    def computeGradients(self, X, y):
        return computeNumericalGradient(self, X, y)


class NumericalAtABetterStep(Neural_Network):
    """costFunctionPrime from the learner's own loop at epsilon 1e-5 (closer to backprop)."""

    def costFunctionPrime(self, X, y):
        return asGradients(self, ownNumericalGradient(self, X, y, 1e-5))


class ExtrapolatedNumerical(Neural_Network):
    """Two steps combined (Richardson) to cancel the truncation error: 1e-11 off backprop."""

    def costFunctionPrime(self, X, y):
        coarse, fine = (ownNumericalGradient(self, X, y, step) for step in (1e-3, 5e-4))
        return asGradients(self, (4 * fine - coarse) / 3)


class NumericalOnATwin(Neural_Network):
    """The numerical gradient of a twin network with the same weights: no pass on itself."""

    def computeGradients(self, X, y):
        twin = Neural_Network()
        twin.setParams(self.getParams())
        return computeNumericalGradient(twin, X, y)


NUMERICAL_BACKPROPS = [
    (NumericalComputeGradients, "ran the network forward 18 times"),
    (NumericalAtABetterStep, "ran the network forward 18 times"),
    (ExtrapolatedNumerical, "ran the network forward 36 times"),
    (NumericalOnATwin, "not with the chain rule to rounding"),
    (WeightDecay, "costFunction was changed"),
]


@pytest.mark.parametrize("check", [checkFixedNetwork, checkMysteryNetwork],
                         ids=lambda check: check.__name__)
@pytest.mark.parametrize("candidate, hint", NUMERICAL_BACKPROPS,
                         ids=lambda item: getattr(item, "__name__", "hint"))
def test_a_numerical_gradient_posing_as_backprop_is_refused(check, candidate, hint):
    np.random.seed(0)
    assert checkGradient(candidate(), selfChecks.X, selfChecks.y).passed  # the check alone agrees
    assertNotYet(check(candidate), hint)


class TextbookFactors(Neural_Network):
    """The textbook's sigmoid derivatives, yHat (1 - yHat) and a2 (1 - a2): other rounding."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = (self.yHat - y) * self.yHat * (1 - self.yHat)
        delta2 = (delta3 @ self.W2.T) * self.a2 * (1 - self.a2)
        return X.T @ delta2, self.a2.T @ delta3


class FactorFirst(Neural_Network):
    """delta2 with its factors swapped, and a cost evaluated on the side (a second pass)."""

    def costFunctionPrime(self, X, y):
        self.lastCost = self.costFunction(X, y)
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        delta2 = self.sigmoidPrime(self.z2) * np.dot(delta3, self.W2.T)
        return np.dot(X.T, delta2), np.dot(self.a2.T, delta3)


class Untouched(Neural_Network):
    """The exercise's class with its broken costFunctionPrime deleted: the course's backprop."""


@pytest.mark.parametrize("check", [checkFixedNetwork, checkMysteryNetwork],
                         ids=lambda check: check.__name__)
@pytest.mark.parametrize("candidate", [Untouched, TextbookFactors, FactorFirst],
                         ids=lambda candidate: candidate.__name__)
def test_other_correct_backprops_are_accepted(check, candidate):
    assert check(candidate).startswith("correct: ")


def test_a_backprop_runs_the_network_forward_once():
    assert selfChecks.forwardPasses(Neural_Network) == 1
    assert selfChecks.forwardPasses(FactorFirst) == 2
    assert selfChecks.forwardPasses(NumericalComputeGradients) == 18


FLOAT32_EPSILON = [
    (1e-6, "round-off rules"),
    (1e-5, "take a larger step"),
    (1e-1, "truncation rules"),
    (1.0, "take a smaller step"),
    (0, "a positive step"),
    (-1e-3, "a positive step"),
    (float("nan"), "a positive step"),
    (1e-50, "rounds to 0 in float32"),
    (1e50, "too large for float32"),
    (10**30, "take a smaller step"),  # a whole number numpy cannot take as it is
    (10**400, "a positive step"),
    ("1e-3", "should be a number"),
    (True, "should be a number"),
    (None, "should be a number"),
]


@pytest.mark.parametrize("candidate, hint", FLOAT32_EPSILON)
def test_float32_epsilon_mistakes(candidate, hint):
    assertNotYet(checkFloat32Epsilon(candidate), hint)


def float32Band():
    """(smallest, largest) epsilon where the self-check's modeled float32 error is below its
    target: the bottom of the U, where any step is good whatever its luck."""
    best = bestEpsilon("exp", "centered", "float32")
    edges = []
    for inside, outside in [(best, best * 1e-6), (best, best * 1e6)]:
        for _ in range(60):  # bisect in log space: each step halves the interval's log width
            middle = np.sqrt(inside * outside)
            below = selfChecks.modeledError(middle) < selfChecks.TARGET
            inside, outside = (middle, outside) if below else (inside, middle)
        edges.append(inside)
    return edges[0], edges[1]


def test_the_float32_band_is_where_the_modeled_error_is_below_the_target():
    low, high = float32Band()
    assert 5e-4 < low < 7e-4 and 2e-2 < high < 3e-2
    for inside in (low * 1.01, np.sqrt(low * high), high / 1.01, 1e-3, 1e-2):
        assert checkFloat32Epsilon(inside).startswith("correct: ")
    for outside in (low / 1.01, high * 1.01):
        assert checkFloat32Epsilon(outside).startswith("not yet: ")


def test_a_lucky_round_off_is_not_rewarded():
    """On the round-off side of the float32 U some steps give a slope within 1e-4 by luck. The
    old self-check, which measured one slope, said "well done" there; this one says not yet."""
    low, _ = float32Band()
    steps = np.logspace(-7, np.log10(low), 2000, endpoint=False)
    lucky = steps[errorCurve("exp", steps, "centered", "float32") < 1e-4]
    assert lucky.size > 10  # they exist (where exactly depends on the machine's float32 exp)
    for step in lucky:
        assertNotYet(checkFloat32Epsilon(float(step)), "round-off rules")


# --- notebook 14: the bias gradient -----------------------------------------------------------

def summedInALoop(delta2, delta3):
    """A correct answer in plain Python: one example's delta added at a time."""
    db1, db2 = np.zeros(delta2.shape[1]), np.zeros(delta3.shape[1])
    for row2, row3 in zip(delta2, delta3):
        db1 = db1 + row2
        db2 = db2 + row3
    return db1, db2


def changesDeltaInPlace(delta2, delta3):
    """Right sums, but delta2 is scaled in place afterwards (backprop still needs it)."""
    sums = delta2.sum(axis=0), delta3.sum(axis=0)
    delta2 *= 2
    return sums


def hardWiredBiasSizes(delta2, delta3):
    """Right for notebook 14's 4 hidden units and 2 outputs only."""
    return (np.array([delta2[:, unit].sum() for unit in range(4)]),
            np.array([delta3[:, unit].sum() for unit in range(2)]))


BIAS_GRADIENTS = [
    (lambda d2, d3: (np.zeros(d2.shape[1]), np.zeros(d3.shape[1])), "stub's placeholder"),
    (lambda d2, d3: (d2.mean(axis=0), d3.mean(axis=0)), "db1 is the mean over the 5 examples"),
    (lambda d2, d3: (d2.sum(axis=0), d3.mean(axis=0)), "db2 is the mean over the 5 examples"),
    (lambda d2, d3: (d2.sum(axis=1), d3.sum(axis=1)), "one number per example (5 of them)"),
    (lambda d2, d3: (d2.sum(), d3.sum()), "added up over the units too"),
    (lambda d2, d3: (d3.sum(axis=0), d2.sum(axis=0)), "db1 is made from delta3"),
    (lambda d2, d3: (d2.sum(axis=0), d2.sum(axis=0)), "db2 is made from delta2"),
    (lambda d2, d3: (d2.sum(axis=0, keepdims=True), d3.sum(axis=0, keepdims=True)),
     "in shape (1, 4): b1 has shape (4,), one number per unit. Leave out keepdims=True"),
    (lambda d2, d3: (d2.sum(axis=0), d3.sum(axis=0, keepdims=True)), "db2 has the right numbers "
     "in shape (1, 2)"),
    (lambda d2, d3: (-d2.sum(axis=0), -d3.sum(axis=0)), "wrong sign"),
    (lambda d2, d3: (d2, d3), "db1 has shape (5, 4)"),
    (lambda d2, d3: (d2[0], d3[0]), "for unit 3, db1 is"),
    (lambda d2, d3: np.concatenate((d2.sum(axis=0), d3.sum(axis=0))), "returned one ndarray"),
    (lambda d2, d3: d2.sum(axis=0), "returned one ndarray"),
    (lambda d2, d3: (d2.sum(axis=0), d3.sum(axis=0), 0), "returned 3 things"),
    (lambda d2, d3: (d2.sum(axis=0), None), "db2 is None"),
    (lambda d2, d3: ("db1", "db2"), "db1 is str, not numbers"),
    (lambda d2, d3: None, "return statement"),
    (changesDeltaInPlace, "changed delta2 or delta3 in place"),
    (hardWiredBiasSizes, "but for a 2-3-3 one with 6 examples: biasGradients raised IndexError"),
    (raises, "biasGradients raised ZeroDivisionError"),
]


@pytest.mark.parametrize("candidate, hint", BIAS_GRADIENTS)
def test_bias_gradient_mistakes(candidate, hint):
    assertNotYet(checkBiasGradients(candidate), hint)


BIAS_GRADIENT_VARIANTS = {
    "sum(axis=0)": lambda d2, d3: (d2.sum(axis=0), d3.sum(axis=0)),
    "np.sum, axis 0 by position": lambda d2, d3: (np.sum(d2, 0), np.sum(d3, 0)),
    "a loop over the examples": summedInALoop,
    "ones @ delta": lambda d2, d3: (np.ones(len(d2)) @ d2, np.ones(len(d3)) @ d3),
    "delta.T @ ones": lambda d2, d3: (d2.T @ np.ones(d2.shape[0]), d3.T @ np.ones(d3.shape[0])),
    "einsum": lambda d2, d3: (np.einsum("ij->j", d2), np.einsum("ij->j", d3)),
    "keepdims, then ravel": lambda d2, d3: (d2.sum(axis=0, keepdims=True).ravel(),
                                            d3.sum(axis=0, keepdims=True).ravel()),
    "a list of lists": lambda d2, d3: [d2.sum(axis=0).tolist(), d3.sum(axis=0).tolist()],
}


@pytest.mark.parametrize("candidate", BIAS_GRADIENT_VARIANTS.values(),
                         ids=BIAS_GRADIENT_VARIANTS)
def test_bias_gradient_variants_are_correct(candidate):
    answer = checkBiasGradients(candidate)
    assert answer.startswith("correct: "), answer
    assert "checkGradient passes all 26 weights" in " ".join(answer.split())


def test_the_bias_network_of_the_check_is_notebook_14s():
    """The self-check's network, with the right bias gradients, is notebook 14's MyNetwork:
    the same weights from the same seed, and the same data, so "passes all 26 weights" is
    said of that network."""
    path, cells, exercise, _, _ = findExercise("14", "biasGradients")
    namespace = {}
    source = "\n".join(python(cell) for cell in cells[:exercise] if "%" not in cell.source)
    with contextlib.redirect_stdout(io.StringIO()):
        run(source, f"{path.stem}-before-the-exercise", namespace)
    N, X, y = bugGallery.biasProbe(*bugGallery.BIAS_PROBES[0])
    assert np.array_equal(N.getParams(), namespace["Layers"]().getParams())
    assert np.array_equal(X, namespace["X"]) and np.array_equal(y, namespace["y"])
    assert checkGradient(N, X, y).passed


# --- every check: safe to call, and the same every time ---------------------------------------

CHECKS = [checkCenteredDifference, checkGetParams, checkSetParams, checkNumericalGradient,
          checkRelativeError, checkFixedNetwork, checkGradientCheck, checkMysteryNetwork,
          checkFloat32Epsilon, checkBiasGradients]


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
@pytest.mark.parametrize("candidate", [raises, None, "text", object(), lambda *args: "text"],
                         ids=["raises", "None", "text", "object", "returns-text"])
def test_a_check_never_raises_and_says_not_yet(check, candidate):
    answer = check(candidate)
    assert answer.startswith("not yet: ")
    assert all(len(line) <= 90 for line in answer.splitlines()), answer


@pytest.mark.parametrize("key", EXERCISES, ids=ids)
def test_a_check_leaves_numpys_random_state_alone(key, versions):
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    for version in versions[key]:
        EXERCISES[key](version)
    assert np.random.rand() == expected


@pytest.mark.parametrize("key", EXERCISES, ids=ids)
def test_a_check_says_the_same_every_time(key, versions):
    for version in versions[key]:
        assert EXERCISES[key](version) == EXERCISES[key](version)


def test_BuggyNetwork_makes_the_four_bugs_of_notebook_08():
    np.random.seed(0)
    correct = Neural_Network().computeGradients(selfChecks.X, selfChecks.y)
    for bug, ratio in [("lost minus sign", -1.0), ("factor 2", 2.0)]:
        np.random.seed(0)
        buggy = BuggyNetwork(bug).computeGradients(selfChecks.X, selfChecks.y)
        assert np.allclose(buggy, ratio * correct, rtol=1e-12, atol=0)
    for bug in ["no sigmoidPrime in delta2", "sigmoid instead of sigmoidPrime"]:
        np.random.seed(0)
        assert not np.allclose(BuggyNetwork(bug).computeGradients(selfChecks.X, selfChecks.y),
                               correct)
    np.random.seed(0)
    assert np.array_equal(BuggyNetwork("no bug").computeGradients(selfChecks.X, selfChecks.y),
                          correct)


def workingCopyGradient(N, X, y, epsilon=1e-4):
    """A learner's loop that steps a working copy back in place (it drifts by rounding at one
    weight) and gives N its saved weights back in a finally: block."""
    paramsInitial = N.getParams()
    w = paramsInitial.copy()
    numgrad = np.zeros_like(w)
    try:
        for p in range(w.size):
            w[p] += epsilon
            N.setParams(w)
            up = N.costFunction(X, y)
            w[p] -= 2 * epsilon
            N.setParams(w)
            down = N.costFunction(X, y)
            w[p] += epsilon
            numgrad[p] = (up - down) / (2 * epsilon)
    finally:
        N.setParams(paramsInitial)
    return numgrad


def test_a_working_copy_that_drifts_by_rounding_is_correct():
    """Its slopes are the centered differences to the last digit or so, and N gets its own
    weights back: the drift of the working copy harms nothing, so the answer is correct (the
    drift hint is for weights left off at the end)."""
    answer = checkNumericalGradient(workingCopyGradient)
    assert answer.startswith("correct: "), answer
    assert "finally: way" in " ".join(answer.split())


def test_a_finally_that_puts_back_a_nudged_array_is_told_to_save_a_copy():
    """A finally: block that hands back the very array it nudges does not restore the weights
    when the cost raises: the answer is correct, and says to put back a saved copy."""
    def restoresTheNudgedArray(N, X, y, epsilon=1e-4):
        w = N.getParams()
        numgrad = np.zeros_like(w)
        try:
            for p in range(w.size):
                old = w[p]
                w[p] = old + epsilon
                N.setParams(w)
                up = N.costFunction(X, y)
                w[p] = old - epsilon
                N.setParams(w)
                down = N.costFunction(X, y)
                w[p] = old
                numgrad[p] = (up - down) / (2 * epsilon)
        finally:
            N.setParams(w)
        return numgrad

    answer = " ".join(checkNumericalGradient(restoresTheNudgedArray).split())
    assert answer.startswith("correct: ")
    assert "put back a saved copy (paramsInitial) in a finally: block" in answer


# --- every bug the course sets is new ---------------------------------------------------------

def test_every_bug_the_course_sets_breaks_a_line_of_its_own():
    """Notebook 02's demonstration, 08's find-the-bug and 13's mystery each break a different
    line of backprop and leave a different pattern of wrong weights; the notebooks' exercise
    cells hold exactly those bugs."""
    from course.bugGallery import sourceDiff

    bugs = {"02": ForgetfulNetwork, "08": MissingTranspose, "13": CrossEntropyShortcut}
    broken, patterns = {}, {}
    for number, cls in bugs.items():
        broken[number] = {line[1:].strip() for line in sourceDiff(cls).splitlines()
                          if line.startswith("-") and not line.startswith("---")}
        assert len(broken[number]) == 1, (number, broken[number])
        np.random.seed(0)
        check = checkGradient(cls(), selfChecks.X, selfChecks.y)
        patterns[number] = frozenset(check.wrongWeights)
    assert len({line for lines in broken.values() for line in lines}) == len(bugs), broken
    assert len(set(patterns.values())) == len(bugs), patterns
    for number, name in [("08", "ExerciseNetwork"), ("13", "MysteryNetwork")]:
        stub, _ = learnerVersions(number, name)
        np.random.seed(0)
        mine = stub().computeGradients(selfChecks.X, selfChecks.y)
        np.random.seed(0)
        assert np.array_equal(mine, bugs[number]().computeGradients(selfChecks.X, selfChecks.y))


# --- answers written other ways, and data handed over ---------------------------------------

def twinNumericalGradient(N, X, y, epsilon=1e-4):
    """A right numerical gradient that nudges a deep copy of N, leaving N itself alone."""
    twin = copy.deepcopy(N)
    params = twin.getParams()
    numgrad, perturb = np.zeros(params.shape), np.zeros(params.shape)
    for p in range(len(params)):
        perturb[p] = epsilon
        twin.setParams(params + perturb)
        up = twin.costFunction(X, y)
        twin.setParams(params - perturb)
        numgrad[p] = (up - twin.costFunction(X, y)) / (2 * epsilon)
        perturb[p] = 0
    return numgrad


def test_a_check_whose_numerical_gradient_nudges_a_copy_is_correct():
    """Notebook 06 accepts twinNumericalGradient; notebook 09 must accept the check built on it
    (the network's copies keep counting its costs and backprops)."""
    def gradientCheck(N, X, y):
        error = modelRelativeError(N.computeGradients(X, y), twinNumericalGradient(N, X, y))
        return error, error < 1e-7

    assert checkNumericalGradient(twinNumericalGradient).startswith("correct: ")
    assert checkGradientCheck(gradientCheck).startswith("correct: ")


def test_an_answer_that_changes_its_data_is_not_yet_and_the_course_data_stay():
    X, y = selfChecks.X.copy(), selfChecks.y.copy()

    def scalesY(N, X, y, epsilon=1e-4):
        y /= 100
        return computeNumericalGradient(N, X, y, epsilon=epsilon)

    def scalesX(N, X, y):
        X *= 1.5
        error = modelRelativeError(N.computeGradients(X, y), computeNumericalGradient(N, X, y))
        return error, error < 1e-7

    assertNotYet(checkNumericalGradient(scalesY), "changed X or y in place")
    assertNotYet(checkGradientCheck(scalesX), "your check changed X or y in place")
    assert np.array_equal(selfChecks.X, X) and np.array_equal(selfChecks.y, y)


def test_an_answer_that_uses_the_notebooks_data_instead_of_its_own_is_not_yet():
    def globalData(N, X, y, epsilon=1e-4):
        return computeNumericalGradient(N, selfChecks.X, selfChecks.y, epsilon=epsilon)

    def globalCheck(N, X, y):
        grad = N.computeGradients(selfChecks.X, selfChecks.y)
        error = modelRelativeError(grad, computeNumericalGradient(N, selfChecks.X, selfChecks.y))
        return error, error < 1e-7

    assertNotYet(checkNumericalGradient(globalData), "with the X and y your function is given")
    assertNotYet(checkGradientCheck(globalCheck), "rather than 9 or the notebook's own X and y")


class TransposedDJdW2(Neural_Network):
    """Notebook 08's bug "fixed" with the transpose on the wrong factor: right numbers, dJdW2
    shaped (1, 3) where W2 is (3, 1)."""

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        return dJdW1, dJdW2.T


class SwappedReturn(Neural_Network):
    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        return dJdW2, dJdW1


class Float32Backprop(Neural_Network):
    def costFunctionPrime(self, X, y):
        return tuple(part.astype(np.float32) for part in super().costFunctionPrime(X, y))


@pytest.mark.parametrize("check", [checkFixedNetwork, checkMysteryNetwork])
@pytest.mark.parametrize(("cls", "hint"), [
    (TransposedDJdW2, "dJdW2 has shape (1, 3): it must be shaped like W2, (3, 1)"),
    (SwappedReturn, "returns dJdW2 first: return dJdW1, dJdW2, in that order"),
    (Float32Backprop, "returns numbers that are not float64")])
def test_a_backprop_must_return_its_gradients_shaped_like_the_weights(check, cls, hint):
    assertNotYet(check(cls), hint)


@pytest.mark.parametrize(("check", "answer", "what"), [
    (checkCenteredDifference,
     lambda f, x, epsilon: np.float32((f(x + epsilon) - f(x - epsilon)) / (2 * epsilon)),
     "centeredDifference"),
    (checkRelativeError, lambda grad, numgrad: np.float32(modelRelativeError(grad, numgrad)),
     "relativeError"),
    (checkNumericalGradient,
     lambda N, X, y, epsilon=1e-4: computeNumericalGradient(N, X, y, epsilon=epsilon).astype(
         np.float32),
     "computeNumericalGradient"),
    (checkBiasGradients,
     lambda delta2, delta3: (delta2.sum(axis=0).astype(np.float32), delta3.sum(axis=0)),
     "biasGradients' db1")])
def test_a_float32_answer_is_told_so_not_shown_two_equal_numbers(check, answer, what):
    assertNotYet(check(answer), f"{what} came back as float32, which keeps only a few digits")


def test_a_centered_difference_that_loses_the_sign_is_not_yet():
    def absolute(f, x, epsilon):
        return abs((f(x + epsilon) - f(x - epsilon)) / (2 * epsilon))

    assertNotYet(checkCenteredDifference(absolute), "the slope lost its sign")


@pytest.mark.parametrize("scale", [0.5, 2.0])
def test_a_check_whose_ratio_is_off_by_a_factor_is_not_yet(scale):
    """A ratio within 10% of a valid one is the learner's formula; half or twice it is not."""
    def gradientCheck(N, X, y):
        error = scale * modelRelativeError(N.computeGradients(X, y),
                                           computeNumericalGradient(N, X, y))
        return error, error < 1e-7

    assert checkGradientCheck(gradientCheck).startswith("not yet: ")


def test_weights_left_half_a_step_off_are_nudged_not_rounded():
    """Half of epsilon off is a weight left nudged; only a rounding error gets the hint about
    stepping back."""
    def computeNumericalGradient(N, X, y, epsilon=1e-4):
        numgrad = modelComputeNumericalGradient(N, X, y, epsilon)
        params = N.getParams()
        params[-1] += epsilon / 2  # the last weight left half a step up
        N.setParams(params)
        return numgrad

    answer = " ".join(checkNumericalGradient(computeNumericalGradient).split())
    assert answer.startswith("not yet: the network was left with nudged weights"), answer
