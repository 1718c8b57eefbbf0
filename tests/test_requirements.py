"""requirements*.txt's lower bounds are exactly the versions CI's oldest leg tests, and the
course's editable install makes every module importable from anywhere, leaving nothing in
the repository."""

import re
import subprocess
import sys
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


# The course's modules: every *.py file at the top level and in checker/ and course/
# (pyproject.toml's [tool.hatch.build.targets.wheel] include), installed by requirements.txt's
# `-e .`.
FILES = sorted([*ROOT.glob("*.py"), *ROOT.glob("checker/*.py"), *ROOT.glob("course/*.py")])
MODULES = [".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
           for path in FILES]


def test_every_module_imports_from_the_notebooks_folder():
    """A notebook's kernel runs in notebooks/, where no module is: each imports all the same,
    from this repository, through the installed project alone (-I: no current folder, no
    PYTHONPATH on the import path)."""
    script = ("import importlib\n"
              f"for name in {MODULES!r}: print(importlib.import_module(name).__file__)")
    done = subprocess.run([sys.executable, "-I", "-c", script], cwd=ROOT / "notebooks",
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(path) for path in FILES]
    assert {"partFour", "partFive", "checker.measure", "checker.judge",
            "course.exercises"} <= set(MODULES)


def test_installing_the_course_leaves_nothing_in_the_repository():
    """The editable install is a .pth file in the environment: no egg-info or build folder
    appears next to the modules, in the learner's file browser."""
    leftovers = [path.name for path in [*ROOT.glob("*.egg-info"), ROOT / "build", ROOT / "dist"]
                 if path.exists()]
    assert not leftovers, f"build leftovers in the repository (delete them): {leftovers}"
