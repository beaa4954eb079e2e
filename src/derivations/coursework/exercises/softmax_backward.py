"""Exercise of chapter 6: ``my_softmax_backward(p, dp)``, the vector-Jacobian product of softmax.

Posed in :ref:`loss-independent-backward`.
"""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.softmax import softmax, softmax_backward

ID = "softmax_backward"


def cases(rng):
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))

    def pair(shape, z=None):
        z = inp.logits(rng, shape) if z is None else z
        return softmax(z), rng.normal(0.0, 1.0, shape)

    return [
        Case(f"random p and dp, N={N}, C={C}", pair((N, C))),
        Case(f"a square batch, N = C = {k}", pair((k, k))),
        Case(f"one example, N = 1, C={C}", pair((1, C))),
        Case(f"one class, C = 1, N={N}", pair((N, 1))),
        Case(f"two classes, C = 2, N={N}", pair((N, 2))),
        Case(f"many classes, C={M}, N={N}", pair((N, M))),
        Case(f"p from logits all near -800, N={N}, C={C}", pair((N, C), inp.far_negative(rng, (N, C)))),
        Case(f"saturated p (exact 0s and near-1s), N={N}, C={C}", pair((N, C), inp.large_logits(rng, (N, C)))),
        Case(f"float32 p and dp, N={N}, C={C}", inp.f32(*pair((N, C)))),
    ]


def reference(p, dp):
    return (softmax_backward(*inp.as_float64(p, dp)),)


@wrong(ID, "diagonal-only-jacobian")
def backward_diagonal_only(p, dp):
    """dp * p (1 - p): the elementwise 'derivative'."""
    return dp * p * (1 - p)


@wrong(ID, "batch-size-eye")
def backward_batch_size_eye(p, dp):
    """p (delta - p) with the identity built from the batch size."""
    return dp * p * (np.eye(p.shape[0]) - p)


@wrong(ID, "wrong-axis")
def backward_over_batch(p, dp):
    """<p, dp> summed over the batch instead of the classes."""
    return p * (dp - np.sum(p * dp, axis=0, keepdims=True))


@wrong(ID, "missing-keepdims")
def backward_no_keepdims(p, dp):
    """<p, dp> of shape (N,) subtracted from (N, C)."""
    return p * (dp - np.sum(p * dp, axis=-1))


EXERCISE = Exercise(
    ID, "my_softmax_backward", "loss-independent-backward",
    "my_softmax_backward(p, dp), both (N, C) -> dz (N, C)", ("dz",), cases, reference,
)


def backward_per_row_jacobian(p, dp):
    """A learner's backward pass: build each row's Jacobian and multiply."""
    p, dp = np.asarray(p, dtype=float), np.asarray(dp, dtype=float)
    dz = np.zeros_like(p)
    for n in range(p.shape[0]):
        J = np.diag(p[n]) - np.outer(p[n], p[n])
        dz[n] = J @ dp[n]  # J is symmetric
    return dz


CORRECT = [backward_per_row_jacobian]
