""".ci/run runs exactly the README's test command, and fails when any of its steps fails.

The script is run for real, in a scratch copy of the repository's layout whose commands are
stand-ins: ``python3``, ``apt-get``, ``sudo`` and the virtual environment's ``pip``, ``python``
and ``ruff`` only write their command line to a log and exit 0, except the one named by
FAIL_STEP, which exits 3. A run where nothing fails gives the list of steps; then each step in
turn fails, and .ci/run must stop right there with a non-zero status.
"""

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash")

STAND_IN = """#!/bin/sh
# Records its command line; exits 3 when it is the step named by FAIL_STEP.
line="$(basename "$0") $*"
echo "$line" >> "$STEP_LOG"
if [ "$line" = "$FAIL_STEP" ]; then exit 3; fi
"""

pytestmark = pytest.mark.skipif(BASH is None, reason=".ci/run is a bash script; no bash here")


def readmeTestCommand():
    """The README's test command: the bash block that runs pytest."""
    blocks = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(), re.DOTALL)
    return next(block for block in blocks if "-m pytest" in block)


def standIns(folder, names):
    """Write a stand-in command (STAND_IN) for each name into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = folder / name
        path.write_text(STAND_IN)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)


def runCi(tmp_path, fail="", chromium=False):
    """Run a copy of .ci/run among stand-ins; (exit status, the steps it ran, in order).

    ``fail`` names the step that fails, as the log writes it ("pip install -r ...");
    ``chromium`` says whether a Chromium executable is there already (else .ci/run installs it).
    """
    (tmp_path / ".ci").mkdir(exist_ok=True)
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    standIns(tmp_path / "bin", ["python3", "apt-get", "sudo"])
    standIns(tmp_path / ".venv" / "bin", ["pip", "python", "ruff"])
    log = tmp_path / "steps.log"
    log.write_text("")
    browser = tmp_path / "bin" / ("python3" if chromium else "no-chromium")
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
               STEP_LOG=str(log), FAIL_STEP=fail, CHROMIUM=str(browser))
    done = subprocess.run([BASH, str(tmp_path / ".ci" / "run")], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, log.read_text().splitlines()


def asLogged(command):
    """A command as the stand-ins log it: the program's base name, then its arguments."""
    program, *arguments = command.split()
    return " ".join([os.path.basename(program), *arguments])


def test_ci_runs_the_readme_command_then_the_repeat_runs(tmp_path):
    status, steps = runCi(tmp_path, chromium=True)
    readme = [asLogged(part) for part in readmeTestCommand().split("&&")]
    assert status == 0
    assert steps == readme + ["python -m pytest -m repeat"]


def test_ci_installs_chromium_where_there_is_none(tmp_path):
    status, steps = runCi(tmp_path)
    assert status == 0
    assert steps[:2] == ["apt-get update", "apt-get install -y chromium"]


@pytest.mark.parametrize("failing", range(7))
def test_ci_fails_and_stops_when_any_step_fails(tmp_path, failing):
    _, steps = runCi(tmp_path)
    assert len(steps) == 7
    status, ran = runCi(tmp_path, fail=steps[failing])
    assert status != 0, f".ci/run passed although '{steps[failing]}' failed"
    assert ran == steps[:failing + 1], "steps after the failing one still ran"
