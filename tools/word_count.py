"""Count the prose words of every notebook, to hold the course to its length limits.

Usage: python tools/word_count.py [notebook.ipynb ...]   (default: every notebook)

Prose is the text of the markdown cells, without the navigation cells (``<!--NAVIGATION-->``,
written by tools/navigation.py), LaTeX (``$...$`` and ``$$...$$``), HTML tags and comments,
HTML entities, the targets of markdown links (the link's text stays) and numbers in scientific
notation. A word is a run of letters, apostrophes and hyphens that starts with a letter
(``[A-Za-z][A-Za-z'-]*``), so "round-off" is one word, "x²" is one and "1e-8" is none. Code
in backticks counts: in this course's prose it names the function the sentence is about.

The limits (issue 18): the core track (01-09) at most CORE_LIMIT words together; each
going-deeper notebook (09 onwards: those that say "*Going deeper" at their top, as
tools/navigation.py reads them) at most DEEPER_LIMIT. The index (00) counts for neither.
tests/test_notebooks.py imports this module and checks both limits.
"""

import importlib.util
import re
import sys
from pathlib import Path

import nbformat


def sibling(name):
    """The module tools/<name>.py, imported from this file's folder (tools/ is no package)."""
    path = Path(__file__).resolve().parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Where the notebooks are, how they are named and which track each is on: as the navigation
# script (which writes the index's two tracks) has it.
navigation = sibling("navigation")
NOTEBOOKS, NOTEBOOK_GLOB = navigation.DEFAULT_FOLDER, navigation.NOTEBOOK_GLOB
NAV_MARKER, INDEX_NAME = navigation.NAV_MARKER, navigation.INDEX_NAME
CORE_LIMIT = 4500  # words, the core track together
CORE_NOTEBOOK_LIMIT = 650  # words, each core notebook
DEEPER_LIMIT = 1500  # words, each going-deeper notebook

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
NOT_PROSE = [
    re.compile(r"\$\$.*?\$\$", re.DOTALL),  # display LaTeX first, so its $$ are not read as $
    re.compile(r"\$[^$]+\$"),  # inline LaTeX
    re.compile(r"<!--.*?-->", re.DOTALL),  # HTML comments
    re.compile(r"<[A-Za-z/][^>]*>"),  # HTML tags
    re.compile(r"&#?\w+;"),  # HTML entities such as &nbsp;
    re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # a link's (target "title")
    re.compile(r"(?<![A-Za-z])[0-9][0-9.]*[eE][+-]?[0-9]+"),  # numbers such as 1e-8 (no "e-")
]


def proseText(markdown):
    """A markdown cell's source in, its prose out: LaTeX, HTML, link targets and numbers such
    as 1e-8 removed."""
    for pattern in NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    return markdown


def countWords(text):
    """Text in, the number of words in it out (WORD: letters, apostrophes, hyphens)."""
    return len(WORD.findall(text))


def notebookWords(path):
    """A notebook's path in, the number of prose words of its markdown cells out (navigation
    cells left out)."""
    cells = nbformat.read(path, as_version=4).cells
    return sum(countWords(proseText(cell.source)) for cell in cells
               if cell.cell_type == "markdown" and not cell.source.startswith(NAV_MARKER))


def isGoingDeeper(path):
    """A notebook's path in, whether it is on the going-deeper track out (its opening cells
    say "*Going deeper", as tools/navigation.py reads them)."""
    return navigation.is_going_deeper(nbformat.read(path, as_version=4))


def isCore(path):
    """A notebook's path in, whether it is on the core track out: neither the index nor a
    going-deeper notebook."""
    return Path(path).name != INDEX_NAME and not isGoingDeeper(path)


def wordCounts(paths=None):
    """Notebook paths in (None: every notebook of the course), {path: prose words} out, in
    file-name order."""
    paths = sorted(NOTEBOOKS.glob(NOTEBOOK_GLOB)) if paths is None else sorted(map(Path, paths))
    return {path: notebookWords(path) for path in paths}


def coreTotal(counts):
    """wordCounts' result in, the words of its core-track notebooks together out."""
    return sum(words for path, words in counts.items() if isCore(path))


def report(counts):
    """wordCounts' result in, the table to print out (one line a notebook, then the totals and
    the limits)."""
    lines = [f"{'notebook':<48} {'words':>6}  track"]
    for path, words in counts.items():
        if isCore(path):
            track = "core"
        elif isGoingDeeper(path):
            track = "deeper" + (" OVER" if words > DEEPER_LIMIT else "")
        else:
            track = "index"
        lines.append(f"{path.stem:<48} {words:>6,}  {track}")
    core = coreTotal(counts)
    verdict = "ok" if core <= CORE_LIMIT else "OVER"
    lines.append(f"{'core track (01-09) together':<48} {core:>6,}  limit {CORE_LIMIT:,}: {verdict}")
    lines.append(f"{'all notebooks together':<48} {sum(counts.values()):>6,}")
    lines.append(f"(each going-deeper notebook: limit {DEEPER_LIMIT:,})")
    return "\n".join(lines)


def main(argv):
    """Notebook paths in (none: every notebook); prints the table."""
    print(report(wordCounts(argv or None)))


if __name__ == "__main__":
    main(sys.argv[1:])
