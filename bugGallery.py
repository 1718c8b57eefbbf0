"""A gallery of broken backprops, the kind people really write, for the bug hunt (notebook 13).

Each bug is a subclass of ``partFive.Neural_Network`` that overrides ``costFunctionPrime`` (the
two weight-decay bugs are WeightDecay with one of its two halves taken back). Every one of them runs
without an error and returns arrays of the right shapes: only a gradient check finds them.

    GALLERY          {name: class}, in the notebook's order
    CORRECT          the backprop they all get wrong, partFive.Neural_Network's
    WeightDecay      a correct network whose cost adds (decay / 2) |W|^2 and whose gradient
                     adds decay W: a changed cost, checked against its own backprop
    intended         the correct network a bug should have been
    OffsetGradient   the smallest bug to catch: 1e-5 added to one layer's gradient
    CrossEntropyShortcut
                     notebook 13's exercise, MysteryNetwork, kept out of GALLERY: a backprop
                     whose delta3 lacks sigmoidPrime(z3)
    sourceDiff       the lines where a bug's costFunctionPrime differs from the correct one
"""

import difflib
import inspect
import textwrap

import numpy as np

from partFive import ForgetfulNetwork, Neural_Network

__all__ = ["GALLERY", "CORRECT", "WeightDecay", "intended", "OffsetGradient",
           "CrossEntropyShortcut", "sourceDiff", "DECAY"]

CORRECT = Neural_Network
DECAY = 1e-4  # the weight-decay strength of the decay bugs: small, so their offsets are small


class FlippedSign(Neural_Network):
    """The output error taken as y - yHat instead of yHat - y: every gradient has the wrong sign."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(y - self.yHat, self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


class ForgotTheHalf(Neural_Network):
    """Differentiates (y - yHat)^2 and forgets the cost's 1/2: every gradient doubled."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-2 * (y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


class AveragedGradient(Neural_Network):
    """Averages the gradient over the examples while the cost sums them: all scaled by 1/n."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3) / len(X)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2) / len(X)
        return dJdW1, dJdW2


class ActivationForDerivative(Neural_Network):
    """Multiplies by the hidden activation sigmoid(z2) where its derivative belongs."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoid(self.z2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


class DerivativeOfTheOutput(Neural_Network):
    """Takes sigmoidPrime of the activation a2 instead of the pre-activation z2."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.a2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


class ReluDerivative(Neural_Network):
    """Backprop pasted from a ReLU network: the hidden derivative is (z2 > 0), not sigmoid's."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * (self.z2 > 0)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


class PreActivationInput(Neural_Network):
    """Feeds W2's gradient the hidden layer's input z2 instead of its output a2."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.z2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


class TransposedW1(Neural_Network):
    """Builds dJdW1 as delta2^T X, shaped like W1 transposed: right numbers, wrong places."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(delta2.T, X)
        return dJdW1, dJdW2


class UnfinishedW1(Neural_Network):
    """A placeholder never replaced: dJdW1 is all zeros."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        dJdW1 = np.zeros_like(self.W1)  # TODO: backpropagate into the hidden layer
        return dJdW1, dJdW2


class OffByOneUnit(Neural_Network):
    """Fills dJdW1 one hidden unit at a time, and the loop stops one unit short."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = np.multiply(-(y - self.yHat), self.sigmoidPrime(self.z3))
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.zeros_like(self.W1)
        for unit in range(self.hiddenLayerSize - 1):
            dJdW1[:, unit] = np.dot(X.T, delta2[:, unit])
        return dJdW1, dJdW2


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


class CrossEntropyShortcut(Neural_Network):
    """Not a gallery bug but notebook 13's exercise (MysteryNetwork), kept out of GALLERY so the
    notebook shows it first as the learner's to fix: delta3 = yHat - y, the output error of a
    sigmoid output under the cross-entropy cost, where sigmoidPrime(z3) cancels. This network's
    cost is the squared error, where it does not: every weight is off by a factor near
    1 / sigmoidPrime(z3), a little different for each weight."""

    def costFunctionPrime(self, X, y):
        self.yHat = self.forward(X)
        delta3 = -(y - self.yHat)
        dJdW2 = np.dot(self.a2.T, delta3)
        delta2 = np.dot(delta3, self.W2.T) * self.sigmoidPrime(self.z2)
        dJdW1 = np.dot(X.T, delta2)
        return dJdW1, dJdW2


def sourceDiff(cls, reference=CORRECT):
    """The lines where cls's costFunctionPrime differs from ``reference``'s, as a unified diff.

    Out: text; "- " lines are the correct backprop's, "+ " lines the bug's (docstrings and
    input checks left out of the comparison).
    """
    def lines(method):
        source = textwrap.dedent(inspect.getsource(method)).splitlines()
        body = [line for line in source[1:] if line.strip() and not line.strip().startswith(
            ('"""', "X, y = checkData", "In:", "Out:"))]
        return [line for line in body if '"""' not in line]

    theirs = lines(cls.costFunctionPrime) if "costFunctionPrime" in vars(cls) else []
    mine = lines(reference.costFunctionPrime)
    diff = difflib.unified_diff(mine, theirs, "correct", cls.__name__, lineterm="", n=0)
    return "\n".join(line for line in diff if not line.startswith("@@"))
