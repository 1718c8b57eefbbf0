"""Which weight is which: the layout of a weight vector, pure arithmetic on names and shapes.

Nothing here touches a network (checker.weightVector reads a network's layout from it), so the
judge can name weights and know a precision's rounding without calling anything.
"""

import math
from dataclasses import dataclass
from math import prod

import numpy as np

__all__ = ["WeightLayout", "placeName", "unitRoundoff", "powerOfTwoBelow"]


@dataclass(frozen=True)
class WeightLayout:
    """The arrays a weight vector is made of: ((name, shape), ...) in order, each unrolled row by
    row (numpy's ravel), the way the tutorial's getParams concatenates W1 and W2."""

    arrays: tuple

    def bounds(self):
        """Yield (name, shape, start, stop): where each array sits in the vector."""
        start = 0
        for name, shape in self.arrays:
            stop = start + prod(shape)
            yield name, shape, start, stop
            start = stop

    def split(self, vector):
        """{name: that array's part of ``vector``, shaped like the array} (views, not copies)."""
        return {name: vector[start:stop].reshape(shape)
                for name, shape, start, stop in self.bounds()}

    def places(self, positions):
        """Where the weights at ``positions`` sit: [(array name, index in the array), ...]."""
        positions = np.asarray(positions, dtype=np.int64).reshape(-1)
        places = [None] * len(positions)
        for name, shape, start, stop in self.bounds():
            inside = np.flatnonzero((positions >= start) & (positions < stop))
            indices = np.unravel_index(positions[inside] - start, shape) if shape else ()
            for k, where in enumerate(inside):
                places[where] = (name, tuple(int(axis[k]) for axis in indices))
        return places


def placeName(place):
    """A place as text: ("W1", (0, 2)) is "W1[0, 2]", ("b1", (2,)) "b1[2]", ("", (3,))
    "direction 3" (a directional check's k-th direction), ("scale", ()) "scale"."""
    name, index = place
    if not name:
        return f"direction {index[0]}"
    return f"{name}[{', '.join(map(str, index))}]" if index else name


def unitRoundoff(dtype):
    """u, the largest relative error of one rounding in ``dtype``: 1.1e-16 (float64), 6e-8
    (float32)."""
    return float(np.finfo(dtype).eps) / 2


def powerOfTwoBelow(value):
    """The power of two in (value / 2, value] for a finite value > 0 (0.5 for 0, 1.0 for inf or
    NaN): dividing numbers up to ``value`` by it is exact and leaves them below 2."""
    return math.ldexp(1.0, math.frexp(value)[1] - 1) if math.isfinite(value) else 1.0
