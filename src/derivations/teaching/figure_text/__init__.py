"""The words inside the book's figures, and their alt text, in every edition's language.

A figure's ``draw(style)`` writes each label, legend entry, title and note
through ``style.say(english, **values)``, and its alt text is a string, a
:class:`Words` or a function of the language; :func:`say` finds the
translation of the English template here. Each chapter's words are one
module of this package (``ch01`` ... ``ch16``; ``common`` for the package's
own figure helpers), a dict ``TEXTS`` from the English template to its
Spanish, Indonesian and Chinese versions, written with the terms of
``locales/<lang>/glossary.yml``. Templates with ``values`` are filled by
``str.format``, so their own braces (in maths) are doubled.

Numbers, maths and code stay as they are. A missing translation is an
error when the book is built (every figure is then drawn in every
language, see :mod:`derivations.editions`), and
``tests/teaching/test_figure_text.py`` finds one before that.
"""

from __future__ import annotations

from importlib import import_module
from pkgutil import iter_modules

from derivations.validation import LANGUAGES

__all__ = ["TEXTS", "Words", "say", "alt_text"]


def _load():
    table = {}
    for info in sorted(iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = import_module(f"{__name__}.{info.name}")
        for english, versions in module.TEXTS.items():
            if english in table and table[english] != versions:
                raise ValueError(f"{info.name} translates {english!r} differently from another chapter")
            table[english] = versions
    return table


#: Every English template with its versions: ``TEXTS[english][lang]``.
TEXTS = _load()


def say(english, lang, **values):
    """The figure text ``english`` in ``lang``, filled with ``values``.

    Used by every figure of :ref:`puzzle`.

    Raises
    ------
    ValueError
        When ``lang`` is not English and the text has no version in it.

    Examples
    --------
    >>> say("loss", "es")
    'pérdida'
    >>> say("class {j}", "zh_CN", j=2)
    '类别 2'
    >>> say("an unknown label", "id")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the figure text 'an unknown label' has no id version; add it to a module of ...
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang={lang!r}; the languages are {', '.join(map(repr, LANGUAGES))}")
    template = english if lang == "en" else TEXTS.get(english, {}).get(lang)
    if template is None:
        raise ValueError(f"the figure text {english!r} has no {lang} version; "
                         "add it to a module of derivations.teaching.figure_text")
    return template.format(**values) if values else template


class Words:
    """A figure text and its values, written out in a language only when asked: ``Words(english, **values)``.

    Alt text is often one (see :ref:`puzzle`): :func:`show_figure` writes it
    in each language the figure is drawn in.

    Examples
    --------
    >>> Words("class {j}", j=1).text("es")
    'clase 1'
    """

    def __init__(self, english, **values):
        self.english, self.values = english, values

    def text(self, lang):
        return say(self.english, lang, **self.values)

    def __repr__(self):
        return f"Words({self.english!r}, **{self.values!r})"


def alt_text(alt, lang):
    """Alt text in ``lang`` from a template string, a :class:`Words`, or a function of the language.

    Used by :func:`~derivations.teaching.figures.show_figure` (see :ref:`puzzle`).

    Examples
    --------
    >>> alt_text(lambda lang: say("class {j}", lang, j=0), "id")
    'kelas 0'
    """
    if isinstance(alt, Words):
        text = alt.text(lang)
    elif isinstance(alt, str):
        text = say(alt, lang)
    elif callable(alt):
        text = alt(lang)
    else:
        raise TypeError(f"alt must be a str, a Words or a function of the language, got {type(alt).__name__}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a figure needs alt text that says what it shows")
    return text
