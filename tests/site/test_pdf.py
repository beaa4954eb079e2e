"""The printed book: ``make pdf``'s build, strict and with forced execution.

``built_pdf`` builds the whole book once per session the way ``make pdf``
does (Jupyter Book's LaTeX builder, xelatex, ``-W -n --keep-going``), with
every notebook re-executed, into ``_build/test-pdf`` so that it never
disturbs ``_build/latex`` (``DERIVATIONS_PDF_BUILD`` names another folder
for it). ``make test`` installs TeX first (``make tex``).
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

PDF_BUILD = Path(os.environ.get("DERIVATIONS_PDF_BUILD") or ROOT / "_build" / "test-pdf").resolve()
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
        found = doctree.findall(lambda n: isinstance(n, nodes.container) and n.get("nb_element") == "mime_bundle")
        for bundle in found:
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
    assert pages in PAGES, (
        f"{pages} pages, expected {PAGES.start}..{PAGES.stop - 1}: did a chapter go missing or explode?"
    )


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
    missing_glyph = r"Missing character: There is no (\S+ \(U\+[0-9A-F]+\)) in font ([^/!\n]+)"
    missing = sorted(set(re.findall(missing_glyph, latex_log)))
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
    html = re.findall(
        r"</?(?:img|div|span|script|picture|source|table|details|summary|br)\b|data:image|&nbsp;", pdf_text
    )
    assert not html, f"HTML in the PDF's text: {sorted(set(html))}"


def test_nothing_runs_off_the_page(latex_log):
    """No line or table cell wider than its column by more than a few points
    (a number in a squeezed table column was 5.8 pt too wide)."""
    overfull = re.findall(r"^Overfull \\hbox \(([\d.]+)pt too wide\) (.*)\n(.*)$", latex_log, re.M)
    wide = [f"{float(width):.1f}pt {where}: {text}" for width, where, text in overfull if float(width) > 3]
    assert not wide, "\n".join(wide)


def test_no_box_runs_into_the_footer(latex_log):
    """A page holds no more than its text height: a solution box that breaks
    across pages once ran 23 and 31 pt into the footer, which LaTeX reports
    as an overfull page (\\vbox); a few points are the usual slack of a page."""
    high = [f"{float(height):.1f}pt at line {line}" for height, line in
            re.findall(r"^Overfull \\vbox \(([\d.]+)pt too high\) detected at line (\d+)", latex_log, re.M)
            if float(height) > 5]
    assert not high, "pages taller than the text: " + ", ".join(high)


def test_running_head_has_room(latex_log):
    """fancyhdr warns when the running head is taller than the space set aside for it."""
    assert "\\headheight is too small" not in latex_log


def test_solution_boxes_clear_of_the_footer(built_pdf):
    """No text of a page's body lies as low as its footer line (pdftotext's boxes)."""
    xml = run("pdftotext", "-bbox", str(built_pdf), "-")
    word = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')
    low = []
    for number, page in enumerate(xml.split("<page ")[1:], 1):
        words = [(float(top), float(bottom), text) for top, bottom, text in word.findall(page)]
        if not words:
            continue
        footer = max(top for top, _, _ in words)
        body = [(bottom, text) for top, bottom, text in words if top < footer - 2]
        # the footer's text starts 6 pt below its rule; the body's lowest line ends 14 pt or more above it
        if body and max(body)[0] > footer - 10:
            low.append(f"page {number}: {max(body)[1]!r}")
    assert not low, "body text down at the footer: " + ", ".join(low)


def backmatter_docnames() -> list[str]:
    """The chapters of the toc's parts after its last numbered part (the back matter)."""
    import yaml

    names: list[str] = []
    for part in yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["parts"]:
        if part.get("numbered"):
            names = []
        else:
            names += [re.sub(r"\.(md|ipynb)$", "", chapter["file"]) for chapter in part["chapters"]]
    return names


def test_back_matter_is_unnumbered(pdf_text):
    """Notation, the summary and the references print as back matter: no
    chapter numbers (in the contents, the headings, the footers) after the
    last numbered chapter, and no part page of their own; references to them
    print their titles."""
    back = backmatter_docnames()
    assert back, "_toc.yml has no unnumbered parts at its end"
    toc = (LATEX_DIR / "book.toc").read_text(encoding="utf-8", errors="replace")
    chapters = re.findall(r"\\contentsline \{chapter\}\{(.*)\}\{\d+\}\{chapter", toc)
    numbered = [c for c in chapters if c.startswith("\\numberline")]
    titles = [squeezed(chapter_title(name)) for name in back]
    for title in titles:
        entries = [c for c in chapters if squeezed(re.sub(r"\\[a-zA-Z]+ ?|[{}]", "", c)).endswith(title)]
        assert entries, f"{title!r} is not a chapter in the contents"
        assert not any(c.startswith("\\numberline") for c in entries), f"{title!r} is numbered: {entries}"
    last = len(numbered)
    assert last >= 10, f"only {last} numbered chapters in the contents"
    text = squeezed(pdf_text)
    assert f"chapter {last + 1}" not in text, f"the PDF has a chapter {last + 1}"
    parts = re.findall(r"\\contentsline \{part\}\{(.*)\}\{\d+\}\{", toc)
    assert parts and not re.match(r"[IVXLC]+\\hspace", parts[-1]), f"the back matter is a numbered part: {parts[-1]}"
    assert not re.search(r"\bpart [ivx]+ back matter\b", text), "the back matter has a part page of its own"
    # references to them print their titles (hyperref), never a number LaTeX no longer gives them
    tex = (LATEX_DIR / "book.tex").read_text(encoding="utf-8")
    labels = "|".join(re.escape(name) for name in back)
    assert re.search(rf"\\hyperref\[\\detokenize\{{(?:{labels}):", tex), "no reference to the back matter to check"
    numbers = re.findall(rf"\\(?:ref|pageref|autoref|nameref)\{{\\detokenize\{{(?:{labels}):[^}}]*\}}", tex)
    assert not numbers, f"references to the back matter by number: {numbers[:5]}"


def page_texts(pdf: Path) -> list[str]:
    return run("pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-").split("\f")


def test_introduction_footer_reads_its_title(built_pdf):
    """The introduction follows the contents with no chapter heading of its
    own; its pages' footers read its title, not CONTENTS."""
    pages = page_texts(built_pdf)
    footers = [[line for line in page.splitlines() if line.strip()][-1:] for page in pages]
    footers = [squeezed(f[0]) if f else "" for f in footers]
    # the introduction's pages are the first ones numbered 1 and 2 (arabic)
    first = next(i for i, f in enumerate(footers) if re.search(r"(^| )1$", f))
    title = squeezed(chapter_title(book_toc.toc_docnames(ROOT)[0]))
    for footer in footers[first:first + 2]:
        assert "contents" not in footer, f"the introduction's footer reads {footer!r}"
        assert title in footer, f"the introduction's footer reads {footer!r}, not its title {title!r}"
