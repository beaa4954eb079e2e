"""Input checks shared by every public function.

Each check raises a ``TypeError`` (wrong kind of thing) or a ``ValueError``
(right kind, wrong value) whose message names the argument, the value
given and what was expected, so that bad input never turns into a silent
NaN. The public functions of :mod:`derivations` and the explorers' traits
call these and nothing else.
"""

import math
import numbers
import reprlib as _reprlib

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def as_array(x, name):
    """Return ``x`` as a plain ndarray, or raise ``TypeError``.

    Used in :ref:`numerical-stability`.

    ``np.matrix`` is turned into the ndarray it holds (its ``*`` and its
    always-2-D shape would change the formulas). A masked array is refused:
    numpy's functions would silently use the hidden values. The way to mask
    a class is a logit of -inf.

    Examples
    --------
    >>> as_array(np.ma.masked_array([1.0, 2.0], mask=[0, 1]), "z")
    Traceback (most recent call last):
    ...
    TypeError: z is a masked array; pass a plain array (mask a class with a logit of -inf, or use z.filled(...))
    """
    if type(x) is np.ndarray:
        return x
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array; pass a plain array (mask a class "
            f"with a logit of -inf, or use {name}.filled(...))"
        )
    try:
        return np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None


def real_kind(arr, name, what="real numbers"):
    """Reject booleans, complex numbers, strings and objects in ``arr``.

    Used in :ref:`numerical-stability`.
    """
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(f"{name} must hold {what}, not booleans")
    if kind not in "iuf":
        raise TypeError(f"{name} must hold {what}, got dtype {arr.dtype}")


def cast(arr, dtype, name):
    """``arr`` as ``dtype``, refusing finite values that the cast overflows.

    Used in :ref:`numerical-stability`.

    float64 values above 3.4e38 become inf in float32; that is the user's
    finite number exceeding the float type, not an infinity they passed.
    """
    with np.errstate(over="ignore"):  # reported below, in the user's terms
        out = arr.astype(dtype, copy=False)
    if out is not arr and arr.dtype.kind in "iuf" and out.dtype.itemsize < arr.dtype.itemsize:
        with np.errstate(invalid="ignore", over="ignore"):
            lost = np.isinf(out) & np.isfinite(arr)
        if lost.any():
            big = arr[lost].flat[0]
            raise ValueError(
                f"{name}: the value {big:.3g} overflows {np.dtype(dtype)}, "
                f"the logits' float type (largest {np.finfo(dtype).max:.3g}); "
                f"pass float64 logits, or scale {name} down"
            )
    return out


def as_logits(z, name="z"):
    """Return ``z`` as a float32 or float64 array, or raise.

    Used in :ref:`numerical-stability`.

    Integer logits are promoted to float64; float16 is promoted to float32
    because exp overflows it at z = 12. NaN and +inf are rejected here only
    when cheap; the kernels also catch them through the row maximum they
    compute anyway (see :func:`check_row_max`).
    """
    arr = as_array(z, name)
    real_kind(arr, name)
    if arr.dtype.kind in "iu":
        arr = arr.astype(np.float64)
    elif arr.dtype == np.float16:
        arr = arr.astype(np.float32)
    elif arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)  # longdouble: the kernels work in float64
    if arr.ndim == 0:
        raise ValueError(f"{name} must have a class axis; got a scalar")
    return arr


def refuse_kind(value, name, what, kinds, error=TypeError):
    """Raise ``error`` ("``name`` must be ``what``, got ...") unless ``value`` is
    an instance of ``kinds``; a bool never passes, since True would silently
    be 1. The one type check of a number argument (:ref:`gradient-checking`).

    Examples
    --------
    >>> refuse_kind(3, "steps", "an integer", int)
    >>> refuse_kind(True, "steps", "an integer", (int, np.integer))
    Traceback (most recent call last):
    ...
    TypeError: steps must be an integer, got bool True
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kinds):
        raise error(f"{name} must be {what}, got {type(value).__name__} {shown(value)}")


def as_any_logits(z, name="z"):
    """``z`` as a float32 or float64 array of any shape, a scalar included
    (one independent logit per entry, as :ref:`sigmoid-bce` takes them).

    Examples
    --------
    >>> as_any_logits(2)
    array(2.)
    """
    arr = as_array(z, name)
    return as_logits(arr.reshape(1) if arr.ndim == 0 else arr, name).reshape(arr.shape)


def binary_inputs(z, t, reduction):
    """Finite logits ``z`` and targets ``t`` in [0, 1] of one shape, as float64
    copies, with ``z``'s float type, or raise (:ref:`sigmoid-bce`).

    Examples
    --------
    >>> binary_inputs(np.float32([0.5]), [1], "mean")
    (array([0.5]), array([1.]), dtype('float32'))
    >>> binary_inputs([0.5], [1, 0], "mean")
    Traceback (most recent call last):
    ...
    ValueError: t must have the shape (1,) of z (one target per logit), got (2,)
    """
    check_reduction(reduction)
    z = as_any_logits(z)
    check_finite(z, "z")
    t = as_float_like(t, z.dtype, "t")
    if t.shape != z.shape:
        raise ValueError(f"t must have the shape {z.shape} of z (one target per logit), got {t.shape}")
    check_finite(t, "t")
    check_unit_interval(t, "t")
    return z.astype(np.float64), t.astype(np.float64), z.dtype


def as_int(value, name, what="an integer", *, minimum=None, maximum=None):
    """A Python int from an int or numpy integer; bools, floats, None and
    strings are refused, since each would change meaning silently.

    Used in :ref:`training`.

    With ``minimum`` (and ``maximum``), a value outside the range raises
    ``ValueError`` ("must be at least ...", "must lie in ..."): the one
    check of a count, a size, a seed or a number of steps.

    Examples
    --------
    >>> as_int(np.int16(-100), "ignore_index")
    -100
    >>> as_int(True, "ignore_index")
    Traceback (most recent call last):
    ...
    TypeError: ignore_index must be an integer, got bool True
    >>> as_int(0, "steps", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: steps must be at least 1, got 0
    >>> as_int(10, "D", minimum=1, maximum=9)
    Traceback (most recent call last):
    ...
    ValueError: D must lie in 1..9, got 10
    """
    refuse_kind(value, name, what, (int, np.integer))
    value = int(value)
    low_ok = minimum is None or value >= minimum
    if maximum is not None and not (low_ok and value <= maximum):
        raise ValueError(f"{name} must lie in {minimum}..{maximum}, got {value}")
    if not low_ok:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def as_positive_number(value, name, *, allow_inf=False):
    """A positive real float (finite unless ``allow_inf``), or raise.

    Used in :ref:`gradient-checking`.

    Examples
    --------
    >>> as_positive_number(1e-6, "eps")
    1e-06
    >>> as_positive_number(float("inf"), "eps")
    Traceback (most recent call last):
    ...
    ValueError: eps must be a positive finite number, got inf
    """
    return _as_signed_number(value, name, zero_ok=False, allow_inf=allow_inf)


def as_tolerance(tol, name="tol", *, allow_inf=True):
    """A real number >= 0 (a tolerance, a penalty weight), or raise.

    Used in :ref:`gradient-checking`.

    NaN is refused, and so is inf unless ``allow_inf``.

    Examples
    --------
    >>> as_tolerance(0, "lam")
    0.0
    >>> as_tolerance(-1e-3, "lam", allow_inf=False)
    Traceback (most recent call last):
    ...
    ValueError: lam must be a non-negative finite number, got -0.001
    """
    return _as_signed_number(tol, name, zero_ok=True, allow_inf=allow_inf)


def _as_signed_number(value, name, *, zero_ok, allow_inf):
    """A real number > 0 (>= 0 if ``zero_ok``), finite unless ``allow_inf``; NaN refused."""
    sign = "a non-negative" if zero_ok else "a positive"
    refuse_kind(value, name, f"{sign} number", numbers.Real)
    x = float(value)
    if not ((x >= 0 if zero_ok else x > 0) and (allow_inf or math.isfinite(x))):  # NaN fails both
        need = f"{sign} number" if allow_inf else f"{sign} finite number"
        raise ValueError(f"{name} must be {need}, got {value!r}")
    return x


def as_fraction(value, name, *, strict=False):
    """A real number in [0, 1] (in (0, 1) if ``strict``), as a float, or raise.

    Used in :ref:`label-smoothing`.

    Examples
    --------
    >>> as_fraction(0.25, "test_fraction", strict=True)
    0.25
    >>> as_fraction(1, "test_fraction", strict=True)
    Traceback (most recent call last):
    ...
    ValueError: test_fraction must lie in (0, 1), got 1
    """
    interval = "(0, 1)" if strict else "[0, 1]"
    refuse_kind(value, name, f"a number in {interval}", numbers.Real)
    x = float(value)
    if not (0.0 < x < 1.0 if strict else 0.0 <= x <= 1.0):  # also rejects NaN
        raise ValueError(f"{name} must lie in {interval}, got {value}")
    return x


def as_callable(f, name="f", what="a function of x"):
    """``f`` if it can be called, or raise ``TypeError``.

    Used in :ref:`gradient-checking` and :ref:`training`.

    Examples
    --------
    >>> as_callable(3, "loss_grad", "a function of params")
    Traceback (most recent call last):
    ...
    TypeError: loss_grad must be a function of params, got int
    """
    if not callable(f):
        raise TypeError(f"{name} must be {what}, got {type(f).__name__}")
    return f


def as_real_point(x, name="x"):
    """A private float64 copy of the point ``x`` (complex refused).

    Used in :ref:`gradient-checking`.
    """
    arr = as_array(x, name)
    real_kind(arr, name)
    arr = np.array(arr, dtype=np.float64)  # a copy the caller may perturb
    if np.isnan(arr).any():
        # -inf is allowed: a masked logit, whose difference quotient is 0
        raise ValueError(f"{name} contains NaN; the point must hold numbers")
    return arr


def scalar_output(value, name="f"):
    """The float that ``f`` returned, or a ``TypeError``/``ValueError`` that
    says what it returned instead.

    Used in :ref:`gradient-checking`.

    Examples
    --------
    >>> scalar_output(np.array(2.5))
    2.5
    >>> scalar_output(None)
    Traceback (most recent call last):
    ...
    TypeError: f returned None; it must return the loss as a real number (a missing return?)
    """
    if value is None:
        raise TypeError(f"{name} returned None; it must return the loss as a real number (a missing return?)")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} returned a boolean; it must return the loss as a real number")
    if isinstance(value, numbers.Real):
        return float(value)
    arr = np.asarray(value) if isinstance(value, (np.ndarray, np.generic, list, tuple)) else None
    if arr is None or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must return a real number, got {type(value).__name__}")
    if arr.size != 1:
        raise ValueError(
            f"{name} must return one number (a scalar loss), got an array of shape {arr.shape}; "
            "sum or average it first"
        )
    return float(arr.reshape(()))


def class_axis(arr, axis, name="z"):
    """Normalise ``axis`` and reject an empty class axis.

    Used in :ref:`numerical-stability`.
    """
    refuse_kind(axis, "axis", "an integer", (int, np.integer))
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


def check_row_max(m, name="z", *, overflow=None):
    """Reject NaN and +inf from a row maximum that was computed anyway.

    Used in :ref:`numerical-stability`.

    ``np.max`` propagates NaN, and a +inf logit makes the maximum +inf, so
    looking at the (N, 1) maxima finds both at a cost of N, not N * C.
    A maximum of -inf is allowed: it means every class of that row is masked.
    ``overflow`` (a float type) says the values were computed from finite
    inputs, so NaN or +inf means that computation overflowed that type.
    """
    if overflow is not None:
        if not np.isfinite(m[~np.isneginf(m)]).all():
            row = int(np.flatnonzero(np.isnan(m) | np.isposinf(m))[0])
            raise ValueError(
                f"{name} overflow {np.dtype(overflow)} in row {row} "
                f"(a logit beyond {np.finfo(overflow).max:.3g}); scale the inputs down"
                + (" or pass them in float64" if np.dtype(overflow) != np.float64 else "")
            )
        return
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
    """Reject NaN and infinities anywhere in ``arr``.

    Used in :ref:`numerical-stability`.
    """
    if not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "an infinity"
        raise ValueError(f"{name} contains {bad}; it must be finite")


def as_reals(x, name):
    """``x`` as a float64 array of real numbers (booleans, complex numbers
    and strings refused; NaN and infinities kept), or raise.

    Used in :ref:`gradient-checking`.

    Examples
    --------
    >>> as_reals([1, np.inf], "a")
    array([ 1., inf])
    >>> as_reals([1j], "a")
    Traceback (most recent call last):
    ...
    TypeError: a must hold real numbers, got dtype complex128
    """
    arr = as_array(x, name)
    real_kind(arr, name)
    with np.errstate(over="ignore"):  # an int beyond float64 becomes inf
        return arr.astype(np.float64)


def as_finite_reals(x, name):
    """``x`` as a float64 array of finite real numbers (booleans refused), or raise.

    Used in :ref:`toy-network`.

    Examples
    --------
    >>> as_finite_reals([1, 2], "h")
    array([1., 2.])
    >>> as_finite_reals([True, False], "h")
    Traceback (most recent call last):
    ...
    TypeError: h must hold real numbers, not booleans
    """
    arr = as_reals(x, name)
    check_finite(arr, name)
    return arr


def as_features(X, name="X"):
    """``X`` as a finite (N, D) float64 array with at least one row, or raise.

    The inputs of the models trained in :ref:`descent-explorer`: one example
    per row, real numbers (booleans refused), no NaN or infinity.

    Examples
    --------
    >>> as_features([[1, 2], [3, 4]])
    array([[1., 2.],
           [3., 4.]])
    >>> as_features(np.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: X must have shape (N, D), one example per row; got shape (3,)
    """
    arr = as_array(X, name)
    real_kind(arr, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must have shape (N, D), one example per row; got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has no rows; need at least one example")
    return as_finite_reals(arr, name)


def as_params(params, shapes=None, name="params"):
    """``params`` as a dict of finite float arrays of the given ``shapes``, or raise.

    The parameters of the models of :ref:`training`. Without ``shapes`` only
    the dict itself is checked.

    Examples
    --------
    >>> as_params({"W": np.zeros((2, 3))}, {"W": (2, 3)})["W"].shape
    (2, 3)
    >>> as_params({"W": np.zeros(3)}, {"W": (2, 3)})
    Traceback (most recent call last):
    ...
    ValueError: params['W'] must have shape (2, 3), got (3,)
    """
    if not isinstance(params, dict):
        raise TypeError(f"{name} must be a dict of arrays, got {type(params).__name__}")
    if shapes is None:
        return params
    missing = [k for k in shapes if k not in params]
    if missing:
        raise ValueError(f"{name} is missing {missing}; expected keys {list(shapes)}")
    out = {}
    for key, shape in shapes.items():
        arr = np.asarray(params[key])
        if arr.dtype.kind not in "f":
            raise TypeError(f"{name}[{key!r}] must be a float array, got dtype {arr.dtype}")
        if arr.shape != shape:
            raise ValueError(f"{name}[{key!r}] must have shape {shape}, got {arr.shape}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{name}[{key!r}] contains NaN or an infinity (did training diverge?)")
        out[key] = arr
    return out


def as_float_like(x, dtype, name):
    """Return ``x`` as an array of ``dtype`` (the logits' float type), or
    raise.

    Used in :ref:`numerical-stability`.
    """
    arr = as_array(x, name)
    real_kind(arr, name)
    return cast(arr, dtype, name)


def as_targets(t, like, *, non_negative):
    """Float targets of ``like``'s shape and float type, finite, or raise.

    Used in :ref:`gradient-any-target`.

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


def class_labels(t, N, C, ignore_index, *, name="target", what="class"):
    """Integer targets as (N,) int64 labels and the mask of ignored rows.

    Used in :ref:`beyond-one-hot`.

    Every value is compared as given, before any cast: a uint64 target past
    the int64 range is out of range, not wrapped around into a negative
    number (which could then equal ``ignore_index``). Ignored rows get
    label 0, a valid class whose weight the caller sets to 0.

    Examples
    --------
    >>> class_labels(np.array([2, -100, 0]), 3, 3, -100)
    (array([2, 0, 0]), array([False,  True, False]))
    >>> class_labels(np.array([2**64 - 100], dtype=np.uint64), 1, 3, -100)
    Traceback (most recent call last):
    ...
    ValueError: class target 18446744073709551516 is out of range for 3 classes (expected 0..2, or ignore_index=-100)
    """
    ignored = t == ignore_index if ignore_index is not None else np.zeros(t.shape, bool)
    bad = ~ignored & ((t < 0) | (t >= C))
    if bad.any():
        extra = f", or ignore_index={ignore_index}" if ignore_index is not None else ""
        noun = "classes" if what == "class" else "words"
        raise ValueError(
            f"{what} {name} {t[bad].flat[0]} is out of range for {C} {noun} "
            f"(expected 0..{C - 1}{extra})"
        )
    labels = np.where(ignored, 0, t).astype(np.int64).reshape(N)
    return labels, ignored.reshape(N)


def class_weights(weight, C, dtype):
    """``weight`` as (C,) non-negative finite values of ``dtype``, or raise.

    Used in :ref:`beyond-one-hot`.

    Negative weights are refused: they would make a row's loss negative and
    the weighted mean's divisor able to vanish, and no probability model
    gives them a meaning.
    """
    if weight is None:
        return np.ones(C, dtype=dtype)
    w = as_float_like(weight, dtype, "weight")
    if w.shape != (C,):
        raise ValueError(f"weight must have shape ({C},), one entry per class; got {w.shape}")
    check_finite(w, "weight")
    if (w < 0).any():
        raise ValueError(
            f"weight must be non-negative, got {w[w < 0][0]} for class "
            f"{int(np.flatnonzero(w < 0)[0])}; a class weight scales that class's loss"
        )
    return w


def check_ignore_index(ignore_index):
    """``ignore_index`` as a Python int in the int64 range, or raise.

    Used in :ref:`beyond-one-hot`.
    """
    value = as_int(ignore_index, "ignore_index", "an integer (a class index to skip)")
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"ignore_index must fit in int64, got {value}")
    return value


def linear_inputs(h, W, target, chunk_size):
    """Validate :func:`~derivations.linear_cross_entropy`'s arguments.

    Used in :ref:`what-it-costs`.

    Returns ``h`` and ``W`` in one float type (float32 unless either is
    float64 or integer), ``target`` as (N,) int64 and ``chunk_size`` as int.
    """
    arrays = []
    for name, x, want in (("h", h, "(N, d)"), ("W", W, "(V, d)")):
        a = as_array(x, name)
        real_kind(a, name)
        if a.ndim != 2:
            raise ValueError(f"{name} must have shape {want}, got shape {a.shape}")
        arrays.append(a)
    h, W = arrays
    dtype = np.result_type(h.dtype, W.dtype, np.float32)
    if dtype not in (np.float32, np.float64):
        dtype = np.dtype(np.float64)
    h, W = cast(h, dtype, "h"), cast(W, dtype, "W")
    (N, d), (V, d_w) = h.shape, W.shape
    if d != d_w:
        raise ValueError(f"h has {d} features per row but W has {d_w}; both need the same d")
    if V == 0:
        raise ValueError("W has no rows: the vocabulary needs at least one word")
    check_finite(h, "h")
    check_finite(W, "W")
    t = as_array(target, "target")
    real_kind(t, "target", "integer word indices")
    if t.dtype.kind not in "iu":
        raise TypeError(f"target must hold integer word indices, got dtype {t.dtype}")
    if t.shape != (N,):
        raise ValueError(f"target must have shape ({N},), one index per row of h; got {t.shape}")
    t, _ = class_labels(t, N, V, None, what="word")
    chunk_size = as_int(chunk_size, "chunk_size", "a positive integer")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size}")
    return h, W, t, chunk_size


def upstream_like(dp, p, names=("p", "dp")):
    """``dp`` as an array of ``p``'s shape and float type, or raise.

    Used in :ref:`loss-independent-backward`.

    The one check of an upstream gradient against the array it is the
    gradient of: the softmax VJP, the nodes and the batched Jacobians.
    """
    dp = as_float_like(dp, p.dtype, names[1])
    if dp.shape != p.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, got {p.shape} and {dp.shape}"
        )
    return dp


def vjp_inputs(p, dp, axis=-1):
    """``p`` as probabilities' float array, ``dp`` of its shape and type, and
    the class axis normalised, for :func:`derivations.softmax_backward`
    (:ref:`loss-independent-backward`), or raise.

    Examples
    --------
    >>> vjp_inputs([0.5, 0.5], [1, 0])
    (array([0.5, 0.5]), array([1., 0.]), 0)
    >>> vjp_inputs([0.5, 0.5], [1.0])
    Traceback (most recent call last):
    ...
    ValueError: p and dp must have the same shape, got (2,) and (1,)
    """
    p = as_logits(p, "p")
    dp = upstream_like(dp, p)
    axis = class_axis(p, axis, "p")
    return p, dp, axis


def layer_inputs(h, W, b):
    """A layer's ``h`` (D,) or (N, D), ``W`` (D, C) and ``b`` (C,) as finite
    float arrays of ``W``'s type (``b`` None is zeros), or raise.

    The softmax layer of :ref:`puzzle` and :ref:`kronecker-delta`.

    Examples
    --------
    >>> h, W, b = layer_inputs([1, 2], np.zeros((2, 3)), None)
    >>> h, b
    (array([1., 2.]), array([0., 0., 0.]))
    >>> layer_inputs([1, 2, 3], np.zeros((2, 3)), None)
    Traceback (most recent call last):
    ...
    ValueError: h must have shape (2,) or (N, 2) to match W of shape (2, 3); got (3,)
    """
    W = as_logits(W, "W")
    if W.ndim != 2:
        raise ValueError(
            f"W must have shape (D, C), one row per input unit; "
            f"got shape {W.shape}"
        )
    D, C = W.shape
    if C == 0:
        raise ValueError(
            "W has zero columns; the layer needs at least one class"
        )
    h = as_float_like(h, W.dtype, "h")
    if h.ndim not in (1, 2) or h.shape[-1] != D:
        raise ValueError(
            f"h must have shape ({D},) or (N, {D}) to match W of "
            f"shape {W.shape}; got {h.shape}"
        )
    if b is None:
        b = np.zeros(C, dtype=W.dtype)
    b = as_float_like(b, W.dtype, "b")
    if b.shape != (C,):
        raise ValueError(
            f"b must have shape ({C},), one bias per class; "
            f"got {b.shape}"
        )
    for arr, name in ((h, "h"), (W, "W"), (b, "b")):
        check_finite(arr, name)
    return h, W, b


def logits_and_targets(z, t):
    """Finite logits ``z`` of shape (C,) or (N, C) and non-negative float
    targets ``t`` of the same shape, or raise.

    The targets of :ref:`gradient-any-target`: one weight per class, rows
    need not sum to 1.

    Examples
    --------
    >>> logits_and_targets([0.0, 1.0], [0, 1])
    (array([0., 1.]), array([0., 1.]))
    >>> logits_and_targets([0.0, 1.0], [1.0, -1.0])
    Traceback (most recent call last):
    ...
    ValueError: t must be non-negative: cross-entropy weights log-probabilities by t
    """
    z = as_logits(z)
    if z.ndim not in (1, 2) or z.shape[-1] == 0:
        raise ValueError(
            f"z must have shape (C,) or (N, C) with C >= 1, "
            f"got shape {z.shape}"
        )
    check_finite(z, "z")
    return z, as_targets(t, z, non_negative=True)


def logits_and_labels(z, y):
    """Finite (N, C) logits with at least one row and class, and ``y`` as
    their (N,) int64 labels, or raise.

    The inputs of the step-by-step backward pass of :ref:`backprop-by-operation`.

    Examples
    --------
    >>> logits_and_labels([[0.0, 1.0]], [1])
    (array([[0., 1.]]), array([1]))
    >>> logits_and_labels(np.zeros((0, 3)), [])
    Traceback (most recent call last):
    ...
    ValueError: z has no rows; need at least one example
    """
    z = as_batch(z, "z")
    if z.shape[0] == 0:
        raise ValueError("z has no rows; need at least one example")
    check_finite(z, "z")
    return z, label_vector(y, z.shape[0], z.shape[1])


# How far a row of p may sum from 1 and still count as a probability vector:
# loose enough for softmax's own rounding over tens of thousands of classes,
# tight enough to catch logits passed where probabilities were expected.
ROW_SUM_TOL = {np.dtype(np.float32): 1e-3, np.dtype(np.float64): 1e-6}


def as_batch(x, name="z", ndim=2):
    """``x`` as a float array of shape (N, C) (or (C,) for ``ndim=1``) with at
    least one class, or raise.

    The rows of logits or probabilities that the loss nodes of
    :ref:`fused-vs-separate` and the Jacobians take.

    Examples
    --------
    >>> as_batch([[1, 2]]).dtype
    dtype('float64')
    >>> as_batch([1.0, 2.0], "p")
    Traceback (most recent call last):
    ...
    ValueError: p must have shape (N, C), one example per row; got shape (2,)
    """
    x = as_logits(x, name)
    if x.ndim != ndim:
        want = "(C,)" if ndim == 1 else "(N, C), one example per row;"
        raise ValueError(f"{name} must have shape {want} got shape {x.shape}")
    class_axis(x, -1, name)
    return x


def as_probabilities(p, ndim, name="p", *, normalised=True):
    """Return ``p`` as a float array of ``ndim`` dimensions of softmax rows.

    Used in :ref:`loss-independent-backward`.

    Every entry must be finite and non-negative, and (if ``normalised``)
    every row (last axis) must sum to 1, or be all zeros: that is what
    :func:`derivations.softmax` returns for a row whose logits are all -inf
    (masked), and its Jacobian is 0.
    """
    p = as_batch(p, name, ndim)
    check_finite(p, name)
    if (p < 0).any():
        raise ValueError(
            f"{name} has negative entries; it must hold probabilities "
            "(pass softmax(z), not the logits z)"
        )
    if not normalised:
        return p
    s = p.sum(axis=-1)
    bad = (np.abs(s - 1) > ROW_SUM_TOL[p.dtype]) & (s != 0)
    if bad.any():
        raise ValueError(
            f"{name} must hold probabilities whose rows sum to 1; "
            "a row sums to "
            f"{float(s[bad].flat[0]):.6g} (pass softmax(z), not the logits z)"
        )
    return p


def check_out(out, shape, dtype, inputs, name="out"):
    """Check a caller's output array: this shape and dtype, no overlap with ``inputs``.

    Used in :ref:`cost-fresh-memory`.

    Examples
    --------
    >>> x = np.zeros((2, 3))
    >>> check_out(np.empty((2, 3)), x.shape, x.dtype, (x,))
    >>> check_out(x, x.shape, x.dtype, (x,))
    Traceback (most recent call last):
    ...
    ValueError: out must not share memory with the inputs; pass a separate array
    """
    if out is None:
        return
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(out).__name__}")
    if out.shape != tuple(shape) or out.dtype != dtype:
        raise ValueError(
            f"{name} must have shape {tuple(shape)} and dtype {dtype}, "
            f"got shape {out.shape} and dtype {out.dtype}"
        )
    if not out.flags.writeable:
        raise ValueError(f"{name} is read-only")
    if any(np.may_share_memory(out, x) for x in inputs):
        raise ValueError(f"{name} must not share memory with the inputs; pass a separate array")


def check_reduction(reduction):
    """Refuse a ``reduction`` other than "mean", "sum" or "none".

    Used in :ref:`batch-mean`.
    """
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(
            f"unknown reduction {reduction!r}; expected one of {REDUCTIONS}"
        )


def check_label_smoothing(eps):
    """``label_smoothing`` as a float in [0, 1], or raise (see :func:`as_fraction`).

    Used in :ref:`label-smoothing`.
    """
    return as_fraction(eps, "label_smoothing")


# ---- explorer traits
#
# The explorers (derivations.widgets) check every synced trait with the
# functions below. A value set from the page (Widget.set_state) or by a user
# goes through traitlets, which rolls a change of several traits back (in
# set_state and hold_trait_notifications) only when the check raises a
# TraitError; so these raise TraitError subclasses that are also the
# ValueError / TypeError the rest of the package raises. traitlets comes with
# the widgets, not with the package's core (the autograder installs numpy
# only), hence the stand-in when it is absent.

try:
    from traitlets import TraitError as _TraitError
except ImportError:  # pragma: no cover - the core without the widget stack

    class _TraitError(Exception):
        """Stands in for ``traitlets.TraitError`` where traitlets is not installed."""


class InvalidTrait(_TraitError, ValueError):
    """A value of the right kind that an explorer cannot hold (out of range,

    Used in :ref:`jacobian-explorer`.
    wrong length, NaN); traitlets undoes the change it was part of."""


class InvalidTraitType(_TraitError, TypeError):
    """A value of the wrong kind for an explorer's trait (a string, a bool

    Used in :ref:`jacobian-explorer`.
    where a number is expected); traitlets undoes the change it was part of."""


_short = _reprlib.Repr()
_short.maxlist = _short.maxtuple = 6
_short.maxstring = _short.maxother = 40


#: The languages of the book's editions, for the explorers and the verdicts;
#: English is the original.
LANGUAGES = ("en", "es", "id", "zh_CN")

#: The environment variable that picks the explorers' and verdicts' language
#: when none is given (a notebook in JupyterLab, a grading run).
LANGUAGE_VARIABLE = "DERIVATIONS_LANGUAGE"


def shown(value):
    """A short repr of ``value`` for an error message (long lists are cut).

    Used in :ref:`jacobian-explorer`.
    """
    return _short.repr(value)


def _real_array(value, name, what):
    try:
        arr = np.asarray(value)
    except Exception:  # ragged lists and the like
        raise InvalidTraitType(f"{name} must be {what}, got {shown(value)}") from None
    if arr.dtype.kind == "b":
        raise InvalidTraitType(f"{name} must hold real numbers, not booleans: got {shown(value)}")
    if arr.dtype.kind not in "iuf":
        raise InvalidTraitType(f"{name} must be {what}, got {shown(value)} (dtype {arr.dtype})")
    return arr


def check_range(arr, name, low=None, high=None):
    """Return ``arr`` as float64 if every entry is finite and in
    ``[low, high]`` (the ends of the control that shows it), or raise

    Used in :ref:`jacobian-explorer`.
    :class:`InvalidTrait`."""
    with np.errstate(over="ignore"):  # a huge integer becomes inf: reported below
        arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise InvalidTrait(f"{name} must be finite (found NaN or an infinity), got {shown(arr.tolist())}")
    if low is not None and (arr < low).any():
        raise InvalidTrait(f"{name} entries must be at least {low}, got {arr.min()}")
    if high is not None and (arr > high).any():
        raise InvalidTrait(f"{name} entries must be at most {high}, got {arr.max()}")
    return arr


def as_vector(value, name, *, length=None, min_length=None, max_length=None, low=None, high=None):
    """Return ``value`` as a list of Python floats, or raise.

    Used in :ref:`jacobian-explorer`.

    The list is what gets synced to the browser, so it must hold plain,
    finite floats; ``low``/``high`` are the ends of the control that shows
    each entry, so the page can always display the state it holds.

    Examples
    --------
    >>> as_vector(np.array([1, 2]), "z", low=-10, high=10)
    [1.0, 2.0]
    >>> as_vector([0.5, 0.5], "soft_target", length=3)
    Traceback (most recent call last):
    ...
    derivations.validation.InvalidTrait: soft_target must have 3 entries, got 2: [0.5, 0.5]
    """
    arr = _real_array(value, name, "a sequence of real numbers")
    if arr.ndim != 1:
        raise InvalidTrait(f"{name} must be one-dimensional, got shape {arr.shape}: {shown(value)}")
    n = arr.shape[0]
    if length is not None and n != length:
        raise InvalidTrait(f"{name} must have {length} entries, got {n}: {shown(value)}")
    if min_length is not None and n < min_length:
        raise InvalidTrait(f"{name} must have at least {min_length} entries, got {n}: {shown(value)}")
    if max_length is not None and n > max_length:
        raise InvalidTrait(f"{name} must have at most {max_length} entries, got {n}: {shown(value)}")
    return check_range(arr, name, low, high).tolist()


def as_matrix(value, name, shape, *, low=None, high=None):
    """Return ``value`` as a nested list of floats of ``shape``, or raise.

    Used in :ref:`jacobian-explorer`.
    """
    arr = _real_array(value, name, "an array of real numbers")
    if arr.shape != shape:
        raise InvalidTrait(f"{name} must have shape {shape}, got {arr.shape}: {shown(value)}")
    return check_range(arr, name, low, high).tolist()


def as_finite_number(value, name, what="a real number", *, errors=(TypeError, ValueError)):
    """``value`` as a finite Python float, or raise ``errors[0]`` (not a real
    number; bools refused) or ``errors[1]`` (NaN or an infinity).

    Used in :ref:`fused-vs-separate` (the gradient ``dL`` arriving at a loss
    node) and, through :func:`as_scalar`, by the explorers.

    Examples
    --------
    >>> as_finite_number(np.float32(0.5), "dL")
    0.5
    >>> as_finite_number(float("inf"), "dL")
    Traceback (most recent call last):
    ...
    ValueError: dL must be finite, got inf
    """
    refuse_kind(value, name, what, numbers.Real, errors[0])
    try:
        x = float(value)
    except OverflowError:  # an int beyond float64
        x = math.inf if value > 0 else -math.inf
    if not math.isfinite(x):
        raise errors[1](f"{name} must be finite, got {shown(value)}")
    return x


def as_scalar(value, name, *, low=None, high=None, low_open=False):
    """Return ``value`` as a finite Python float in its range, or raise.

    Used in :ref:`jacobian-explorer`.

    Examples
    --------
    >>> as_scalar(2, "temperature", low=0.1, high=5)
    2.0
    >>> as_scalar(True, "temperature")
    Traceback (most recent call last):
    ...
    derivations.validation.InvalidTraitType: temperature must be a real number, got bool True
    """
    x = as_finite_number(value, name, errors=(InvalidTraitType, InvalidTrait))
    if low is not None and (x <= low if low_open else x < low):
        bound = f"greater than {low}" if low_open else f"at least {low}"
        raise InvalidTrait(f"{name} must be {bound}, got {x}")
    if high is not None and x > high:
        raise InvalidTrait(f"{name} must be at most {high}, got {x}")
    return x


def _as_trait_int(value, name, what):
    refuse_kind(value, name, what, (int, np.integer), InvalidTraitType)
    return int(value)


def as_count(value, name):
    """Return ``value`` as a Python int >= 0 (a count), or raise.

    Used in :ref:`jacobian-explorer`.
    """
    n = _as_trait_int(value, name, "a whole number (a count)")
    if n < 0:
        raise InvalidTrait(f"{name} counts something and cannot be negative, got {n}")
    return n


def as_index(value, name, n=None):
    """Return ``value`` as an int in ``0 .. n-1``, or raise.

    Used in :ref:`jacobian-explorer`.

    With ``n`` None only the kind and the sign are checked: the range is
    checked once the number of classes it refers to is known (the
    explorers' cross-validation, after every trait of a change is set).

    Examples
    --------
    >>> as_index(2, "target", 3)
    2
    >>> as_index(3, "target", 3)
    Traceback (most recent call last):
    ...
    derivations.validation.InvalidTrait: target must be a class index in 0..2, got 3
    """
    i = _as_trait_int(value, name, "an integer class index")
    if i < 0 or (n is not None and i >= n):
        expected = f"0..{n - 1}" if n is not None else "0, 1, 2, ..."
        raise InvalidTrait(f"{name} must be a class index in {expected}, got {i}")
    return i


def as_class_count(value, low, high, name="C"):
    """Return ``value`` as an int number of classes in ``low .. high``, or raise.

    Used in :ref:`jacobian-explorer`.
    """
    C = _as_trait_int(value, name, "an integer")
    if not low <= C <= high:
        raise InvalidTrait(f"{name} must be in {low}..{high}, got {C}")
    return C


def as_loss_history(value, name="loss_history"):
    """Return ``value`` as a list of losses, each a finite float >= 0 or
    None (a loss that overflowed float64: the descent diverged), or raise.

    Used in :ref:`descent-explorer`.

    JSON has no NaN or infinity, so None is how a loss curve that left
    float64 stays valid state for the page and the static site.

    Examples
    --------
    >>> as_loss_history([1, 0.5, None])
    [1.0, 0.5, None]
    >>> as_loss_history([1.0, float("nan")])
    Traceback (most recent call last):
    ...
    derivations.validation.InvalidTrait: loss_history[1] must be a finite loss >= 0, or None where ...; got nan
    """
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple, np.ndarray)):
        raise InvalidTraitType(f"{name} must be a list of losses, got {type(value).__name__} {shown(value)}")
    out = []
    for k, v in enumerate(value):
        if v is None:
            out.append(None)
            continue
        where = f"{name}[{k}]"
        try:
            out.append(as_scalar(v, where, low=0.0))
        except InvalidTrait:
            raise InvalidTrait(
                f"{where} must be a finite loss >= 0, or None where the loss overflowed; got {shown(v)}"
            ) from None
    return out


def check_unit_interval(arr, name):
    """Reject entries outside [0, 1] (NaN included), naming the first one found.

    Used in :ref:`bce-multi-label`.
    """
    outside = ~((arr >= 0) & (arr <= 1))
    if outside.any():
        bad = arr[outside].flat[0]
        raise ValueError(f"{name} must lie in [0, 1] (one probability per entry), got {float(bad)}")


def label_vector(y, N, C=None, name="y"):
    """``y`` as (N,) int64 class labels in 0..C-1 (>= 0 when ``C`` is None), or raise.

    Used in :ref:`backprop-by-operation`.

    Examples
    --------
    >>> label_vector([2, 0], 2, 3)
    array([2, 0])
    >>> label_vector(np.array([0.0, 1.0]), 2, 3)
    Traceback (most recent call last):
    ...
    TypeError: y must hold integer class labels, got dtype float64
    >>> label_vector([1, -1], 2)
    Traceback (most recent call last):
    ...
    ValueError: y contains a negative label -1; labels are 0 .. C-1
    """
    arr = as_array(y, name)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.shape != (N,):
        raise ValueError(f"{name} must have shape ({N},), one label per row, got {arr.shape}")
    if C is None:
        if (arr < 0).any():
            raise ValueError(f"{name} contains a negative label {int(arr.min())}; labels are 0 .. C-1")
        return arr.astype(np.int64, copy=False)
    return class_labels(arr, N, C, None, name=name)[0]
