"""Where the book lives on the web, for links that leave the page they are on.

A check's verdict is read in many places: a page of the built book, a
notebook in JupyterLab, an otter feedback file, a terminal. Only inside the
book build do relative links resolve, so every other place gets absolute
links to the published site. ``DERIVATIONS_BOOK_URL`` points them
elsewhere, for example at a local build served by ``make serve``.
"""

import os

#: The published site. ``_config.yml`` (``html: baseurl``) names the same
#: address; ``tests/test_site_links.py`` keeps the two equal.
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
