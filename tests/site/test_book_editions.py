"""The editions in the built site (tools/locales.py, tools/book_editions.py).

Each edition's page has what the English page has: the same figures, the
same equations (the same TeX), the same exercises, code cells and
explorers. Each page says its language, and its switcher leads to the same
page in every language. The Chinese search index is segmented into words.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from derivations import editions
from tools import book_editions, locales
from tools.book_toc import toc_docnames

PAGES = toc_docnames()
EDITIONS = list(locales.EDITIONS)


def _soup(site, lang, docname):
    prefix = "" if lang == locales.ENGLISH else f"{lang}/"
    path = site / f"{prefix}{docname}.html"
    assert path.is_file(), f"the {lang} edition has no {docname}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _inventory(soup) -> dict[str, Counter]:
    article = soup.select_one("article") or soup
    return {
        "figures": Counter(f.get("id") for f in article.select("figure")),
        # a line break in the English source is a space in the translation
        "equations": Counter(" ".join(m.get_text().split()) for m in article.select(".math")),
        "exercises": Counter(e.get("id") for e in article.select(".exercise, .solution")),
        # a figure's images differ by language (its words are drawn in), not in number
        "images": Counter("a figure's" if i.get("src", "").startswith("data:") else i.get("src")
                          for i in article.select("img")),
        "code cells": Counter(c.get_text() for c in article.select(".cell_input")),
        "explorers": Counter(len(s.get_text()) > 0 for s in article.select(
            'script[type="application/vnd.jupyter.widget-view+json"]')),
        "section ids": Counter(s.get("id") for s in article.select("section")),
    }


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("docname", PAGES)
def test_each_edition_page_has_the_english_pages_contents(built_site, lang, docname):
    english, edition = _inventory(_soup(built_site, "en", docname)), _inventory(_soup(built_site, lang, docname))
    differ = {k: (english[k] - edition[k], edition[k] - english[k]) for k in english if english[k] != edition[k]}
    assert not differ, f"{lang}/{docname} differs from the English (only in English, only in {lang}): {differ}"


@pytest.mark.parametrize("lang", locales.LANGUAGES)
def test_every_page_says_its_language_and_switches_to_the_same_page(built_site, lang):
    for docname in PAGES:
        soup = _soup(built_site, lang, docname)
        assert soup.html.get("lang") == locales.HTML_LANG[lang], (docname, soup.html.get("lang"))
        nav = soup.select_one("nav.edition-switcher")
        assert nav is not None and nav.get("aria-label"), f"{lang}/{docname} has no labelled switcher"
        links = nav.select("a")
        assert [a.get_text() for a in links] == [locales.LANGUAGE_NAMES[x] for x in locales.LANGUAGES]
        page_dir = (built_site / ("" if lang == "en" else lang) / docname).parent
        for a, target in zip(links, locales.LANGUAGES):
            assert a.get("lang") == locales.HTML_LANG[target]
            if target == lang:
                assert a.get("aria-current") == "page"
                continue
            landed = (page_dir / a["href"]).resolve()
            expected = (built_site / ("" if target == "en" else target) / f"{docname}.html").resolve()
            assert landed == expected and landed.is_file(), (lang, docname, a["href"])


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_edition_is_translated_on_the_page(built_site, lang):
    """The catalogues reached the pages: titles and the toc's captions are not the English ones."""
    for docname in PAGES:
        en = _soup(built_site, "en", docname).select_one("h1").get_text(strip=True)
        theirs = _soup(built_site, lang, docname).select_one("h1").get_text(strip=True)
        assert theirs != en, f"{lang}/{docname}: the title is still {en!r}"
    captions = [c.get_text() for c in _soup(built_site, lang, PAGES[1]).select(".bd-sidebar .caption-text")]
    english = [c.get_text() for c in _soup(built_site, "en", PAGES[1]).select(".bd-sidebar .caption-text")]
    assert captions and not set(captions) & set(english), captions


# The words the package writes into outputs (derivations.editions).
# (the first line of a failing, a passing and a stub's verdict, as each edition words them)
VERDICT_HEADS = {"en": ("is not right yet", "passed all", "is not implemented yet"),
                 "es": ("todavía no es correcta", "superó los", "aún no está implementada"),
                 "id": ("belum benar", "lolos di semua", "belum diimplementasikan"),
                 "zh_CN": ("还不正确", "通过了全部", "尚未实现")}


@pytest.mark.parametrize("lang", locales.LANGUAGES)
def test_outputs_in_several_languages_keep_only_the_pages(built_site, lang):
    code = locales.HTML_LANG[lang]
    for docname in PAGES:
        soup = _soup(built_site, lang, docname)
        assert not soup.select("template, .derivations-languages"), f"{lang}/{docname}: other languages left"
        for node in soup.select(".derivations-check, .dfig-figure"):
            assert node.parent.get("lang") == code, (lang, docname, node.parent.get("lang"))
        for div in soup.select(".edition-text"):
            assert editions.language_class(lang) in div["class"], (lang, docname, div["class"])


@pytest.mark.parametrize("lang", EDITIONS)
def test_verdicts_figures_and_measured_paragraphs_are_in_the_editions_language(built_site, lang):
    verdicts = 0
    for docname in PAGES:
        english, edition = _soup(built_site, "en", docname), _soup(built_site, lang, docname)
        for check in edition.select(".derivations-check strong"):
            head = check.get_text()
            assert not any(w in head for w in VERDICT_HEADS["en"]), (lang, docname, head)
            assert any(w in head for w in VERDICT_HEADS[lang]), (lang, docname, head)
            verdicts += 1
        alts = {i["alt"] for i in english.select(".dfig-figure img")}
        theirs = {i["alt"] for i in edition.select(".dfig-figure img")}
        assert len(theirs) == len(alts) and not alts & theirs, (lang, docname, alts & theirs)
        # the words are drawn in (a figure without words, like chapter 4's second, is the same image)
        drawn = {i["src"] for i in english.select(".dfig-figure img")}
        assert not drawn or drawn - {i["src"] for i in edition.select(".dfig-figure img")}, (lang, docname)
    assert verdicts >= 15
    measured = _soup(built_site, lang, "book/12_cost").select(".live-measurement")
    assert len(measured) == 2 and all(editions.language_class(lang) in div["class"] for div in measured)


def test_the_chinese_search_index_is_segmented(built_site):
    index = (built_site / "zh_CN" / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1: index.rindex(")")])["terms"]
    chinese = [w for w in terms if re.search(r"[\u4e00-\u9fff]", w)]
    # jieba gives words of a few characters, not whole sentences
    assert "梯度" in chinese and "交叉" in chinese, chinese[:20]
    assert sorted(len(w) for w in chinese)[len(chinese) // 2] <= 4


def test_the_switcher_addresses():
    assert book_editions.page_url("book/12_cost", "es", "id") == "../../id/book/12_cost.html"
    assert book_editions.page_url("search", "en", "zh_CN") == "zh_CN/search.html"


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_editions_download_is_its_own_notebook(built_site, lang):
    """The .ipynb a page offers is in the page's language, and its first cell sets that language."""
    for docname in PAGES:
        soup = _soup(built_site, lang, docname)
        link = next((a for a in soup.select('a[href$=".ipynb"]') if "://" not in a["href"]), None)
        if link is None:
            continue
        page_dir = (built_site / lang / docname).parent
        nb = json.loads((page_dir / link["href"]).resolve().read_text(encoding="utf-8"))
        first = "".join(nb["cells"][0]["source"])
        assert first.endswith(f'os.environ["DERIVATIONS_LANGUAGE"] = "{lang}"'), (lang, docname, first)
        title = soup.select_one("h1").get_text(strip=True)
        assert any(title in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"), (
            lang, docname, title)


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_editions_launch_button_opens_its_own_copy(built_site, lang):
    """Binder opens lab/<lang>/<chapter>.ipynb, which binder/postBuild makes for each edition."""
    launched = 0
    for docname in PAGES:
        hrefs = [a["href"] for a in _soup(built_site, lang, docname).select(".dropdown-launch-buttons a")]
        if not hrefs:
            continue
        name = docname.rsplit("/", 1)[-1]
        assert [parse_qs(urlparse(h).query)["urlpath"] for h in hrefs] == [[f"lab/tree/lab/{lang}/{name}.ipynb"]]
        launched += 1
    assert launched >= 15
    post_build = (locales.ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert 'tools/lab.py copies --language "$lang"' in post_build and f" {lang}" in post_build
