"""Notebook 10's sliders in a real browser: JupyterLab and Notebook 7, in headless Chromium.

For each front end the test starts a Jupyter server on 127.0.0.1 (a free port, a random token)
that serves a copy of notebook 10 from a temporary folder (so the course's own file is never
autosaved), opens it with Playwright, runs all cells from the Run menu, and then:

1. presses End on the epsilon slider (its maximum, 1e-1) and types 1e-8 into the slider's
   readout: each time the lab's readout must become exactly ``epsilonLab.readout`` for that
   epsilon, computed here;
2. types 1e-12 into the network lab's slider: its readout must become ``networkReadout``.

(The arrow keys may not reach the slider in Notebook 7; End and typing do, in both.) A
screenshot of the lab is saved in tests/browser/ (ignored by git). The server is stopped
through /api/shutdown, and killed if it does not stop.

Needs Playwright for Python (requirements-dev.txt) and a Chromium: Debian's ``chromium`` package
at /usr/bin/chromium (Playwright's own browser download is not used), or the path in $CHROMIUM.
Without them the test skips, saying how to enable it; when CI=true it fails instead.
"""

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from conftest import jupyterHome, networkReadout

from course.epsilonLab import readout
from partFive import Neural_Network, X, y

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "10-The-Epsilon-Lab.ipynb"
SCREENSHOTS = ROOT / "tests" / "browser"
FRONT_ENDS = {  # name: (jupyter subcommand, URL path of a notebook)
    "jupyterlab": ("lab", "lab/tree/"),
    "notebook7": ("notebook", "notebooks/"),
}
SETTINGS = {  # front-end settings for the test's server (JupyterLab and Notebook 7 read both)
    # JupyterLab 4.2 leaves cells outside the window unrendered ("full" windowing), where no
    # key press can reach a slider; "none" renders every cell, as Notebook 7 does.
    "notebook-extension/tracker": {"windowingMode": "none"},
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
TIMEOUT = 60  # seconds for the server, the kernel or the whole notebook to get ready
SETTLE = 15  # seconds for one slider move to reach the kernel and come back


def freePort():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A running Jupyter server: its base URL, token, log file, and its REST API."""

    def __init__(self, url, token, log):
        self.url, self.token, self.log = url, token, log

    def api(self, path, method="GET"):
        """Call the server's REST API at ``path``; return the decoded JSON answer (or None)."""
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def logTail(self):
        """The last lines the server wrote, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-25:])

    def waitForIdleKernel(self, notebook):
        """Wait until the kernel of ``notebook``'s session has started and is idle."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for session in self.api("/api/sessions"):
                if session["path"] == notebook and \
                        session["kernel"]["execution_state"] == "idle":
                    return
            time.sleep(0.25)
        pytest.fail(f"no idle kernel for {notebook} after {TIMEOUT} s:\n{self.logTail()}")


@contextmanager
def jupyterServer(frontEnd, folder):
    """Start ``jupyter lab`` or ``jupyter notebook`` serving ``folder``/notebooks; yield a
    Server; stop it through /api/shutdown (kill it if that fails) however the test ends."""
    port, token = freePort(), secrets.token_hex(16)
    home = folder / "jupyter"  # config, data, runtime and settings: nothing of the user's
    env = jupyterHome(home, SETTINGS)
    command = [sys.executable, "-m", "jupyter", FRONT_ENDS[frontEnd][0], "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={folder / 'notebooks'}", "--allow-root"]
    log = folder / "server.log"
    server = Server(f"http://127.0.0.1:{port}", token, log)
    with open(log, "w") as logFile:
        process = subprocess.Popen(command, stdout=logFile, stderr=subprocess.STDOUT, env=env,
                                   stdin=subprocess.DEVNULL, cwd=folder)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the Jupyter server exited with {process.returncode}:\n"
                            f"{server.logTail()}")
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"the Jupyter server did not answer in {TIMEOUT} s:\n"
                                f"{server.logTail()}")
                time.sleep(0.2)
        yield server
    finally:
        stop(process, server)


def stop(process, server):
    """Shut the server down through its API; terminate, then kill, only if that fails."""
    if process.poll() is None:
        try:
            server.api("/api/shutdown", method="POST")
        except (urllib.error.URLError, ConnectionError):
            pass  # already going down: wait below
    for ending in (None, process.terminate, process.kill):
        if ending is not None:
            ending()
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


def waitForText(locator, expected, timeout=SETTLE):
    """Wait until the element shows exactly ``expected``; return the text it shows last."""
    deadline = time.monotonic() + timeout
    text = None
    while time.monotonic() < deadline:
        if locator.count():
            text = locator.first.inner_text()
            if text == expected:
                break
        time.sleep(0.1)
    return text


def typeInto(page, readoutLocator, value):
    """Type ``value`` into a slider's editable readout and press Enter."""
    readoutLocator.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("frontEnd", list(FRONT_ENDS))
def test_the_slider_moves_the_readout_to_what_the_module_computes(browser, frontEnd, tmp_path):
    (tmp_path / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, tmp_path / "notebooks" / NOTEBOOK.name)
    np.random.seed(0)
    N = Neural_Network()  # the notebook's network: seed 0

    with jupyterServer(frontEnd, tmp_path) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        try:
            page.goto(f"{server.url}/{FRONT_ENDS[frontEnd][1]}{NOTEBOOK.name}"
                      f"?token={server.token}")
            server.waitForIdleKernel(NOTEBOOK.name)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            functionReadout = page.locator(".function-lab-readout pre")
            networkReadoutBox = page.locator(".network-lab-readout pre")
            expected = readout("sin", 1e-4)
            assert waitForText(functionReadout, expected, TIMEOUT) == expected
            assert waitForText(networkReadoutBox, networkReadout(N, X, y), TIMEOUT) == \
                networkReadout(N, X, y)
            server.waitForIdleKernel(NOTEBOOK.name)

            page.locator(".function-lab-epsilon .noUi-handle").first.press("End")
            expected = readout("sin", 1e-1)
            assert waitForText(functionReadout, expected) == expected

            typeInto(page, page.locator(".function-lab-epsilon .widget-readout").first, "1e-8")
            expected = readout("sin", 1e-8)
            assert waitForText(functionReadout, expected) == expected

            typeInto(page, page.locator(".network-lab-epsilon .widget-readout").first, "1e-12")
            expected = networkReadout(N, X, y, 1e-12)
            assert waitForText(networkReadoutBox, expected) == expected

            page.locator(".function-lab").first.evaluate(
                "lab => lab.scrollIntoView({block: 'start'})")
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{frontEnd}.png")
        finally:
            page.close()
