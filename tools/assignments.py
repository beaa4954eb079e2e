"""Otter-grader assignments built from the chapters' implementation exercises.

    python tools/assignments.py                      # what `make assignments` runs
    python tools/assignments.py 06_backward_any_loss.md 09_gradient_checking.md

For each chapter with implementation exercises this writes an otter "master"
notebook, ``_build/assignments/<chapter>/master.ipynb``, and runs
``otter assign`` on it, which produces ``student/`` (the notebook to hand
out) and ``autograder/`` (the solution notebook and ``autograder.zip``).

A question is one exercise: its prose, then a solution cell that otter
turns into the chapter's stub for students, then a test that calls
``derivations.checks.check`` and fails with the check's message, which
names the mistake it diagnosed. The exercises are found by parsing the
chapter: an ``{exercise-start}`` block with a stub that raises
``NotImplementedError``, its gated ``{solution-start}`` ... ``{solution-end}``,
and the ``check("<id>", <function>)`` cell after it.

Grade a completed student notebook offline, without Docker::

    mkdir -p results && otter run -a _build/assignments/<chapter>/autograder/<chapter>-autograder_*.zip \\
        -o results/ submission.ipynb

``results/results.json`` then holds each question's score and, for a wrong
function, the check's message.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

try:  # run as a script (tools/ on sys.path) ...
    import student
except ImportError:  # ... or imported as tools.assignments
    from tools import student

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "assignments"

_CHECK = re.compile(r"""check\(\s*["'](?P<id>\w+)["']\s*,\s*(?P<fn>\w+)""")
_ROLE = re.compile(r"\{[\w:-]+\}`(?P<body>[^`]*)`")


@dataclass(frozen=True)
class Exercise:
    """One implementation exercise of a chapter."""

    label: str
    id: str  # the derivations.checks exercise id
    function: str
    prose: str
    stub: str
    solution: str


def _cell_source(lines: list[str], block: student.Block) -> str:
    """The code of a ``{code-cell}`` block, without its option lines."""
    body = lines[block.start + 1 : block.end]
    while body and re.match(r"^\s*:[\w-]+:", body[0]):
        body = body[1:]
    return "\n".join(body).strip("\n")


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
        stubs = [_cell_source(lines, c) for c in cells if "NotImplementedError" in _cell_source(lines, c)]
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
        solution = "\n\n".join(_cell_source(lines, c) for c in blocks[s_start + 1 : s_end] if c.name == "code-cell")
        check_cell = next(
            (
                _cell_source(lines, c)
                for c in blocks[s_end + 1 :]
                if c.name == "code-cell" and _CHECK.search(_cell_source(lines, c))
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
        source = _cell_source(lines, b)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(ast.get_source_segment(source, node))
    imports = [i for i in imports if "matplotlib" not in i]
    needed = ["import numpy as np", "from derivations.checks import check"]
    return "\n".join(dict.fromkeys(needed + imports))


def _title(text: str) -> str:
    m = re.search(r"^# (.+)$", text, re.M)
    return m[1].strip() if m else ""


def _raw(source: str):
    return nbformat.v4.new_raw_cell(source)


def master_notebook(name: str, text: str) -> nbformat.NotebookNode | None:
    """The otter master notebook of one chapter, or None if it has no implementation exercises."""
    exercises = parse_exercises(text)
    if not exercises:
        return None
    config = "\n".join(
        [
            "# ASSIGNMENT CONFIG",
            f"name: {name}",
            "init_cell: true",
            "check_all_cell: false",
            "export_cell: false",
            "run_tests: true",
            "generate: true",
            "environment: null",
            "requirements: null",
            "overwrite_requirements: false",
        ]
    )
    cells = [
        _raw(config),
        nbformat.v4.new_markdown_cell(
            f"# {_title(text)}: implementation exercises\n\n"
            "Replace each `raise NotImplementedError` with your implementation, then run the "
            "check below it. The checks run your function on fresh random inputs and edge "
            "cases, and name the mistake when something is wrong."
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
        test = "\n".join(
            [
                f'_result = check("{ex.id}", {ex.function})',
                "assert _result.passed, _result.message",
            ]
        )
        cells += [
            _raw(f"# BEGIN QUESTION\nname: {ex.id}\npoints: 1"),
            nbformat.v4.new_markdown_cell(f"**Exercise `{ex.id}`**\n\n{ex.prose}"),
            _raw("# BEGIN SOLUTION"),
            nbformat.v4.new_code_cell(solution_cell),
            _raw("# END SOLUTION"),
            _raw("# BEGIN TESTS"),
            nbformat.v4.new_code_cell(test),
            _raw("# END TESTS"),
            _raw("# END QUESTION"),
        ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def otter() -> str:
    return str(Path(sys.executable).with_name("otter"))


def assign(name: str, text: str, out: Path = OUT) -> Path | None:
    """Write the master notebook and run ``otter assign``; returns the chapter's folder."""
    nb = master_notebook(name, text)
    if nb is None:
        return None
    folder = out / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
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
    return folder


def autograder_zip(folder: Path) -> Path:
    zips = sorted((folder / "autograder").glob("*.zip"))
    if not zips:
        raise FileNotFoundError(f"no autograder zip in {folder / 'autograder'}")
    return zips[-1]


def grade(folder: Path, submission: Path, out: Path) -> dict:
    """Grade one submission offline with ``otter run``; returns results.json as a dict."""
    import json

    out.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [otter(), "run", "-a", str(autograder_zip(folder)), "-o", str(out), str(submission)],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise RuntimeError(f"otter run failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def main(argv=None) -> int:
    from concurrent.futures import ThreadPoolExecutor

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter file names (default: every chapter in the toc)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("-j", "--jobs", type=int, default=2, help="chapters assigned at once (default 2)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    chapters = student.read_chapters(ROOT, args.chapters or None)
    todo = {name: text for name, text in chapters.items() if parse_exercises(text)}
    if not todo:
        print("no chapter has implementation exercises yet")
        return 0
    # each otter assign runs its own kernel: the work is in subprocesses, threads suffice
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        folders = dict(zip(todo, pool.map(lambda item: assign(Path(item[0]).stem, item[1], out), todo.items())))
    for name, folder in folders.items():
        n = len(parse_exercises(todo[name]))
        print(f"{Path(name).stem}: {n} exercise{'s' if n != 1 else ''} -> {folder}")
    # the handed-out notebooks must hold the stubs, never the solutions
    handed_out = [f / "student" / f"{Path(n).stem}.ipynb" for n, f in folders.items()]
    leaks = student.find_leaks(todo, handed_out)
    for leak in leaks:
        print("LEAK", leak)
    if leaks:
        return 1
    print(f"no solution text in the {len(handed_out)} student notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
