"""The explorers' words: the table of messages, the JS that uses it, the `language` trait.

The rule for "no English in the JS" is deliberately simple: a string
literal of the ES modules (comments left out, the ``${...}`` of template
literals blanked) is English prose if it holds two or more words made of
two or more ASCII letters, separated by spaces. CSS class lists
(``dx-slider-row dx-slider-row-p``) have hyphens in their words, so they
are not prose; maths (``∂L/∂z``, ``i \\ j``) has no such words. Every such
literal must be the English of some message, and none is expected.
"""

import re
from pathlib import Path

import pytest

from derivations.widgets import DescentExplorer, JacobianExplorer, LogitsExplorer, ToyNetworkExplorer
from derivations.widgets.messages import LANGUAGES, MESSAGES, placeholders

WIDGETS = Path(__file__).resolve().parents[2] / "src" / "derivations" / "widgets"
JS_FILES = sorted(WIDGETS.glob("*.js"))
EXPLORERS = [LogitsExplorer, JacobianExplorer, ToyNetworkExplorer, DescentExplorer]
ID = re.compile(r"^(common|logits|jacobian|toy|descent)\.\w+$")
WORD = re.compile(r"^[A-Za-z]{2,}[.,:;!?)]*$")


def string_literals(source):
    """The string literals of JS ``source``: '...', "..." and `...` (with
    ``${...}`` blanked), skipping // and /* */ comments. Regular-expression
    literals are not recognised; the explorers' hold no quote or //."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "'\"`":
            j, buf = i + 1, []
            while source[j] != c:
                if source[j] == "\\":
                    buf.append(source[j:j + 2])
                    j += 2
                    continue
                buf.append(source[j])
                j += 1
            text = "".join(buf)
            out.append(re.sub(r"\$\{[^}]*\}", " ", text) if c == "`" else text)
            i = j + 1
        else:
            i += 1
    return out


def is_prose(literal):
    """Two or more words of two or more ASCII letters: English for a person."""
    return sum(bool(WORD.match(token)) for token in literal.split()) >= 2


def test_the_scan_finds_prose_and_leaves_code_alone():
    # the rule itself, on made-up JS: it must catch a label and pass the rest
    js = '''
      // a comment with "quoted words in it" is not code
      el("p", {}, ["Drag the logits"]);  /* nor "this one here" */
      el("div", { class: "dx-slider-row dx-slider-row-p", "aria-hidden": "true" });
      const s = `${a} and ${b} more`;
      el("th", {}, ["i \\\\ j", "∂L/∂z", "W·,₀"]);
    '''
    prose = [s for s in string_literals(js) if is_prose(s)]
    assert prose == ["Drag the logits", "  and   more"]


def test_every_message_has_all_four_languages():
    assert len(MESSAGES) > 50
    for key, texts in MESSAGES.items():
        assert ID.match(key), key
        assert set(texts) == set(LANGUAGES) == {"en", "es", "id", "zh_CN"}, key
        for lang, text in texts.items():
            assert isinstance(text, str) and text.strip(), (key, lang)


def test_translations_have_the_placeholders_of_the_english():
    for key, texts in MESSAGES.items():
        english = set(re.findall(r"\{(\w+)\}", texts["en"]))
        for lang, text in texts.items():
            assert set(re.findall(r"\{(\w+)\}", text)) == english, (key, lang)
            assert placeholders(text) == english, (key, lang)


def test_translations_keep_the_markup_of_the_english():
    # <var>, <sub>, <sup> hold the maths, which stays as it is
    tags = re.compile(r"</?\w+>")
    for key, texts in MESSAGES.items():
        english = sorted(tags.findall(texts["en"]))
        for lang, text in texts.items():
            assert sorted(tags.findall(text)) == english, (key, lang)


def test_the_translations_use_the_books_terms():
    # spot checks against the glossary of the editions
    assert MESSAGES["logits.temperature_label"]["es"].startswith("Temperatura")
    assert MESSAGES["logits.smoothing_label"]["id"].startswith("Penghalusan label")
    assert MESSAGES["descent.lr_label"]["zh_CN"].startswith("学习率")
    assert "jacobiana" in MESSAGES["jacobian.caption"]["es"]
    assert "雅可比矩阵" in MESSAGES["jacobian.caption"]["zh_CN"]
    assert MESSAGES["toy.legend_w"]["id"].startswith("Bobot")


@pytest.mark.parametrize("path", JS_FILES, ids=lambda p: p.name)
def test_js_holds_no_english_of_its_own(path):
    english = {texts["en"] for texts in MESSAGES.values()}
    prose = [s for s in string_literals(path.read_text(encoding="utf-8")) if is_prose(s) and s not in english]
    assert prose == [], f"{path.name}: user-facing English outside messages.py: {prose}"


def _ids_in(source):
    return {s for s in string_literals(source) if ID.match(s)}


def test_every_message_id_the_js_uses_exists_and_every_message_is_used():
    used = set().union(*(_ids_in(p.read_text(encoding="utf-8")) for p in JS_FILES))
    assert used - set(MESSAGES) == set()
    assert set(MESSAGES) - used == set()


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_each_explorer_sends_the_messages_its_page_uses(cls):
    state = cls().get_state()
    table = state["_messages"]
    assert _ids_in(state["_esm"]) <= set(table)
    # only its own group and the shared one: the state is embedded in every page
    groups = {key.split(".")[0] for key in table}
    assert "common" in groups and len(groups) == 2
    assert all(set(texts) == set(LANGUAGES) for texts in table.values())


# ------------------------------------------------------------ the language trait


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_language_defaults_to_english_and_is_not_a_choice(cls):
    ex = cls()
    assert ex.language == "en"
    assert ex.get_state()["_language_explicit"] is False


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("lang", ["es", "id", "zh_CN", "en"])
def test_language_from_the_environment(cls, lang, monkeypatch):
    monkeypatch.setenv("DERIVATIONS_LANGUAGE", lang)
    ex = cls()
    assert ex.language == lang
    # a default: the edition's <html lang> still wins on the static site
    assert ex.get_state()["_language_explicit"] is False


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_unknown_language_in_the_environment_is_refused(cls, monkeypatch):
    monkeypatch.setenv("DERIVATIONS_LANGUAGE", "fr")
    with pytest.raises(ValueError, match=r"DERIVATIONS_LANGUAGE.*'en', 'es', 'id', 'zh_CN'.*'fr'"):
        cls().language


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_language_given_to_the_constructor_is_a_choice(cls, monkeypatch):
    monkeypatch.setenv("DERIVATIONS_LANGUAGE", "es")
    ex = cls(language="zh_CN")
    state = ex.get_state()
    assert state["language"] == "zh_CN" and state["_language_explicit"] is True
    # the same language as the default, given on purpose, is a choice too
    again = cls(language="es")
    assert again.language == "es" and again.get_state()["_language_explicit"] is True


def test_language_set_later_is_a_choice_and_is_checked():
    ex = LogitsExplorer()
    ex.language = "en"
    assert ex.get_state()["_language_explicit"] is True
    ex.language = "id"
    for bad, error, words in [("fr", ValueError, "one of 'en', 'es', 'id', 'zh_CN', got 'fr'"),
                              ("zh-CN", ValueError, "got 'zh-CN'"), (3, TypeError, "a string")]:
        with pytest.raises(error, match=re.escape(words)):
            ex.language = bad
        assert ex.language == "id"
    with pytest.raises(ValueError, match="language"):
        JacobianExplorer(language="ES")
    # the page may send it too, and is held to the same rule
    with pytest.raises(ValueError, match="got 'xx'"):
        ex.set_state({"language": "xx"})
    assert ex.language == "id"
