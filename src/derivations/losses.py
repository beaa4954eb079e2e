"""Cross-entropy on logits and its gradient, with the semantics of
``torch.nn.functional.cross_entropy``.

Both public functions reduce every kind of target to one (N, C) array of
*target weights* ``a``: ``a[n, c] = weight[c] * t'[n, c]``, where ``t'`` is the
(label-smoothed) target distribution of row n, one-hot or soft. Then

* the loss of row n is ``-sum_c a[n, c] * log p[n, c]``, and
* its gradient is ``p[n] * sum_c a[n, c] - a[n]``,

which is ``p - t`` only when the row's target weights sum to 1. The
derivation is in :ref:`kronecker-delta` and :ref:`beyond-one-hot`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from derivations.kernels import ClassTargets, cross_entropy_rows, new_array
from derivations.validation import (
    as_array,
    as_logits,
    cast,
    check_ignore_index,
    check_label_smoothing,
    check_out,
    check_reduction,
    class_labels,
    class_weights,
    real_kind,
)


def _prepare(z, target, weight, ignore_index, reduction, label_smoothing):
    """Validate the arguments; return ``(z2, a, norm, squeeze)``.

    ``z2`` is the logits as (N, C); ``a`` the (N, C) target weights, or
    for integer targets without smoothing the same kept sparse
    (:class:`ClassTargets`);
    ``norm`` the divisor of the "mean" reduction; ``squeeze`` whether the
    caller passed a single row of shape (C,).
    """
    z = as_logits(z)
    if z.ndim not in (1, 2):
        raise ValueError(
            f"z must have shape (C,) or (N, C), got shape {z.shape}"
        )
    if z.shape[-1] == 0:
        raise ValueError(
            "z has zero classes; cross-entropy needs at least one class"
        )
    check_reduction(reduction)
    eps = check_label_smoothing(label_smoothing)
    squeeze = z.ndim == 1
    z2 = z[None, :] if squeeze else z
    N, C = z2.shape

    w = class_weights(weight, C, z.dtype)
    ignore_index = check_ignore_index(ignore_index)

    t = as_array(target, "target")
    real_kind(t, "target", "class indices (integers) or probabilities (floats)")
    if t.dtype.kind in "iu":
        want = () if squeeze else (N,)
        if t.shape != want:
            raise ValueError(
                f"integer class targets for z of shape {z.shape} "
                f"must have shape {want}, "
                f"got {t.shape}; pass floats for class-probability targets"
            )
        y, ignored = class_labels(t, N, C, ignore_index)
        rows = np.flatnonzero(~ignored)
        # torch's weighted mean: divide by the summed weight of the target
        # classes
        norm = float(w[y[rows]].sum())
        if not eps:
            # one weighted class per row: keep those N entries, not an (N, C)
            # array of zeros (:ref:`what-it-costs`)
            return (
                z2,
                ClassTargets(y, np.where(ignored, 0, w[y])),
                norm,
                squeeze,
            )
        a = np.zeros((N, C), dtype=z.dtype)
        a[rows, y[rows]] = 1 - eps
        a[rows] += eps / C
        a *= w
    elif t.dtype.kind == "f":
        if ignore_index != -100:
            # there is no class index to compare with a probability row
            # (torch refuses ignore_index >= 0 here and quietly drops a
            # negative one; refusing every non-default value is clearer)
            raise ValueError(
                "ignore_index applies to integer class targets only, "
                "not to probability targets"
            )
        if t.shape != z.shape:
            raise ValueError(
                f"probability targets must have z's shape {z.shape}, "
                f"got {t.shape}"
            )
        t2 = cast(t.reshape(N, C), z.dtype, "probability targets")
        if np.isnan(t2).any():
            raise ValueError("probability targets contain NaN")
        if np.isinf(t2).any():
            raise ValueError(
                "probability targets contain an infinity; they must be finite"
            )
        if (t2 < 0).any():
            raise ValueError(
                f"probability targets must be non-negative, got {t2[t2 < 0][0]}"
            )
        # a fresh array: the caller's targets are never scaled in place
        a = (1 - eps) * t2 + eps / C if eps else t2.copy()
        a *= w
        # torch divides soft-target losses by N, whatever the weights
        norm = float(N)
    else:
        raise TypeError(
            "target must be integer class indices or float probabilities, "
            f"got dtype {t.dtype}"
        )
    return z2, a, norm, squeeze


def cross_entropy(
    z: ArrayLike,
    target: ArrayLike,
    *,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> np.floating | np.ndarray:
    """Cross-entropy of softmax(z) against ``target``, computed from logits.

    Follows ``torch.nn.functional.cross_entropy`` for ``z`` of shape (C,) or
    (N, C). Row n's loss is ``-sum_c a[n, c] log p[n, c]`` with
    ``p = softmax(z[n])`` and target weights ``a = weight * t'``, where ``t'``
    is the one-hot (integer ``target``) or given (float ``target``)
    distribution, smoothed to ``(1 - eps) t + eps / C``.

    * ``reduction="mean"``: for integer targets, the sum divided by the summed
      ``weight`` of the non-ignored targets (the count when ``weight`` is
      None); for probability targets, divided by N. If that divisor is 0
      (every target ignored, or the targets' class weights all 0) there is
      nothing to average: the mean is 0 and so is its gradient (torch gives
      NaN).
    * ``"sum"``: the sum; ``"none"``: one loss per row (0 for ignored rows).

    A class whose logit is -inf is masked: it contributes nothing while its
    target weight is 0, and makes the loss +inf if the target puts weight on
    it (``-log 0``). A fully masked row is therefore +inf unless its target
    weights are all 0 (an ignored row), when it is 0.

    Derived in :ref:`kronecker-delta`; options in :ref:`beyond-one-hot`.

    Parameters
    ----------
    z : array_like of float, shape (C,) or (N, C)
    target : int array of shape () or (N,), or float array of z's shape
        Class indices, or class probabilities (non-negative; rows need not
        sum to 1).
    weight : array_like of float, shape (C,), optional
        Non-negative, finite class weights (a negative weight is refused:
        it would make the loss negative, and torch then returns a loss
        whose mean divides by a sum that can vanish).
    ignore_index : int
        Integer targets equal to this are skipped. A Python or numpy
        integer; a bool, float or None is refused rather than compared.
    reduction : {"mean", "sum", "none"}
    label_smoothing : float in [0, 1]

    Returns
    -------
    numpy scalar, or ndarray of shape (N,) for ``reduction="none"``.

    Examples
    --------
    >>> z = np.array([[0.0, 0.0], [0.0, np.log(3.0)]])
    >>> float(cross_entropy(z, np.array([0, 1])))  # (log 2 + log 4/3) / 2
    0.490414...
    >>> cross_entropy(z, np.array([0, 1]), reduction="none")
    array([0.693..., 0.287...])
    >>> float(cross_entropy(np.array([2.0, 1.0]), np.array([0.5, 0.5])))
    0.813...
    """
    z2, a, norm, squeeze = _prepare(
        z, target, weight, ignore_index, reduction, label_smoothing
    )
    # sum_c a (log-sum-exp - z) per row, a few rows at a time, never forming p
    per_row = cross_entropy_rows(z2, a, 1.0, grad=None)
    return _reduce(per_row, z2.dtype, reduction, norm, squeeze)


def cross_entropy_grad(
    z: ArrayLike,
    target: ArrayLike,
    *,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> np.ndarray:
    """Gradient of :func:`cross_entropy` with respect to the logits ``z``.

    Row n's gradient is ``p[n] * sum_c a[n, c] - a[n]``: with one-hot or
    normalised targets (``sum_c a = 1``) this is the familiar ``p - t``;
    with soft targets that do not sum to 1 it is ``p * sum(t) - t``.
    ``reduction="mean"`` divides by the same normaliser as the loss;
    ``"sum"`` and ``"none"`` both give the gradient of the *sum* of the
    per-row losses. The gradient at a masked (-inf) logit is exactly 0,
    and a fully masked row has gradient 0.

    Derived in :ref:`kronecker-delta`, fused in :ref:`fused-vs-separate`.

    Parameters
    ----------
    z, target, weight, ignore_index, reduction, label_smoothing
        As for :func:`cross_entropy`.

    Returns
    -------
    ndarray
        ``dL/dz``, with ``z``'s shape and float type.

    Examples
    --------
    >>> z = np.array([0.0, np.log(3.0)])
    >>> cross_entropy_grad(z, np.array(1))                 # p - onehot
    array([ 0.25, -0.25])
    >>> cross_entropy_grad(z, np.array([0.0, 2.0]))        # p * 2 - t
    array([ 0.5, -0.5])
    """
    return cross_entropy_with_grad(
        z,
        target,
        weight=weight,
        ignore_index=ignore_index,
        reduction=reduction,
        label_smoothing=label_smoothing,
    )[1]


def cross_entropy_with_grad(
    z: ArrayLike,
    target: ArrayLike,
    *,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
    out: np.ndarray | None = None,
) -> tuple[np.floating | np.ndarray, np.ndarray]:
    """:func:`cross_entropy` and :func:`cross_entropy_grad` in one pass
    over ``z``.

    The exponentials that the loss needs are the probabilities that the
    gradient needs, so computing both together costs little more than either.
    A training step should call this, not the two functions one after the
    other. How it is made fast, and how fast, is in :ref:`what-it-costs`.

    Parameters
    ----------
    z, target, weight, ignore_index, reduction, label_smoothing
        As for :func:`cross_entropy`.
    out : ndarray, optional
        Where to write ``dz``: ``z``'s shape and float type (float64 for
        integer logits), sharing no memory with ``z``. Without it the
        gradient goes into memory that an earlier, dropped result gave back
        where there is one, and into fresh memory otherwise, which the
        operating system must first zero-fill (:ref:`what-it-costs`).

    Returns
    -------
    loss : numpy scalar, or ndarray of shape (N,) for ``reduction="none"``
    dz : ndarray, ``z``'s shape and float type (``out`` if given)

    Examples
    --------
    >>> z = np.array([[0.0, np.log(3.0)]])
    >>> loss, dz = cross_entropy_with_grad(z, np.array([1]))
    >>> float(loss)                                     # -log(3/4)
    0.2876...
    >>> dz                                              # p - onehot
    array([[ 0.25, -0.25]])
    """
    z2, a, norm, squeeze = _prepare(
        z, target, weight, ignore_index, reduction, label_smoothing
    )
    if reduction == "mean":
        # nothing to average: the mean is the constant 0
        scale = 1.0 / norm if norm else 0.0
    else:
        scale = 1.0  # "sum", and "none" too: the gradient of the summed losses
    shape = z2.shape[1:] if squeeze else z2.shape
    check_out(out, shape, z2.dtype, (z2,))
    direct = out is not None and out.flags.c_contiguous
    g = out.reshape(z2.shape) if direct else new_array(z2.shape, z2.dtype)
    # row by row: p * sum_c a - a, times scale; a masked (-inf) logit gets
    # exactly 0
    per_row = cross_entropy_rows(z2, a, scale, grad=g)
    loss = _reduce(per_row, z2.dtype, reduction, norm, squeeze)
    if out is None:
        return loss, g.reshape(shape)
    if not direct:
        out[...] = g.reshape(shape)
    return loss, out


def _reduce(per_row, dtype, reduction, norm, squeeze):
    """Apply ``reduction`` to the (N,) float64 row losses; return ``dtype``."""
    if reduction == "none":
        per_row = per_row.astype(dtype)
        return per_row[0] if squeeze else per_row
    total = per_row.sum()
    if reduction == "mean":
        total = total / norm if norm else 0.0
    return dtype.type(total)
