"""The verdicts in every edition's language: complete translations, the same judgement, the edition's links.

The expected words and addresses here are written out by hand (or read from
the book's .po files), never taken from the code under test.
"""

import math
import re
import string
from pathlib import Path

import numpy as np
import pytest

from derivations.coursework import EXERCISES, check
from derivations.coursework import messages as M
from derivations.coursework.engine import _cases, _target_form
from derivations.coursework.exercises import MISTAKES

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = "https://derivations-book.github.io/softmax-gradient/"
LANGUAGES = ["en", "es", "id", "zh_CN"]
TRANSLATED = ["es", "id", "zh_CN"]
#: The first line of a failing verdict in each language, written out by hand.
NOT_RIGHT = {"en": "is not right yet.", "es": "todavía no es correcta.", "id": "belum benar.", "zh_CN": "还不正确。"}


@pytest.fixture(autouse=True)
def _published_site(monkeypatch):
    """Links to the published site, and no language from the environment unless a test sets one."""
    monkeypatch.delenv("DERIVATIONS_BOOK_URL", raising=False)
    monkeypatch.delenv("DERIVATIONS_LANGUAGE", raising=False)


def fields(template):
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


# ---------------------------------------------------------------------------
# The tables are complete.
# ---------------------------------------------------------------------------


def test_every_message_has_all_four_languages_with_the_same_placeholders():
    assert M.LANGUAGES == tuple(LANGUAGES)
    english = M.MESSAGES
    assert len(english) > 30
    for key, by_language in english.items():
        assert set(by_language) == set(LANGUAGES), key
        for lang in TRANSLATED:
            assert fields(by_language[lang]) == fields(by_language["en"]), (key, lang)
            words = re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", by_language["en"]))
            if len(words) >= 2:  # a sentence, not a separator or a pair of quotes
                assert by_language[lang] != by_language["en"], (key, lang)


def all_case_parts(seeds=range(6)):
    parts = set()
    for seed in seeds:
        for ex in EXERCISES.values():
            for form in list(ex.targets) or [None]:
                for case in _cases(ex, np.random.default_rng(seed), form):
                    parts.update(M.case_parts(case.name))
    return parts


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_part_of_every_case_description_is_translated(lang):
    table = M._MODULES[lang].CASES
    missing = set()
    for part in all_case_parts():
        key, numbers = M.case_key(part)
        if key is None:
            assert re.fullmatch(r"[A-Za-z]\w*( ?= ?[A-Za-z]\w*)* ?= ?[-+0-9.e]+", part), part
        elif key not in table:
            missing.add(key)
    assert not missing
    for key, value in table.items():
        assert fields(value) == fields(key), (lang, key)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_exercises_sentences_and_the_catalogue_are_translated(lang):
    module = M._MODULES[lang]
    sentences = {text for ex in EXERCISES.values() for text in ex.targets.values()}
    sentences |= {c.text for ex in EXERCISES.values() for c in ex.conventions}
    sentences |= {ex.passed_message for ex in EXERCISES.values() if ex.passed_message}
    sentences |= {ex.signature for ex in EXERCISES.values()}
    assert sentences <= set(module.TEXTS)
    assert set(module.MISTAKES) == set(MISTAKES)
    for mistake in MISTAKES.values():
        assert mistake.label in module.HEADINGS


def read_po(path):
    """msgid -> msgstr of a .po file (enough of the format for the book's files)."""
    entries, key, current, field = {}, None, [], None

    def close():
        if field == "msgstr" and key is not None:
            entries["".join(key)] = "".join(current)
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            close()
            field, key, current = "msgid", [], []
            key.append(eval(line[6:]))
        elif line.startswith("msgstr "):
            field = "msgstr"
            current.append(eval(line[7:]))
        elif line.startswith('"'):
            (key if field == "msgid" else current).append(eval(line))
        elif not line.strip():
            close()
            field = None
    return entries


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_catalogue_is_copied_verbatim_from_chapter_13s_translation(lang):
    po = ROOT / "locales" / lang / "LC_MESSAGES" / "book" / "13_mistakes.po"
    if not po.exists():
        pytest.skip("the book's locales are not at hand")
    entries = read_po(po)
    for mistake in MISTAKES.values():
        translated = entries[f"**{mistake.title}.** {mistake.explanation}"]
        title, explanation = M._MODULES[lang].MISTAKES[mistake.id]
        assert translated.startswith(f"**{title}")
        assert translated.endswith(explanation)


# ---------------------------------------------------------------------------
# Learner functions, written the way learners write them, judged in every language.
# ---------------------------------------------------------------------------


def constant_loss(z, t):
    return 1.2345


def loop_over_rows_by_classes(z, y):
    total = 0.0
    for row, label in zip(np.asarray(z, dtype=float), y):
        m = max(row)
        total += m + math.log(sum(math.exp(v - m) for v in row)) - row[int(label)]
    return total / len(z[0])  # divides by C, not N


def diagonal_only_backward(p, dp):
    return p * (1 - p) * dp


def correct_softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


LEARNERS = [
    ("cross_entropy", constant_loss, {}, None, None),
    ("cross_entropy", loop_over_rows_by_classes, {"targets": "labels"}, "divided-by-classes",
     "book/13_mistakes.html#divided-by-classes"),
    ("softmax_backward", diagonal_only_backward, {}, "diagonal-only-jacobian", "book/01_puzzle.html#puzzle-wrong-step"),
    ("softmax", correct_softmax, {}, None, None),
]


def english_phrases():
    """The fixed words of the English templates: every run of two or more words between placeholders."""
    phrases = set()
    for template in [m["en"] for m in M.MESSAGES.values()] + list(M._MODULES["es"].CASES):
        for text, _, _, _ in string.Formatter().parse(template):
            for piece in re.split(r"[;:.()\[\]]", text):
                piece = piece.strip(" ,✓✗\"")
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
                    phrases.add(piece)
    return phrases


@pytest.mark.parametrize("exercise, fn, kwargs, mistake, page", LEARNERS, ids=lambda v: getattr(v, "__name__", None))
def test_a_verdict_judges_alike_in_every_language(exercise, fn, kwargs, mistake, page):
    english = check(exercise, fn, seed=3, language="en", **kwargs)
    assert english.mistake == mistake
    assert english.passed == (fn is correct_softmax)
    if page:
        assert f"{PUBLISHED}{page}" in english.message
    phrases = english_phrases()
    for lang in TRANSLATED:
        verdict = check(exercise, fn, seed=3, language=lang, **kwargs)
        assert (verdict.passed, verdict.mistake) == (english.passed, english.mistake), lang
        assert verdict.language == lang
        if not verdict.passed:
            assert NOT_RIGHT[lang] in verdict.message.splitlines()[0]
        leftover = [p for p in phrases if p in verdict.message]
        assert not leftover, (lang, leftover)
        if mistake is not None:
            assert f"[{mistake}]" in verdict.message
        if page:
            assert f"{PUBLISHED}{lang}/{page}" in verdict.message
            assert f"{PUBLISHED}{page}" not in verdict.message
            assert f'href="{PUBLISHED}{lang}/{page}"' in verdict._repr_html_()
            assert f"]({PUBLISHED}{lang}/{page})" in verdict._repr_markdown_()
        if not verdict.passed and page is None:
            assert f"{PUBLISHED}{lang}/book/" in verdict.message


def test_the_chapter_words_and_the_mistake_title_are_the_editions():
    es = check("cross_entropy", loop_over_rows_by_classes, seed=2, targets="labels", language="es").message
    assert "capítulo 13" in es and "Promediado sobre las clases" in es
    zh = check("cross_entropy", loop_over_rows_by_classes, seed=2, targets="labels", language="zh_CN").message
    assert "第 13 章" in zh
    idn = check("cross_entropy", loop_over_rows_by_classes, seed=2, targets="labels", language="id").message
    assert "bab 13" in idn


def test_english_is_the_default_and_unchanged():
    fn = diagonal_only_backward
    default = check("softmax_backward", fn, seed=5)
    assert check("softmax_backward", fn, seed=5, language="en").message == default.message
    assert default.message.startswith("✗ diagonal_only_backward is not right yet.\nOn random p and dp, N=")
    assert "Read why: \"The step that drops the other outputs\", chapter 1, " in default.message


def test_the_environment_variable_picks_the_language(monkeypatch):
    monkeypatch.setenv("DERIVATIONS_LANGUAGE", "id")
    assert NOT_RIGHT["id"] in check("softmax_backward", diagonal_only_backward, seed=1).message
    assert NOT_RIGHT["es"] in check("softmax_backward", diagonal_only_backward, seed=1, language="es").message
    monkeypatch.setenv("DERIVATIONS_LANGUAGE", "klingon")
    with pytest.raises(ValueError, match="DERIVATIONS_LANGUAGE.*'en', 'es', 'id', 'zh_CN'"):
        check("softmax", correct_softmax)


@pytest.mark.parametrize("bad", ["fr", "EN", "zh", 3])
def test_an_unknown_language_is_refused_with_the_allowed_ones(bad):
    with pytest.raises(ValueError, match="'en', 'es', 'id', 'zh_CN'"):
        check("softmax", correct_softmax, language=bad)


def test_a_passing_verdict_in_chinese():
    verdict = check("softmax", correct_softmax, seed=0, language="zh_CN")
    assert verdict.passed
    assert verdict.message.startswith("✓ correct_softmax 在全新的随机输入上通过了全部 ")
    assert "随机 logit，N=" in verdict.message


# ---------------------------------------------------------------------------
# When the book is built, one run words the verdict in every language.


def _counting(fn):
    calls = []

    def counted(*args):
        calls.append(1)
        return fn(*args)

    counted.__name__ = fn.__name__
    return counted, calls


def _wrong_grad(z, t):  # the one-hot shortcut on soft targets
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True) - t) / len(z)


def _not_yet(z, t):
    raise NotImplementedError


@pytest.mark.parametrize("fn", [_wrong_grad, _not_yet], ids=["failing", "stub"])
def test_one_run_gives_the_verdict_in_every_language(monkeypatch, fn):
    counted, calls = _counting(fn)
    monkeypatch.setenv("DERIVATIONS_EVERY_LANGUAGE", "1")
    every = check("cross_entropy_grad", counted, seed=11)
    runs = len(calls)
    assert sorted(every.translations) == TRANSLATED and every.language == "en"
    monkeypatch.delenv("DERIVATIONS_EVERY_LANGUAGE")
    for lang in TRANSLATED:
        alone = check("cross_entropy_grad", fn, seed=11, language=lang)
        assert alone.translations == {}
        assert every.translations[lang] == alone.message
    # the learner's function ran once per case (the stub: once, then the check stops), not once per language
    ex = EXERCISES["cross_entropy_grad"]
    cases = _cases(ex, np.random.default_rng(11), _target_form(ex, None))
    assert runs == (1 if fn is _not_yet else len(cases))


def test_each_edition_keeps_its_own_verdict(monkeypatch):
    from derivations.editions import pick_html

    monkeypatch.setenv("DERIVATIONS_EVERY_LANGUAGE", "1")
    page = check("cross_entropy_grad", _wrong_grad, seed=3)._repr_html_()
    for lang in LANGUAGES:
        shown = pick_html(page, lang)
        assert NOT_RIGHT[lang] in shown
        assert all(NOT_RIGHT[other] not in shown for other in LANGUAGES if other != lang)
    # a notebook shows the English verdict: everything before the templates
    assert NOT_RIGHT["en"] in page[: page.index("<template")]


# ---------------------------------------------------------------------------
# A wrong argument is refused in the learner's language.
# ---------------------------------------------------------------------------

#: Words of each refusal, written out by hand: (the call's arguments, the error, words per language).
REFUSALS = [
    (("sotfmax", lambda z: z), {}, ValueError,
     {"en": "unknown exercise 'sotfmax'", "es": "ejercicio desconocido 'sotfmax'",
      "id": "latihan 'sotfmax' tidak dikenal", "zh_CN": "未知的练习 'sotfmax'"}),
    (("softmax", np.zeros((2, 3))), {}, TypeError,
     {"en": "my_softmax without parentheses; it got ndarray",
      "es": "como my_softmax sin paréntesis; ha recibido ndarray",
      "id": "seperti my_softmax tanpa tanda kurung", "zh_CN": "不带括号的 my_softmax；收到的是 ndarray"}),
    (("softmax", lambda z: z), {"targets": "labels"}, ValueError,
     {"en": "takes no targets", "es": "no admite objetivos", "id": "tidak menerima target", "zh_CN": "不接受目标"}),
    (("softmax_loss", lambda W, X, y, reg: (0.0, W)), {"targets": "probabilities"}, ValueError,
     {"en": "only as 'labels', not 'probabilities'", "es": "solo como 'labels', no como 'probabilities'",
      "id": "hanya menerima targetnya sebagai 'labels', bukan 'probabilities'", "zh_CN": "只能以 'labels' 的形式给出"}),
    (("cross_entropy", lambda z, t: 0.0), {"targets": "onehot"}, ValueError,
     {"en": "the allowed values are 'probabilities', 'labels'",
      "es": "los valores permitidos son 'probabilities', 'labels'",
      "id": "nilai yang diperbolehkan adalah 'probabilities', 'labels'",
      "zh_CN": "允许的取值为 'probabilities', 'labels'"}),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("args, kwargs, error, words", REFUSALS)
def test_a_wrong_argument_is_refused_in_the_learners_language(monkeypatch, lang, args, kwargs, error, words):
    with pytest.raises(error) as by_argument:
        check(*args, **kwargs, language=lang)
    assert words[lang] in str(by_argument.value)
    # the same from the notebook's language, as an edition's first cell sets it
    monkeypatch.setenv("DERIVATIONS_LANGUAGE", lang)
    with pytest.raises(error) as by_environment:
        check(*args, **kwargs)
    assert str(by_environment.value) == str(by_argument.value)


def test_an_unknown_language_is_refused_before_anything_else():
    with pytest.raises(ValueError, match="language"):
        check("sotfmax", np.zeros(3), language="fr")
