"""Exercise of chapter 2 (:ref:`quotient-rule`): ``my_softmax_jacobian(z)``, the (C, C) Jacobian of softmax."""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import p_stable, p_unshifted
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.softmax import softmax_jacobian

ID = "softmax_jacobian"


def cases(rng):
    C = int(rng.integers(3, 8))
    M = int(rng.integers(9, 13))
    big, near = inp.large_logits(rng, (C,)), inp.near_1000(rng, C)
    return [
        Case(f"random logits, C={C}", (inp.logits(rng, C),)),
        Case(f"other random logits, C={C + 1}", (inp.logits(rng, C + 1, scale=1.0),)),
        Case("one class, C = 1", (inp.logits(rng, 1),)),
        Case("two classes, C = 2", (inp.logits(rng, 2),)),
        Case(f"many classes, C={M}", (inp.logits(rng, M),)),
        Case(f"logits all near -800, C={C}", (inp.far_negative(rng, C),), inp.float32_rtol(np.array(800.0))),
        Case(f"large logits, C={C}", (big,), inp.float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, C={C}", (near,), inp.float32_rtol(near)),
        Case(f"float32 logits, C={C}", inp.f32(inp.logits(rng, C))),
    ]


def reference(z):
    return (softmax_jacobian(np.asarray(z, np.float64)),)


@wrong(ID, "diagonal-only-jacobian")
def jacobian_diagonal_only(z):
    """Keeps p_i (1 - p_i) on the diagonal and zeros elsewhere."""
    p = p_stable(z)
    return np.diag(p * (1 - p))


@wrong(ID, "missing-delta-term")
def jacobian_outer_only(z):
    """-p p^T without the diag(p) of the Kronecker delta."""
    p = p_stable(z)
    return -np.outer(p, p)


@wrong(ID, "no-max-shift")
def jacobian_no_max_shift(z):
    """The right formula on an unshifted softmax."""
    p = p_unshifted(z)
    return np.diag(p) - np.outer(p, p)


EXERCISE = Exercise(
    ID, "my_softmax_jacobian", "quotient-rule",
    "my_softmax_jacobian(z), z of shape (C,) -> (C, C)", ("J",), cases, reference,
)


def jacobian_double_loop(z):
    """A learner's Jacobian, entry by entry: J[i, j] = p_i (delta_ij - p_j)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    p = e / e.sum()
    C = len(p)
    J = np.zeros((C, C))
    for i in range(C):
        for j in range(C):
            J[i, j] = p[i] * (1 - p[j]) if i == j else -p[i] * p[j]
    return J


CORRECT = [jacobian_double_loop]
