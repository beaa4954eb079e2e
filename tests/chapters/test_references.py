"""The references page attributes every source and lists the further reading.

The source discussions are CC BY-SA (Stack Exchange) or their author's (the
blog post): each needs its title, its site, a link where one is known, and
its licence.
"""

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "book" / "references.md"


def entries():
    """The ``(ref-...)=`` entries of the page: label -> text up to the next label or heading."""
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^\((ref-[a-z-]+)\)=\n", text, flags=re.M)
    return {
        label: " ".join(re.split(r"^#|^\(", body, flags=re.M)[0].split())
        for label, body in zip(parts[1::2], parts[2::2])
    }


SOURCES = ["ref-cross-validated", "ref-cross-validated-es", "ref-cnblogs", "ref-stackoverflow", "ref-mnist-homework"]


def test_every_source_has_an_entry():
    assert sorted(entries()) == sorted(SOURCES)


@pytest.mark.parametrize("label", SOURCES)
def test_every_source_states_its_licence(label):
    body = entries()[label]
    assert re.search(r"CC BY-SA|belongs to its author|is its author's", body), label


@pytest.mark.parametrize(
    "label,url",
    [
        ("ref-cross-validated", "https://stats.stackexchange.com/questions/235528/"),
        ("ref-cnblogs", "https://www.cnblogs.com/wuliytTaotao/p/10787510.html"),
        ("ref-stackoverflow", "https://stackoverflow.com/questions/33541930/"),
    ],
)
def test_sources_link_their_originals(label, url):
    assert url in entries()[label]


def test_the_untraceable_source_says_so():
    assert "cannot link the original" in entries()["ref-mnist-homework"]


@pytest.mark.parametrize(
    "work",
    [
        "Dive into Deep Learning", "CS231n", "Bendersky", "Backprop Ninja", "Goodfellow",
        "The Matrix Calculus You Need For Deep Learning",
    ],
)
def test_further_reading(work):
    text = PAGE.read_text(encoding="utf-8")
    further = " ".join(text[text.index("## Further reading") :].split())
    assert work in further
