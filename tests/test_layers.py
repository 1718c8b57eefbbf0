"""The modules form layers: none imports one above it, so no import cycle can form.

The layers, bottom to top, are declared in pyproject.toml's [tool.tach] (checker.validation ->
checker.weightLayout -> partFour -> the measuring layer (checker.weightVector, fastGradients,
measure) -> checker.judge -> checker.gradientReport -> partFive -> course/: epsilonLab,
labWidgets, bugGallery, exercises, ...); ``tach check`` reads every import of the course's
modules against them. A check flows one way through them: only the measuring layer calls a
network, the judge and the report never do, and the judge does not even import it.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TACH = shutil.which("tach", path=str(Path(sys.executable).parent)) or "tach"


def tachCheck(folder):
    """Run ``tach check`` in ``folder``; return (exit code, what it printed)."""
    result = subprocess.run([TACH, "check"], cwd=folder, capture_output=True, text=True,
                            timeout=120)
    return result.returncode, result.stdout + result.stderr


def test_no_module_imports_one_above_it():
    code, printed = tachCheck(ROOT)
    assert code == 0, printed


def copyWithImport(tmp_path, module, statement):
    """Copy the course's modules and pyproject.toml to tmp_path, with ``statement`` appended to
    ``module`` (a path such as "checker/judge.py"); return tach check's (code, printed) there."""
    for path in [*ROOT.glob("*.py"), *ROOT.glob("checker/*.py"), *ROOT.glob("course/*.py"),
                 ROOT / "pyproject.toml"]:
        (tmp_path / path.parent.relative_to(ROOT)).mkdir(exist_ok=True)
        shutil.copy(path, tmp_path / path.relative_to(ROOT))
    changed = tmp_path / module
    changed.write_text(changed.read_text() + f"\n{statement}  # noqa: E402,F401\n")
    return tachCheck(tmp_path)


def test_an_upward_import_is_caught(tmp_path):
    """Guard the test above: the same check fails when a lower layer imports partFive."""
    code, printed = copyWithImport(tmp_path, "checker/weightVector.py", "import partFive")
    assert code != 0 and "weightVector" in printed and "partFive" in printed, printed


def test_a_judge_importing_the_measuring_layer_is_caught(tmp_path):
    """The measuring layer sits below the judge, yet the judge may not import it: each module's
    depends_on is enforced (layers_explicit_depends_on), not only the order of the layers."""
    code, printed = copyWithImport(tmp_path, "checker/judge.py",
                                   "from checker.weightVector import costValue")
    assert code != 0 and "checker.judge" in printed and "checker.weightVector" in printed, printed


PROTOCOL_CALLS = {"getParams", "setParams", "costFunction", "computeGradients", "forward",
                  "costFunctionPrime"}


def networkCalls(path):
    """The names of the protocol's methods that the module at ``path`` calls."""
    tree = ast.parse(path.read_text())
    return {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr in PROTOCOL_CALLS}


def test_judging_and_reporting_call_no_network():
    for module in ("validation", "weightLayout", "judge", "gradientReport"):
        assert networkCalls(ROOT / "checker" / f"{module}.py") == set(), module


def test_the_judge_imports_nothing_that_calls_a_network():
    """"judge touches no network" holds by its imports: it reads weights' names from the pure
    layout module, never from the measuring layer."""
    tree = ast.parse((ROOT / "checker" / "judge.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    measuring = {"checker.weightVector", "checker.fastGradients", "checker.measure", "partFour",
                 "partFive"}
    assert imported & measuring == set(), imported


def test_the_measuring_layer_does_call_networks():
    """Guard the test above: the scan finds the calls where they are."""
    assert {"setParams", "costFunction"} <= networkCalls(ROOT / "checker" / "measure.py")
    assert "computeGradients" in networkCalls(ROOT / "checker" / "weightVector.py")
