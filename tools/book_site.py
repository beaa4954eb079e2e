"""Sphinx extension that makes the built book a self-contained site.

Loaded from ``_config.yml`` (``sphinx: local_extensions: {book_site: tools}``).
On every HTML build it

* copies MathJax, require.js, the Jupyter widget manager, anywidget's front end
  and the widget shim into ``<site>/_vendor/`` (see ``tools/vendor_assets.py``)
  and refuses to build if ``mathjax_path`` or ``nb_ipywidgets_js`` point
  anywhere else, so no page fetches a file from another server;
* leaves out sphinx-thebe's scripts, which Jupyter Book adds to every page even
  with thebe switched off (twice, which throws "Identifier 'THEBE_JS_URL' has
  already been declared") and which name a CDN and a Binder repository that are
  not ours;
* points the Binder launch button at that copy in ``lab/``, which
  ``binder/postBuild`` makes;
* writes each notebook page as ``<site>/_notebooks/<name>.ipynb`` (the
  learner's copy that ``make lab`` makes, see ``tools/lab.py``) and points the
  theme's download menu at it, in place of the ``.md`` source link that
  ``html_copy_source: false`` leaves dangling;
* gives the theme's and myst-nb's controls accessible names that contain
  their visible text, so that a reader who uses speech input can say what
  they see, and puts the sidebar in a landmark (``ACCESSIBLE_NAMES``). The rest of the accessibility fixes are in
  ``_static/a11y.css`` and ``_static/a11y.js``; tests/browser/test_a11y.py
  measures the site with axe-core.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

try:  # imported as a local extension (tools/ on sys.path) ...
    import lab
    import vendor_assets
except ImportError:  # ... or as tools.book_site from the repository root
    from tools import lab, vendor_assets

logger = logging.getLogger(__name__)

NOTEBOOK_DIR = "_notebooks"

# Assets of sphinx-thebe that Jupyter Book loads unasked.
_THEBE_FILES = ("sphinx-thebe.js", "sphinx-thebe.css")
_THEBE_MARKERS = ("THEBE_JS_URL", "text/x-thebe-config", "kernelName = ")


# -- front-end files -----------------------------------------------------------


def _local_asset_paths(config) -> list[str]:
    """Every script path the config makes pages load for maths and widgets."""
    paths = [config.mathjax_path]
    paths += list((config.nb_ipywidgets_js or {}).keys())
    return paths


def vendor_front_end(app: Sphinx) -> None:
    """Copy the vendored files into the output and check the config uses them."""
    if app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    try:
        vendor_assets.vendor(outdir)
    except vendor_assets.VendorError as err:
        raise ExtensionError(f"book_site: {err}") from err
    for path in _local_asset_paths(app.config):
        if "://" in path or path.startswith("//"):
            raise ExtensionError(
                f"book_site: {path!r} would be fetched from another server; "
                f"point it at the copy in {vendor_assets.VENDOR_DIR}/ instead."
            )
        # Sphinx treats relative asset paths as relative to _static/.
        resolved = (outdir / "_static" / path).resolve()
        if not resolved.is_file():
            raise ExtensionError(
                f"book_site: the config loads {path!r}, which is not in the built "
                f"site ({resolved} does not exist)."
            )


# -- thebe ---------------------------------------------------------------------


def _is_thebe_asset(asset: Any) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    if posixpath.basename(filename) in _THEBE_FILES:
        return True
    body = getattr(asset, "attributes", {}).get("body", "")
    return any(marker in body for marker in _THEBE_MARKERS)


def drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [a for a in context[key] if not _is_thebe_asset(a)]


def drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(nodes.raw)):
        if any(marker in node.astext() for marker in _THEBE_MARKERS):
            node.parent.remove(node)


# -- notebooks -------------------------------------------------------------------


def is_notebook_page(app: Sphinx, pagename: str) -> bool:
    """A page whose source is a MyST notebook (it declares a kernel)."""
    return "kernelspec" in app.env.metadata.get(pagename, {})


def notebook_name(pagename: str) -> str:
    return f"{posixpath.basename(pagename)}.ipynb"


def write_notebook(source: Path, dest: Path, root: Path, lang: str = "en") -> None:
    """The chapter as the notebook a learner gets in JupyterLab (tools/lab.py).

    Solutions are closed dropdowns whose code is text, so Run All never runs
    one between a stub and its check; links point at the published site,
    since a downloaded notebook is read away from this one. An edition's
    notebook has its prose from the edition's catalogue, links to the
    edition, and a first cell that sets its language (as ``make student``'s).
    """
    import nbformat

    from derivations import chapters

    index = lab.label_index(root)
    chapter = source.resolve().relative_to(root.resolve()).as_posix()
    nb = lab.notebook(source.read_text(encoding="utf-8"), chapter, index, root, base=chapters.PUBLISHED_URL, lang=lang)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


def offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """Write the page's notebook and make the download menu link to it."""
    if doctree is None or not is_notebook_page(app, pagename):
        notebook_url = None
    else:
        name = notebook_name(pagename)
        write_notebook(Path(app.env.doc2path(pagename)), Path(app.outdir) / NOTEBOOK_DIR / name, Path(app.srcdir),
                       app.config.language or "en")
        notebook_url = context["pathto"](f"{NOTEBOOK_DIR}/{name}", 1)

    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons" and notebook_url:
            # Binder opens the learner's copy that binder/postBuild makes in
            # lab/ (an edition's in lab/<lang>/), not the MyST source, which
            # JupyterLab would rewrite.
            copy = f"{lab.OUT.name}/{name}" if (app.config.language or "en") == "en" else \
                f"{lab.OUT.name}/{app.config.language}/{name}"
            for button in group["buttons"]:
                button["url"] = re.sub(r"urlpath=lab/tree/\S+?\.md$", f"urlpath=lab/tree/{copy}", button["url"])
        if group.get("label") != "download-buttons":
            continue
        # Keep "print to PDF"; the source links point into _sources/, which
        # this book does not publish (html_copy_source: false).
        buttons = [b for b in group["buttons"] if b.get("type") != "link"]
        if notebook_url:
            buttons.insert(
                0,
                {
                    "type": "link",
                    "url": notebook_url,
                    "text": ".ipynb",
                    "icon": "fas fa-code",
                    "tooltip": "Download this page as a Jupyter notebook",
                    "label": "download-notebook-button",
                },
            )
        group["buttons"] = buttons


def check_notebook_names(app: Sphinx, env) -> None:
    """Two pages with the same file name would overwrite each other's notebook."""
    seen: dict[str, str] = {}
    for docname in sorted(env.found_docs):
        name = notebook_name(docname)
        if name in seen:
            raise ExtensionError(
                f"book_site: {docname!r} and {seen[name]!r} would both be "
                f"offered as {NOTEBOOK_DIR}/{name}; rename one of them."
            )
        seen[name] = docname


# -- accessible names ----------------------------------------------------------

# (what, pattern, replacement) applied to every written page. Mostly names:
# a control's accessible name must contain the text it shows (WCAG 2.5.3,
# axe's label-content-name-mismatch), and these aria-labels and icon titles
# replaced the visible text with other words.
ACCESSIBLE_NAMES = [
    (
        # The search field shows "Search Ctrl+K" but is named "Search":
        # without the aria-label its name is what it shows.
        "search field",
        re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="[^"]*"'),
        r"\1",
    ),
    (
        # The mode button's icons are titled Light, Dark, System Settings
        # (FontAwesome turns a title into the icon's name) while the button is
        # named "Color mode". The icons become decorative; _static/a11y.js
        # names the button with the current mode.
        "colour mode icons",
        re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+") +title="[^"]*"'),
        r"\1",
    ),
    (
        # myst-nb names every hide-input summary "Toggle hidden content" while
        # it shows "Show code cell source"; unlabelled, the shown text names it.
        "hidden-cell summary",
        re.compile(r'<summary aria-label="Toggle hidden content">'),
        "<summary>",
    ),
    (
        # The sidebar's book title (a link home) sat outside every landmark,
        # so a screen reader's landmark list skipped it (axe's region).
        "primary sidebar",
        re.compile(r'<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'),
        '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" role="complementary" '
        'aria-label="The book: title, search and chapters">',
    ),
]


def accessible_html(html: str) -> str:
    """The page with ``ACCESSIBLE_NAMES`` applied (idempotent)."""
    for _what, pattern, replacement in ACCESSIBLE_NAMES:
        html = pattern.sub(replacement, html)
    return html


def _written_pages(outdir: Path):
    for page in outdir.rglob("*.html"):
        if page.relative_to(outdir).parts[0] not in ("_static", vendor_assets.VENDOR_DIR):
            yield page


def name_controls_by_their_text(app: Sphinx, exception) -> None:
    """Rewrite the pages once they are written: the theme's buttons come from
    its templates, so only the finished page holds them all. If the theme's
    markup changes and a pattern stops matching, test_a11y.py's axe run fails."""
    if exception is not None or app.builder.format != "html":
        return
    for page in _written_pages(Path(app.outdir)):
        html = page.read_text(encoding="utf-8")
        fixed = accessible_html(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    # The kernels that execute the chapters inherit this: links that the
    # package prints (verdicts, the mistake table) stay inside the site being
    # built, and displayed Markdown may use {ref} roles (derivations.chapters).
    os.environ["DERIVATIONS_BOOK_URL"] = "../"
    app.connect("builder-inited", vendor_front_end)
    app.connect("env-updated", check_notebook_names)
    # After sphinx-thebe (500) has added its nodes, and after the theme (501)
    # has built the header buttons.
    app.connect("doctree-resolved", drop_thebe_config, priority=900)
    app.connect("html-page-context", drop_thebe_assets, priority=900)
    app.connect("html-page-context", offer_notebook, priority=900)
    app.connect("build-finished", name_controls_by_their_text)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
