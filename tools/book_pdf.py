r"""Sphinx extension for the printed book (the LaTeX builder, ``make pdf``).

Loaded from ``_config.yml`` (``sphinx: local_extensions: {book_pdf: tools}``);
it does nothing for the HTML builds. For the LaTeX builder it replaces each
interactive explorer (an anywidget output, whose only other form is its
``repr``) with a sentence that points at the same page of the web edition.
Every explorer follows a static figure of the same quantities, so the page
loses no information, only the sliders.

It also turns the links that executed cells print relative to the site
(``../book/NN_slug.html#label``: the HTML build sets ``DERIVATIONS_BOOK_URL``
to ``../``, see ``tools/book_site.py``) into links inside the PDF.

And it gives LaTeX a stand-in for the ``bbm`` package when the TeX
installation has none: sphinx-jupyterbook-latex's document class loads it
(for ``\mathbbm``, which the book never uses), and Debian ships it only in
texlive-fonts-extra, 1.4 GB installed.

It gives tables column widths where tabulary would squeeze a column
narrower than the code names or numbers in it; sets the back matter (the
toc's unnumbered parts at its end) without chapter numbers; and makes the
introduction's running footers read its title.

The explorers' transform runs before myst-nb picks one output of each mime bundle for the builder
(``SelectMimeType``, priority 4), while the bundle still says which outputs
are widgets.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: What a printed page says where the web edition shows an explorer.
EXPLORER_SENTENCE = "The interactive explorer for this figure is in the web edition of this page: "


def page_url(app: Sphinx, docname: str) -> str:
    """The published address of ``docname`` (``html.baseurl`` in ``_config.yml``)."""
    base = app.config.html_baseurl or ""
    if base and not base.endswith("/"):
        base += "/"
    return f"{base}{docname}.html"


def explorer_note(url: str) -> nodes.paragraph:
    """The paragraph that stands in for an explorer on paper."""
    para = nodes.paragraph(classes=["explorer-on-the-web"])
    para += nodes.emphasis(text=EXPLORER_SENTENCE)
    para += nodes.reference(url, url, refuri=url)
    para += nodes.emphasis(text=".")
    return para


def page_of(node: nodes.Node, app: Sphinx, default: str) -> str:
    """The chapter ``node`` comes from: the LaTeX builder transforms the whole
    book at once, each chapter inlined in a ``start_of_file`` node."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return parent["docname"]
        parent = parent.parent
    source = node.get("source") or node.source
    return (source and app.project.path2doc(source)) or default


def _is_mime_bundle(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


class ExplorersAsLinks(SphinxPostTransform):
    """Replace every widget output with :func:`explorer_note` (LaTeX builder only)."""

    default_priority = 3  # before myst-nb's SelectMimeType (4) drops the widget view
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for bundle in list(self.document.findall(_is_mime_bundle)):
            if any(child.get("mime_type") == WIDGET_VIEW for child in bundle.children):
                page = page_of(bundle, self.app, self.env.docname)
                bundle.replace_self(explorer_note(page_url(self.app, page)))


class SiteLinksInside(SphinxPostTransform):
    """Point links to pages of the site (relative ``.html`` links) into the PDF.

    In Markdown that a cell displays they are still MyST's pending
    references, which it would report as missing targets: this runs first.
    """

    default_priority = 8  # before MyST resolves its references (9)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") == "myst":
                uri = self.inside(node, node.get("reftarget", ""))
                if uri:
                    ref = nodes.reference("", "", refuri=uri, internal=True)
                    ref += node.children
                    node.replace_self(ref)
        for ref in list(self.document.findall(nodes.reference)):
            uri = self.inside(ref, ref.get("refuri", ""))
            if uri:
                ref["refuri"] = uri

    def inside(self, node: nodes.Node, uri: str) -> str | None:
        """``uri`` as a link inside the PDF (``%docname#id``), or None if it is not a page of the site."""
        if "://" in uri or uri.startswith(("#", "%", "mailto:")):
            return None
        path, _, anchor = uri.partition("#")
        if not path.endswith(".html"):
            return None
        here = posixpath.dirname(page_of(node, self.app, self.env.docname))
        target = posixpath.normpath(posixpath.join(here, path[: -len(".html")]))
        if target not in self.env.all_docs:
            return None
        if not anchor:
            return f"%{target}"
        label = self.env.domains["std"].labels.get(anchor)
        if label and label[0] == target:
            anchor = label[1]
        return f"%{target}#{anchor}"


BBM_STANDIN = r"""% Written by tools/book_pdf.py: a stand-in for the bbm package, which the
% jupyterBook document class loads and this TeX installation lacks.
\NeedsTeXFormat{LaTeX2e}
\ProvidesPackage{bbm}[2026/01/01 stand-in: mathbbm as mathbb]
\RequirePackage{amssymb}
\providecommand{\mathbbm}[1]{\mathbb{#1}}
"""


def has_tex_package(name: str) -> bool:
    """Whether the TeX installation has ``name`` (asks kpsewhich, if there is one)."""
    if shutil.which("kpsewhich") is None:
        return False
    found = subprocess.run(["kpsewhich", name], capture_output=True, text=True)
    return found.returncode == 0 and bool(found.stdout.strip())


def bbm_standin(app: Sphinx) -> None:
    if app.builder.name != "latex":
        return
    if not has_tex_package("bbm.sty"):
        Path(app.outdir).mkdir(parents=True, exist_ok=True)
        (Path(app.outdir) / "bbm.sty").write_text(BBM_STANDIN, encoding="utf-8")


class ExerciseNumrefs(SphinxPostTransform):
    """Make references to an exercise in another chapter land on it.

    sphinx-exercise labels an exercise ``exercise:<label>`` in LaTeX and
    rewrites the references within its own chapter to match; a reference
    from another chapter stays a Sphinx number reference to
    ``<chapter>:<label>``, a label LaTeX never sees ("Reference undefined").
    This gives those the exercise's own form, before sphinx-exercise (22)
    looks at references.
    """

    default_priority = 21
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        from sphinx_exercise.nodes import exercise_enumerable_node, exercise_latex_number_reference

        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for ref in list(self.document.findall(addnodes.number_reference)):
            uri = ref.get("refuri", "")
            if not uri.startswith("%") or "#" not in uri:
                continue
            docname, label = uri[1:].split("#", 1)
            entry = registry.get(label)
            if not entry or entry.get("docname") != docname:
                continue
            if not isinstance(entry.get("node"), exercise_enumerable_node):
                continue
            new = exercise_latex_number_reference(refid=label)
            new += nodes.Text(ref.astext())
            ref.replace_self(new)


# -- numbers as on the web --------------------------------------------------------


def web_numbers(app: Sphinx) -> None:
    """Number exercises per chapter (Exercise 3.2), as the web edition does.

    sphinx-jupyterbook-latex turns the toc's parts into LaTeX parts and sets
    ``numfig_secnum_depth`` to 2, counting the part as a level; but parts
    are not numbered sections, so Sphinx, which numbers the exercises,
    would count per section (Exercise 3.1.2). Sphinx numbers with depth 1;
    the LaTeX writer gets 2 back (:func:`latex_numbers`), so that LaTeX,
    which numbers figures and equations itself, restarts them per chapter.
    """
    if app.builder.name == "latex" and getattr(app.env, "jblatex_captions_to_parts", False):
        app.config.numfig_secnum_depth = 1
        app.env._book_pdf_secnum_depth = 2


def latex_numbers(app: Sphinx, doctree, docname) -> None:
    depth = getattr(app.env, "_book_pdf_secnum_depth", None)
    if app.builder.name == "latex" and depth:
        app.config.numfig_secnum_depth = depth


# -- tables ------------------------------------------------------------------------

#: A line of body text, in characters of body type, for sharing a table's width out.
LINE_CHARS = 80
#: What a table cell adds to its text (padding, rules), in characters.
CELL_PADDING = 2
#: A character of code is this much wider than one of body text.
CODE_WIDTH = 1.3
#: Room for a few words, in characters, for a column that holds that much text.
MIN_COLUMN = 14
#: A code name this long (in characters) is wider than tabulary makes a column.
LONG_CODE = 16
#: Tabulary's narrowest share of the line (``\tymin``, three digits), in characters.
TABULARY_MIN = 3


def _math_width(tex: str) -> float:
    """Roughly how many characters wide inline maths ``tex`` is printed."""
    tex = re.sub(r"\\(?:operatorname|mathrm|text|mathbf|mathbb)\{([^}]*)\}", r"\1", tex)
    tex = re.sub(r"\\[a-zA-Z]+", "x", tex)
    return 0.9 * len(re.sub(r"[{}^_\s]", "", tex))


def cell_words(entry: nodes.Element) -> list[float]:
    """The widths (in characters) of the pieces that a line cannot break in a table cell."""
    words: list[float] = []
    for node in entry.findall(lambda n: isinstance(n, (nodes.Text, nodes.math))):
        if isinstance(node, nodes.math):
            words.append(_math_width(node.astext()))
            continue
        if any(isinstance(a, nodes.math) for a in _ancestors(node, entry)):
            continue
        scale = CODE_WIDTH if any(isinstance(a, nodes.literal) for a in _ancestors(node, entry)) else 1.0
        words += [scale * len(w) for w in str(node).split()]
    return words


def _ancestors(node: nodes.Node, stop: nodes.Node):
    node = node.parent
    while node is not None and node is not stop:
        yield node
        node = node.parent


def number_words(entry: nodes.Element) -> list[float]:
    """The widths (in characters) of the words without letters (10,000, 4.6×) in the text of
    a table cell: TeX hyphenates a word of letters to fit a column, never a number."""
    return [len(w) for node in entry.findall(nodes.Text)
            if not any(isinstance(a, (nodes.math, nodes.literal)) for a in _ancestors(node, entry))
            for w in str(node).split() if not re.search(r"[^\W\d_]", w)]


def tabulary_squeezes(table: list[list[list[float]]], plain: list[list[list[float]]] | None = None) -> bool:
    """Whether tabulary would set a column of ``table`` (as for
    :func:`column_widths`) narrower than the longest of the words ``plain``
    gives for it (by default, any word).

    Tabulary shares the line out in proportion to each column's widest
    cell set on one line (a column narrower than three digits keeps its
    natural width), so a column of short numbers beside long headings
    gets less than one number is wide. :class:`TableWidths` counts only
    numbers (:func:`number_words`): words of letters hyphenate, and the
    widths of maths are too rough a guess.

    >>> header = [[0.9], [5.0, 10.0, 4.0, 6.0], [4.0, 6.0, 4.0, 5.0, 10.0], [4.0, 6.0, 4.0, 5.0, 6.0]]
    >>> tabulary_squeezes([header] + [[[6.0], [4.0], [6.0], [7.0]]] * 3)
    True
    >>> tabulary_squeezes([[[6.0], [10.0, 5.0]], [[5.0], [3.0]]])
    False
    """
    ncols = max(len(row) for row in table)
    column = [[row[j] if j < len(row) else [] for row in table] for j in range(ncols)]
    natural = [max(sum(cell) + max(len(cell) - 1, 0) for cell in cells) + CELL_PADDING for cells in column]
    plain = table if plain is None else plain
    words = [[row[j] if j < len(row) else [] for row in plain] for j in range(ncols)]
    longest = [max((max(cell, default=0.0) for cell in cells), default=0.0) + CELL_PADDING for cells in words]
    if sum(natural) <= LINE_CHARS:
        return False
    share = [max(LINE_CHARS * n / sum(natural), min(n, TABULARY_MIN)) for n in natural]
    return any(s < w for s, w in zip(share, longest))


def column_widths(table: list[list[list[float]]]) -> list[int]:
    """Relative widths for the columns of ``table``: rows of cells, each the
    widths of its unbreakable words (see :func:`cell_words`).

    Each column gets at least its longest word; what is left of a line goes
    to the columns in proportion to how much text they hold.

    >>> column_widths([[[22.0], [10.0] * 20, [7.0, 2.0]]])
    [24, 43, 13]
    """
    ncols = max(len(row) for row in table)
    column = [[row[j] if j < len(row) else [] for row in table] for j in range(ncols)]
    text = [sum(sum(cell) + len(cell) for cell in cells) / len(table) + CELL_PADDING for cells in column]
    longest = [max((max(cell, default=0.0) for cell in cells), default=0.0) + CELL_PADDING for cells in column]
    # a column of short words still gets room for a few of them
    least = [max(w, min(t, MIN_COLUMN)) for w, t in zip(longest, text)]
    spare = LINE_CHARS - sum(least)
    if spare <= 0:
        return [max(1, round(w)) for w in least]
    extra = [max(t - w, 0.0) for t, w in zip(text, least)]
    total = sum(extra) or 1.0
    return [max(1, round(w + spare * e / total)) for w, e in zip(least, extra)]


class TableWidths(SphinxPostTransform):
    """Give wide tables column widths, so their cells wrap on the page.

    Without widths, Sphinx sets a table of more than 30 rows in columns
    that never wrap (``l``), and tabulary squeezes columns narrower than
    the code names, or the numbers, in them (:func:`tabulary_squeezes`):
    both run off the page. Those tables get
    ragged-right columns as wide as :func:`column_widths` says, and may
    break across pages (longtable); tabulary lays out the others well.
    """

    default_priority = 900
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "colwidths-given" in table["classes"] or isinstance(table.previous_sibling(), addnodes.tabular_col_spec):
                continue
            groups = list(table.findall(nodes.tgroup))
            if len(groups) != 1:
                continue
            rows = [list(row.findall(nodes.entry)) for row in groups[0].findall(nodes.row)]
            rows = [row for row in rows if row]
            if not rows or any(e.get("morecols") or e.get("morerows") for row in rows for e in row):
                continue
            literals = [lit for row in rows for e in row for lit in e.findall(nodes.literal)]
            code = [len(w) for lit in literals for w in lit.astext().split()]
            words = [[cell_words(entry) for entry in row] for row in rows]
            plain = [[number_words(entry) for entry in row] for row in rows]
            if len(rows) <= 30 and max(code, default=0) < LONG_CODE and not tabulary_squeezes(words, plain):
                continue
            widths = column_widths(words)
            total = sum(widths)
            spec = "".join(rf">{{\raggedright\arraybackslash}}\X{{{w}}}{{{total}}}" for w in widths)
            table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=spec))
            table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"] + ["longtable"]


# -- front and back matter ---------------------------------------------------------

#: Where the back matter starts: its chapters and sections go unnumbered (also
#: in the contents and the running footers), and its part has no page of its
#: own, only a line in the contents. The report class has no \backmatter;
#: fncychap's \if@mainmatter sets the chapter heads as for \chapter*.
BACKMATTER = r"""
\cleardoublepage
\makeatletter\@mainmatterfalse\makeatother
\setcounter{secnumdepth}{-2}
\renewcommand{\part}[2][]{\phantomsection\addcontentsline{toc}{part}{#2}}
"""


def backmatter_captions(app: Sphinx) -> list[str]:
    """The captions of the toc's parts after its last numbered one (``_toc.yml``)."""
    site_map = getattr(app.config, "external_site_map", None)
    if site_map is None:
        return []
    captions: list[str] = []
    for subtree in site_map.root.subtrees:
        if subtree.numbered:
            captions = []
        elif subtree.caption:
            captions.append(subtree.caption)
    return captions


class FrontAndBackMatter(SphinxPostTransform):
    """The running footers of the introduction, and the back matter.

    The root document (the introduction) follows the table of contents
    without a chapter of its own, so its pages would carry the footer
    "CONTENTS": it gets its own title as the mark. The parts of the toc
    that are not numbered (Back matter) become :data:`BACKMATTER`, where
    sphinx-jupyterbook-latex makes parts of them like any other, and LaTeX
    would number their chapters on from the last numbered one.
    References to those chapters print their titles, as elsewhere.
    """

    default_priority = 800  # after sphinx-jupyterbook-latex makes parts of the toc's captions (700)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        root = self.config.root_doc
        if self.app.project.path2doc(self.document.get("source", "")) != root:
            return
        from sphinx.util.nodes import clean_astext
        from sphinx.util.texescape import escape

        section = next(iter(self.document.findall(nodes.section)), None)
        if section is not None and root in self.env.titles:
            title = escape(clean_astext(self.env.titles[root]), self.config.latex_engine)
            at = 1 if section.children and isinstance(section[0], nodes.title) else 0
            section.insert(at, nodes.raw("", rf"\markboth{{{title}}}{{{title}}}", format="latex"))
        captions = set(backmatter_captions(self.app))
        for start in list(self.document.findall(addnodes.start_of_file)):
            if start.get("docname") in captions and start.get("docname") not in self.env.all_docs:
                wrapper = start.parent
                wrapper.parent.insert(wrapper.parent.index(wrapper), nodes.raw("", BACKMATTER, format="latex"))
                break


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", bbm_standin)
    # after sphinx-jupyterbook-latex (500) has set its numbering depth
    app.connect("builder-inited", web_numbers, priority=900)
    # the whole book's doctree, after Sphinx has numbered it, before the LaTeX writer starts
    app.connect("doctree-resolved", latex_numbers)
    app.add_post_transform(TableWidths)
    app.add_post_transform(FrontAndBackMatter)
    app.add_post_transform(ExerciseNumrefs)
    app.add_post_transform(ExplorersAsLinks)
    app.add_post_transform(SiteLinksInside)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
