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

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from derivations.kernels import ClassTargets, cross_entropy_rows, for_each_block, one_blas_thread
from derivations.validation import check_row_max, linear_inputs

# The pieces that the threads share out in blocks of whole rows. A default
# block at N = 2048, V = 32,768 holds 128 rows: pieces of 128 rows left the
# second core idle for the logits (0.78 s), pieces of 64 rows share them
# (0.68 s); 32 rows gained nothing more.
PIECE_ROWS = 64
PIECE_WORDS = 512

#: The cache size assumed when the machine does not say (bytes).
FALLBACK_CACHE_BYTES = 8 << 20
#: The largest default workspace (bytes). A virtual machine may report its
#: host's whole last-level cache, shared by every guest (480 MiB on one of
#: ours): a block that large is no longer small beside the logits it replaces.
MAX_WORKSPACE_BYTES = 32 << 20
# Blocks of whole rows need at least this many rows (or all N) to keep the
# matrix products efficient; with fewer, the block is a chunk of words instead.
MIN_BLOCK_ROWS = 32


def last_level_cache_bytes():
    """The size of this machine's largest CPU cache, in bytes.

    Used in :ref:`what-it-costs`.

    Read from Linux's ``/sys/devices/system/cpu/cpu0/cache/index*/size``
    (the largest data or unified cache), then from ``os.sysconf``
    (``SC_LEVEL3_CACHE_SIZE``, ``SC_LEVEL2_CACHE_SIZE``), and
    :data:`FALLBACK_CACHE_BYTES` if neither says.

    Examples
    --------
    >>> last_level_cache_bytes() >= 1 << 16
    True
    """
    sizes = []
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            if (index / "type").read_text().strip() == "Instruction":
                continue
            text = (index / "size").read_text().strip().upper()
        except OSError:
            continue
        scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
        digits = text.rstrip("KMG")
        if digits.isdigit():
            sizes.append(int(digits) * scale)
    if sizes:
        return max(sizes)
    import os

    for name in ("SC_LEVEL3_CACHE_SIZE", "SC_LEVEL2_CACHE_SIZE"):
        try:
            value = os.sysconf(name)
        except (ValueError, OSError, AttributeError):
            continue
        if value and value > 0:
            return int(value)
    return FALLBACK_CACHE_BYTES


def default_chunk_size(N, itemsize):
    """The default ``chunk_size``: an (N, chunk) block as large as the last-level cache.

    Used in :ref:`what-it-costs`.

    ``min(last_level_cache_bytes(), MAX_WORKSPACE_BYTES) // (N * itemsize)``
    words, at least 1.

    Examples
    --------
    >>> budget = min(last_level_cache_bytes(), MAX_WORKSPACE_BYTES)
    >>> default_chunk_size(2048, 4) == max(1, budget // (2048 * 4))
    True
    >>> default_chunk_size(2048, 4) * 2048 * 4 <= 32 << 20
    True
    """
    budget = min(last_level_cache_bytes(), MAX_WORKSPACE_BYTES)
    return max(1, budget // (max(N, 1) * itemsize))


def linear_cross_entropy(
    h: ArrayLike, W: ArrayLike, target: ArrayLike, *, chunk_size: int | None = None
) -> tuple[np.floating, np.ndarray, np.ndarray]:
    """Mean cross-entropy of the logits ``h @ W.T`` and its gradients, block by block.

    Computes ``loss = mean_n(lse[n] - z[n, target[n]])`` with ``z = h W^T``,
    and ``dh``, ``dW``, without ever holding the (N, V) logits. Its
    workspace is one block of ``N * chunk_size`` logits, used in one of two
    ways.

    **Blocks of whole rows**, when that many logits hold at least
    ``min(N, 32)`` whole rows twice over: for ``R = N * chunk_size // (2 V)``
    rows at a time, the block's logits ``h_R W^T`` (R, V) are computed once,
    the fused cross-entropy kernel turns them into ``dz`` in the second half
    of the workspace, and ``dh_R = dz W`` and ``dW += dz^T h_R`` follow
    (the latter by BLAS's ``C += A B`` when scipy is installed). That is
    ``3 N V d`` multiply-adds, as many as through the full logits.

    **Chunks of words** otherwise (a vocabulary so large that a few rows do
    not fit), in two passes over W in chunks of ``chunk_size`` words:

    1. a first pass over W in chunks of ``chunk_size`` rows keeps, for each
       row n, a running maximum ``m`` and a running sum
       ``s = sum exp(z - m)``, rescaled by ``exp(m_old - m_new)`` whenever
       the maximum grows (an *online* log-sum-exp); it also picks out
       ``z[n, target[n]]``;
    2. with ``lse = m + log s`` known, a second pass recomputes each chunk's
       logits, turns them into ``dz = (exp(z - lse) - onehot) / N``, and adds
       ``dz @ W_chunk`` to ``dh`` and writes ``dz^T @ h`` into the chunk's
       rows of ``dW``.

    The price of chunks of words is computing the logits twice: 4 N V d
    multiply-adds instead of 3. The memory is one (N, chunk_size) block,
    plus the outputs.

    Derived in :ref:`what-it-costs`.

    Parameters
    ----------
    h : array_like of float, shape (N, d)
        Hidden vectors, one per row.
    W : array_like of float, shape (V, d)
        Output weights, one row per word; the logits are ``h @ W.T``.
    target : array_like of int, shape (N,)
        The correct word of each row, in 0..V-1.
    chunk_size : int, optional
        The workspace, in words per row: ``N * chunk_size`` logits. By
        default the workspace fills the last-level cache
        (:func:`default_chunk_size`).

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
    if chunk_size is None:
        a = np.asarray(h)
        size = 8 if a.dtype == np.float64 or np.asarray(W).dtype == np.float64 else 4
        chunk_size = default_chunk_size(a.shape[0] if a.ndim else 1, size)
    h, W, t, chunk_size = linear_inputs(h, W, target, chunk_size)
    N, V = h.shape[0], W.shape[0]
    dtype = h.dtype
    if N == 0:
        # an empty batch: nothing to average, so the mean is 0, as for
        # cross_entropy when every target is ignored
        return dtype.type(0.0), np.zeros_like(h), np.zeros_like(W)
    block_rows = min(N, N * chunk_size // (2 * V))
    if block_rows >= min(N, MIN_BLOCK_ROWS):
        return _by_rows(np.ascontiguousarray(h), np.ascontiguousarray(W), t, block_rows)
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


def _by_rows(h, W, t, R):
    """:func:`linear_cross_entropy` in blocks of R whole rows: the logits computed once.

    Every matrix product is cut into pieces of fixed size (:data:`PIECE_ROWS`
    rows, :data:`PIECE_WORDS` words) that the package's threads share out,
    with BLAS on one thread: the pieces do not depend on the number of
    threads, so neither do the results, to the last bit.
    """
    N, V = h.shape[0], W.shape[0]
    dtype = h.dtype
    work = np.empty((2, R, V), dtype=dtype)  # the only (R, V) arrays: the logits, their gradient
    zmax = np.full(N, -np.inf, dtype=dtype)
    losses = np.empty(N)
    dh = np.empty_like(h)
    dW = np.empty_like(W)
    ones = np.ones(N, dtype=dtype)
    word_pieces = range(0, V, PIECE_WORDS)
    with one_blas_thread():
        for r0 in range(0, N, R):
            rows = slice(r0, min(r0 + R, N))
            hb = h[rows]
            zb, gb = work[0, : len(hb)], work[1, : len(hb)]
            row_pieces = range(0, len(hb), PIECE_ROWS)

            def logits(i, _):
                r = slice(row_pieces[i], row_pieces[i] + PIECE_ROWS)
                with np.errstate(over="ignore", invalid="ignore"):  # reported just below
                    np.matmul(hb[r], W.T, out=zb[r])
                    np.max(zb[r], axis=1, out=zmax[rows][r])

            for_each_block(logits, len(row_pieces), zb.size * h.shape[1])
            # h and W are finite, so NaN or +inf here means h @ W.T overflowed
            check_row_max(zmax, "the logits h @ W.T", overflow=dtype)
            # the fused kernel: the rows' losses and (p - onehot) / N, as cross_entropy_with_grad
            losses[rows] = cross_entropy_rows(zb, ClassTargets(t[rows], ones[rows]), 1.0 / N, gb)

            def dh_rows(i, _):
                r = slice(row_pieces[i], row_pieces[i] + PIECE_ROWS)
                np.matmul(gb[r], W, out=dh[rows][r])

            def dW_words(i, _, first=r0 == 0):
                v = slice(word_pieces[i], word_pieces[i] + PIECE_WORDS)
                if first:
                    np.matmul(gb[:, v].T, hb, out=dW[v])
                else:
                    dW[v] += gb[:, v].T @ hb  # a (PIECE_WORDS, d) temporary

            for_each_block(dh_rows, len(row_pieces), zb.size * h.shape[1])
            for_each_block(dW_words, len(word_pieces), zb.size * h.shape[1])
    return dtype.type(losses.sum() / N), dh, dW
