"""The book's implementation exercises, one module each.

A module named after the exercise id holds everything about that exercise:
its cases, its float64 reference, its reference wrong implementations
(registered with the mistakes they make), its :class:`~.base.Exercise`
entry and a few correct implementations written as learners write them.
Inputs that several exercises share come from :mod:`._inputs`, plain-numpy
pieces of wrong implementations from :mod:`._parts`.

To add an exercise:

1. Write ``exercises/<id>.py`` (copy a module of the same kind, such as
   :mod:`.softmax`, or :mod:`.find_bug_delta` for a find-the-bug exercise):
   ``cases``, ``reference``, wrong implementations decorated with
   ``@wrong(ID, "<mistake id>")``, ``EXERCISE = Exercise(ID, "my_<id>", "<chapter label>", ...)``
   (the label on the chapter's first line, such as ``"numerical-stability"``)
   and ``CORRECT``, a list of at least one learner-style right answer.
2. Add the section to chapter NN that poses it and calls ``check("<id>", my_<id>)``.

The module is found by name (every module here whose name does not start
with ``_``, :mod:`.base` aside), and ordered by its chapter's number, then by
``Exercise.position`` among that chapter's exercises. A mistake that no other
exercise makes is catalogued in the module too, in its ``MISTAKES`` list (a
shared one is in :mod:`derivations.coursework.catalogue`). The engine and the
registry need no change, and the tests run every module's ``CORRECT``
through the check; they also ask for one right answer written apart from the
module (``TESTED_HERE`` in ``tests/coursework/test_engine.py``), so that the module's
own reference is not the only judge of itself.
"""

import pkgutil
from importlib import import_module

from derivations.coursework.catalogue import gather
from derivations.coursework.exercises.base import (
    TARGET_FORMS,
    WRONG,
    Case,
    Convention,
    Exercise,
    WrongImplementation,
    wrong,
)

#: Modules of this package that hold no exercise.
_NOT_EXERCISES = {"base"}


def _discover():
    """Every exercise module, in the order of the chapters that pose them."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _NOT_EXERCISES:
            continue
        module = import_module(f"{__name__}.{info.name}")
        if module.EXERCISE.id != info.name:  # check(id) finds its module by this name
            raise ValueError(f"the module {module.__name__} defines the exercise {module.EXERCISE.id!r}; "
                             f"name the module after its exercise, {module.EXERCISE.id}.py")
        found.append(module)
    return sorted(found, key=lambda module: module.EXERCISE.order)


#: Each exercise's module, by exercise id, in the order of the chapters that pose them.
MODULES = {module.EXERCISE.id: module for module in _discover()}

#: The implementation exercises, by id.
EXERCISES = {module.EXERCISE.id: module.EXERCISE for module in MODULES.values()}

#: Every catalogued mistake, by id, in the order the book presents them: the
#: catalogue's shared ones and each module's own (see :func:`~derivations.coursework.catalogue.gather`).
MISTAKES = gather(m for module in MODULES.values() for m in getattr(module, "MISTAKES", ()))

for _w in WRONG:
    if _w.mistake not in MISTAKES:
        raise ValueError(f"{_w.name} ({_w.exercise}) is registered with the unknown mistake {_w.mistake!r}; "
                         "catalogue it in its module's MISTAKES or in derivations.coursework.catalogue")

# Registered as the modules were imported; kept in the exercises' order (each
# exercise's own in the order its module defines them, which breaks ties in a diagnosis).
WRONG.sort(key=lambda w: list(EXERCISES).index(w.exercise))


def _adapted(w, ex, targets):
    """``w``, written for the exercise's first target form, taking ``targets`` instead."""
    to_first = ex.to_first_form

    def fn(*args):
        return w.fn(*to_first(args))

    fn.__name__ = fn.__qualname__ = w.name
    fn.__doc__ = w.fn.__doc__
    return WrongImplementation(w.exercise, w.mistake, fn, targets)


#: Mistakes that integer labels cannot make: a label is one-hot by nature.
_NOT_WITH_LABELS = {"assumes-one-hot"}


def wrong_for(exercise, targets=None):
    """The wrong implementations of ``exercise`` that take its arguments in the form ``targets``.

    The check's suspects for a diagnosis (see :ref:`mistakes`).

    Those written for the exercise's first target form serve the other
    forms too, through the exercise's ``to_first_form``.

    Examples
    --------
    >>> sorted({w.mistake for w in wrong_for("softmax_loss")})[:4]
    ['batch-max-shift', 'classes-from-labels', 'diagonal-only-jacobian', 'divide-by-p']
    >>> "classes-from-labels" in {w.mistake for w in wrong_for("cross_entropy", "labels")}
    True
    """
    ex = EXERCISES[exercise]
    first = ex.default_targets
    targets = first if targets is None else targets
    out = []
    for w in WRONG:
        if w.exercise != exercise:
            continue
        form = w.targets or first
        if form == targets:
            out.append(w)
        elif form == first and ex.to_first_form is not None and not (
            targets == "labels" and w.mistake in _NOT_WITH_LABELS
        ):
            out.append(_adapted(w, ex, targets))
    return out


__all__ = [
    "EXERCISES", "MISTAKES", "MODULES", "TARGET_FORMS", "WRONG", "Case", "Convention", "Exercise",
    "WrongImplementation",
    "wrong", "wrong_for",
]
