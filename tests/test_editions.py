"""derivations.editions: one output in every language, and each edition's pick of it."""

import pytest

from derivations import editions
from derivations.validation import LANGUAGES

VERSIONS = {"en": "<p>Hi</p>", "es": "<p>Hola</p>", "id": "<p>Halo</p>", "zh_CN": "<p>你好</p>"}


def test_each_language_gets_back_its_own_version_and_only_it():
    page = editions.html_in_languages(VERSIONS)
    for lang in LANGUAGES:
        picked = editions.pick_html(page, lang)
        assert picked == f'<div lang="{editions.HTML_LANG[lang]}">{VERSIONS[lang]}</div>'
        assert "<template" not in picked
        assert all(text not in picked for other, text in VERSIONS.items() if other != lang)


def test_the_first_version_is_the_one_a_notebook_shows():
    page = editions.html_in_languages(VERSIONS)
    # everything a browser renders sits before the first <template>
    assert page[: page.index("<template")].endswith("<p>Hi</p>")
    assert page.count("<template") == 3


def test_one_language_is_left_as_it_is():
    assert editions.html_in_languages({"es": "<b>x</b>"}) == "<b>x</b>"
    assert editions.pick_html("<b>x</b>", "es") is None
    assert editions.markdown_in_languages({"id": "teks"}) == "teks"


def test_a_missing_language_is_an_error_that_says_what_to_do():
    page = editions.html_in_languages({"en": "<p>a</p>", "es": "<p>b</p>"})
    with pytest.raises(ValueError, match="no zh_CN version.*DERIVATIONS_EVERY_LANGUAGE=1"):
        editions.pick_html(page, "zh_CN")


def test_a_version_holding_a_template_is_refused():
    with pytest.raises(ValueError, match="<template>"):
        editions.html_in_languages({"en": "<template>x</template>", "es": "y"})


def test_languages_follow_the_variable(monkeypatch):
    monkeypatch.delenv(editions.EVERY_LANGUAGE_VARIABLE, raising=False)
    assert editions.languages("id") == ("id",)
    monkeypatch.setenv(editions.EVERY_LANGUAGE_VARIABLE, "1")
    assert editions.languages("id") == ("id", "en", "es", "zh_CN")
    monkeypatch.setenv(editions.EVERY_LANGUAGE_VARIABLE, "yes")
    with pytest.raises(ValueError, match="DERIVATIONS_EVERY_LANGUAGE='yes'"):
        editions.languages("en")


def test_language_names_its_source(monkeypatch):
    monkeypatch.setenv("DERIVATIONS_LANGUAGE", "pt")
    with pytest.raises(ValueError, match="environment variable DERIVATIONS_LANGUAGE='pt'"):
        editions.language()
    with pytest.raises(ValueError, match="language=3"):
        editions.language(3)
    assert editions.language("zh_CN") == "zh_CN"


def test_markdown_gets_one_div_per_language():
    text = editions.markdown_in_languages({"en": "A.", "es": "B."}, "live-measurement")
    assert text.count(":::{div} edition-text lang-") == 2
    assert ":::{div} edition-text lang-es live-measurement\nB.\n:::" in text
