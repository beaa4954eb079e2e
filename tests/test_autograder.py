"""Otter assignments from the chapters: parsed right, no solution leaks, graded end to end.

One chapter goes through the whole path (``otter assign``, then ``otter run``
on a correct and on a wrong submission); ``make assignments`` does every
chapter the same way.
"""

from pathlib import Path

import nbformat
import pytest

from derivations import mistakes
from derivations.checks import EXERCISES
from tools import assignments, student

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
CHAPTERS = sorted(p.name for p in BOOK.glob("*.md"))

SYNTHETIC = """# Synthetic

```{code-cell} ipython3
:tags: [remove-cell]
import numpy as np
import matplotlib.pyplot as plt
from derivations import (
    softmax,
    log_softmax,
)
from derivations.checks import check
```

```{exercise-start}
:label: ex-synthetic
```
Write `my_softmax(z)`: see {ref}`the puzzle <puzzle>` and {ref}`overflow`.

```{math}
p_i = e^{z_i} / \\sum_j e^{z_j}
```

```{code-cell} ipython3
def my_softmax(z):
    raise NotImplementedError("Student exercise: return softmax over the last axis")
```

```{exercise-end}
```

```{solution-start} ex-synthetic
:class: dropdown
```
Explanation that stays out of the notebooks.

```{code-cell} ipython3
def my_softmax(z):
    return softmax(z)
```

```{solution-end}
```

```{code-cell} ipython3
check("softmax", my_softmax)
```
"""


def test_parse_a_synthetic_exercise():
    (ex,) = assignments.parse_exercises(SYNTHETIC)
    assert (ex.label, ex.id, ex.function) == ("ex-synthetic", "softmax", "my_softmax")
    assert ex.stub.startswith("def my_softmax(z):") and "NotImplementedError" in ex.stub
    assert ex.solution == "def my_softmax(z):\n    return softmax(z)"
    assert "the puzzle" in ex.prose and "overflow" in ex.prose and "{ref}" not in ex.prose
    assert "$$" in ex.prose and "{math}" not in ex.prose
    assert "Explanation that stays out" not in ex.prose


def test_setup_keeps_the_imports_but_not_matplotlib():
    code = assignments.setup_code(SYNTHETIC)
    assert "from derivations import (\n    softmax,\n    log_softmax,\n)" in code
    assert "from derivations.checks import check" in code
    assert "matplotlib" not in code
    compile(code, "setup", "exec")


def test_master_notebook_has_otters_structure():
    nb = assignments.master_notebook("synthetic", SYNTHETIC)
    raws = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "raw"]
    assert raws == [
        "# ASSIGNMENT CONFIG",
        "# BEGIN QUESTION",
        "# BEGIN SOLUTION",
        "# END SOLUTION",
        "# BEGIN TESTS",
        "# END TESTS",
        "# END QUESTION",
    ]
    solution = next(c.source for c in nb.cells if c.cell_type == "code" and "# BEGIN SOLUTION" in c.source)
    # the solution sits between raw BEGIN/END SOLUTION cells, otherwise otter would leak it
    i = nb.cells.index(next(c for c in nb.cells if c.source == solution))
    assert nb.cells[i - 1].source == "# BEGIN SOLUTION" and nb.cells[i + 1].source == "# END SOLUTION"
    assert solution.splitlines()[0] == "# BEGIN SOLUTION NO PROMPT"


def test_a_chapter_without_implementation_exercises_has_no_assignment():
    assert assignments.master_notebook("intro", "# Intro\n\nProse only.\n") is None


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_exercise_matches_the_checks(name):
    text = (BOOK / name).read_text(encoding="utf-8")
    for ex in assignments.parse_exercises(text):
        assert ex.id in EXERCISES
        assert ex.function == EXERCISES[ex.id].function
        assert EXERCISES[ex.id].chapter == f"book/{name}"
        assert ex.solution and ex.prose


# ---------------------------------------------------------------------------
# End to end on one chapter
# ---------------------------------------------------------------------------


def first_chapter_with_exercises():
    for name in CHAPTERS:
        if assignments.parse_exercises((BOOK / name).read_text(encoding="utf-8")):
            return name
    return None


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    name = first_chapter_with_exercises()
    if name is None:
        pytest.skip("no chapter has implementation exercises yet")
    out = tmp_path_factory.mktemp("assignments")
    text = (BOOK / name).read_text(encoding="utf-8")
    folder = assignments.assign(Path(name).stem, text, out)
    return name, text, folder


def test_assign_writes_student_and_autograder(assigned):
    name, _, folder = assigned
    stem = Path(name).stem
    assert (folder / "student" / f"{stem}.ipynb").is_file()
    assert (folder / "autograder" / f"{stem}.ipynb").is_file()
    assert assignments.autograder_zip(folder).is_file()


def test_otter_student_notebook_has_the_stubs_and_no_solution(assigned):
    name, text, folder = assigned
    stem = Path(name).stem
    student_nb = folder / "student" / f"{stem}.ipynb"
    code = "\n".join(c.source for c in nbformat.read(student_nb, 4).cells if c.cell_type == "code")
    for ex in assignments.parse_exercises(text):
        assert ex.stub in code
        assert f'grader.check("{ex.id}")' in code
    full = {name: text}
    assert student.find_leaks(full, [student_nb]) == []
    # the control: the autograder's copy has the solutions, and the search finds them
    assert student.find_leaks(full, [folder / "autograder" / f"{stem}.ipynb"])


def scores(results):
    return {t["name"]: (t.get("score"), t.get("max_score"), t.get("output", "")) for t in results["tests"]}


def test_a_correct_submission_gets_full_marks(assigned, tmp_path):
    name, text, folder = assigned
    submission = folder / "autograder" / f"{Path(name).stem}.ipynb"  # the solutions
    results = scores(assignments.grade(folder, submission, tmp_path))
    for ex in assignments.parse_exercises(text):
        score, max_score, output = results[ex.id]
        assert score == max_score == 1.0, output


def test_a_wrong_submission_gets_zero_and_the_mistake(assigned, tmp_path):
    name, text, folder = assigned
    stem = Path(name).stem
    first, *others = assignments.parse_exercises(text)
    wrong = mistakes.wrong_implementations(first.id)[0]
    nb = nbformat.read(folder / "autograder" / f"{stem}.ipynb", 4)  # right answers ...
    for cell in nb.cells:  # ... except for the first exercise
        if cell.cell_type == "code" and f"def {first.function}(" in cell.source:
            cell.source = (
                f"from derivations.mistakes import {wrong.name} as _wrong\n\n"
                f"def {first.function}(*args):\n    return _wrong(*args)\n"
            )
    submission = tmp_path / f"{stem}.ipynb"
    nbformat.write(nb, submission)
    results = scores(assignments.grade(folder, submission, tmp_path / "results"))
    score, max_score, output = results[first.id]
    assert (score, max_score) == (0, 1.0)
    assert f"[{wrong.mistake}]" in output
    assert mistakes.MISTAKES[wrong.mistake].text in output
    for ex in others:
        assert results[ex.id][0] == 1.0
