"""The README's command that opens the course prints links that work when pasted.

The command's options are read from README.md (its bash block that runs ``jupyter lab``) and
given to a real ``jupyter lab``, plus ``--no-browser`` and a port that is busy, so the server
moves to another one, as it does on a learner's machine where 8888 is taken. The server runs in
a scratch copy of the repository's layout (README.md, partFour.py, notebooks/00-Index.ipynb), so
nothing the browser does can touch the course's own files; its Jupyter config, data, runtime,
settings and workspaces live there too, so the user's are neither read nor written.

Every link the server prints must:

1. be one URL with one query, which carries the token;
2. fetched (urllib, following the redirects), end on JupyterLab's page for
   notebooks/00-Index.ipynb with ``file-browser-path=/``, not on the login page;
3. in a fresh headless Chromium, show 00-Index.ipynb open in the main area and the file browser
   at the root (``notebooks``, ``README.md``, ``partFour.py``, and no ``00-Index.ipynb``). The
   file:// page the server writes for opening a browser (the one it opens without
   ``--no-browser``) must do the same.

Why it works: ``--LabApp.default_url=/`` makes the server print (and open) its root, ``/?token=``;
the root redirects to the ``default_url`` of ``--ServerApp.tornado_settings`` and, the target
having a query already, joins the token with ``&`` (jupyter_server's RedirectWithParams). With the
target itself as the default URL, the server printed ``...?file-browser-path=/?token=...``: the
token became part of file-browser-path, and the pasted link opened the login page.

The Chromium part needs what tests/test_browser.py needs (Playwright, and Chromium at
/usr/bin/chromium or $CHROMIUM): without them it skips, saying so; when CI=true it fails.
"""

import html.parser
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import jupyterHome

ROOT = Path(__file__).resolve().parent.parent
INDEX = "notebooks/00-Index.ipynb"
ROOT_ENTRIES = {"notebooks", "README.md", "partFour.py"}  # what the scratch root holds
SETTINGS = {"apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False}}
TIMEOUT = 60  # seconds for the server to print its links, or a page to show what it must


def readmeOpenCommand():
    """The options of the README's ``jupyter lab`` command, split as a POSIX shell does."""
    blocks = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(), re.DOTALL)
    block = next(block for block in blocks if "jupyter lab" in block)
    words = shlex.split(block.split("&&")[-1])
    assert words[:2] == [".venv/bin/jupyter", "lab"], block
    return words[2:]


class Server:
    """A running ``jupyter lab``: the links it printed, its log, and how to stop it."""

    def __init__(self, process, log):
        self.process, self.log = process, log
        self.links, self.openFile = [], None

    def logText(self):
        return self.log.read_text(errors="replace")

    def waitForLinks(self):
        """Wait for the "copy and paste one of these URLs" message; read every printed link."""
        deadline = time.monotonic() + TIMEOUT
        while "Or copy and paste one of these URLs" not in self.logText():
            if self.process.poll() is not None:
                pytest.fail(f"jupyter lab exited with {self.process.returncode}:\n"
                            f"{self.logText()}")
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab printed no links in {TIMEOUT} s:\n{self.logText()}")
            time.sleep(0.2)
        time.sleep(0.5)  # the message is one log record: let it reach the file whole
        text = self.logText()
        self.links = list(dict.fromkeys(re.findall(r"https?://\S+", text)))
        opening = re.search(r"file://\S+", text)
        self.openFile = opening.group(0) if opening else None

    def stop(self):
        """Shut the server down through its API; terminate, then kill, only if that fails."""
        printed = re.search(r":(\d+)/\S*token=(\w+)", " ".join(self.links))
        if self.process.poll() is None and printed:
            port, token = printed.groups()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/shutdown",
                                             method="POST",
                                             headers={"Authorization": f"token {token}"})
            try:
                with urllib.request.urlopen(request, timeout=10):
                    pass
            except (urllib.error.URLError, ConnectionError):
                pass  # going down already, or not answering: terminate below
        for ending in (None, self.process.terminate, self.process.kill):
            if ending is not None:
                ending()
            try:
                self.process.wait(timeout=15)
                return
            except subprocess.TimeoutExpired:
                continue


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``jupyter lab`` with the README's options, started in a scratch copy of the repository's
    layout, on a busy port (it moves to a free one); its printed links read."""
    folder = tmp_path_factory.mktemp("open-command")
    for name in ("README.md", "partFour.py", INDEX):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, folder / name)
    home = tmp_path_factory.mktemp("jupyter")
    env = jupyterHome(home, SETTINGS)
    rootOnly = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    log = home / "server.log"
    with socket.socket() as busy:  # the port the server is told to use, taken
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "jupyter", "lab", *readmeOpenCommand(), "--no-browser",
                   f"--ServerApp.port={port}", *rootOnly]
        with open(log, "w") as logFile:
            process = subprocess.Popen(command, stdout=logFile, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, cwd=folder, env=env)
        running = Server(process, log)
        try:
            running.waitForLinks()
        except BaseException:
            running.stop()
            raise
    try:
        yield running
    finally:
        running.stop()


class ConfigData(html.parser.HTMLParser):
    """The JSON of a Jupyter page's <script id="jupyter-config-data">, as ``self.data``."""

    def __init__(self):
        super().__init__()
        self.inside, self.text, self.data = False, "", None

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("id", "jupyter-config-data") in attrs

    def handle_data(self, data):
        if self.inside:
            self.text += data

    def handle_endtag(self, tag):
        if self.inside:
            self.data, self.inside = json.loads(self.text), False


def test_each_printed_link_carries_the_token_and_opens_the_index(server):
    assert server.links, f"no links printed:\n{server.logText()}"
    for link in server.links:
        parts = urllib.parse.urlsplit(link)
        assert link.count("?") == 1 and "token" in urllib.parse.parse_qs(parts.query), link
        with urllib.request.urlopen(link, timeout=30) as answer:
            final, page = answer.geturl(), answer.read().decode()
        finalParts = urllib.parse.urlsplit(final)
        assert finalParts.path == f"/lab/tree/{INDEX}", f"{link} ended on {final}"
        assert urllib.parse.parse_qs(finalParts.query)["file-browser-path"] == ["/"], final
        config = ConfigData()
        config.feed(page)
        assert config.data["treePath"] == INDEX, final


def test_each_printed_link_shows_the_index_and_the_root_in_chromium(server, browser):
    assert server.links and server.openFile, server.logText()
    for link in [*server.links, server.openFile]:
        context = browser.new_context(viewport={"width": 1280, "height": 800})  # no cookies
        try:
            page = context.new_page()
            page.goto(link)
            page.wait_for_url(re.compile(r"^https?://"), timeout=TIMEOUT * 1000)  # file:// too
            assert "/login" not in page.url, f"{link} showed the login page: {page.url}"
            tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current "
                               ".lm-TabBar-tabLabel", has_text="00-Index.ipynb")
            tab.wait_for(timeout=TIMEOUT * 1000)
            page.wait_for_function(
                """names => names.every(name => [...document.querySelectorAll(
                    '.jp-FileBrowser .jp-DirListing-itemText')].some(
                    item => item.textContent.trim() === name))""",
                arg=sorted(ROOT_ENTRIES), timeout=TIMEOUT * 1000)
            listed = {name.strip() for name in
                      page.locator(".jp-FileBrowser .jp-DirListing-itemText").all_inner_texts()}
            assert listed == ROOT_ENTRIES, f"{link}: the file browser lists {sorted(listed)}"
            assert page.locator(".jp-NotebookPanel:visible").count() == 1, link
        finally:
            context.close()
