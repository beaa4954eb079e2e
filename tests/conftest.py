"""Session fixtures shared by the book tests: one strict, fully executed build.

``built_site`` builds the whole book once per test session, the way CI must:
``jupyter-book build . -W -n --keep-going --all`` with every notebook
re-executed, into ``_build/test`` so it never disturbs ``_build/html``; then
each edition (es, id, zh_CN) into ``<site>/<lang>/``, strictly, from the
outputs of that one execution (``tools/locales.py``). The notebooks run into
an execution cache that is emptied first, which the editions then reuse. Set
``DERIVATIONS_SITE`` to an existing HTML folder (e.g. ``_build/html``) to test
that instead and skip the build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tools import locales

ROOT = Path(__file__).resolve().parent.parent
TEST_BUILD = ROOT / "_build" / "test"
SITE_ENV = "DERIVATIONS_SITE"


def forced_config(source: Path, dest: Path, cache: Path | None = None) -> Path:
    """Write a copy of ``_config.yml`` that re-executes every notebook.

    With ``cache``, the notebooks run into that execution cache, emptied
    first, so that later builds can reuse their outputs. The copy lives
    outside the repository root, so paths Jupyter Book resolves relative to
    the config file (local extensions) are made absolute.
    """
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    if cache is None:
        config.setdefault("execute", {})["execute_notebooks"] = "force"
    else:
        shutil.rmtree(cache, ignore_errors=True)
        config.setdefault("execute", {}).update(execute_notebooks="cache", cache=str(cache))
    extensions = config.get("sphinx", {}).get("local_extensions") or {}
    for name, path in extensions.items():
        extensions[name] = str((source.parent / path).resolve())
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return dest


def build_book(root: Path = ROOT, out: Path = TEST_BUILD) -> tuple[int, str, Path]:
    """Strict build with forced execution, then the editions; returns (exit code, log, html dir)."""
    cache = out / "_build" / ".jupyter_cache"
    config = forced_config(root / "_config.yml", out / "_config.force.yml", cache)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(jupyter_book), "build", str(root),
        "-W", "-n", "--keep-going", "--all",
        "--config", str(config),
        "--path-output", str(out),
    ]
    start = time.monotonic()
    run = subprocess.run(
        command, cwd=root, capture_output=True, text=True, timeout=900,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seconds = time.monotonic() - start
    # Reported, not asserted: timings on a shared 2-core machine are noisy.
    log = f"$ {' '.join(command)}\n{run.stdout}\n{run.stderr}\nbuild took {seconds:.0f} s\n"
    site, code = out / "_build" / "html", run.returncode
    if code == 0:
        start = time.monotonic()
        try:
            locales.build_all(site=site, editions=out / "editions", cache=cache)
        except RuntimeError as err:
            code, log = 1, log + f"\n{err}\n"
        log += f"the editions {', '.join(locales.EDITIONS)} took {time.monotonic() - start:.0f} s\n"
    (out / "build.log").write_text(log, encoding="utf-8")
    return code, log, site


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Path of a built HTML site: DERIVATIONS_SITE, or a fresh strict build."""
    given = os.environ.get(SITE_ENV)
    if given:
        site = Path(given).resolve()
        if not (site / "index.html").is_file():
            pytest.fail(f"{SITE_ENV}={given!r} is not a built site (no index.html there).")
        return site

    code, log, site = build_book()
    if code != 0:
        tail = "\n".join(log.splitlines()[-150:])
        pytest.fail(
            f"The strict book build failed (exit code {code}); "
            f"full log in {TEST_BUILD / 'build.log'}. Last lines:\n{tail}",
            pytrace=False,
        )
    return site


# `make test-fast` runs everything but these: the strict book build and what
# reads it, the browser, the PDF, notebooks run in kernels, the timing runs.
# The rules go by what a test uses, so a new test that needs the built site is
# slow without anyone marking it.
SLOW_FIXTURES = {"built_site", "site_url", "page", "browser"}
SLOW_FILES = {
    "test_book_build.py": "the strict book build",
    "test_pdf.py": "the LaTeX build of the whole book",
    "test_bench_targets.py": "timing runs, which need a quiet machine",
    "test_bench_runs.py": "runs make bench end to end",
    "test_assignments_hosted.py": "installs the autograder zip into a fresh venv",
    "test_assignments.py": "builds otter assignments and grades notebooks in kernels",
    "test_student.py": "builds the student site",
    "test_lab_copies.py": "runs every chapter's Lab copy in a kernel",
    "test_losses_torch_fuzz.py": "a hypothesis fuzz against live torch, when installed (make test-torch)",
}
SLOW_TESTS = {
    "test_the_catalogues_hold_todays_english": "extracts the messages with a gettext build",
    "test_peak_memory_is_an_eighth_of_the_logits_route": "allocates and measures gigabytes",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        why = (
            SLOW_FILES.get(path.name)
            or SLOW_TESTS.get(getattr(item, "originalname", item.name))
            or ("browser" if "browser" in path.parts else None)
            or ("the built site" if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) else None)
        )
        if why:
            item.add_marker(pytest.mark.slow(why))
