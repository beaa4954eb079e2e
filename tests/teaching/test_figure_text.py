"""The figures' words in every language (derivations.teaching.figure_text).

Every text a chapter's figure writes through ``style.say`` or ``Words`` has a
Spanish, Indonesian and Chinese version that keeps its placeholders, its
maths and its numbers, and uses the edition's glossary terms. The figures
themselves are drawn in every language by the book build, which refuses a
missing translation or a word left in English.
"""

import ast
import re
import string
import warnings
from pathlib import Path

import matplotlib
import pytest

from derivations.teaching import figure_text
from derivations.teaching.figures import CJK_FONT, cjk_font, show_figure
from tools import locales

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("es", "id", "zh_CN")
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
_MATH = re.compile(r"\$[^$]*\$")
_NUMBER = re.compile(r"(?<![\w{])\d+(?:[.,]\d+)?")


def _fields(template):
    return sorted((f, spec) for _, f, spec, _ in string.Formatter().parse(template) if f is not None)


def _sources():
    """Every piece of Python that draws a figure: the chapters' code cells and the package."""
    for path in sorted((ROOT / "book").glob("*.md")):
        for k, cell in enumerate(_CELL.findall(path.read_text(encoding="utf-8"))):
            code = "\n".join(line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!", ":")))
            yield f"{path.name} cell {k}", code
    for path in sorted((ROOT / "src" / "derivations").rglob("*.py")):
        if "figure_text" not in path.parts:
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def _literal_templates():
    """``(where, template)`` for each say(...), style.say(...) and Words(...) called with a literal."""
    found = []
    for where, code in _sources():
        tree = ast.parse(code)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            first = node.args[0]
            if name in ("say", "Words") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((where, first.value))
    return found


LITERALS = _literal_templates()


def test_the_chapters_figures_use_the_tables():
    # the coursework has a say() of its own, with message ids rather than English
    from derivations.coursework.messages import MESSAGES

    assert len({t for _, t in LITERALS if t not in MESSAGES}) > 50


@pytest.mark.parametrize("where, template", [(w, t) for w, t in LITERALS], ids=lambda v: str(v)[:40])
def test_every_text_a_figure_writes_has_its_translations(where, template):
    from derivations.coursework.messages import MESSAGES

    if template in MESSAGES:  # a verdict's message id
        return
    assert template in figure_text.TEXTS, f"{where}: {template!r} has no translations in figure_text"


@pytest.mark.parametrize("english", sorted(figure_text.TEXTS))
def test_each_translation_keeps_placeholders_maths_and_numbers(english):
    versions = figure_text.TEXTS[english]
    assert sorted(versions) == sorted(TRANSLATED), english
    for lang, text in versions.items():
        assert isinstance(text, str) and text.strip(), (english, lang)
        assert _fields(text) == _fields(english), (english, lang, text)
        assert sorted(_MATH.findall(text)) == sorted(_MATH.findall(english)), (english, lang, text)
        numbers = [n.replace(",", ".") for n in _NUMBER.findall(_MATH.sub("", english))]
        theirs = [n.replace(",", ".") for n in _NUMBER.findall(_MATH.sub("", text))]
        assert sorted(theirs) == sorted(numbers), (english, lang, text)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_figures_use_the_editions_glossary(lang):
    misses = {}
    for english, versions in figure_text.TEXTS.items():
        found = locales.glossary_misses(lang, english, versions[lang])
        if found:
            misses[english] = (versions[lang], found)
    assert not misses, misses



def test_every_entry_is_used():
    # every string constant of the code (ast joins implicitly concatenated pieces)
    constants = {node.value for _, code in _sources() for node in ast.walk(ast.parse(code))
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    unused = [e for e in figure_text.TEXTS if e not in constants]
    assert not unused, f"no figure writes {unused}"


def test_chinese_is_drawn_in_a_chinese_font():
    import matplotlib.pyplot as plt

    assert cjk_font() == CJK_FONT

    def draw(style):
        fig, ax = plt.subplots(figsize=style.figsize)
        ax.plot([0, 1], [0, 1], label=style.say("loss"), **style.series(0))
        ax.set_xlabel(style.say("class {j}", j=1))
        ax.legend()
        return fig

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of each glyph its font lacks
        shown = show_figure(draw, figure_text.Words("class {j}", j=1), language="zh_CN",
                            wide=(3, 2), narrow=(3, 2))
    assert shown.alt == "类别 1"
    assert 'alt="类别 1"' in shown._repr_html_()
