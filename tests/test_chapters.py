"""derivations.chapters: the label index is current, and links follow from labels alone.

The index ships inside the package (``derivations/data/labels.json``) for
installs without the book's sources; it must equal a fresh scan of
``book/*.md``, and a scan must find what the chapters plainly contain.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

from derivations import chapters
from derivations.coursework import EXERCISES
from derivations.coursework.catalogue import MISTAKES

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"


def test_the_shipped_index_is_a_fresh_scan_of_the_book():
    shipped = json.loads((ROOT / "src" / "derivations" / chapters.LABELS_FILE).read_text(encoding="utf-8"))
    assert shipped == chapters.scan_labels(BOOK), (
        "derivations/data/labels.json is out of date with book/*.md: run "
        "`.venv/bin/python -m derivations.chapters` and commit the file"
    )


def test_the_scan_finds_every_label_line_with_its_file_and_heading():
    # counted here with a plain text search, not with the scanner
    lines = [(path, line) for path in BOOK.glob("*.md") for line in path.read_text(encoding="utf-8").splitlines()]
    written = {line[1:-2] for _, line in lines if re.fullmatch(r"\([\w-]+\)=", line.strip())}
    index = chapters.scan_labels(BOOK)
    assert set(index) == written
    assert index["overflow"] == {
        "chapter": "book/08_stability.md", "number": 8, "heading": "Overflow and the max shift",
    }
    assert index["references"]["number"] is None


def test_each_chapter_label_comes_first_in_its_file():
    for path in sorted(BOOK.glob("[0-9][0-9]_*.md")):
        first = re.search(r"^\(([\w-]+)\)=$", path.read_text(encoding="utf-8"), re.M)[1]
        assert chapters.chapter_label(f"book/{path.name}") == first


def test_an_unknown_label_is_refused_with_the_nearest_one():
    with pytest.raises(ValueError, match="no section of the book is labelled 'batch-maen'.*'batch-mean'"):
        chapters.chapter_of("batch-maen")
    with pytest.raises(ValueError, match="not a chapter of the book"):
        chapters.chapter_label("book/99_missing.md")


def test_links_from_labels_land_in_the_right_file(monkeypatch):
    monkeypatch.delenv(chapters.URL_VARIABLE, raising=False)
    assert chapters.section_url("separate-node-bug") == (
        "https://derivations-book.github.io/softmax-gradient/book/07_fused_vs_separate.html#separate-node-bug"
    )
    monkeypatch.setenv(chapters.URL_VARIABLE, "http://127.0.0.1:8000")
    assert chapters.section_url("overflow") == "http://127.0.0.1:8000/book/08_stability.html#overflow"


def test_every_exercise_and_mistake_names_a_label_that_exists():
    index = chapters.scan_labels(BOOK)
    for ex in EXERCISES.values():
        assert ex.label in index, ex.id
        assert (ROOT / ex.chapter).is_file(), ex.id
    for m in MISTAKES.values():
        assert m.label in index, m.id
        assert m.chapter == index[m.label]["chapter"]


def test_the_published_address_is_the_configured_base_url():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["baseurl"].rstrip("/") + "/" == chapters.PUBLISHED_URL
