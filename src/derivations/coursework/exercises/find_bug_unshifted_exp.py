"""Find-the-bug exercise of chapter 13 (:ref:`mistakes`): softmax regression's gradient with an unshifted exp.

The learner starts from :func:`softmax_ce_grad`, the gradient ``(p - t) / N``
of the mean cross-entropy with ``p`` computed from ``np.exp(z)`` directly,
and must keep ``exp`` from overflowing.
"""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import p_batch_shift
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.losses import cross_entropy_grad

ID = "find_bug_unshifted_exp"


def cases(rng):
    """Logits ``z`` (N, C) and one-hot targets ``t`` (N, C).

    Besides random inputs: N = 1, C = 1, C = 2, more than 8 classes, a
    square batch; logits of 1e3..1e4 and near 1000 (exp overflows), all
    near -800 (exp underflows), rows near +400 and -400 (nothing overflows,
    but a shift by the batch maximum underflows), float32, and float32
    logits near 100 (exp overflows in float32 only).
    """
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))

    def t(n, c):
        return inp.onehot_targets(rng, n, c)

    big, near = inp.large_logits(rng, (N, C)), inp.near_1000(rng, (N, C))
    split, near100 = inp.split_maxima(rng, N, C), inp.near(rng, (N, C), 100.0)
    return [
        *inp.shape_cases(rng, N, C, k, M, more=lambda n, c: (t(n, c),)),
        Case(f"large logits (|z| up to {np.abs(big).max():.0f}), N={N}, C={C}", (big, t(N, C)),
             inp.float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, N={N}, C={C}", (near, t(N, C)), inp.float32_rtol(near)),
        Case(f"all logits near -800, N={N}, C={C}", (inp.far_negative(rng, (N, C)), t(N, C)),
             inp.float32_rtol(np.array(800.0))),
        Case(f"rows near +400 and near -400 (maxima 800 apart), N={N}, C={C}", (split, t(N, C)),
             inp.float32_rtol(split)),
        Case(f"float32 logits, N={N}, C={C}", inp.f32(inp.logits(rng, (N, C)), t(N, C))),
        Case(f"float32 logits near 100, N={N}, C={C}", inp.f32(near100, t(N, C)), inp.float32_rtol(near100)),
    ]


def reference(z, t):
    return (cross_entropy_grad(*inp.as_float64(z, t)),)


# The code the learner starts from: chapter 13 shows exactly this function.
@wrong(ID, "no-max-shift")
def softmax_ce_grad(z, t):
    e = np.exp(z)
    p = e / np.sum(e, axis=1, keepdims=True)   # y_hat, the softmax of each row
    return (p - t) / z.shape[0]                # y_hat - y, averaged over the batch


@wrong(ID, "batch-max-shift")
def ce_grad_batch_shift(z, t):
    """``z - np.max(z)``: one shift for the whole batch."""
    return (p_batch_shift(z) - t) / z.shape[0]


@wrong(ID, "missing-keepdims")
def ce_grad_shift_no_keepdims(z, t):
    """``z - np.max(z, axis=1)``: row maxima of shape (N,) subtracted from (N, C)."""
    e = np.exp(z - np.max(z, axis=1))
    return (e / np.sum(e, axis=1, keepdims=True) - t) / z.shape[0]


EXERCISE = Exercise(
    ID, "my_softmax_ce_grad", "mistakes",
    "my_softmax_ce_grad(z, t), logits z and one-hot targets t, both (N, C) -> dL/dz (N, C)",
    ("dz",), cases, reference, starts_from=softmax_ce_grad,
    passed_message="`exp` no longer overflows or underflows whole rows, in float64 or in float32.",
    position=4,  # the order chapter 13 poses them in
)


def ce_grad_fixed(z, t):
    """A learner's fix: subtract each row's maximum before exp."""
    s = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(s)
    return (e / np.sum(e, axis=1, keepdims=True) - t) / z.shape[0]


def ce_grad_fixed_logsumexp(z, t):
    """A learner's fix through log-sum-exp: p = exp(z - m - log sum exp(z - m))."""
    m = z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return (np.exp(z - lse) - t) / len(z)


CORRECT = [ce_grad_fixed, ce_grad_fixed_logsumexp]
