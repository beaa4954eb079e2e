"""Find-the-bug exercise of chapter 13 (:ref:`mistakes`): batched softmax Jacobians shifted by the batch maximum.

The learner starts from :func:`softmax_jacobians`, which stacks one
``diag(p) - p p^T`` per row but computes ``p`` with ``z - np.max(z)``, and
must shift each row by its own maximum.
"""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import p_stable, p_unshifted
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.softmax import softmax
from derivations.teaching.jacobians import jacobian_batched

ID = "find_bug_batch_shift"


def cases(rng):
    """Logits ``z`` of shape (N, C).

    Besides random inputs: N = 1, C = 1, C = 2, more than 8 classes, a
    square batch; rows near +400 and near -400 (their maxima 800 apart),
    logits of 1e3..1e4, near 1000 and all near -800, float32, and float32
    rows near +60 and -60 (a batch shift underflows in float32 only).
    """
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))
    split, big, near = inp.split_maxima(rng, N, C), inp.large_logits(rng, (N, C)), inp.near_1000(rng, (N, C))
    split32 = split * (60.0 / 400.0)
    return [
        *inp.shape_cases(rng, N, C, k, M),
        Case(f"rows near +400 and near -400 (maxima 800 apart), N={N}, C={C}", (split,), inp.float32_rtol(split)),
        Case(f"large logits (|z| up to {np.abs(big).max():.0f}), N={N}, C={C}", (big,), inp.float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, N={N}, C={C}", (near,), inp.float32_rtol(near)),
        Case(f"all logits near -800, N={N}, C={C}", (inp.far_negative(rng, (N, C)),),
             inp.float32_rtol(np.array(800.0))),
        Case(f"float32 logits, N={N}, C={C}", inp.f32(inp.logits(rng, (N, C)))),
        Case(f"float32 rows near +60 and near -60 (maxima 120 apart), N={N}, C={C}", inp.f32(split32)),
    ]


def reference(z):
    return (jacobian_batched(softmax(np.asarray(z, dtype=np.float64))),)


# The code the learner starts from: chapter 13 shows exactly this function.
@wrong(ID, "batch-max-shift")
def softmax_jacobians(z):
    e = np.exp(z - np.max(z))
    p = e / np.sum(e, axis=1, keepdims=True)
    C = z.shape[1]
    # one (C, C) matrix diag(p) - p p^T per row, stacked to (N, C, C)
    return np.einsum("nc,cd->ncd", p, np.eye(C)) - np.einsum("nc,nd->ncd", p, p)


def _stack(p):
    return np.einsum("nc,cd->ncd", p, np.eye(p.shape[1])) - np.einsum("nc,nd->ncd", p, p)


@wrong(ID, "no-max-shift")
def jacobians_unshifted(z):
    """No shift at all: NaN once a logit passes about 709."""
    return _stack(p_unshifted(z))


@wrong(ID, "missing-keepdims")
def jacobians_shift_no_keepdims(z):
    """``z - np.max(z, axis=1)``: row maxima of shape (N,) subtracted from (N, C)."""
    e = np.exp(z - np.max(z, axis=1))
    return _stack(e / np.sum(e, axis=1, keepdims=True))


@wrong(ID, "wrong-axis")
def jacobians_over_batch(z):
    """The softmax taken over axis 0, the batch, shift included."""
    return _stack(p_stable(z, axis=0))


@wrong(ID, "missing-delta-term")
def jacobians_without_diagonal(z):
    """-p p^T alone: the Kronecker delta's diag(p) left out."""
    p = p_stable(z)
    return -np.einsum("nc,nd->ncd", p, p)


EXERCISE = Exercise(
    ID, "my_softmax_jacobians", "mistakes",
    "my_softmax_jacobians(z), logits z of shape (N, C) -> the Jacobians, shape (N, C, C)",
    ("J",), cases, reference, starts_from=softmax_jacobians,
    passed_message="Each row's softmax no longer depends on what the other rows of the batch hold.",
    position=5,  # the order chapter 13 poses them in
)


def jacobians_fixed(z):
    """A learner's fix: the same einsums, with each row shifted by its own maximum."""
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    C = z.shape[1]
    return np.einsum("nc,cd->ncd", p, np.eye(C)) - np.einsum("nc,nd->ncd", p, p)


def jacobians_fixed_loops(z):
    """A learner's fix row by row: softmax of the row, then np.diag(p) - np.outer(p, p)."""
    z = np.asarray(z, dtype=float)
    out = np.empty((z.shape[0], z.shape[1], z.shape[1]))
    for n, row in enumerate(z):
        e = np.exp(row - row.max())
        p = e / e.sum()
        out[n] = np.diag(p) - np.outer(p, p)
    return out


CORRECT = [jacobians_fixed, jacobians_fixed_loops]
