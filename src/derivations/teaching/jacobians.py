"""The softmax Jacobian written out: loops, ``diag(p) - p p^T``, batched.

These are the teaching versions from :ref:`loss-independent-backward`. They
take the *probabilities* ``p = softmax(z)``, because the Jacobian is a
function of ``p`` alone. A backward pass should use
:func:`derivations.softmax_backward`, which never forms the C x C matrix;
the functions here exist to show what that product stands for, and to be
measured against it.
"""

import numpy as np

from derivations.kernels import masked_row_shift
from derivations.validation import (
    as_logits,
    as_probabilities,
    check_finite,
    check_row_max,
    class_axis,
    upstream_like,
)


def jacobian_loops(p):
    """The softmax Jacobian by two explicit loops over its entries.

    ``J[i, j] = dp_i / dz_j`` is ``p_i (1 - p_i)`` on the diagonal (i = j:
    z_i sits in the numerator and the denominator) and ``-p_i p_j`` off it
    (i != j: z_j sits only in the denominator). Written entry by entry to
    mirror those two cases; O(C^2) Python steps, so for small C only.

    Derived in :ref:`quotient-rule`; used in :ref:`loss-independent-backward`.

    Parameters
    ----------
    p : array_like of float, shape (C,)
        Probabilities, ``softmax(z)``.

    Returns
    -------
    ndarray, shape (C, C), ``p``'s float type

    Examples
    --------
    >>> jacobian_loops(np.array([0.25, 0.75]))
    array([[ 0.1875, -0.1875],
           [-0.1875,  0.1875]])
    """
    p = as_probabilities(p, ndim=1)
    C = p.shape[0]
    J = np.empty((C, C), dtype=p.dtype)
    for i in range(C):
        for j in range(C):
            if i == j:
                J[i, j] = p[i] * (1 - p[i])
            else:
                J[i, j] = -p[i] * p[j]
    return J


def jacobian_vectorized(p):
    """The softmax Jacobian as one matrix expression, ``diag(p) - p p^T``.

    The Kronecker delta in ``p_i (delta_ij - p_j)`` becomes ``diag(p)``,
    and the product ``p_i p_j`` becomes the outer product ``p p^T``.

    Derived in :ref:`matrix-form`; compared with the loops in
    :ref:`loss-independent-backward`.

    Parameters
    ----------
    p : array_like of float, shape (C,)
        Probabilities, ``softmax(z)``.

    Returns
    -------
    ndarray, shape (C, C), ``p``'s float type

    Examples
    --------
    >>> jacobian_vectorized(np.array([0.5, 0.5]))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> p = np.array([0.1, 0.2, 0.7])
    >>> bool(np.allclose(jacobian_vectorized(p), jacobian_loops(p)))
    True
    """
    p = as_probabilities(p, ndim=1)
    return np.diag(p) - np.outer(p, p)


def jacobian_batched(P):
    """One softmax Jacobian per row of a batch, shape (N, C, C), by einsum.

    ``J[n, i, j] = P[n, i] delta_ij - P[n, i] P[n, j]``: the first einsum
    spreads each row over the diagonal of an identity, the second forms each
    row's outer product. Memory grows as N C^2, which is why a backward pass
    never builds this.

    Used in :ref:`loss-independent-backward` and :ref:`fused-vs-separate`.

    Parameters
    ----------
    P : array_like of float, shape (N, C)
        One probability vector per row.

    Returns
    -------
    ndarray, shape (N, C, C), ``P``'s float type

    Examples
    --------
    >>> J = jacobian_batched(np.array([[0.5, 0.5], [1.0, 0.0]]))
    >>> J.shape
    (2, 2, 2)
    >>> J[0]
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> J[1]                     # a certain prediction cannot move: J = 0
    array([[0., 0.],
           [0., 0.]])
    """
    P = as_probabilities(P, ndim=2, name="P")
    eye = np.eye(P.shape[1], dtype=P.dtype)
    return np.einsum("ni,ij->nij", P, eye) - np.einsum("ni,nj->nij", P, P)


def jvp_batched(P, dP):
    """Backward through softmax by a per-row product with the full Jacobian.

    ``dz[n, j] = sum_i J[n, i, j] dP[n, i]``, i.e. ``J^T dp`` for every row,
    with ``J`` from :func:`jacobian_batched`. (The softmax Jacobian is
    symmetric, so ``J^T dp = J dp``; the index order above is the one the
    chain rule gives.) It equals :func:`derivations.softmax_backward` but
    costs O(N C^2) time and memory instead of O(N C).

    Derived in :ref:`loss-independent-backward`; it is also the repair of
    the separate softmax node in :ref:`separate-node-bug`.

    Parameters
    ----------
    P : array_like of float, shape (N, C)
        Softmax outputs.
    dP : array_like of float, shape (N, C)
        Upstream gradient ``dL/dp``; must be finite.

    Returns
    -------
    ndarray, shape (N, C), ``P``'s float type

    Examples
    --------
    >>> P = np.array([[0.5, 0.5]])
    >>> jvp_batched(P, np.array([[1.0, 0.0]]))
    array([[ 0.25, -0.25]])
    """
    P = as_probabilities(P, ndim=2, name="P")
    dP = upstream_like(dP, P, ("P", "dP"))
    check_finite(dP, "dP")
    return np.einsum("nij,ni->nj", jacobian_batched(P), dP)


def elementwise_delta(z):
    """The elementwise softmax "derivative" from the Stack Overflow question.

    ``1 / (2 + e/o + o/e)`` with ``e = exp(z_i)`` and
    ``o = sum_j exp(z_j) - e``, the sum of the *other* exponentials.
    Since ``e/o = p/(1-p)``, this is ``p (1-p)``: exactly the diagonal of
    the Jacobian, and nothing of its off-diagonal ``-p_i p_j``. Multiplying
    an upstream gradient by it elementwise is the wrong backward pass shown
    in :ref:`loss-independent-backward`.

    Here ``z`` is shifted by its row maximum first (the ratios do not change)
    so that ``exp`` cannot overflow. Where ``e`` or ``o`` is 0 (a masked
    class, or a class holding all the probability) the limit, 0, is returned
    instead of a division by zero.

    Parameters
    ----------
    z : array_like of float, shape (..., C)
        Logits, classes on the last axis. NaN and +inf are rejected.

    Returns
    -------
    ndarray, ``z``'s shape and float type

    Examples
    --------
    >>> elementwise_delta(np.array([0.0, np.log(3.0)]))       # p = [1/4, 3/4]
    array([0.1875, 0.1875])
    >>> np.diag(jacobian_vectorized(np.array([0.25, 0.75])))
    array([0.1875, 0.1875])
    """
    z = as_logits(z)
    class_axis(z, -1)
    m = np.max(z, axis=-1, keepdims=True)
    check_row_max(m)
    m = masked_row_shift(m)  # a fully masked row is not shifted: -inf - -inf is NaN
    e = np.exp(z - m)
    o = e.sum(axis=-1, keepdims=True) - e
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = 1 / (2 + e / o + o / e)
    # p = 0 (e = 0) or p = 1 (o = 0): the formula divides by 0; p (1 - p) = 0
    delta[(e == 0) | (o == 0)] = 0
    return delta
