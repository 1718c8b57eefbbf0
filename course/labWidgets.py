"""The epsilon lab's figures and sliders (notebook 10), on top of epsilonLab's numbers.

    ErrorCurveAxes, NetworkCurveAxes
                 the figures, drawn once; their markers move without a redraw
    LiveFigure   a figure kept as a picture, so a slider move only pastes the markers on it
    FunctionLab, NetworkLab
                 the sliders (need ipywidgets): ``lab.update(epsilon)`` is what a slider move
                 runs, computation, readout and figure

matplotlib, Pillow and ipywidgets are imported where they are used, so importing this module
costs nothing until a lab is built.
"""

import html
import io

import numpy as np

from checker.judge import CLASSIC_TOLERANCE
from course.epsilonLab import (
    DTYPES,
    EPSILONS,
    FUNCTIONS,
    METHOD_NAMES,
    METHODS,
    NUMERICAL_GRADIENTS,
    bestEpsilon,
    describeCheck,
    describeSlope,
    errorCurve,
    errorModel,
    networkCheck,
    networkErrorCurve,
    slopeError,
)

__all__ = ["ErrorCurveAxes", "NetworkCurveAxes", "LiveFigure", "FunctionLab", "NetworkLab",
           "FLOOR"]

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


def styleErrorAxes(ax, ylabel):
    """Log-log axes over the slider's range, labelled."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    # A little room beyond the slider's ends, so the marker at 1e-16 or 1e-1 is drawn whole.
    ax.set_xlim(EPSILONS[0] / 2, EPSILONS[-1] * 2)
    ax.set_ylim(FLOOR / 3, 30)
    ax.set_xlabel("epsilon (log scale)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)


class ErrorCurveAxes:
    """The U-shaped error curve of one function, drawn on a matplotlib Axes.

    In:  an Axes; a function name, a method and a dtype; the methods whose measured curves to
         draw (the chosen one thick); the epsilon to mark.
    Draws the measured relative errors, the chosen method's truncation and round-off lines,
    its best epsilon (a star) and the current epsilon (a vertical line and a dot). ``show``
    changes function, method or dtype and ``mark`` moves the marker, both by updating the
    artists' data: nothing is plotted twice.
    """

    def __init__(self, ax, function="sin", method="centered", dtype="float64",
                 methods=METHODS, epsilon=1e-4, legend=True):
        self.ax = ax
        styleErrorAxes(ax, "relative error of the slope (log scale)")
        self.curves = {m: ax.plot([], [], color=COLORS[m], label=METHOD_NAMES[m])[0]
                       for m in methods}
        (self.truncation,) = ax.plot([], [], "k--", linewidth=1, label="truncation error")
        (self.roundoff,) = ax.plot([], [], "k:", linewidth=1.5, label="round-off error")
        (self.best,) = ax.plot([], [], "k*", markersize=14, label="best epsilon")
        self.line = ax.axvline(epsilon, color="gray", linewidth=1)
        (self.dot,) = ax.plot([], [], "o", color="black", markersize=9, markerfacecolor="none",
                              markeredgewidth=2, label="your epsilon")
        self.show(function, method, dtype)
        self.mark(epsilon)
        if legend:  # what is drawn now: no "best epsilon" for a method that has none
            drawn = [line for line in ax.get_lines()
                     if len(line.get_xdata()) and not line.get_label().startswith("_")]
            ax.legend(handles=drawn, loc="lower left", fontsize=8)

    def show(self, function, method, dtype):
        """Draw ``function``'s curves in ``dtype`` with ``method`` highlighted."""
        self.function, self.method, self.dtype = function, method, dtype
        for name, curve in self.curves.items():
            curve.set_data(EPSILONS, onLogAxis(errorCurve(function, EPSILONS, name, dtype)))
            curve.set_linewidth(2.5 if name == method else 1)
            curve.set_alpha(1 if name == method else 0.5)
        truncation, roundoff = errorModel(function, EPSILONS, method, dtype)
        self.truncation.set_data(EPSILONS, modelOnLogAxis(truncation))
        self.roundoff.set_data(EPSILONS, modelOnLogAxis(roundoff))
        best = bestEpsilon(function, method, dtype)
        if best is None:
            self.best.set_data([], [])
        else:
            model = np.add(*errorModel(function, [best], method, dtype))
            self.best.set_data([best], model)
        self.ax.set_title(f"{FUNCTIONS[function].label} at x = {FUNCTIONS[function].x:g}, "
                          f"{METHOD_NAMES[method]}, {dtype}", fontsize=10)

    def mark(self, epsilon, error=None):
        """Move the marker to epsilon; ``error`` (its relative error) is computed if not given."""
        if error is None:
            error = slopeError(self.function, epsilon, self.method, self.dtype).relativeError
        self.line.set_xdata([epsilon, epsilon])
        self.dot.set_data([epsilon], onLogAxis([error]))

    def markers(self):
        """The artists that ``mark`` moves."""
        return [self.line, self.dot]


class NetworkCurveAxes:
    """The relative error of the tutorial network's gradient check against epsilon.

    In:  an Axes; a network N and data X, y; the method to highlight; the epsilon to mark.
    Draws the forward and centered curves (computed once), the check's tolerance and the
    current epsilon; ``show`` and ``mark`` update the artists like ErrorCurveAxes.
    """

    def __init__(self, ax, N, X, y, method="centered", epsilon=1e-4, legend=True):
        self.ax, self.N, self.X, self.y = ax, N, X, y
        styleErrorAxes(ax, "relative error of the gradient (log scale)")
        self.curves = {m: ax.plot(EPSILONS, onLogAxis(networkErrorCurve(N, X, y, EPSILONS, m)),
                                  color=COLORS[m], label=f"{m} differences")[0]
                       for m in NUMERICAL_GRADIENTS}
        ax.axhline(CLASSIC_TOLERANCE, color="black", linestyle="--", linewidth=1,
                   label=f"tolerance {CLASSIC_TOLERANCE:.0e}: below passes")
        self.line = ax.axvline(epsilon, color="gray", linewidth=1)
        (self.dot,) = ax.plot([], [], "o", color="black", markersize=9, markerfacecolor="none",
                              markeredgewidth=2, label="your epsilon")
        ax.set_title("The tutorial's network: backprop against numerical gradients",
                     fontsize=10)
        if legend:
            ax.legend(loc="lower left", fontsize=8)
        self.show(method)
        self.mark(epsilon)

    def show(self, method):
        """Highlight ``method``'s curve."""
        self.method = method
        for name, curve in self.curves.items():
            curve.set_linewidth(2.5 if name == method else 1)
            curve.set_alpha(1 if name == method else 0.5)

    def mark(self, epsilon, error=None):
        """Move the marker to epsilon; ``error`` is computed if not given."""
        if error is None:
            error = networkCheck(self.N, self.X, self.y, epsilon, self.method).relativeError
        self.line.set_xdata([epsilon, epsilon])
        self.dot.set_data([epsilon], onLogAxis([error]))

    def markers(self):
        """The artists that ``mark`` moves."""
        return [self.line, self.dot]


# --- the sliders ----------------------------------------------------------------------------

class LiveFigure:
    """A matplotlib figure shown as PNG bytes, whose markers move without a full redraw.

    ``redraw()`` draws everything but the markers and keeps that picture; ``png()`` pastes the
    markers onto the kept picture (blitting) and encodes it, which is what makes a slider move
    fast: the axes, curves and text are not drawn again.
    """

    def __init__(self, figsize):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=100)  # not pyplot's: never shown by itself
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        self.markers = []
        self.background = None

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


def epsilonSlider(epsilon, cssClass):
    """A log-scale slider from 1e-16 to 1e-1: the limits keep epsilon positive."""
    import ipywidgets as widgets

    slider = widgets.FloatLogSlider(value=epsilon, base=10, min=-16, max=-1, step=0.125,
                                    description="epsilon", readout_format=".1e",
                                    continuous_update=True,
                                    layout=widgets.Layout(width="520px"))
    slider.add_class(cssClass)
    return slider


def methodButtons(methods, method):
    """Toggle buttons to choose one of ``methods`` (short labels, the method names as values)."""
    import ipywidgets as widgets

    labels = {"forward": "forward", "centered": "centered", "complex": "complex step"}
    buttons = widgets.ToggleButtons(options=[(labels[m], m) for m in methods], value=method,
                                    description="method")
    buttons.style.button_width = "110px"
    return buttons


def figureWidget():
    """An image widget for a LiveFigure's PNG, shown at its own size (640 pixels wide)."""
    import ipywidgets as widgets

    return widgets.Image(format="png", layout=widgets.Layout(width="640px"))


def readoutWidget(cssClass):
    """An HTML widget that shows the readout text in a fixed-width font."""
    import ipywidgets as widgets

    box = widgets.HTML()
    box.add_class(cssClass)
    return box


def asHtml(text):
    """Readout text as HTML: a <pre> block, with &, < and > escaped."""
    return f"<pre style='margin: 0.3em 0; line-height: 1.35'>{html.escape(text)}</pre>"


class Lab:
    """What both labs share: a slider, a readout, a live figure, and a stable text form.

    Subclasses set ``self.slider``, ``self.readout``, ``self.image``, ``self.live``,
    ``self.plot`` and ``self.widget``, and define ``compute(epsilon)``, which returns the
    readout text and the relative error for the marker. ipywidgets, matplotlib and Pillow are
    imported only here, by the widgets: the numerical functions above need numpy alone.
    """

    description = "a lab"

    def update(self, epsilon=None):
        """What one slider move does: compute, write the readout, move the marker, re-render.

        In: the new epsilon (default: the slider's). Out: the readout text. The slider calls
        it; a direct call (as in benchmarks/slider_update.py) does not move the slider.
        """
        epsilon = self.slider.value if epsilon is None else epsilon
        text, error = self.compute(epsilon)
        self.readout.value = asHtml(text)
        self.plot.mark(epsilon, error)
        self.image.value = self.live.png()
        return text

    def onEpsilon(self, change):
        """Slider callback."""
        self.update(change["new"])

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
    """Sliders and choices for the numerical slope of x**2, sin or exp.

    Controls: the function, the method (forward, centered, complex step), the precision
    (float64, float32) and epsilon. Shows the readout text and the U-shaped curve with the
    current epsilon marked.
    """

    description = "epsilon, method and precision for the slope of x², sin(x) or exp(x)"

    def __init__(self, function="sin", method="centered", dtype="float64", epsilon=1e-4):
        import ipywidgets as widgets

        self.slider = epsilonSlider(epsilon, "function-lab-epsilon")
        small = widgets.Layout(width="220px")
        self.functionChoice = widgets.Dropdown(
            options=[(FUNCTIONS[name].label, name) for name in FUNCTIONS], value=function,
            description="f(x)", layout=small)
        self.dtypeChoice = widgets.Dropdown(options=list(DTYPES), value=dtype,
                                            description="precision", layout=small)
        self.methodChoice = methodButtons(METHODS, method)
        for choice in (self.functionChoice, self.methodChoice, self.dtypeChoice):
            choice.observe(self.onChoice, names="value")
        self.readout = readoutWidget("function-lab-readout")
        self.live = LiveFigure((6.4, 4.2))
        self.plot = ErrorCurveAxes(self.live.ax, function, method, dtype, epsilon=epsilon)
        self.live.redraw(self.plot.markers())
        self.image = figureWidget()
        self.widget = widgets.VBox([widgets.HBox([self.functionChoice, self.dtypeChoice]),
                                    self.methodChoice, self.slider, self.readout, self.image])
        self.widget.add_class("function-lab")
        self.slider.observe(self.onEpsilon, names="value")
        self.update(epsilon)

    def choices(self):
        """The chosen (function, method, dtype)."""
        return self.functionChoice.value, self.methodChoice.value, self.dtypeChoice.value

    def compute(self, epsilon):
        """The readout text and the relative error for epsilon, with the current choices."""
        function, method, dtype = self.choices()
        result = slopeError(function, epsilon, method, dtype)
        return describeSlope(result), result.relativeError

    def onChoice(self, change):
        """Another function, method or precision: new curves (same artists), then update."""
        self.plot.show(*self.choices())
        self.live.redraw(self.plot.markers())
        self.update()


class NetworkLab(Lab):
    """An epsilon slider for the gradient check of a network, forward or centered.

    In: a network N (partFive.Neural_Network) and its data X, y. Shows describeCheck's text and the
    network's error curve with the current epsilon marked.
    """

    description = "epsilon and method for the gradient check of the tutorial's network"

    def __init__(self, N, X, y, method="centered", epsilon=1e-4):
        import ipywidgets as widgets

        self.N, self.X, self.y = N, X, y
        self.slider = epsilonSlider(epsilon, "network-lab-epsilon")
        self.methodChoice = methodButtons(tuple(NUMERICAL_GRADIENTS), method)
        self.methodChoice.observe(self.onChoice, names="value")
        self.readout = readoutWidget("network-lab-readout")
        self.live = LiveFigure((6.4, 4.2))
        self.plot = NetworkCurveAxes(self.live.ax, N, X, y, method, epsilon)
        self.live.redraw(self.plot.markers())
        self.image = figureWidget()
        self.widget = widgets.VBox([self.methodChoice, self.slider, self.readout, self.image])
        self.widget.add_class("network-lab")
        self.slider.observe(self.onEpsilon, names="value")
        self.update(epsilon)

    def compute(self, epsilon):
        """The readout text and the relative error for epsilon, with the chosen method."""
        method = self.methodChoice.value
        check = networkCheck(self.N, self.X, self.y, epsilon, method)
        return describeCheck(check, method), check.relativeError

    def onChoice(self, change):
        """Another method: highlight its curve, then update."""
        self.plot.show(change["new"])
        self.live.redraw(self.plot.markers())
        self.update()
