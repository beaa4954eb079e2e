"""Input checks shared by every public function.

Each check raises a ``TypeError`` (wrong kind of thing) or a ``ValueError``
(right kind, wrong value) whose message names the argument, what was wrong
and what was expected, so that bad input never turns into a silent NaN.
"""

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def as_logits(z, name="z"):
    """Return ``z`` as a float32 or float64 array, or raise.

    Integer logits are promoted to float64; float16 is promoted to float32
    because exp overflows it at z = 12. NaN and +inf are rejected here only
    when cheap; the kernels also catch them through the row maximum they
    compute anyway (see :func:`check_row_max`).
    """
    if isinstance(z, np.ndarray):
        arr = z
    else:
        try:
            arr = np.asarray(z)
        except Exception as exc:  # ragged lists and the like
            raise TypeError(
                f"{name} must be an array of real numbers: {exc}"
            ) from None
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(f"{name} must hold real numbers, not booleans")
    if kind in "iu":
        arr = arr.astype(np.float64)
    elif kind == "f":
        if arr.dtype == np.float16:
            arr = arr.astype(np.float32)
        elif arr.dtype not in (np.float32, np.float64):
            arr = arr.astype(np.float64)
    else:
        raise TypeError(
            f"{name} must hold real numbers (float32 or float64), "
            f"got dtype {arr.dtype}"
        )
    if arr.ndim == 0:
        raise ValueError(f"{name} must have a class axis; got a scalar")
    return arr


def class_axis(arr, axis, name="z"):
    """Normalise ``axis`` and reject an empty class axis."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"axis must be an integer, got {type(axis).__name__}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(
            f"axis {axis} is out of range for {name} "
            f"with {arr.ndim} dimension(s)"
        )
    axis = int(axis) % arr.ndim
    if arr.shape[axis] == 0:
        raise ValueError(
            f"{name} has zero classes along axis {axis}; "
            "softmax needs at least one"
        )
    return axis


def check_row_max(m, name="z"):
    """Reject NaN and +inf from a row maximum that was computed anyway.

    ``np.max`` propagates NaN, and a +inf logit makes the maximum +inf, so
    looking at the (N, 1) maxima finds both at a cost of N, not N * C.
    A maximum of -inf is allowed: it means every class of that row is masked.
    """
    if np.isnan(m).any():
        raise ValueError(
            f"{name} contains NaN; logits must be finite or -inf "
            "(a masked class)"
        )
    if np.isposinf(m).any():
        raise ValueError(
            f"{name} contains +inf; logits must be finite or -inf "
            "(a masked class)"
        )


def check_finite(arr, name):
    """Reject NaN and infinities anywhere in ``arr``."""
    if not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "an infinity"
        raise ValueError(f"{name} contains {bad}; it must be finite")


def as_float_like(x, dtype, name):
    """Return ``x`` as an array of ``dtype`` (the logits' float type), or
    raise.
    """
    arr = np.asarray(x)
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold real numbers, not booleans")
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must hold real numbers, got dtype {arr.dtype}"
        )
    return arr.astype(dtype, copy=False)


def as_targets(t, like, *, non_negative):
    """Float targets of ``like``'s shape and float type, finite, or raise.

    One target weight per class, as the probability-space losses and the
    per-layer gradients of the derivation chapters take them.
    """
    t = as_float_like(t, like.dtype, "t")
    if t.shape != like.shape:
        raise ValueError(
            f"t must have the shape {like.shape} of the predictions "
            f"(one target weight per class), got {t.shape}"
        )
    check_finite(t, "t")
    if non_negative and (t < 0).any():
        raise ValueError(
            "t must be non-negative: cross-entropy weights "
            "log-probabilities by t"
        )
    return t


def check_reduction(reduction):
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(
            f"unknown reduction {reduction!r}; expected one of {REDUCTIONS}"
        )


def check_label_smoothing(eps):
    if (
        isinstance(eps, bool)
        or not isinstance(eps, (int, float, np.floating, np.integer))
    ):
        raise TypeError(
            "label_smoothing must be a number in [0, 1], "
            f"got {type(eps).__name__}"
        )
    if not 0.0 <= float(eps) <= 1.0:  # also rejects NaN
        raise ValueError(f"label_smoothing must lie in [0, 1], got {eps}")
    return float(eps)
