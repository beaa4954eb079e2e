"""Every page of the built book, in a real browser with the network cut off.

For each page: no console errors and no failed requests; every formula typeset
by MathJax with no raw TeX left in the text; every image loaded and described
(alt text), every figure captioned; the light and the dark theme both render
with readable contrast; at 390 px wide the content does not overflow
sideways. The search page finds each chapter. Screenshots of every page
(light, dark, 390 px) are saved in ``_build/screenshots/`` for people to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tools import locales
from tools.book_toc import toc_docnames

ROOT = Path(__file__).resolve().parents[2]
SPECIAL_PAGES = ["index.html", "search.html", "genindex.html"]

# Text that MathJax should have turned into formulas.
RAW_TEX = [
    (re.compile(r"\$\$"), "$$"),
    (re.compile(r"\\[()\[\]]"), r"\( \) \[ \]"),
    (re.compile(r"\\(?:begin|end)\{"), r"\begin{...}"),
    (re.compile(r"\\(?:frac|sum|partial|operatorname|mathbf|mathrm|top|odot|log|exp)\b"), "a TeX command"),
    (re.compile(r"(?<![\w$])\$[^\s$][^$\n]{0,80}?(?<=[^\s$])\$(?![\w$])"), "$...$"),
]
MIN_CONTRAST_PROSE = 4.5  # WCAG AA for body text
MIN_CONTRAST_OTHER = 3.0  # navigation, captions, code (AA for large/UI text)


def _pages() -> list[str]:
    """Pages to visit: those of DERIVATIONS_SITE if given, else the toc's."""
    given = os.environ.get("DERIVATIONS_SITE")
    if given and Path(given, "index.html").is_file():
        return sorted(p.relative_to(given).as_posix() for p in Path(given).rglob("*.html")
                      if "_vendor" not in p.parts and "_static" not in p.parts
                      and p.relative_to(given).parts[0] not in locales.EDITIONS)
    return [f"{name}.html" for name in toc_docnames(ROOT)] + SPECIAL_PAGES


PAGES = _pages()
# Jupyter Book writes index.html as a redirect to the root chapter.
REDIRECTS = {"index.html"}
CHAPTERS = [p for p in PAGES if p.startswith("book/")]


def _slug(page: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", page.removesuffix(".html"))


# Resolves once MathJax has typeset the page (widgets included), the widget
# manager has rendered every embedded widget and every image has settled.
WAIT_READY = """
async () => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const views = () => document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]').length;
  let waited = 0;
  while (document.querySelectorAll('.widget-subarea').length < views() && waited < 15000) {
    await sleep(100); waited += 100;
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  // MathJax's fonts load after typesetting: a page left before they arrive
  // shows its font requests as failed (net::ERR_ABORTED)
  await document.fonts.ready;
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
    new Promise(r => { img.addEventListener('load', r); img.addEventListener('error', r); })));
  return {views: views(), rendered: document.querySelectorAll('.widget-subarea').length};
}
"""

UNTYPESET_MATH = """
() => Array.from(document.querySelectorAll('.math'))
  .filter(el => !el.querySelector('mjx-container'))
  .map(el => el.textContent.trim().slice(0, 80))
"""

# The reader-visible text of the main content, without code, scripts and formulas.
CONTENT_TEXT = """
() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, textarea, mjx-container, .highlight, '
                        + 'input, select, .cell_input').forEach(el => el.remove());
  return copy.textContent;
}
"""

IMAGES = """
() => Array.from(document.images).map(img => ({
  src: img.getAttribute('src'),
  loaded: img.complete && img.naturalWidth > 0,
  alt: (img.getAttribute('alt') || '').trim(),
}))
"""

FIGURES = """
() => Array.from(document.querySelectorAll('article figure')).map(fig => ({
  id: fig.id || (fig.querySelector('[id]') || {}).id || '',
  visual: !!fig.querySelector('img, svg, canvas'),
  caption: ((fig.querySelector('figcaption') || {}).textContent || '').trim(),
}))
"""

# WCAG contrast of text against the background actually painted behind it.
CONTRAST = """
(selectors) => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1}; };
  const lum = c => { const f = x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor) || {r: 255, g: 255, b: 255, a: 1};
  };
  const out = [];
  for (const [name, selector] of Object.entries(selectors)) {
    const el = Array.from(document.querySelectorAll(selector)).find(e => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && e.textContent.trim().length > 0
        && getComputedStyle(e).visibility !== 'hidden';
    });
    if (!el) continue;
    const fg = parse(getComputedStyle(el).color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    out.push({name, ratio: (hi + 0.05) / (lo + 0.05), fg: getComputedStyle(el).color,
              bg: `rgb(${bg.r}, ${bg.g}, ${bg.b})`, text: el.textContent.trim().slice(0, 40)});
  }
  const pageBg = background(document.body);
  return {items: out, pageLuminance: lum(pageBg)};
}
"""
CONTRAST_TARGETS = {
    "prose": "article.bd-article p",
    "list": "article.bd-article li",
    "heading": "article.bd-article h1",
    "caption": "article.bd-article figcaption",
    "code": "article.bd-article pre",
    "nav": ".bd-sidebar-primary a",
    "output": "article.bd-article .cell_output pre",
}

# Elements of the main content that stick out of a narrow viewport, unless a
# scrolling ancestor (a code block, a wide formula) keeps them inside.
OVERFLOW = """
() => {
  const vw = document.documentElement.clientWidth;
  const main = document.querySelector('article.bd-article') || document.body;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string'
       ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '');
  const offenders = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1) continue;
    let contained = false;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible' && a.getBoundingClientRect().right <= vw + 1) { contained = true; break; }
    }
    if (!contained) offenders.push(`${describe(el)} (right edge ${Math.round(r.right)} px)`);
  }
  return {viewport: vw, pageScrollWidth: document.documentElement.scrollWidth,
          offenders: offenders.slice(0, 12), count: offenders.length};
}
"""


def _visit(page, site_url: str, path: str) -> dict:
    url = site_url + path
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    if path in REDIRECTS:
        # A redirect page (the site's index.html): follow it and check where it lands.
        page.wait_for_url(lambda u: u != url, wait_until="load")
    return page.evaluate(WAIT_READY)


def _screenshot(page, dest: Path) -> None:
    """Save the whole page for a person to look at; the checks never depend on it."""
    from playwright.sync_api import Error

    # JPEG: a full chapter is ~14,000 px tall, and PNG takes twice as long to encode.
    for attempt in range(3):
        try:
            page.screenshot(path=str(dest), full_page=True, type="jpeg", quality=70)
            return
        except Error as error:
            # Chromium can fail to capture a very tall page when the machine is short of memory
            if "Unable to capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(1000)
    page.screenshot(path=str(dest), type="jpeg", quality=70)  # the first screen, at least


def _theme(page, mode: str) -> None:
    # The theme reads the reader's choice from localStorage before painting.
    page.context.add_init_script(f"localStorage.setItem('mode', '{mode}');")


# Each check returns a list of problems, so that one page load reports them all.


def _network_and_console(page) -> list[str]:
    problems = []
    if page.console_errors:
        problems.append("console errors:\n    " + "\n    ".join(page.console_errors))
    if page.failed_requests:
        problems.append("failed requests:\n    " + "\n    ".join(page.failed_requests))
    if page.external_requests:
        problems.append("requests to other servers:\n    " + "\n    ".join(page.external_requests))
    return problems


def _widgets(state: dict) -> list[str]:
    if state["rendered"] < state["views"]:
        return [f"only {state['rendered']} of {state['views']} widgets rendered"]
    return []


def _maths(page) -> list[str]:
    problems = []
    untypeset = page.evaluate(UNTYPESET_MATH)
    if untypeset:
        problems.append(f"formulas MathJax did not typeset: {untypeset[:10]}")
    text = page.evaluate(CONTENT_TEXT)
    raw = [
        f"{name}: ...{text[max(0, m.start() - 30): m.end() + 30]!r}..."
        for pattern, name in RAW_TEX
        for m in pattern.finditer(text)
    ]
    if raw:
        problems.append("raw TeX left in the page:\n    " + "\n    ".join(raw[:10]))
    return problems


def _images_and_figures(page) -> list[str]:
    problems = []
    images = page.evaluate(IMAGES)
    broken = [i["src"] for i in images if not i["loaded"]]
    undescribed = [i["src"] for i in images if not i["alt"]]
    if broken:
        problems.append(f"images that did not load: {broken}")
    if undescribed:
        problems.append(f"images without alt text: {undescribed}")
    figures = page.evaluate(FIGURES)
    if not all(f["visual"] for f in figures):
        problems.append(f"figures without an image: {[f['id'] for f in figures if not f['visual']]}")
    uncaptioned = [f["id"] for f in figures if not f["caption"]]
    if uncaptioned:
        problems.append(f"figures without a caption: {uncaptioned}")
    return problems


def _contrast(page, mode: str) -> list[str]:
    problems = []
    if page.evaluate("document.documentElement.dataset.theme") != mode:
        problems.append(f"the page did not switch to the {mode} theme")
    contrast = page.evaluate(CONTRAST, CONTRAST_TARGETS)
    if mode == "dark" and contrast["pageLuminance"] >= 0.2:
        problems.append("the dark theme's page is not dark")
    if mode == "light" and contrast["pageLuminance"] <= 0.7:
        problems.append("the light theme's page is not light")
    poor = [
        f"{c['name']}: {c['ratio']:.2f} ({c['fg']} on {c['bg']}, {c['text']!r})"
        for c in contrast["items"]
        if c["ratio"] < (MIN_CONTRAST_PROSE if c["name"] in ("prose", "list") else MIN_CONTRAST_OTHER)
    ]
    if poor:
        problems.append(f"text with too little contrast ({mode}):\n    " + "\n    ".join(poor))
    return problems


def _downloads_and_launch(page, path: str) -> list[str]:
    """A notebook page offers its .ipynb and a Binder link that opens the learner's copy in JupyterLab."""
    if not page.evaluate("!!document.querySelector('.cell, a.btn-download-notebook-button')"):
        return []  # not a notebook page (e.g. the references)
    problems = []
    links = page.eval_on_selector_all("a.btn-download-notebook-button", "els => els.map(a => a.href)")
    if len(links) != 1:
        return [f"expected one notebook download link, found {links}"]
    response = page.request.get(links[0])
    if not response.ok:
        problems.append(f"notebook download {links[0]}: HTTP {response.status}")
    else:
        notebook = response.json()
        if notebook.get("nbformat") != 4 or not notebook.get("cells"):
            problems.append(f"notebook download {links[0]} is not a notebook with cells")
    launch = page.eval_on_selector_all(".dropdown-launch-buttons a", "els => els.map(a => a.href)")
    # the learner's copy that binder/postBuild makes in lab/, never the MyST source
    copy = "lab/" + path.removesuffix(".html").rsplit("/", 1)[-1] + ".ipynb"
    if not any(href.endswith("urlpath=lab/tree/" + copy) for href in launch):
        problems.append(f"no Binder link opening {copy} in JupyterLab: {launch}")
    return problems


def _report(path: str, problems: list[str]) -> None:
    assert not problems, f"{path}:\n  - " + "\n  - ".join(problems)


# -- every page ----------------------------------------------------------------------


def test_every_built_page_is_visited(built_site):
    # the editions' pages (es/, id/, zh_CN/) are visited by test_editions_in_browser.py
    built = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
             if "_vendor" not in p.parts and "_static" not in p.parts
             and p.relative_to(built_site).parts[0] not in locales.EDITIONS}
    missing = built - set(PAGES)
    assert not missing, f"pages of the built site that this suite does not visit: {sorted(missing)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_in_light_theme(page, site_url, path, screenshot_dir):
    """Loads cleanly, maths typeset, images and figures described, readable, downloads work."""
    _theme(page, "light")
    state = _visit(page, site_url, path)
    _screenshot(page, screenshot_dir / f"{_slug(path)}-light.jpg")
    problems = _network_and_console(page) + _widgets(state) + _maths(page)
    problems += _images_and_figures(page) + _contrast(page, "light")
    if path.startswith("book/"):
        problems += _downloads_and_launch(page, path)
    _report(path, problems)


@pytest.mark.parametrize("path", PAGES)
def test_page_in_dark_theme(page, site_url, path, screenshot_dir):
    _theme(page, "dark")
    state = _visit(page, site_url, path)
    _screenshot(page, screenshot_dir / f"{_slug(path)}-dark.jpg")
    problems = _network_and_console(page) + _widgets(state) + _maths(page) + _contrast(page, "dark")
    _report(path, problems)


@pytest.mark.parametrize("path", PAGES)
def test_page_at_390_px(page, site_url, path, screenshot_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    state = _visit(page, site_url, path)
    _screenshot(page, screenshot_dir / f"{_slug(path)}-390.jpg")
    problems = _network_and_console(page) + _widgets(state)
    result = page.evaluate(OVERFLOW)
    if result["count"]:
        problems.append(f"{result['count']} elements of the content stick out of a "
                        f"{result['viewport']} px screen: {result['offenders']}")
    if result["pageScrollWidth"] > result["viewport"] + 1:
        problems.append(f"the page scrolls sideways ({result['pageScrollWidth']} px wide "
                        f"on a {result['viewport']} px screen)")
    _report(path, problems)


# -- search ------------------------------------------------------------------------

_STOP = {"about", "after", "between", "their", "there", "these", "those", "which", "while",
         "without", "where", "what", "when", "with", "from", "into", "that", "this", "does"}


def _title_word(built_site: Path, path: str) -> str | None:
    html = (built_site / path).read_text(encoding="utf-8")
    m = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    if not m:
        return None
    title = re.sub(r"<[^>]+>", " ", m.group(1))
    words = [w for w in re.findall(r"[A-Za-z]{5,}", title) if w.lower() not in _STOP]
    return max(words, key=len) if words else None


@pytest.mark.parametrize("path", CHAPTERS)
def test_search_finds_each_chapter(page, site_url, built_site, path):
    word = _title_word(built_site, path)
    if word is None:
        pytest.fail(f"{path} has no <h1> title with a searchable word")
    _visit(page, site_url, f"search.html?q={quote(word)}")
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.textContent.trim().length > 0 }"
    )
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    target = site_url + path
    assert any(h.split("#")[0].split("?")[0] == target for h in hrefs), (
        f"searching for {word!r} does not list {path}; it lists {hrefs[:10]}"
    )
    _report("search.html", _network_and_console(page))
