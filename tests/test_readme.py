"""The README's example prints what the README says it prints."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_prints_what_it_promises():
    example = re.search(r"```python\n(.*?)```", README.read_text(), re.DOTALL).group(1)
    promised = [line[2:] for line in example.splitlines() if line.startswith("# ")]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(example, {})
    assert promised and printed.getvalue().splitlines() == promised
