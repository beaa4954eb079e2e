"""Find-the-bug exercise of chapter 13 (:ref:`mistakes`): the elementwise softmax ``delta``.

The learner starts from :func:`softmax_delta`, a backward pass of softmax
that multiplies the upstream gradient by one number per class, and must
turn it into the vector-Jacobian product ``p * (dp - <p, dp>)``.
"""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import p_stable, p_unshifted
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.softmax import softmax, softmax_backward

ID = "find_bug_delta"


def cases(rng):
    """Logits ``z`` and upstream gradients ``dp`` of the same shape, one example or a batch.

    Besides random batches: a single example of shape (C,), N = 1, C = 1,
    C = 2, more than 8 classes, a square batch, saturated rows (exact 0s
    and near-1s), logits all near -800, float32.
    """
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))

    def pair(z):
        return z, rng.normal(0.0, 1.0, np.shape(z))

    return [
        Case(f"random z and dp, N={N}, C={C}", pair(inp.logits(rng, (N, C)))),
        Case(f"a single example, z and dp of shape ({C},)", pair(inp.logits(rng, C))),
        Case(f"a square batch, N = C = {k}", pair(inp.logits(rng, (k, k)))),
        Case(f"one example, N = 1, C={C}", pair(inp.logits(rng, (1, C)))),
        Case(f"one class, C = 1, N={N}", pair(inp.logits(rng, (N, 1)))),
        Case(f"two classes, C = 2, N={N}", pair(inp.logits(rng, (N, 2)))),
        Case(f"many classes, C={M}, N={N}", pair(inp.logits(rng, (N, M)))),
        Case(f"saturated rows (|z| up to 8000), N={N}, C={C}", pair(inp.large_logits(rng, (N, C)))),
        Case(f"logits all near -800, N={N}, C={C}", pair(inp.far_negative(rng, (N, C))),
             inp.float32_rtol(np.array(800.0))),
        Case(f"float32 z and dp, N={N}, C={C}", inp.f32(*pair(inp.logits(rng, (N, C))))),
    ]


def reference(z, dp):
    z, dp = inp.as_float64(z, dp)
    return (softmax_backward(softmax(z), dp),)


# The code the learner starts from: chapter 13 shows exactly this function.
@wrong(ID, "diagonal-only-jacobian")
def softmax_delta(z, dp):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    others = e.sum(axis=-1, keepdims=True) - e   # the other classes' share
    return dp / (2 + e / others + others / e)    # one factor per class


@wrong(ID, "missing-delta-term")
def delta_without_diagonal(z, dp):
    """-p <p, dp>: the off-diagonal -p p^T alone, the delta's p * dp left out."""
    p = p_stable(z)
    return -p * np.sum(p * dp, axis=-1, keepdims=True)


@wrong(ID, "wrong-axis")
def delta_dot_over_batch(z, dp):
    """<p, dp> summed over axis 0, the batch, instead of the classes."""
    p = p_stable(z)
    return p * (dp - np.sum(p * dp, axis=0, keepdims=True))


@wrong(ID, "missing-keepdims")
def delta_dot_no_keepdims(z, dp):
    """<p, dp> of shape (N,) subtracted from (N, C)."""
    p = p_stable(z)
    return p * (dp - np.sum(p * dp, axis=-1))


@wrong(ID, "no-max-shift")
def delta_unshifted(z, dp):
    """The right product, on a softmax of the raw logits: NaN once exp overflows."""
    p = p_unshifted(z)
    return p * (dp - np.sum(p * dp, axis=-1, keepdims=True))


EXERCISE = Exercise(
    ID, "my_softmax_delta", "mistakes",
    "my_softmax_delta(z, dp), logits z and upstream gradient dp of the same shape (..., C) -> dz, that shape",
    ("dz",), cases, reference, starts_from=softmax_delta,
    passed_message="Every logit now receives the gradient that reaches it through every probability.",
    position=1,  # the order chapter 13 poses them in
)


def delta_fixed(z, dp):
    """A learner's fix: the softmax itself, then p * (dp - <p, dp>) per row."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    p = e / np.sum(e, axis=-1, keepdims=True)
    return p * (dp - np.sum(p * dp, axis=-1, keepdims=True))


def delta_fixed_jacobian(z, dp):
    """A learner's fix that builds each row's Jacobian diag(p) - p p^T and multiplies."""
    z = np.asarray(z, dtype=float)
    rows, grads = z.reshape(-1, z.shape[-1]), np.reshape(dp, (-1, z.shape[-1]))
    dz = np.empty_like(rows)
    for n, (row, g) in enumerate(zip(rows, grads)):
        e = np.exp(row - row.max())
        p = e / e.sum()
        dz[n] = (np.diag(p) - np.outer(p, p)) @ g
    return dz.reshape(z.shape)


CORRECT = [delta_fixed, delta_fixed_jacobian]
