"""One notation across the book, as the notation page states it.

The checks read the chapters' maths (``$...$`` and ``$$...$$`` outside code
cells and inline code) and assert what can be decided mechanically: every
chapter links the notation page; the implementation chapters write the
probabilities as p and never index classes with c or u; chapter 5 writes its
differentials with a delta, because dz always means a gradient; H is never a
loss or an entropy; chapter 11 never writes scikit-learn's regularisation
parameter as a bare C; and every symbol the notation page lists is used
somewhere in the book.

Hint blocks are left out of the maths checks: they are written alongside the
exercises and are checked when those are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.md"))
LINK = "{ref}`notation`"

_CODE_CELL = re.compile(r"^(`{3,})\{code-cell\}.*?^\1\s*$", re.S | re.M)
_HINT = re.compile(r"^```\{hint\}.*?^```\s*$", re.S | re.M)
_INLINE_CODE = re.compile(r"(?<!\})`[^`\n]*`")  # a role's target, {ref}`x`, is kept
_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n](?:[^$]|\n(?!\n))*?)\$", re.S)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose(text: str) -> str:
    """The text without code cells, hint blocks and inline code (line numbers kept)."""
    for pattern in (_CODE_CELL, _HINT, _INLINE_CODE):
        text = pattern.sub(_blank, text)
    return text


def math_segments(text: str) -> list[tuple[int, str]]:
    """``(line, maths)`` for every inline and displayed formula of a chapter's prose."""
    text = prose(text)
    out = []
    for m in _MATH.finditer(text):
        seg = m.group(1) if m.group(1) is not None else m.group(2)
        out.append((text.count("\n", 0, m.start()) + 1, " ".join(seg.split())))
    return out


def chapter(prefix: str) -> str:
    (path,) = [p for p in CHAPTERS if p.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


def offending(text: str, pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return [f"line {n}: {seg}" for n, seg in math_segments(text) if rx.search(seg)]


IMPLEMENTATION = [f"{n:02d}_" for n in range(6, 13)]

# -- the helpers themselves -------------------------------------------------------------


def test_math_segments_skip_code_and_hints():
    text = "\n".join([
        "Prose with $o_c$ and",
        "$$",
        "a = \\sum_u b_u",
        "$$",
        "```{code-cell} ipython3",
        "x = '$o_i$'",
        "```",
        "```{hint}",
        ":class: dropdown",
        "A hint with $o_j$.",
        "```",
        "and `$p_c$` in code.",
    ])
    assert [seg for _, seg in math_segments(text)] == ["o_c", "a = \\sum_u b_u"]


# -- the link --------------------------------------------------------------------------


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_links_the_notation_page(path):
    text = path.read_text(encoding="utf-8")
    assert LINK in prose(text), f"{path.name} has no link to the notation page"
    # near the top: before the first section heading after the title
    body = text.split("\n# ", 1)[-1]
    first_section = body.find("\n## ")
    assert first_section == -1 or body.find(LINK) < first_section, f"{path.name} links it only further down"


def test_the_notation_page_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert re.search(r"file:\s*book/notation\s*$", toc, re.M)
    assert (BOOK / "notation.md").read_text(encoding="utf-8").count("(notation)=") == 1


# -- letters of the implementation chapters -------------------------------------------


@pytest.mark.parametrize("prefix", IMPLEMENTATION)
def test_implementation_chapters_write_probabilities_as_p(prefix):
    assert offending(chapter(prefix), r"(?<![A-Za-z\\])o_") == []


@pytest.mark.parametrize("prefix", IMPLEMENTATION)
def test_no_class_index_c(prefix):
    # c may be a constant (a shift, a scale), never a subscript or a summation index
    assert offending(chapter(prefix), r"_c(?![A-Za-z])|_\{c|_\{[a-z0-9]+c[,}]|\\(sum|max|min)_\{?c\b") == []


@pytest.mark.parametrize("prefix", [f"{n:02d}_" for n in range(1, 13)] + ["14_"])
def test_u_is_no_index(prefix):
    # u is the hidden pre-activation of chapter 11, never a summation index
    assert offending(chapter(prefix), r"_u(?![A-Za-z])|_\{u|\\sum_\{?u\b") == []


def test_chapter_6_calls_the_other_exponentials_r():
    text = chapter("06_")
    segs = [seg for _, seg in math_segments(text)]
    assert "r_i = \\sum_{k \\neq i} e^{z_k}" in segs
    assert "\\delta_i = \\frac{1}{2 + e_i/r_i + r_i/e_i} ." in segs


# -- gradients and differentials --------------------------------------------------------

_DIFFERENTIAL = r"(?<![A-Za-z\\])d(z|W|E|y|p|b)(?![A-Za-z])"


def test_chapter_5_writes_differentials_with_a_delta():
    text = chapter("05_")
    segs = [seg for _, seg in math_segments(text)]
    # the three differentials of the layer, and the one that is read off
    assert any("\\delta z &= \\delta W\\, p" in s for s in segs)
    assert any("\\delta E = \\sum_{i,j} \\frac{\\partial E}{\\partial W_{ij}}\\, \\delta W_{ij}" in s for s in segs)
    # a d-letter appears in maths only as a lone name (the sentence that says
    # dW is a gradient), never inside an equation
    lone = [s for s in segs if re.search(_DIFFERENTIAL, s)]
    assert all(re.fullmatch(_DIFFERENTIAL, s) for s in lone), lone
    assert not re.search(r"dz\s*=", " ".join(segs))


def test_chapter_5_symbolic_steps_use_the_delta_too():
    from derivations.symbolic import DERIVATIONS

    for step in DERIVATIONS["matrix-frobenius"].steps:
        for text in (step.title, step.latex):
            assert not re.search(_DIFFERENTIAL, text), (step.title, text)
    shown = DERIVATIONS["matrix-frobenius"].show()._repr_markdown_()
    assert "\\delta E = -t : Y^{-1}(Y - y y^\\top)\\, \\delta z" in shown


# -- reused letters ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", [f"{n:02d}_" for n in range(0, 13)] + ["14_"])
def test_H_is_never_a_loss_or_an_entropy(prefix):
    text = chapter(prefix)
    assert offending(text, r"(?<![A-Za-z\\])H\s*\(|\\partial H\b|\\nabla[^$]*H\b") == []


def test_chapter_2_uses_the_books_letters():
    text = chapter("02_")
    segs = [seg for _, seg in math_segments(text)]
    # the source's letters are named once, in the paragraph that says so
    source = [s for s in segs if re.search(r"\\hat y|(?<![A-Za-z\\])H(?![A-Za-z])", s)]
    assert source == ["\\hat y", "H", "y - \\hat y"]
    assert not [s for s in segs if re.search(r"(?<![A-Za-z\\])y_", s)]
    assert "\\frac{\\partial E}{\\partial z_j} = o_j - t_j ." in segs


def test_chapter_2_symbolic_steps_use_the_books_letters():
    from derivations.symbolic import DERIVATIONS

    shown = DERIVATIONS["quotient-rule"].show()._repr_markdown_()
    assert "\\hat" not in shown and "\\partial H" not in shown
    assert not re.search(r"(?<![A-Za-z\\])y_|_u\b|\\sum_u", shown)
    assert "\\frac{\\partial E}{\\partial z_j} = o_j - t_j" in shown


def test_symbolic_steps_sum_over_k_not_u():
    from derivations.symbolic import DERIVATIONS

    for name in ("quotient-rule", "kronecker-delta", "diagonal-only"):
        shown = DERIVATIONS[name].show()._repr_markdown_()
        assert not re.search(r"_\{?[uvr]\b|\\sum_\{?[uv]|_\{[a-z]*c\}|w_\{ij\}|w_\{rs\}", shown), name


def test_chapter_11_never_writes_scikit_learns_C_bare():
    text = prose(chapter("11_"))
    for paragraph in re.split(r"\n\s*\n", text):
        if not re.search(r"scikit-learn|LogisticRegression", paragraph):
            continue
        for m in _MATH.finditer(paragraph):
            seg = " ".join((m.group(1) or m.group(2)).split())
            assert not re.search(r"(?<![A-Za-z\\])C(?![A-Za-z_])\s*(=|\\sum|N\b)|^C$", seg), seg


def test_chapter_11_hidden_layer_is_h_of_u():
    segs = [seg for _, seg in math_segments(chapter("11_"))]
    assert any("h = \\tanh(u)" in s for s in segs)
    assert not [s for s in segs if re.search(r"(?<![A-Za-z\\])a_\{n|\\tanh\(h", s)]


# -- the page itself --------------------------------------------------------------------


def _normal(s: str) -> str:
    return re.sub(r"\s|\\,|\\;", "", s)


def _symbol_rows():
    rows = []
    for line in (BOOK / "notation.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) < 2 or cells[0] in ("symbol", "chapter") or set(cells[0]) <= set("-"):
            continue
        pieces = re.findall(r"\$([^$]+)\$", cells[0])
        if pieces:
            rows.append((cells[0], pieces))
    return rows


def test_the_page_lists_symbols():
    assert len(_symbol_rows()) >= 30


@pytest.mark.parametrize("row", _symbol_rows(), ids=lambda r: r[0][:40])
def test_every_symbol_of_the_page_is_used_in_the_book(row):
    _, pieces = row
    book_maths = _normal(" ".join(seg for p in CHAPTERS for _, seg in math_segments(p.read_text(encoding="utf-8"))))
    # the symbol is what a piece starts with, up to its first "=" or ","
    heads = [_normal(re.split(r"\s=\s|,", piece, maxsplit=1)[0]) for piece in pieces]
    assert any(h and h in book_maths for h in heads), heads
