"""Softmax, log-softmax, the softmax Jacobian and its vector-Jacobian
product.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from derivations.kernels import masked_row_shift, new_array, softmax_vjp_rows
from derivations.validation import as_logits, check_out, check_row_max, class_axis, vjp_inputs


def _shifted(z, axis):
    """Return ``(z - m, m)`` with ``m`` the row maximum, masked rows made safe.

    Subtracting the maximum leaves softmax unchanged (it cancels between
    numerator and denominator) and makes every exponent <= 0, so exp cannot
    overflow. A row whose classes are all -inf has maximum -inf, and
    -inf - (-inf) is NaN; shifting such a row by 0 instead keeps it at -inf.
    """
    m = np.max(z, axis=axis, keepdims=True)
    check_row_max(m)
    m = masked_row_shift(m)
    return z - m, m


def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``: ``p_i = exp(z_i) / sum_j exp(z_j)``.

    Stable for any finite logits (the row maximum is subtracted first).
    A logit of -inf masks its class, which gets probability exactly 0.
    A row whose classes are *all* -inf has no probability mass to share:
    its result is a row of zeros, not NaN.

    Derived in :ref:`quotient-rule`; overflow is discussed in
    :ref:`numerical-stability`.

    Parameters
    ----------
    z : array_like of float, shape (..., C, ...)
        Logits. NaN and +inf are rejected; -inf is a mask.
    axis : int
        The class axis.

    Returns
    -------
    ndarray
        Probabilities with ``z``'s shape and float type (float32 or float64).

    Examples
    --------
    >>> softmax(np.array([0.0, np.log(3.0)]))
    array([0.25, 0.75])
    >>> softmax(np.array([1000.0, 1000.0]))       # no overflow
    array([0.5, 0.5])
    >>> softmax(np.array([0.0, -np.inf]))         # -inf masks a class
    array([1., 0.])
    """
    z = as_logits(z)
    axis = class_axis(z, axis)
    zs, _ = _shifted(z, axis)
    e = np.exp(zs)
    s = np.sum(e, axis=axis, keepdims=True)
    s[s == 0] = 1  # only a fully masked row sums to 0; it stays all zeros
    e /= s
    return e


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """Log of the softmax along ``axis``, computed by log-sum-exp.

    ``log p_i = z_i - m - log(sum_j exp(z_j - m))`` with ``m = max_j z_j``.
    Unlike ``np.log(softmax(z))`` it stays finite when a probability
    underflows to 0 (for example ``z = [0, -800]``). A masked class (-inf
    logit) gets -inf, and so does every class of a fully masked row.

    Derived in :ref:`kronecker-delta`; compared with ``log(softmax)`` in
    :ref:`numerical-stability`.

    Parameters
    ----------
    z : array_like of float
        Logits. NaN and +inf are rejected; -inf is a mask.
    axis : int
        The class axis.

    Returns
    -------
    ndarray
        Log-probabilities, ``z``'s shape and float type.

    Examples
    --------
    >>> log_softmax(np.array([0.0, -800.0]))
    array([   0., -800.])
    >>> round(float(np.exp(log_softmax(np.array([1.0, 2.0, 3.0]))).sum()), 12)
    1.0
    """
    z = as_logits(z)
    axis = class_axis(z, axis)
    zs, _ = _shifted(z, axis)
    s = np.sum(np.exp(zs), axis=axis, keepdims=True)
    with np.errstate(divide="ignore"):
        lse = np.log(s)
    # fully masked row: keep its -inf entries, not NaN
    lse[np.isneginf(lse)] = 0
    zs -= lse
    return zs


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """The softmax Jacobian
    ``J[..., i, j] = dp_i / dz_j = p_i (delta_ij - p_j)``.

    In matrix form ``J = diag(p) - p p^T``: symmetric, every row and column
    sums to 0 (the probabilities always sum to 1), and positive
    semidefinite. It costs O(C^2) memory per row; prefer
    :func:`softmax_backward` in a backward pass.

    Derived in :ref:`quotient-rule` (the i = j and i != j cases) and
    :ref:`matrix-form`.

    Parameters
    ----------
    z : array_like of float, shape (..., C)
        Logits, classes on the last axis.

    Returns
    -------
    ndarray, shape (..., C, C)

    Examples
    --------
    >>> J = softmax_jacobian(np.array([0.0, 0.0]))
    >>> J
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> softmax_jacobian(np.zeros((4, 3))).shape
    (4, 3, 3)
    """
    p = softmax(z, axis=-1)
    # -p_i p_j everywhere, then add p_i on the diagonal: the i = j case
    J = -p[..., :, None] * p[..., None, :]
    i = np.arange(p.shape[-1])
    J[..., i, i] += p
    return J


def softmax_backward(p: ArrayLike, dp: ArrayLike, axis: int = -1, *, out: np.ndarray | None = None) -> np.ndarray:
    """Vector-Jacobian product of softmax, for any loss above it.

    Given ``p = softmax(z)`` and the upstream gradient ``dp = dL/dp`` from
    *any* loss, returns ``dL/dz = J^T dp = p * (dp - <p, dp>)``, row by row,
    in O(C) time and memory per row: the C x C Jacobian is never formed.

    Derived in :ref:`loss-independent-backward`.

    Parameters
    ----------
    p : array_like of float
        Softmax output (the forward pass's result, not the logits).
    dp : array_like of float, same shape as ``p``
        Upstream gradient. It must be finite.
    axis : int
        The class axis.
    out : ndarray, optional
        Where to write ``dz``: ``p``'s shape and float type, sharing no
        memory with ``p`` or ``dp``. Without it the result goes into memory
        that an earlier, dropped result gave back where there is one, and
        into fresh memory otherwise, which the operating system must first
        zero-fill (:ref:`what-it-costs`).

    Returns
    -------
    ndarray
        ``dz``, the shape and float type of ``p`` (``out`` if given).

    Examples
    --------
    >>> softmax_backward(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    array([ 0.25, -0.25])
    >>> p = softmax(np.array([0.3, -1.2, 2.0]))
    >>> dp = np.array([0.7, 0.1, -0.4])
    >>> J = softmax_jacobian(np.array([0.3, -1.2, 2.0]))
    >>> bool(np.allclose(softmax_backward(p, dp), J.T @ dp))
    True
    """
    p, dp, axis = vjp_inputs(p, dp, axis)
    check_out(out, p.shape, p.dtype, (p, dp))
    # classes on the last axis, as rows of a contiguous (M, C) array
    p2 = np.ascontiguousarray(np.moveaxis(p, axis, -1))
    dp2 = np.ascontiguousarray(np.moveaxis(dp, axis, -1))
    direct = out is not None and axis == p.ndim - 1 and out.flags.c_contiguous
    dz2 = out if direct else new_array(p2.shape, p2.dtype)  # memory of a dropped result, if any
    C = p2.shape[-1]
    # bad values are refused just below
    with np.errstate(invalid="ignore", over="ignore"):
        # dz = p * (dp - <p, dp>): <p, dp> is the only coupling between
        # classes. Computed in place, a few rows at a time (see
        # :ref:`what-it-costs`).
        dot = softmax_vjp_rows(
            p2.reshape(-1, C), dp2.reshape(-1, C), dz2.reshape(-1, C)
        )
    if not np.isfinite(dot).all():
        # a NaN or infinity in p or dp reaches the row's dot product
        raise ValueError("p and dp must be finite (found NaN or an infinity)")
    if direct:
        return out
    dz = np.moveaxis(dz2, -1, axis)
    if out is None:
        return dz
    out[...] = dz
    return out
