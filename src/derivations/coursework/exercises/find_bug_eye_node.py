"""Find-the-bug exercise of chapter 13 (:ref:`mistakes`): the separate softmax node built with ``np.eye``.

The learner starts from :func:`softmax_node_backward`, the backward pass of
a separate softmax node whose identity has the size of the batch, and must
turn it into one vector-Jacobian product per row.
"""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.softmax import softmax, softmax_backward

ID = "find_bug_eye_node"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "elementwise-jacobian",
        "Jacobian applied elementwise",
        r"Each example's Jacobian $p_i(\delta_{ij} - p_j)$ is a $C \times C$ matrix, applied to that "
        r"example's row of $dp$ by a matrix product, $dz_i = p_i (dp_i - \sum_j p_j dp_j)$; multiplied "
        r"elementwise with the $(N, C)$ gradient it gives the wrong shape, or wrong numbers when $N = C$.",
        "separate-node-bug",
    ),
]


def cases(rng):
    """Softmax rows ``p`` and upstream gradients ``dp``, both (N, C).

    The batch sizes are chosen for this bug: N = 1 (the identity broadcasts
    and the node is silently diagonal-only), N = C and N = C = 10 (it runs
    and gives wrong numbers), N > 1 with N != C (numpy refuses). Also C = 1,
    C = 2, more than 8 classes, saturated rows, float32.
    """
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))
    two = 3 if N == 2 else N

    def pair(shape, z=None):
        z = inp.logits(rng, shape) if z is None else z
        return softmax(z), rng.normal(0.0, 1.0, shape)

    return [
        Case(f"random p and dp, N={N}, C={C}", pair((N, C))),
        Case(f"a square batch, N = C = {k}", pair((k, k))),
        Case("ten examples of ten classes, N = C = 10", pair((10, 10))),
        Case(f"one example, N = 1, C={C}", pair((1, C))),
        Case(f"one class, C = 1, N={N}", pair((N, 1))),
        Case(f"two classes, C = 2, N={two}", pair((two, 2))),
        Case(f"many classes, C={M}, N={N}", pair((N, M))),
        Case(f"saturated p (exact 0s and near-1s), N={N}, C={C}", pair((N, C), inp.large_logits(rng, (N, C)))),
        Case(f"float32 p and dp, N={N}, C={C}", inp.f32(*pair((N, C)))),
    ]


def reference(p, dp):
    return (softmax_backward(*inp.as_float64(p, dp)),)


# The code the learner starts from: chapter 13 shows exactly this function.
@wrong(ID, "batch-size-eye")
def softmax_node_backward(p, dp):
    g = p * (np.eye(p.shape[0]) - p)   # p_i (delta_ij - p_j)
    return dp * g


@wrong(ID, "elementwise-jacobian")
def node_eye_of_classes(p, dp):
    """The identity of the right size, C x C, still multiplied elementwise."""
    return dp * (p * (np.eye(p.shape[1]) - p))


@wrong(ID, "diagonal-only-jacobian")
def node_diagonal_only(p, dp):
    """dp * p (1 - p): what the buggy node computes when N = 1, for every N."""
    return dp * p * (1 - p)


@wrong(ID, "double-batch-mean")
def node_divides_by_batch(p, dp):
    """The right product, divided by N again: the loss node above already did."""
    return p * (dp - np.sum(p * dp, axis=1, keepdims=True)) / p.shape[0]


@wrong(ID, "missing-keepdims")
def node_dot_no_keepdims(p, dp):
    """<p, dp> of shape (N,) subtracted from (N, C)."""
    return p * (dp - np.sum(p * dp, axis=1))


EXERCISE = Exercise(
    ID, "my_softmax_node_backward", "mistakes",
    "my_softmax_node_backward(p, dp), softmax rows p and upstream gradient dp, both (N, C) -> dz (N, C)",
    ("dz",), cases, reference, starts_from=softmax_node_backward,
    passed_message="The node gives the right gradient for every batch size, N = 1 and N = C included.",
    position=2,  # the order chapter 13 poses them in
)


def node_fixed(p, dp):
    """A learner's fix: each row's Jacobian applied to its own dp, as p * (dp - <p, dp>)."""
    return p * (dp - np.sum(p * dp, axis=1, keepdims=True))


def node_fixed_einsum(p, dp):
    """A learner's fix that keeps the Jacobian: (N, C, C) from np.eye(C), then a batched product."""
    C = p.shape[1]
    J = p[:, :, None] * (np.eye(C) - p[:, None, :])
    return np.einsum("nij,nj->ni", J, dp)


CORRECT = [node_fixed, node_fixed_einsum]
