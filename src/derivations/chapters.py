"""The book's chapters and sections, and where they live on the web.

A check's verdict is read in many places: a page of the built book, a
notebook in JupyterLab, an otter feedback file, a terminal. Only inside the
book build do relative links resolve, so every other place gets absolute
links to the published site. ``DERIVATIONS_BOOK_URL`` points them
elsewhere, for example at a local build served by ``make serve``.

Code names a section by its label alone (the ``(label)=`` line of MyST
before a heading); the chapter file, its number and the heading come from
:func:`labels`. That index is generated from ``book/*.md`` into
``derivations/data/labels.json`` (``python -m derivations.chapters``;
``tests/test_chapters.py`` keeps it current), because a student's install
or the autograder's wheel has the package without the book's sources.
"""

import json
import os
import re
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

#: The published site. ``_config.yml`` (``html: baseurl``) names the same
#: address; ``tests/test_chapters.py`` keeps the two equal.
PUBLISHED_URL = "https://derivations-book.github.io/softmax-gradient/"

#: The environment variable that overrides :data:`PUBLISHED_URL`. The book
#: build sets it to ``"../"`` (see ``tools/book_site.py``), so that links in
#: executed cells stay inside the site being built.
URL_VARIABLE = "DERIVATIONS_BOOK_URL"


def book_url():
    """The base address that links to chapters start with, ending in ``/``.

    Used in :ref:`instructors`.

    Examples
    --------
    >>> import os
    >>> os.environ.pop(URL_VARIABLE, None) and None
    >>> book_url()
    'https://derivations-book.github.io/softmax-gradient/'
    """
    base = os.environ.get(URL_VARIABLE, "").strip() or PUBLISHED_URL
    return base if base.endswith("/") else base + "/"


def chapter_url(chapter, label=None, base=None):
    """Link to a chapter file (``book/NN_slug.md``), or to one of its sections.

    Used in :ref:`instructors`.

    ``base`` replaces :func:`book_url`, for links that must point at one site
    whatever the environment says (the notebooks the site offers for download).

    Sphinx puts a ``(label)=`` target's id on the section it precedes, so
    ``page.html#label`` lands on that section.

    Examples
    --------
    >>> import os
    >>> os.environ.pop(URL_VARIABLE, None) and None
    >>> chapter_url("book/07_fused_vs_separate.md", "batch-mean")
    'https://derivations-book.github.io/softmax-gradient/book/07_fused_vs_separate.html#batch-mean'
    """
    page = chapter[: -len(".md")] if chapter.endswith(".md") else chapter
    anchor = f"#{label}" if label else ""
    base = book_url() if base is None else base
    return f"{base}{page}.html{anchor}"


def in_book_build():
    """Whether this code runs in a cell that the book build executes.

    Used in :ref:`instructors`.

    Markdown that a cell displays is parsed as MyST there, so it may use
    ``{ref}`` roles; anywhere else it must use plain links.
    """
    return os.environ.get(URL_VARIABLE, "").strip() == "../"


#: Where :func:`labels` reads the index, inside the package.
LABELS_FILE = "data/labels.json"

_LABEL_LINE = re.compile(r"^\(([\w-]+)\)=\s*$")
_CHAPTER_FILE = re.compile(r"^(\d+)_[\w-]+\.md$")


def scan_labels(book_dir):
    """Every ``(label)=`` target of the chapters in ``book_dir``, in order: the index :func:`labels` reads.

    Each label maps to its chapter file (relative to the book root), the
    chapter's number (None for pages such as the notation page) and the
    heading that follows the label (None if no heading follows within three
    lines). The chapter's own label is the first one in its file. Used in
    :ref:`instructors`.

    Examples
    --------
    >>> from pathlib import Path
    >>> index = scan_labels(Path(__file__).resolve().parents[2] / "book")
    >>> index["overflow"]
    {'chapter': 'book/08_stability.md', 'number': 8, 'heading': 'Overflow and the max shift'}
    """
    book_dir = Path(book_dir)
    index = {}
    for path in sorted(book_dir.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        number = _CHAPTER_FILE.match(path.name)
        for i, line in enumerate(lines):
            label = _LABEL_LINE.match(line)
            if not label:
                continue
            heading = next((h.lstrip("#").strip() for h in lines[i + 1 : i + 4] if h.startswith("#")), None)
            index[label[1]] = {
                "chapter": f"{book_dir.name}/{path.name}",
                "number": int(number[1]) if number else None,
                "heading": heading,
            }
    return index


@lru_cache(maxsize=None)
def labels():
    """The index of every label in the book, as :func:`scan_labels` made it (see :ref:`instructors`).

    Examples
    --------
    >>> labels()["batch-mean"]["chapter"]
    'book/07_fused_vs_separate.md'
    """
    return json.loads(resources.files("derivations").joinpath(LABELS_FILE).read_text(encoding="utf-8"))


def label_entry(label):
    """The index entry of ``label``, or a ``ValueError`` that names it (see :ref:`instructors`).

    Examples
    --------
    >>> label_entry("overflow")["number"]
    8
    >>> label_entry("overfow")
    Traceback (most recent call last):
    ...
    ValueError: no section of the book is labelled 'overfow' (did you mean 'overflow'?)
    """
    index = labels()
    if label not in index:
        from difflib import get_close_matches

        near = get_close_matches(str(label), index, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"no section of the book is labelled {label!r}{hint}")
    return index[label]


def chapter_of(label):
    """The chapter file that holds the section ``label`` (see :ref:`instructors`).

    Examples
    --------
    >>> chapter_of("separate-node-bug")
    'book/07_fused_vs_separate.md'
    """
    return label_entry(label)["chapter"]


def chapter_label(chapter):
    """The label of a chapter itself (the first in its file), from its file (see :ref:`instructors`).

    Examples
    --------
    >>> chapter_label("book/08_stability.md")
    'numerical-stability'
    """
    for label, entry in labels().items():
        if entry["chapter"] == chapter:
            return label
    raise ValueError(f"{chapter!r} is not a chapter of the book, or it has no label")


def section_url(label, base=None):
    """Link to the section ``label``, in the chapter that holds it (see :ref:`instructors`).

    Examples
    --------
    >>> import os
    >>> os.environ.pop(URL_VARIABLE, None) and None
    >>> section_url("batch-mean")
    'https://derivations-book.github.io/softmax-gradient/book/07_fused_vs_separate.html#batch-mean'
    """
    return chapter_url(chapter_of(label), label, base=base)


def write_labels(book_dir, out=None):
    """Write the index of ``book_dir`` to :data:`LABELS_FILE` in the package (see :ref:`instructors`)."""
    out = Path(__file__).resolve().parent / LABELS_FILE if out is None else Path(out)
    out.write_text(json.dumps(scan_labels(book_dir), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "book"
    print(f"wrote {write_labels(book)}")
