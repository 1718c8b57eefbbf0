"""The epsilon lab's numbers (notebook 10): the slope of x**2, sin or exp at a step epsilon,
taken forward, centered or by the complex step, in float64 or float32; the U-shaped error curve
and its model (truncation against round-off) with the best step; the same on the tutorial's
network. numpy alone: the figures and sliders are in ``labWidgets``. Every step is checked as
validation.checkEpsilon checks it (a finite number > 0).
"""

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from checker.judge import CLASSIC_TOLERANCE, compareGradients, judge
from checker.measure import Measurement, costsAt, unitVector, weightScale
from checker.validation import (
    DTYPES,
    checkChoice,
    checkDtype,
    checkEpsilons,
    checkFiniteAt,
    checkNonzeroSlope,
    checkPoint,
    checkStep,
)
from checker.weightVector import NEEDS_COST, backpropGradient, preparedNetwork
from partFive import GradientCheck, checkGradient, computeNumericalGradient

__all__ = ["FUNCTIONS", "METHODS", "DTYPES", "EPSILONS", "SlopeError", "slopeError", "errorCurve",
           "errorModel", "bestEpsilon", "ruleOfThumb", "machineEpsilon", "readout",
           "describeSlope", "forwardNumericalGradient", "NUMERICAL_GRADIENTS", "networkCheck",
           "networkErrorCurve", "describeCheck"]

METHODS = ("forward", "centered", "complex")
METHOD_NAMES = {"forward": "forward difference", "centered": "centered difference",
                "complex": "complex step"}
EPSILONS = np.logspace(-16, -1, 121)  # the slider's range, eight points a decade
MACHINE_PRECISION = 4  # errors within 4 machine epsilons are rounding of the last digit


@dataclass(frozen=True)
class Function:
    """A function of one variable on real and complex arrays: ``derivatives`` holds f', f'' and
    f''', and ``x`` is the point the lab differentiates at (exact in float32 too)."""

    name: str
    label: str
    x: float
    f: Callable
    derivatives: tuple


FUNCTIONS = {  # x * x is one correctly rounded multiplication: the same digits on every machine
    "x**2": Function("x**2", "x²", 1.5, lambda x: x * x,
                     (lambda x: 2 * x, lambda x: 2.0, lambda x: 0.0)),
    "sin": Function("sin", "sin(x)", 1.0, np.sin,
                    (np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x))),
    "exp": Function("exp", "exp(x)", 1.0, np.exp, (np.exp, np.exp, np.exp)),
}


def checked(function, method, dtype, x):
    """The lab's choices checked: (the Function, method, dtype, x as a float or f's own); f and
    its derivatives must be finite at x in dtype."""
    fn = FUNCTIONS[checkChoice(function, tuple(FUNCTIONS), "function")]
    method = checkChoice(method, METHODS, "method")
    dtype = checkDtype(dtype)
    x = fn.x if x is None else checkPoint(x)
    with np.errstate(over="ignore", invalid="ignore"):  # reported just below
        point = np.dtype(dtype).type(x)
        checkFiniteAt([g(point) for g in (fn.f, *fn.derivatives)], function, x, dtype)
    return fn, method, dtype, x


# --- slopes and their errors ----------------------------------------------------------------

def differences(function, x, steps, method):
    """The slopes of a Function at x for each of ``steps`` (a 1-D float32 or float64 array),
    computed entirely in the steps' dtype; returned as float64."""
    real = steps.dtype.type
    x = np.full(steps.shape, x, dtype=steps.dtype)
    f = function.f
    with np.errstate(over="ignore", invalid="ignore"):
        if method == "forward":
            slopes = (f(x + steps) - f(x)) / steps
        elif method == "centered":
            slopes = (f(x + steps) - f(x - steps)) / (steps + steps)
        else:  # complex step: nothing is subtracted, so nothing cancels
            z = np.empty(steps.shape, dtype=np.result_type(real, np.complex64))
            z.real, z.imag = x, steps
            slopes = f(z).imag / steps
    return slopes.astype(np.float64)


def exactSlope(function, x, dtype):
    """f'(x) in float64 at x rounded to ``dtype`` (the point the numerical slope sees)."""
    return float(function.derivatives[0](np.float64(np.dtype(dtype).type(x))))


@dataclass(frozen=True)
class SlopeError:
    """One numerical slope and how far it is from the exact slope."""

    function: str
    x: float
    epsilon: float
    method: str
    dtype: str
    numerical: float
    exact: float
    absoluteError: float
    relativeError: float  # absoluteError / |exact|: inf where the exact slope is 0


def relative(absoluteError, exact):
    """absoluteError / |exact|, as floats; 0/0 is 0 and anything else over 0 is inf."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.asarray(absoluteError, dtype=float) / abs(exact)
    return np.where(np.asarray(absoluteError) == 0, 0.0, ratio)


def slopeError(function, epsilon, method="centered", dtype="float64", x=None):
    """One numerical slope beside the exact one, as a SlopeError.

    function: a key of FUNCTIONS; epsilon > 0; method 'forward', 'centered' or 'complex'; dtype
    'float64' or 'float32'; x (default: the function's own point). Bad input raises TypeError
    or ValueError.
    """
    fn, method, dtype, x = checked(function, method, dtype, x)
    step = checkStep(epsilon, dtype)
    numerical = float(differences(fn, x, np.array([step]), method)[0])
    exact = exactSlope(fn, x, dtype)
    absoluteError = abs(numerical - exact)
    return SlopeError(function, x, float(epsilon), method, dtype, numerical, exact,
                      absoluteError, float(relative(absoluteError, exact)))


# --- the U-shaped curve and its explanation -------------------------------------------------

def errorCurve(function, epsilons=EPSILONS, method="centered", dtype="float64", x=None):
    """The measured U: the slope's relative error at each of ``epsilons`` (a 1-D sequence; the
    other arguments as in slopeError), as a float64 array."""
    fn, method, dtype, x = checked(function, method, dtype, x)
    steps = checkEpsilons(epsilons, dtype)
    exact = exactSlope(fn, x, dtype)
    return relative(np.abs(differences(fn, x, steps, method) - exact), exact)


def machineEpsilon(dtype):
    """The gap between 1 and the next number of ``dtype``: 2.2e-16 (float64), 1.2e-7 (float32)."""
    return float(np.finfo(checkDtype(dtype)).eps)


def modelCoefficients(function, method, dtype, x):
    """(a, p, b, q) of the error model a*h**p + b/h**q relative to f'(x), x rounded to dtype."""
    x = np.float64(np.dtype(dtype).type(x))
    f, df, d2f, d3f = (abs(float(g(x))) for g in (function.f, *function.derivatives))
    checkNonzeroSlope(df, function.name, float(x))
    eps = machineEpsilon(dtype)
    if method == "forward":
        return d2f / 2 / df, 1, eps * f / df, 1
    if method == "centered":
        return d3f / 6 / df, 2, eps * f / 2 / df, 1
    return d3f / 6 / df, 2, eps, 0


def errorModel(function, epsilons=EPSILONS, method="centered", dtype="float64", x=None):
    """The two lines that explain the U, as errorCurve takes them: (truncation, roundoff), float64
    arrays divided by |f'(x)|. Truncation, the Taylor terms left out, grows with h: h|f''|/2
    forward, h²|f'''|/6 centered and complex step. Round-off, machine epsilon magnified by
    dividing by h: eps|f|/h forward, eps|f|/(2h) centered, eps|f'| complex step (no cancelling).
    """
    fn, method, dtype, x = checked(function, method, dtype, x)
    h = checkEpsilons(epsilons, dtype).astype(np.float64)
    a, p, b, q = modelCoefficients(fn, method, dtype, x)
    return a * h ** p, b / h ** q


def bestEpsilon(function, method="centered", dtype="float64", x=None):
    """The epsilon where errorModel's sum is smallest: forward sqrt(2 eps|f|/|f''|), centered
    (3 eps|f|/(2|f'''|))**(1/3); None where the sum has no minimum (the complex step, whose
    round-off does not grow, x**2 centered, which has no truncation error, and a point where
    f(x) = 0, which gives the model no round-off)."""
    fn, method, dtype, x = checked(function, method, dtype, x)
    a, p, b, q = modelCoefficients(fn, method, dtype, x)
    if q == 0 or a == 0 or b == 0:
        return None
    return (q * b / (p * a)) ** (1 / (p + q))  # where d/dh (a h^p + b h^-q) = 0


def ruleOfThumb(method, dtype="float64"):
    """The textbook step: eps**(1/2) forward, eps**(1/3) centered, None for the complex step."""
    method = checkChoice(method, METHODS, "method")
    eps = machineEpsilon(dtype)
    power = {"forward": 1 / 2, "centered": 1 / 3}.get(method)
    return None if power is None else eps ** power


# --- text for humans ------------------------------------------------------------------------

def slopeErrorText(error, dtype):
    """A relative error in two digits and how many digits of the slope are right. Within 4
    machine epsilons, the rounding of the last digit (which differs between machines, and may be
    0), it reads 'below 9e-16 (machine precision ...)' instead."""
    floor = MACHINE_PRECISION * machineEpsilon(dtype)
    if error <= floor:
        return f"below {floor:.0e} (machine precision: every digit is right)"
    if not error < 1:
        return f"{error:.1e} (no correct digits)"
    count = math.floor(-math.log10(error))
    return f"{error:.1e} ({count} correct digit{'s' if count != 1 else ''})"


def describeSlope(result):
    """A SlopeError as the lab's five lines of text (see readout)."""
    digits = 10 if result.dtype == "float64" else 7  # the digits the dtype carries
    relativeText = slopeErrorText(result.relativeError, result.dtype)
    absoluteText = ("at machine precision" if relativeText.startswith("below")
                    else f"{result.absoluteError:.1e}")
    return "\n".join([
        f"{FUNCTIONS[result.function].label} at x = {result.x:g}, "
        f"{METHOD_NAMES[result.method]} in {result.dtype}, epsilon = {result.epsilon:.1e}",
        f"numerical slope  {result.numerical:#.{digits}g}",
        f"exact slope      {result.exact:#.{digits}g}",
        f"absolute error   {absoluteText}",
        f"relative error   {relativeText}",
    ])


def readout(function, epsilon, method="centered", dtype="float64", x=None):
    """The lab's text for one epsilon (arguments as in slopeError): the function, method, dtype
    and epsilon, then the numerical and exact slopes and the absolute and relative errors."""
    return describeSlope(slopeError(function, epsilon, method, dtype, x))


# --- the same on the network ----------------------------------------------------------------

def forwardNumericalGradient(N, X, y, *, epsilon=1e-4):
    """dJ/dW for every weight of N by forward differences, (J(w + epsilon e_p) - J(w)) / epsilon:
    one cost a weight, not two, and an error ~ epsilon. N's weights are put back, also when the
    cost raises midway."""
    X, y, params, _, epsilon = preparedNetwork(N, X, y, NEEDS_COST, epsilon)
    return forwardDifferences(N, X, y, params, epsilon)


def forwardDifferences(N, X, y, params, epsilon):
    """forwardNumericalGradient on inputs already validated (params: N's weights, a copy)."""
    steps = (epsilon * unitVector(p, params.size, params.dtype) for p in range(params.size))
    costs, _ = costsAt(N, X, y, params, itertools.chain([np.zeros_like(params)], steps))
    return (costs[1:] - costs[0]) / epsilon  # the first cost is J(w) itself


NUMERICAL_GRADIENTS = {"forward": forwardNumericalGradient, "centered": computeNumericalGradient}


def networkCheck(N, X, y, epsilon=1e-4, method="centered"):
    """partFive.checkGradient by the fixed rule, its numerical gradient taken 'centered' (its
    own) or 'forward'; a GradientCheck."""
    method = checkChoice(method, tuple(NUMERICAL_GRADIENTS), "method")
    if method == "centered":
        return checkGradient(N, X, y, epsilon=epsilon, tolerance=CLASSIC_TOLERANCE)
    X, y, params, layout, epsilon = preparedNetwork(N, X, y, epsilon=epsilon)
    measured = Measurement(grad=backpropGradient(N, X, y, params.size),
                           numerical=forwardDifferences(N, X, y, params, epsilon)[None],
                           epsilon=epsilon, places=layout.places(range(params.size)),
                           weightValues=params.astype(float), dtype=params.dtype,
                           weightScale=weightScale(params))
    return GradientCheck.of(judge(measured, CLASSIC_TOLERANCE))


def networkErrorCurve(N, X, y, epsilons=EPSILONS, method="centered"):
    """The relative error (compareGradients) of backprop against the numerical gradient taken
    by ``method`` at each of ``epsilons``, as a float64 array."""
    method = checkChoice(method, tuple(NUMERICAL_GRADIENTS), "method")
    steps = checkEpsilons(epsilons, "float64")
    X, y, params, _, _ = preparedNetwork(N, X, y)
    grad = backpropGradient(N, X, y, params.size)
    numerical = NUMERICAL_GRADIENTS[method]
    return np.array([compareGradients(grad, numerical(N, X, y, epsilon=float(h))) for h in steps])


def describeCheck(result, method):
    """networkCheck's GradientCheck as the network lab's three lines: method and epsilon, the
    relative error with its verdict by the fixed rule, and the worst weight."""
    return "\n".join([
        f"the tutorial's network, {method} differences, epsilon = {result.epsilon:.1e}",
        f"relative error   {result.relativeError:.1e} ({result.status} by the fixed rule: "
        f"tolerance {result.tolerance:.0e})",
        f"worst weight     {result.worstWeight}",
    ])
