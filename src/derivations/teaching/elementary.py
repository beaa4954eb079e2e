"""Cross-entropy of softmax, one elementary operation at a time.

Derived in :ref:`backprop-by-operation`. The mean loss of a batch of logits
``z`` (N, C) with integer labels ``y`` (N,) is broken into nine steps::

    m = z.max(1, keepdims=True)      # row maxima, (N, 1)
    zs = z - m                       # shifted logits, (N, C)
    e = np.exp(zs)                   # (N, C)
    s = e.sum(1, keepdims=True)      # (N, 1)
    r = 1 / s                        # (N, 1)
    p = e * r                        # probabilities, (N, C)
    logp = np.log(p)                 # (N, C)
    picked = logp[np.arange(N), y]   # (N,)
    L = -picked.mean()               # a scalar

Each operation's backward sits right below its forward: it takes the
gradient of the loss with respect to the operation's output and returns
the gradient with respect to each of its inputs. :func:`backward_steps`
chains them in reverse. Two rules do all the bookkeeping: an input that
the forward pass broadcasts gets the upstream gradient *summed* over the
broadcast axis (:func:`sum_to_shape`), and an input that the forward pass
sums gets the upstream gradient *broadcast* back.
"""

from dataclasses import dataclass, fields

import numpy as np

from derivations.validation import logits_and_labels

__all__ = [
    "STEPS",
    "Tape",
    "forward_steps",
    "backward_steps",
    "backprop_steps",
    "loss_from",
    "sum_to_shape",
    "torch_gradients",
]

#: The intermediates in the order of the forward pass (inputs first).
STEPS = ("z", "m", "zs", "e", "s", "r", "p", "logp", "picked", "L")


def sum_to_shape(g, shape):
    """Sum the gradient ``g`` down to ``shape``: the backward of a broadcast.

    When the forward pass stretches an array of ``shape`` (an axis of
    length 1) across a larger one, every copy sends its gradient back to
    the one entry it was copied from, so those gradients add up. Derived in
    :ref:`backprop-by-operation`.

    Examples
    --------
    >>> g = np.arange(6.0).reshape(2, 3)
    >>> sum_to_shape(g, (2, 1))
    array([[ 3.],
           [12.]])
    >>> sum_to_shape(g, (2, 3)) is g
    True
    """
    g = np.asarray(g)
    shape = tuple(shape)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    if lead < 0 or any(n not in (1, g.shape[lead + k]) for k, n in enumerate(shape)):
        raise ValueError(f"a gradient of shape {g.shape} cannot come from broadcasting shape {shape}")
    stretched = tuple(lead + k for k, n in enumerate(shape) if n == 1 and g.shape[lead + k] != 1)
    out = g.sum(axis=tuple(range(lead)) + stretched, keepdims=True)
    return out.reshape(shape)


# --- m = z.max(1): the row maxima ------------------------------------------


def row_max(z):
    """Each row's maximum, shape (N, 1).

    Used in :ref:`backprop-local-derivatives`.
    """
    return z.max(axis=1, keepdims=True)


def row_max_backward(dm, z):
    """dm sent to one maximal entry per row (the first, at a tie).

    Used in :ref:`backprop-local-derivatives`.

    The max has no derivative at a tie, but dm is 0 (the loss does not
    depend on m), so which entry receives it changes nothing.
    """
    dz = np.zeros_like(z)
    dz[np.arange(z.shape[0]), z.argmax(axis=1)] = dm[:, 0]
    return dz


# --- zs = z - m: broadcast forward, sum backward ----------------------------


def shift(z, m):
    """Subtract each row's m from every entry of the row.

    Used in :ref:`backprop-local-derivatives`.
    """
    return z - m


def shift_backward(dzs, m):
    """(dz, dm): z passes dzs through; m, broadcast over the classes, sums -dzs.

    Used in :ref:`backprop-local-derivatives`.
    """
    return dzs, sum_to_shape(-dzs, m.shape)


# --- e = exp(zs) ------------------------------------------------------------


def exp(zs):
    """Elementwise exponential.

    Used in :ref:`backprop-local-derivatives`.
    """
    return np.exp(zs)


def exp_backward(de, e):
    """d exp(x)/dx = exp(x): the output is its own local derivative.

    Used in :ref:`backprop-local-derivatives`.
    """
    return de * e


# --- s = e.sum(1): sum forward, broadcast backward --------------------------


def row_sum(e):
    """Each row's sum, shape (N, 1).

    Used in :ref:`backprop-local-derivatives`.
    """
    return e.sum(axis=1, keepdims=True)


def row_sum_backward(ds, e):
    """Every entry of a row moves the row's sum one for one: ds copied across the row.

    Used in :ref:`backprop-local-derivatives`.
    """
    return np.broadcast_to(ds, e.shape)


# --- r = 1 / s ----------------------------------------------------------------


def reciprocal(s):
    """Elementwise 1 / s.

    Used in :ref:`backprop-local-derivatives`.
    """
    return 1 / s


def reciprocal_backward(dr, s):
    """d(1/s)/ds = -1/s**2.

    Used in :ref:`backprop-local-derivatives`.
    """
    return -dr / s**2


# --- p = e * r: r broadcast over the classes --------------------------------


def product(e, r):
    """Elementwise e * r, with r (N, 1) broadcast across the classes.

    Used in :ref:`backprop-local-derivatives`.
    """
    return e * r


def product_backward(dp, e, r):
    """(de, dr): each factor's gradient is dp times the other factor, summed to its shape.

    Used in :ref:`backprop-local-derivatives`.
    """
    return sum_to_shape(dp * r, e.shape), sum_to_shape(dp * e, r.shape)


# --- logp = log(p) ----------------------------------------------------------


def log(p):
    """Elementwise natural logarithm.

    Used in :ref:`backprop-local-derivatives`.
    """
    return np.log(p)


def log_backward(dlogp, p):
    """d log(p)/dp = 1/p.

    Used in :ref:`backprop-local-derivatives`.
    """
    return dlogp / p


# --- picked = logp[rows, cols]: indexing forward, scatter backward ----------


def pick(logp, rows, cols):
    """The entries ``logp[rows[k], cols[k]]``, one per k.

    Used in :ref:`backprop-local-derivatives`.
    """
    return logp[rows, cols]


def pick_backward(dpicked, shape, rows, cols):
    """Scatter dpicked into zeros of ``shape``, adding where an entry was picked twice.

    Used in :ref:`backprop-local-derivatives`.

    ``np.add.at`` adds once per occurrence; ``g[rows, cols] += dpicked``
    would write each repeated entry only once and lose the other
    contributions.
    """
    g = np.zeros(shape, dtype=np.result_type(dpicked, np.float32))
    np.add.at(g, (rows, cols), dpicked)
    return g


# --- L = -picked.mean(): a sum forward, a broadcast backward ----------------


def neg_mean(picked):
    """Minus the mean.

    Used in :ref:`backprop-local-derivatives`.
    """
    return -picked.mean()


def neg_mean_backward(dL, picked):
    """Each of the n picked entries moves the mean by 1/n: -dL/n for every one.

    Used in :ref:`backprop-local-derivatives`.
    """
    return np.full(picked.shape, -dL / picked.size, dtype=picked.dtype)


# --- the whole chain ----------------------------------------------------------


@dataclass(frozen=True)
class Tape:
    """Every intermediate of :func:`forward_steps`, under the names of the chapter.

    Used in :ref:`backprop-by-operation`.
    """

    z: np.ndarray
    y: np.ndarray
    m: np.ndarray
    zs: np.ndarray
    e: np.ndarray
    s: np.ndarray
    r: np.ndarray
    p: np.ndarray
    logp: np.ndarray
    picked: np.ndarray
    L: np.ndarray

    def values(self):
        """The intermediates as a dict, in forward order (labels ``y`` included)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def forward_steps(z, y):
    """The mean cross-entropy of softmax, one elementary operation per line.

    Derived in :ref:`backprop-by-operation`.

    Parameters
    ----------
    z : array_like, shape (N, C)
        Finite logits (float32 stays float32, integers become float64).
    y : array_like of int, shape (N,)
        Class labels in ``0..C-1``.

    Returns
    -------
    Tape
        Every intermediate, ``L`` last.

    Raises
    ------
    ValueError
        For logits that are not a finite (N, C) array, labels out of range,
        or a probability that underflows to 0: the backward pass divides by
        p (``log_backward``), so there use the fused gradient
        :func:`derivations.cross_entropy_grad` instead.

    Examples
    --------
    >>> tape = forward_steps(np.array([[2.0, 0.0], [0.0, 0.0]]), [0, 1])
    >>> tape.m.ravel(), tape.s.ravel()
    (array([2., 0.]), array([1.13533528, 2.        ]))
    >>> float(tape.L)
    0.4100...
    """
    z, y = logits_and_labels(z, y)
    m = row_max(z)
    zs = shift(z, m)
    e = exp(zs)
    s = row_sum(e)
    r = reciprocal(s)
    p = product(e, r)
    if not (p > 0).all():
        n = int(np.flatnonzero(~(p > 0).all(axis=1))[0])
        raise ValueError(
            f"a probability underflows to 0 in row {n} of z (a logit {-zs[n].min():.4g} below its row's "
            "maximum); the step-by-step backward divides by p there, use cross_entropy_grad instead"
        )
    logp = log(p)
    picked = pick(logp, np.arange(z.shape[0]), y)
    L = neg_mean(picked)
    return Tape(z, y, m, zs, e, s, r, p, logp, picked, L)


def backward_steps(tape):
    """The gradient of L with respect to every intermediate, one step at a time.

    Derived in :ref:`backprop-by-operation`: each line applies the backward
    of one operation of :func:`forward_steps`, in reverse order. ``e`` is
    used twice (by p and by s), so its gradient is the sum of two
    contributions.

    Returns
    -------
    dict
        ``"dL"``, ``"dpicked"``, ``"dlogp"``, ``"dp"``, ``"dr"``, ``"ds"``,
        ``"de"``, ``"dzs"``, ``"dm"``, ``"dz"``: each the shape of its
        intermediate.

    Examples
    --------
    >>> g = backward_steps(forward_steps(np.array([[2.0, 0.0], [0.0, 0.0]]), [0, 1]))
    >>> g["dz"]
    array([[-0.0596,  0.0596],
           [ 0.25  , -0.25  ]])
    >>> float(abs(g["dm"]).max()) < 1e-16
    True
    """
    t = tape
    rows = np.arange(t.z.shape[0])
    dL = np.ones((), dtype=t.z.dtype)
    dpicked = neg_mean_backward(dL, t.picked)
    dlogp = pick_backward(dpicked, t.logp.shape, rows, t.y)
    dp = log_backward(dlogp, t.p)
    de_via_p, dr = product_backward(dp, t.e, t.r)
    ds = reciprocal_backward(dr, t.s)
    de = de_via_p + row_sum_backward(ds, t.e)  # the second path from e to L
    dzs = exp_backward(de, t.e)
    dz_via_zs, dm = shift_backward(dzs, t.m)
    dz = dz_via_zs + row_max_backward(dm, t.z)
    return {"dL": dL, "dpicked": dpicked, "dlogp": dlogp, "dp": dp, "dr": dr, "ds": ds,
            "de": de, "dzs": dzs, "dm": dm, "dz": dz}


def backprop_steps(z, y):
    """``backward_steps(forward_steps(z, y))``: every intermediate's gradient.

    Used in :ref:`backprop-by-operation`.

    Examples
    --------
    >>> g = backprop_steps(np.zeros((1, 4)), [3])
    >>> g["dz"]
    array([[ 0.25,  0.25,  0.25, -0.75]])
    """
    return backward_steps(forward_steps(z, y))


_RECOMPUTE = {
    "m": lambda v: row_max(v["z"]),
    "zs": lambda v: shift(v["z"], v["m"]),
    "e": lambda v: exp(v["zs"]),
    "s": lambda v: row_sum(v["e"]),
    "r": lambda v: reciprocal(v["s"]),
    "p": lambda v: product(v["e"], v["r"]),
    "logp": lambda v: log(v["p"]),
    "picked": lambda v: pick(v["logp"], np.arange(v["z"].shape[0]), v["y"]),
    "L": lambda v: neg_mean(v["picked"]),
}


def loss_from(tape, name, value):
    """The loss with intermediate ``name`` replaced by ``value`` and everything after it recomputed.

    The steps before ``name`` keep their recorded values, so this is L as a
    function of that one intermediate: the function whose finite
    differences check its gradient (:ref:`backprop-by-operation`).

    Examples
    --------
    >>> tape = forward_steps(np.array([[1.0, 3.0]]), [0])
    >>> float(tape.L), float(loss_from(tape, "m", tape.m + 5.0))   # any m: the shift cancels
    (2.1269..., 2.1269...)
    """
    if name not in STEPS[:-1]:
        raise ValueError(f"unknown intermediate {name!r}; expected one of {', '.join(STEPS[:-1])}")
    v = tape.values()
    v[name] = np.asarray(value)
    for later in STEPS[STEPS.index(name) + 1 :]:
        v[later] = _RECOMPUTE[later](v)
    return v["L"]


def torch_gradients(z, y):
    """The same gradients by PyTorch's autograd, in float64; None without PyTorch.

    The forward pass is written again with torch operations, every
    intermediate keeps its gradient (``retain_grad``), and one call of
    ``backward`` fills them in: an oracle that shares no backward code with
    :func:`backward_steps` (:ref:`backprop-by-operation`).

    Returns
    -------
    dict or None
        ``"d" + name`` for every intermediate after z, and ``"dz"``, as
        float64 numpy arrays.
    """
    try:
        import torch
    except ImportError:
        return None
    z_np, y_np = logits_and_labels(z, y)
    z = torch.tensor(z_np, dtype=torch.float64, requires_grad=True)
    y = torch.as_tensor(y_np)
    m = z.max(dim=1, keepdim=True).values
    zs = z - m
    e = torch.exp(zs)
    s = e.sum(dim=1, keepdim=True)
    r = 1 / s
    p = e * r
    logp = torch.log(p)
    picked = logp[torch.arange(z.shape[0]), y]
    L = -picked.mean()
    kept = {"m": m, "zs": zs, "e": e, "s": s, "r": r, "p": p, "logp": logp, "picked": picked}
    for tensor in kept.values():
        tensor.retain_grad()
    L.backward()
    out = {f"d{name}": tensor.grad.numpy().copy() for name, tensor in kept.items()}
    out["dz"] = z.grad.numpy().copy()
    return out
