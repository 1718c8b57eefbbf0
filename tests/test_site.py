"""The course's website works offline and reads like the notebooks.

The site is built once per session, as the README builds it (``tools/build_site.py``, in a
subprocess, into a temporary folder), served on 127.0.0.1 and every page opened in headless
Chromium, with every request off 127.0.0.1 recorded and refused. Then, page by page: the math
is typeset (no raw TeX left in the prose), every image loads, every local link resolves, no
request left the machine, the model answers and long drawing code are collapsed, exercises
and self-checks are marked, the report's tables have lines, each notebook has its links to
run it live, and the epsilon lab shows its saved sliders with a note that they are a snapshot.

The build needs npm (once, to fetch MathJax and the widget manager from the npm registry) and
the site's requirements (requirements-site.txt, in requirements-dev.txt); Chromium as the
browser tests do. Without them the tests are skipped with a message, except when CI=true,
where they fail.
"""

import contextlib
import functools
import http.server
import importlib.util
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import nbformat
import pytest
from conftest import skipOrFail

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "tools" / "build_site.py"
NOTEBOOKS = ROOT / "notebooks"
SITE_PACKAGES = ("sphinx", "myst_nb", "sphinx_book_theme")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def loadTool(name):
    """A module of tools/ (navigation, build_site), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


navigation = loadTool("navigation")
PATHS = navigation.find_notebooks(NOTEBOOKS)
SOURCES = {path.name: nbformat.read(path, as_version=4) for path in PATHS}
# A notebook's page: the index is the home page.
PAGES = {path.name: "index.html" if path.name == navigation.INDEX_NAME else f"{path.stem}.html"
         for path in PATHS}

# Raw TeX in the prose: a command (\frac, \epsilon), a math delimiter \( \[ or a $ before math.
RAW_TEX = re.compile(r"\\[A-Za-z]{2,}|\\[()\[\]]|\$[^\s$]")


def siteMissing():
    """What is missing to build the site, as a sentence, or None."""
    missing = []
    if shutil.which("npm") is None:
        missing.append("npm (it comes with Node.js)")
    packages = [name for name in SITE_PACKAGES if importlib.util.find_spec(name) is None]
    if packages:
        missing.append(f"{', '.join(packages)} (pip install -r requirements-site.txt)")
    return " and ".join(missing) or None


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The built site's folder (html/), built once; skipped (failed when CI=true) without npm
    or the site's packages."""
    skipOrFail("the website's tests", siteMissing())
    output = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, str(BUILD), "--output", str(output)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"the site did not build:\n{done.stdout}\n{done.stderr}"
    return output / "html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, logging nothing."""

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def served(site):
    """The site served on 127.0.0.1 from a thread; its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


# Read in the page, after it loaded and MathJax typeset it: what the tests look at.
FACTS = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        await MathJax.startup.promise;
    }
    const visible = (element) => element.checkVisibility();
    const prose = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (parent.closest("pre, code, script, style, mjx-container, .highlight, textarea")) {
            continue;
        }
        if (visible(parent)) prose.push(walker.currentNode.textContent);
    }
    const cells = (tag) => [...document.querySelectorAll(`.cell.tag_${tag}`)];
    const label = (cell) => getComputedStyle(cell, "::before").content.replace(/^"|"$/g, "");
    const caption = (p) => ({
        caption: p.textContent.trim(),
        pages: [...p.nextElementSibling.querySelectorAll("a")].map((a) => a.href),
    });
    const cellStyle = document.querySelector(".cell_output td");
    return {
        title: document.querySelector("main h1")?.textContent.replace(/#$/, "").trim(),
        prose: prose.join(" "),
        math: document.querySelectorAll(".math").length,
        untypeset: [...document.querySelectorAll(".math")]
            .filter((math) => !math.querySelector("mjx-container")).map((math) => math.textContent),
        images: [...document.images].map((image) => ({
            src: image.src, loaded: image.complete && image.naturalWidth > 0})),
        links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
        ids: [...document.querySelectorAll("[id]")].map((element) => element.id),
        collapsed: cells("hide-input").map((cell) => {
            const details = cell.querySelector("details");
            return {closed: Boolean(details) && !details.open,
                    sourceHidden: !visible(cell.querySelector(".cell_input"))};
        }),
        labels: Object.fromEntries(["exercise", "self-check", "solution"]
            .map((tag) => [tag, cells(tag).map(label)])),
        tableCell: cellStyle && {
            border: getComputedStyle(cellStyle).borderTopStyle,
            borderWidth: parseFloat(getComputedStyle(cellStyle).borderTopWidth),
            padding: parseFloat(getComputedStyle(cellStyle).paddingLeft)},
        live: [...document.querySelectorAll("main a")]
            .filter((a) => /^Open in (Colab|Binder)$/.test(a.textContent.trim()))
            .map((a) => ({text: a.textContent.trim(), href: a.href})),
        sidebar: [...document.querySelectorAll(".bd-docs-nav p.caption")].map(caption),
        previous: document.querySelector("a.left-prev")?.href ?? null,
        next: document.querySelector("a.right-next")?.href ?? null,
        footer: document.querySelector(".bd-footer-content")?.textContent ?? "",
        sliders: [...document.querySelectorAll(".widget-hslider")].map((slider) => ({
            visible: visible(slider),
            readout: slider.querySelector(".widget-readout")?.textContent.trim() ?? ""})),
        widgetImages: document.querySelectorAll(".jupyter-widgets img").length,
        snapshots: [...document.querySelectorAll(".admonition.snapshot")].map(
            (note) => ({text: note.textContent, links: [...note.querySelectorAll("a")]
                .map((a) => a.href)})),
    };
}"""


def pageName(url):
    """A URL (or a relative link) in, the file name of the page it opens out."""
    return urlparse(url).path.split("/")[-1] or "index.html"


def isLocal(url, base):
    """Whether a request stays on this machine: the served site, or data the page made."""
    return url.startswith(base) or url.split(":", 1)[0] in ("data", "blob", "about")


@pytest.fixture(scope="session")
def pages(browser, served, site):
    """Every page of the site, opened in Chromium: {file name: what it shows (FACTS), with
    the requests it made off 127.0.0.1 and the ones that failed}."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    names = sorted(path.name for path in site.glob("*.html"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    offsite, failed = [], []

    def refuseOffsite(route):
        if isLocal(route.request.url, served):
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    context.route("**/*", refuseOffsite)
    seen = {}
    try:
        for name in names:
            offsite.clear()
            failed.clear()
            page = context.new_page()
            page.on("response", lambda response: response.status >= 400
                    and failed.append(f"{response.status} {response.url}"))
            page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
            page.goto(served + name, wait_until="load")
            if page.locator(f"script[type='{WIDGET_STATE}']").count():
                # The widget manager renders the saved widgets after the page has loaded; if
                # it does not, the facts show no sliders and the epsilon lab's test says so.
                with contextlib.suppress(PlaywrightTimeout):
                    page.wait_for_selector(".widget-hslider", timeout=10_000)
                    page.wait_for_function("[...document.images].every((image) => "
                                           "image.complete)", timeout=10_000)
            facts = page.evaluate(FACTS)
            facts.update(offsite=list(offsite), failed=list(failed))
            seen[name] = facts
            page.close()
    finally:
        context.close()
    return seen


def test_every_notebook_is_a_page_the_index_the_home_page(pages):
    assert set(PAGES.values()) <= set(pages), sorted(pages)
    for name, page in PAGES.items():
        assert pages[page]["title"] == navigation.notebook_title(SOURCES[name], Path(name))
    assert "Stephen Welch" in pages["index.html"]["prose"]


def test_the_sidebar_shows_the_two_tracks_and_pages_link_previous_and_next(pages):
    chapters = [path.name for path in PATHS[1:]]
    deeper = [name for name in chapters if navigation.is_going_deeper(SOURCES[name])]
    core = [name for name in chapters if name not in deeper]
    assert core and deeper
    order = [PAGES[path.name] for path in PATHS]
    for page in order:
        sidebar = [{"caption": group["caption"], "pages": [pageName(href) for href in
                                                           group["pages"]]}
                   for group in pages[page]["sidebar"]]
        assert sidebar == [
            {"caption": "The core track", "pages": [PAGES[name] for name in core]},
            {"caption": "Going deeper", "pages": [PAGES[name] for name in deeper]},
        ], page
    for before, page, after in zip([None, *order], order, [*order[1:], None]):
        links = [pages[page][way] and pageName(pages[page][way]) for way in ("previous", "next")]
        assert links == [before, after], page


def test_every_page_credits_the_tutorial(pages):
    for name, page in pages.items():
        footer = " ".join(page["footer"].split())
        assert "Stephen Welch" in footer and "Neural Networks Demystified" in footer, name
        assert "Welch Labs" in footer, name


def test_no_request_leaves_the_machine_and_every_resource_loads(pages):
    for name, page in pages.items():
        assert page["offsite"] == [], f"{name} requested from elsewhere: {page['offsite']}"
        assert page["failed"] == [], f"{name}: {page['failed']}"


def test_the_math_is_typeset(pages):
    typeset = [name for name, page in pages.items() if page["math"]]
    assert len(typeset) >= 10, typeset
    for name, page in pages.items():
        assert page["untypeset"] == [], f"{name}: math left as TeX: {page['untypeset'][:3]}"
        raw = [page["prose"][max(0, m.start() - 30):m.end() + 30]
               for m in RAW_TEX.finditer(page["prose"])]
        assert raw == [], f"{name}: raw TeX in the text: {raw[:3]}"


def test_every_image_loads(pages):
    for name, page in pages.items():
        broken = [image["src"] for image in page["images"] if not image["loaded"]]
        assert broken == [], f"{name}: images that did not load: {broken}"
    figures = sum(1 for output in SOURCES.values() for cell in output.cells
                  if cell.cell_type == "code" for item in cell.outputs
                  if "image/png" in item.get("data", {}))
    shown = sum(1 for page in pages.values() for image in page["images"]
                if "/_images/" in image["src"])
    assert shown == figures


def test_every_local_link_resolves(pages, served):
    targets = {}
    for name, page in pages.items():
        for link in page["links"]:
            if isLocal(link, served) and not link.startswith(("data:", "blob:", "about:")):
                targets.setdefault(link, name)
    assert len(targets) > 50
    for link, name in sorted(targets.items()):
        url, fragment = urldefrag(link)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        assert status == 200, f"{name} links to {link}: HTTP {status}"
        target = pageName(url)
        if fragment and target in pages:
            assert fragment in pages[target]["ids"], f"{name} links to {link}: no such anchor"


def test_model_answers_and_long_drawing_code_are_collapsed(pages):
    for name, page in PAGES.items():
        hidden = [cell for cell in SOURCES[name].cells
                  if cell.metadata.get("jupyter", {}).get("source_hidden")]
        collapsed = pages[page]["collapsed"]
        assert len(collapsed) == len(hidden), page
        assert all(cell["closed"] and cell["sourceHidden"] for cell in collapsed), page
    assert sum(len(pages[page]["collapsed"]) for page in PAGES.values()) >= 10


def test_exercises_self_checks_and_model_answers_are_marked(pages):
    names = {"exercise": "Exercise", "self-check": "Self-check", "solution": "Model answer"}
    for name, page in PAGES.items():
        for tag, word in names.items():
            tagged = [cell for cell in SOURCES[name].cells if tag in cell.metadata.get("tags", [])]
            labels = pages[page]["labels"][tag]
            assert len(labels) == len(tagged), (page, tag)
            assert all(label.startswith(word) for label in labels), (page, labels)
    assert sum(len(pages[page]["labels"]["exercise"]) for page in PAGES.values()) >= 7


def test_the_reports_tables_have_lines_between_columns(pages):
    tables = {name: page["tableCell"] for name, page in pages.items() if page["tableCell"]}
    assert tables
    for name, cell in tables.items():
        assert cell["border"] != "none" and cell["borderWidth"] >= 1, name
        assert cell["padding"] >= 4, name


def test_every_notebook_links_to_run_it_live_without_badge_images(pages):
    repository = navigation.REPOSITORY
    for name, page in PAGES.items():
        live = pages[page]["live"]
        assert {link["text"] for link in live} == {"Open in Colab", "Open in Binder"}, page
        for link in live:
            assert repository in link["href"] and name in link["href"].replace("%2F", "/")
        assert not [image for image in pages[page]["images"] if "badge" in image["src"]]


def test_the_epsilon_lab_shows_its_saved_sliders_as_a_snapshot(pages):
    name = next(path.name for path in PATHS if path.name.startswith("10-"))
    state = SOURCES[name].metadata["widgets"][WIDGET_STATE]
    models = [model["model_name"] for model in state["state"].values()]
    page = pages[PAGES[name]]
    sliders = page["sliders"]
    assert len(sliders) == models.count("FloatLogSliderModel") >= 2
    assert all(slider["visible"] and slider["readout"] for slider in sliders), sliders
    assert page["widgetImages"] == models.count("ImageModel") >= 2
    views = sum(1 for cell in SOURCES[name].cells if cell.cell_type == "code"
                for output in cell.outputs
                if WIDGET_VIEW in output.get("data", {}))
    assert len(page["snapshots"]) == views
    for note in page["snapshots"]:
        assert "snapshot" in note["text"] and "run the notebook live" in note["text"]
        assert any("mybinder.org" in link for link in note["links"])
        assert any("colab.research.google.com" in link for link in note["links"])
    others = [other for other, facts in pages.items() if facts["sliders"] or facts["snapshots"]]
    assert others == [PAGES[name]]


def test_the_workflow_publishes_the_site_built_by_the_readme_command():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Read it as a website\n", 1)[1].split("\n## ", 1)[0]
    command = re.findall(r"```bash\n(.*?)\n```", section, re.DOTALL)
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    runs = re.findall(r"^\s+run: (.*)$", workflow, re.MULTILINE)
    assert len(command) == 1 and runs == command, (command, runs)
    assert "tools/build_site.py" in command[0]
    default = loadTool("build_site").DEFAULT_OUTPUT.relative_to(ROOT) / "html"
    assert re.findall(r"^\s+path: (.*)$", workflow, re.MULTILINE) == [default.as_posix()]


def test_no_page_shows_the_set_up_cell(site):
    """The set-up cell installs the course's modules where they are missing: a reader has no use
    for it."""
    for page in PAGES.values():
        text = (site / page).read_text()
        assert "part5-gradient-checking</span>" not in text and "pip install --quiet git+" \
            not in text, page
        assert "Draw the figures right below the cells" not in text, page
