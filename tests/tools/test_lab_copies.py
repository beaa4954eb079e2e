"""The learners' copies that `make lab` opens (tools/lab.py).

What a learner needs from a copy, checked on the notebook files: MyST that
jupyterlab-myst renders on its own, solutions that Run All cannot execute,
links to the book with the text Sphinx gives them, setup cells collapsed, and
a learner's edits never overwritten. ``tests/browser/test_lab.py`` checks the
same copies in a running JupyterLab.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import nbformat
import pytest

from derivations import chapters
from derivations.coursework import EXERCISES
from tools import lab, student

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = [p.name for p in student.toc_files(ROOT) if student.is_notebook(p.read_text(encoding="utf-8"))]
RAW = re.compile(r"\{(ref|numref|doc)\}`|\{(exercise|solution)-(start|end)\}|\{literalinclude\}|\{solution\}")


@pytest.fixture(scope="module")
def index():
    return lab.label_index(ROOT)


@pytest.fixture(scope="module")
def copies(tmp_path_factory, monkeypatch_module):
    out = tmp_path_factory.mktemp("lab")
    monkeypatch_module.delenv(chapters.URL_VARIABLE, raising=False)
    lab.write_copies(out, ROOT)
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(out.glob("*.ipynb"))}


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _without_code(markdown: str) -> str:
    """Markdown minus fenced code blocks and code spans, which show MyST as text on purpose."""
    lines, keep = markdown.splitlines(), []
    inside = None
    for line in lines:
        m = re.match(r"^\s*(`{3,}|~{3,})", line)
        if m and inside is None and not re.match(r"^\s*`{3,}\{", line):
            inside = m[1]
            continue
        if inside is not None:
            if line.strip().startswith(inside):
                inside = None
            continue
        keep.append(line)
    return re.sub(r"``.+?``|`[^`]+`", "", "\n".join(keep))


def test_every_chapter_has_a_copy(copies):
    assert sorted(copies) == sorted(Path(c).stem for c in CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_myst_that_jupyterlab_cannot_render(copies, chapter):
    nb = copies[Path(chapter).stem]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = RAW.search(_without_code(cell.source))
            assert found is None, f"{chapter}: {found[0]!r} in\n{cell.source[:400]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_run_all_never_runs_a_solution(copies, chapter):
    """The reference solutions live in Markdown; a code cell holds only stubs and checks."""
    full = (ROOT / "book" / chapter).read_text(encoding="utf-8")
    nb = copies[Path(chapter).stem]
    code_cells = [c.source for c in nb.cells if c.cell_type == "code"]
    for solution in student.solutions(full):
        for block in student.fenced_blocks(solution.splitlines()):
            if block.name != "code-cell":
                continue
            body = "\n".join(solution.splitlines()[block.start + 1 : block.end]).strip()
            assert body not in code_cells, f"{chapter}: a solution is a code cell:\n{body[:300]}"
            # the solution is still there, as text inside a closed dropdown
            assert any(body in c.source and "{dropdown}" in c.source for c in nb.cells if c.cell_type == "markdown")
    # every check comes after its stub with no other definition of the function in between
    for i, source in enumerate(code_cells):
        m = re.search(r"check\(\s*\"\w+\"\s*,\s*(\w+)", source)
        if not m or source.lstrip().startswith("def "):
            continue
        defs = [j for j, s in enumerate(code_cells[:i]) if re.search(rf"^def {m[1]}\(", s, re.M)]
        if defs:
            start = code_cells[defs[-1]]
            assert "NotImplementedError" in start or start.strip() == _starting_code(m[1]), (
                f"{chapter}: {m[1]} is redefined before its check"
            )


def _starting_code(function):
    """The buggy code a find-the-bug exercise's cell starts from, under the learner's name; None otherwise."""
    ex = next((e for e in EXERCISES.values() if e.function == function and e.starts_from is not None), None)
    if ex is None:
        return None
    source = "\n".join(line for line in inspect.getsource(ex.starts_from).splitlines() if not line.startswith("@"))
    return source.replace(f"def {ex.starts_from.__name__}(", f"def {function}(", 1)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_hidden_cells_start_collapsed(copies, chapter):
    nb = copies[Path(chapter).stem]
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and tags & {"remove-cell", "hide-input", "remove-input", "hide-cell"}:
            assert cell.metadata["jupyter"]["source_hidden"] is True


def test_student_copies_have_no_solution_text(tmp_path):
    out = tmp_path / "student"
    lab.write_copies(out, ROOT, student_copy=True)
    notebooks = sorted(out.glob("*.ipynb"))
    assert len(notebooks) == len(CHAPTERS)
    leaks = student.find_leaks(student.read_chapters(ROOT), notebooks)
    assert not leaks, [str(l) for l in leaks[:5]]
    text = "\n".join(p.read_text(encoding="utf-8") for p in notebooks)
    assert "Solution to" not in text and "NotImplementedError" in text


def test_links_carry_the_text_sphinx_gives_them(copies):
    """Section titles for {ref}, numbered names for {numref}, hand-checked against the chapters."""
    text = "\n".join(c.source for c in copies["07_fused_vs_separate"].cells if c.cell_type == "markdown")
    base = chapters.PUBLISHED_URL + "book/07_fused_vs_separate.html"
    # chapter 7's third figure, by counting its :mystnb: figures in order
    assert f"[Fig. 7.3]({base}#fig-batch-mean)" in text
    assert f"[Exercise 7.4]({base}#ex-fused-vs-separate-4)" in text
    # a {ref} to a section of another chapter: the heading under its label
    puzzle = (ROOT / "book" / "01_puzzle.md").read_text(encoding="utf-8")
    heading = puzzle.split("(puzzle-wrong-step)=\n", 1)[1].splitlines()[0].lstrip("# ").strip()
    all_md = "\n".join(c.source for nb in copies.values() for c in nb.cells if c.cell_type == "markdown")
    assert f"[{heading}]({chapters.PUBLISHED_URL}book/01_puzzle.html#puzzle-wrong-step)" in all_md


def test_numbering_matches_the_built_site(built_site, index):
    """Every numbered label ("Fig. 7.3", "Exercise 4.2") reads the same on the site."""
    from bs4 import BeautifulSoup

    pages = {}
    checked = 0
    for label, target in index.items():
        if not target.numbered:
            continue
        page = built_site / (target.chapter[: -len(".md")] + ".html")
        soup = pages.setdefault(page, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        node = soup.find(id=label)
        assert node is not None, f"{label}: no element with that id on {page.name}"
        text = node.get_text(" ", strip=True)
        kind, number = target.numbered.split(" ")
        assert number in text, f"{label}: the site says {text[:120]!r}, the copies {target.numbered!r}"
        checked += 1
    assert checked >= 20


def test_links_follow_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(chapters.URL_VARIABLE, "http://127.0.0.1:8000")
    lab.write_copies(tmp_path, ROOT, chapters=["01_puzzle.md"])
    text = (tmp_path / "01_puzzle.ipynb").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8000/book/" in text and chapters.PUBLISHED_URL not in text


def test_an_edited_copy_is_never_overwritten(tmp_path):
    first = lab.write_copies(tmp_path, ROOT, chapters=["06_backward_any_loss.md"])
    path = tmp_path / "06_backward_any_loss.ipynb"
    assert first.written == [path]
    # a rerun on an untouched copy changes nothing
    assert lab.write_copies(tmp_path, ROOT, chapters=["06_backward_any_loss.md"]).unchanged == [path]
    # outputs and metadata that running cells adds are not edits
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["execution_count"] = 3
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert lab.write_copies(tmp_path, ROOT, chapters=["06_backward_any_loss.md"]).unchanged == [path]
    # an edit to the learner's code is
    stub = next(c for c in nb["cells"] if "NotImplementedError" in "".join(c["source"]))
    stub["source"] = "def my_softmax_backward(p, dp):\n    return p * dp\n"
    path.write_text(json.dumps(nb), encoding="utf-8")
    manifest = tmp_path / lab.MANIFEST
    report = lab.write_copies(tmp_path, ROOT, chapters=["06_backward_any_loss.md"])
    assert report.kept == [path] and not report.written
    assert "return p * dp" in path.read_text(encoding="utf-8")
    # --fresh sets it aside under a new name and writes a new copy
    report = lab.write_copies(tmp_path, ROOT, chapters=["06_backward_any_loss.md"], fresh=True)
    assert report.written == [path] and len(report.set_aside) == 1
    aside = report.set_aside[0][1]
    assert "return p * dp" in aside.read_text(encoding="utf-8")
    assert "return p * dp" not in path.read_text(encoding="utf-8")
    assert manifest.is_file()


def test_a_copy_opens_unmodified_in_jupyterlab(copies):
    """JupyterLab marks a notebook modified when the kernel's metadata differs from the file's."""
    import platform

    nb = copies["01_puzzle"]
    assert nb.metadata["kernelspec"] == {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3",
    }
    assert nb.metadata["language_info"]["version"] == platform.python_version()
    assert "jupytext" not in nb.metadata


def test_making_copies_leaves_book_untouched(tmp_path):
    before = {p: p.read_bytes() for p in (ROOT / "book").glob("*.md")}
    lab.write_copies(tmp_path, ROOT)
    assert before == {p: p.read_bytes() for p in (ROOT / "book").glob("*.md")}


@pytest.fixture(scope="module")
def student_copies(tmp_path_factory, monkeypatch_module):
    out = tmp_path_factory.mktemp("lab-student")
    monkeypatch_module.delenv(chapters.URL_VARIABLE, raising=False)
    lab.write_copies(out, ROOT, student_copy=True)
    return out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_run_all_reaches_the_end_of_a_student_copy(student_copies, chapter):
    """Run All, headless, on the copy with no solutions at all: nothing may raise.

    Every stub is unfinished there, so this also proves that no later cell
    depends on a solution, and that each check answers "not implemented yet".
    ``tests/browser/test_lab.py`` does the same through JupyterLab's menu.
    """
    from nbclient import NotebookClient

    path = student_copies / (Path(chapter).stem + ".ipynb")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.get("name") == "stderr"]
    assert not stderr, stderr[:2]
    stubs = sum("NotImplementedError(" in c.source for c in nb.cells if c.cell_type == "code")
    verdicts = sum(
        "not implemented yet" in str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )
    assert verdicts >= stubs


@pytest.mark.parametrize("lang", ["es", "id", "zh_CN"])
def test_an_editions_copies_are_in_its_language(tmp_path, monkeypatch, lang):
    """`tools/lab.py copies --language <lang>` (what binder/postBuild runs) writes <out>/<lang>/.

    The copy's prose is the edition's, its links go to the edition, its first
    cell sets the language, and its code cells are the English copy's.
    """
    monkeypatch.delenv(chapters.URL_VARIABLE, raising=False)
    assert lab.main(["copies", "--language", lang, "--out", str(tmp_path)]) == 0
    path = tmp_path / lang / "01_puzzle.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].source.endswith(f'os.environ["DERIVATIONS_LANGUAGE"] = "{lang}"')
    title = student.translate_chapter("# The puzzle\n", lang, "01_puzzle.md", ROOT)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert title.strip() != "# The puzzle" and title.strip() in markdown
    assert f"{chapters.PUBLISHED_URL}{lang}/book/" in markdown
    assert not re.search(re.escape(chapters.PUBLISHED_URL) + r"book/", markdown)
    english = lab.notebook((ROOT / "book" / "01_puzzle.md").read_text(encoding="utf-8"), "book/01_puzzle.md",
                           lab.label_index(ROOT), ROOT)
    assert [c.source for c in nb.cells[1:] if c.cell_type == "code"] == \
        [c.source for c in english.cells if c.cell_type == "code"]
    # the figures' captions, which are cell metadata, are the edition's too
    captions = [(c.metadata["mystnb"]["figure"]["caption"], e.metadata["mystnb"]["figure"]["caption"])
                for c, e in zip(nb.cells[1:], english.cells) if c.metadata.get("mystnb", {}).get("figure")]
    assert captions and all(mine != theirs for mine, theirs in captions), captions
    # one copy per notebook chapter, and only in <out>/<lang>/
    assert sorted(p.name for p in (tmp_path / lang).glob("*.ipynb")) == sorted(
        Path(c).stem + ".ipynb" for c in CHAPTERS)
    assert not list(tmp_path.glob("*.ipynb"))
