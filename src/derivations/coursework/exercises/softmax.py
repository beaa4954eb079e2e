"""Exercise of chapter 1 (:ref:`puzzle`): ``my_softmax(z)``, softmax over the last axis."""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import p_batch_shift, p_stable, p_unshifted, p_whole_sum
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.softmax import softmax

ID = "softmax"


def logit_cases(rng):
    """Logits of shape (N, C): random, square, N = 1, C = 1, C = 2, more than
    8 classes, large, near 1000, all near -800, rows whose maxima differ by
    about 800, float32."""
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))
    big = inp.large_logits(rng, (N, C))
    near = inp.near_1000(rng, (N, C))
    big32 = inp.large_logits(rng, (N, C))
    split = inp.split_maxima(rng, N, C)
    return [
        *inp.shape_cases(rng, N, C, k, M),
        Case(f"all logits near -800, N={N}, C={C}", (inp.far_negative(rng, (N, C)),),
             inp.float32_rtol(np.array(800.0))),
        Case(f"large logits (|z| up to {np.abs(big).max():.0f}), N={N}, C={C}", (big,), inp.float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, N={N}, C={C}", (near,), inp.float32_rtol(near)),
        Case(f"rows near +400 and near -400 (maxima 800 apart), N={N}, C={C}", (split,), inp.float32_rtol(split)),
        Case(f"float32 logits, N={N}, C={C}", inp.f32(inp.logits(rng, (N, C)))),
        Case(f"float32 large logits, N={N}, C={C}", inp.f32(big32), inp.float32_rtol(big32)),
    ]


cases = logit_cases


def reference(z):
    return (softmax(np.asarray(z, np.float64)),)


@wrong(ID, "no-max-shift")
def softmax_no_max_shift(z):
    """exp(z) / sum exp(z) without subtracting the row maximum."""
    return p_unshifted(z)


@wrong(ID, "wrong-axis")
def softmax_over_batch(z):
    """Normalises each column (class) over the batch."""
    return p_stable(z, axis=0)


@wrong(ID, "missing-keepdims")
def softmax_no_keepdims(z):
    """Divides (N, C) by row sums of shape (N,)."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


@wrong(ID, "batch-max-shift")
def softmax_batch_max_shift(z):
    """Subtracts the largest logit of the whole batch, ``z - np.max(z)``."""
    return p_batch_shift(z)


@wrong(ID, "sum-over-everything")
def softmax_whole_sum(z):
    """Divides by one sum over every entry, ``e / np.sum(e)``."""
    return p_whole_sum(z)


EXERCISE = Exercise(
    ID, "my_softmax", "puzzle", "my_softmax(z), z of shape (N, C) -> (N, C)", ("p",),
    cases, reference,
)


def softmax_rows(z):
    """A learner's softmax: shift each row by its maximum, exponentiate, normalise."""
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=1, keepdims=True)
    exp_z = np.exp(shifted)
    return exp_z / np.sum(exp_z, axis=1, keepdims=True)


CORRECT = [softmax_rows]
