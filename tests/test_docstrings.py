"""Every public function and class of the package names the chapter it comes from.

The README promises that a reader who meets a function can find its chapter:
its docstring carries a ``:ref:`` to a label of that chapter (a line such as
``(kronecker-delta)=`` in ``book/*.md``), and the label must exist, so a
renamed section cannot leave a docstring pointing nowhere.

"Public" means: no part of the module path and no part of the name starts
with an underscore, the object is defined in that module (not imported
into it), and, where the module lists ``__all__``, it is listed there.

An exercise module (``derivations.coursework.exercises.<id>``) is the
exercise itself: its functions are the reference, the cases and code
written the way learners write it, which chapters print and learners copy.
There the module's docstring names the chapter, once, not each function.
"""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import derivations

BOOK = Path(__file__).resolve().parent.parent / "book"
LABEL = re.compile(r"^\(([\w-]+)\)=\s*$", re.M)
# :ref:`label` or :ref:`shown text <label>`
REF = re.compile(r":ref:`(?:[^`<]*<)?([\w-]+)>?`")


def book_labels():
    return {label for path in BOOK.glob("*.md") for label in LABEL.findall(path.read_text(encoding="utf-8"))}


def public_modules():
    yield derivations
    for info in pkgutil.walk_packages(derivations.__path__, "derivations."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield importlib.import_module(info.name)


EXERCISES = "derivations.coursework.exercises."


def public_objects():
    for module in public_modules():
        if module.__name__.startswith(EXERCISES) and hasattr(module, "EXERCISE"):
            yield module.__name__, module
            continue
        listed = getattr(module, "__all__", None)
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if module is not derivations and obj.__module__ != module.__name__:
                continue
            if listed is not None and name not in listed:
                continue
            yield f"{module.__name__}.{name}", obj


OBJECTS = dict(public_objects())
LABELS = book_labels()


def test_the_book_has_labels_and_the_package_has_public_functions():
    # guards the two scans below against passing on nothing
    assert len(LABELS) > 30
    assert len(OBJECTS) > 100
    assert "derivations.softmax_backward" in OBJECTS
    assert EXERCISES + "softmax_loss" in OBJECTS


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_docstring_names_an_existing_chapter_label(name):
    doc = inspect.getdoc(OBJECTS[name]) or ""
    refs = REF.findall(doc)
    assert refs, f"{name}: its docstring names no chapter (add :ref:`label` of the chapter it comes from)"
    missing = [ref for ref in refs if ref not in LABELS]
    assert not missing, f"{name}: :ref: to labels that no chapter defines: {missing}"


def test_the_reference_pattern_reads_both_forms():
    assert REF.findall("see :ref:`kronecker-delta` and :ref:`the fused loss <fused-loss>`") == [
        "kronecker-delta",
        "fused-loss",
    ]
