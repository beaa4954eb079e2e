"""Translate a chapter's MyST Markdown with its gettext catalogue, block by block.

The editions' catalogues (``locales/<lang>/LC_MESSAGES/book/<page>.po``) are
extracted by Sphinx's gettext builder from the doctree MyST makes of each
page. Each translatable node gives one message, and its msgid is the node's
source text with every line break made a space and the ends stripped
(``sphinx.util.nodes.extract_messages``). For MyST that source is the
markdown-it ``inline`` token's content, so a block's msgid is:

- a paragraph: its lines joined by single spaces, markup kept as written
  (``{ref}`...```, ``$...$``, ``**...**``, code spans); a list item's bullet
  and a block quote's ``>`` are not part of it, nor is the indentation of
  continuation lines up to the item's own;
- a heading: its text without the ``#`` markers (a ``(label)=`` line above it
  is no message);
- a table cell: the cell's text, stripped (each cell is one message);
- a directive's title (``{admonition} The title``): the argument; its body
  is Markdown again, one message per block;
- a definition list: the term, then each paragraph of the definition.

Code, ``$$`` maths, ``(label)=`` targets, ``%`` comments, ``+++`` breaks,
directive options and the front matter give no message from the source.

:func:`translate` parses the text with MyST's own markdown-it configuration,
finds each block's lines and replaces them by the translation on one line,
keeping the line's prefix (heading markers, bullets, indentation). It is
strict: a block with prose whose msgid has no translation (missing, empty or
fuzzy) is an error, so an out-of-date catalogue fails loudly.

>>> md = "(intro)=\\n# A title\\n\\nSome words\\nover two lines.\\n"
>>> print(translate(md, {"A title": "Un título", "Some words over two lines.": "Unas palabras."}), end="")
(intro)=
# Un título
<BLANKLINE>
Unas palabras.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

# MyST's extensions as _config.yml enables them: they decide what a block is.
EXTENSIONS = frozenset({"amsmath", "colon_fence", "dollarmath", "deflist"})

# Directives whose body is not Markdown (code, files, raw text), so none of
# it is extracted from the source.
NOT_MARKDOWN = frozenset({
    "code-cell", "code", "code-block", "sourcecode", "literalinclude", "math", "raw", "eval-rst",
    "csv-table", "list-table", "mermaid", "graphviz", "include", "toctree", "tableofcontents",
})
# Directives whose argument is a title that readers see, and so a message.
# Other arguments (a solution's exercise label, a figure's path) are not prose.
TITLED = frozenset({
    "admonition", "topic", "sidebar", "exercise", "exercise-start", "dropdown", "card", "tab-item",
})

_OPTION = re.compile(r"^\s*:[\w-]+:")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<argument>.*)$")
# What is not prose: maths, code spans, roles' targets, links' targets, tags.
_NOT_PROSE = re.compile(
    r"\$\$.*?\$\$|\$[^$]*\$|``.*?``|`[^`]*`|\{[\w:-]+\}|<[^<>]*>|\]\([^)]*\)|\\\(.*?\\\)|&\w+;",
    re.S,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_ROLE_TEXT = re.compile(r"\{[\w:-]+\}`([^`<]*)<[^`>]*>`")  # {ref}`shown words <label>`: the words are prose


def msgid(source: str) -> str:
    """The msgid Sphinx's gettext builder gives a block with this source text.

    >>> msgid("  Two lines\\nof a paragraph.  ")
    'Two lines of a paragraph.'
    """
    return source.replace("\n", " ").strip()


def has_prose(text: str) -> bool:
    """Whether a block holds words, once maths, code, targets and labels are left out.

    >>> has_prose("$o - t$ and `np.exp`")
    True
    >>> has_prose("$o - t$, `np.exp`, {ref}`loss`")
    False
    >>> has_prose("{ref}`the loss <loss>`")
    True
    """
    return bool(_WORD.search(_NOT_PROSE.sub(" ", _ROLE_TEXT.sub(r" \1 ", text))))


def messages(catalogue) -> dict[str, str]:
    """``{msgid: msgstr}`` of a babel catalogue, translated messages only.

    A fuzzy translation is one msgfmt leaves out of the .mo file, so the
    built edition shows the English: it counts as untranslated here too.
    """
    return {
        m.id: m.string for m in catalogue
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def read_messages(path: Path) -> dict[str, str]:
    """The translated messages of one .po file (see :func:`messages`)."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return messages(read_po(f))


@lru_cache(maxsize=1)
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(EXTENSIONS)), RendererHTML)


def _lookup(source: str, catalogue: Mapping[str, str], where: str) -> str | None:
    """A block's translation, ``None`` for a block with no prose; raises for untranslated prose."""
    key = msgid(source)
    if key in catalogue and catalogue[key]:
        return catalogue[key]
    if not has_prose(key):
        return None
    words = " ".join(key.split()[:8])
    raise ValueError(f"{where}: no translation for the block {words!r}")


def translate_captions(nb, catalogue: Mapping[str, str], where: str = "the notebook"):
    """Translate, in place, the figure captions that myst-nb keeps in code cells' metadata.

    A chapter's ``:mystnb: figure: caption:`` option is cell metadata in its
    notebook, not Markdown, so :func:`translate` never sees it; the catalogue
    has it all the same, since the book's pages show it. Raises
    ``ValueError`` for a caption the catalogue does not translate.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "plot()", metadata={"mystnb": {"figure": {"caption": "The loss\\nfalls.", "name": "fig-a"}}})])
    >>> translate_captions(nb, {"The loss falls.": "La pérdida baja."}).cells[0].metadata["mystnb"]["figure"]
    {'caption': 'La pérdida baja.', 'name': 'fig-a'}
    """
    for cell in nb.cells:
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if figure.get("caption"):
            name = figure.get("name", "a figure")
            translated = _lookup(figure["caption"], catalogue, f"{where}, the caption of {name}")
            if translated is not None:
                figure["caption"] = translated
    return nb


def _prefix(line: str, first: str) -> str:
    """What comes before a block's first line of text on its source line (bullet, ``#``, ``>``)."""
    at = line.find(first)
    return line[:at] if at >= 0 else re.match(r"^[\s>]*(?:[-*+]|\d+[.)]|#+|:)?\s*", line).group(0)


def _split_row(line: str) -> list[str]:
    """A table row split at its unescaped pipes, as markdown-it's tables do."""
    return re.split(r"(?<!\\)\|", line)


def _table_row(line: str, catalogue: Mapping[str, str], where: str) -> str:
    """One row of a pipe table with each cell translated."""
    end = line[len(line.rstrip("\r\n")):]
    cells = _split_row(line.rstrip("\r\n"))
    out = []
    for k, cell in enumerate(cells):
        text = cell.strip()
        edge = k in (0, len(cells) - 1) and not text
        if edge or not text or re.fullmatch(r":?-+:?", text):
            out.append(cell)
            continue
        new = _lookup(text, catalogue, where)
        out.append(cell if new is None else cell.replace(text, new.replace("|", "\\|"), 1))
    return "|".join(out) + end


def _directive(lines: list[str], start: int, end: int, token, catalogue, where) -> list[str]:
    """A fenced directive with its title and its Markdown body translated."""
    m = _DIRECTIVE.match(token.info.strip())
    name, argument = m["name"], m["argument"].strip()
    head = lines[start]
    if name in TITLED and argument:
        new = _lookup(argument, catalogue, where)
        if new is not None:
            head = head.replace(argument, new, 1)
    closed = end - start >= 2 and lines[end - 1].strip().startswith(token.markup)
    body = lines[start + 1 : end - 1 if closed else end]
    options = 0
    if body and body[0].strip() == "---":  # options as a YAML block
        options = next((i + 1 for i in range(1, len(body)) if body[i].strip() == "---"), 0)
    while options < len(body) and _OPTION.match(body[options]):
        options += 1
    translated = translate("".join(body[options:]), catalogue, where) if name not in NOT_MARKDOWN else None
    rest = body[options:] if translated is None else translated.splitlines(keepends=True)
    return [head, *body[:options], *rest, *(lines[end - 1 : end] if closed else [])]


def translate(text: str, catalogue: Mapping[str, str], where: str = "the text") -> str:
    """The MyST Markdown ``text`` with every translatable block replaced by its translation.

    Parameters
    ----------
    text : str
        A chapter, or any part of one, in MyST Markdown.
    catalogue : Mapping[str, str]
        ``{msgid: msgstr}``, translated messages only (:func:`read_messages`).
    where : str
        What to call the text in an error: the chapter and the edition.

    Returns
    -------
    str
        The same Markdown, structure kept: each paragraph, heading, list
        item, table cell and directive title is its translation, on one line.

    Raises
    ------
    ValueError
        A block with prose that the catalogue does not translate, named by
        ``where`` and its first words.

    Examples
    --------
    >>> md = "- **One** item,\\n  on two lines\\n- `np.exp`\\n\\n| a | $x$ |\\n|---|---|\\n"
    >>> cat = {"**One** item, on two lines": "**Un** elemento", "a": "b"}
    >>> print(translate(md, cat), end="")
    - **Un** elemento
    - `np.exp`
    <BLANKLINE>
    | b | $x$ |
    |---|---|
    >>> translate("Not in the catalogue.", {}, "book/01.md (es)")
    Traceback (most recent call last):
    ...
    ValueError: book/01.md (es): no translation for the block 'Not in the catalogue.'
    """
    lines = text.splitlines(keepends=True)
    edits: dict[int, tuple[int, list[str]]] = {}  # first line: (end, new lines)
    in_table = False
    for token in _parser().parse(text):
        if token.type == "table_open":
            in_table = True
        elif token.type == "table_close":
            in_table = False
        elif token.type == "tr_open" and token.map:
            a = token.map[0]
            edits[a] = (a + 1, [_table_row(lines[a], catalogue, where)])
        elif token.type == "inline" and token.map and not in_table:
            new = _lookup(token.content, catalogue, where)
            if new is not None:
                a, b = token.map
                first = token.content.split("\n", 1)[0]
                end = lines[b - 1][len(lines[b - 1].rstrip("\r\n")):] or "\n"
                edits[a] = (b, [_prefix(lines[a], first) + new + end])
        elif token.type in ("fence", "colon_fence") and token.map and _DIRECTIVE.match(token.info.strip()):
            a, b = token.map
            edits[a] = (b, _directive(lines, a, b, token, catalogue, where))
    out, i = [], 0
    while i < len(lines):
        if i in edits:
            end, new = edits[i]
            out += new
            i = max(end, i + 1)  # an edit always covers its first line
        else:
            out.append(lines[i])
            i += 1
    return "".join(out)
