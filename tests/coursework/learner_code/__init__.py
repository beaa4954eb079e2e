"""Learners' implementations of the book's exercises, right and wrong.

Plain modules, not tests: ``tests/coursework/test_learner_code.py`` runs every
function here through ``derivations.coursework.engine.check``. They are written the
way homework answers are written (loops, fancy indexing, ``np.eye``
one-hots, float32 casts, both scalings of the L2 penalty) and share no
code with the package or with each other's helpers. Each wrong one
declares the catalogued mistake the check must name.
"""

from dataclasses import dataclass
from importlib import import_module
from typing import Callable


@dataclass(frozen=True)
class Entry:
    exercise: str
    fn: Callable
    targets: str | None = None
    mistake: str | None = None  # None: a correct implementation

    @property
    def name(self):
        return self.fn.__name__


CORPUS = []


def correct(exercise, targets=None):
    """Register a correct implementation of ``exercise`` (taking ``targets``)."""

    def register(fn):
        CORPUS.append(Entry(exercise, fn, targets))
        return fn

    return register


def wrong(exercise, mistake, targets=None):
    """Register an implementation of ``exercise`` that makes ``mistake``."""

    def register(fn):
        CORPUS.append(Entry(exercise, fn, targets, mistake))
        return fn

    return register


MODULES = ["softmax_loss", "cross_entropy", "cross_entropy_grad", "softmax", "other_targets", "find_the_bug"]


def load():
    """Every registered implementation, its module imported."""
    for name in MODULES:
        import_module(f"{__name__}.{name}")
    return list(CORPUS)
