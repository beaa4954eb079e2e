"""The fast paths behind :func:`softmax_backward` and the cross-entropy functions.

Each kernel computes exactly the formula of its readable twin (kept here
beside it); only the order of the work changes. :ref:`what-it-costs` measures
both and explains the choices:

* **Row blocks.** A (512, 50257) float32 array is 100 MB, far more than any
  cache. A formula written as three whole-array numpy expressions streams
  the data through main memory three times and allocates temporaries.
  Working on a few rows at a time (about 512 KiB per operand) keeps a block
  in the core's L2 cache between the passes, so main memory sees each input
  read once and each output written once.
* **In place.** Every pass writes into the output block with ``out=``:
  no temporary arrays, no page faults on fresh memory.
* **Reductions without products.** A row's ``<p, dp>`` or ``sum(exp)`` is a
  matrix-vector product, done by BLAS in one read, never a materialised
  ``p * dp``.
* **No shift when it is provably unnecessary.** See :func:`unshifted_ok`.
* **Every core.** numpy's loops release the GIL, so the row blocks are
  shared out to a small pool of threads (:func:`set_threads`). Which rows
  form a block never depends on the number of threads, and each block is
  computed by the same operations whichever thread takes it, so the
  results are the same to the last bit for any number of threads.
* **Compiled loops where numpy stops.** numpy needs three passes over a
  block for the VJP and for the cross-entropy's rows, and each costs time
  even in cache. :mod:`derivations.compiled` does each row in one sweep
  from memory and one in cache, where it was built; the numpy passes here
  remain for every other case and give the same results to rounding.
* **Output memory used again.** A large result comes from
  :func:`new_array`, which hands out again the memory of a result the
  caller has dropped, instead of fresh memory that the operating system
  must first fill with zeros (:ref:`what-it-costs` measures the page faults).
"""

from __future__ import annotations

import collections
import itertools
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from derivations import compiled
from derivations.validation import as_int, check_row_max

try:
    from threadpoolctl import ThreadpoolController
except ImportError:  # optional: without it the kernels are as correct, but see one_blas_thread
    ThreadpoolController = None

# Entries of one operand per block: 2**18 floats is five rows of 50k classes,
# 1 MiB in float32. The cross-entropy's passes work on one operand at a
# time, which stays in a core's 2 MiB L2 cache between them; at 512 x 50,257
# on two threads it reached 0.53 of the copy roof with these blocks and 0.49
# with blocks half as large.
BLOCK_ELEMENTS = 1 << 18
# The softmax VJP's blocks are half as large: its last passes read two
# operands and write a third (1.5 MiB in all), which then still fit in L2. On
# one thread it reached 0.67 of the copy roof with them and 0.62 with
# BLOCK_ELEMENTS; smaller ones gained nothing on one thread and lost on two,
# where each block's Python overhead holds the GIL.
VJP_BLOCK_ELEMENTS = 1 << 17
# The compiled VJP finishes each row before the next, so its blocks need not
# fit in cache: they only share the rows out to the threads, and are large
# enough (about 20 rows of 50k classes) that a call's overhead is nothing.
COMPILED_BLOCK_ELEMENTS = 1 << 20

# Below this many entries a kernel does not bother to pin BLAS to one thread.
_THREADS_MATTER = 1 << 15
_controller = None

# The largest row sum of exp(z) accepted without a shift (see unshifted_ok).
_UNSHIFTED_MAX_SUM = 2.0**64


def row_blocks(n_rows, row_len, block_elements=None):
    """Slices that cut ``n_rows`` rows of ``row_len`` entries into blocks.

    Used in :ref:`what-it-costs`.

    A block holds about ``block_elements`` entries (default
    :data:`BLOCK_ELEMENTS`) and at least one row.

    Examples
    --------
    >>> [(s.start, s.stop) for s in row_blocks(5, 50_000, block_elements=120_000)]
    [(0, 2), (2, 4), (4, 5)]
    >>> len(list(row_blocks(4096, 10)))      # small rows: one block
    1
    """
    if block_elements is None:
        block_elements = BLOCK_ELEMENTS
    step = max(1, int(block_elements // max(row_len, 1)))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


# ------------------------------------------------------------------ threads

# Below this many entries a kernel runs on the calling thread alone: handing
# blocks to other threads costs tens of microseconds.
PARALLEL_MIN = 1 << 17

_threads = None  # None: every core this process may run on
_executor = None
_executor_workers = 0
_executor_lock = threading.Lock()
_in_worker = threading.local()


def available_cores():
    """The number of cores this process may run on (its CPU affinity).

    Used in :ref:`cost-threads`.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def set_threads(n: int | None = None) -> int | None:
    """How many threads the kernels may use; returns the previous setting.

    Used in :ref:`cost-threads`.

    ``n=None`` (the default when the package is imported) means every core
    this process may run on (``os.sched_getaffinity``); ``n=1`` runs every
    kernel on the calling thread. The results do not depend on ``n``, to
    the last bit: only the speed does. It applies to
    :func:`~derivations.softmax_backward`, the cross-entropy functions and
    :func:`~derivations.linear_cross_entropy` (whose matrix products are
    BLAS's, with BLAS's own threads).

    Examples
    --------
    >>> previous = set_threads(1)
    >>> get_threads()
    1
    >>> _ = set_threads(previous)
    """
    global _threads
    if n is not None:
        n = as_int(n, "threads", "a positive integer or None", minimum=1)
    previous, _threads = _threads, n
    return previous


def get_threads() -> int:
    """The number of threads the kernels use now (see :func:`set_threads`).

    Used in :ref:`cost-threads`.
    """
    return _threads if _threads is not None else available_cores()


def _executor_for(workers):
    """The shared pool of worker threads, created on first use, grown when asked for more."""
    global _executor, _executor_workers
    with _executor_lock:
        if _executor is None or _executor_workers < workers:
            old = _executor
            _executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="derivations")
            _executor_workers = workers
            if old is not None:
                old.shutdown(wait=False)
        return _executor


def for_each_block(work, n_blocks, size, scratch=None):
    """Call ``work(i, scratch)`` for every block ``i < n_blocks``, on up to :func:`get_threads` threads.

    Used in :ref:`cost-threads`.

    Blocks are handed out one at a time to whichever thread is free, the
    calling thread included; each thread first makes its own ``scratch()``
    (None if not given). ``work`` must write only what belongs to block
    ``i``. Problems of fewer than :data:`PARALLEL_MIN` entries (``size``)
    run on the calling thread. numpy's floating-point error settings of the
    caller apply in every thread.

    Examples
    --------
    >>> out = np.zeros(6)
    >>> def work(i, _):
    ...     out[i] = i * i
    >>> for_each_block(work, 6, size=10**9)
    >>> out
    array([ 0.,  1.,  4.,  9., 16., 25.])
    """
    threads = min(get_threads(), n_blocks)
    if threads <= 1 or size < PARALLEL_MIN or getattr(_in_worker, "active", False):
        s = scratch() if scratch is not None else None
        for i in range(n_blocks):
            work(i, s)
        return
    counter = itertools.count()  # next() on it is atomic: each block is taken once
    errors = np.geterr()

    def worker():
        _in_worker.active = True
        try:
            with np.errstate(**errors):
                s = scratch() if scratch is not None else None
                for i in counter:
                    if i >= n_blocks:
                        return
                    work(i, s)
        finally:
            _in_worker.active = False

    helpers = [_executor_for(threads - 1).submit(worker) for _ in range(threads - 1)]
    try:
        worker()
    finally:
        wait(helpers)  # every block is written before the caller reads any
    for h in helpers:
        h.result()  # re-raises a helper's exception


# ---------------------------------------------------- output memory, used again

# Results smaller than this come from np.empty: glibc keeps and reuses such
# memory itself. Larger ones are mapped fresh from the operating system on
# every allocation, and unmapped when freed.
REUSE_MIN_BYTES = 1 << 20
# At most this many bytes of dropped results are kept for reuse.
REUSE_IDLE_BYTES = 1 << 30
_HUGE_PAGE = 1 << 21
_idle = collections.deque()  # raw uint8 buffers whose results were dropped


class _Lease:
    """The owner of a result's memory as numpy sees it; when it dies, the memory goes back."""

    __slots__ = ("__array_interface__", "__weakref__")


def _give_back(raw):
    _idle.append(raw)
    total = sum(r.nbytes for r in _idle)
    while total > REUSE_IDLE_BYTES and _idle:
        total -= _idle.popleft().nbytes  # the oldest is released to the operating system


def release_idle():
    """Hand the memory of every dropped result back to the operating system.

    Used in :ref:`cost-fresh-memory`.

    Examples
    --------
    >>> release_idle(); len(_idle)
    0
    """
    _idle.clear()


def new_array(shape, dtype):
    """An uninitialised array, like ``np.empty``, in memory that earlier results gave back.

    Used in :ref:`cost-fresh-memory`.

    A large ``np.empty`` array is fresh memory: the operating system maps it
    on first touch, one page fault per page (per 2 MiB huge page where numpy
    asks for those), and zero-fills every page before the kernel writes it,
    which is one more pass over the whole array. When the array is freed the
    memory goes back to the operating system, and the next call pays again.
    This keeps the memory of dropped results (up to
    :data:`REUSE_IDLE_BYTES`) and hands it out again for a result of the same
    size, as the caching allocators of deep-learning frameworks do. Arrays
    smaller than :data:`REUSE_MIN_BYTES` are plain ``np.empty``.

    The array's ``base`` is a private owner object (``owndata`` is False);
    the memory returns when the array and every view of it are gone.

    Examples
    --------
    >>> a = new_array((1024, 1024), np.float32); address = a.ctypes.data
    >>> del a
    >>> new_array((1024, 1024), np.float32).ctypes.data == address  # the same memory again
    True
    """
    dtype = np.dtype(dtype)
    shape = tuple(int(k) for k in shape)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if nbytes < REUSE_MIN_BYTES:
        return np.empty(shape, dtype=dtype)
    size = -(-nbytes // _HUGE_PAGE) * _HUGE_PAGE
    raw = None
    for _ in range(len(_idle)):
        try:
            candidate = _idle.pop()
        except IndexError:
            break
        if candidate.nbytes == size:
            raw = candidate
            break
        _idle.appendleft(candidate)
    if raw is None:
        raw = np.empty(size, dtype=np.uint8)
    lease = _Lease()
    lease.__array_interface__ = {
        "shape": shape, "typestr": dtype.str, "data": (raw.ctypes.data, False), "version": 3,
    }
    done = weakref.finalize(lease, _give_back, raw)
    done.atexit = False
    return np.asarray(lease)


@contextmanager
def one_blas_thread(size=None):
    """Run the enclosed BLAS calls on one thread (if threadpoolctl is installed).

    Used in :ref:`cost-threads`.

    The kernels call BLAS only for reductions of a row: a dot product, a
    sum. OpenBLAS starts its worker threads for a single long dot product
    in float64, and its workers spin while they wait for work. The
    reduction is limited by memory, not arithmetic, so the threads gain
    nothing; on a busy two-core machine their spinning made a float64
    softmax backward pass 20 times slower. Small problems (``size``
    entries; None means any size) skip the 20 microseconds this costs.
    """
    global _controller
    if ThreadpoolController is None or (size is not None and size < _THREADS_MATTER):
        yield
        return
    if _controller is None:
        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield


# From this row length on, a row's dot product is one BLAS call of its own
# (see _row_dot): the call costs about a microsecond, a row of 8192 floats
# several.
LONG_ROW = 8192


def _row_dot(a, b, out):
    """``out[n] = sum_c a[n, c] b[n, c]``, without forming ``a * b``."""
    C = a.shape[1]
    if C <= 64:
        # short rows: one einsum beats a BLAS call per row, and sums few terms
        return np.einsum("ij,ij->i", a, b, out=out)
    if C >= LONG_ROW:
        # long rows: BLAS's dot per row. A batched matmul goes through
        # OpenBLAS's matrix product, whose shared buffers make threads wait for
        # each other: on two threads it ran at 0.37 of the copy roof, the
        # loop at 0.59 (512 x 50,257, float32). A row's result is the same
        # either way it is called, whatever the block or the thread.
        for n in range(a.shape[0]):
            out[n] = np.dot(a[n], b[n])
        return out
    # (B, 1, C) @ (B, C, 1): one BLAS dot product per row, accumulated in
    # several partial sums, about as accurate as numpy's pairwise sum
    np.matmul(a[:, None, :], b[:, :, None], out=out[:, None, None])
    return out


# ----------------------------------------------------------------- softmax VJP


def softmax_vjp_readable(p, dp):
    """``dz = p * (dp - <p, dp>)`` over the last axis, in one line.

    Used in :ref:`what-it-costs`.

    The version to read. It makes (N, C) temporaries and streams
    the data through memory about three times.

    Examples
    --------
    >>> p, dp = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])
    >>> softmax_vjp_readable(p, dp)
    array([[ 0.25, -0.25]])
    """
    return p * (dp - np.sum(p * dp, axis=-1, keepdims=True))


def softmax_vjp_rows(p, dp, dz):
    """The softmax VJP of (M, C) arrays into ``dz``, a block at a time.

    Used in :ref:`what-it-costs`.

    The arithmetic of :func:`softmax_vjp_readable`: in one compiled pass
    per row where :mod:`derivations.compiled` was built, and otherwise in
    three in-place numpy passes over each block of rows while it is in
    cache. Returns the
    (M,) row dot products ``<p, dp>``: NaN or infinite if any input
    was, so the caller checks them instead of scanning both inputs.

    Examples
    --------
    >>> p = np.array([[0.5, 0.5], [0.25, 0.75]])
    >>> dp = np.array([[1.0, 0.0], [0.0, 4.0]])
    >>> dz = np.empty_like(p)
    >>> softmax_vjp_rows(p, dp, dz)
    array([0.5, 3. ])
    >>> dz
    array([[ 0.25, -0.25],
           [-0.75,  0.75]])
    """
    M, C = p.shape
    dot = np.empty(M, dtype=p.dtype)
    if compiled.accepts(p, dp, dz, dot):
        # one compiled pass per row: the blocks only share the rows out to the threads
        blocks = list(row_blocks(M, C, COMPILED_BLOCK_ELEMENTS))
        run = compiled.vjp_blocks(p, dp, dz, dot)
        for_each_block(lambda i, _: run(blocks[i]), len(blocks), p.size)
    else:
        softmax_vjp_numpy(p, dp, dz, dot)
    return dot


def softmax_vjp_numpy(p, dp, dz, dot):
    """:func:`softmax_vjp_rows` in numpy alone: three in-place passes over each block of rows.

    Used in :ref:`what-it-costs`.

    Where the compiled library is missing, and for float types it does not
    take. Writes ``dz`` and the row dot products ``dot``.

    Examples
    --------
    >>> p, dp = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])
    >>> dz, dot = np.empty_like(p), np.empty(1)
    >>> softmax_vjp_numpy(p, dp, dz, dot); dz
    array([[ 0.25, -0.25]])
    """
    M, C = p.shape
    blocks = list(row_blocks(M, C, VJP_BLOCK_ELEMENTS))

    def block(i, _):
        rows = blocks[i]
        pb, dpb, dzb = p[rows], dp[rows], dz[rows]
        # <p, dp>: the only coupling between the classes
        d = _row_dot(pb, dpb, dot[rows])[:, None]
        np.subtract(dpb, d, out=dzb)
        np.multiply(dzb, pb, out=dzb)  # dz = p * (dp - <p, dp>)

    with one_blas_thread(p.size):
        for_each_block(block, len(blocks), p.size)


# ------------------------------------------------------------ cross-entropy


class ClassTargets(NamedTuple):
    """Integer targets kept sparse: row n puts weight ``weight[n]`` on class ``label[n]``.

    Used in :ref:`what-it-costs`.

    The dense (N, C) target array would be all zeros but for one entry per
    row; the kernels only ever need those N entries.
    """

    label: np.ndarray  # (N,) int64, any valid class for rows of weight 0
    weight: np.ndarray  # (N,) float, 0 for ignored rows


def cross_entropy_readable(z, label):
    """Mean cross-entropy of integer labels and its gradient, in plain numpy.

    Used in :ref:`what-it-costs`.

    ``p = softmax(z)``; the loss is ``mean(-log p[n, label[n]])`` and the
    gradient ``(p - onehot) / N``. The version to read; it allocates four
    (N, C) arrays and passes over the data about ten times.

    Examples
    --------
    >>> loss, g = cross_entropy_readable(np.array([[0.0, np.log(3.0)]]), np.array([1]))
    >>> round(float(loss), 6), g
    (0.287682, array([[ 0.25, -0.25]]))
    """
    N = z.shape[0]
    rows = np.arange(N)
    zs = z - z.max(axis=1, keepdims=True)  # shift by the row maximum: exp cannot overflow
    e = np.exp(zs)
    s = e.sum(axis=1, keepdims=True)
    p = e / s
    loss = np.mean(np.log(s[:, 0]) - zs[rows, label])
    g = p.copy()
    g[rows, label] -= 1
    return loss, g / N


def unshifted_ok(s, C):
    """Which rows may skip the shift, judged by ``s = sum_c exp(z)``.

    Used in :ref:`what-it-costs`.

    Softmax usually subtracts the row maximum ``m`` before ``exp``,
    which costs a pass to find ``m`` and one to subtract it. The shift
    only keeps exp in range: numpy's ``exp`` is accurate to a few ulp
    for any argument, so ``exp(z)`` is, if anything, more accurate
    than ``exp(z - m)``, whose argument was rounded. So the kernels
    run ``exp`` on ``z`` itself, and the row sums prove afterwards
    that nothing was lost. Since ``exp(m) <= s <= C exp(m)``,

    * ``s >= C`` means ``m >= 0``, so an entry that underflows in
      ``exp(z)`` underflows in ``exp(z - m)`` as well;
    * ``s <= 2**64`` means no entry overflowed, and keeps ``1/s``
      clear of float32's subnormal numbers when rows are scaled.

    Rows that fail (all logits negative, logits above about 44,
    -inf masks, NaN) are redone with the shift
    (:func:`exp_shifted_rows`).

    Examples
    --------
    >>> z = np.array([[0.0, 1.0], [-3.0, -2.0], [50.0, 0.0]])
    >>> unshifted_ok(np.exp(z).sum(axis=1), 2)
    array([ True, False, False])
    """
    return (s >= C) & (s <= _UNSHIFTED_MAX_SUM)  # NaN fails both


def masked_row_shift(m):
    """The row maxima ``m`` as the shift to subtract, 0 where a row is fully masked.

    Subtracting the row maximum makes every exponent <= 0. A row whose
    classes are all -inf (all masked) has maximum -inf, and -inf - (-inf)
    is NaN; shifted by 0 instead, the row stays -inf and its exponentials
    are 0. The one guard for that row in softmax, its Jacobian and the
    kernels (:ref:`numerical-stability`).

    Examples
    --------
    >>> masked_row_shift(np.array([[3.0], [-np.inf]]))
    array([[3.],
           [0.]])
    """
    m = np.asarray(m)
    return np.where(np.isneginf(m), 0, m).astype(m.dtype, copy=False)


def exp_shifted_rows(z, redo, s, shift, out=None, rest=None):
    """Redo rows ``redo`` of z: ``exp(z - m)`` with ``m`` the row maximum.

    Writes the row sums ``s[redo]``, ``shift[redo] = m`` and, if ``out``
    (one row per entry of ``redo``) is given, the exponentials. The
    textbook stable formula; it also rejects NaN and +inf (through the
    maximum) and gives a fully masked row zeros and ``s = 0``.

    With ``rest``, also writes ``rest[redo]``, the sum without the maximal
    entry's term (which is exactly ``exp(0) = 1``): ``s = 1 + rest``, and
    ``log s = log1p(rest)`` keeps its digits when ``rest`` is tiny
    (:ref:`loss-accuracy`).
    """
    ones = np.ones(z.shape[1], dtype=z.dtype)
    step = max(1, BLOCK_ELEMENTS // z.shape[1])
    for k in range(0, len(redo), step):
        r = redo[k : k + step]
        zr = z[r]
        top = np.argmax(zr, axis=1)  # argmax finds NaN first, so NaN rows still fail the check
        i = np.arange(len(r))
        m = zr[i, top]
        check_row_max(m)
        m = masked_row_shift(m)  # a fully masked row: exp gives zeros, s = 0
        zr -= m[:, None]
        np.exp(zr, out=zr)
        if out is not None:
            out[k : k + step] = zr
        if rest is not None:
            e_top = zr[i, top]  # 1, or 0 for a fully masked row
            zr[i, top] = 0
            if rest.dtype == zr.dtype:
                rest[r] = zr @ ones
            else:  # a wider sum (float64, pairwise)
                rest[r] = np.add.reduce(zr, axis=1, dtype=rest.dtype)
            s[r] = rest[r] + e_top
        else:
            s[r] = zr @ ones
        shift[r] = m


def cross_entropy_rows(z, targets, scale, grad):
    """Per-row cross-entropy of (N, C) logits and, into ``grad``, its scaled gradient.

    ``targets`` is a :class:`ClassTargets` or the dense (N, C) target
    weights ``a``. Row n's loss is ``sum_c a[n, c] (lse[n] - z[n, c])``
    with ``lse = log sum exp z``; its gradient ``p[n] sum_c a[n, c] - a[n]``
    is written to ``grad`` multiplied by ``scale`` (``1/norm`` for a mean).
    Pass ``grad=None`` for the loss alone: one block of scratch memory is
    then all it allocates. Returns the (N,) float64 losses.

    One pass over row blocks computes ``exp(z)`` unshifted and, while the
    block is in cache, its row sums and the scaled ``p``. Rows that
    :func:`unshifted_ok` rejects are then redone with the shift. Rows that
    are not ordinary (a target on a -inf logit, a fully masked row, a masked
    class beside soft targets: any row whose loss is not finite or whose
    exponentials sum to 0) are recomputed last by the readable formula,
    which knows that a masked logit's gradient is 0 and that
    ``0 log 0 = 0``.

    The loss is not computed as ``lse - z[y]``, a difference of two numbers
    of the size of ``max |z|`` that loses every digit of a small loss.
    Each row's sum of exponentials is kept in two parts, the term of one
    *pivot* class k (the label for integer targets, the row maximum
    otherwise) and the rest, so ``lse - z_k = log1p(rest / exp(z_k))``
    exactly, a sum of non-negative terms, with no cancellation
    (:ref:`loss-accuracy`). The loss then adds only non-negative terms too,
    and is accurate to a few units in the last place even when it is tiny.

    Examples
    --------
    >>> z = np.array([[0.0, np.log(3.0)]]); g = np.empty_like(z)
    >>> cross_entropy_rows(z, ClassTargets(np.array([1]), np.array([1.0])), 1.0, g)
    array([0.28768207])
    >>> g                                       # p - onehot
    array([[ 0.25, -0.25]])
    >>> z = np.array([[1e4 + 40.0, 1e4]])       # loss log(1 + e^-40), about 4.2e-18
    >>> cross_entropy_rows(z, ClassTargets(np.array([0]), np.array([1.0])), 1.0, None)
    array([4.24835426e-18])
    """
    if grad is not None and not grad.flags.c_contiguous:
        raise ValueError("grad must be a C-contiguous array")
    with one_blas_thread(z.size):
        return _cross_entropy_rows(z, targets, scale, grad)


def _cross_entropy_rows(z, targets, scale, grad):
    N, C = z.shape
    dtype = z.dtype
    dense = not isinstance(targets, ClassTargets)
    blocks = list(row_blocks(N, C))
    ones = np.ones(C, dtype=dtype)
    s = np.empty(N, dtype=dtype)  # row sums of exp(z - shift)
    rest = np.empty(N, dtype=np.float64 if dense else dtype)  # the same without the pivot's term
    e_k = np.empty(N, dtype=dtype)  # the pivot's term exp(z_k - shift)
    f = np.empty(N, dtype=dtype)  # row factors turning exp(z - shift) into scale * sum(a) * p
    block_rows = blocks[0].stop if blocks else 0
    row_starts = np.arange(block_rows) * C  # where each row of a block starts, flat
    if dense:
        # The pivot is the row maximum m; the loss is
        # sum(a) * log(sum exp(z - m)) + sum a (m - z): two sums of non-negative terms,
        # both in float64 (pairwise), so float32 rows lose no digits to C-term sums.
        total = np.empty(N)  # sum_c a[n, c]
        am = np.empty(N)  # sum_c a[n, c] (m[n] - z[n, c])
        m = np.empty(N, dtype=dtype)
        pivot = np.empty(N, dtype=np.int64)
    else:
        total = targets.weight.astype(dtype)
        pivot = targets.label

    def scratch():
        # each thread's own block-sized scratch arrays
        out = np.empty((block_rows, C), dtype=dtype) if grad is None else None
        return {
            "out": out,
            "run": compiled.cross_entropy_blocks(z, out, label, num, s, rest, e_k, f, scale=False, scratch=True)
            if compiled_loss_alone else None,
            "d64": np.empty((block_rows, C)) if dense else None,
            "a_scaled": np.empty((block_rows, C), dtype=dtype) if dense and grad is not None else None,
        }

    # float32 logits and integer targets: each block's rows in one compiled loop where it is fast
    num = None
    if not dense and dtype == np.float32 and compiled.CROSS_ENTROPY:
        # the loss alone needs no row factors: f is then left unused
        num = total if grad is None else np.multiply(total, dtype.type(scale), dtype=dtype)
        label = np.ascontiguousarray(targets.label, dtype=np.int64)
        if compiled.cross_entropy_accepts(z, z if grad is None else grad, label, num, s, rest, e_k, f):
            if grad is not None:
                run = compiled.cross_entropy_blocks(z, grad, label, num, s, rest, e_k, f, scale=True)
        else:
            num = None
    compiled_loss_alone = num is not None and grad is None

    def block(i, work):
        rows = blocks[i]
        zb = z[rows]
        gb = grad[rows] if grad is not None else work["out"][: len(zb)]
        if num is not None:
            # the whole output, or this thread's scratch block for the loss alone
            (run if grad is not None else work["run"])(rows)
            return
        if dense:
            pivot[rows] = np.argmax(zb, axis=1)
            m[rows] = zb[np.arange(len(zb)), pivot[rows]]
        np.exp(zb, out=gb)
        # the pivot's term apart: set it to 0 for the row sums, then put it back
        # (flat indices into the block: the cheapest gather and scatter numpy has)
        flat = gb.reshape(-1)  # a view: grad and the scratch are C-contiguous
        k = pivot[rows] + row_starts[: len(zb)]
        ek = e_k[rows] = flat.take(k)
        flat.put(k, 0)
        if dense:
            np.add.reduce(gb, axis=1, dtype=np.float64, out=rest[rows])
        else:
            np.matmul(gb, ones, out=rest[rows])
        flat.put(k, ek)
        np.add(rest[rows], ek, out=s[rows], casting="unsafe")
        if dense:
            ab = targets[rows]
            np.add.reduce(ab, axis=1, dtype=np.float64, out=total[rows])
            db = work["d64"][: len(zb)]
            np.subtract(m[rows, None], zb, out=db, dtype=np.float64)  # m - z >= 0, exact in float32
            np.multiply(db, ab, out=db)
            np.add.reduce(db, axis=1, out=am[rows])
        if grad is not None:
            fb = f[rows]
            np.multiply(total[rows], dtype.type(scale), out=fb, casting="unsafe")
            np.divide(fb, s[rows], out=fb)
            np.multiply(gb, fb[:, None], out=gb)  # scale * sum(a) * p
            if dense:
                tb = work["a_scaled"][: len(zb)]
                np.multiply(ab, dtype.type(scale), out=tb)
                np.subtract(gb, tb, out=gb)  # ... - scale * a

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # such rows are redone
        for_each_block(block, len(blocks), z.size, scratch)

        shift = np.zeros(N)
        redo = np.flatnonzero(~unshifted_ok(s, C))
        if redo.size:
            g_redo = np.empty((len(redo), C), dtype=dtype) if grad is not None else None
            rest_redo = np.empty(N, dtype=rest.dtype)
            exp_shifted_rows(z, redo, s, shift, out=g_redo, rest=rest_redo)
            # redone rows pivot on the row maximum, whose term is exp(0) = 1 (0 if fully masked)
            rest[redo] = rest_redo[redo]
            e_k[redo] = (s[redo] > 0).astype(dtype)
            if grad is not None:
                f[redo] = total[redo] * dtype.type(scale) / s[redo]
                g_redo *= f[redo][:, None]
                if dense:
                    g_redo -= targets[redo] * dtype.type(scale)
                grad[redo] = g_redo

        # log(sum_c exp(z_c - z_k)) = log1p(rest / e_k): a sum of non-negative terms,
        # as accurate as rest and e_k are, however small
        log_s_k = np.log1p(rest / e_k.astype(np.float64))
        if dense:
            loss = total * log_s_k + am
        else:
            # a label whose exp(z_y) is not a normal number, or so small that rest / e_y
            # overflows (z_y far below the others, unshifted): its term has lost digits,
            # so use lse - z_y, a sum of two positive numbers there (lse >= log C >= 0, -z_y > 0)
            y = targets.label
            zy = z[np.arange(N), y].astype(np.float64)
            faint = (e_k < np.finfo(dtype).tiny) | np.isinf(log_s_k)
            log_s_k[faint] = np.log(s[faint].astype(np.float64)) - zy[faint]
            # redone rows pivot on the maximum: add m - z_y >= 0, exact for float32 input
            log_s_k[redo] += shift[redo] - zy[redo]
            loss = np.where(total != 0, total * log_s_k, 0.0)
    if grad is not None and not dense:
        # ... - scale * a: one weighted class per row
        grad[np.arange(N), targets.label] -= (targets.weight * scale).astype(dtype)
    for n in np.flatnonzero(~np.isfinite(loss) | (s == 0)):
        loss[n], g = _readable_row(z[n], _dense_row(targets, n, C, dtype))
        if grad is not None:
            grad[n] = g * dtype.type(scale)
    # Every term above is >= 0 by construction (a >= 0, log1p of a sum >= 0, m - z >= 0),
    # so the loss needs no clamp at 0, and the gradient is the derivative of this loss.
    return loss


def _dense_row(targets, n, C, dtype):
    """Row n of the target weights as a dense (C,) array."""
    if not isinstance(targets, ClassTargets):
        return targets[n]
    a = np.zeros(C, dtype=dtype)
    a[targets.label[n]] = targets.weight[n]
    return a


def _readable_row(zn, a):
    """One row's loss and gradient by the readable formulas, masks and all."""
    m = masked_row_shift(np.max(zn))  # a fully masked row: every log-probability is -inf
    e = np.exp(zn - m)
    s = e.sum()
    lse = np.log(s) if s > 0 else 0
    logp = zn - m - lse
    p = e / s if s > 0 else e
    # 0 * log 0 counts as 0; a masked logit is a constant, its gradient is 0
    with np.errstate(invalid="ignore"):
        loss = -float(np.sum(a * logp, where=a != 0))
    g = p * a.sum() - a
    g[np.isneginf(zn)] = 0
    return loss, g
