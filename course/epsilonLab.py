"""The epsilon lab: numerical differences whose step the learner moves with a slider.

Notebook 10 uses this module to show why epsilon = 1e-4 works, why much larger and much
smaller steps do not, and how the way the difference is taken changes everything:

    FUNCTIONS            x**2 (kind: no truncation error when centered), sin and exp
    slope                one numerical slope: forward, centered or complex step, in float64 or
                         float32
    slopeError           that slope beside the exact one (a SlopeError: absolute, relative error)
    errorCurve           the relative error at many epsilons: the U-shaped curve
    errorModel           the two lines that explain the U: truncation and round-off error
    bestEpsilon          where their sum is smallest (about eps**(1/2) forward, eps**(1/3)
                         centered); ruleOfThumb gives those two powers of machine epsilon
    readout              the text the lab shows for one epsilon
    forwardNumericalGradient, networkCheck, networkErrorCurve, describeCheck
                         the same on the tutorial's network (partFive does the centered part)

The figures and the sliders that show these numbers live in ``labWidgets``; this module needs
numpy alone. Every function that takes a step checks it with validation.checkEpsilon (a
finite number > 0).
"""

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from checker.judge import CLASSIC_TOLERANCE, compareGradients, judge
from checker.measure import Measurement, costsAt, unitVector
from checker.validation import (
    DTYPES,
    checkChoice,
    checkDtype,
    checkEpsilons,
    checkPoint,
    checkStep,
)
from checker.weightVector import NEEDS_COST, backpropGradient, preparedNetwork
from partFive import GradientCheck, checkGradient, computeNumericalGradient

__all__ = ["FUNCTIONS", "METHODS", "DTYPES", "EPSILONS", "SlopeError", "slope", "slopeError",
           "errorCurve", "errorModel", "bestEpsilon", "ruleOfThumb", "machineEpsilon",
           "formatSlope", "formatError", "readout", "forwardNumericalGradient", "networkCheck",
           "networkErrorCurve", "describeSlope", "describeCheck",
           "NUMERICAL_GRADIENTS", "COLORS"]

METHODS = ("forward", "centered", "complex")
METHOD_NAMES = {"forward": "forward difference", "centered": "centered difference",
                "complex": "complex step"}
EPSILONS = np.logspace(-16, -1, 121)  # the slider's range, eight points a decade
MACHINE_PRECISION = 4  # errors within 4 machine epsilons are rounding of the last digit
COLORS = {"forward": "tab:blue", "centered": "tab:orange", "complex": "tab:green"}


def square(x):
    """x * x: one correctly rounded multiplication, so the same digits on every machine."""
    return x * x


@dataclass(frozen=True)
class Function:
    """A function of one variable that works on real and complex numpy arrays.

    ``derivatives`` holds f', f'' and f''' (for the exact slope and the error model), and ``x``
    is the point the lab differentiates at (exactly representable in float32 too).
    """

    name: str
    label: str
    x: float
    f: Callable
    derivatives: tuple


FUNCTIONS = {
    "x**2": Function("x**2", "x²", 1.5, square,
                     (lambda x: 2 * x, lambda x: 2.0, lambda x: 0.0)),
    "sin": Function("sin", "sin(x)", 1.0, np.sin,
                    (np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x))),
    "exp": Function("exp", "exp(x)", 1.0, np.exp, (np.exp, np.exp, np.exp)),
}


# --- checking the input --------------------------------------------------------------------

def checkX(x, function):
    """Return the point x as a Python float: the function's own point when x is None."""
    if x is None:
        return function.x
    return checkPoint(x)


def lookUp(function):
    """Return the Function called ``function`` (a key of FUNCTIONS)."""
    return FUNCTIONS[checkChoice(function, tuple(FUNCTIONS), "function")]


# --- one slope and its error ---------------------------------------------------------------

def differences(function, x, steps, method):
    """The numerical slopes of ``function`` at x for each step, all in the steps' dtype.

    In:  a Function, x (a float), steps (a 1-D float32 or float64 array), a method name.
    Out: a float64 array of the slopes, computed entirely in the steps' precision.
    """
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
    """Take one numerical slope and compare it with the exact one.

    In:  a function name from FUNCTIONS; a step epsilon > 0; method 'forward', 'centered' or
         'complex'; dtype 'float64' or 'float32'; x (default: the function's own point).
    Out: a SlopeError. Raises TypeError or ValueError on bad input.
    """
    fn = lookUp(function)
    method = checkChoice(method, METHODS, "method")
    dtype = checkDtype(dtype)
    x = checkX(x, fn)
    step = checkStep(epsilon, dtype)
    numerical = float(differences(fn, x, np.array([step]), method)[0])
    exact = exactSlope(fn, x, dtype)
    absoluteError = abs(numerical - exact)
    return SlopeError(function, x, float(epsilon), method, dtype, numerical, exact,
                      absoluteError, float(relative(absoluteError, exact)))


def slope(function, epsilon, method="centered", dtype="float64", x=None):
    """Return one numerical slope of ``function`` as a float (arguments as in slopeError)."""
    return slopeError(function, epsilon, method, dtype, x).numerical


# --- the U-shaped curve and its explanation -------------------------------------------------

def errorCurve(function, epsilons=EPSILONS, method="centered", dtype="float64", x=None):
    """The relative error of the numerical slope at each epsilon: the measured U.

    In:  as slopeError, but a 1-D sequence of steps (default: the slider's range, EPSILONS).
    Out: a float64 array of relative errors, one per epsilon.
    """
    fn = lookUp(function)
    method = checkChoice(method, METHODS, "method")
    dtype = checkDtype(dtype)
    x = checkX(x, fn)
    steps = checkEpsilons(epsilons, dtype)
    exact = exactSlope(fn, x, dtype)
    return relative(np.abs(differences(fn, x, steps, method) - exact), exact)


def machineEpsilon(dtype):
    """The gap between 1 and the next number of ``dtype``: 2.2e-16 (float64), 1.2e-7 (float32)."""
    return float(np.finfo(checkDtype(dtype)).eps)


def modelCoefficients(function, method, dtype, x):
    """(a, p, b, q) of the error model a*h**p + b/h**q, relative to the exact slope."""
    values = [abs(float(g(np.float64(x)))) for g in (function.f, *function.derivatives)]
    f, df, d2f, d3f = values
    eps = machineEpsilon(dtype)
    if method == "forward":
        return d2f / 2 / df, 1, eps * f / df, 1
    if method == "centered":
        return d3f / 6 / df, 2, eps * f / 2 / df, 1
    return d3f / 6 / df, 2, eps, 0


def errorModel(function, epsilons=EPSILONS, method="centered", dtype="float64", x=None):
    """The two lines that explain the U, as relative errors at each epsilon.

    truncation: the Taylor terms the difference leaves out, h|f''|/2 (forward) or h²|f'''|/6
                (centered and complex step); it grows with epsilon.
    round-off:  every stored number is off by up to machine epsilon times itself, and dividing
                by a small step magnifies that: eps|f|/h (forward), eps|f|/(2h) (centered),
                eps|f'| (complex step: nothing cancels, so it does not grow).
    In:  as errorCurve. Out: (truncation, roundoff), two float64 arrays divided by |f'(x)|.
    """
    fn = lookUp(function)
    method = checkChoice(method, METHODS, "method")
    dtype = checkDtype(dtype)
    x = checkX(x, fn)
    h = checkEpsilons(epsilons, dtype).astype(np.float64)
    a, p, b, q = modelCoefficients(fn, method, dtype, float(np.dtype(dtype).type(x)))
    return a * h ** p, b / h ** q


def bestEpsilon(function, method="centered", dtype="float64", x=None):
    """The epsilon where truncation + round-off (errorModel) is smallest.

    Forward: sqrt(2 eps |f| / |f''|); centered: (3 eps |f| / (2 |f'''|))**(1/3). None when the
    sum has no minimum: the complex step (round-off does not grow as epsilon shrinks) and
    functions with no truncation error (x**2 centered: larger steps are simply better).
    """
    fn = lookUp(function)
    method = checkChoice(method, METHODS, "method")
    dtype = checkDtype(dtype)
    x = checkX(x, fn)
    a, p, b, q = modelCoefficients(fn, method, dtype, float(np.dtype(dtype).type(x)))
    if q == 0 or a == 0:
        return None
    return (q * b / (p * a)) ** (1 / (p + q))  # where d/dh (a h^p + b h^-q) = 0


def ruleOfThumb(method, dtype="float64"):
    """The textbook step: eps**(1/2) forward, eps**(1/3) centered, None for the complex step."""
    method = checkChoice(method, METHODS, "method")
    eps = machineEpsilon(dtype)
    power = {"forward": 1 / 2, "centered": 1 / 3}.get(method)
    return None if power is None else eps ** power


# --- text for humans ------------------------------------------------------------------------

def digits(dtype):
    """How many significant digits to show for a slope in ``dtype``: 10 or 7."""
    return 10 if checkDtype(dtype) == "float64" else 7


def formatSlope(value, dtype="float64"):
    """A slope with the digits ``dtype`` can carry (10 for float64, 7 for float32)."""
    return f"{float(value):#.{digits(dtype)}g}"


def formatError(error, dtype="float64"):
    """A relative error for humans: two digits and how many digits of the slope are right.

    Errors within 4 machine epsilons of zero are the rounding of the last digit: their value
    changes from one machine to the next (and may be 0), so they read 'below 9e-16 (machine
    precision ...)' instead.
    """
    error = float(error)
    floor = MACHINE_PRECISION * machineEpsilon(dtype)
    if error <= floor:
        return f"below {floor:.0e} (machine precision: every digit is right)"
    return f"{error:.1e} ({correctDigits(error)})"


def correctDigits(error):
    """Roughly how many leading digits a slope with this relative error gets right, as words."""
    if not float(error) < 1:
        return "no correct digits"
    count = math.floor(-math.log10(float(error)))
    return f"{count} correct digit{'s' if count != 1 else ''}"


def describeSlope(result):
    """A SlopeError as the lab's five lines of text (see readout)."""
    relativeText = formatError(result.relativeError, result.dtype)
    atMachinePrecision = relativeText.startswith("below")
    absoluteText = "at machine precision" if atMachinePrecision else f"{result.absoluteError:.1e}"
    return "\n".join([
        f"{FUNCTIONS[result.function].label} at x = {result.x:g}, "
        f"{METHOD_NAMES[result.method]} in {result.dtype}, epsilon = {result.epsilon:.1e}",
        f"numerical slope  {formatSlope(result.numerical, result.dtype)}",
        f"exact slope      {formatSlope(result.exact, result.dtype)}",
        f"absolute error   {absoluteText}",
        f"relative error   {relativeText}",
    ])


def readout(function, epsilon, method="centered", dtype="float64", x=None):
    """The lab's text for one epsilon: both slopes and the errors, formatted for humans.

    In:  as slopeError. Out: five lines of text, e.g. for sin at 1, centered, 1e-4::

        sin(x) at x = 1, centered difference in float64, epsilon = 1.0e-04
        numerical slope  0.5403023050
        exact slope      0.5403023059
        absolute error   9.0e-10
        relative error   1.7e-09 (8 correct digits)
    """
    return describeSlope(slopeError(function, epsilon, method, dtype, x))


# --- the same on the network ----------------------------------------------------------------

def forwardNumericalGradient(N, X, y, *, epsilon=1e-4):
    """Estimate dJ/dW for every weight of N by forward differences.

    Like partFive.computeNumericalGradient, but entry p is (J(w + epsilon e_p) - J(w)) / epsilon:
    one cost evaluation per weight instead of two, and an error that shrinks only like epsilon.
    N's weights are put back as they were, also when the cost raises midway.
    """
    X, y, params, _, epsilon = preparedNetwork(N, X, y, NEEDS_COST, epsilon)
    steps = (epsilon * unitVector(p, params.size, params.dtype) for p in range(params.size))
    costs, _ = costsAt(N, X, y, params, itertools.chain([np.zeros_like(params)], steps))
    return (costs[1:] - costs[0]) / epsilon  # the first cost is J(w) itself


NUMERICAL_GRADIENTS = {"forward": forwardNumericalGradient, "centered": computeNumericalGradient}


def networkCheck(N, X, y, epsilon=1e-4, method="centered"):
    """partFive.checkGradient with a choice of difference: 'centered' (its own) or 'forward'.

    Out: a GradientCheck (.passed, .relativeError, .worstWeight, both gradients).
    """
    method = checkChoice(method, tuple(NUMERICAL_GRADIENTS), "method")
    if method == "centered":
        return checkGradient(N, X, y, epsilon=epsilon, tolerance=CLASSIC_TOLERANCE)
    X, y, params, layout, epsilon = preparedNetwork(N, X, y, epsilon=epsilon)
    measured = Measurement(grad=backpropGradient(N, X, y, params.size),
                           numerical=forwardNumericalGradient(N, X, y, epsilon=epsilon)[None],
                           epsilon=epsilon, places=layout.places(range(params.size)),
                           weightValues=params.astype(float), dtype=params.dtype,
                           weightScale=float(np.max(np.abs(params))))
    return GradientCheck.of(judge(measured, CLASSIC_TOLERANCE))


def networkErrorCurve(N, X, y, epsilons=EPSILONS, method="centered"):
    """The relative error between backprop and the numerical gradient at each epsilon.

    Out: a float64 array, one relative error (partFive.compareGradients) per epsilon.
    """
    method = checkChoice(method, tuple(NUMERICAL_GRADIENTS), "method")
    steps = checkEpsilons(epsilons, "float64")
    X, y, params, _, _ = preparedNetwork(N, X, y)
    grad = backpropGradient(N, X, y, params.size)
    numerical = NUMERICAL_GRADIENTS[method]
    return np.array([compareGradients(grad, numerical(N, X, y, epsilon=float(h))) for h in steps])


def describeCheck(result, method):
    """A GradientCheck (networkCheck's) as the network lab's three lines of text, e.g.::

        the tutorial's network, centered differences, epsilon = 1.0e-04
        relative error   5.4e-10 (passed by the fixed rule: tolerance 1e-07)
        worst weight     W2[0, 0]
    """
    return "\n".join([
        f"the tutorial's network, {method} differences, epsilon = {result.epsilon:.1e}",
        f"relative error   {result.relativeError:.1e} ({result.status} by the fixed rule: "
        f"tolerance {result.tolerance:.0e})",
        f"worst weight     {result.worstWeight}",
    ])
