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
import contextlib
import io
import linecache
from pathlib import Path

import nbformat
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager

import exercises
from bugGallery import GALLERY
from epsilonLab import errorCurve
from exercises import (
    BuggyNetwork,
    checkCenteredDifference,
    checkFixedNetwork,
    checkFloat32Epsilon,
    checkGetParams,
    checkMysteryNetwork,
    checkNumericalGradient,
    checkRelativeError,
    checkSetParams,
    float32Band,
)
from partFive import ForgetfulNetwork, Neural_Network, loopNumericalGradient

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]-*.ipynb"))

# (notebook number, the name the learner defines): its self-check.
EXERCISES = {
    ("04", "centeredDifference"): checkCenteredDifference,
    ("05", "getParams"): checkGetParams,
    ("05", "setParams"): checkSetParams,
    ("06", "computeNumericalGradient"): checkNumericalGradient,
    ("08", "relativeError"): checkRelativeError,
    ("08", "ExerciseNetwork"): checkFixedNetwork,
    ("09", "myEpsilon"): checkFloat32Epsilon,
    ("11", "MysteryNetwork"): checkMysteryNetwork,
}


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
    cell right after the exercise, and the first solution cell after it."""
    for i, cell in enumerate(cells):
        if "exercise" in tags(cell):
            check = i + 1 if i + 1 < len(cells) and "self-check" in tags(cells[i + 1]) else None
            solution = next((j for j in range(i + 1, len(cells))
                             if "solution" in tags(cells[j])), None)
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
                if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))]
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        run(ast.unparse(ast.Module(body=preamble, type_ignores=[])), f"{path.stem}-preamble",
            namespace)
        run(python(cells[exercise]), f"{path.stem}-cell-{exercise}", namespace)
        stub = namespace[name]
        run(python(cells[check]), f"{path.stem}-cell-{check}", namespace)
        run(python(cells[solution]), f"{path.stem}-cell-{solution}", namespace)
    return stub, namespace[name]


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
    core = [path for path, *_ in allExercises() if "01" <= path.name[:2] <= "08"]
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
        assert set(definedNames(cells[exercise])) <= set(definedNames(cells[solution]))
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
    """BuggyNetwork lives in exercises.py: no source before the model answer shows the factor
    that ExerciseNetwork's delta2 lacks."""
    cells = nbformat.read(FOLDER / "08-How-Close-Is-Close-Enough.ipynb", as_version=4).cells
    solution = next(i for i, cell in enumerate(cells) if "solution" in tags(cell)
                    and "ExerciseNetwork" in cell.source)
    assert not [cell.source for cell in cells[:solution] if "sigmoidPrime(self.z2)" in cell.source]
    assert "sigmoidPrime(self.z2)" in cells[solution].source


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
    (raises, "your function raised ZeroDivisionError"),
]


@pytest.mark.parametrize("candidate, hint", GET_PARAMS)
def test_getParams_mistakes(candidate, hint):
    assertNotYet(checkGetParams(candidate), hint)


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


NUMERICAL_GRADIENT = [
    (numericalGradient(restore="never"), "left with nudged weights"),
    (numericalGradient(restore="after the loop"), "in a finally: block"),
    (numericalGradient(reset=False), "2 weights were nudged at once"),
    (numericalGradient(kind="forward"), "one-sided (forward)"),
    (numericalGradient(kind="over epsilon"), "twice the centered difference"),
    (numericalGradient(kind="sign"), "wrong sign"),
    (numericalGradient(fixedStep=1e-4), "use the epsilon your function is given"),
    (numericalGradient(swallow=True), "carried on"),
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


def test_the_numerical_gradient_check_accepts_a_plain_correct_loop():
    """Not only the module's code: a learner's own correct loop passes too."""
    assert checkNumericalGradient(numericalGradient()).startswith("correct: ")
    assert checkNumericalGradient(loopNumericalGradient).startswith("correct: ")


def norm(vector):
    return np.linalg.norm(vector)


RELATIVE_ERROR = [
    (lambda grad, numgrad: 0.0, "stub's placeholder"),
    (lambda grad, numgrad: norm(grad - numgrad), "norm of the difference alone"),
    (lambda grad, numgrad: norm(grad - numgrad) / norm(grad), "norm of grad alone"),
    (lambda grad, numgrad: norm(grad - numgrad) / norm(numgrad), "norm of numgrad alone"),
    (lambda grad, numgrad: norm(grad - numgrad) / (norm(grad) + norm(numgrad)),
     "norm(grad) + norm(numgrad)"),
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


class RaisingBackprop(Neural_Network):
    def costFunctionPrime(self, X, y):
        raise ValueError("shapes (3,3) and (1,3) not aligned")


FIXED_NETWORK = [
    (ForgetfulNetwork, "all in W1: W2 is right, so delta3 is right"),
    (GALLERY["ActivationForDerivative"], "activation, not its derivative"),
    (GALLERY["DerivativeOfTheOutput"], "take it at its input, z2"),
    (GALLERY["ReluDerivative"], "a ReLU's derivative"),
    (exercises.OutputSlopeInDelta2, "output layer's derivative"),
    (GALLERY["FlippedSign"], "W2's weights were right before"),
    (RaisingBackprop, "your class raised ValueError: shapes (3,3) and (1,3) not aligned"),
    (Neural_Network(), "should be a class"),
]


@pytest.mark.parametrize("candidate, hint", FIXED_NETWORK)
def test_fixed_network_mistakes(candidate, hint):
    assertNotYet(checkFixedNetwork(candidate), hint)


MYSTERY_NETWORK = [
    (exercises.OutputSlopeInDelta2, "all in W1: W2 is right, so delta3 is right"),
    (ForgetfulNetwork, "no derivative factor"),
    (GALLERY["ActivationForDerivative"], "activation, not its derivative"),
    (GALLERY["TransposedW1"], "4 of 9 weights are still wrong"),
    (GALLERY["ForgotTheHalf"], "W2's weights were right before"),
]


@pytest.mark.parametrize("candidate, hint", MYSTERY_NETWORK)
def test_mystery_network_mistakes(candidate, hint):
    assertNotYet(checkMysteryNetwork(candidate), hint)


def test_the_backprop_checks_pass_the_course_backprop():
    for check in (checkFixedNetwork, checkMysteryNetwork):
        assert check(Neural_Network) == ("correct: all 9 weights agree with the numerical "
                                         "gradient (relative error 5.4e-10).")


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
    ("1e-3", "should be a number"),
    (True, "should be a number"),
    (None, "should be a number"),
]


@pytest.mark.parametrize("candidate, hint", FLOAT32_EPSILON)
def test_float32_epsilon_mistakes(candidate, hint):
    assertNotYet(checkFloat32Epsilon(candidate), hint)


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


# --- every check: safe to call, and the same every time ---------------------------------------

CHECKS = [checkCenteredDifference, checkGetParams, checkSetParams, checkNumericalGradient,
          checkRelativeError, checkFixedNetwork, checkMysteryNetwork, checkFloat32Epsilon]


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
    correct = Neural_Network().computeGradients(exercises.X, exercises.y)
    for bug, ratio in [("lost minus sign", -1.0), ("factor 2", 2.0)]:
        np.random.seed(0)
        buggy = BuggyNetwork(bug).computeGradients(exercises.X, exercises.y)
        assert np.allclose(buggy, ratio * correct, rtol=1e-12, atol=0)
    for bug in ["no sigmoidPrime in delta2", "sigmoid instead of sigmoidPrime"]:
        np.random.seed(0)
        assert not np.allclose(BuggyNetwork(bug).computeGradients(exercises.X, exercises.y),
                               correct)
    np.random.seed(0)
    assert np.array_equal(BuggyNetwork("no bug").computeGradients(exercises.X, exercises.y),
                          correct)
