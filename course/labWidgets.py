"""The epsilon lab's figures and sliders (notebook 10), on top of epsilonLab's numbers: the error
curves of a function and of the tutorial's network (ErrorCurveAxes, NetworkCurveAxes), drawn
once, with a marker that moves; and the labs (FunctionLab, NetworkLab), whose ``update(epsilon)``
is what a slider move runs. matplotlib, Pillow and ipywidgets are imported where they are used,
so importing this module costs nothing until a lab is built.
"""

import html
import io

import numpy as np

from checker.judge import CLASSIC_TOLERANCE
from checker.validation import checkChoice, checkEpsilon, checkWithin
from course.epsilonLab import (
    DTYPES,
    EPSILONS,
    FUNCTIONS,
    METHOD_NAMES,
    METHODS,
    NUMERICAL_GRADIENTS,
    bestEpsilon,
    checked,
    describeCheck,
    describeSlope,
    errorCurve,
    errorModel,
    networkCheck,
    networkErrorCurve,
    slopeError,
)

__all__ = ["ErrorCurveAxes", "NetworkCurveAxes", "FunctionLab", "NetworkLab"]

# --- figures --------------------------------------------------------------------------------

FLOOR = 1e-17  # where exact zeros are drawn on the log axis
COLORS = {"forward": "tab:blue", "centered": "tab:orange", "complex": "tab:green"}


def onLogAxis(values):
    """Measured errors ready for a log axis: zeros (exact results) drawn at FLOOR."""
    return np.maximum(np.asarray(values, dtype=float), FLOOR)


def modelOnLogAxis(values):
    """Model errors ready for a log axis: zeros (no such error) left out."""
    values = np.asarray(values, dtype=float)
    return np.where(values > 0, values, np.nan)


class CurveAxes:
    """What both figures share: log-log axes over the slider's range with one curve per method
    (``labels``: method -> label), the chosen one thick (``show``), and the epsilon marked by a
    vertical line and a dot, which ``mark`` moves by updating their data."""

    def __init__(self, ax, ylabel, labels):
        self.ax = ax
        ax.set_xscale("log")
        ax.set_yscale("log")
        # A little room beyond the slider's ends, so the marker at 1e-16 or 1e-1 is drawn whole.
        ax.set_xlim(EPSILONS[0] / 2, EPSILONS[-1] * 2)
        ax.set_ylim(FLOOR / 3, 30)
        ax.set_xlabel("epsilon (log scale)")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="major", alpha=0.3)
        self.curves = {method: ax.plot([], [], color=COLORS[method], label=label)[0]
                       for method, label in labels.items()}

    def addMarker(self, epsilon):
        """Draw the marker of epsilon: ``markers``, the artists that ``mark`` moves."""
        epsilon = checkEpsilon(epsilon)
        self.line = self.ax.axvline(epsilon, color="gray", linewidth=1)
        (self.dot,) = self.ax.plot([], [], "o", color="black", markersize=9,
                                   markerfacecolor="none", markeredgewidth=2, label="your epsilon")
        self.markers = [self.line, self.dot]

    def show(self, method):
        """Highlight ``method``'s curve."""
        self.method = method
        for name, curve in self.curves.items():
            curve.set_linewidth(2.5 if name == method else 1)
            curve.set_alpha(1 if name == method else 0.5)

    def mark(self, epsilon, error=None):
        """Move the marker to epsilon; ``error`` (its relative error) is measured if not given."""
        if error is None:
            error = self.measure(epsilon)[1]
        self.line.set_xdata([epsilon, epsilon])
        self.dot.set_data([epsilon], onLogAxis([error]))


class ErrorCurveAxes(CurveAxes):
    """The U-shaped error curve of one function, drawn on a matplotlib Axes: the measured
    relative errors of ``methods`` (``method``'s thick), its truncation and round-off lines, its
    best epsilon (a star) and ``epsilon`` marked. ``show`` changes function, method or dtype by
    updating the artists' data: nothing is plotted twice."""

    def __init__(self, ax, function="sin", method="centered", dtype="float64",
                 methods=METHODS, epsilon=1e-4, legend=True):
        super().__init__(ax, "relative error of the slope (log scale)",
                         {m: METHOD_NAMES[checkChoice(m, METHODS, "methods")] for m in methods})
        (self.truncation,) = ax.plot([], [], "k--", linewidth=1, label="truncation error")
        (self.roundoff,) = ax.plot([], [], "k:", linewidth=1.5, label="round-off error")
        (self.best,) = ax.plot([], [], "k*", markersize=14, label="best epsilon")
        self.legend = legend
        self.addMarker(epsilon)
        self.show(function, method, dtype)
        self.mark(epsilon)

    def show(self, function, method, dtype):
        """Draw ``function``'s curves in ``dtype`` with ``method`` highlighted."""
        self.function, self.dtype = function, dtype
        super().show(method)
        for name, curve in self.curves.items():
            curve.set_data(EPSILONS, onLogAxis(errorCurve(function, EPSILONS, name, dtype)))
        truncation, roundoff = errorModel(function, EPSILONS, method, dtype)
        self.truncation.set_data(EPSILONS, modelOnLogAxis(truncation))
        self.roundoff.set_data(EPSILONS, modelOnLogAxis(roundoff))
        best = bestEpsilon(function, method, dtype)
        if best is None:
            self.best.set_data([], [])
        else:
            self.best.set_data([best], np.add(*errorModel(function, [best], method, dtype)))
        self.ax.set_title(f"{FUNCTIONS[function].label} at x = {FUNCTIONS[function].x:g}, "
                          f"{METHOD_NAMES[method]}, {dtype}", fontsize=10)
        if self.legend:  # what is drawn now: no "best epsilon" for a method that has none
            drawn = [line for line in self.ax.get_lines() if not line.get_label().startswith("_")
                     and (len(line.get_xdata()) or line is self.dot)]
            self.ax.legend(handles=drawn, loc="lower left", fontsize=8)

    def measure(self, epsilon):
        """The readout text (describeSlope) and the relative error at epsilon, as shown."""
        result = slopeError(self.function, epsilon, self.method, self.dtype)
        return describeSlope(result), result.relativeError


class NetworkCurveAxes(CurveAxes):
    """The relative error of the gradient check of network N on data X, y against epsilon: the
    forward and centered curves (computed once, ``method``'s thick), the fixed rule's tolerance
    and ``epsilon`` marked."""

    def __init__(self, ax, N, X, y, method="centered", epsilon=1e-4, legend=True):
        super().__init__(ax, "relative error of the gradient (log scale)",
                         {m: f"{m} differences" for m in NUMERICAL_GRADIENTS})
        self.N, self.X, self.y = N, X, y
        for name, curve in self.curves.items():
            curve.set_data(EPSILONS, onLogAxis(networkErrorCurve(N, X, y, EPSILONS, name)))
        ax.axhline(CLASSIC_TOLERANCE, color="black", linestyle="--", linewidth=1,
                   label=f"tolerance {CLASSIC_TOLERANCE:.0e}: below passes")
        self.addMarker(epsilon)
        ax.set_title("The tutorial's network: backprop against numerical gradients", fontsize=10)
        if legend:
            ax.legend(loc="lower left", fontsize=8)
        self.show(method)
        self.mark(epsilon)

    def measure(self, epsilon):
        """The readout text (describeCheck) and the relative error at epsilon, as shown."""
        check = networkCheck(self.N, self.X, self.y, epsilon, self.method)
        return describeCheck(check, self.method), check.relativeError


# --- the sliders ----------------------------------------------------------------------------

class LiveFigure:
    """A matplotlib figure shown as PNG bytes: ``redraw(markers)`` draws all but the markers and
    keeps that picture; ``png()`` pastes the markers onto it (blitting) and encodes it, which
    makes a slider move fast: the axes, curves and text are not drawn again."""

    def __init__(self, figsize):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=100)  # not pyplot's: never shown by itself
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()

    def redraw(self, markers):
        """Draw the figure without ``markers`` (animated artists) and keep the picture."""
        self.markers = markers
        for artist in markers:
            artist.set_animated(True)  # left out of canvas.draw(), drawn by png()
        self.figure.tight_layout()
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def png(self):
        """Paste the markers onto the kept picture; return it as PNG bytes."""
        from PIL import Image

        self.canvas.restore_region(self.background)
        for artist in self.markers:
            self.ax.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw",
                                 "RGBA", 0, 1)
        # 128 colours (octree quantizer, method 2) keep the picture and cut the PNG to a third:
        # fast to send, and small where the notebook saves the widgets' state.
        palette = image.convert("RGB").quantize(colors=128, method=2)
        buffer = io.BytesIO()
        palette.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def methodButtons(methods, method):
    """Toggle buttons choosing one of ``methods`` (the complex step labelled in full)."""
    import ipywidgets as widgets

    buttons = widgets.ToggleButtons(options=[({"complex": "complex step"}.get(m, m), m)
                                             for m in methods], value=method, description="method")
    buttons.style.button_width = "110px"
    return buttons


class Lab:
    """What both labs share: the choices (widgets whose values ``plot.show`` takes, laid out in
    ``rows``), an epsilon slider, a readout, the live figure that ``makePlot(ax)`` draws, and a
    plain-text form that is the same on every machine; ``name`` prefixes the CSS classes."""

    description = "a lab"

    def __init__(self, name, choices, rows, makePlot, epsilon):
        import ipywidgets as widgets

        # within the slider's ends, or the slider would show another epsilon than the readout
        epsilon = checkWithin(checkEpsilon(epsilon), EPSILONS[0], EPSILONS[-1], "epsilon")
        self.choiceWidgets = choices
        for choice in choices:
            choice.observe(self.onChoice, names="value")
        # a log-scale slider from 1e-16 to 1e-1: the limits keep epsilon positive
        self.slider = widgets.FloatLogSlider(
            value=epsilon, base=10, min=-16, max=-1, step=0.125, description="epsilon",
            readout_format=".1e", continuous_update=True, layout=widgets.Layout(width="520px"))
        self.slider.add_class(f"{name}-epsilon")
        self.readout = widgets.HTML()  # the readout text in a <pre> block, set by update
        self.readout.add_class(f"{name}-readout")
        self.live = LiveFigure((6.4, 4.2))
        self.plot = makePlot(self.live.ax)
        self.live.redraw(self.plot.markers)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
        self.widget = widgets.VBox([*rows, self.slider, self.readout, self.image])
        self.widget.add_class(name)
        self.slider.observe(lambda change: self.update(change["new"]), names="value")
        self.update(epsilon)

    def update(self, epsilon=None):
        """What one slider move runs (default: the slider's epsilon; a direct call, as in
        benchmarks/slider_update.py, does not move the slider): compute, write the readout,
        move the marker, re-render. Out: the readout text."""
        epsilon = self.slider.value if epsilon is None else epsilon
        text, error = self.plot.measure(epsilon)
        self.readout.value = (f"<pre style='margin: 0.3em 0; line-height: 1.35'>"
                              f"{html.escape(text)}</pre>")
        self.plot.mark(epsilon, error)
        self.image.value = self.live.png()
        return text

    def onChoice(self, change):
        """Another choice: new curves (the same artists), then update."""
        self.plot.show(*(choice.value for choice in self.choiceWidgets))
        self.live.redraw(self.plot.markers)
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        """Display the widget; as plain text, a sentence that is the same on every machine
        (a widget's own text form lists its traits, which change between ipywidgets versions).
        """
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = (f"{type(self).__name__}: {self.description}. The sliders "
                                f"move in a running kernel; without one, see the static "
                                f"figure of the same curves above.")
        return bundle


class FunctionLab(Lab):
    """Sliders for the numerical slope of x**2, sin or exp: the function, the method (forward,
    centered, complex step), the precision (float64, float32) and epsilon; the readout and the
    U-shaped curve with epsilon marked."""

    description = "epsilon, method and precision for the slope of x², sin(x) or exp(x)"

    def __init__(self, function="sin", method="centered", dtype="float64", epsilon=1e-4):
        import ipywidgets as widgets

        _, method, dtype, _ = checked(function, method, dtype, None)
        small = widgets.Layout(width="220px")
        self.functionChoice = widgets.Dropdown(
            options=[(FUNCTIONS[name].label, name) for name in FUNCTIONS], value=function,
            description="f(x)", layout=small)
        self.dtypeChoice = widgets.Dropdown(options=list(DTYPES), value=dtype,
                                            description="precision", layout=small)
        self.methodChoice = methodButtons(METHODS, method)
        super().__init__("function-lab", [self.functionChoice, self.methodChoice, self.dtypeChoice],
                         [widgets.HBox([self.functionChoice, self.dtypeChoice]), self.methodChoice],
                         lambda ax: ErrorCurveAxes(ax, function, method, dtype, epsilon=epsilon),
                         epsilon)


class NetworkLab(Lab):
    """An epsilon slider and the method (forward or centered) for the gradient check of network
    N (partFive.Neural_Network) on data X, y: describeCheck's text and the network's error curve
    with epsilon marked."""

    description = "epsilon and method for the gradient check of the tutorial's network"

    def __init__(self, N, X, y, method="centered", epsilon=1e-4):
        method = checkChoice(method, tuple(NUMERICAL_GRADIENTS), "method")
        self.methodChoice = methodButtons(tuple(NUMERICAL_GRADIENTS), method)
        super().__init__("network-lab", [self.methodChoice], [self.methodChoice],
                         lambda ax: NetworkCurveAxes(ax, N, X, y, method, epsilon), epsilon)
