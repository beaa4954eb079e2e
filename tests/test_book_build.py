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

import jupytext
import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from tools import book_toc

ROOT = Path(__file__).resolve().parent.parent
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
        # myst-nb prints its configuration: every notebook was re-executed
        assert "execution_mode='force'" in log
        assert "build succeeded" in log


def test_only_cells_marked_to_fail_show_errors(built_site):
    """A traceback on a page must come from a cell tagged raises-exception."""
    unexpected = []
    for name in toc_docnames():
        for output in _soup(built_site, name).select("div.output.traceback, div.output.error"):
            cell = output.find_parent("div", class_="cell")
            if cell is None or "tag_raises-exception" not in cell.get("class", []):
                unexpected.append(f"{name}: {output.get_text()[:200]!r}")
    assert not unexpected, "cells that failed without being tagged raises-exception:\n" + "\n".join(unexpected)


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
    # The same cells as the chapter's source, in the same order.
    source = jupytext.read(ROOT / f"{docname}.md")
    assert [c.source for c in notebook.cells] == [c.source for c in source.cells]

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
    assert parse_qs(url.query)["urlpath"] == [f"lab/tree/{docname}.md"]
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
    assert {"jupytext", "jupyterlab"} <= names


def test_jupyterlab_opens_markdown_chapters_as_notebooks():
    overrides = json.loads((ROOT / "binder" / "overrides.json").read_text(encoding="utf-8"))
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"
    post_build = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "binder/overrides.json" in post_build and "lab/settings" in post_build
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
    assert "binder/overrides.json" in (ROOT / "Makefile").read_text(encoding="utf-8")
