"""Build the course's website from the saved notebooks: a static site that works offline.

Usage::

    python tools/build_site.py [--output FOLDER]

It writes the site to ``FOLDER/html`` (default ``site/_build/html``; open its ``index.html``)
in four steps, and never re-executes a notebook (myst-nb's ``nb_execution_mode = "off"``):

1. What the pages load from the site itself, so that no page fetches anything from elsewhere:
   MathJax (and its fonts) and the Jupyter widget manager, ``@jupyter-widgets/html-manager``
   (and its icon fonts), pinned in ``site/package.json`` and ``site/package-lock.json``.
   ``npm ci`` installs them into ``site/node_modules`` (git ignores it) when that folder is
   missing or was installed from another lock file; otherwise npm is not run, so a rebuild
   needs no internet. The files the site serves are copied to ``FOLDER/vendor``.
2. The notebooks, copied to ``FOLDER/source`` and adjusted for the web; the notebooks in
   ``notebooks/`` are never changed:
   - ``00-Index.ipynb`` becomes ``index.ipynb`` (the home page, ``index.html``), links to it
     follow, and it gets the sidebar's two tracks (hidden toctrees, split like the index's
     list: a chapter whose opening cells start with ``*Going deeper`` goes deeper);
   - a cell whose source is collapsed in Jupyter (``jupyter.source_hidden``: model answers,
     long drawing code) gets the ``hide-input`` tag, which collapses it on the page;
   - the set-up cell (it installs the modules where they are missing) is left out;
   - the Colab and Binder badges (images on other servers) become text links;
   - a cell with saved widgets (the epsilon lab's sliders) gets a note before it: they are a
     snapshot, and links run the notebook live.
3. Sphinx with myst-nb and sphinx-book-theme (``site/conf.py``), warnings as errors
   (``-W --keep-going``), in a subprocess.
4. The download button of each page gets the notebook as saved (not its web version).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

ROOT = Path(__file__).resolve().parent.parent


def load_navigation():
    """tools/navigation.py, the one place that knows the notebooks' titles, tracks, badges and
    REPOSITORY, loaded from its file (tools/ is no package)."""
    spec = importlib.util.spec_from_file_location("navigation", ROOT / "tools" / "navigation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


navigation = load_navigation()
SITE = ROOT / "site"
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUTPUT = SITE / "_build"
NODE_MODULES = SITE / "node_modules"
# Written into node_modules after a successful ``npm ci``: the hash of the files it installed from.
STAMP = NODE_MODULES / ".installed-from"
# conf.py reads the vendor folder (step 1's copies) from this environment variable.
VENDOR_VARIABLE = "COURSE_SITE_VENDOR"

# What the site serves of each npm package: (package, the files and folders to copy, where in
# _static they go, each by its own name). MathJax: its TeX-to-HTML bundle and what that loads
# from beside it (fonts, TeX extensions, the menu and its accessibility parts). The widget
# manager: its standalone bundle (base and controls widgets inside) and its icon fonts.
MATHJAX = ("mathjax", ["LICENSE", "es5/tex-chtml.js", "es5/input", "es5/output", "es5/ui",
                       "es5/a11y", "es5/sre"], "mathjax")
WIDGETS = ("@jupyter-widgets/html-manager", [
    "dist/embed.js", "dist/embed.js.LICENSE.txt", "dist/*.woff2", "dist/*.woff", "dist/*.ttf",
    "dist/*.eot", "dist/*.svg"], "widgets")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HIDE_INPUT = "hide-input"
REMOVE_CELL = "remove-cell"
HOME = "index.ipynb"
# A linked image: [![alt](image)](target)
LINKED_IMAGE = re.compile(r"\[!\[([^\]]*)\]\(([^)\s]+)\)\]\(([^)\s]+)\)")
REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\((https?:)?//")
SNAPSHOT_NOTE = """```{{admonition}} A snapshot
:class: note snapshot
The sliders below are as the notebook saved them, with their figure: no Python runs behind
this page, so moving them changes nothing. To move them, run the notebook live: {links}.
```"""


class SiteError(Exception):
    """Something the build needs is missing or wrong; the message says what."""


# --- step 1: MathJax and the widget manager, from npm ------------------------------------------

def lock_hash() -> str:
    """The hash of site/package.json and site/package-lock.json."""
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((SITE / name).read_bytes())
    return digest.hexdigest()


def install_packages() -> bool:
    """Run ``npm ci`` in site/ unless node_modules holds what the lock file pins.

    Returns whether npm ran. Raises SiteError if npm is needed and missing or fails."""
    if STAMP.is_file() and STAMP.read_text().strip() == lock_hash():
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise SiteError("npm is needed once, to fetch MathJax and the widget manager from the "
                        "npm registry (install Node.js, which comes with npm)")
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(command, cwd=SITE)
    if done.returncode != 0:
        raise SiteError(f"{' '.join(command[1:])} failed in {SITE} (exit status "
                        f"{done.returncode}); it needs the npm registry once")
    STAMP.write_text(lock_hash() + "\n")
    return True


def copy_vendor(vendor: Path) -> None:
    """Copy what the site serves from node_modules into ``vendor`` (emptied first)."""
    shutil.rmtree(vendor, ignore_errors=True)
    for package, patterns, target in (MATHJAX, WIDGETS):
        source = NODE_MODULES / package
        (vendor / target).mkdir(parents=True)
        for pattern in patterns:
            found = sorted(source.glob(pattern))
            if not found:
                raise SiteError(f"{source / pattern} is missing: delete {NODE_MODULES} and "
                                f"build again")
            for path in found:
                if path.is_dir():
                    shutil.copytree(path, vendor / target / path.name)
                else:
                    shutil.copy2(path, vendor / target / path.name)


# --- step 2: the notebooks, adjusted for the web -----------------------------------------------

def live_links(name: str) -> str:
    """A notebook file name in, markdown text links that open it on Colab and Binder out
    (navigation's badges, with their images replaced by their alt text)."""
    return LINKED_IMAGE.sub(r"[\1](\3)", navigation.open_links(name)).replace(") [", ") or [")


def web_markdown(source: str) -> str:
    """A markdown cell's source in, the site's version out: badges (linked images on other
    servers) become text links, and links to the index point at the home page."""
    source = LINKED_IMAGE.sub(
        lambda match: f"[{match[1]}]({match[3]})" if re.match(r"(https?:)?//", match[2])
        else match[0], source)
    if REMOTE_IMAGE.search(source):
        raise SiteError(f"an image on another server would not show offline: {source[:200]!r}")
    return source.replace(f"]({navigation.INDEX_NAME})", f"]({HOME})")


def has_widgets(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell has a saved widget among its outputs."""
    return cell.cell_type == "code" and any(WIDGET_VIEW in output.get("data", {})
                                            for output in cell.outputs)


def web_notebook(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A notebook and its file name in; adjusts the notebook for the web, in place, and
    returns it."""
    cells = []
    snapshots = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = web_markdown(cell.source)
        if cell.metadata.get("jupyter", {}).get("source_hidden"):
            tags = cell.metadata.setdefault("tags", [])
            if HIDE_INPUT not in tags:
                tags.append(HIDE_INPUT)
        if cell.cell_type == "code" and cell.source.startswith(navigation.SETUP_MARKER):
            cell.metadata.setdefault("tags", []).append(REMOVE_CELL)  # installs: not for readers
        if has_widgets(cell):
            snapshots += 1
            cells.append(markdown_cell(nb, SNAPSHOT_NOTE.format(links=live_links(name)),
                                       f"site-snapshot-{snapshots}"))
        cells.append(cell)
    nb.cells = cells
    return nb


def markdown_cell(nb: nbformat.NotebookNode, source: str, cell_id: str) -> nbformat.NotebookNode:
    """A new markdown cell for ``nb``, with the id given (none where the notebook's format has
    no cell ids): fixed ids, so that building twice gives the same site."""
    cell = new_markdown_cell(source)
    if nb.nbformat_minor < 5:
        del cell["id"]
    else:
        cell["id"] = cell_id
    return cell


def web_name(name: str) -> str:
    """A notebook's file name in, its name on the site out (the index is the home page)."""
    return HOME if name == navigation.INDEX_NAME else name


def toctree(caption: str, names: list[str]) -> str:
    """A hidden MyST toctree of the notebooks ``names``, under ``caption`` in the sidebar."""
    entries = "\n".join(Path(name).stem for name in names)
    return f"```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{entries}\n```"


def write_sources(source: Path) -> list[str]:
    """Write the web versions of the notebooks into ``source`` (emptied first); returns the
    file names written, the home page first."""
    paths = navigation.find_notebooks(NOTEBOOKS)
    notebooks = navigation.load(paths)
    chapters = paths[1:]
    deeper = [path.name for path in chapters if navigation.is_going_deeper(notebooks[path])]
    core = [path.name for path in chapters if path.name not in deeper]
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    written = []
    for path in paths:
        name = web_name(path.name)
        nb = web_notebook(notebooks[path], path.name)
        if name == HOME:
            nb.cells.append(markdown_cell(nb, toctree("The core track", core), "site-core"))
            if deeper:
                nb.cells.append(markdown_cell(nb, toctree("Going deeper", deeper),
                                              "site-deeper"))
        nbformat.write(nb, source / name)
        written.append(name)
    return written


# --- step 3: Sphinx -----------------------------------------------------------------------------

def run_sphinx(output: Path) -> None:
    """Build ``output/source`` into ``output/html`` with site/conf.py, warnings as errors."""
    for folder in ("html", "doctrees", "jupyter_execute"):
        shutil.rmtree(output / folder, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
               "-c", str(SITE), "-d", str(output / "doctrees"), str(output / "source"),
               str(output / "html")]
    environment = dict(os.environ, **{VENDOR_VARIABLE: str(output / "vendor")})
    done = subprocess.run(command, cwd=ROOT, env=environment)
    if done.returncode != 0:
        raise SiteError(f"sphinx-build failed (exit status {done.returncode}); its messages "
                        f"are above")


def publish_notebooks(html: Path) -> None:
    """Put the notebooks as saved where each page's download button gets its notebook
    (``_sources``), in place of the web versions Sphinx copied there."""
    for path in navigation.find_notebooks(NOTEBOOKS):
        target = html / "_sources" / web_name(path.name)
        if not target.is_file():
            raise SiteError(f"{target} is missing: Sphinx did not copy the notebook's source")
        shutil.copy2(path, target)


def build(output: Path = DEFAULT_OUTPUT) -> Path:
    """Build the site into ``output``; returns the path of its home page."""
    output = output.resolve()
    ran_npm = install_packages()
    print(f"npm: {'installed' if ran_npm else 'up to date, not run'} ({NODE_MODULES})")
    copy_vendor(output / "vendor")
    pages = write_sources(output / "source")
    print(f"notebooks: {len(pages)} copied for the web ({output / 'source'})")
    run_sphinx(output)
    publish_notebooks(output / "html")
    return output / "html" / "index.html"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """Command-line arguments in (None: sys.argv), the parsed options out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"build folder; the site goes to its html/ (default: "
                             f"{DEFAULT_OUTPUT.relative_to(ROOT)})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Command-line arguments in, the exit status out (0 built, 1 failed)."""
    options = parse_arguments(argv)
    start = time.perf_counter()
    try:
        home = build(options.output)
    except SiteError as error:
        print(f"build_site: error: {error}", file=sys.stderr)
        return 1
    print(f"site: {home} (built in {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
