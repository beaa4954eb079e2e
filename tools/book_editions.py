"""Sphinx extension: the language switcher of the book's editions.

Loaded from ``_config.yml`` (``sphinx: local_extensions: {book_editions: tools}``).
English is at the site's root and each edition in ``<lang>/`` beside it, with
the same page names (see ``tools/locales.py``). Every page gets

* a switcher at the top of the article: one link per language, each to the
  same page in that language, named in its own language (``lang`` and
  ``hreflang`` set, so a screen reader reads each name in its language), the
  current one marked ``aria-current="page"``;
* ``<link rel="alternate" hreflang>`` for each language, for search engines.

It also

* translates the parts' captions in the navigation ("The derivation",
  ...): gettext extracts them with the root page, but sphinx-external-toc
  inserts its toctrees after Sphinx has translated the page;
* lets one translation serve a sentence whose numbers changed since the
  catalogue was made (:func:`locales.number_shape`): what cells print
  includes timings and the sizes of a self-check's random cases, which
  differ from build to build;
* keeps each page's own language of the outputs that the package writes
  in every language (:mod:`derivations.editions`: verdicts, figures, the
  measured paragraphs of chapter 12), and drops the other languages'; the
  kernels that run the chapters inherit ``DERIVATIONS_EVERY_LANGUAGE=1``
  from this extension, so one run serves all four editions;
* leaves out of the catalogues whatever sits in a ``live-measurement`` div:
  a paragraph whose very words follow a measurement of this build ("about
  half"), which no catalogue can hold; the package words it in each language.
"""

from __future__ import annotations

import html
import os
from typing import Any

from docutils import nodes
from sphinx import addnodes, locale
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from derivations import editions

# tools.locales first: from the repository root, a bare ``import locales``
# would find the locales/ folder of catalogues (a namespace package).
try:  # imported from the repository root (the tests) ...
    from tools import locales
except ImportError:  # ... or as a local extension, with only tools/ on sys.path
    import locales

# The switcher's own name, in each language (its landmark label).
SWITCHER_LABEL = {"en": "Language", "es": "Idioma", "id": "Bahasa", "zh_CN": "语言"}


def page_url(pagename: str, current: str, target: str) -> str:
    """The relative address of ``pagename`` in ``target``'s edition, seen from ``current``'s.

    >>> page_url("book/01_puzzle", "en", "es")
    '../es/book/01_puzzle.html'
    >>> page_url("book/01_puzzle", "zh_CN", "en")
    '../../book/01_puzzle.html'
    """
    up = pagename.count("/") + (current != locales.ENGLISH)
    prefix = "" if target == locales.ENGLISH else f"{target}/"
    return "../" * up + prefix + pagename + ".html"


def switcher_html(pagename: str, current: str) -> str:
    """The switcher for one page: a labelled list of links, one per language."""
    items = []
    for lang in locales.LANGUAGES:
        name = html.escape(locales.LANGUAGE_NAMES[lang])
        code = locales.HTML_LANG[lang]
        if lang == current:
            items.append(f'<li><a aria-current="page" lang="{code}" href="#">{name}</a></li>')
        else:
            url = html.escape(page_url(pagename, current, lang))
            items.append(f'<li><a lang="{code}" hreflang="{code}" href="{url}">{name}</a></li>')
    label = html.escape(SWITCHER_LABEL[current])
    return (f'<nav class="edition-switcher" aria-label="{label}"><ul>{"".join(items)}</ul></nav>')


def add_switcher(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if app.builder.format != "html" or "body" not in context:
        return
    current = app.config.language or locales.ENGLISH
    if current not in locales.LANGUAGES:
        return
    context["body"] = switcher_html(pagename, current) + context["body"]
    alternates = "".join(
        f'<link rel="alternate" hreflang="{locales.HTML_LANG[lang]}" '
        f'href="{html.escape(page_url(pagename, current, lang))}" />\n'
        for lang in locales.LANGUAGES)
    context["metatags"] = context.get("metatags", "") + alternates


def translate_captions(app: Sphinx, doctree: nodes.document) -> None:
    language = app.config.language or locales.ENGLISH
    if language == locales.ENGLISH:
        return
    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    dirs = [os.path.join(app.srcdir, d) for d in app.config.locale_dirs]
    catalog, found = locale.init(dirs, language, domain, namespace=f"book_editions:{domain}")
    if not found:
        return
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption"):
            toctree["caption"] = catalog.gettext(toctree["caption"])


class NumberTolerance(SphinxTransform):
    """Let one translation serve a message whose numbers alone have changed.

    Runs just before Sphinx's own Locale transform (priority 20), and adds
    the renumbered translation of each such message to the page's catalogue
    (:func:`locales.renumber`), which the Locale transform then finds.
    """

    default_priority = 19

    def apply(self, **kwargs: Any) -> None:
        if (self.config.language or locales.ENGLISH) == locales.ENGLISH:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [os.path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        catalog, found = locale.init(dirs, self.config.language, domain)
        entries = getattr(catalog, "_catalog", None)
        if not found or entries is None:
            return
        shapes = {}
        for msgid, msgstr in entries.items():
            if isinstance(msgid, str) and msgid and msgstr:
                shapes.setdefault(locales.number_shape(msgid), (msgid, msgstr))
        for _, message in extract_messages(self.document):
            if message not in entries:
                entry = shapes.get(locales.number_shape(message))
                if entry:
                    entries[message] = locales.renumber(*entry, message)


def leave_live_measurements_out(app: Sphinx, doctree: nodes.document) -> None:
    for div in doctree.findall(nodes.container):
        if "live-measurement" in div.get("classes", ()):
            for node in div.findall(nodes.TextElement):
                node["translatable"] = False


def keep_own_language(app: Sphinx, doctree: nodes.document) -> None:
    """Keep the page's language of every output written in several (see :mod:`derivations.editions`)."""
    language = app.config.language or locales.ENGLISH
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split():
            continue
        try:
            chosen = editions.pick_html(raw.astext(), language)
        except ValueError as error:
            raise ValueError(f"{app.env.docname}: {error}") from None
        if chosen is not None:
            raw.children = [nodes.Text(chosen)]
            raw.rawsource = chosen
    versions = [div for div in doctree.findall(nodes.container) if "edition-text" in div.get("classes", ())]
    own = [div for div in versions if editions.language_class(language) in div["classes"]]
    if versions and not own:
        raise ValueError(f"{app.env.docname}: a paragraph has no {language} version; run the chapters again "
                         f"with {editions.EVERY_LANGUAGE_VARIABLE}=1, as make book does")
    for div in versions:
        if div not in own:
            div.parent.remove(div)


def adopt_translated_nodes(app: Sphinx, doctree: nodes.document) -> None:
    """Point every node at the page's own document.

    Sphinx's Locale transform parses each translation into a document of
    its own and moves the nodes over; they keep a reference to that
    document, whose settings hold the whole build environment, so each
    page's pickled doctree carried a copy of it (20 MB a page by the end of
    an edition, and most of an edition's build time spent pickling).
    """
    for node in doctree.findall(nodes.Node):
        if getattr(node, "_document", doctree) is not doctree:
            node.document = doctree


def setup(app: Sphinx) -> dict[str, Any]:
    # The kernels that run the chapters inherit this (derivations.editions).
    os.environ[editions.EVERY_LANGUAGE_VARIABLE] = "1"
    app.add_transform(NumberTolerance)
    app.connect("doctree-read", keep_own_language)
    app.connect("doctree-read", translate_captions)
    app.connect("doctree-read", leave_live_measurements_out)
    app.connect("doctree-read", adopt_translated_nodes, priority=900)
    app.connect("html-page-context", add_switcher)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
