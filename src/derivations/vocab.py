"""Cross-entropy over a large vocabulary without the (N, V) logits.

A language model's last layer maps N hidden vectors ``h`` (N, d) to logits
``z = h W^T`` over V words, and the loss is the cross-entropy of
``softmax(z)``. For N = 2048 and V = 32768 the logits alone are 256 MiB in
float32, and the backward pass makes more arrays of that size. The
gradient ``dz = (p - onehot) / N`` needs the rest of its row only through
one number per row, the log-sum-exp ``lse`` in ``p = exp(z - lse)``, and
``lse`` can be accumulated chunk by chunk. So both passes can walk over the
vocabulary in chunks of W, keeping one (N, chunk) block at a time.
Derived and measured in :ref:`what-it-costs`.
"""

import numpy as np

from ._validate import check_finite


def _check_inputs(h, W, target, chunk_size):
    """Validate; return ``h``, ``W`` (one float type) and ``target`` as int64."""
    arrays = []
    for name, x in (("h", h), ("W", W)):
        a = np.asarray(x)
        if a.dtype.kind == "b" or a.dtype.kind not in "iuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {a.dtype}")
        if a.ndim != 2:
            want = "(N, d)" if name == "h" else "(V, d)"
            raise ValueError(f"{name} must have shape {want}, got shape {a.shape}")
        arrays.append(a)
    h, W = arrays
    dtype = np.result_type(h.dtype, W.dtype, np.float32)
    if dtype not in (np.float32, np.float64):
        dtype = np.dtype(np.float64)
    h, W = h.astype(dtype, copy=False), W.astype(dtype, copy=False)
    (N, d), (V, d_w) = h.shape, W.shape
    if d != d_w:
        raise ValueError(f"h has {d} features per row but W has {d_w}; both need the same d")
    if V == 0:
        raise ValueError("W has no rows: the vocabulary needs at least one word")
    check_finite(h, "h")
    check_finite(W, "W")
    t = np.asarray(target)
    if t.dtype.kind not in "iu":
        raise TypeError(f"target must hold integer word indices, got dtype {t.dtype}")
    if t.shape != (N,):
        raise ValueError(f"target must have shape ({N},), one index per row of h; got {t.shape}")
    t = t.astype(np.int64)
    bad = (t < 0) | (t >= V)
    if bad.any():
        raise ValueError(f"target {int(t[bad][0])} is out of range for a vocabulary of {V} (expected 0..{V - 1})")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)):
        raise TypeError(f"chunk_size must be a positive integer, got {type(chunk_size).__name__}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size}")
    return h, W, t


def linear_cross_entropy(h, W, target, *, chunk_size=2048):
    """Mean cross-entropy of the logits ``h @ W.T`` and its gradients, chunk by chunk.

    Computes ``loss = mean_n(lse[n] - z[n, target[n]])`` with ``z = h W^T``,
    and ``dh``, ``dW``, without ever holding the (N, V) logits:

    1. a first pass over W in chunks of ``chunk_size`` rows keeps, for each
       row n, a running maximum ``m`` and a running sum
       ``s = sum exp(z - m)``, rescaled by ``exp(m_old - m_new)`` whenever
       the maximum grows (an *online* log-sum-exp); it also picks out
       ``z[n, target[n]]``;
    2. with ``lse = m + log s`` known, a second pass recomputes each chunk's
       logits, turns them into ``dz = (exp(z - lse) - onehot) / N``, and adds
       ``dz @ W_chunk`` to ``dh`` and writes ``dz^T @ h`` into the chunk's
       rows of ``dW``.

    The price is computing the logits twice: 4 N V d multiply-adds instead
    of 3. The memory is one (N, chunk_size) block, plus the outputs.

    Derived in :ref:`what-it-costs`.

    Parameters
    ----------
    h : array_like of float, shape (N, d)
        Hidden vectors, one per row.
    W : array_like of float, shape (V, d)
        Output weights, one row per word; the logits are ``h @ W.T``.
    target : array_like of int, shape (N,)
        The correct word of each row, in 0..V-1.
    chunk_size : int
        Words per chunk.

    Returns
    -------
    loss : numpy scalar
    dh : ndarray, shape (N, d)
    dW : ndarray, shape (V, d)
        In the float type of ``h`` and ``W`` (float64 if either is, or if
        they are integers).

    Examples
    --------
    >>> h = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> W = np.array([[0.0, 0.0], [np.log(3.0), 0.0], [0.0, 0.0]])
    >>> loss, dh, dW = linear_cross_entropy(h, W, np.array([1, 0]), chunk_size=2)
    >>> float(loss)                  # (-log(3/5) - log(1/3)) / 2
    0.8047...
    >>> z = h @ W.T                  # the same through the (N, V) logits
    >>> dz = cross_entropy_grad(z, np.array([1, 0]))
    >>> bool(np.allclose(dh, dz @ W) and np.allclose(dW, dz.T @ h))
    True
    """
    h, W, t = _check_inputs(h, W, target, chunk_size)
    N, V = h.shape[0], W.shape[0]
    dtype = h.dtype
    rows = np.arange(N)
    buf = np.empty((N, min(chunk_size, V)), dtype=dtype)  # the only (N, chunk) array

    # pass 1: online log-sum-exp over the chunks, and the target logits
    m = np.full(N, -np.inf)
    s = np.zeros(N)
    z_target = np.empty(N)
    for v0 in range(0, V, chunk_size):
        Wc = W[v0 : v0 + chunk_size]
        zc = np.matmul(h, Wc.T, out=buf[:, : len(Wc)])
        here = (t >= v0) & (t < v0 + len(Wc))
        z_target[here] = zc[rows[here], t[here] - v0]
        m_new = np.maximum(m, zc.max(axis=1))
        # rescale what was summed so far to the new maximum, then add this chunk
        zc -= m_new[:, None].astype(dtype)
        np.exp(zc, out=zc)
        s = s * np.exp(m - m_new) + zc.sum(axis=1, dtype=np.float64)
        m = m_new
    lse = m + np.log(s)
    loss = np.mean(lse - z_target)

    # pass 2: dz = (p - onehot) / N chunk by chunk; p needs only lse
    dh = np.zeros_like(h)
    dW = np.empty_like(W)
    for v0 in range(0, V, chunk_size):
        Wc = W[v0 : v0 + chunk_size]
        zc = np.matmul(h, Wc.T, out=buf[:, : len(Wc)])
        zc -= lse[:, None].astype(dtype)
        np.exp(zc, out=zc)  # p for this chunk's words
        here = (t >= v0) & (t < v0 + len(Wc))
        zc[rows[here], t[here] - v0] -= 1
        zc *= dtype.type(1.0 / N)  # dz
        dh += zc @ Wc
        np.matmul(zc.T, h, out=dW[v0 : v0 + len(Wc)])
    return dtype.type(loss), dh, dW
