"""Otter-grader assignments built from the chapters' implementation exercises.

    python tools/assignments.py                      # what `make assignments` runs
    python tools/assignments.py 06_backward_any_loss.md 09_gradient_checking.md
    python tools/assignments.py --coursework my_course.yml

For each chapter with implementation exercises this writes an otter "master"
notebook, ``_build/assignments/<chapter>/<chapter>.ipynb``, and runs
``otter assign`` on it, which produces ``student/`` (the notebook to hand
out) and ``autograder/`` (the solution notebook and the autograder zip).

A question is one exercise: its prose, then a solution cell that otter
turns into the chapter's stub for students, then the chapter's own
``check("<id>", my_fn)`` cell, which gives the learner fresh random inputs
on every run. The graded test is hidden, so the student notebook does not
carry it: it calls ``derivations.coursework.engine.check`` on seeds drawn when the
assignment is built (``autograder/hidden_seeds.json`` records them) and
fails with the check's message, which names the mistake it diagnosed.
The exercises are found by parsing the chapter: an ``{exercise-start}``
block with a stub that raises ``NotImplementedError`` (or, for a
find-the-bug exercise, the buggy ``def my_...`` the learner fixes), its gated
``{solution-start}`` ... ``{solution-end}``, and the ``check("<id>",
<function>)`` cell after it.

Points per exercise and the number of hidden seeds come from
``coursework.yml`` at the repository's root (an exercise it does not list
is worth 1 point).

The autograder zip is self-contained: it carries a wheel of the book's
package, ``files/derivations-<version>-py3-none-any.whl``, and a
``requirements.txt`` that names it with numpy and otter-grader from PyPI.
Its ``setup.sh`` installs exactly that into a virtual environment (no
conda, no browsers); ``run_autograder`` grades with it, and its
``run_otter.py`` makes each question's feedback the check's own message
instead of otter's traceback. ``tools/grade.py`` (``make grade``) runs the
same ``run_otter.py`` on a folder of submissions.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import importlib.metadata
import io
import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

try:  # run as a script (tools/ on sys.path) ...
    import student
except ImportError:  # ... or imported as tools.assignments
    from tools import student

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "assignments"
COURSEWORK = ROOT / "coursework.yml"

#: The environment variable through which the hidden tests hand their verdicts
#: to run_otter.py: a folder where each writes ``<exercise>.json``.
FEEDBACK_VARIABLE = "DERIVATIONS_FEEDBACK_DIR"
#: Where the assignment's own description sits in the zip.
MANIFEST = "assignment.json"

_CHECK = re.compile(r"""check\(\s*["'](?P<id>\w+)["']\s*,\s*(?P<fn>\w+)""")
_ROLE = re.compile(r"\{[\w:-]+\}`(?P<body>[^`]*)`")


@dataclass(frozen=True)
class Exercise:
    """One implementation exercise of a chapter."""

    label: str
    id: str  # the derivations.coursework.engine exercise id
    function: str
    prose: str
    stub: str
    solution: str


def _cell_tags(lines: list[str], block: student.Block) -> str:
    return " ".join(line for line in lines[block.start + 1 : block.end] if line.lstrip().startswith(":tags:"))


def _label(lines: list[str], block: student.Block) -> str | None:
    for line in lines[block.start + 1 : block.end]:
        m = re.match(r"^\s*:label:\s*(\S+)", line)
        if m:
            return m[1]
    return None


def _markdown(lines: list[str]) -> str:
    """MyST prose as notebook Markdown: roles become their text, {math} becomes $$."""
    out = []
    blocks = {b.start: b for b in student.fenced_blocks(lines)}
    i = 0
    while i < len(lines):
        b = blocks.get(i)
        if b is not None and b.name == "math":
            body = [l for l in lines[b.start + 1 : b.end] if not re.match(r"^\s*:[\w-]+:", l)]
            out += ["$$", *body, "$$"]
            i = b.end + 1
            continue
        out.append(_ROLE.sub(lambda m: re.sub(r"\s*<[^>]*>$", "", m["body"]), lines[i]))
        i += 1
    return "\n".join(out).strip()


def parse_exercises(text: str) -> list[Exercise]:
    """The implementation exercises of a chapter, in order."""
    lines = text.splitlines()
    blocks = student.fenced_blocks(lines)
    found = []
    for k, b in enumerate(blocks):
        if b.name != "exercise-start":
            continue
        label = _label(lines, b)
        end = next((j for j in range(k + 1, len(blocks)) if blocks[j].name == "exercise-end"), None)
        if end is None:
            raise ValueError(f"exercise {label}: exercise-start without exercise-end")
        cells = [c for c in blocks[k + 1 : end] if c.name == "code-cell"]
        stubs = [student.cell_source(lines, c) for c in cells if "NotImplementedError" in student.cell_source(lines, c)]
        if not stubs:
            # a find-the-bug exercise starts from working but buggy code, the
            # function to fix; a derivation exercise has no function at all
            sources = (student.cell_source(lines, c) for c in cells)
            stubs = [src for src in sources if re.search(r"^def my_\w+\(", src, re.M)]
        if not stubs:
            continue  # a derivation exercise with a gated solution
        # the prose: the lines between the fences, minus the code cells
        in_cells = {i for c in cells for i in range(c.start, c.end + 1)}
        prose = [lines[i] for i in range(b.end + 1, blocks[end].start) if i not in in_cells]

        s_start = next(
            (j for j in range(end + 1, len(blocks)) if blocks[j].name == "solution-start" and label in blocks[j].info),
            None,
        )
        if s_start is None:
            raise ValueError(f"exercise {label}: no solution-start for it")
        s_end = next(j for j in range(s_start + 1, len(blocks)) if blocks[j].name == "solution-end")
        inside = blocks[s_start + 1 : s_end]
        solution = "\n\n".join(student.cell_source(lines, c) for c in inside if c.name == "code-cell")
        check_cell = next(
            (
                student.cell_source(lines, c)
                for c in blocks[s_end + 1 :]
                if c.name == "code-cell" and _CHECK.search(student.cell_source(lines, c))
            ),
            None,
        )
        if check_cell is None:
            raise ValueError(f"exercise {label}: no check(...) cell after its solution")
        m = _CHECK.search(check_cell)
        found.append(Exercise(label, m["id"], m["fn"], _markdown(prose), "\n\n".join(stubs), solution))
    return found


def setup_code(text: str) -> str:
    """The import statements of the chapter's hidden setup cells."""
    lines = text.splitlines()
    imports = []
    for b in student.fenced_blocks(lines):
        if b.name != "code-cell" or "remove-cell" not in _cell_tags(lines, b):
            continue
        source = student.cell_source(lines, b)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(ast.get_source_segment(source, node))
    imports = [i for i in imports if "matplotlib" not in i]
    needed = ["import numpy as np", "from derivations.coursework import check"]
    return "\n".join(dict.fromkeys(needed + imports))


def _title(text: str) -> str:
    m = re.search(r"^# (.+)$", text, re.M)
    return m[1].strip() if m else ""


def _raw(source: str):
    return nbformat.v4.new_raw_cell(source)


# ---------------------------------------------------------------------------
# Coursework settings: points per exercise, hidden seeds per exercise
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Coursework:
    """What ``coursework.yml`` says about grading.

    ``points`` maps exercise ids to the points each is worth (1 when absent);
    ``hidden_seeds`` is how many seeds, never shown to learners, each
    exercise is graded on.
    """

    points: dict = field(default_factory=dict)
    hidden_seeds: int = 3

    def points_for(self, exercise_id: str):
        return self.points.get(exercise_id, 1)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_coursework(path: Path | None = COURSEWORK, known=None) -> Coursework:
    """Read a coursework file; the defaults when ``path`` is None or absent.

    ``known`` (exercise ids) makes an unknown id an error, so that a typo
    cannot silently leave an exercise at 1 point.
    """
    if path is None or not Path(path).is_file():
        return Coursework()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    name = Path(path).name
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping with the keys points and hidden_seeds")
    unknown_keys = set(data) - {"points", "hidden_seeds"}
    if unknown_keys:
        raise ValueError(f"{name}: unknown setting(s) {', '.join(sorted(map(str, unknown_keys)))}")
    points = data.get("points") or {}
    if not isinstance(points, dict):
        raise ValueError(f"{name}: points must map exercise ids to numbers")
    for ex_id, value in points.items():
        if not _is_number(value) or value < 0:
            raise ValueError(f"{name}: points for {ex_id} is {value!r}; expected a number, 0 or more")
    if known is not None:
        stray = sorted(set(map(str, points)) - set(known))
        if stray:
            raise ValueError(
                f"{name}: no exercise has the id(s) {', '.join(stray)}; the ids are {', '.join(sorted(known))}"
            )
    seeds = data.get("hidden_seeds", Coursework.hidden_seeds)
    if not isinstance(seeds, int) or isinstance(seeds, bool) or seeds < 1:
        raise ValueError(f"{name}: hidden_seeds is {seeds!r}; expected a whole number, 1 or more")
    return Coursework({str(k): v for k, v in points.items()}, seeds)


def draw_seeds(exercises: list[Exercise], n: int) -> dict[str, list[int]]:
    """``n`` fresh seeds per exercise, from the operating system's randomness."""
    return {ex.id: [secrets.randbelow(2**32) for _ in range(n)] for ex in exercises}


# ---------------------------------------------------------------------------
# The book's package as a wheel, and what the grader installs
# ---------------------------------------------------------------------------


def package_version(root: Path = ROOT) -> str:
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def wheel_name(root: Path = ROOT) -> str:
    """The wheel's file name: it changes only when pyproject.toml's version does."""
    return f"derivations-{package_version(root)}-py3-none-any.whl"


def build_wheel(dest: Path, root: Path = ROOT) -> Path:
    """Build a wheel of ``src/derivations`` into ``dest``, offline.

    It is built from a copy of the package's sources, so that the build
    leaves no ``build/`` or ``egg-info`` behind in the working tree, with
    the setuptools already installed (no build isolation, no index).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / wheel_name(root)
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "derivations"
        copy.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(root / name, copy / name)
        shutil.copytree(
            root / "src" / "derivations",
            copy / "src" / "derivations",
            # no compiled library: the wheel is pure Python, and grading runs the VJP's numpy passes
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "*.so", "*.c", "*.h"),
        )
        run = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
             "--disable-pip-version-check", "--quiet", str(copy), "-w", str(dest)],
            capture_output=True,
            text=True,
        )
    if run.returncode != 0 or not target.is_file():
        raise RuntimeError(f"could not build {target.name}:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return target


def grader_requirements(wheel: str) -> str:
    """The zip's requirements.txt: the wheel, then numpy and otter-grader pinned to this build's."""
    numpy_version = importlib.metadata.version("numpy")
    otter_version = importlib.metadata.version("otter-grader")
    return "\n".join(
        [
            "# What setup.sh installs into the grader's virtual environment, and nothing else:",
            "# the book's package from the wheel in this zip (it is not on PyPI; pip fetches its",
            "# own dependencies), then from PyPI the numpy the assignment was built with, and",
            "# otter-grader with its grading extras (ipykernel, jupyter_client).",
            f"./files/{wheel}",
            f"numpy=={numpy_version}",
            f"otter-grader[grading]=={otter_version}",
            "",
        ]
    )


# ---------------------------------------------------------------------------
# What goes into the zip in place of otter's defaults
# ---------------------------------------------------------------------------

SETUP_SH = r"""#!/usr/bin/env bash
# Builds this autograder's grading environment: a virtual environment, venv/
# next to this script, with exactly requirements.txt installed (the book's
# package from the wheel in files/; numpy and otter-grader from PyPI). It needs
# Python 3.11 or newer and PyPI, and downloads nothing else: no conda, no
# browsers, no LaTeX. A hosted grader runs it once, as root, in
# /autograder/source. PYTHON=/path/to/python picks the interpreter.
set -euo pipefail
cd "$(dirname "$0")"

recent() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null && recent "$candidate"; then PY="$candidate"; break; fi
    done
fi
if [ -z "$PY" ] && command -v apt-get >/dev/null; then
    # an image whose python3 is older, such as Ubuntu 22.04's 3.10
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3.11 python3.11-venv
    PY=python3.11
fi
if [ -z "$PY" ] || ! recent "$PY"; then
    echo "setup.sh: grading needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi

if ! "$PY" -m venv venv; then
    # Debian and Ubuntu package venv's pip bootstrap separately
    command -v apt-get >/dev/null || exit 1
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "$(basename "$PY")-venv"
    rm -rf venv
    "$PY" -m venv venv
fi
venv/bin/python -m pip install --disable-pip-version-check --no-input -r requirements.txt
venv/bin/python -c "import derivations.coursework.engine, otter; print('grading environment ready:', otter.__version__)"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Grades <autograder>/submission into <autograder>/results in the environment
# that setup.sh built. A hosted grader runs it as /autograder/run_autograder,
# its copy of source/run_autograder.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
if [ -d "$HERE/source" ]; then AG="$HERE"; else AG="$(dirname "$HERE")"; fi
exec "$AG/source/venv/bin/python" "$AG/source/run_otter.py" "$AG"
"""

RUN_OTTER_PY = '''"""Grade one submission with otter, then give each question the check's message as feedback.

    python source/run_otter.py [AUTOGRADER_DIR]      # default /autograder

AUTOGRADER_DIR holds source/ (the autograder zip, unpacked), submission/ (the
notebook) and results/. Each hidden test writes its verdict, the result of
derivations.coursework.engine.check, to results/feedback/<exercise>.json; once otter has
written results/results.json, each question's output there becomes that
verdict's plain-text message (the mistake named, a link to the section that
explains it) instead of otter's traceback. ``make grade`` runs this file too.
"""

import json
import os
import sys
from pathlib import Path

from otter.run.run_autograder import main as run_autograder

FEEDBACK_VARIABLE = "{variable}"


def plain_feedback(results_json, feedback):
    """Replace each question's output by its verdict's message; keep otter's where they disagree."""
    results = json.loads(results_json.read_text(encoding="utf-8"))
    for test in results.get("tests", []):
        verdict_file = feedback / f"{{test.get('name')}}.json"
        if "score" not in test or not verdict_file.is_file():
            continue
        verdict = json.loads(verdict_file.read_text(encoding="utf-8"))
        full_marks = test["score"] >= test.get("max_score", 0)
        if test.get("max_score", 0) > 0 and bool(verdict.get("passed")) != full_marks:
            continue  # the score is otter's; never show a message that contradicts it
        test["output"] = verdict["message"]
    results_json.write_text(json.dumps(results, indent=4, ensure_ascii=False), encoding="utf-8")


def main(folder):
    folder = Path(folder).resolve()
    feedback = folder / "results" / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    for stale in feedback.glob("*.json"):
        stale.unlink()
    os.environ[FEEDBACK_VARIABLE] = str(feedback)  # the grading kernel inherits it
    try:
        run_autograder(str(folder))
    finally:
        results_json = folder / "results" / "results.json"
        if results_json.is_file():
            plain_feedback(results_json, feedback)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/autograder")
'''.format(variable=FEEDBACK_VARIABLE)


def grading_test(ex: Exercise, seeds: list[int]) -> str:
    """The hidden test cell of one exercise (otter's exception-based format).

    It imports ``check`` itself rather than trusting the notebook's name
    ``check``, calls it on each hidden seed until one fails, hands the
    verdict to run_otter.py, and fails with the check's message.
    """
    missing = (
        f"✗ The notebook does not define {ex.function}: keep the exercise's function name, "
        "and run the notebook from the top to check that it defines it."
    )
    return f'''# HIDDEN
def test_{ex.id}(env):
    """{ex.function} on the assignment's hidden seeds, judged by derivations.coursework.engine.check."""
    import json
    import os

    from derivations.coursework import check

    fn = env.get({ex.function!r})
    if callable(fn):
        for seed in {list(seeds)!r}:
            result = check({ex.id!r}, fn, seed=seed)
            if not result.passed:
                break
        verdict = {{
            "passed": bool(result.passed),
            "mistake": result.mistake,
            "seed": result.seed,
            "not_implemented": bool(
                getattr(result, "not_implemented", "not implemented yet" in result.message.split("\\n")[0])
            ),
            "timed_out": bool(getattr(result, "timed_out", False)),
            "not_defined": False,
            "message": result.message,
        }}
    else:
        verdict = {{
            "passed": False,
            "mistake": None,
            "seed": None,
            "not_implemented": False,
            "timed_out": False,
            "not_defined": True,
            "message": {missing!r},
        }}
    verdict["exercise"] = {ex.id!r}
    folder = os.environ.get({FEEDBACK_VARIABLE!r})
    if folder:
        with open(os.path.join(folder, {ex.id + ".json"!r}), "w", encoding="utf-8") as f:
            json.dump(verdict, f, ensure_ascii=False)
    assert verdict["passed"], verdict["message"]
'''


# ---------------------------------------------------------------------------
# The master notebook and otter assign
# ---------------------------------------------------------------------------


def master_notebook(
    name: str,
    text: str,
    *,
    coursework: Coursework | None = None,
    seeds: dict[str, list[int]] | None = None,
    wheel: str | None = None,
) -> nbformat.NotebookNode | None:
    """The otter master notebook of one chapter, or None if it has no implementation exercises.

    ``seeds`` maps exercise ids to the hidden seeds (drawn afresh when
    None); ``wheel`` is the file name of the package's wheel, which the
    folder of the master notebook must hold when otter assign runs.
    """
    exercises = parse_exercises(text)
    if not exercises:
        return None
    coursework = coursework or Coursework()
    seeds = seeds or draw_seeds(exercises, coursework.hidden_seeds)
    config = {
        "name": name,
        "init_cell": False,  # the notebook needs no otter: its checks are the package's
        "check_all_cell": False,
        "export_cell": False,
        "run_tests": True,  # otter assign grades the solutions: they must pass on the hidden seeds
        "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
        "requirements": "requirements.txt",
        "overwrite_requirements": True,
        "autograder_files": [wheel or wheel_name()],
        # Hidden tests are shown once grades are published, and no empty "Public
        # Tests" summary claims that everything passed.
        "generate": {"show_hidden": True, "force_public_test_summary": False},
        "tests": {"ok_format": False},
    }
    cells = [
        _raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False).strip()),
        nbformat.v4.new_markdown_cell(
            f"# {_title(text)}: implementation exercises\n\n"
            "Replace each `raise NotImplementedError` with your implementation, then run the "
            "check below it. The checks run your function on fresh random inputs and edge "
            "cases, and name the mistake when something is wrong. The grader runs the same "
            "checks on inputs you have not seen."
        ),
        nbformat.v4.new_code_cell(setup_code(text)),
    ]
    for ex in exercises:
        stub = ex.stub.rstrip()
        if '"""' in stub:
            raise ValueError(f"exercise {ex.label}: the stub may not contain triple quotes")
        # Otter drops the lines from BEGIN SOLUTION NO PROMPT to END SOLUTION in the
        # student copy and keeps the PROMPT lines, which in the solution copy are an
        # inert string: the student gets exactly the chapter's stub.
        solution_cell = "\n".join(
            [
                "# BEGIN SOLUTION NO PROMPT",
                ex.solution.rstrip(),
                "# END SOLUTION",
                '""" # BEGIN PROMPT',
                stub,
                '"""; # END PROMPT',
            ]
        )
        points = coursework.points_for(ex.id)
        cells += [
            _raw(f"# BEGIN QUESTION\nname: {ex.id}\npoints: {points}"),
            nbformat.v4.new_markdown_cell(
                f"**Exercise `{ex.id}`** ({points} point{'s' if points != 1 else ''})\n\n{ex.prose}"
            ),
            _raw("# BEGIN SOLUTION"),
            nbformat.v4.new_code_cell(solution_cell),
            _raw("# END SOLUTION"),
            nbformat.v4.new_code_cell(f'check("{ex.id}", {ex.function})'),
            _raw("# BEGIN TESTS"),
            nbformat.v4.new_code_cell(grading_test(ex, seeds[ex.id])),
            _raw("# END TESTS"),
            _raw("# END QUESTION"),
        ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def otter() -> str:
    return str(Path(sys.executable).with_name("otter"))


def _zip_entry(name: str, executable: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=datetime.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    return info


def make_self_contained(zip_path: Path, requirements: str, manifest: dict) -> None:
    """Put this project's setup.sh, run_autograder, run_otter.py, requirements.txt and manifest in the zip.

    Otter's own setup.sh downloads Miniforge and runs ``playwright install``;
    this one builds a virtual environment from requirements.txt. Everything
    else otter wrote (tests, otter_config.json, environment.yml, files/)
    stays as it is.
    """
    replaced = {
        "setup.sh": (SETUP_SH, True),
        "run_autograder": (RUN_AUTOGRADER, True),
        "run_otter.py": (RUN_OTTER_PY, False),
        "requirements.txt": (requirements, False),
        MANIFEST: (json.dumps(manifest, indent=2) + "\n", False),
    }
    with zipfile.ZipFile(zip_path) as zf:
        kept = [(info, zf.read(info)) for info in zf.infolist() if info.filename not in replaced]
    wheel = f"files/{manifest['wheel']}"
    if wheel not in {info.filename for info, _ in kept}:
        raise RuntimeError(f"{zip_path.name} lacks {wheel}: otter did not pack the wheel")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, (content, executable) in replaced.items():
            zf.writestr(_zip_entry(name, executable), content)
        for info, data in kept:
            zf.writestr(info, data)
    zip_path.write_bytes(buffer.getvalue())


def assign(
    name: str,
    text: str,
    out: Path = OUT,
    *,
    coursework: Coursework | None = None,
    wheel: Path | None = None,
    seeds: dict[str, list[int]] | None = None,
) -> Path | None:
    """Write the master notebook, run ``otter assign``, make the zip self-contained.

    Returns the chapter's folder, or None when the chapter has no
    implementation exercises. ``wheel`` is a wheel of the package built by
    :func:`build_wheel` (one is built when None); ``seeds`` the hidden
    seeds (drawn afresh when None).
    """
    exercises = parse_exercises(text)
    if not exercises:
        return None
    coursework = coursework or Coursework()
    folder = Path(out) / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if wheel is None:
        wheel = build_wheel(folder)
    elif Path(wheel).parent != folder:
        shutil.copy2(wheel, folder / Path(wheel).name)
    wheel = Path(wheel).name
    requirements = grader_requirements(wheel)
    (folder / "requirements.txt").write_text(requirements, encoding="utf-8")
    seeds = seeds or draw_seeds(exercises, coursework.hidden_seeds)
    nb = master_notebook(name, text, coursework=coursework, seeds=seeds, wheel=wheel)
    master = folder / f"{name}.ipynb"
    nbformat.write(nb, master)
    run = subprocess.run(
        [otter(), "assign", "--no-pdfs", str(master), str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    (folder / "assign.log").write_text(run.stdout + run.stderr, encoding="utf-8")
    if run.returncode != 0:
        raise RuntimeError(f"otter assign failed for {name}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    zip_path = autograder_zip(folder)
    built = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    manifest = {
        "assignment": name,
        "exercises": [
            {"id": ex.id, "function": ex.function, "points": coursework.points_for(ex.id)} for ex in exercises
        ],
        "wheel": wheel,
        "built": built,
    }
    make_self_contained(zip_path, requirements, manifest)
    record = {
        "about": "The seeds the hidden tests of this autograder pass to derivations.coursework.engine.check; "
        "learners never see them before grading. Drawn anew by every build of the assignment.",
        "assignment": name,
        "autograder": zip_path.name,
        "built": built,
        "seeds": seeds,
    }
    (folder / "autograder" / "hidden_seeds.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return folder


def autograder_zip(folder: Path) -> Path:
    """The newest autograder zip of an assignment folder."""
    zips = sorted((Path(folder) / "autograder").glob("*.zip"))
    if not zips:
        raise FileNotFoundError(f"no autograder zip in {Path(folder) / 'autograder'}")
    return zips[-1]


def seeds_in(folder: Path, seeds: dict[str, list[int]]) -> list[str]:
    """Files under ``folder`` whose text contains one of the hidden seeds."""
    wanted = {str(s) for values in seeds.values() for s in values}
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            if wanted & set(re.findall(r"\d+", text)):
                found.append(str(path))
    return found


def main(argv=None) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from derivations.coursework import EXERCISES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter file names (default: every chapter in the toc)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--coursework", type=Path, default=None, help="points and hidden seeds (default: coursework.yml at the root)"
    )
    parser.add_argument("-j", "--jobs", type=int, default=2, help="chapters assigned at once (default 2)")
    args = parser.parse_args(argv)
    if args.coursework is not None and not args.coursework.is_file():
        parser.error(f"no coursework file {args.coursework}")
    coursework = load_coursework(args.coursework or COURSEWORK, known=EXERCISES)
    out = args.out.resolve()
    chapters = student.read_chapters(ROOT, args.chapters or None)
    todo = {name: text for name, text in chapters.items() if parse_exercises(text)}
    if not todo:
        print("no chapter has implementation exercises yet")
        return 0
    wheel = build_wheel(out / "_wheel")
    print(f"built {wheel.name} from src/derivations")

    def one(item):
        return assign(Path(item[0]).stem, item[1], out, coursework=coursework, wheel=wheel)

    # each otter assign runs its own kernel: the work is in subprocesses, threads suffice
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        folders = dict(zip(todo, pool.map(one, todo.items())))
    for name, folder in folders.items():
        exercises = parse_exercises(todo[name])
        worth = ", ".join(f"{ex.id} {coursework.points_for(ex.id)}" for ex in exercises)
        print(f"{Path(name).stem}: {worth} -> {folder}")
    # the handed-out notebooks must hold the stubs, never the solutions nor the hidden seeds
    handed_out = [f / "student" / f"{Path(n).stem}.ipynb" for n, f in folders.items()]
    leaks = student.find_leaks(todo, handed_out)
    for folder in folders.values():
        record = json.loads((folder / "autograder" / "hidden_seeds.json").read_text(encoding="utf-8"))
        leaks += [f"hidden seed in {path}" for path in seeds_in(folder / "student", record["seeds"])]
    for leak in leaks:
        print("LEAK", leak)
    if leaks:
        return 1
    print(f"no solution text and no hidden seed in the {len(handed_out)} student folders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
