"""requirements*.txt's lower bounds are exactly the versions CI's oldest leg tests."""

import re
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def pins(text, operator):
    """Lines like 'name>=1.2' (operator '>=') in, {name: Version('1.2')} out."""
    found = {}
    for line in text.splitlines():
        match = re.match(rf"^([A-Za-z0-9_.-]+)\s*{re.escape(operator)}\s*([0-9][^\s;#,]*)", line)
        if match:
            found[match.group(1).lower()] = Version(match.group(2))
    return found


def test_every_lower_bound_is_pinned_for_the_oldest_leg():
    bounds = {}
    for path in ROOT.glob("requirements*.txt"):
        bounds.update(pins(path.read_text(), ">="))
    oldest = pins((ROOT / "constraints-oldest.txt").read_text(), "==")
    assert {"numpy", "matplotlib", "jupyter", "nbval", "ipywidgets"} <= set(bounds)
    assert bounds == oldest
