"""Otter assignments from the chapters: parsed right, no leaks, self-contained, graded end to end.

The synthetic tests check the pieces: parsing, the master notebook, the
coursework file, the hidden test and the feedback it hands on. Then one
chapter (06, one exercise) goes through the whole path in this
environment: ``otter assign``, then ``tools/grade.py`` on a folder of
submissions (right, wrong, unchanged, renamed, too slow), whose CSV and
feedback are compared with what the book's check says on the same seeds.
``tests/tools/test_assignments_hosted.py`` grades the same way in a fresh virtual
environment built only from the zip.
"""

import csv
import importlib.metadata
import json
import os
import subprocess
import sys
import tomllib
import types
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest
import yaml

from derivations.coursework import EXERCISES, catalogue, check
from tools import assignments, grade, student

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHAPTERS = sorted(p.name for p in BOOK.glob("*.md"))
CHAPTER = "06_backward_any_loss"  # one exercise, softmax_backward
POINTS = 3  # what the end-to-end assignment configures for it, instead of the default 1

SYNTHETIC = """# Synthetic

```{code-cell} ipython3
:tags: [remove-cell]
import numpy as np
import matplotlib.pyplot as plt
from derivations import (
    softmax,
    log_softmax,
)
from derivations.coursework import check
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


# Hand-written implementations of the exercises used here, not taken from the package.
def right_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def naive_softmax(z):  # forgets to subtract the row maximum: overflows near z = 1000
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


# keeps only the Jacobian's diagonal p_i (1 - p_i)
DIAGONAL_ONLY = "def my_softmax_backward(p, dp):\n    return p * (1 - p) * dp\n"


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
    assert "from derivations.coursework import check" in code
    assert "matplotlib" not in code
    compile(code, "setup", "exec")


def test_master_notebook_has_otters_structure():
    nb = assignments.master_notebook("synthetic", SYNTHETIC, seeds={"softmax": [11, 22]}, wheel="x.whl")
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
    # the learner's own check follows, outside the tests: fresh inputs, no seed
    assert nb.cells[i + 2].cell_type == "code" and nb.cells[i + 2].source == 'check("softmax", my_softmax)'
    assert nb.cells[i + 3].source == "# BEGIN TESTS"
    hidden = nb.cells[i + 4].source
    assert hidden.splitlines()[0] == "# HIDDEN" and "[11, 22]" in hidden


def test_assignment_config_makes_hidden_exception_tests_and_names_the_wheel():
    nb = assignments.master_notebook("synthetic", SYNTHETIC, wheel="derivations-9.9-py3-none-any.whl")
    config = yaml.safe_load(nb.cells[0].source.removeprefix("# ASSIGNMENT CONFIG\n"))
    assert config["name"] == "synthetic"
    assert config["tests"] == {"ok_format": False}  # a raised message, not a doctest transcript
    assert config["requirements"] == "requirements.txt" and config["overwrite_requirements"] is True
    assert config["autograder_files"] == ["derivations-9.9-py3-none-any.whl"]
    assert config["init_cell"] is False
    assert config["generate"]["show_hidden"] is True
    assert config["generate"]["force_public_test_summary"] is False


def test_configured_points_and_seeds_reach_the_question():
    work = assignments.Coursework(points={"softmax": 2.5}, hidden_seeds=4)
    nb = assignments.master_notebook("synthetic", SYNTHETIC, coursework=work)
    question = next(c.source for c in nb.cells if c.source.startswith("# BEGIN QUESTION"))
    assert yaml.safe_load(question.removeprefix("# BEGIN QUESTION\n")) == {"name": "softmax", "points": 2.5}
    hidden = next(c.source for c in nb.cells if c.source.startswith("# HIDDEN"))
    seeds = json.loads(hidden.split("for seed in ", 1)[1].split(":", 1)[0])
    assert len(seeds) == 4 and len(set(seeds)) == 4
    assert all(0 <= s < 2**32 for s in seeds)


def test_hidden_seeds_are_drawn_anew():
    (ex,) = assignments.parse_exercises(SYNTHETIC)
    first, second = assignments.draw_seeds([ex], 3), assignments.draw_seeds([ex], 3)
    assert len(first["softmax"]) == 3
    assert first != second  # 96 random bits: equal only by a bug


# ---------------------------------------------------------------------------
# The hidden test itself, run as otter runs it: a function of the notebook's globals
# ---------------------------------------------------------------------------


def hidden_test(ex, seeds):
    source = assignments.grading_test(ex, seeds)
    assert source.startswith("# HIDDEN\n")
    namespace = {}
    exec(compile(source, "hidden-test", "exec"), namespace)
    return namespace[f"test_{ex.id}"]


@pytest.fixture
def feedback_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(assignments.FEEDBACK_VARIABLE, str(tmp_path))
    monkeypatch.delenv("DERIVATIONS_BOOK_URL", raising=False)
    return tmp_path


def test_the_hidden_test_passes_a_right_function_and_hands_on_its_verdict(feedback_dir):
    (ex,) = assignments.parse_exercises(SYNTHETIC)
    hidden_test(ex, [5, 6])({"my_softmax": right_softmax})
    verdict = json.loads((feedback_dir / "softmax.json").read_text(encoding="utf-8"))
    assert verdict["passed"] is True and verdict["mistake"] is None and verdict["seed"] == 6


def test_the_hidden_test_fails_with_the_checks_message_on_the_first_failing_seed(feedback_dir):
    (ex,) = assignments.parse_exercises(SYNTHETIC)

    def my_softmax(z):
        return naive_softmax(z)

    # a `check` in the notebook that always passes must not fool the grader
    fake_check = lambda *args, **kwargs: types.SimpleNamespace(passed=True)  # noqa: E731
    with pytest.raises(AssertionError) as failed:
        hidden_test(ex, [7, 8])({"my_softmax": my_softmax, "check": fake_check})
    assert str(failed.value) == check("softmax", my_softmax, seed=7).message
    verdict = json.loads((feedback_dir / "softmax.json").read_text(encoding="utf-8"))
    assert (verdict["passed"], verdict["mistake"], verdict["seed"]) == (False, "no-max-shift", 7)
    assert verdict["message"] == str(failed.value)


def test_the_hidden_test_tells_a_stub_and_a_missing_function_apart(feedback_dir):
    (ex,) = assignments.parse_exercises(SYNTHETIC)

    def my_softmax(z):
        raise NotImplementedError("Student exercise")

    with pytest.raises(AssertionError, match="not implemented yet"):
        hidden_test(ex, [1])({"my_softmax": my_softmax})
    assert json.loads((feedback_dir / "softmax.json").read_text())["not_implemented"] is True
    with pytest.raises(AssertionError, match="does not define my_softmax"):
        hidden_test(ex, [1])({"softmax": right_softmax})
    assert json.loads((feedback_dir / "softmax.json").read_text())["not_defined"] is True


def test_without_the_variable_the_hidden_test_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(assignments.FEEDBACK_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    (ex,) = assignments.parse_exercises(SYNTHETIC)
    hidden_test(ex, [5])({"my_softmax": right_softmax})
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------
# run_otter.py's feedback: the verdict's message, unless it contradicts the score
# ---------------------------------------------------------------------------


def run_otter_module():
    module = types.ModuleType("run_otter_under_test")
    exec(compile(assignments.RUN_OTTER_PY, "run_otter.py", "exec"), module.__dict__)
    return module


def test_feedback_becomes_the_verdicts_message(tmp_path):
    results = tmp_path / "results.json"
    otter_output = "softmax results:\n    softmax - 1 result:\n        ❌ Test case failed\n        Error at line 9"
    results.write_text(json.dumps({"tests": [
        {"name": "softmax", "score": 0, "max_score": 2.0, "output": otter_output},
        {"name": "cross_entropy", "score": 0, "max_score": 1.0, "output": "kept"},
    ]}))
    feedback = tmp_path / "feedback"
    feedback.mkdir()
    (feedback / "softmax.json").write_text(json.dumps({"passed": False, "message": "✗ plain words"}))
    # a verdict that claims a pass the score does not show is not believed
    (feedback / "cross_entropy.json").write_text(json.dumps({"passed": True, "message": "✓ forged"}))
    run_otter_module().plain_feedback(results, feedback)
    outputs = {t["name"]: t["output"] for t in json.loads(results.read_text())["tests"]}
    assert outputs == {"softmax": "✗ plain words", "cross_entropy": "kept"}


# ---------------------------------------------------------------------------
# coursework.yml
# ---------------------------------------------------------------------------


def write(tmp_path, text):
    path = tmp_path / "coursework.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_coursework_points_and_defaults(tmp_path):
    work = assignments.load_coursework(write(tmp_path, "points:\n  softmax: 4\n  cross_entropy: 0.5\n"), EXERCISES)
    assert work.points_for("softmax") == 4 and work.points_for("cross_entropy") == 0.5
    assert work.points_for("softmax_backward") == 1 and work.hidden_seeds == 3
    assert assignments.load_coursework(tmp_path / "absent.yml") == assignments.Coursework()


@pytest.mark.parametrize(
    "text, words",
    [
        ("points:\n  sofmax: 2\n", "sofmax"),
        ("points:\n  softmax: -1\n", "softmax"),
        ("points:\n  softmax: yes\n", "softmax"),
        ("points:\n  softmax: two\n", "softmax"),
        ("hidden_seeds: 0\n", "hidden_seeds"),
        ("point:\n  softmax: 2\n", "point"),
        ("- softmax\n", "mapping"),
    ],
)
def test_coursework_mistakes_are_reported(tmp_path, text, words):
    with pytest.raises(ValueError, match=words):
        assignments.load_coursework(write(tmp_path, text), EXERCISES)


def test_the_repositorys_coursework_file_is_valid():
    work = assignments.load_coursework(assignments.COURSEWORK, EXERCISES)
    assert assignments.COURSEWORK.is_file()
    assert set(work.points) <= set(EXERCISES)


# ---------------------------------------------------------------------------
# The gradebook's rows, from results as otter writes them
# ---------------------------------------------------------------------------


def test_gradebook_rows_name_each_kind_of_failure():
    manifest = {"exercises": [{"id": e, "points": 2} for e in ("a", "b", "c", "d", "e", "f")]}
    tests = [{"name": e, "score": 2.0 if e == "a" else 0, "max_score": 2.0} for e in "abcdef"]
    verdicts = {
        "b": {"passed": False, "mistake": "sign-flip"},
        "c": {"passed": False, "mistake": None, "not_implemented": True},
        "d": {"passed": False, "mistake": None, "timed_out": True},
        "e": {"passed": False, "mistake": None, "not_defined": True},
        "f": {"passed": False, "mistake": None},
    }
    graded = grade.Graded(Path("x.ipynb"), results={"tests": tests}, verdicts=verdicts, manifest=manifest)
    table = [(r["exercise"], r["points"], r["possible"], r["mistake"]) for r in grade.rows("ann", graded)]
    assert table == [
        ("a", 2, 2, ""),
        ("b", 0, 2, "sign-flip"),
        ("c", 0, 2, "not implemented yet"),
        ("d", 0, 2, "time limit"),
        ("e", 0, 2, "not defined"),
        ("f", 0, 2, "no catalogued mistake"),
        ("total", 2, 12, ""),
    ]


def test_a_notebook_otter_could_not_grade_is_reported_not_scored():
    failed = {"tests": [{"name": "Autograder Error", "output": "Otter encountered an error:\n\nbad notebook"}]}
    graded = grade.Graded(Path("x.ipynb"), results=failed, manifest={"exercises": [{"id": "a", "points": 1}]})
    assert grade.rows("ann", graded)[0]["mistake"] == "not graded: bad notebook"
    slow = grade.Graded(Path("x.ipynb"), timed_out=True, manifest={"exercises": [{"id": "a", "points": 1}]})
    assert grade.rows("ann", slow)[0] == {"student": "ann", "exercise": "a", "points": 0, "possible": 1,
                                          "mistake": "time limit"}


def test_assignment_names_resolve_from_stems_files_and_prefixes():
    stems = ["06_backward_any_loss", "07_fused_vs_separate"]
    assert grade.resolve_assignment("06", stems) == "06_backward_any_loss"
    assert grade.resolve_assignment("07_fused_vs_separate.md", stems) == "07_fused_vs_separate"
    with pytest.raises(ValueError, match="06_backward_any_loss"):
        grade.resolve_assignment("0", stems)


def test_grade_has_a_help_text():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "grade.py"), "--help"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "student,exercise,points,possible,mistake" in run.stdout and "--assignment" in run.stdout


# ---------------------------------------------------------------------------
# End to end on one chapter
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    text = (BOOK / f"{CHAPTER}.md").read_text(encoding="utf-8")
    out = tmp_path_factory.mktemp("assignments")
    work = assignments.Coursework(points={"softmax_backward": POINTS}, hidden_seeds=2)
    folder = assignments.assign(CHAPTER, text, out, coursework=work)
    seeds = json.loads((folder / "autograder" / "hidden_seeds.json").read_text(encoding="utf-8"))["seeds"]
    return text, folder, seeds


def test_assign_writes_student_and_autograder(assigned):
    _, folder, seeds = assigned
    assert (folder / "student" / f"{CHAPTER}.ipynb").is_file()
    assert (folder / "autograder" / f"{CHAPTER}.ipynb").is_file()
    assert assignments.autograder_zip(folder).is_file()
    assert list(seeds) == ["softmax_backward"] and len(seeds["softmax_backward"]) == 2


def test_student_notebook_has_the_stub_and_its_check_but_no_solution_no_test_no_seed(assigned):
    text, folder, seeds = assigned
    student_nb = folder / "student" / f"{CHAPTER}.ipynb"
    code = "\n".join(c.source for c in nbformat.read(student_nb, 4).cells if c.cell_type == "code")
    for ex in assignments.parse_exercises(text):
        assert ex.stub in code
        assert f'check("{ex.id}", {ex.function})' in code
    assert "grader.check" not in code and "import otter" not in code
    assert "def test_" not in student_nb.read_text(encoding="utf-8")  # the hidden test stays out
    full = {f"{CHAPTER}.md": text}
    assert student.find_leaks(full, [student_nb]) == []
    assert assignments.seeds_in(folder / "student", seeds) == []
    # the controls: the autograder's copy has the solutions and the seeds, and the searches find them
    assert student.find_leaks(full, [folder / "autograder" / f"{CHAPTER}.ipynb"])
    assert assignments.seeds_in(folder / "autograder", seeds)


def zip_text(folder, name):
    with zipfile.ZipFile(assignments.autograder_zip(folder)) as zf:
        return zf.read(name).decode("utf-8")


def test_the_zip_carries_the_wheel_and_names_exactly_what_the_grader_needs(assigned):
    _, folder, seeds = assigned
    with open(ROOT / "pyproject.toml", "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    wheel = f"derivations-{version}-py3-none-any.whl"
    with zipfile.ZipFile(assignments.autograder_zip(folder)) as zf:
        names = set(zf.namelist())
        assert {"setup.sh", "run_autograder", "run_otter.py", "requirements.txt", f"files/{wheel}",
                "tests/softmax_backward.py", "otter_config.json"} <= names
        assert zf.getinfo("setup.sh").external_attr >> 16 & 0o111
        with zf.open(f"files/{wheel}") as inner, zipfile.ZipFile(inner) as whl:
            packed = {n for n in whl.namelist() if n.endswith(".py")}
    modules = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src" / "derivations").rglob("*.py")}
    assert modules <= packed
    requirements = [l for l in zip_text(folder, "requirements.txt").splitlines() if l and not l.startswith("#")]
    assert requirements == [
        f"./files/{wheel}",
        f"numpy=={importlib.metadata.version('numpy')}",
        f"otter-grader[grading]=={importlib.metadata.version('otter-grader')}",
    ]
    environment = yaml.safe_load(zip_text(folder, "environment.yml"))
    assert environment["dependencies"][-1] == {"pip": requirements}
    setup = zip_text(folder, "setup.sh").lower()
    assert "miniforge" not in setup and "mamba" not in setup and "playwright" not in setup
    assert "pip install" in setup and "-r requirements.txt" in setup
    test_file = zip_text(folder, "tests/softmax_backward.py")
    assert f"points = {POINTS}" in test_file and "hidden=True" in test_file
    assert str(seeds["softmax_backward"]) in test_file


@pytest.fixture(scope="module")
def gradebook(assigned, tmp_path_factory):
    """tools/grade.py on five submissions: right, wrong, unchanged, renamed, too slow."""
    _, folder, _ = assigned
    subs = tmp_path_factory.mktemp("submissions")
    solutions = nbformat.read(folder / "autograder" / f"{CHAPTER}.ipynb", 4)
    nbformat.write(solutions, subs / "alice.ipynb")
    handed_out = folder / "student" / f"{CHAPTER}.ipynb"
    (subs / "carol.ipynb").write_bytes(handed_out.read_bytes())
    for who, code in {
        "bob": DIAGONAL_ONLY,
        "dave": "def softmax_backward_mine(p, dp):\n    return p * (dp - (p * dp).sum(1, keepdims=True))\n",
        "frank": "import time\n\ndef my_softmax_backward(p, dp):\n    time.sleep(30)\n",
    }.items():
        nb = nbformat.read(handed_out, 4)
        (cell,) = [c for c in nb.cells if c.cell_type == "code" and "def my_softmax_backward" in c.source]
        cell.source = code
        nbformat.write(nb, subs / f"{who}.ipynb")
    out = tmp_path_factory.mktemp("grades") / "gradebook.csv"
    saved = {k: os.environ.get(k) for k in ("DERIVATIONS_BOOK_URL", "DERIVATIONS_CHECK_TIMEOUT")}
    os.environ.pop("DERIVATIONS_BOOK_URL", None)
    os.environ["DERIVATIONS_CHECK_TIMEOUT"] = "0.5"  # frank's cases run out of time quickly
    try:
        code = grade.main([str(subs), "--assignment", "06", "--assignments", str(folder.parent), "--out", str(out)])
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    with open(out, newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    return code, table, out.parent / "feedback"


def test_the_gradebook_has_a_row_per_student_and_exercise_and_totals(gradebook):
    code, table, _ = gradebook
    assert code == 0
    got = [(r["student"], r["exercise"], r["points"], r["possible"], r["mistake"]) for r in table]
    p = str(POINTS)
    assert got == [
        ("alice", "softmax_backward", p, p, ""),
        ("alice", "total", p, p, ""),
        ("bob", "softmax_backward", "0", p, "diagonal-only-jacobian"),
        ("bob", "total", "0", p, ""),
        ("carol", "softmax_backward", "0", p, "not implemented yet"),
        ("carol", "total", "0", p, ""),
        ("dave", "softmax_backward", "0", p, "not defined"),
        ("dave", "total", "0", p, ""),
        ("frank", "softmax_backward", "0", p, "time limit"),
        ("frank", "total", "0", p, ""),
    ]
    assert "diagonal-only-jacobian" in catalogue.MISTAKES


def fresh_message(code, exercise, function, seed):
    """The check's message in a new interpreter, which reads the package as the grader just did.

    (This process imported it when the tests started; the package may have
    been edited since.)
    """
    code += "from derivations.coursework import check\n"
    code += f"print(check({exercise!r}, {function}, seed={seed}).message, end='')\n"
    env = {k: v for k, v in os.environ.items() if k != "DERIVATIONS_BOOK_URL"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    return run.stdout


def feedback_of(gradebook, who):
    results = json.loads((gradebook[2] / who / "results.json").read_text(encoding="utf-8"))
    (test,) = [t for t in results["tests"] if t["name"] == "softmax_backward"]
    return test


def test_the_configured_points_reach_otters_results(gradebook):
    assert (feedback_of(gradebook, "alice")["score"], feedback_of(gradebook, "alice")["max_score"]) == (POINTS, POINTS)
    assert (feedback_of(gradebook, "bob")["score"], feedback_of(gradebook, "bob")["max_score"]) == (0, POINTS)


def test_the_feedback_is_the_checks_message_on_a_hidden_seed(gradebook, assigned, monkeypatch):
    _, _, seeds = assigned
    output = feedback_of(gradebook, "bob")["output"]
    monkeypatch.delenv("DERIVATIONS_BOOK_URL", raising=False)
    first = seeds["softmax_backward"][0]
    assert output == fresh_message(DIAGONAL_ONLY, "softmax_backward", "my_softmax_backward", first)
    assert f"seed={first}" in output
    assert "[diagonal-only-jacobian]" in output
    assert catalogue.MISTAKES["diagonal-only-jacobian"].url() in output  # an absolute link
    for wrapper in ("Traceback", "AssertionError", "Error at line", "Test case failed", "{ref}"):
        assert wrapper not in output
    assert "not implemented yet" in feedback_of(gradebook, "carol")["output"]
    assert "does not define my_softmax_backward" in feedback_of(gradebook, "dave")["output"]


def test_a_notebook_for_another_assignment_is_not_graded(assigned, tmp_path):
    _, folder, _ = assigned
    nb = nbformat.read(folder / "student" / f"{CHAPTER}.ipynb", 4)
    nb.metadata["otter"]["assignment_name"] = "07_fused_vs_separate"
    (tmp_path / "subs").mkdir()
    nbformat.write(nb, tmp_path / "subs" / "eve.ipynb")
    out = tmp_path / "gradebook.csv"
    code = grade.main([str(tmp_path / "subs"), "--assignment", CHAPTER, "--assignments", str(folder.parent),
                       "--out", str(out)])
    assert code == 1
    with open(out, newline="", encoding="utf-8") as f:
        (row, total) = list(csv.DictReader(f))
    assert row["points"] == "0" and row["mistake"].startswith("not graded:")
    assert "07_fused_vs_separate" in row["mistake"]


def test_a_notebook_that_never_finishes_runs_out_of_time(assigned, tmp_path):
    _, folder, _ = assigned
    nb = nbformat.read(folder / "autograder" / f"{CHAPTER}.ipynb", 4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("while True:\n    pass"))
    nbformat.write(nb, tmp_path / "hal.ipynb")
    graded = grade.grade_one(assignments.autograder_zip(folder), tmp_path / "hal.ipynb", timeout=20)
    assert graded.timed_out and graded.results is None
    assert [r["mistake"] for r in grade.rows("hal", graded)] == ["time limit", ""]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_exercise_matches_the_checks(name):
    text = (BOOK / name).read_text(encoding="utf-8")
    for ex in assignments.parse_exercises(text):
        assert ex.id in EXERCISES
        assert ex.function == EXERCISES[ex.id].function
        assert EXERCISES[ex.id].chapter == f"book/{name}"
        assert ex.solution and ex.prose


def test_a_kernel_that_dies_before_it_starts_is_graded_again(monkeypatch, tmp_path):
    # the notebook never ran, so the 0 would be the machine's, not the student's
    died = grade.Graded(tmp_path / "a.ipynb", log=f"RuntimeError: {grade.KERNEL_START_FAILURE}\n")
    scored = grade.Graded(tmp_path / "a.ipynb", results={"tests": [{"name": "ex", "score": 3}]})
    runs = iter([died, scored])
    calls = []

    def once(*args, **kwargs):
        calls.append(args)
        return next(runs)

    monkeypatch.setattr(grade, "_grade_once", once)
    assert grade.grade_one(tmp_path / "x.zip", tmp_path / "a.ipynb") is scored
    assert len(calls) == 2


def test_a_notebook_whose_own_code_fails_is_graded_once(monkeypatch, tmp_path):
    failed = grade.Graded(tmp_path / "a.ipynb", log="NameError: name 'softmax' is not defined\n")
    calls = []
    monkeypatch.setattr(grade, "_grade_once", lambda *a, **k: calls.append(a) or failed)
    assert grade.grade_one(tmp_path / "x.zip", tmp_path / "a.ipynb") is failed
    assert len(calls) == 1
