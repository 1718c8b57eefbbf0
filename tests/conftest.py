"""Shared test helpers: an independent reference for the cost and its exact gradient, and the
networks several test files need.

``referenceCost`` is written from scratch with numpy (it calls nothing in partFour or
partFive), and ``referenceGradient`` differentiates it by the complex step

    dJ/dw_p = Im J(w + i h e_p) / h,   h = 1e-30,

which has no subtractive cancellation and so is exact to machine precision. Tests get both
through the session-scoped fixtures of the same names (session scope keeps hypothesis happy).

The networks are plain names, imported with ``from conftest import ...`` (pytest puts tests/
on sys.path, rootdir-relative, so this module is importable as ``conftest``):

    seededNetwork      np.random.seed(seed); cls(*sizes): the tutorial's way of making a network
    FailingCost        a mixin: the cost raises on call number ``failing`` (bugGallery's, which
                       the self-check of notebook 06 uses too)
    FailsOnCall        the tutorial's network with that cost
(The classic backprop bug, delta2 without sigmoidPrime(z2), is bugGallery.ForgetfulNetwork.)
"""

import importlib.util
import json
import os
import shutil
import tempfile
import warnings

import numpy as np
import pytest

from course.bugGallery import FailingCost
from course.epsilonLab import describeCheck, networkCheck
from course.yourWork import FOLDER_VARIABLE
from partFive import Neural_Network


def pytest_configure(config):
    """Build matplotlib's font cache before any notebook's kernel starts, and give the session
    a folder of its own for the learner's file (yourGradientCheck.py).

    On a fresh machine the first matplotlib import can write "Matplotlib is building the font
    cache" to stderr; inside a notebook, strict nbval would report that as a changed output.
    The notebooks' self-checks save a learner's correct function in yourGradientCheck.py and
    later notebooks load it: pointing GRADIENT_COURSE_WORK (which the notebooks' kernels
    inherit) at an empty folder keeps a learner's own file out of the test run, and the run
    out of their file. Tests that save functions set it to a folder of their own.
    """
    import matplotlib.font_manager  # noqa: F401  (importing it builds the cache)
    # pyplot's first import, here rather than inside a test: with the oldest matplotlib and a
    # newer pyparsing it warns of deprecations, which the suite's filterwarnings=error would
    # turn into the failure of whichever test happened to import it first.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import matplotlib.pyplot  # noqa: F401

    folder = tempfile.mkdtemp(prefix="course-work-")
    os.environ[FOLDER_VARIABLE] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))

COMPLEX_STEP = 1e-30


def referenceCost(W1, W2, X, y):
    """J = 1/2 * sum((y - yHat)^2) of a sigmoid 2-layer network; works for complex weights."""

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    yHat = sigmoid(sigmoid(X @ W1) @ W2)
    return 0.5 * np.sum((y - yHat) ** 2)


def referenceGradient(W1, W2, X, y, h=COMPLEX_STEP):
    """Complex-step dJ/dW1 and dJ/dW2 of ``referenceCost``, shaped like W1 and W2."""
    W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    weights = np.concatenate((W1.ravel(), W2.ravel())).astype(complex)
    grad = np.empty(weights.size)
    for p in range(weights.size):
        shifted = weights.copy()
        shifted[p] += 1j * h
        cost = referenceCost(shifted[:W1.size].reshape(W1.shape),
                             shifted[W1.size:].reshape(W2.shape), X, y)
        grad[p] = cost.imag / h
    return grad[:W1.size].reshape(W1.shape), grad[W1.size:].reshape(W2.shape)


@pytest.fixture(name="referenceCost", scope="session")
def referenceCostFixture():
    """The from-scratch cost function (see module docstring)."""
    return referenceCost


@pytest.fixture(name="referenceGradient", scope="session")
def referenceGradientFixture():
    """The complex-step gradient of the from-scratch cost (see module docstring)."""
    return referenceGradient


# --- networks shared by several test files ------------------------------------------------------

def seededNetwork(seed=0, cls=Neural_Network, sizes=(2, 3, 1)):
    """np.random.seed(seed); cls(*sizes) -- the tutorial's way of making a network."""
    np.random.seed(seed)
    return cls(*sizes)


def onFastPath(N):
    """fastPathApplies(N, N's weights) as a check decides it, on the weights it read (nothing
    for a thing without getParams, which the fast path refuses before it looks at weights)."""
    from checker.fastGradients import fastPathApplies

    return fastPathApplies(N, np.asarray(N.getParams()) if hasattr(N, "getParams") else None)


class ScalingItsX:
    """A mixin, put first (class C(ScalingItsX, SomeNetwork)): the cost and backprop halve
    their X in place, as a careless learner's might; it must never reach the caller's X."""

    def costFunction(self, X, y):
        X *= 0.5
        return super().costFunction(X, y)

    def computeGradients(self, X, y):
        X *= 0.5
        return super().computeGradients(X, y)


class FailsOnCall(FailingCost, Neural_Network):
    """The tutorial's network whose cost raises on call number ``failing`` (see FailingCost).

    It overrides costFunction, so the checks take the loop through the protocol (the slow
    path). Make one with failingNetwork(failing)."""


def failingNetwork(failing, seed=0):
    """A seeded FailsOnCall (seededNetwork) whose cost raises on call ``failing``."""
    N = seededNetwork(seed, FailsOnCall)
    N.failing = failing
    return N


# --- tests that need more than Python: Chromium, npm, a Jupyter server ------------------------

def skipOrFail(tests, missing):
    """Skip the calling test, saying what ``tests`` need (``missing``, a sentence), or fail when
    CI=true, where everything must be there; do nothing when nothing is missing."""
    if missing:
        message = f"{tests} need {missing}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def jupyterHome(home, settings):
    """An environment for a Jupyter server whose config, data, runtime, settings and workspaces
    all live in ``home`` (nothing of the user's read or written), with the front-end
    ``settings`` ({plugin: values}) written there."""
    for plugin, values in settings.items():
        path = home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
                JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
                JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
                IPYTHONDIR=str(home / "ipython"))


# --- headless Chromium, for the browser tests (test_browser.py, test_open_command.py) ----------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def browserMissing():
    """What is missing to drive Chromium, as a sentence, or None."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("Playwright for Python (pip install -r requirements-dev.txt)")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Chromium at {CHROMIUM} (on Debian or Ubuntu: sudo apt-get install "
                       f"chromium; elsewhere set CHROMIUM to a Chromium or Chrome binary)")
    return " and ".join(missing) or None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, driven by Playwright; skipped (failed when CI=true) if missing."""
    skipOrFail("the browser tests", browserMissing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- a learner's answers to the exercises of the core track -----------------------------------

# Each written in other words than the model answer; correct. tests/test_carried.py runs the
# notebooks with them, tests/test_teacher_kit.py grades them.
LEARNER_ANSWERS = {
    "centeredDifference": '''
def centeredDifference(f, x, epsilon):
    """The slope from a step to either side."""
    rise = f(x + epsilon) - f(x - epsilon)
    run = 2 * epsilon
    return rise / run
''',
    "getParams": '''
import numpy as np


def getParams(N):
    return np.hstack([N.W1.flatten(), N.W2.flatten()])
''',
    "setParams": '''
import numpy as np


def setParams(N, params):
    n1 = N.W1.size
    N.W1 = np.reshape(params[:n1], N.W1.shape)
    N.W2 = np.reshape(params[n1:], N.W2.shape)
''',
    "computeNumericalGradient": '''
import numpy as np


def computeNumericalGradient(N, X, y, epsilon=1e-4):
    paramsInitial = N.getParams()
    numgrad = np.zeros(paramsInitial.shape)
    for p in range(paramsInitial.size):
        up, down = paramsInitial.copy(), paramsInitial.copy()
        up[p] += epsilon
        down[p] -= epsilon
        N.setParams(up)
        costUp = N.costFunction(X, y)
        N.setParams(down)
        costDown = N.costFunction(X, y)
        numgrad[p] = (costUp - costDown) / (2 * epsilon)
    N.setParams(paramsInitial)
    return numgrad
''',
    "relativeError": '''
import numpy as np


def relativeError(grad, numgrad):
    """deeplearning.ai's variant."""
    return np.linalg.norm(grad - numgrad) / (np.linalg.norm(grad) + np.linalg.norm(numgrad))
''',
    "ExerciseNetwork": '''
class ExerciseNetwork(Neural_Network):
    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(delta3.T, self.a2).T
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2
''',
    "gradientCheck": '''
def gradientCheck(N, X, y):
    backprop = N.computeGradients(X, y)
    numerical = computeNumericalGradient(N, X, y)
    error = relativeError(backprop, numerical)
    print("relative error", error)
    return [error, error <= 1e-7]
''',
}


def networkReadout(N, X, y, epsilon=1e-4, method="centered"):
    """The network lab's text for one epsilon (what its readout shows), from the lab's own
    functions: networkCheck's verdict, as describeCheck words it."""
    return describeCheck(networkCheck(N, X, y, epsilon, method), method)
