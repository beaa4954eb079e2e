"""The book on a phone (390 CSS px) and on a desktop (1280 px), in both themes.

At 390 px on every page nothing is wider than the text column: tables that
do not fit are drawn as stacked cards (``_static/phone.js`` + ``phone.css``),
each cell labelled with its column's header; formulas that do not fit are
scaled down; the few still too wide after scaling scroll inside their own box
with a visible hint, never silently. Code blocks and the interactive explorers
are left out of the count (code scrolls by nature; the explorers are
checked in test_explorers.py). Search result snippets carry no raw TeX.
Screenshots of the pages people should look at are saved for every width
and theme.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from test_site import PAGES, _slug, _theme, _visit

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LOOK_AT = ["book/01_puzzle.html", "book/02_quotient_rule.html", "book/03_kronecker_delta.html",
           "book/04_toy_network.html", "book/05_matrix_form.html", "book/13_mistakes.html",
           "book/14_instructors.html", "book/summary.html"]
CONTENT_PAGES = [p for p in PAGES if p not in ("index.html", "genindex.html", "search.html")]

# Elements of the article wider than its text column, or scrolling inside it.
# A formula counts once (its container), and so does an element inside one
# already counted.
OVERFLOW = r"""
() => {
  const main = document.querySelector('article.bd-article') || document.body;
  const cs = getComputedStyle(main);
  const colRight = main.getBoundingClientRect().right - parseFloat(cs.paddingRight);
  const skip = el => el.closest('pre, .highlight, .widget-subarea, .jupyter-widgets, script, style')
    || (el.parentElement && el.parentElement.closest('mjx-container'));
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string'
       ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '');
  const counted = new Set(), offenders = [], hinted = [];
  for (const el of main.querySelectorAll('*')) {
    if (skip(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const ox = getComputedStyle(el).overflowX;
    const scrolls = ox !== 'visible' && ox !== 'hidden' && el.scrollWidth > el.clientWidth + 1;
    const sticks = r.right > colRight + 1;
    if (!scrolls && !sticks) continue;
    let inside = false;
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) if (counted.has(a)) inside = true;
    counted.add(el);
    if (inside) continue;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    const why = scrolls ? `scrolls ${el.scrollWidth} px in ${el.clientWidth}`
                        : `right edge ${Math.round(r.right)} > ${Math.round(colRight)}`;
    const what = `${describe(el)}: ${why} "${text}"`;
    const hint = el.nextElementSibling;
    if (scrolls && !sticks && el.classList.contains('phone-scrolls') && hint
        && hint.classList.contains('phone-scroll-hint') && hint.getBoundingClientRect().height > 0) {
      hinted.push(what);
    } else {
      offenders.push(what);
    }
  }
  return {offenders, hinted, pageScrollWidth: document.documentElement.scrollWidth,
          viewport: document.documentElement.clientWidth};
}
"""

TABLES = r"""
() => Array.from(document.querySelectorAll('article.bd-article table'))
  .filter(t => !t.closest('.widget-subarea, .jupyter-widgets'))
  .map(t => {
    const heads = Array.from(t.querySelectorAll('thead th')).map(th => th.textContent.replace(/\s+/g, ' ').trim());
    const firstRow = Array.from((t.querySelector('tbody tr') || {children: []}).children);
    return {
      header: heads.join(' | ').slice(0, 60),
      stacked: t.classList.contains('phone-stacked'),
      fits: t.getBoundingClientRect().right <= (document.querySelector('article.bd-article')
              .getBoundingClientRect().right) + 1 && t.scrollWidth <= t.parentElement.clientWidth + 1,
      labels: firstRow.map(td => td.getAttribute('data-label')),
      heads,
      shownLabel: firstRow.length ? getComputedStyle(firstRow[0], '::before').content : '',
    };
  })
"""


def _shots() -> Path:
    where = Path(os.environ.get("DERIVATIONS_SCREENSHOTS", Path(__file__).resolve().parents[2]
                                / "_build" / "screenshots"))
    where.mkdir(parents=True, exist_ok=True)
    return where


def _settle(page):
    page.wait_for_function("() => document.documentElement.dataset.phoneFitted === 'true'", timeout=15_000)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_nothing_is_wider_than_the_column_at_390_px(page, site_url, path, mode):
    _theme(page, mode)
    page.set_viewport_size(PHONE)
    _visit(page, site_url, path)
    _settle(page)
    result = page.evaluate(OVERFLOW)
    problems = []
    if result["offenders"]:
        problems.append(f"{len(result['offenders'])} elements wider than the column or scrolling "
                        f"without a cue: " + "\n    ".join(result["offenders"][:15]))
    if result["pageScrollWidth"] > result["viewport"] + 1:
        problems.append(f"the page scrolls sideways ({result['pageScrollWidth']} px)")
    assert not problems, f"{path} ({mode}):\n  - " + "\n  - ".join(problems)


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_wide_tables_become_labelled_cards_on_a_phone(page, site_url, path):
    page.set_viewport_size(PHONE)
    _visit(page, site_url, path)
    _settle(page)
    for table in page.evaluate(TABLES):
        assert table["stacked"] or table["fits"], f"{path}: table [{table['header']}] neither fits nor stacks"
        if table["stacked"]:
            # every cell names its column, and the name is shown
            assert table["labels"] == table["heads"][:len(table["labels"])], table
            assert table["shownLabel"] not in ("none", "normal", ""), table


@pytest.mark.parametrize("path", ["book/03_kronecker_delta.html", "book/13_mistakes.html",
                                  "book/14_instructors.html", "book/summary.html"])
def test_tables_keep_their_columns_on_a_desktop(page, site_url, path):
    page.set_viewport_size(DESKTOP)
    _visit(page, site_url, path)
    _settle(page)
    tables = page.evaluate(TABLES)
    assert tables, f"{path} has no table"
    assert not any(t["stacked"] for t in tables), f"{path}: a table is stacked at 1280 px"


def test_reported_tables_are_stacked_at_390_px(page, site_url):
    """The tables of the report: chapter 3's notation table, the catalogue, chapter 14's, the summary."""
    page.set_viewport_size(PHONE)
    for path, header in [("book/03_kronecker_delta.html", "quantity"), ("book/13_mistakes.html", "mistake"),
                         ("book/14_instructors.html", "path"), ("book/14_instructors.html", "file in the zip"),
                         ("book/summary.html", "what")]:
        _visit(page, site_url, path)
        _settle(page)
        tables = [t for t in page.evaluate(TABLES) if t["heads"] and t["heads"][0] == header]
        assert tables and all(t["stacked"] for t in tables), f"{path}: table [{header}] is not stacked"


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", LOOK_AT + ["search.html?q=logits"])
def test_screenshots_for_people(page, site_url, path, mode, width):
    _theme(page, mode)
    page.set_viewport_size(width)
    _visit(page, site_url, path)
    if path.startswith("search"):
        page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    else:
        _settle(page)
    dest = _shots() / f"{_slug(path.split('?')[0])}-{width['width']}-{mode}.jpg"
    page.screenshot(path=str(dest), full_page=True, type="jpeg", quality=70)
    assert dest.stat().st_size > 0


TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\[A-Za-z]+")


@pytest.mark.parametrize("word", ["logits", "gradient", "classes"])
def test_search_snippets_show_no_raw_tex(page, site_url, word):
    _visit(page, site_url, f"search.html?q={word}")
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.textContent.trim().length > 0 }", timeout=30_000)
    # snippets are filled in as each page's HTML arrives
    page.wait_for_function(
        "() => { const items = document.querySelectorAll('#search-results ul.search li');"
        " return items.length > 0 && Array.from(items).every(li => li.querySelector('p.context')) }",
        timeout=30_000)
    snippets = page.eval_on_selector_all("#search-results ul.search li p.context",
                                         "els => els.map(p => p.textContent)")
    assert len(snippets) >= 3, snippets
    raw = [(TEX.search(s).group(0), s[:160]) for s in snippets if TEX.search(s)]
    assert not raw, f"search snippets for {word!r} with raw TeX: {raw[:5]}"


def test_tex_to_text_reads_formulas(page, site_url):
    _visit(page, site_url, "search.html")
    read = page.evaluate("""() => [String.raw`\\(C\\)`,
                                   String.raw`\\[\\frac{\\partial L}{\\partial z_j} = p_j - t_j\\]`,
                                   String.raw`\\(\\operatorname{softmax}(z)^\\top \\mathbf 1\\)`]
                                  .map(window.derivationsTexToText)""")
    assert read == ["C", "(∂ L)/(∂ z_j) = p_j - t_j", "softmax(z)^ᵀ 1"]


# Every pair of texts in an explorer's drawing whose boxes overlap by more than
# a sliver, in CSS px: labels that run into each other cannot be read.
SVG_TEXT_OVERLAPS = """
(root) => {
  const boxes = [...document.querySelector(root).querySelectorAll("svg text")]
    .filter((t) => t.textContent.trim() && t.getClientRects().length)
    .map((t) => ({ text: t.textContent.trim(), r: t.getBoundingClientRect() }));
  const clashes = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1.5 && h > 1.5) {
        clashes.push(`"${boxes[i].text}" and "${boxes[j].text}" (${w.toFixed(1)} x ${h.toFixed(1)} px)`);
      }
    }
  }
  return { count: boxes.length, clashes };
}
"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("key", ["toy_network", "jacobian", "logits", "descent"])
def test_explorer_labels_do_not_run_into_each_other(page, site_url, built_site, key, width):
    from test_explorers import _open_explorer, drive_toy

    page.set_viewport_size({"width": width, "height": 900})
    root, where = _open_explorer(page, site_url, built_site, key)
    if key == "toy_network":
        drive_toy(page, root)  # values of other lengths after a change
    result = page.evaluate(SVG_TEXT_OVERLAPS, root)
    if key == "toy_network":
        assert result["count"] > 20, "the toy network's drawing has lost its labels"
    assert not result["clashes"], f"{key} explorer on {where} at {width} px: " + "; ".join(result["clashes"])
