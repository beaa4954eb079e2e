"""Outputs in every edition's language from one run of a chapter.

The book runs each chapter once and builds the English site and the Spanish,
Indonesian and Chinese editions from the same outputs (``tools/locales.py``).
Most words on a page are the chapter's own and gettext translates them; the
words that the package writes into an output (a self-check's verdict, the
text inside a figure and its alt text, a paragraph that follows this
build's measurements) cannot be, so the package writes them in every
language at once when the book is built:

* ``DERIVATIONS_EVERY_LANGUAGE=1`` (``make book`` and the test build set it)
  makes :func:`languages` return all four, the chosen one first;
* :func:`html_in_languages` puts an HTML output's versions in one element,
  the first shown and the others in ``<template>`` elements, which a
  browser never displays; :func:`markdown_in_languages` does the same for
  Markdown with one MyST div per language;
* each edition's build keeps its own version and drops the others
  (:func:`pick_html`, used by ``tools/book_editions.py``).

In JupyterLab the variable is unset: an output has one language, the one
chosen (``language=``, else ``DERIVATIONS_LANGUAGE``, else English).
"""

from __future__ import annotations

import os
import re

from derivations import validation
from derivations.validation import LANGUAGE_VARIABLE, LANGUAGES

__all__ = ["EVERY_LANGUAGE_VARIABLE", "HTML_LANG", "language", "languages", "html_in_languages", "language_class",
           "markdown_in_languages", "pick_html"]

#: Set to 1, every output the package writes carries its words in all of :data:`LANGUAGES`.
EVERY_LANGUAGE_VARIABLE = "DERIVATIONS_EVERY_LANGUAGE"

#: The ``lang`` attribute of each language (BCP 47).
HTML_LANG = {"en": "en", "es": "es", "id": "id", "zh_CN": "zh-CN"}

_WRAPPER = "derivations-languages"
_OPEN = re.compile(rf'^<div class="{_WRAPPER}" data-languages="([\w ]+)">')
_TEMPLATE = re.compile(r'<template data-language="(\w+)">(.*?)</template>', re.S)


def language(value=None, name="language"):
    """The language to write in: ``value``, else ``DERIVATIONS_LANGUAGE``, else English.

    Every output of :ref:`mistakes` that has words is written in it.

    Raises
    ------
    ValueError
        For a language that is not one of :data:`LANGUAGES`, naming where it came from.

    Examples
    --------
    >>> language("es")
    'es'
    >>> language("fr")
    Traceback (most recent call last):
    ...
    ValueError: language='fr'; the languages are 'en', 'es', 'id', 'zh_CN'
    """
    source = name
    if value is None:
        value = os.environ.get(LANGUAGE_VARIABLE, "").strip() or "en"
        source = f"the environment variable {LANGUAGE_VARIABLE}"
    if not isinstance(value, str) or value not in LANGUAGES:
        allowed = ", ".join(map(repr, LANGUAGES))
        raise ValueError(f"{source}={validation.shown(value)}; the languages are {allowed}")
    return value


def languages(lang):
    """The languages an output is written in: ``lang`` alone, or all four when the book is built.

    Used by the outputs of :ref:`mistakes`.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("DERIVATIONS_EVERY_LANGUAGE", None) and None
    >>> languages("es")
    ('es',)
    >>> os.environ["DERIVATIONS_EVERY_LANGUAGE"] = "1"
    >>> languages("es")
    ('es', 'en', 'id', 'zh_CN')
    >>> del os.environ["DERIVATIONS_EVERY_LANGUAGE"]
    """
    flag = os.environ.get(EVERY_LANGUAGE_VARIABLE, "").strip()
    if flag not in ("", "0", "1"):
        raise ValueError(f"the environment variable {EVERY_LANGUAGE_VARIABLE}={flag!r}; set it to 1 or leave it unset")
    if flag != "1":
        return (lang,)
    return (lang, *(other for other in LANGUAGES if other != lang))


def html_in_languages(parts):
    """One HTML output from its versions by language: the first shown, the others in templates.

    Used by the verdicts and figures of :ref:`mistakes`.

    Examples
    --------
    >>> html_in_languages({"en": "<p>Hi</p>"})
    '<p>Hi</p>'
    >>> both = html_in_languages({"en": "<p>Hi</p>", "es": "<p>Hola</p>"})
    >>> both[:67]
    '<div class="derivations-languages" data-languages="en es"><p>Hi</p>'
    >>> both[67:]
    '<template data-language="es"><p>Hola</p></template></div>'
    >>> pick_html(both, "es"), pick_html(both, "en")
    ('<div lang="es"><p>Hola</p></div>', '<div lang="en"><p>Hi</p></div>')
    """
    (first, shown), *others = parts.items()
    if not others:
        return shown
    if any("<template" in text for text in parts.values()):
        raise ValueError("an output in several languages cannot itself hold a <template> element")
    hidden = "".join(f'<template data-language="{lang}">{text}</template>' for lang, text in others)
    return f'<div class="{_WRAPPER}" data-languages="{" ".join(parts)}">{shown}{hidden}</div>'


def pick_html(text, lang):
    """The version in ``lang`` of an output made by :func:`html_in_languages`.

    ``None`` when ``text`` is not such an output; a ``ValueError`` when it
    is one but has no version in ``lang`` (its chapter ran without
    ``DERIVATIONS_EVERY_LANGUAGE=1``). Used by ``tools/book_editions.py`` for the
    verdicts of :ref:`mistakes` and every figure.

    Examples
    --------
    >>> pick_html("<p>plain</p>", "es") is None
    True
    """
    match = _OPEN.match(text.strip())
    if match is None:
        return None
    langs = match[1].split()
    if lang not in langs:
        raise ValueError(f"an output has no {lang} version (it has {', '.join(langs)}); run the chapters "
                         f"again with {EVERY_LANGUAGE_VARIABLE}=1, as make book does")
    body = text.strip()[match.end():-len("</div>")]
    templates = dict(_TEMPLATE.findall(body))
    chosen = body[:body.find("<template")] if lang == langs[0] else templates[lang]
    return f'<div lang="{HTML_LANG[lang]}">{chosen}</div>'


def language_class(lang):
    """The class of a div that holds ``lang``'s version (docutils lower-cases classes, and has no ``_``).

    Used by the measured paragraphs of :ref:`what-it-costs`.

    Examples
    --------
    >>> language_class("zh_CN")
    'lang-zh-cn'
    """
    return f"lang-{HTML_LANG[lang].lower()}"


def markdown_in_languages(parts, classes=""):
    """One Markdown output from its versions by language: a MyST div per language when there are several.

    Each div has the classes ``edition-text`` and :func:`language_class` (and ``classes``);
    each edition's build keeps its own div. Used in :ref:`what-it-costs`.

    Examples
    --------
    >>> markdown_in_languages({"en": "Hi."})
    'Hi.'
    >>> print(markdown_in_languages({"en": "Hi.", "es": "Hola."}, "live-measurement"))
    :::{div} edition-text lang-en live-measurement
    Hi.
    :::
    <BLANKLINE>
    :::{div} edition-text lang-es live-measurement
    Hola.
    :::
    """
    if len(parts) == 1:
        return next(iter(parts.values()))
    return "\n\n".join(f":::{{div}} edition-text {language_class(lang)} {classes}".rstrip() + f"\n{text}\n:::"
                       for lang, text in parts.items())
