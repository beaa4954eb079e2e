"""Grade a folder of submitted notebooks offline, without Docker, into a CSV gradebook.

    make grade SUBMISSIONS=dir [ASSIGNMENT=06_backward_any_loss]
    python tools/grade.py SUBMISSIONS [--assignment CHAPTER] [--out FILE] [-j N] [--timeout SECONDS]

Every ``*.ipynb`` directly in SUBMISSIONS is one student's submission, and
the student is its file name without ``.ipynb``. The assignment is
ASSIGNMENT when given (a chapter's file name, its stem, or a prefix that
names one chapter, such as ``06``); otherwise each notebook's own, which
otter records in its metadata.

Each notebook is graded with its assignment's autograder zip in
``_build/assignments/<chapter>/autograder/`` (``make assignments`` builds
them; a missing one is built first). The zip is unpacked into a temporary
folder laid out as a hosted grader lays it out, and its own
``run_otter.py`` runs there with this Python: the same grading, hidden
seeds and feedback as on a hosted grader, in this environment instead of
the one the zip's ``setup.sh`` builds.

The gradebook (``_build/grades/gradebook.csv`` unless ``--out`` says
otherwise) has one row per student and exercise, and after each student's
exercises a row whose exercise is ``total``:

    student,exercise,points,possible,mistake

``mistake`` is empty for full points; otherwise it is the id of the
catalogued mistake the check named (see chapter 13), ``not implemented
yet`` (the stub is unchanged), ``time limit`` (the function, or the whole
notebook, ran out of time), ``not defined`` (the notebook has no function
of the exercise's name), ``no catalogued mistake`` (wrong, in a way the
catalogue does not explain), or ``not graded: <reason>`` (otter could not
grade the notebook at all). Each student's ``results.json``, whose outputs
are the feedback a hosted grader shows, and the checks' verdicts are kept
in ``feedback/<student>/`` next to the gradebook.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

try:  # run as a script (tools/ on sys.path) ...
    import assignments
    import student as student_tool
except ImportError:  # ... or imported as tools.grade
    from tools import assignments
    from tools import student as student_tool

ROOT = assignments.ROOT
GRADEBOOK = ROOT / "_build" / "grades" / "gradebook.csv"
#: Seconds one notebook may take in all. Each case of a check has its own
#: limit (a few seconds), so only a notebook that hangs outside its
#: functions, or one with very many slow cases, reaches this one.
TIMEOUT = 900
COLUMNS = ["student", "exercise", "points", "possible", "mistake"]


@dataclass
class Graded:
    """What grading one submission produced."""

    submission: Path
    results: dict | None = None  # results.json, with the checks' messages as outputs
    verdicts: dict = field(default_factory=dict)  # exercise id -> the hidden test's verdict
    manifest: dict = field(default_factory=dict)  # the zip's assignment.json
    timed_out: bool = False
    log: str = ""
    seconds: float = 0.0

    def test(self, exercise_id: str) -> dict | None:
        for test in (self.results or {}).get("tests", []):
            if test.get("name") == exercise_id and "score" in test:
                return test
        return None

    def failure(self) -> str | None:
        """Why otter produced no scores, in one line; None when it did."""
        if self.timed_out:
            return None
        tests = (self.results or {}).get("tests", [])
        if any("score" in t for t in tests):
            return None
        for t in tests:
            lines = [line.strip() for line in str(t.get("output", "")).splitlines() if line.strip()]
            if lines:
                return lines[-1][:200]
        tail = [line.strip() for line in self.log.splitlines() if line.strip()]
        return (tail[-1][:200] if tail else "the grader wrote no results")


def _kill_tree(proc: subprocess.Popen) -> None:
    """Stop the grader and its kernel (which runs in a session of its own)."""
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # psutil missing, or the process already gone
        children = []
    for child in children:
        try:
            child.kill()
        except Exception:
            pass
    proc.kill()


def grade_one(
    zip_path: Path,
    submission: Path,
    *,
    timeout: float = TIMEOUT,
    python: str = sys.executable,
    keep: Path | None = None,
) -> Graded:
    """Grade one notebook with an autograder zip, as a hosted grader would.

    ``python`` runs the zip's ``run_otter.py``; it needs what the zip's
    requirements.txt lists. ``keep``, if given, receives results.json and
    the verdicts.
    """
    zip_path, submission = Path(zip_path), Path(submission)
    start = time.perf_counter()
    for _ in range(1 + KERNEL_START_RETRIES):
        graded = _grade_once(zip_path, submission, timeout=timeout, python=python, keep=keep)
        # a kernel that died before it started ran none of the student's code:
        # that is the machine's failure, not the notebook's, so grade it again
        if KERNEL_START_FAILURE not in (graded.failure() or ""):
            break
    graded.seconds = time.perf_counter() - start
    return graded


#: What Jupyter says when a kernel dies before it answers; the notebook never ran.
KERNEL_START_FAILURE = "Kernel died before replying to kernel_info"
#: How many more times a notebook is graded when its kernel died that way.
KERNEL_START_RETRIES = 2


def _grade_once(zip_path: Path, submission: Path, *, timeout: float, python: str, keep: Path | None) -> Graded:
    """One run of the zip's grader on one notebook (see :func:`grade_one`)."""
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        folder = Path(tmp) / "autograder"
        for part in ("source", "submission", "results"):
            (folder / part).mkdir(parents=True)
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(folder / "source")
        shutil.copy2(submission, folder / "submission" / submission.name)
        (folder / "submission_metadata.json").write_text("{}", encoding="utf-8")
        graded = Graded(submission)
        manifest = folder / "source" / assignments.MANIFEST
        if manifest.is_file():
            graded.manifest = json.loads(manifest.read_text(encoding="utf-8"))
        proc = subprocess.Popen(
            [python, str(folder / "source" / "run_otter.py"), str(folder)],
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            graded.log, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            graded.log, _ = proc.communicate()
            graded.timed_out = True
        results = folder / "results" / "results.json"
        if results.is_file() and not graded.timed_out:
            graded.results = json.loads(results.read_text(encoding="utf-8"))
        for verdict in sorted((folder / "results" / "feedback").glob("*.json")):
            graded.verdicts[verdict.stem] = json.loads(verdict.read_text(encoding="utf-8"))
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            if results.is_file():
                shutil.copy2(results, keep / "results.json")
            if graded.verdicts:
                (keep / "verdicts.json").write_text(
                    json.dumps(graded.verdicts, indent=2, ensure_ascii=False), encoding="utf-8"
                )
            (keep / "grader.log").write_text(graded.log, encoding="utf-8")
    return graded


def mistake_label(verdict: dict | None) -> str:
    """The gradebook's word for a failed exercise, from its hidden test's verdict."""
    if verdict is None:
        return "no catalogued mistake"
    if verdict.get("timed_out"):
        return "time limit"
    if verdict.get("not_implemented"):
        return "not implemented yet"
    if verdict.get("not_defined"):
        return "not defined"
    return verdict.get("mistake") or "no catalogued mistake"


def _number(x):
    x = float(x)
    return int(x) if x.is_integer() else round(x, 5)


def rows(student: str, graded: Graded) -> list[dict]:
    """The gradebook rows of one student: one per exercise, then the total."""
    out = []
    failure = graded.failure()
    for ex in graded.manifest.get("exercises", []):
        test = graded.test(ex["id"])
        possible = test["max_score"] if test else ex["points"]
        if graded.timed_out:
            points, mistake = 0, "time limit"
        elif test is None:
            points, mistake = 0, f"not graded: {failure or 'no result for this exercise'}"
        else:
            points = test["score"]
            passed = points >= possible and (possible > 0 or graded.verdicts.get(ex["id"], {}).get("passed", True))
            mistake = "" if passed else mistake_label(graded.verdicts.get(ex["id"]))
        out.append(
            {"student": student, "exercise": ex["id"], "points": _number(points), "possible": _number(possible),
             "mistake": mistake}
        )
    total = sum(r["points"] for r in out)
    out.append(
        {"student": student, "exercise": "total", "points": _number(total),
         "possible": _number(sum(r["possible"] for r in out)), "mistake": ""}
    )
    return out


def write_gradebook(path: Path, table: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(table)


# ---------------------------------------------------------------------------
# Which assignment, which zip
# ---------------------------------------------------------------------------


def chapters_with_exercises(root: Path = ROOT) -> dict[str, str]:
    """``{chapter stem: text}`` of the chapters that have an assignment."""
    chapters = student_tool.read_chapters(root)
    return {Path(n).stem: t for n, t in chapters.items() if assignments.parse_exercises(t)}


def resolve_assignment(value: str, stems) -> str:
    """A chapter stem from a file name, a stem or a unique prefix such as ``06``."""
    value = Path(value).name.removesuffix(".md").removesuffix(".ipynb")
    stems = list(stems)
    if value in stems:
        return value
    matches = [s for s in stems if s.startswith(value)]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(
        f"no single assignment matches {value!r}; the assignments are: {', '.join(stems) or 'none'}"
    )


def notebook_assignment(path: Path) -> str | None:
    """The assignment name otter wrote into a handed-out notebook's metadata."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return None
    return nb.metadata.get("otter", {}).get("assignment_name")


def autograder_for(stem: str, text: str, out: Path, wheel_dir: Path) -> Path:
    """The assignment's autograder zip; built first (like ``make assignments``) if missing."""
    folder = out / stem
    try:
        return assignments.autograder_zip(folder)
    except FileNotFoundError:
        pass
    from derivations.coursework import EXERCISES

    print(f"{stem}: no autograder yet, building it (as make assignments does)", flush=True)
    coursework = assignments.load_coursework(assignments.COURSEWORK, known=EXERCISES)
    wheel = wheel_dir / assignments.wheel_name()
    if not wheel.is_file():
        wheel = assignments.build_wheel(wheel_dir)
    assignments.assign(stem, text, out, coursework=coursework, wheel=wheel)
    return assignments.autograder_zip(folder)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="tools/grade.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks (*.ipynb)")
    parser.add_argument("--assignment", help="chapter to grade against, e.g. 06_backward_any_loss or 06")
    parser.add_argument(
        "--out", type=Path, default=GRADEBOOK, help=f"the CSV to write (default {GRADEBOOK.relative_to(ROOT)})"
    )
    parser.add_argument("--assignments", type=Path, default=assignments.OUT, help="where the assignments are built")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="notebooks graded at once (default 2)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds per notebook (default {TIMEOUT})")
    args = parser.parse_args(argv)

    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    notebooks = sorted(p for p in args.submissions.glob("*.ipynb") if p.is_file())
    if not notebooks:
        parser.error(f"no .ipynb files in {args.submissions}")
    chapters = chapters_with_exercises()
    try:
        fixed = resolve_assignment(args.assignment, chapters) if args.assignment else None
    except ValueError as e:
        parser.error(str(e))

    which: dict[Path, str] = {}
    for nb in notebooks:
        name = fixed or notebook_assignment(nb)
        if name is None:
            parser.error(f"{nb.name} does not say which assignment it is: pass ASSIGNMENT=<chapter>")
        if name not in chapters:
            parser.error(f"{nb.name} is for {name!r}, which is not one of the assignments: {', '.join(chapters)}")
        which[nb] = name
    out_dir = args.assignments.resolve()
    zips = {
        name: autograder_for(name, chapters[name], out_dir, out_dir / "_wheel") for name in sorted(set(which.values()))
    }
    for name, path in zips.items():
        print(f"{name}: grading with {path.name}")

    feedback_root = args.out.parent / "feedback"

    def grade(nb: Path) -> tuple[Path, Graded]:
        graded = grade_one(zips[which[nb]], nb, timeout=args.timeout, keep=feedback_root / nb.stem)
        return nb, graded

    table, ungraded = [], []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for nb, graded in pool.map(grade, notebooks):
            student_rows = rows(nb.stem, graded)
            table += student_rows
            total = student_rows[-1]
            note = " (time limit)" if graded.timed_out else ""
            if graded.failure():
                ungraded.append(nb.name)
                note = f" (not graded: {graded.failure()})"
            points = f"{total['points']} of {total['possible']} points"
            print(f"{nb.stem}: {points}, {graded.seconds:.1f} s{note}", flush=True)
    write_gradebook(args.out, table)
    print(f"wrote {args.out} ({len(notebooks)} notebooks); feedback in {feedback_root}")
    if ungraded:
        print(f"{len(ungraded)} notebook(s) could not be graded: {', '.join(ungraded)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
