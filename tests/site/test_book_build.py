"""The strict book build with forced execution, and what it publishes.

``built_site`` (tests/conftest.py) runs ``jupyter-book build . -W -n
--keep-going --all`` with every notebook re-executed; any warning, broken
reference or failing cell fails it. These tests check that it succeeded and
that the site holds what readers are promised: every page of the table of
contents, no cell that failed unexpectedly, each chapter as a downloadable
notebook, and a Binder link that opens the chapter in JupyterLab.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from tools import assignments, book_toc, student

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def toc_docnames() -> list[str]:
    return book_toc.toc_docnames(ROOT)


def notebook_docnames() -> list[str]:
    """Pages whose source is a MyST notebook (a jupytext header with a kernel)."""
    out = []
    for name in toc_docnames():
        source = ROOT / f"{name}.md"
        if source.is_file():
            header = source.read_text(encoding="utf-8").split("\n---", 1)[0]
            if "kernelspec" in header:
                out.append(name)
    return out


def _soup(site: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def test_strict_build_with_forced_execution_succeeded(built_site):
    assert (built_site / "index.html").is_file()
    missing = [name for name in toc_docnames() if not (built_site / f"{name}.html").is_file()]
    assert not missing, f"pages in _toc.yml that the build did not write: {missing}"
    if not os.environ.get("DERIVATIONS_SITE"):
        log = (built_site.parents[1] / "build.log").read_text(encoding="utf-8")
        # myst-nb prints its configuration: every notebook ran, into a cache
        # that build_book emptied first (the editions reuse its outputs); a
        # page with the same code as one already run (none) reuses its run
        assert "execution_mode='cache'" in log and "build succeeded" in log
        ran = set(re.findall(r"/(book/[^/\s]+)\.md: (?:Executed notebook in|Using cached notebook)", log))
        assert ran == set(notebook_docnames()), ran
        assert "Executed notebook in" in log


def test_no_page_shows_a_traceback(built_site):
    """Error demonstrations print the type and message (derivations.teaching.demos), never a traceback."""
    unexpected = []
    for name in toc_docnames():
        for output in _soup(built_site, name).select("div.output.traceback, div.output.error"):
            unexpected.append(f"{name}: {output.get_text()[:200]!r}")
    assert not unexpected, "tracebacks on the site:\n" + "\n".join(unexpected)


def test_no_page_shows_the_build_machines_paths(built_site):
    """Outputs are read by everyone; the folder the book was built in is nobody's business."""
    leaks = []
    for name in toc_docnames():
        text = _soup(built_site, name).get_text(" ")
        for path in {str(ROOT), str(ROOT.resolve()), str(Path.home()), "/tmp/", "site-packages"}:
            if path and path in text:
                leaks.append(f"{name}: {path}")
    assert not leaks, leaks


def test_no_cell_fails_on_purpose():
    """A failing cell stops Run All in JupyterLab; demonstrations use expect_error."""
    tagged = [p.name for p in (ROOT / "book").glob("*.md") if "raises-exception" in p.read_text(encoding="utf-8")]
    assert not tagged, f"chapters with cells tagged raises-exception: {tagged}"


@pytest.mark.parametrize("docname", notebook_docnames())
def test_chapter_is_offered_as_a_notebook(built_site, docname):
    name = Path(docname).name
    path = built_site / "_notebooks" / f"{name}.ipynb"
    assert path.is_file(), f"{docname}: no {path.relative_to(built_site)}"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "downloads carry no outputs"
    # The learner's copy: no raw MyST roles, and no solution's code in a code cell,
    # so Run All never runs a reference solution between a stub and its check.
    chapter = (ROOT / f"{docname}.md").read_text(encoding="utf-8")
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    # code blocks and code spans may show MyST syntax as text (chapter 14 explains it)
    prose = re.sub(r"^(`{3,})(?!\{)[^\n]*\n.*?^\1\s*$", "", markdown, flags=re.S | re.M)
    prose = re.sub(r"``.+?``|`[^`\n]+`", "", prose)
    assert not re.search(r"\{(ref|numref|doc)\}`|\{(exercise|solution)-(start|end)\}", prose)
    solutions = student.solutions(chapter)
    # a line the chapter also shows outside its solutions (the buggy starting
    # code of a find-the-bug exercise keeps most of its lines) gives nothing away
    shown = chapter
    for block in solutions:
        shown = shown.replace(block, "")
    shown_lines = {line.strip() for line in shown.splitlines()}
    solution_code = {
        line.strip()
        for block in solutions
        for line in block.splitlines()
        if line.strip().startswith(("return ", "e = ", "p = ")) and line.strip() not in shown_lines
    }
    for cell in code:
        assert not solution_code & {l.strip() for l in cell.source.splitlines()}, cell.source[:200]
    if "NotImplementedError" in chapter:
        assert any("NotImplementedError" in c.source for c in code)
        checks = sum(c.source.lstrip().startswith("check(") for c in code)
        assert checks >= len(assignments.parse_exercises(chapter))  # each exercise's check is a code cell

    links = [a["href"] for a in _soup(built_site, docname).select("a.btn-download-notebook-button")]
    assert len(links) == 1, f"{docname}: expected one notebook download link, found {links}"
    assert (built_site / Path(docname).parent / links[0]).resolve() == path.resolve()


@pytest.mark.parametrize("docname", notebook_docnames())
def test_binder_link_opens_the_chapter_in_jupyterlab(built_site, docname):
    repo = urlparse(CONFIG["repository"]["url"]).path.strip("/")
    branch = CONFIG["repository"].get("branch", "master")
    binder = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
    hrefs = [a["href"] for a in _soup(built_site, docname).select(".dropdown-launch-buttons a")]
    assert len(hrefs) == 1, f"{docname}: expected one launch link, found {hrefs}"
    url = urlparse(hrefs[0])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{binder}/v2/gh/{repo}/{branch}"
    # the learner's copy that binder/postBuild makes, never the MyST source
    assert parse_qs(url.query)["urlpath"] == [f"lab/tree/lab/{Path(docname).name}.ipynb"]
    assert (ROOT / f"{docname}.md").is_file()


def test_source_downloads_are_not_offered(built_site):
    """html_copy_source is off (solutions must not ship twice), so no _sources links."""
    assert not (built_site / "_sources").exists()
    for name in toc_docnames():
        assert not _soup(built_site, name).select('a[href*="_sources"]'), name


# -- the environment the launch link and `make lab` open --------------------------


def test_binder_installs_the_book_package_and_jupytext():
    binder = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").split()
    assert "../requirements.txt" in binder  # via -r, resolved from binder/
    root_requirements = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    assert "-e ." in root_requirements  # repo2docker runs pip from the repository root
    names = {re.split(r"[<>=!~\[ ]", line)[0].lower() for line in root_requirements if line}
    assert {"jupytext", "jupyterlab", "jupyterlab-myst"} <= names


def test_jupyterlab_never_opens_the_myst_sources_as_notebooks():
    """Opened as notebooks, book/*.md would be rewritten by jupytext on autosave."""
    overrides = json.loads((ROOT / "binder" / "overrides.json").read_text(encoding="utf-8"))
    viewers = overrides.get("@jupyterlab/docmanager-extension:plugin", {}).get("defaultViewers", {})
    assert "Jupytext Notebook" not in viewers.values()
    post_build = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "binder/overrides.json" in post_build and "lab/settings" in post_build
    assert "tools/lab.py copies" in post_build
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "binder/overrides.json" in makefile and "tools/lab.py copies" in makefile
    assert "--allow-root" in makefile and "$(LAB_ARGS)" in makefile
