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

from ._validate import check_row_max, linear_inputs


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
    h, W, t, chunk_size = linear_inputs(h, W, target, chunk_size)
    N, V = h.shape[0], W.shape[0]
    dtype = h.dtype
    if N == 0:
        # an empty batch: nothing to average, so the mean is 0, as for
        # cross_entropy when every target is ignored
        return dtype.type(0.0), np.zeros_like(h), np.zeros_like(W)
    rows = np.arange(N)
    buf = np.empty((N, min(chunk_size, V)), dtype=dtype)  # the only (N, chunk) array

    # pass 1: online log-sum-exp over the chunks, and the target logits
    m = np.full(N, -np.inf)
    s = np.zeros(N)
    z_target = np.empty(N)
    for v0 in range(0, V, chunk_size):
        Wc = W[v0 : v0 + chunk_size]
        with np.errstate(over="ignore", invalid="ignore"):  # reported below
            zc = np.matmul(h, Wc.T, out=buf[:, : len(Wc)])
        here = (t >= v0) & (t < v0 + len(Wc))
        z_target[here] = zc[rows[here], t[here] - v0]
        chunk_max = zc.max(axis=1)
        # h and W are finite, so NaN or +inf here means h @ W.T overflowed
        check_row_max(chunk_max, "the logits h @ W.T", overflow=dtype)
        m_new = np.maximum(m, chunk_max)
        # rescale what was summed so far to the new maximum, then add this chunk
        zc -= m_new[:, None].astype(dtype)
        np.exp(zc, out=zc)
        s = s * np.exp(m - m_new) + zc.sum(axis=1, dtype=np.float64)
        m = m_new
    log_s = np.log(s)
    # (m - z_target) is exact or nearly so; adding lse = m + log s first
    # would round away the digits of a small loss
    loss = np.mean((m - z_target) + log_s)
    m_d, log_s_d = m.astype(dtype)[:, None], log_s.astype(dtype)[:, None]

    # pass 2: dz = (p - onehot) / N chunk by chunk; p needs only lse
    # summed over the chunks in float64: for float32 inputs the chunks' sums
    # would otherwise add their rounding errors
    dh = np.zeros(h.shape)
    dW = np.empty_like(W)
    for v0 in range(0, V, chunk_size):
        Wc = W[v0 : v0 + chunk_size]
        zc = np.matmul(h, Wc.T, out=buf[:, : len(Wc)])
        # z - lse in two steps: m is one of this row's logits, so z - m is
        # exact for nearby logits, and log s (0..log V) rounds far less in
        # float32 than lse itself would
        zc -= m_d
        zc -= log_s_d
        np.exp(zc, out=zc)  # p for this chunk's words
        here = (t >= v0) & (t < v0 + len(Wc))
        zc[rows[here], t[here] - v0] -= 1
        zc *= dtype.type(1.0 / N)  # dz
        dh += zc @ Wc
        np.matmul(zc.T, h, out=dW[v0 : v0 + len(Wc)])
    return dtype.type(loss), dh.astype(dtype), dW
