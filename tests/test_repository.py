"""The course's repository is named in three places that must agree: pyproject.toml's
[project.urls], the README, and tools/navigation.py's REPOSITORY (the notebooks' Colab and
Binder badges and their set-up cells, which install the modules from it)."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def navigationRepository():
    """tools/navigation.py's REPOSITORY, "owner/name"."""
    spec = importlib.util.spec_from_file_location("navigation", ROOT / "tools" / "navigation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REPOSITORY


def test_pyproject_readme_and_navigation_name_the_same_repository():
    # One line of pyproject.toml, read without tomllib (Python 3.11+; the course runs on 3.10).
    pyproject = (ROOT / "pyproject.toml").read_text()
    section = pyproject.split("[project.urls]", 1)[1].split("\n[", 1)[0]
    repository = navigationRepository()
    assert re.findall(r'^Repository = "(.*)"$', section, re.M) == \
        [f"https://github.com/{repository}"]
    named = re.findall(r"course's repository, <https://github\.com/([^>]+)>",
                       (ROOT / "README.md").read_text())
    assert named == [repository], named
