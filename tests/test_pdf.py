"""The printed book: ``make pdf``'s build, strict and with forced execution.

``built_pdf`` builds the whole book once per session the way ``make pdf``
does (Jupyter Book's LaTeX builder, xelatex, ``-W -n --keep-going``), with
every notebook re-executed, into ``_build/test-pdf`` so that it never
disturbs ``_build/latex``. ``make test`` installs TeX first (``make tex``).
The checks read the PDF with poppler's tools (pdfinfo, pdffonts, pdftotext,
pdfimages) and the LaTeX log.
"""

from __future__ import annotations

import doctest
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, forced_config
from tools import book_pdf, book_toc

PDF_BUILD = ROOT / "_build" / "test-pdf"
LATEX_DIR = PDF_BUILD / "_build" / "latex"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Pages of the PDF when these tests were written (255), give or take a quarter.
PAGES = range(190, 320)
TOOLS = ("xelatex", "latexmk", "pdfinfo", "pdffonts", "pdftotext", "pdfimages")


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.fixture(scope="session")
def built_pdf() -> Path:
    """The PDF of a fresh strict build (``_build/test-pdf/_build/latex/book.pdf``)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"TeX or poppler is missing ({', '.join(missing)}): run `make tex` (make test does).",
                    pytrace=False)
    shutil.rmtree(PDF_BUILD, ignore_errors=True)
    config = forced_config(ROOT / "_config.yml", PDF_BUILD / "_config.force.yml")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(jupyter_book), "build", str(ROOT), "--builder", "pdflatex",
        "-W", "-n", "--keep-going", "--all",
        "--config", str(config), "--path-output", str(PDF_BUILD),
    ]
    start = time.monotonic()
    build = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                           env={**os.environ, "PYTHONUNBUFFERED": "1"})
    log = (f"$ {' '.join(command)}\n{build.stdout}\n{build.stderr}\n"
           f"build took {time.monotonic() - start:.0f} s\n")
    (PDF_BUILD / "build.log").write_text(log, encoding="utf-8")
    pdf = LATEX_DIR / "book.pdf"
    if build.returncode != 0 or not pdf.is_file():
        tail = "\n".join(log.splitlines()[-120:])
        pytest.fail(f"The strict PDF build failed (exit code {build.returncode}); full log in "
                    f"{PDF_BUILD / 'build.log'}, LaTeX's in {LATEX_DIR / 'book.log'}. Last lines:\n{tail}",
                    pytrace=False)
    return pdf


@pytest.fixture(scope="session")
def pdf_text(built_pdf) -> str:
    return run("pdftotext", "-enc", "UTF-8", str(built_pdf), "-")


@pytest.fixture(scope="session")
def latex_log(built_pdf) -> str:
    return (LATEX_DIR / "book.log").read_text(encoding="utf-8", errors="replace")


def mime_bundles() -> list[list[str]]:
    """The mime types of every cell output of the book, from the build's doctrees."""
    from docutils import nodes

    bundles = []
    for name in book_toc.toc_docnames(ROOT):
        doctree = pickle.loads((PDF_BUILD / "_build" / ".doctrees" / f"{name}.doctree").read_bytes())
        for bundle in doctree.findall(lambda n: isinstance(n, nodes.container) and n.get("nb_element") == "mime_bundle"):
            bundles.append([child.get("mime_type") for child in bundle.children])
    return bundles


def chapter_title(docname: str) -> str:
    """The first level-1 heading of a page, outside code cells."""
    fenced = False
    for line in (ROOT / f"{docname}.md").read_text(encoding="utf-8").split("\n---", 2)[-1].splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{docname}.md has no title")


def squeezed(text: str) -> str:
    """Lower case, one space between words, hyphenated line ends joined, typographic quotes plain."""
    text = re.sub(r"-\n\s*", "-", text)
    text = text.replace("’", "'").replace("‘", "'").replace("−", "-")
    return re.sub(r"\s+", " ", text).lower()


def test_column_widths_doctest():
    assert doctest.testmod(book_pdf).failed == 0


def test_page_count(built_pdf):
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(built_pdf)), re.M).group(1))
    assert pages in PAGES, f"{pages} pages, expected {PAGES.start}..{PAGES.stop - 1}: did a chapter go missing or explode?"


def test_every_font_is_embedded(built_pdf):
    rows = run("pdffonts", str(built_pdf)).splitlines()[2:]
    assert rows, "pdffonts lists no fonts"
    # columns: name type encoding emb sub uni object ID; the name has no spaces, the type may
    not_embedded = [row.split()[0] for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"


def test_no_unresolved_references(pdf_text, latex_log):
    assert "??" not in pdf_text, "an unresolved reference prints as ?? in the PDF"
    problems = re.findall(
        r"^(?:LaTeX Warning: (?:Hyper reference|Reference|Citation) `[^']*' on page \d+ undefined"
        r"|LaTeX Warning: There were undefined references"
        r"|Package hyperref Warning: .*undefined).*$",
        latex_log, re.M)
    assert not problems, "\n".join(problems[:20])


def test_no_missing_characters(latex_log):
    missing = sorted(set(re.findall(r"Missing character: There is no (\S+ \(U\+[0-9A-F]+\)) in font ([^/!\n]+)", latex_log)))
    assert not missing, f"characters the fonts lack (they vanish from the page): {missing}"


def test_every_chapter_title(pdf_text):
    text = squeezed(pdf_text)
    titles = {name: chapter_title(name) for name in book_toc.toc_docnames(ROOT)}
    absent = {name: title for name, title in titles.items() if squeezed(title) not in text}
    assert not absent, f"titles not in the PDF's text: {absent}"


def test_every_figure_is_an_image(built_pdf):
    figures = sum("image/png" in types for types in mime_bundles())
    assert figures >= 20, f"only {figures} figures in the book's outputs: the count is broken"
    rows = [row.split() for row in run("pdfimages", "-list", str(built_pdf)).splitlines()[2:]]
    images = sum(1 for row in rows if len(row) > 2 and row[2] == "image")
    assert images >= figures, f"{images} images in the PDF for {figures} figures"


def test_explorers_point_to_the_web(pdf_text):
    explorers = sum(WIDGET_VIEW in types for types in mime_bundles())
    assert explorers >= 4
    text = squeezed(pdf_text)
    assert text.count(squeezed(book_pdf.EXPLORER_SENTENCE)) == explorers
    assert not re.search(r"\b\w+explorer\(", text), "an explorer printed as its repr"


def test_no_raw_markup(pdf_text):
    tex = re.findall(r"\\[()\[\]]|\\(?:frac|sum|partial|operatorname|mathbb|mathrm|begin|end|left|right"
                     r"|cdot|top|sphinx\w*)\b|\$\$", pdf_text)
    assert not tex, f"TeX source in the PDF's text: {sorted(set(tex))}"
    html = re.findall(r"</?(?:img|div|span|script|picture|source|table|details|summary|br)\b|data:image|&nbsp;", pdf_text)
    assert not html, f"HTML in the PDF's text: {sorted(set(html))}"


def test_nothing_runs_off_the_page(latex_log):
    """No line or table wider than the text by more than a few points."""
    overfull = [(float(width), where) for width, where in
                re.findall(r"^Overfull \\hbox \(([\d.]+)pt too wide\) (.*)$", latex_log, re.M)]
    wide = [f"{width:.0f}pt {where}" for width, where in overfull if width > 12]
    assert not wide, "\n".join(wide)
