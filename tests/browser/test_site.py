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
import yaml

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


def _toc_docnames(toc_path: Path) -> list[str]:
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [re.sub(r"\.(md|ipynb)$", "", name) for name in names]


def _pages() -> list[str]:
    """Pages to visit: those of DERIVATIONS_SITE if given, else the toc's."""
    given = os.environ.get("DERIVATIONS_SITE")
    if given and Path(given, "index.html").is_file():
        return sorted(p.relative_to(given).as_posix() for p in Path(given).rglob("*.html")
                      if "_vendor" not in p.parts and "_static" not in p.parts)
    return [f"{name}.html" for name in _toc_docnames(ROOT / "_toc.yml")] + SPECIAL_PAGES


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
    # JPEG: a full chapter is ~14,000 px tall, and PNG takes twice as long to encode.
    page.screenshot(path=str(dest), full_page=True, type="jpeg", quality=70)


def _assert_clean(page, path: str) -> None:
    problems = []
    if page.console_errors:
        problems.append("console errors:\n  " + "\n  ".join(page.console_errors))
    if page.failed_requests:
        problems.append("failed requests:\n  " + "\n  ".join(page.failed_requests))
    if page.external_requests:
        problems.append("requests to other servers:\n  " + "\n  ".join(page.external_requests))
    assert not problems, f"{path}:\n" + "\n".join(problems)


def _theme(page, mode: str) -> None:
    # The theme reads the reader's choice from localStorage before painting.
    page.context.add_init_script(f"localStorage.setItem('mode', '{mode}');")


# -- every page ----------------------------------------------------------------------


def test_every_built_page_is_visited(built_site):
    built = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
             if "_vendor" not in p.parts and "_static" not in p.parts}
    missing = built - set(PAGES)
    assert not missing, f"pages of the built site that this suite does not visit: {sorted(missing)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_with_maths_and_images(page, site_url, path, screenshot_dir):
    state = _visit(page, site_url, path)
    _screenshot(page, screenshot_dir / f"{_slug(path)}-light.jpg")
    _assert_clean(page, path)
    assert state["rendered"] >= state["views"], f"{path}: only {state['rendered']} of {state['views']} widgets rendered"

    untypeset = page.evaluate(UNTYPESET_MATH)
    assert not untypeset, f"{path}: formulas MathJax did not typeset: {untypeset}"
    text = page.evaluate(CONTENT_TEXT)
    raw = []
    for pattern, name in RAW_TEX:
        for m in pattern.finditer(text):
            raw.append(f"{name}: ...{text[max(0, m.start() - 30): m.end() + 30]!r}...")
    assert not raw, f"{path}: raw TeX left in the page:\n  " + "\n  ".join(raw[:10])

    images = page.evaluate(IMAGES)
    broken = [i["src"] for i in images if not i["loaded"]]
    undescribed = [i["src"] for i in images if not i["alt"]]
    assert not broken, f"{path}: images that did not load: {broken}"
    assert not undescribed, f"{path}: images without alt text: {undescribed}"
    figures = page.evaluate(FIGURES)
    assert all(f["visual"] for f in figures), f"{path}: figures without an image: {figures}"
    uncaptioned = [f["id"] for f in figures if not f["caption"]]
    assert not uncaptioned, f"{path}: figures without a caption: {uncaptioned}"


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_theme_renders_readably(page, site_url, path, mode, screenshot_dir):
    _theme(page, mode)
    _visit(page, site_url, path)
    if mode == "dark":  # the light screenshot is taken by the test above
        _screenshot(page, screenshot_dir / f"{_slug(path)}-dark.jpg")
    _assert_clean(page, path)
    assert page.evaluate("document.documentElement.dataset.theme") == mode

    contrast = page.evaluate(CONTRAST, CONTRAST_TARGETS)
    if mode == "dark":
        assert contrast["pageLuminance"] < 0.2, f"{path}: the dark theme's page is not dark"
    else:
        assert contrast["pageLuminance"] > 0.7, f"{path}: the light theme's page is not light"
    poor = [
        f"{c['name']}: {c['ratio']:.2f} ({c['fg']} on {c['bg']}, {c['text']!r})"
        for c in contrast["items"]
        if c["ratio"] < (MIN_CONTRAST_PROSE if c["name"] in ("prose", "list") else MIN_CONTRAST_OTHER)
    ]
    assert not poor, f"{path} ({mode}): text with too little contrast:\n  " + "\n  ".join(poor)


@pytest.mark.parametrize("path", PAGES)
def test_readable_at_390_px(page, site_url, path, screenshot_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    _visit(page, site_url, path)
    _screenshot(page, screenshot_dir / f"{_slug(path)}-390.jpg")
    _assert_clean(page, path)
    result = page.evaluate(OVERFLOW)
    assert result["count"] == 0, (
        f"{path}: {result['count']} elements of the content stick out of a "
        f"{result['viewport']} px screen: {result['offenders']}"
    )
    assert result["pageScrollWidth"] <= result["viewport"] + 1, (
        f"{path}: the page scrolls sideways ({result['pageScrollWidth']} px wide "
        f"on a {result['viewport']} px screen)"
    )


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
    _assert_clean(page, "search.html")


# -- downloads and launch links ----------------------------------------------------


@pytest.mark.parametrize("path", CHAPTERS)
def test_notebook_download_link_works(page, site_url, path):
    _visit(page, site_url, path)
    links = page.eval_on_selector_all("a.btn-download-notebook-button", "els => els.map(a => a.href)")
    is_notebook = page.evaluate("!!document.querySelector('.cell, .cell_output') || "
                                "!!document.querySelector('a.btn-download-notebook-button')")
    if not is_notebook:
        pytest.skip(f"{path} is not a notebook page")
    assert len(links) == 1, f"{path}: expected one notebook download link, found {links}"
    response = page.request.get(links[0])
    assert response.ok, f"{links[0]}: HTTP {response.status}"
    notebook = response.json()
    assert notebook["nbformat"] == 4 and notebook["cells"], links[0]
    # The launch menu opens the same chapter on Binder, in JupyterLab.
    launch = page.eval_on_selector_all(".dropdown-launch-buttons a", "els => els.map(a => a.href)")
    source = path.removesuffix(".html") + ".md"
    assert any("urlpath=lab/tree/" + source in href for href in launch), (
        f"{path}: no Binder link opening {source} in JupyterLab: {launch}"
    )


# -- JupyterLab (`make lab`, and Binder) ------------------------------------------


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with the repository's settings override, as `make lab` runs it."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    settings = tmp_path_factory.mktemp("lab-settings")
    shutil.copy(ROOT / "binder" / "overrides.json", settings / "overrides.json")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "derivations-test"
    log = open(settings / "lab.log", "w")
    lab = subprocess.Popen(
        [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={ROOT}", f"--LabApp.app_settings_dir={settings}",
         f"--LabApp.user_settings_dir={settings / 'user'}",
         f"--LabApp.workspaces_dir={settings / 'workspaces'}"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if lab.poll() is not None:
                    pytest.fail(f"jupyter lab exited: {(settings / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start within 120 s")
        yield base, token
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()
        log.close()


def test_jupyterlab_opens_a_chapter_as_a_notebook(browser, lab_url, screenshot_dir):
    base, token = lab_url
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    external = []
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith((base, "data:", "blob:"))
                  else (external.append(route.request.url), route.abort()))
    try:
        lab = context.new_page()
        lab.goto(f"{base}/lab/tree/book/00_introduction.md?token={token}")
        lab.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        lab.wait_for_timeout(1000)
        lab.screenshot(path=str(screenshot_dir / "jupyterlab-chapter.png"))
        assert lab.locator(".jp-FileEditor").count() == 0, "the chapter opened as a text file"
        assert lab.locator(".jp-NotebookPanel .jp-MarkdownCell").count() >= 1
        assert not external, f"JupyterLab tried to reach other servers: {external}"
    finally:
        context.close()
