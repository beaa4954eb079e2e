"""The built site fetches nothing from another server.

A static scan of every HTML, JavaScript and CSS file of the built site for
URLs that a browser would *fetch* from elsewhere: ``src``/``srcset``/``data``
of embedded resources, ``<link>`` elements that load something (stylesheet,
script preload, icon, manifest, preconnect...), CSS ``url()`` and
``@import``, JavaScript ``import``/``import()``/``fetch()``/workers, inline
styles and scripts (including the widget state, whose ES modules the page
runs), and the widget manager's ``data-jupyter-widgets-cdn``.

Plain navigation links (``<a href="https://...">``, ``<link rel="canonical">``)
are not fetches and are allowed. The browser suite (tests/browser) checks the
same thing dynamically, with every non-local request aborted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

# An absolute or protocol-relative URL: the only kind that leaves the site.
_EXTERNAL = r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//"
EXTERNAL_URL = re.compile(rf"^\s*{_EXTERNAL}")

# Attributes whose URL the browser loads as part of the page.
FETCH_ATTRIBUTES = {
    "src": None,  # any element
    "data": {"object"},
    "poster": {"video"},
    "background": None,
}
# <link rel=...> values that do not load anything by themselves.
NAVIGATION_RELS = {
    "alternate", "author", "bookmark", "canonical", "external", "help", "index",
    "license", "me", "next", "nofollow", "noopener", "noreferrer", "prev",
    "search", "tag", "up", "first", "last", "contents", "top",
}

_Q = r"\\?[\"'`]"  # a quote, possibly escaped inside JSON
CSS_PATTERNS = [
    re.compile(rf"url\(\s*\\?[\"']?\s*{_EXTERNAL}", re.IGNORECASE),
    re.compile(rf"@import\s+(?:url\(\s*)?\\?[\"']?\s*{_EXTERNAL}", re.IGNORECASE),
]
JS_PATTERNS = [
    re.compile(rf"\bimport\s*\(\s*{_Q}{_EXTERNAL}"),  # dynamic import()
    re.compile(rf"\bimport\s+{_Q}{_EXTERNAL}"),  # import "https://..."
    re.compile(rf"\bfrom\s*{_Q}{_EXTERNAL}"),  # import x from "https://..."
    re.compile(rf"\bfetch\s*\(\s*{_Q}{_EXTERNAL}"),
    re.compile(rf"\bimportScripts\s*\(\s*{_Q}{_EXTERNAL}"),
    re.compile(rf"\bnew\s+(?:Shared)?Worker\s*\(\s*{_Q}{_EXTERNAL}"),
    re.compile(rf"\brequire(?:js)?\s*\(\s*\[\s*{_Q}{_EXTERNAL}"),
    re.compile(rf"\.src\s*=\s*{_Q}{_EXTERNAL}"),
]
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class Finding:
    file: str
    what: str
    snippet: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what}: {self.snippet}"


def scan_css(text: str, where: str, what: str = "CSS") -> list[Finding]:
    text = _CSS_COMMENT.sub("", text)
    return [
        Finding(where, what, text[m.start(): m.end() + 60].strip())
        for pattern in CSS_PATTERNS
        for m in pattern.finditer(text)
    ]


def scan_js(text: str, where: str, what: str = "JavaScript") -> list[Finding]:
    return [
        Finding(where, what, text[m.start(): m.end() + 60].strip())
        for pattern in JS_PATTERNS
        for m in pattern.finditer(text)
    ]


class _PageScanner(HTMLParser):
    def __init__(self, where: str):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.findings: list[Finding] = []
        self._raw_tag: str | None = None  # inside <script> or <style>
        self._raw_text: list[str] = []

    def _flag(self, what: str, snippet: str) -> None:
        self.findings.append(Finding(self.where, what, snippet))

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        for name, value in attrs.items():
            allowed_tags = FETCH_ATTRIBUTES.get(name, set())
            if name in FETCH_ATTRIBUTES and (allowed_tags is None or tag in allowed_tags):
                if EXTERNAL_URL.match(value):
                    self._flag(f"<{tag} {name}=>", value)
            if name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if EXTERNAL_URL.match(candidate):
                        self._flag(f"<{tag} {name}=>", candidate.strip())
            if name.startswith("data-jupyter-widgets-cdn") and EXTERNAL_URL.match(value):
                self._flag(f"<{tag} {name}=>", value)
            if name == "style":
                self.findings += scan_css(value, self.where, f"<{tag} style=>")
            if name.startswith("on"):
                self.findings += scan_js(value, self.where, f"<{tag} {name}=>")
        if tag == "link" and EXTERNAL_URL.match(attrs.get("href", "")):
            rels = set(attrs.get("rel", "").lower().split())
            if not rels or not rels <= NAVIGATION_RELS:
                self._flag(f"<link rel={attrs.get('rel', '')!r}>", attrs["href"])
        if tag in ("script", "style"):
            self._raw_tag = tag
            self._raw_text = []

    def handle_data(self, data):
        if self._raw_tag:
            self._raw_text.append(data)

    def handle_endtag(self, tag):
        if tag != self._raw_tag:
            return
        text = "".join(self._raw_text)
        if tag == "style":
            self.findings += scan_css(text, self.where, "<style>")
        else:
            # Scripts of any type, widget state included: an anywidget's ES
            # module travels in it and the page runs it.
            self.findings += scan_js(text, self.where, "<script>")
            self.findings += scan_css(text, self.where, "CSS inside <script>")
        self._raw_tag = None


def scan_html(text: str, where: str) -> list[Finding]:
    scanner = _PageScanner(where)
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def scan_site(site: Path) -> list[Finding]:
    """Every fetch of an external URL that any file of the site would make."""
    findings: list[Finding] = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(site).as_posix()
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".js", ".mjs", ".css"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix in (".html", ".htm"):
            findings += scan_html(text, where)
        elif suffix == ".css":
            findings += scan_css(text, where)
        else:
            findings += scan_js(text, where)
    return findings


# -- the built site ----------------------------------------------------------------


def test_built_site_fetches_nothing_from_elsewhere(built_site):
    findings = scan_site(built_site)
    assert not findings, "External fetches in the built site:\n" + "\n".join(map(str, findings))


def test_built_site_serves_its_own_front_end(built_site):
    """The files the pages load instead of CDN copies are really in the site."""
    vendor = built_site / "_vendor"
    for name in (
        "mathjax/tex-chtml.js",
        "require.js",
        "widgets-shim.js",
        "html-manager/embed-amd.js",
        "anywidget/index.js",
    ):
        assert (vendor / name).is_file(), f"{name} is missing from {vendor}"
    # The vendored files stay out of _static/: Jupyter Book would link every
    # .js/.css there into every page.
    assert not list((built_site / "_static").rglob("tex-chtml.js"))
    assert not list((built_site / "_static").rglob("embed-amd.js"))


def test_no_page_loads_vendored_files_it_does_not_need(built_site):
    """Only MathJax's entry point and the three widget scripts are linked from pages."""
    allowed = {"mathjax/tex-chtml.js", "require.js", "widgets-shim.js", "html-manager/embed-amd.js"}
    linked = set()
    for page in built_site.rglob("*.html"):
        for m in re.finditer(r"""src="[^"]*_vendor/([^"?]+)""", page.read_text(encoding="utf-8")):
            linked.add(m.group(1))
    assert linked <= allowed, f"unexpected vendored files linked from pages: {linked - allowed}"


def test_no_thebe_scripts(built_site):
    """sphinx-thebe's inline script (twice) used to throw on every page."""
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "THEBE_JS_URL" not in text, page
        assert "x-thebe-config" not in text, page


# -- the scanner itself ------------------------------------------------------------

BAD_PAGE = """<!DOCTYPE html>
<html><head>
<link rel="stylesheet" href="https://cdn.example.org/theme.css">
<link rel="preload" as="script" href="//cdn.example.org/x.js">
<link rel="icon" href="https://example.org/favicon.ico">
<link rel="preconnect" href="https://fonts.example.org">
<script src="https://cdn.example.org/mathjax/tex-chtml.js"></script>
<script src="../_static/ok.js" data-jupyter-widgets-cdn="https://cdn.jsdelivr.net/npm/"></script>
<script>import("https://esm.example.org/mod.js")</script>
<script type="module">import confetti from "https://esm.example.org/confetti";</script>
<script>fetch('https://api.example.org/data.json')</script>
<script type="application/vnd.jupyter.widget-state+json">{"_esm": "import * as d3 from \\"https://esm.sh/d3\\"; export default {}"}</script>
<style>@import url("https://fonts.example.org/css");</style>
<style>body { background: url(https://img.example.org/bg.png); }</style>
</head><body>
<img src="https://img.example.org/a.png" alt="a">
<img srcset="a.png 1x, https://img.example.org/b.png 2x" src="a.png" alt="b">
<iframe src="https://www.example.org/embed"></iframe>
<div style="background-image: url('//img.example.org/c.png')"></div>
</body></html>
"""  # noqa: E501 (one line of HTML, as a page has it)

GOOD_PAGE = """<!DOCTYPE html>
<html><head>
<link rel="canonical" href="https://derivations-book.github.io/softmax-gradient/">
<link rel="stylesheet" href="../_static/theme.css">
<script src="../_static/../_vendor/mathjax/tex-chtml.js"></script>
<style>/* @import url('https://fonts.example.org/css'); */ body { background: url(img/bg.png); }</style>
<script>var docs = "https://www.sympy.org"; // a string, not a fetch</script>
</head><body>
<a href="https://www.sympy.org">sympy</a>
<a href="https://mybinder.org/v2/gh/derivations-book/softmax-gradient/main">Binder</a>
<img src="../_images/fig.png" alt="a figure">
</body></html>
"""


def test_scanner_flags_every_kind_of_external_fetch():
    findings = scan_html(BAD_PAGE, "bad.html")
    kinds = "\n".join(map(str, findings))
    for needle in (
        "theme.css", "//cdn.example.org/x.js", "favicon.ico", "https://fonts.example.org\n",
        "mathjax/tex-chtml.js", "data-jupyter-widgets-cdn", "esm.example.org/mod.js",
        "confetti", "api.example.org", "esm.sh/d3", "fonts.example.org/css",
        "bg.png", "img.example.org/a.png", "img.example.org/b.png", "www.example.org/embed",
        "img.example.org/c.png",
    ):
        assert needle.strip() in kinds, f"scanner missed {needle!r}; it found:\n{kinds}"


def test_scanner_allows_navigation_and_local_files():
    assert scan_html(GOOD_PAGE, "good.html") == []


def test_scanner_reads_css_and_js_files(tmp_path):
    (tmp_path / "ok.css").write_text("a { background: url(../img/x.png) }")
    (tmp_path / "bad.css").write_text("@import 'https://fonts.example.org/css';")
    (tmp_path / "bad.js").write_text("const m = await import('https://esm.example.org/m.js');")
    (tmp_path / "page.html").write_text(BAD_PAGE)
    files = {f.file for f in scan_site(tmp_path)}
    assert files == {"bad.css", "bad.js", "page.html"}


@pytest.mark.parametrize("line", [
    '<script src="https://cdn.example.org/a.js"></script>',
    "<link rel='stylesheet' href='https://cdn.example.org/a.css'>",
])
def test_scanner_flags_a_single_bad_line(line):
    assert len(scan_html(line, "one.html")) == 1
