"""Sphinx configuration of the course's website: the saved notebooks as pages, offline.

Build it with ``python tools/build_site.py`` (not sphinx-build directly): that script copies
the notebooks into the build folder, adjusted for the web, and the files below name what it
puts there (MathJax and the widget manager, from npm, in the folder COURSE_SITE_VENDOR names).
"""

import importlib.util
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def repository():
    """tools/navigation.py's REPOSITORY, "owner/name": the one place that names it."""
    spec = importlib.util.spec_from_file_location("navigation", ROOT / "tools" / "navigation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REPOSITORY


REPOSITORY = repository()
VENDOR = Path(os.environ.get("COURSE_SITE_VENDOR", HERE / "_build" / "vendor"))

project = "Numerical Gradient Checking"
html_title = "Numerical Gradient Checking"
root_doc = "index"
extensions = ["myst_nb"]
exclude_patterns = ["jupyter_execute", "**.ipynb_checkpoints"]

# The pages show the saved outputs: no notebook is run.
nb_execution_mode = "off"
# The text as the notebooks show it: straight quotes stay straight.
smartquotes = False
# $...$ and $$...$$ in markdown cells are math, as in Jupyter.
myst_enable_extensions = ["dollarmath", "amsmath"]

# Served by the site itself (tools/build_site.py copies them from site/node_modules): MathJax 3,
# whose fonts and extensions load from beside it, and the widget manager for the saved sliders
# (embed.js renders them from the notebook's widget state, its icon fonts beside it).
mathjax_path = "mathjax/tex-chtml.js"
nb_ipywidgets_js = {"widgets/embed.js": {}}

html_theme = "sphinx_book_theme"
html_static_path = ["_static", str(VENDOR)]
html_css_files = ["course.css"]
html_show_sourcelink = False
html_show_sphinx = False
html_theme_options = {
    "repository_url": f"https://github.com/{REPOSITORY}",
    "repository_branch": "main",
    "use_repository_button": True,
    "use_download_button": True,
    "home_page_in_toc": False,
    "show_navbar_depth": 1,
    "footer_content_items": ["extra-footer.html"],
    "extra_footer": (
        "This course retells Part 5, “Numerical Gradient Checking”, of Stephen Welch's video "
        "series <a href=\"https://www.youtube.com/playlist?list=PLiaHhY2iBX9hdHaRr6b7XevZtgZRa1PoU\">"
        "<em>Neural Networks Demystified</em></a> (Welch Labs): the story, the network and the "
        "names are his. The pages show the notebooks as saved; to run them, open one in "
        "JupyterLab, Colab or Binder (the links at the top of each page)."
    ),
}
