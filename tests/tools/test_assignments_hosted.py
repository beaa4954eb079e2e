"""The autograder zip on a machine that has nothing but the zip: a hosted grader, simulated.

A hosted grader (Gradescope, for one) unpacks the zip into
``/autograder/source``, runs its ``setup.sh`` once to build the grading
environment, then for each submission puts the notebook into
``/autograder/submission`` and runs ``/autograder/run_autograder``, which
writes ``/autograder/results/results.json``. This test does the same in a
temporary folder: ``setup.sh`` builds a fresh virtual environment (``python3
-m venv``, no system site-packages, not the project's ``.venv``) with only
what the zip's requirements list, from the wheel inside the zip and from
PyPI; the repository's checkout is out of reach, and grading runs without
any network where the machine allows a network namespace (``unshare -n``).

Three submissions of chapter 06's assignment: the solutions (full points),
a function with a known mistake (0 points, feedback naming the mistake) and
the notebook as handed out (0 points, "not implemented yet").

It takes a few minutes, most of them pip's: nothing is cached between runs
except pip's own cache.
"""

import json
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from tools import assignments

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "06_backward_any_loss"
POINTS = 2


# keeps only the Jacobian's diagonal p_i (1 - p_i)
DIAGONAL_ONLY = "def my_softmax_backward(p, dp):\n    return p * (1 - p) * dp\n"


def clean_environment() -> dict:
    """This process's environment without the project: no .venv on PATH, no PYTHONPATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"} and not k.startswith("DERIVATIONS_")
    }
    keep = [d for d in env.get("PATH", "").split(os.pathsep) if d and not Path(d).resolve().is_relative_to(ROOT)]
    env["PATH"] = os.pathsep.join(keep + ["/usr/local/bin", "/usr/bin", "/bin"])
    return env


def network_cut() -> list[str]:
    """A command prefix that runs its command with loopback only, if this machine allows it."""
    probe = ["unshare", "-n", "sh", "-c", "ip link set lo up"]
    try:
        if subprocess.run(probe, capture_output=True, timeout=30).returncode == 0:
            return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"']
    except (OSError, subprocess.TimeoutExpired):
        pass
    return []


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """The assignment built, its zip unpacked as a hosted grader does, setup.sh run."""
    work = tmp_path_factory.mktemp("hosted")
    text = (ROOT / "book" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    coursework = assignments.Coursework(points={"softmax_backward": POINTS}, hidden_seeds=2)
    folder = assignments.assign(CHAPTER, text, work / "assignments", coursework=coursework)
    seeds = json.loads((folder / "autograder" / "hidden_seeds.json").read_text(encoding="utf-8"))["seeds"]

    grader = work / "autograder"
    source = grader / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(assignments.autograder_zip(folder)) as zf:
        for info in zf.infolist():  # zipfile drops the permission bits; a hosted grader keeps them
            path = Path(zf.extract(info, source))
            mode = info.external_attr >> 16
            if mode:
                path.chmod(mode & 0o777)
    shutil.copy2(source / "run_autograder", grader / "run_autograder")

    env = clean_environment()
    start = time.perf_counter()
    setup = subprocess.run(
        ["bash", str(source / "setup.sh")], cwd=source, env=env, capture_output=True, text=True, timeout=1800
    )
    install_seconds = time.perf_counter() - start
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    print(f"\nsetup.sh: {install_seconds:.0f} s")
    return {"folder": folder, "grader": grader, "seeds": seeds, "env": env, "install_seconds": install_seconds}


def test_the_grading_environment_holds_only_what_the_zip_names(hosted):
    venv = hosted["grader"] / "source" / "venv"
    cfg = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in cfg
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import json, sys, derivations; print(json.dumps([derivations.__file__, sys.path]))"],
        capture_output=True, text=True, env=hosted["env"], cwd=hosted["grader"],
    )
    assert probe.returncode == 0, probe.stderr
    module, path = json.loads(probe.stdout)
    assert Path(module).is_relative_to(venv)  # the wheel's copy, not the checkout's
    assert not any(p and Path(p).resolve().is_relative_to(ROOT) for p in path)
    freeze = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "freeze"], capture_output=True, text=True, env=hosted["env"]
    ).stdout.lower()
    assert "derivations" in freeze and "otter-grader==" in freeze and "numpy==" in freeze


def grade_hosted(hosted, notebook: nbformat.NotebookNode, name: str) -> dict:
    """One submission, in a fresh submission/ and results/, graded by run_autograder."""
    grader = hosted["grader"]
    for part in ("submission", "results"):
        shutil.rmtree(grader / part, ignore_errors=True)
        (grader / part).mkdir()
    (grader / "submission_metadata.json").write_text("{}", encoding="utf-8")
    nbformat.write(notebook, grader / "submission" / f"{name}.ipynb")
    start = time.perf_counter()
    run = subprocess.run(
        [*network_cut(), str(grader / "run_autograder")],
        cwd=grader, env=hosted["env"], capture_output=True, text=True, timeout=900,
    )
    print(f"{name}: graded in {time.perf_counter() - start:.1f} s")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads((grader / "results" / "results.json").read_text(encoding="utf-8"))
    (test,) = [t for t in results["tests"] if t.get("name") == "softmax_backward"]
    assert [t["name"] for t in results["tests"]] == ["softmax_backward"]  # no "Public Tests" that all passed
    return test


def message_in_venv(hosted, seed):
    """What the grading environment's own check says about the wrong function on ``seed``."""
    venv_python = hosted["grader"] / "source" / "venv" / "bin" / "python"
    code = DIAGONAL_ONLY + (
        "from derivations.coursework import check\n"
        f"print(check('softmax_backward', my_softmax_backward, seed={seed}).message, end='')\n"
    )
    run = subprocess.run([str(venv_python), "-c", code], capture_output=True, text=True, env=hosted["env"])
    assert run.returncode == 0, run.stderr
    return run.stdout


def student_notebook(hosted, code=None):
    nb = nbformat.read(hosted["folder"] / "student" / f"{CHAPTER}.ipynb", 4)
    if code is not None:
        (cell,) = [c for c in nb.cells if c.cell_type == "code" and "def my_softmax_backward" in c.source]
        cell.source = code
    return nb


def test_the_solutions_get_full_points(hosted):
    solutions = nbformat.read(hosted["folder"] / "autograder" / f"{CHAPTER}.ipynb", 4)
    test = grade_hosted(hosted, solutions, "right")
    assert (test["score"], test["max_score"]) == (POINTS, POINTS), test["output"]
    assert test["output"].startswith("✓")


def test_a_known_mistake_gets_zero_and_is_named_in_the_feedback(hosted):
    test = grade_hosted(hosted, student_notebook(hosted, DIAGONAL_ONLY), "wrong")
    assert (test["score"], test["max_score"]) == (0, POINTS)
    output = test["output"]
    print(f"feedback of the wrong submission:\n{output}")
    assert "[diagonal-only-jacobian]" in output
    first = hosted["seeds"]["softmax_backward"][0]
    assert output == message_in_venv(hosted, first)  # the check's own words, on the first hidden seed
    assert "https://" in output
    for wrapper in ("Traceback", "AssertionError", "Error at line", "Test case failed"):
        assert wrapper not in output


def test_the_notebook_as_handed_out_gets_zero_and_not_implemented_yet(hosted):
    test = grade_hosted(hosted, student_notebook(hosted), "unchanged")
    assert (test["score"], test["max_score"]) == (0, POINTS)
    assert "not implemented yet" in test["output"]
