"""Exercise of chapter 10 (:ref:`beyond-one-hot`): ``my_label_smoothing(labels, C, eps)``, smoothed target rows."""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises.base import Case, Exercise, wrong

ID = "label_smoothing"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "smoothing-wrong-mass",
        "Label smoothing with the wrong mass",
        r"Smoothed targets are $(1 - \varepsilon)\,\mathrm{onehot} + \varepsilon / C$: every class gets "
        r"$\varepsilon / C$, the true class gets $1 - \varepsilon$ on top, and each row sums to 1.",
        "label-smoothing",
    ),
]


def cases(rng):
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))
    eps = float(np.round(rng.uniform(0.05, 0.3), 3))
    return [
        Case(f"N={N}, C={C}, eps={eps}", (rng.integers(0, C, N), C, eps)),
        Case(f"one class, C = 1, N={N}, eps={eps}", (np.zeros(N, dtype=np.int64), 1, eps)),
        Case(f"two classes, C = 2, N={N}, eps={eps}", (rng.integers(0, 2, N), 2, eps)),
        Case(f"many classes, C={M}, N={N}, eps={eps}", (rng.integers(0, M, N), M, eps)),
        Case(f"one label, N = 1, C={C}, eps={eps}", (rng.integers(0, C, 1), C, eps)),
        Case(f"no smoothing, eps = 0, N={N}, C={C}", (rng.integers(0, C, N), C, 0.0)),
        Case(f"heavy smoothing, eps = 0.5, N={N}, C={C}", (rng.integers(0, C, N), C, 0.5)),
        Case(f"N = C = {k}, eps={eps}", (rng.integers(0, k, k), k, eps)),
    ]


def reference(labels, C, eps):
    return ((1 - eps) * inp.onehot(labels, C) + eps / C,)


@wrong(ID, "smoothing-wrong-mass")
def smoothing_true_class_misses_share(labels, C, eps):
    """1 - eps on the true class, eps / C on the others only: rows sum to 1 - eps / C."""
    y = inp.onehot(labels, C)
    return (1 - eps) * y + (1 - y) * eps / C


@wrong(ID, "smoothing-wrong-mass")
def smoothing_over_other_classes(labels, C, eps):
    """eps spread over the C - 1 other classes: sums to 1, but not the asked distribution."""
    y = inp.onehot(labels, C)
    return (1 - eps) * y + (1 - y) * eps / (C - 1)


@wrong(ID, "smoothing-wrong-mass")
def smoothing_mixing_eps_over_c(labels, C, eps):
    """(1 - eps / C) onehot + eps / C: the true class keeps 1."""
    y = inp.onehot(labels, C)
    return (1 - eps / C) * y + eps / C


@wrong(ID, "smoothing-wrong-mass")
def smoothing_eps_per_class(labels, C, eps):
    """(1 - eps) onehot + eps: eps to every class instead of eps / C."""
    return (1 - eps) * inp.onehot(labels, C) + eps


EXERCISE = Exercise(
    ID, "my_label_smoothing", "beyond-one-hot",
    "my_label_smoothing(labels, C, eps), labels int (N,) -> (N, C)", ("t",), cases, reference,
)


def smoothing_fill_then_add(labels, C, eps):
    """A learner's smoothing: eps / C everywhere, then 1 - eps more on each label."""
    t = np.full((len(labels), C), eps / C)
    t[np.arange(len(labels)), labels] += 1 - eps
    return t


CORRECT = [smoothing_fill_then_add]
