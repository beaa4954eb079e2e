"""Every page of every edition (es, id, zh_CN) in chromium, and its switcher.

The same checks as tests/browser/test_site.py's visits: no console errors,
no failed or external requests, maths typeset with no raw TeX, every
explorer rendered, images loaded and described, readable contrast in the
light and the dark theme, and no serious axe violation (test_a11y.py); at
390 px the page does not scroll sideways. The switcher's links land on the same page in
the other language, and search finds each edition's chapters in its own
language.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.test_a11y import OPEN_EVERYTHING, assert_no_blocking, run_axe
from tests.browser.test_site import (
    OVERFLOW,
    _contrast,
    _images_and_figures,
    _maths,
    _network_and_console,
    _report,
    _screenshot,
    _slug,
    _theme,
    _visit,
    _widgets,
)
from tools import locales
from tools.book_toc import toc_docnames

EDITIONS = list(locales.EDITIONS)
PAGES = [f"{name}.html" for name in toc_docnames()] + ["search.html", "genindex.html"]


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("path", PAGES)
def test_edition_page(page, site_url, lang, path, screenshot_dir):
    state = _visit(page, site_url, f"{lang}/{path}")
    _screenshot(page, screenshot_dir / f"{lang}-{_slug(path)}.jpg")
    problems = _network_and_console(page) + _widgets(state) + _maths(page) + _images_and_figures(page)
    problems += _contrast(page, "light")
    if page.evaluate("document.documentElement.lang") != locales.HTML_LANG[lang]:
        problems.append(f"<html lang> is {page.evaluate('document.documentElement.lang')!r}")
    _report(f"{lang}/{path}", problems)


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("path", PAGES)
def test_edition_page_in_dark_theme_passes_axe(page, site_url, lang, path, screenshot_dir):
    """The dark theme's contrast, then axe with hidden content opened (lang attributes included)."""
    _theme(page, "dark")
    state = _visit(page, site_url, f"{lang}/{path}")
    _screenshot(page, screenshot_dir / f"{lang}-{_slug(path)}-dark.jpg")
    _report(f"{lang}/{path} (dark)", _network_and_console(page) + _widgets(state) + _contrast(page, "dark"))
    page.evaluate(OPEN_EVERYTHING)
    assert_no_blocking(run_axe(page), f"{lang}/{path} (dark theme, hidden content opened)")


@pytest.mark.parametrize("lang", EDITIONS)
def test_edition_pages_fit_a_phone(page, site_url, lang):
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for path in PAGES[:-2]:
        _visit(page, site_url, f"{lang}/{path}")
        result = page.evaluate(OVERFLOW)
        if result["pageScrollWidth"] > result["viewport"] + 1:
            problems.append(f"{path} scrolls sideways ({result['pageScrollWidth']} px)")
    _report(lang, problems + _network_and_console(page))


@pytest.mark.parametrize("lang", locales.LANGUAGES)
def test_the_switcher_lands_on_the_same_page(page, site_url, lang):
    here = "" if lang == locales.ENGLISH else f"{lang}/"
    for path in ("book/03_kronecker_delta.html", "book/12_cost.html"):
        for target in locales.LANGUAGES:
            if target == lang:
                continue
            _visit(page, site_url, here + path)
            page.locator(f'.edition-switcher a[lang="{locales.HTML_LANG[target]}"]').click()
            page.wait_for_load_state("load")
            there = "" if target == locales.ENGLISH else f"{target}/"
            assert page.url.split("#")[0] == site_url + there + path, (lang, target, page.url)
            assert page.evaluate("document.documentElement.lang") == locales.HTML_LANG[target]
    _report(lang, _network_and_console(page))


# A word of each edition's title of chapter 3 (the Kronecker delta), which search must find.
SEARCH_WORDS = {"es": "Kronecker", "id": "Kronecker", "zh_CN": "克罗内克"}


@pytest.mark.parametrize("lang", EDITIONS)
def test_search_in_each_language(page, site_url, lang):
    _visit(page, site_url, f"{lang}/search.html?q={quote(SEARCH_WORDS[lang])}")
    # the results themselves: Sphinx has no Indonesian words for its summary line
    page.wait_for_function("() => document.querySelectorAll('#search-results ul.search li a').length > 0")
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    target = f"{site_url}{lang}/book/03_kronecker_delta.html"
    assert any(h.split("#")[0].split("?")[0] == target for h in hrefs), (lang, hrefs[:10])
    _report(lang, _network_and_console(page))
