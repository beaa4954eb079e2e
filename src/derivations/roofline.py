"""Measuring kernels against the memory-bandwidth roof, as in :ref:`what-it-costs`.

A kernel that reads its inputs once and writes its output once can go no
faster than copying the same number of bytes. So each kernel is timed
together with ``np.copyto`` of as many bytes as it must move at the least,
in the same run, and reported as a fraction of that copy's speed: a ratio,
which survives a change of machine far better than a time does.

The machine this runs on may be busy with other work. Every timing here is
the *best* of several repetitions, taken in turns (kernel A, kernel B, copy,
A, B, copy, ...) so that a slow moment hurts all of them alike, and the
best repetition is the one least disturbed. The clock is the process's CPU
time (all its threads, system time included), not the wall clock: time
spent waiting while another program has the core is not the kernel's, and
on a shared two-core machine it can be most of the wall time. BLAS is held
to one thread while timing: every kernel here is single-threaded, and idle
BLAS workers that spin after a threaded call would be charged to whatever
kernel runs next.
"""

import time
import tracemalloc

import numpy as np

from ._kernels import cross_entropy_readable, one_blas_thread, softmax_vjp_readable
from .losses import cross_entropy_with_grad
from .softmax import softmax, softmax_backward


def best_times(kernels, repeats=7, warmup=1, clock=time.process_time, inner=2):
    """Best time of each kernel, run in turns, by CPU time by default.

    Parameters
    ----------
    kernels : dict of str to callable
        Callables with no arguments.
    repeats : int
        Timed rounds; each round runs every kernel once.
    warmup : int
        Untimed rounds first (page faults, caches, lazy imports).
    clock : callable
        Returns seconds; ``time.perf_counter`` for wall-clock time.
    inner : int
        Calls of a kernel in a row within a round, each timed: the first
        may find the caches full of the previous kernel's data, which
        matters for kernels of a few microseconds.

    Returns
    -------
    dict of str to float, seconds

    Examples
    --------
    >>> t = best_times({"sum": lambda: sum(range(1000))}, repeats=3)
    >>> 0 < t["sum"] < 1
    True
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    best = {name: float("inf") for name in kernels}
    with one_blas_thread():
        for _ in range(warmup):
            for fn in kernels.values():
                fn()
        for _ in range(repeats):
            for name, fn in kernels.items():
                for _ in range(inner):
                    start = clock()
                    fn()
                    best[name] = min(best[name], clock() - start)
    return best


def copy_kernel(nbytes):
    """A callable that copies ``nbytes // 2`` bytes: ``nbytes`` of memory traffic.

    A copy reads every byte once and writes it once, so its traffic is
    twice its size. This is the roof: the speed of moving bytes with nothing
    else to do.

    Examples
    --------
    >>> copy = copy_kernel(8_000)
    >>> copy()
    """
    n = max(1, int(nbytes) // 2)
    src = np.ones(n, dtype=np.uint8)
    dst = np.zeros(n, dtype=np.uint8)
    return lambda: np.copyto(dst, src)


def traffic_bytes(kernel, N, C, itemsize):
    """The least memory traffic of ``kernel`` on an (N, C) problem, in bytes.

    * ``"vjp"``: read ``p`` and ``dp``, write ``dz``: ``3 N C`` floats.
    * ``"cross_entropy"`` (with its gradient): read ``z`` and N int64
      targets, write ``dz``: ``2 N C`` floats and ``N`` integers.

    Examples
    --------
    >>> traffic_bytes("vjp", 512, 50257, 4)          # about 309 MB
    308779008
    """
    if kernel == "vjp":
        return 3 * N * C * itemsize
    if kernel == "cross_entropy":
        return 2 * N * C * itemsize + 8 * N
    raise ValueError(f"unknown kernel {kernel!r}; expected 'vjp' or 'cross_entropy'")


def roof_kernels(N, C, dtype=np.float32, seed=0, fresh=False, exp=False):
    """The kernels that :func:`roof_fractions` times, on one set of inputs.

    Random logits ``3 * normal`` of shape (N, C), one integer label per row,
    ``p = softmax(z)`` and a random upstream gradient ``dp``. The readable
    kernels allocate as they go; the fast ones write into a preallocated
    output, as the copy does. With ``fresh=True`` the fast ones are also
    included returning a new array (``*_fresh``), which adds the operating
    system's cost of providing fresh memory. With ``exp=True``,
    ``cross_entropy_exp`` is ``np.exp(z)`` alone: it moves the bytes of the
    cross-entropy, so it bounds what a kernel built on numpy's ``exp`` can
    reach. Each ``copy_<kind>`` moves the least traffic of kernel ``<kind>``.

    Returns
    -------
    dict of str to callable
    """
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    z = (3 * rng.standard_normal((N, C))).astype(dtype)
    labels = rng.integers(0, C, size=N)
    p = softmax(z)
    dp = rng.standard_normal((N, C)).astype(dtype)
    out = np.empty_like(z)
    kernels = {
        "vjp_readable": lambda: softmax_vjp_readable(p, dp),
        "vjp_fast": lambda: softmax_backward(p, dp, out=out),
        "copy_vjp": copy_kernel(traffic_bytes("vjp", N, C, dtype.itemsize)),
        "cross_entropy_readable": lambda: cross_entropy_readable(z, labels),
        "cross_entropy_fast": lambda: cross_entropy_with_grad(z, labels, out=out),
        "copy_cross_entropy": copy_kernel(traffic_bytes("cross_entropy", N, C, dtype.itemsize)),
    }
    if fresh:
        kernels["vjp_fresh"] = lambda: softmax_backward(p, dp)
        kernels["cross_entropy_fresh"] = lambda: cross_entropy_with_grad(z, labels)
    if exp:
        kernels["cross_entropy_exp"] = lambda: np.exp(z, out=out)
    return kernels


def fractions(seconds):
    """Each kernel's speed as a fraction of its copy's, from :func:`best_times`.

    A kernel named ``<kind>_<variant>`` is compared with ``copy_<kind>``,
    which moved the same number of bytes: the fraction is
    ``copy time / kernel time``.

    Examples
    --------
    >>> fractions({"vjp_fast": 0.02, "copy_vjp": 0.01})
    {'vjp_fast': 0.5}
    """
    out = {}
    for name, t in seconds.items():
        if not name.startswith("copy_"):
            kind = name.rsplit("_", 1)[0]
            out[name] = seconds["copy_" + kind] / t
    return out


def roof_fractions(N, C, dtype=np.float32, repeats=7, seed=0, fresh=False):
    """Time the readable and the fast VJP and cross-entropy against copies, in turns.

    Returns
    -------
    dict
        ``seconds`` (best time per kernel, see :func:`best_times`) and
        ``fraction`` (see :func:`fractions`).

    Examples
    --------
    >>> r = roof_fractions(8, 100, repeats=2)
    >>> sorted(r["fraction"])
    ['cross_entropy_fast', 'cross_entropy_readable', 'vjp_fast', 'vjp_readable']
    """
    seconds = best_times(roof_kernels(N, C, dtype, seed, fresh), repeats=repeats)
    return {"seconds": seconds, "fraction": fractions(seconds)}


def peak_memory(fn):
    """Peak bytes allocated while ``fn()`` runs, by :mod:`tracemalloc`.

    numpy reports its array buffers to tracemalloc, so this counts every
    array a kernel makes, temporaries and its result included, beyond what
    was allocated before. It is deterministic, unlike a time.

    Examples
    --------
    >>> peak_memory(lambda: np.ones(1_000_000)) >= 8_000_000
    True
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if not was_tracing:
            tracemalloc.stop()
