"""Tests for tools/navigation.py, the script that maintains the notebooks' navigation cells.

The first two tests run against the real notebooks folder (they fail, with a message saying so,
while the folder has no notebooks); the others build tiny notebooks in a temporary folder.
"""

import importlib.util
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "navigation.py"
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

_spec = importlib.util.spec_from_file_location("navigation", SCRIPT)
navigation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(navigation)


def run_main(capsys, *args):
    """Arguments in; runs navigation.main in this process; (exit status, stdout, stderr) out."""
    status = navigation.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def require_real_notebooks():
    """Fail with a clear message if the real notebooks folder has no notebooks yet."""
    if not sorted(NOTEBOOKS.glob(navigation.NOTEBOOK_GLOB)):
        pytest.fail(f"no notebooks matching {navigation.NOTEBOOK_GLOB} in {NOTEBOOKS}")


def snapshot(folder):
    """A folder in, {file name: bytes} of its notebooks out."""
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.ipynb"))}


def untouchable(path):
    """A notebook path in, what the script must never change out: metadata and code cells
    (but for the set-up cell, which the script maintains)."""
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type != "markdown"
            and not cell.source.startswith(navigation.SETUP_MARKER)]
    return nb.metadata, nb.nbformat, code


def nav_sources(path):
    """A notebook path in, the sources of its navigation cells, top to bottom, out."""
    nb = nbformat.read(path, as_version=4)
    return [cell.source for cell in nb.cells if cell.source.startswith("<!--NAVIGATION-->")]


def write_notebook(folder, name, title_source, extra=True):
    """Write a tiny notebook (a title cell, then a code cell with an output) and return its path."""
    cells = [new_markdown_cell(title_source)]
    if extra:
        code = new_code_cell("1 + 1", execution_count=7)
        code.outputs = [new_output("execute_result", {"text/plain": "2"}, execution_count=7)]
        cells += [code, new_markdown_cell("Some text.")]
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "custom": 1})
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def course(tmp_path):
    """A scratch course: an index and two chapters; returns the folder."""
    write_notebook(tmp_path, "00-Index.ipynb", "# The course\n\nWelcome.", extra=False)
    write_notebook(tmp_path, "01-First.ipynb", "# First steps")
    write_notebook(tmp_path, "02-Second.ipynb", "Intro line\n# Second steps\nmore")
    return tmp_path


def test_saved_notebooks_are_up_to_date(capsys):
    require_real_notebooks()
    status, out, err = run_main(capsys, "--check", NOTEBOOKS)
    assert status == 0, f"navigation is out of date; run `python tools/navigation.py`\n{out}{err}"


def test_second_run_on_a_copy_of_the_notebooks_changes_nothing(tmp_path, capsys):
    require_real_notebooks()
    folder = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    paths = sorted(folder.glob(navigation.NOTEBOOK_GLOB))
    before = {path.name: untouchable(path) for path in paths}
    status, _, err = run_main(capsys, folder)
    assert status == 0, err
    after_first = snapshot(folder)
    assert run_main(capsys, folder) == (0, "", "")
    assert snapshot(folder) == after_first
    assert {path.name: untouchable(path) for path in paths} == before


def test_links_point_to_the_right_files_with_the_right_titles(course):
    untouched = {path.name: untouchable(path) for path in course.glob("*.ipynb")}
    changed = navigation.update_notebooks(course)
    assert [path.name for path in changed] == sorted(path.name for path in course.iterdir())

    first = "<!--NAVIGATION-->\n< [Contents](00-Index.ipynb) | [Second steps](02-Second.ipynb) >"
    second = "<!--NAVIGATION-->\n< [First steps](01-First.ipynb) | [Contents](00-Index.ipynb)"
    for name, nav in [("01-First.ipynb", first), ("02-Second.ipynb", second)]:
        cells = nbformat.read(course / name, as_version=4).cells
        top = f"{nav}\n\n{navigation.open_links(name)}"
        setup = navigation.SETUP_SOURCE
        assert [cell.source for cell in cells] == [cells[0].source, top, setup, "1 + 1",
                                                   "Some text.", nav]

    index = nbformat.read(course / "00-Index.ipynb", as_version=4).cells
    assert [cell.source for cell in index] == [
        "# The course\n\nWelcome.",
        f"<!--NAVIGATION-->\n{navigation.open_links('00-Index.ipynb')}",
        "<!--INDEX-->\n1. [First steps](01-First.ipynb)\n2. [Second steps](02-Second.ipynb)",
        "<!--NAVIGATION-->\nStart: [First steps](01-First.ipynb) >",
    ]
    assert {path.name: untouchable(path) for path in course.glob("*.ipynb")} == untouched


def test_a_renamed_title_propagates_to_the_neighbours(course):
    navigation.update_notebooks(course)
    ids = {path.name: [c.id for c in nbformat.read(path, 4).cells] for path in course.iterdir()}
    path = course / "02-Second.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# Checking the gradient"
    nbformat.write(nb, path)

    changed = navigation.update_notebooks(course)

    assert [path.name for path in changed] == ["00-Index.ipynb", "01-First.ipynb"]
    link = "[Checking the gradient](02-Second.ipynb)"
    assert all(link in source for source in nav_sources(course / "01-First.ipynb"))
    index = nbformat.read(course / "00-Index.ipynb", as_version=4)
    assert index.cells[2].source.splitlines()[2] == f"2. {link}"
    assert "Second steps" not in (course / "00-Index.ipynb").read_text(encoding="utf8")
    # Rewritten cells keep their ids, so the files change only where the titles did.
    assert {p.name: [c.id for c in nbformat.read(p, 4).cells] for p in course.iterdir()} == ids


def test_running_twice_changes_no_bytes(course, capsys):
    status, out, _ = run_main(capsys, course)
    assert status == 0 and len(out.splitlines()) == 3
    saved = snapshot(course)
    assert run_main(capsys, course) == (0, "", "")
    assert snapshot(course) == saved


def test_the_default_folder_is_the_notebooks_folder_next_to_tools():
    assert navigation.DEFAULT_FOLDER == NOTEBOOKS


def test_check_mode_lists_stale_notebooks_and_writes_nothing(course, capsys):
    saved = snapshot(course)
    status, out, _ = run_main(capsys, "--check", course)
    assert status == 1
    assert out.splitlines() == [
        f"out of date: {course / name}"
        for name in ["00-Index.ipynb", "01-First.ipynb", "02-Second.ipynb"]
    ]
    assert snapshot(course) == saved
    status, out, _ = run_main(capsys, course)
    assert status == 0 and out.startswith("updated: ")
    assert run_main(capsys, "--check", course) == (0, "", "")


def test_stray_navigation_cells_are_replaced_and_the_index_cell_is_rewritten_in_place(course):
    path = course / "01-First.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(2, new_markdown_cell("<!--NAVIGATION-->\nold"))
    nb.cells.insert(3, new_markdown_cell("<!--NAVIGATION-->\nolder"))
    nbformat.write(nb, path)
    index_path = course / "00-Index.ipynb"
    index = nbformat.read(index_path, as_version=4)
    index.cells.append(new_markdown_cell("Preface."))
    index.cells.append(new_markdown_cell("<!--INDEX-->\n1. [Gone](10-Gone.ipynb)"))
    nbformat.write(index, index_path)

    navigation.update_notebooks(course)

    cells = nbformat.read(path, as_version=4).cells
    is_nav = [cell.source.startswith("<!--NAVIGATION-->") for cell in cells]
    assert is_nav == [False, True, False, False, False, True]
    assert [cells[1].id, cells[-1].id] == [nb.cells[2].id, nb.cells[3].id]
    rewritten = nbformat.read(index_path, as_version=4).cells
    kept = [c for c in rewritten if not c.source.startswith("<!--NAVIGATION-->")]
    assert [c.id for c in kept] == [c.id for c in index.cells]
    assert kept[2].source.startswith("<!--INDEX-->\n1. [First steps](01-First.ipynb)")


def test_a_notebook_without_a_title_is_an_error_naming_the_file(course, capsys):
    write_notebook(course, "02-Second.ipynb", "## Only a subtitle\nno title here")
    saved = snapshot(course)
    with pytest.raises(navigation.NavigationError, match="02-Second.ipynb"):
        navigation.update_notebooks(course)
    status, out, err = run_main(capsys, course)
    assert (status, out) == (2, "")
    assert "02-Second.ipynb" in err and "no title" in err
    assert snapshot(course) == saved


def test_open_links_name_the_notebook_on_colab_and_binder():
    links = navigation.open_links("05-Five.ipynb")
    repo = navigation.REPOSITORY
    assert f"colab.research.google.com/github/{repo}/blob/main/notebooks/05-Five.ipynb" in links
    assert f"mybinder.org/v2/gh/{repo}/main?labpath=notebooks%2F05-Five.ipynb" in links


def test_the_setup_cell_is_kept_current_and_keeps_its_outputs(course):
    navigation.update_notebooks(course)
    path = course / "01-First.ipynb"
    nb = nbformat.read(path, as_version=4)
    setup = nb.cells[2]
    setup.source = navigation.SETUP_MARKER + " an old version"
    setup.outputs = [new_output("stream", name="stdout", text="installed\n")]
    nbformat.write(nb, path)

    assert navigation.update_notebooks(course) == [path]

    cells = nbformat.read(path, as_version=4).cells
    setups = [cell for cell in cells if cell.source.startswith(navigation.SETUP_MARKER)]
    assert len(setups) == 1 and setups[0].id == setup.id
    assert setups[0].source == navigation.SETUP_SOURCE
    assert setups[0].outputs == setup.outputs
    assert "partFive" in navigation.SETUP_SOURCE
    assert navigation.REPOSITORY in navigation.SETUP_SOURCE


def test_a_notebook_without_code_gets_no_setup_cell(course):
    navigation.update_notebooks(course)
    cells = nbformat.read(course / "00-Index.ipynb", as_version=4).cells
    assert all(cell.cell_type == "markdown" for cell in cells)


def linkedNotebooks(text):
    """A markdown text in, the notebook file names it links to, in order, out."""
    return re.findall(r"\]\((\d\d-[^)]+\.ipynb)\)", text)


def test_the_index_lists_the_core_track_then_the_going_deeper_track():
    """Notebooks 01-09 are the core (Part 5 from start to finish); those from 10 on go deeper,
    and each of them says so in its opening cell."""
    require_real_notebooks()
    index = nbformat.read(NOTEBOOKS / navigation.INDEX_NAME, as_version=4)
    contents = next(cell.source for cell in index.cells
                    if cell.source.startswith(navigation.INDEX_MARKER))
    core, deeper = contents.split(navigation.DEEPER_HEADING)
    chapters = sorted(path.name for path in NOTEBOOKS.glob(navigation.NOTEBOOK_GLOB))[1:]
    assert navigation.CORE_HEADING in core
    assert linkedNotebooks(core) == [name for name in chapters if name < "10"]
    assert linkedNotebooks(deeper) == [name for name in chapters if name >= "10"]


def test_contents_list_keeps_one_list_until_a_chapter_goes_deeper():
    chapters = [("One", "01-One.ipynb"), ("Two", "02-Two.ipynb"), ("Three", "03-Three.ipynb")]
    assert navigation.contents_list(chapters) == \
        "<!--INDEX-->\n1. [One](01-One.ipynb)\n2. [Two](02-Two.ipynb)\n3. [Three](03-Three.ipynb)"
    grouped = navigation.contents_list(chapters, {"03-Three.ipynb"})
    assert grouped.index("2. [Two]") < grouped.index(navigation.DEEPER_HEADING) \
        < grouped.index("3. [Three]")


def test_a_going_deeper_marker_counts_only_before_the_first_code_cell():
    early = new_notebook(cells=[new_markdown_cell("# T"), new_markdown_cell("*Going deeper.* x"),
                                new_code_cell("1")])
    late = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("1"),
                               new_markdown_cell("*Going deeper.* x")])
    assert navigation.is_going_deeper(early) and not navigation.is_going_deeper(late)


def test_the_index_lists_every_module_of_the_course():
    """The index's table of files names each module the project installs (every .py file at the
    top level, in checker/ and in course/: see [tool.hatch.build.targets.wheel] in
    pyproject.toml), no more, no less."""
    modules = {str(path.relative_to(ROOT)) for pattern in ("*.py", "checker/*.py", "course/*.py")
               for path in ROOT.glob(pattern) if path.name != "__init__.py"}
    index = nbformat.read(NOTEBOOKS / navigation.INDEX_NAME, as_version=4)
    table = next(cell.source for cell in index.cells
                 if cell.source.startswith("## How the code is organised"))
    assert set(re.findall(r"^\| `([\w/]+\.py)` \|", table, re.M)) == modules
