"""A gallery of broken backprops, the kind people really write, for the bug hunt (notebook 13).

Each bug of GALLERY is a subclass of ``partFive.Neural_Network`` whose ``costFunctionPrime`` is
the correct one with an edit or two (made by ``edited``; ForgetfulNetwork's written out, as
notebook 02 writes it), or WeightDecay with one of its two halves taken back. Every one of them
runs without an error and returns arrays of the right shapes: only a gradient check finds them.
Notebook 08's CLASSIC_BUGS and the fixtures the exercises' self-checks (course.selfChecks) try
live here too.
"""

import copy
import difflib
import inspect
import linecache
import textwrap

import numpy as np

import partFour
from checker.weightVector import WeightVector
from partFive import Neural_Network

__all__ = ["GALLERY", "CORRECT", "ForgetfulNetwork", "WeightDecay", "intended", "OffsetGradient",
           "CrossEntropyShortcut", "sourceDiff", "DECAY", "CLASSIC_BUGS", "BuggyNetwork",
           "Delta3TimesYHat", "Delta3AtTheOutput", "SLOPE_PROBES", "CostFailure", "Recorder",
           "FailingCost", "FlakyCost", "RATIO_PAIRS", "CapstoneNetwork",
           "withHelpers", "CapstoneLostSquare", "CapstoneRoughE", "JustBelowTheLine",
           "JustAboveTheLine", "BiasLayers", "biasProbe", "BIAS_PROBES"]

CORRECT = Neural_Network
DECAY = 1e-4  # the weight-decay strength of the decay bugs: small, so their offsets are small


def bareLines(source):
    """A method's source as lines, dedented, without the docstring and input-check lines that
    the bugs were written without (a docstring's own "In:" and "Out:" lines too)."""
    return [line for line in textwrap.dedent(source).splitlines() if '"""' not in line
            and not line.strip().startswith(("X, y = checkData", "In:", "Out:"))]


# The correct backprop that the bugs edit: partFour's, bare.
BACKPROP = "\n".join(bareLines(inspect.getsource(CORRECT.costFunctionPrime))) + "\n"


def edited(*edits):
    """A class decorator: the class's costFunctionPrime becomes BACKPROP with each ``(old, new)``
    of ``edits`` made, a ValueError at import if ``old`` is not there exactly once (or the class
    writes its own). Its source is kept in linecache, so inspect.getsource reads it as any other
    method's, and on the method (``editedSource``) for sourceDiff, since a debugger may clear
    linecache."""
    def decorate(cls):
        if "costFunctionPrime" in vars(cls):
            raise ValueError(f"{cls.__name__}: an edited class takes its backprop from its edits")
        source = BACKPROP
        for old, new in edits:
            if source.count(old) != 1:
                raise ValueError(f"{cls.__name__}: {old!r} is not in the backprop exactly once")
            source = source.replace(old, new)
        filename = f"<{__name__}.{cls.__qualname__}.costFunctionPrime>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        namespace = {}
        exec(compile(source, filename, "exec"), globals(), namespace)
        method = namespace["costFunctionPrime"]
        method.__qualname__ = f"{cls.__qualname__}.costFunctionPrime"
        method.editedSource = source
        cls.costFunctionPrime = method
        return cls
    return decorate


class ForgetfulNetwork(Neural_Network):
    """A network whose backprop forgets one factor: sigmoidPrime(z2)."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T)  # the bug: "* self.sigmoidPrime(self.z2)" is missing
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


@edited(("-(y - self.yHat)", "y - self.yHat"))
class FlippedSign(Neural_Network):
    """The output error taken as y - yHat instead of yHat - y: every gradient has the wrong sign."""


@edited(("-(y - self.yHat)", "-2 * (y - self.yHat)"))
class ForgotTheHalf(Neural_Network):
    """Differentiates (y - yHat)^2 and forgets the cost's 1/2: every gradient doubled."""


@edited(("np.dot(self.a2.T, delta3)", "np.dot(self.a2.T, delta3) / len(X)"),
        ("np.dot(X.T, delta2)", "np.dot(X.T, delta2) / len(X)"))
class AveragedGradient(Neural_Network):
    """Averages the gradient over the examples while the cost sums them: all scaled by 1/n."""


@edited(("* self.sigmoidPrime(self.z2)", "* self.sigmoid(self.z2)"))
class ActivationForDerivative(Neural_Network):
    """Multiplies by the hidden activation sigmoid(z2) where its derivative belongs."""


@edited(("self.sigmoidPrime(self.z2)", "self.sigmoidPrime(self.a2)"))
class DerivativeOfTheOutput(Neural_Network):
    """Takes sigmoidPrime of the activation a2 instead of the pre-activation z2."""


@edited(("self.sigmoidPrime(self.z2)", "(self.z2 > 0)"))
class ReluDerivative(Neural_Network):
    """Backprop pasted from a ReLU network: the hidden derivative is (z2 > 0), not sigmoid's."""


@edited(("np.dot(self.a2.T, delta3)", "np.dot(self.z2.T, delta3)"))
class PreActivationInput(Neural_Network):
    """Feeds W2's gradient the hidden layer's input z2 instead of its output a2."""


@edited(("np.dot(X.T, delta2)", "np.dot(delta2.T, X)"))
class TransposedW1(Neural_Network):
    """Builds dJdW1 as delta2^T X, shaped like W1 transposed: right numbers, wrong places."""


@edited(("delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)\n"
         "    dJdW1 = np.dot(X.T, delta2)",
         "dJdW1 = np.zeros_like(self.W1)  # TODO: backpropagate into the hidden layer"))
class UnfinishedW1(Neural_Network):
    """A placeholder never replaced: dJdW1 is all zeros."""


@edited(("dJdW1 = np.dot(X.T, delta2)",
         "dJdW1 = np.zeros_like(self.W1)\n"
         "    for unit in range(self.hiddenLayerSize - 1):\n"
         "        dJdW1[:, unit] = np.dot(X.T, delta2[:, unit])"))
class OffByOneUnit(Neural_Network):
    """Fills dJdW1 one hidden unit at a time, and the loop stops one unit short."""


class WeightDecay(Neural_Network):
    """Correct weight decay: the cost adds (DECAY / 2) |W|^2, the gradient adds DECAY W."""

    def costFunction(self, X, y):
        penalty = 0.5 * DECAY * (np.sum(self.W1**2) + np.sum(self.W2**2))
        return super().costFunction(X, y) + float(penalty)

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        return dJdW1 + DECAY * self.W1, dJdW2 + DECAY * self.W2


class DecayOnlyInCost(WeightDecay):
    """Weight decay added to the cost and forgotten in backprop: each gradient off by DECAY W."""

    costFunctionPrime = Neural_Network.costFunctionPrime  # the backprop without the decay


class DecayOnlyInGradient(WeightDecay):
    """Weight decay added to backprop but not to the cost: each gradient off by DECAY W."""

    costFunction = Neural_Network.costFunction  # the cost without the decay


GALLERY = {cls.__name__: cls for cls in [
    FlippedSign, ForgotTheHalf, AveragedGradient, ForgetfulNetwork, ActivationForDerivative,
    DerivativeOfTheOutput, ReluDerivative, PreActivationInput, TransposedW1, UnfinishedW1,
    OffByOneUnit, DecayOnlyInCost, DecayOnlyInGradient]}


CLASSIC_BUGS = {  # notebook 08's four classic mistakes: the gallery's networks that make them
    "no sigmoidPrime in delta2": ForgetfulNetwork,
    "sigmoid instead of sigmoidPrime": ActivationForDerivative,
    "lost minus sign": FlippedSign,
    "factor 2": ForgotTheHalf,
}


def BuggyNetwork(bug):
    """A new network (notebook 08) whose backprop makes the mistake ``bug``, a key of
    CLASSIC_BUGS (anything else: the correct network)."""
    return CLASSIC_BUGS.get(bug, Neural_Network)()


def intended(cls):
    """The correct network a gallery bug should have been: WeightDecay for DecayOnlyInCost
    (its cost has the decay, so its backprop must too), partFive.Neural_Network otherwise."""
    return WeightDecay if issubclass(cls, DecayOnlyInCost) else CORRECT


class OffsetGradient(Neural_Network):
    """Not a gallery bug but the smallest one to catch: ``offset`` (1e-5) added to every entry
    of one layer's gradient, ``layer`` ("W1" or "W2")."""

    layer, offset = "W1", 1e-5

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        if self.layer == "W1":
            return dJdW1 + self.offset, dJdW2
        return dJdW1, dJdW2 + self.offset


@edited(("np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))", "-(y - self.yHat)"))
class CrossEntropyShortcut(Neural_Network):
    """Notebook 13's exercise (MysteryNetwork), kept out of GALLERY: delta3 = yHat - y, right
    under the cross-entropy cost, where sigmoidPrime(z3) cancels, but not under this network's
    squared error: every weight is off by a factor near 1 / sigmoidPrime(z3)."""


@edited(("self.sigmoidPrime(self.z3)", "self.sigmoid(self.z3)"))
class Delta3TimesYHat(Neural_Network):
    """A wrong fix of MysteryNetwork: delta3 multiplied by sigmoid(z3), yHat itself, where its
    derivative belongs."""


@edited(("self.sigmoidPrime(self.z3)", "self.sigmoidPrime(self.yHat)"))
class Delta3AtTheOutput(Neural_Network):
    """A wrong fix of MysteryNetwork: delta3 multiplied by sigmoidPrime(yHat), the derivative
    taken at what comes out of the output layer instead of what goes in."""


def sourceDiff(cls, reference=CORRECT):
    """The lines where cls's costFunctionPrime differs from ``reference``'s, as a unified diff:
    "- " lines the correct backprop's, "+ " lines the bug's (docstrings and input checks left
    out)."""
    def lines(method):
        source = getattr(method, "editedSource", None) or inspect.getsource(method)
        return [line for line in bareLines(source)[1:] if line.strip()]

    theirs = lines(cls.costFunctionPrime) if "costFunctionPrime" in vars(cls) else []
    mine = lines(reference.costFunctionPrime)
    diff = difflib.unified_diff(mine, theirs, "correct", cls.__name__, lineterm="", n=0)
    return "\n".join(line for line in diff if not line.startswith("@@"))


# The fixtures the exercises' self-checks (course.selfChecks) try.

# (f, its name, x, epsilon, f'): notebook 04's example, x * x (one correctly rounded product:
# the same digits on every machine), then two that expose shortcuts (x**3's centered
# difference is not exact: it tells the formulas apart; sin falls at 2: a lost sign shows).
SLOPE_PROBES = ((lambda x: x * x, "x**2", 1.5, 1e-4, lambda x: 2 * x),
                (lambda x: x * x * x, "x**3", 1.5, 0.1, lambda x: 3 * x * x),
                (np.sin, "sin", 2.0, 1e-3, np.cos))

FAILING_CALL = 5  # FlakyCost's cost raises on this call, midway through a numerical gradient


class CostFailure(RuntimeError):
    """The error FailingCost raises on purpose."""


class Recorder(Neural_Network):
    """The tutorial's network, keeping a copy of every vector setParams is handed (handed)."""

    def __init__(self, *sizes):
        super().__init__(*sizes)
        self.handed = []

    def setParams(self, params):
        self.handed.append(np.array(params, dtype=float))
        super().setParams(params)


class FailingCost:
    """A mixin, put first (class C(FailingCost, SomeNetwork)): the cost counts its ``calls`` and
    raises CostFailure("the cost failed on call k") on call number ``failing`` (0: never)."""

    calls, failing = 0, 0

    def costFunction(self, X, y):
        self.calls += 1
        if self.calls == self.failing:
            raise CostFailure(f"the cost failed on call {self.calls}")
        return super().costFunction(X, y)


class FlakyCost(FailingCost, Recorder):
    """A network whose cost raises CostFailure on call FAILING_CALL, as a real one might."""

    failing = FAILING_CALL


# Notebook 08's pairs of gradients: far apart with different norms (it tells the norm ratio's
# formulas apart), close together (a typical check), and the first pair times 1000.
GRAD = np.array([0.3, -1.2, 0.5, 2.0, -0.7, 0.1, 1.1, -0.4, 0.9])
FAR = np.array([0.1, 0.4, -0.2, 1.5, 0.3, 0.6, -0.5, 0.2, 0.1])
CLOSE = GRAD * (1 + 1e-3 * np.array([1, -2, 3, -1, 2, -3, 1, 2, -1]))
RATIO_PAIRS = ((GRAD, FAR), (GRAD, CLOSE), (1000 * GRAD, 1000 * FAR))


def bareWeights(N):
    """N.W1's entries row by row, then N.W2's, as one new float vector; None if they are not
    numbers. (Not N.getParams(): in notebook 09's check that is the learner's.)"""
    try:
        return np.concatenate((np.ravel(N.W1), np.ravel(N.W2))).astype(float)
    except (TypeError, ValueError, AttributeError):
        return None


class CapstoneNetwork(partFour.Neural_Network):
    """The network of Parts 1-4 as notebook 09's self-check hands it over (see withHelpers); it
    keeps each cost's weights (``costedAt``) and counts its ``backprops``, its copies' too (a
    check may nudge a copy of N: copy.deepcopy shares the records)."""

    computeGradients = Neural_Network.computeGradients  # backprop unrolled as getParams unrolls

    def __init__(self, *sizes):
        super().__init__(*sizes)
        self.costedAt, self.backpropsRun = [], []

    @property
    def backprops(self):
        """How many times backprop ran, on this network and its copies."""
        return len(self.backpropsRun)

    def __deepcopy__(self, memo):
        twin = copy.copy(self)  # the same record lists
        twin.W1, twin.W2 = copy.deepcopy(self.W1, memo), copy.deepcopy(self.W2, memo)
        return twin

    def costFunction(self, X, y):
        self.costedAt.append(bareWeights(self))
        return super().costFunction(X, y)

    def costFunctionPrime(self, X, y):
        self.backpropsRun.append(True)
        return super().costFunctionPrime(X, y)


def withHelpers(cls, getParams, setParams):
    """``cls`` with getParams and setParams, functions of a network, as its methods."""
    return type(cls.__name__, (cls,), {"getParams": getParams, "setParams": setParams})


class CapstoneLostSquare(CapstoneNetwork):
    """A bug no notebook shows: sigmoidPrime without its square, e^-z / (1 + e^-z). (Notebook 09
    shows the same bug as its own LostSquare.)"""

    def sigmoidPrime(self, z):
        return np.exp(-z) / (1 + np.exp(-z))


class CapstoneRoughE(CapstoneNetwork):
    """A small bug no notebook shows: sigmoidPrime with e typed as 2.718 (a ratio near 1e-5)."""

    def sigmoidPrime(self, z):
        return 2.718 ** -z / (1 + 2.718 ** -z) ** 2


class ScaledBackprop(CapstoneNetwork):
    """Backprop's gradient times 1 + 2 ``ratio``, whose norm ratio against the numerical
    gradient is then about ``ratio``: it tells where a check draws its line."""

    ratio = 0.0

    def costFunctionPrime(self, X, y):
        dJdW1, dJdW2 = super().costFunctionPrime(X, y)
        return (1 + 2 * self.ratio) * dJdW1, (1 + 2 * self.ratio) * dJdW2


class JustBelowTheLine(ScaledBackprop):
    ratio = 3e-8  # on the order of 1e-8, which the rule passes


class JustAboveTheLine(ScaledBackprop):
    ratio = 3e-7  # above the line, which the rule flags


class BiasLayers(WeightVector):
    """Notebook 14's MyNetwork, seeded alike (tanh hidden layer, linear outputs, biases), whose
    backprop takes dJ/db1 and dJ/db2 from the ``biasGradients(delta2, delta3)`` it is given."""

    paramNames = ("W1", "b1", "W2", "b2")

    def __init__(self, biasGradients, sizes=(3, 4, 2), seed=0):
        inputs, hidden, outputs = sizes
        rng = np.random.default_rng(seed)
        self.biasGradients = biasGradients
        self.W1 = rng.standard_normal((inputs, hidden))
        self.b1 = rng.standard_normal(hidden)
        self.W2 = rng.standard_normal((hidden, outputs))
        self.b2 = rng.standard_normal(outputs)

    def forward(self, X):
        self.z2 = X @ self.W1 + self.b1
        self.a2 = np.tanh(self.z2)
        return self.a2 @ self.W2 + self.b2

    def costFunction(self, X, y):
        return 0.5 * np.sum((self.forward(X) - y) ** 2)

    def deltas(self, X, y):
        """delta2 = dJ/dz2 and delta3 = dJ/dyHat, one row per example."""
        delta3 = self.forward(X) - y
        return delta3 @ self.W2.T * (1 - self.a2**2), delta3

    def computeGradients(self, X, y):
        delta2, delta3 = self.deltas(X, y)
        db1, db2 = self.biasGradients(delta2, delta3)
        grads = {"W1": X.T @ delta2, "b1": db1, "W2": self.a2.T @ delta3, "b2": db2}
        return np.concatenate([np.ravel(grads[name]) for name in self.paramNames])


# (layer sizes, examples, seed): notebook 14's network and data, then one whose hidden and
# output layers have the same size (a swapped delta no longer shows in the shapes).
BIAS_PROBES = (((3, 4, 2), 5, 0), ((2, 3, 3), 6, 1))


def biasProbe(sizes, examples, seed):
    """(network, X, y): a BiasLayers of ``sizes`` (with the right bias gradients) and data drawn
    as notebook 14 draws its own (seed 0 gives that notebook's)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((examples, sizes[0]))
    y = rng.standard_normal((examples, sizes[2]))
    return BiasLayers(lambda delta2, delta3: (delta2.sum(axis=0), delta3.sum(axis=0)), sizes,
                      seed), X, y
