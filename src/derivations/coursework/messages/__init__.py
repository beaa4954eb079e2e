"""The words of a verdict in each edition's language: English, Spanish, Indonesian, Simplified Chinese.

:func:`~derivations.coursework.engine.check` writes every sentence of a
verdict through :func:`say`, so that ``check(..., language="es")`` reads as
the Spanish edition of the book does (see :ref:`mistakes`). Each language is
one module of this package: ``MESSAGES``, the engine's sentences by message
id (:mod:`.en` holds the English templates), ``CASES``, the parts of the
case descriptions, ``TEXTS``, the exercises' own sentences, and, for the
translations, ``MISTAKES`` and ``HEADINGS``, the catalogue and the section
headings as the editions' ``locales/<lang>/LC_MESSAGES/book/*.po`` translate
them (copied here, since a learner's wheel has no locales).

Numbers, code, function names, mistake ids and URLs stay as they are.
"""

import re
import string
from importlib import import_module

from derivations import chapters
from derivations.editions import language  # noqa: F401  (the verdicts' language, as every output's)
from derivations.validation import LANGUAGES

_MODULES = {lang: import_module(f"{__name__}.{lang}") for lang in LANGUAGES}

#: Every message id with its template in each language: ``MESSAGES[id][lang]``.
MESSAGES = {key: {lang: _MODULES[lang].MESSAGES[key] for lang in LANGUAGES if key in _MODULES[lang].MESSAGES}
            for key in _MODULES["en"].MESSAGES}


def placeholders(template):
    """The names of a template's ``{name}`` placeholders, as a set (tests compare translations by them).

    Used for the verdicts of :ref:`mistakes`.

    Examples
    --------
    >>> sorted(placeholders("On {case}: {problem}."))
    ['case', 'problem']
    """
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def say(message_id, lang, **values):
    """The sentence ``message_id`` in the language ``lang``, its placeholders filled with ``values``.

    Every line of a verdict (see :ref:`mistakes`) is written by it.

    Examples
    --------
    >>> say("not-right", "en", name="my_softmax")
    '✗ my_softmax is not right yet.'
    >>> say("not-right", "es", name="my_softmax")
    '✗ my_softmax todavía no es correcta.'
    """
    return MESSAGES[message_id][lang].format(**values)


def pattern(message_id, lang):
    """A regular expression matching the sentence ``message_id``, one named group per placeholder.

    The HTML of a verdict finds its ``Read why`` line by it (see :ref:`mistakes`).

    Examples
    --------
    >>> pattern("read-why", "en").match("Read why: chapter 8, https://x/y.html")["url"]
    'https://x/y.html'
    """
    out = ""
    for text, field, _, _ in string.Formatter().parse(MESSAGES[message_id][lang]):
        out += re.escape(text)
        if field is not None:
            out += rf"(?P<{field}>\S+)" if field == "url" else rf"(?P<{field}>.+)"
    return re.compile(f"^{out}$")


def book_url(lang):
    """The base address of the edition in ``lang``: the English site's, plus ``<lang>/`` for a translation.

    Used by the links of :ref:`mistakes`.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("DERIVATIONS_BOOK_URL", None) and None
    >>> book_url("zh_CN")
    'https://derivations-book.github.io/softmax-gradient/zh_CN/'
    """
    base = chapters.book_url()
    return base if lang == "en" else f"{base}{lang}/"


def mistake_words(mistake, lang):
    """A catalogued mistake's title and explanation (MyST) in ``lang``, as the edition's chapter 13 has them.

    See :ref:`mistakes`.

    Examples
    --------
    >>> from derivations.coursework.exercises import MISTAKES
    >>> mistake_words(MISTAKES["sign-flip"], "es")[0]
    'Gradiente con el signo equivocado'
    """
    if lang == "en":
        return mistake.title, mistake.explanation
    return _MODULES[lang].MISTAKES[mistake.id]


def heading(label, lang):
    """The heading of the section ``label`` in ``lang`` (MyST), or None where it has none.

    Verdicts name the section of :ref:`mistakes` that explains a mistake by it.

    Examples
    --------
    >>> heading("overflow", "es") != heading("overflow", "en")
    True
    """
    english = chapters.label_entry(label)["heading"]
    if lang == "en" or not english:
        return english
    return _MODULES[lang].HEADINGS.get(label, english)


def text(sentence, lang):
    """One of the exercises' own sentences (a signature, a target form, a convention) in ``lang``.

    Verdicts (see :ref:`mistakes`) quote them; one that has no translation stays in English.

    Examples
    --------
    >>> text("t is an (N,) integer array of class labels in 0..C-1", "id")
    't adalah array bilangan bulat (N,) berisi label kelas dalam 0..C-1'
    """
    return sentence if lang == "en" else _MODULES[lang].TEXTS.get(sentence, sentence)


# A part of a case description that only sets sizes ("N=3", "N = C = 4", "eps = 1e-3") reads the same everywhere.
_ASSIGNMENT = re.compile(r"^[A-Za-z]\w*( ?= ?[A-Za-z]\w*)* ?= ?[-+0-9.e]+$")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def case_parts(name):
    """A case description cut at its top-level commas (none inside parentheses).

    Examples
    --------
    >>> case_parts("large logits (|z| up to 7580), N=2, C=4")
    ['large logits (|z| up to 7580)', 'N=2', 'C=4']

    See :ref:`mistakes` for the verdicts that show them.
    """
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(name):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and name.startswith(", ", i):
            parts.append(name[start:i])
            start = i + 2
    return parts + [name[start:]]


def case_key(part):
    """A part of a case description with its numbers as the placeholders ``{0}``, ``{1}`` ..., and the numbers.

    The key under which the languages' ``CASES`` translate it (see :ref:`mistakes`).

    Examples
    --------
    >>> case_key("large logits (|z| up to 7580)")
    ('large logits (|z| up to {0})', ['7580'])
    >>> case_key("N=2")
    (None, [])
    """
    if _ASSIGNMENT.match(part):
        return None, []
    numbers = _NUMBER.findall(part)
    count = iter(range(len(numbers)))
    return _NUMBER.sub(lambda _: f"{{{next(count)}}}", part), numbers


def case_name(name, lang):
    """A case's description, written in English by its exercise, in ``lang``: a part at a time.

    An exercise describes its cases in English f-strings (``f"random logits, N={N}, C={C}"``);
    each comma-separated part is looked up with its numbers taken out, so the
    exercises stay as they are (see :ref:`mistakes`). A part with no
    translation stays in English (the tests see that none is missing).

    Examples
    --------
    >>> case_name("one-hot targets, N=2, C=4", "es")
    'objetivos one-hot, N=2, C=4'
    """
    if lang == "en":
        return name
    table = _MODULES[lang].CASES
    out = []
    for part in case_parts(name):
        key, numbers = case_key(part)
        out.append(table[key].format(*numbers) if key in table else part)
    return say("case-separator", lang).join(out)


def where(chapter, label, lang):
    """Where to read on, in ``lang``: '"Overflow and the max shift", chapter 8', or the chapter alone.

    The words of :func:`derivations.coursework.catalogue.where` in each edition (see :ref:`mistakes`).

    Examples
    --------
    >>> where("book/08_stability.md", "overflow", "en")
    '"Overflow and the max shift", chapter 8'
    >>> where("book/08_stability.md", "overflow", "zh_CN")
    '“...”，第 8 章'
    """
    from derivations.coursework.catalogue import chapter_number, plain

    number = chapter_number(chapter)
    name = say("chapter", lang, number=number) if number is not None else chapter
    words = heading(label or chapters.chapter_label(chapter), lang)
    return say("section-in-chapter", lang, title=plain(words), chapter=name) if words else name


def section_url(label, lang):
    """The link to the section ``label`` in the edition of ``lang`` (see :ref:`mistakes`).

    Examples
    --------
    >>> import os
    >>> os.environ.pop("DERIVATIONS_BOOK_URL", None) and None
    >>> section_url("divided-by-classes", "es")
    'https://derivations-book.github.io/softmax-gradient/es/book/13_mistakes.html#divided-by-classes'
    """
    return chapters.section_url(label, base=book_url(lang))


def chapter_url(chapter, lang):
    """The link to a chapter file (``book/NN_slug.md``) in the edition of ``lang`` (see :ref:`mistakes`).

    Examples
    --------
    >>> import os
    >>> os.environ.pop("DERIVATIONS_BOOK_URL", None) and None
    >>> chapter_url("book/08_stability.md", "id")
    'https://derivations-book.github.io/softmax-gradient/id/book/08_stability.html'
    """
    return chapters.chapter_url(chapter, base=book_url(lang))
