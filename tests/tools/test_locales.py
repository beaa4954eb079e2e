"""The editions' catalogues (tools/locales.py): complete, current and faithful.

* Every page has a catalogue in every edition, and ``msgfmt --statistics``
  counts every message translated: none fuzzy, none untranslated.
* Each translation keeps the English's maths, code, link addresses and
  cross-reference targets, and uses its edition's glossary.
* The catalogues hold exactly the messages the English pages have today
  (a slow test extracts them afresh), so a changed paragraph fails here
  until ``make locales`` brings it in and it is translated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools import locales
from tools.book_toc import toc_docnames

EDITIONS = list(locales.EDITIONS)
CATALOGUES = [(lang, name) for lang in EDITIONS for name in toc_docnames()]

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None,
                                reason="msgfmt (Debian's gettext) is missing: `make test` installs it")


def _po(lang: str, docname: str) -> Path:
    return locales.LOCALES / lang / "LC_MESSAGES" / f"{docname}.po"


@pytest.mark.parametrize("lang, docname", CATALOGUES)
def test_every_message_is_translated(lang, docname):
    path = _po(lang, docname)
    assert path.is_file(), f"{docname} has no {lang} catalogue: run `make locales`"
    counts = locales.statistics(path)
    assert counts["translated"] > 0 and counts["fuzzy"] == 0 and counts["untranslated"] == 0, (
        f"{path.relative_to(locales.ROOT)}: {counts}")


@pytest.mark.parametrize("lang", EDITIONS)
def test_no_catalogue_without_a_page(lang):
    pages = {f"{name}.po" for name in toc_docnames()}
    extra = [p for p in locales.catalogues(lang)
             if p.relative_to(locales.LOCALES / lang / "LC_MESSAGES").as_posix() not in pages]
    assert not extra, f"catalogues of pages that are no longer in _toc.yml: {extra}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_translations_keep_the_maths_code_and_targets_and_use_the_glossary(lang):
    problems = locales.check(lang)
    assert not problems, f"{len(problems)} problems in {lang}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_glossary_has_the_core_terms(lang):
    english = {t["en"] for t in locales.glossary(lang)}
    for term in ["softmax", "cross-entrop", "logit", "gradient", "Jacobian",
                 "vector-Jacobian product", "label smoothing"]:
        assert any(term.lower() in pattern.lower() for pattern in english), f"{lang}: no entry for {term}"
    assert all(t["forms"] for t in locales.glossary(lang))


# -- the checks themselves ------------------------------------------------------


def test_a_changed_formula_label_or_link_is_reported():
    en = "See {ref}`the proof <proof>` and [the notes](https://example.org), where $p - t$ and `np.exp` appear."
    good = "Véase {ref}`la prueba <proof>` y [las notas](https://example.org), donde aparecen $p - t$ y `np.exp`."
    assert locales.message_problems(en, good) == []
    for bad, kind in [
        (good.replace("<proof>", "<prueba>"), "roles"),
        (good.replace("$p - t$", "$p-t$"), "maths"),
        (good.replace("`np.exp`", "`exp`"), "code"),
        (good.replace("https://example.org", "https://example.es"), "links"),
    ]:
        problems = locales.message_problems(en, bad)
        assert len(problems) == 1 and problems[0].startswith(kind), problems


def test_a_role_without_visible_text_must_stay_as_it_is():
    assert locales.message_problems("Letters: {ref}`notation`.", "Letras: {ref}`notation`.") == []
    assert locales.message_problems("Letters: {ref}`notation`.", "Letras: {ref}`notación`.")


def test_a_missing_glossary_term_is_reported_but_not_inside_maths_or_code():
    terms = [{"en": r"\bgradients?\b", "forms": ["gradiente"]}]
    assert locales.glossary_misses("es", "The gradient is $p - t$.", "El gradiente es $p - t$.", terms) == []
    assert locales.glossary_misses("es", "The gradient is $p - t$.", "La derivada es $p - t$.", terms)
    # the English word only in code, or a message kept as it is (a title, a name)
    assert locales.glossary_misses("es", "Call `gradient()`.", "Llama a `gradient()`.", terms) == []
    assert locales.glossary_misses("es", "Gradient Descent", "Gradient Descent", terms) == []


def test_statistics_reads_msgfmt(tmp_path):
    po = tmp_path / "x.po"
    header = "".join(f'"{line}\\n"\n' for line in [
        "Project-Id-Version: x", "PO-Revision-Date: 2026-12-07 00:00+0000", "Last-Translator: x",
        "Language-Team: x", "Language: es", "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit", "Plural-Forms: nplurals=2; plural=(n != 1);"])
    po.write_text('msgid ""\nmsgstr ""\n' + header + '\n'
                  'msgid "a"\nmsgstr "b"\n\n#, fuzzy\nmsgid "c"\nmsgstr "d"\n\nmsgid "e"\nmsgstr ""\n',
                  encoding="utf-8")
    assert locales.statistics(po) == {"translated": 1, "fuzzy": 1, "untranslated": 1}


# -- current --------------------------------------------------------------------


def test_the_catalogues_hold_todays_english(tmp_path):
    """Extract the messages afresh: every one is in every catalogue, translated."""
    # the test build's execution cache when there is one, so no notebook runs again
    cache = locales.BUILD / "test" / "_build" / ".jupyter_cache"
    pot = locales.extract_pot(tmp_path, cache if cache.is_dir() else None)
    stale = []
    for lang in EDITIONS:
        for docname in toc_docnames():
            # a sentence whose numbers changed (a timing, a random case's size)
            # keeps its translation (tools/book_editions.NumberTolerantCatalog)
            wanted = {locales.number_shape(m.id): m.id
                      for m in locales.read_catalogue(pot / f"{docname}.pot") if m.id}
            have = {locales.number_shape(m.id) for m in locales.read_catalogue(_po(lang, docname))
                    if m.id and m.string and not m.fuzzy}
            stale += [f"{lang} {docname}: {wanted[k][:70]!r}" for k in sorted(set(wanted) - have)]
    assert not stale, (f"{len(stale)} messages of the English are not translated in the catalogues "
                       "(run `make locales`, then translate them):\n" + "\n".join(stale[:30]))
