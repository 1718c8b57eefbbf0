"""Keep the course notebooks' navigation links and table of contents up to date.

In the style of the Python Data Science Handbook's ``tools/`` scripts: every notebook's title is
read with nbformat, and a few *marked* markdown cells are rewritten from those titles. Nothing
else in a notebook is touched: code cells, outputs, execution counts, cell and notebook metadata
stay exactly as they were saved (but for the set-up cell's source, see below).

Conventions
-----------
* The notebooks are the files matching ``[0-9][0-9]-*.ipynb`` in the folder, in name order.
  ``00-Index.ipynb`` is the index (table of contents); the others are the chapters.
* A notebook's title is the first line starting with ``# `` in its first markdown cell (the
  "title cell"), without the ``# ``. A notebook without one is an error naming the file.
* A navigation cell is a markdown cell whose source starts with ``<!--NAVIGATION-->``. Each
  chapter gets one right after its title cell and one as its last cell, both holding e.g.::

      <!--NAVIGATION-->
      < [Previous title](01-A.ipynb) | [Contents](00-Index.ipynb) | [Next title](03-C.ipynb) >

  The first chapter's backward link is ``[Contents](00-Index.ipynb)`` alone and the last
  chapter has no forward link (nor the closing ``>``). The index gets only a bottom cell,
  ``Start: [First title](01-First.ipynb) >``. Navigation cells found anywhere else are removed.
* In the index, the markdown cell whose source starts with ``<!--INDEX-->`` holds a numbered
  list of the chapters, ``1. [Title](01-File.ipynb)``; if there is none, one is inserted right
  after the index's title cell. A chapter whose opening cells (before its first code cell)
  include a markdown cell starting with ``*Going deeper`` is on the going-deeper track: the
  list then shows the core track first and the going-deeper track after it, numbered on.
* Each notebook's top navigation cell also holds "Open in Colab" and "Open in Binder" badges
  for that notebook in the course's GitHub repository (``REPOSITORY``; a fork changes it there).
* Each notebook's first code cell is the set-up cell, a code cell whose source starts with
  ``# Set-up:``: it installs the course's modules from ``REPOSITORY`` where they are missing
  (on Colab) and turns on inline figures (``%matplotlib inline``, so an MPLBACKEND=Agg in the
  environment does not hide them). It is inserted before the first code cell if missing
  (then re-execute the notebook) and its source rewritten if it differs; outputs are kept.
* Rewritten cells keep their cell id (and cell metadata); new cells get an id from nbformat's
  ``new_markdown_cell``. A file is written (with ``nbformat.write``) only if its serialized text
  changes, so a second run changes nothing.

Usage::

    python tools/navigation.py [--check] [folder]

``folder`` defaults to the ``notebooks`` folder next to this script's ``tools`` folder. The
script prints one line per notebook it rewrote. With ``--check`` it writes nothing, prints each
notebook that is out of date and exits with status 1 if there is any (0 otherwise). Errors such
as a missing title are reported on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
INDEX_NAME = "00-Index.ipynb"
NAV_MARKER = "<!--NAVIGATION-->"
INDEX_MARKER = "<!--INDEX-->"
SETUP_MARKER = "# Set-up:"
DEEPER_MARKER = "*Going deeper"  # the first line of a going-deeper chapter's opening cell
CORE_HEADING = ("**The core track: Part 5 from start to finish.** A beginner who stops after it "
                "has the whole of Part 5.")
DEEPER_HEADING = ("**Going deeper** (optional: each notebook says at its top what it "
                  "assumes).")
DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
REPOSITORY = "nn-demystified/part5-gradient-checking"  # GitHub owner/name, for Colab and Binder
SETUP_SOURCE = f"""{SETUP_MARKER} where the course's modules are missing (on Colab), install them.
import importlib.util

if importlib.util.find_spec("partFive") is None:
    %pip install --quiet git+https://github.com/{REPOSITORY}
# Draw the figures right below the cells that make them.
%matplotlib inline"""


class NavigationError(Exception):
    """A notebook folder or notebook that does not follow the conventions."""


def find_notebooks(folder: Path) -> list[Path]:
    """Folder in, the paths of its ``NN-*.ipynb`` notebooks sorted by file name out.

    Raises NavigationError if there are no notebooks or no ``00-Index.ipynb`` among them.
    """
    paths = sorted(folder.glob(NOTEBOOK_GLOB), key=lambda path: path.name)
    if not paths:
        raise NavigationError(f"{folder}: no notebooks matching {NOTEBOOK_GLOB}")
    if paths[0].name != INDEX_NAME:
        raise NavigationError(f"{folder}: {INDEX_NAME} is missing or is not the first notebook")
    return paths


def is_marked(cell: nbformat.NotebookNode, marker: str) -> bool:
    """A cell and a marker in, whether it is a markdown cell whose source starts with it out."""
    return cell.cell_type == "markdown" and cell.source.startswith(marker)


def title_cell_position(nb: nbformat.NotebookNode) -> int | None:
    """A notebook in, the position of its first markdown cell out (None if it has none).

    Navigation cells are skipped, so a misplaced navigation cell cannot hide the title.
    """
    for position, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and not is_marked(cell, NAV_MARKER):
            return position
    return None


def notebook_title(nb: nbformat.NotebookNode, path: Path) -> str:
    """A notebook (and its path, for the message) in, its title out.

    The title is the first ``# `` line of the title cell, without the ``# ``. Raises
    NavigationError naming the file if there is no such line.
    """
    position = title_cell_position(nb)
    if position is not None:
        for line in nb.cells[position].source.splitlines():
            if line.startswith("# ") and line[2:].strip():
                return line[2:].strip()
    raise NavigationError(
        f"{path}: no title: its first markdown cell needs a line starting with '# '"
    )


def link(title: str, name: str) -> str:
    """A link text and a notebook file name in, a markdown link out (brackets escaped)."""
    text = title.replace("[", r"\[").replace("]", r"\]")
    return f"[{text}]({quote(name)})"


def chapter_navigation(previous: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
    """The (title, file name) of the previous and next chapters (or None) in, a nav source out.

    Without a previous chapter the backward link is the contents link alone.
    """
    contents = link("Contents", INDEX_NAME)
    parts = [link(*previous), contents] if previous else [contents]
    line = "< " + " | ".join(parts)
    if following:
        line += " | " + link(*following) + " >"
    return f"{NAV_MARKER}\n{line}"


def open_links(name: str) -> str:
    """A notebook file name in, markdown badges that open it on Colab and on Binder out."""
    colab = f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/notebooks/{name}"
    path = quote(f"notebooks/{name}", safe="")
    binder = f"https://mybinder.org/v2/gh/{REPOSITORY}/main?labpath={path}"
    colabBadge = "https://colab.research.google.com/assets/colab-badge.svg"
    binderBadge = "https://mybinder.org/badge_logo.svg"
    return f"[![Open in Colab]({colabBadge})]({colab}) [![Open in Binder]({binderBadge})]({binder})"


def index_navigation(first: tuple[str, str]) -> str:
    """The (title, file name) of the first chapter in, the index's bottom nav source out."""
    return f"{NAV_MARKER}\nStart: {link(*first)} >"


def is_going_deeper(nb: nbformat.NotebookNode) -> bool:
    """A notebook in, whether it is on the going-deeper track out: a markdown cell before its
    first code cell starts with DEEPER_MARKER ("*Going deeper")."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            return False
        if cell.source.startswith(DEEPER_MARKER):
            return True
    return False


def contents_list(chapters: list[tuple[str, str]], deeper: set[str] = frozenset()) -> str:
    """The chapters' (title, file name) pairs and the file names of the going-deeper ones in,
    the index's contents cell source out: one numbered list, or, when some chapters go deeper,
    the core track first and then the going-deeper track, numbered on."""
    numbered = [f"{number}. {link(*chapter)}" for number, chapter in enumerate(chapters, start=1)]
    if not deeper:
        return "\n".join([INDEX_MARKER, *numbered])
    core = [line for line, (_, name) in zip(numbered, chapters) if name not in deeper]
    more = [line for line, (_, name) in zip(numbered, chapters) if name in deeper]
    return "\n".join([INDEX_MARKER, CORE_HEADING, "", *core, "", DEEPER_HEADING, "", *more])


def markdown_cell(nb: nbformat.NotebookNode, source: str, reuse=None) -> nbformat.NotebookNode:
    """A notebook, a source and maybe an existing cell in, the cell to put in the notebook out.

    An existing cell is reused (same id and cell metadata) with the new source; otherwise a new
    markdown cell is made, without an id if the notebook's format (< 4.5) has no cell ids.
    """
    if reuse is not None:
        reuse.source = source
        return reuse
    cell = new_markdown_cell(source)
    if nb.nbformat_minor < 5:
        del cell["id"]
    return cell


def set_navigation(nb: nbformat.NotebookNode, top: str | None, bottom: str | None) -> None:
    """A notebook and the top and bottom nav sources (None for no cell) in; edits it in place.

    All navigation cells are taken out, then the top one goes right after the title cell and the
    bottom one at the end. The first old cell is reused for the top, the last for the bottom.
    """
    old = [cell for cell in nb.cells if is_marked(cell, NAV_MARKER)]
    nb.cells = [cell for cell in nb.cells if not is_marked(cell, NAV_MARKER)]
    if top is not None:
        position = title_cell_position(nb)
        nb.cells.insert(position + 1, markdown_cell(nb, top, old.pop(0) if old else None))
    if bottom is not None:
        nb.cells.append(markdown_cell(nb, bottom, old.pop() if old else None))


def set_contents(nb: nbformat.NotebookNode, source: str) -> None:
    """The index notebook and its contents cell source in; edits it in place.

    The first ``<!--INDEX-->`` cell is rewritten where it is, or a new one is inserted right
    after the title cell.
    """
    for cell in nb.cells:
        if is_marked(cell, INDEX_MARKER):
            cell.source = source
            return
    nb.cells.insert(title_cell_position(nb) + 1, markdown_cell(nb, source))


def set_setup(nb: nbformat.NotebookNode) -> None:
    """A notebook in; makes its first code cell the set-up cell (SETUP_SOURCE), in place.

    An existing set-up cell gets the current source and keeps its outputs; a missing one is
    inserted, unexecuted, before the first code cell. A notebook without code gets none.
    """
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(SETUP_MARKER):
            cell.source = SETUP_SOURCE
            return
    codes = [position for position, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    if codes:
        cell = new_code_cell(SETUP_SOURCE)
        if nb.nbformat_minor < 5:
            del cell["id"]
        nb.cells.insert(codes[0], cell)


def serialize(nb: nbformat.NotebookNode) -> str:
    """A notebook in, the exact text ``nbformat.write`` would save out."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def load(paths: list[Path]) -> dict[Path, nbformat.NotebookNode]:
    """Notebook paths in, the notebooks (read as nbformat version 4) by path out.

    Raises NavigationError naming the file if one is not a readable notebook.
    """
    notebooks = {}
    for path in paths:
        try:
            notebooks[path] = nbformat.read(path, as_version=4)
        except (ValueError, KeyError) as error:  # nbformat's NotJSONError is a ValueError
            raise NavigationError(f"{path}: not a readable notebook: {error}") from error
    return notebooks


def update_notebooks(folder: Path, write: bool = True) -> list[Path]:
    """A notebook folder in, the paths of the notebooks whose navigation changed out.

    Those notebooks are rewritten unless ``write`` is False. Raises NavigationError if the
    folder has no index or a notebook has no title (before anything is written).
    """
    paths = find_notebooks(folder)
    notebooks = load(paths)
    titled = [(notebook_title(notebooks[path], path), path.name) for path in paths]
    chapters = titled[1:]
    changed = []
    for number, path in enumerate(paths):
        nb = notebooks[path]
        before = serialize(nb)
        links = open_links(path.name)
        if number == 0:
            deeper = {path.name for path in paths[1:] if is_going_deeper(notebooks[path])}
            set_contents(nb, contents_list(chapters, deeper))
            set_navigation(nb, f"{NAV_MARKER}\n{links}",
                           index_navigation(chapters[0]) if chapters else None)
        else:
            previous = titled[number - 1] if number > 1 else None
            following = titled[number + 1] if number + 1 < len(titled) else None
            navigation = chapter_navigation(previous, following)
            set_navigation(nb, f"{navigation}\n\n{links}", navigation)
        set_setup(nb)
        if serialize(nb) != before:
            changed.append(path)
            if write:
                nbformat.write(nb, path)
    return changed


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """Command-line arguments in (None: sys.argv), the parsed options out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list out-of-date notebooks and exit 1 if there are any",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=DEFAULT_FOLDER,
        help=f"notebook folder (default: {DEFAULT_FOLDER})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Command-line arguments in, the exit status out (0 ok, 1 out of date, 2 error)."""
    options = parse_arguments(argv)
    try:
        changed = update_notebooks(options.folder, write=not options.check)
    except (NavigationError, OSError, ValueError) as error:
        print(f"navigation: error: {error}", file=sys.stderr)
        return 2
    for path in changed:
        print(f"{'out of date' if options.check else 'updated'}: {path}")
    if options.check and changed:
        print("run: python tools/navigation.py to update the navigation", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
