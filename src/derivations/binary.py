"""The logistic sigmoid and binary cross-entropy from logits, with its gradient.

Derived in :ref:`sigmoid-bce`: one sigmoid per label for multi-label
problems, the two-class softmax as a sigmoid of the logits' difference, and
the form ``log(1 + e^z) - t z`` that never takes the logarithm of a rounded
probability.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from derivations.validation import as_any_logits, binary_inputs

__all__ = [
    "sigmoid",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "naive_binary_cross_entropy",
    "exact_binary_cross_entropy",
]


def _tail(z):
    """``sigma(-|z|) = e^-|z| / (1 + e^-|z|)``, the smaller of sigma(z) and 1 - sigma(z).

    ``e^-|z|`` lies in (0, 1], so nothing overflows, and the small
    probability is computed directly instead of as 1 minus a number near 1.
    """
    e = np.exp(-np.abs(z))
    return e, e / (1.0 + e)


def _as_result(values, dtype, shape):
    with np.errstate(over="ignore"):  # a sum past float32's range is inf, as it should be
        out = np.asarray(values, dtype=np.float64).astype(dtype).reshape(shape)
    return out[()] if out.ndim == 0 else out


def sigmoid(z: ArrayLike) -> np.floating | np.ndarray:
    """The logistic sigmoid ``1 / (1 + e^-z)``, elementwise, for logits of any sign.

    Derived in :ref:`sigmoid-bce`. The textbook formula overflows ``e^-z``
    for z below about -709 in float64; here only ``e^-|z|``, which lies in
    (0, 1], is ever formed, and the smaller of ``sigma(z)`` and
    ``1 - sigma(z)`` is computed as ``e^-|z| / (1 + e^-|z|)``, so it keeps
    its relative accuracy deep in the tails. A logit of +inf or -inf gives
    exactly 1 or 0; NaN is refused.

    Parameters
    ----------
    z : array_like of float, any shape

    Returns
    -------
    ndarray of z's shape and float type (float64 for integer z), or a
    numpy scalar for a scalar z.

    Examples
    --------
    >>> sigmoid(np.array([0.0, 2.0, -2.0]))
    array([0.5       , 0.88079708, 0.11920292])
    >>> sigmoid(np.array([-1000.0, 1000.0]))   # e^1000 is never formed
    array([0., 1.])
    >>> float(sigmoid(-40.0))                  # e^-40 / (1 + e^-40), every digit right
    4.248354255291589e-18
    """
    z = as_any_logits(z)
    if np.isnan(z).any():
        raise ValueError("z contains NaN; a logit must be a number (+inf and -inf are allowed)")
    zf = z.astype(np.float64)
    _, small = _tail(zf)
    return _as_result(np.where(zf >= 0, 1.0 - small, small), z.dtype, z.shape)


def binary_cross_entropy(z: ArrayLike, t: ArrayLike, *, reduction: str = "mean") -> np.floating | np.ndarray:
    """Binary cross-entropy of ``sigmoid(z)`` against targets ``t``, from logits.

    Follows ``torch.nn.functional.binary_cross_entropy_with_logits``
    (without weights): every entry of ``z`` is an independent yes/no logit,
    and its loss is ``-t log sigma(z) - (1 - t) log(1 - sigma(z))``, which
    :ref:`sigmoid-bce` rewrites as ``log(1 + e^z) - t z`` and computes as

        max(z, 0) - t z + log1p(e^-|z|)

    with the first two terms formed as ``z (1 - t)`` or ``-z t`` (two
    non-negative terms, so nothing cancels and the loss is never negative).
    It is finite and accurate for any finite logit, 1e300 included.

    * ``reduction="mean"``: the mean over every entry (an empty ``z`` gives
      0, where torch gives NaN);
    * ``"sum"``: the sum; ``"none"``: one loss per entry, of z's shape.

    Parameters
    ----------
    z : array_like of float, any shape
        Logits; finite (NaN and infinities are refused).
    t : array_like of float, z's shape
        Targets in [0, 1]: 0 or 1 for hard labels, anything between for soft
        ones. Cast to z's float type.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    numpy scalar of z's float type, or an ndarray of z's shape for
    ``reduction="none"``.

    Examples
    --------
    >>> z = np.array([[0.0, 2.0], [-1.0, 40.0]])
    >>> t = np.array([[1.0, 0.0], [0.5, 0.0]])
    >>> binary_cross_entropy(z, t, reduction="none")   # row 2, column 2: 40 + log1p(e^-40)
    array([[ 0.69314718,  2.12692801],
           [ 0.81326169, 40.        ]])
    >>> float(binary_cross_entropy(z, t))               # their mean
    10.908334...
    >>> float(binary_cross_entropy(np.float32(-1e30), np.float32(1.0)))
    1.0000000150474662e+30
    """
    zf, tf, dtype = binary_inputs(z, t, reduction)
    e, _ = _tail(zf)
    # max(z, 0) - t z, as a product of non-negative factors on each side of 0
    linear = np.where(zf > 0, zf * (1.0 - tf), -zf * tf)
    per_entry = linear + np.log1p(e)
    if reduction == "none":
        return _as_result(per_entry, dtype, zf.shape)
    total = per_entry.sum()
    if reduction == "mean":
        total = total / per_entry.size if per_entry.size else 0.0
    return _as_result(total, dtype, ())


def binary_cross_entropy_grad(z: ArrayLike, t: ArrayLike, *, reduction: str = "mean") -> np.floating | np.ndarray:
    """Gradient of :func:`binary_cross_entropy` with respect to the logits ``z``.

    Derived in :ref:`sigmoid-bce`: ``dL/dz = sigma(z) - t`` for each entry,
    divided by the number of entries for ``reduction="mean"``; ``"sum"`` and
    ``"none"`` both give the gradient of the *sum*, as
    :func:`~derivations.cross_entropy_grad` does. For z >= 0 it is computed
    as ``(1 - t) - sigma(-z)``, so that at a confident, correct logit
    (z = 40, t = 1) the result is ``-4.2e-18`` rather than 0. Every entry
    lies in [-1, 1] before the mean.

    Parameters
    ----------
    z : array_like of float, any shape
    t : array_like of float, z's shape, entries in [0, 1]
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    ndarray of z's shape and float type (a numpy scalar for a scalar z).

    Examples
    --------
    >>> binary_cross_entropy_grad(np.array([0.0, 2.0]), np.array([1.0, 0.0]), reduction="sum")
    array([-0.5       ,  0.88079708])
    >>> binary_cross_entropy_grad(np.array([0.0, 2.0]), np.array([1.0, 0.0]))  # divided by 2
    array([-0.25      ,  0.44039854])
    >>> float(binary_cross_entropy_grad(40.0, 1.0))
    -4.248354255291589e-18
    """
    zf, tf, dtype = binary_inputs(z, t, reduction)
    _, small = _tail(zf)  # sigma(-|z|)
    grad = np.where(zf >= 0, (1.0 - tf) - small, small - tf)
    if reduction == "mean" and grad.size:
        grad = grad / grad.size
    return _as_result(grad, dtype, zf.shape)


def naive_binary_cross_entropy(z, t):
    """The textbook formula, unstable on purpose: the chapter's counterexample.

    ``-t log(p) - (1 - t) log(1 - p)`` with ``p = 1 / (1 + exp(-z))``,
    elementwise, in z's float type, no checks. ``1 - p`` rounds to 0 once
    z passes about 37 in float64 (17 in float32), and then the loss is inf
    (t < 1) or ``0 * -inf = NaN`` (t = 1); see :ref:`sigmoid-bce`. Use
    :func:`binary_cross_entropy`.

    Examples
    --------
    >>> with np.errstate(divide="ignore", invalid="ignore"):
    ...     naive_binary_cross_entropy(np.array([2.0, 40.0, 40.0]), np.array([0.0, 0.0, 1.0]))
    array([2.12692801,        inf,        nan])
    """
    z = np.asarray(z)
    t = np.asarray(t, dtype=z.dtype)
    p = 1 / (1 + np.exp(-z))
    return -t * np.log(p) - (1 - t) * np.log(1 - p)


def exact_binary_cross_entropy(z, t, digits=50):
    """The loss of one logit in ``digits``-digit arithmetic (an mpmath number).

    Used in :ref:`sigmoid-bce`.

    The chapter's yardstick for accuracy: ``t log(1 + e^-z) + (1 - t)
    log(1 + e^z)``, a sum of two non-negative terms (so nothing cancels,
    however small the loss), with the float inputs taken as exact binary
    numbers and every operation carried out with ``digits`` significant
    digits, where no exponent overflows.

    Examples
    --------
    >>> float(exact_binary_cross_entropy(1e300, 0.25))
    7.5e+299
    """
    import mpmath

    with mpmath.workdps(digits):
        zm, tm = mpmath.mpf(float(z)), mpmath.mpf(float(t))
        return +(tm * mpmath.log1p(mpmath.exp(-zm)) + (1 - tm) * mpmath.log1p(mpmath.exp(zm)))
