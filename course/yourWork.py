"""The learner's own file, yourGradientCheck.py: their functions, carried from notebook to notebook.

A correct core-track function is saved there (exercises.selfCheck) and read back by later
notebooks (exercises.yours); the learner can import the file in a project of their own. It lives
in the working directory (in Jupyter, the notebook's folder), or in the folder the environment
variable GRADIENT_COURSE_WORK names: tests and tools set it, so they never touch a learner's file.
"""

import os
import re
import tempfile
from pathlib import Path

FILE_NAME = "yourGradientCheck.py"
FOLDER_VARIABLE = "GRADIENT_COURSE_WORK"
HEADER = '''"""Your gradient check: the functions you wrote in the course's core track.

Each is your latest version that passed its self-check; the self-check rewrites this file each
time it says correct, keeping only the functions (put what one needs inside it). Use them in a
project of your own, for example:

    from yourGradientCheck import gradientCheck
"""

import numpy as np
'''
MARKER = re.compile(r"^# --- (\w+), from notebook (\d\d) -*$", re.MULTILINE)


def workFile():
    """The path of yourGradientCheck.py: in the folder GRADIENT_COURSE_WORK names, else in the
    working directory."""
    return Path(os.environ.get(FOLDER_VARIABLE) or os.getcwd()) / FILE_NAME


def savedPieces():
    """{name: (notebook, source)} of the pieces the file holds, in its order; {} without a file.
    A piece is the text after its marker line, up to the next marker."""
    path = workFile()
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8", errors="replace")  # hand-edited in another encoding
    marks = list(MARKER.finditer(text))
    ends = [mark.start() for mark in marks[1:]] + [len(text)]
    return {mark[1]: (mark[2], text[mark.end():end].strip() + "\n")
            for mark, end in zip(marks, ends)}


def savePiece(name, notebook, source, order):
    """Write ``source`` as piece ``name`` of ``notebook`` ("04"), replacing its earlier version;
    the pieces follow ``order`` (names). The file is replaced in one step, never seen half."""
    pieces = savedPieces()
    pieces[name] = (notebook, source.strip() + "\n")
    rank = {piece: position for position, piece in enumerate(order)}
    blocks = [f"\n\n# --- {piece}, from notebook {pieces[piece][0]} "
              f"{'-' * max(3, 70 - len(piece))}\n{pieces[piece][1]}"
              for piece in sorted(pieces, key=lambda piece: rank.get(piece, len(rank)))]
    path = workFile()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".tmp") as handle:
        handle.write(HEADER + "".join(blocks))
    os.replace(handle.name, path)


def runPieces(sources, namespace):
    """Execute each of ``sources`` ({name: source}) in the dict ``namespace``, updated in place;
    {name: the exception} of those that raise or do not define their name."""
    errors = {}
    for name, source in sources.items():
        standIn = namespace.pop(name, None)  # the piece itself must define its name
        try:
            exec(compile(source, f"{FILE_NAME}:{name}", "exec"), namespace)  # the learner's code
        except Exception as error:  # a hand-edited file may hold anything: report, go on
            errors[name] = error
        else:
            if not callable(namespace.get(name)):
                errors[name] = NameError(f"its code defines no function named {name}")
        if name in errors and standIn is not None:
            namespace[name] = standIn  # what stood there before (a model answer) stays
    return errors
