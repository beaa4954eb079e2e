"""The compiled kernels (``compiled.c``): the softmax VJP, and the cross-entropy's rows; loaded with ctypes.

Used in :ref:`what-it-costs`.

numpy can compute ``dz = p * (dp - <p, dp>)`` only in three passes over
each block of rows; the C loop makes the row's dot product and then ``dz``
in one more sweep over the row while it is in cache. The cross-entropy's
rows (float32 logits, integer targets) likewise become one sweep for
``exp`` and the row sums and one for the scaling.

``pip install`` builds them (``setup.py``) where a C compiler is
available, twice on x86-64: for any processor, and for processors with
AVX-512, where this module loads that build instead. They are optional:
without them, or with the environment variable ``DERIVATIONS_NUMPY_ONLY=1``
set before the import, :data:`LIBRARY` is None and the kernels in
:mod:`derivations.kernels` use their numpy passes, which give the same
results to rounding. The cross-entropy's loop is used only from the AVX-512
build (:data:`CROSS_ENTROPY`): built for any processor, its ``exp`` has
SSE2 alone and is slower than numpy's.

ctypes releases the GIL for the length of each call, so row blocks run on
every core as numpy's do. A row's result depends on that row alone, so it
is the same to the last bit whatever the block or the thread.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
from pathlib import Path

import numpy as np

_TYPES = {np.dtype(np.float32): "vjp_rows_float32", np.dtype(np.float64): "vjp_rows_float64"}
# what x86-64-v4 adds and the AVX-512 build may use, as Linux names the flags
_V4_FLAGS = {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl", "avx2", "fma", "bmi2", "movbe"}


def _has_v4():
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return _V4_FLAGS <= set(line.split(":", 1)[1].split())
    return False


def _load(module):
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return None
    try:
        lib = ctypes.CDLL(spec.origin)
    except OSError:
        return None
    for name in _TYPES.values():
        fn = getattr(lib, name)
        fn.restype = None
        fn.argtypes = [ctypes.c_void_p] * 4 + [ctypes.c_long] * 2
    lib.ce_rows_float32.restype = None
    lib.ce_rows_float32.argtypes = [ctypes.c_void_p] * 8 + [ctypes.c_long] * 2 + [ctypes.c_int]
    return lib


def _choose():
    if os.environ.get("DERIVATIONS_NUMPY_ONLY") == "1":
        return None, False
    if _has_v4():
        lib = _load("derivations._compiled_v4")
        if lib is not None:
            return lib, True
    return _load("derivations._compiled"), False


#: The loaded library, or None where it was not built (or was turned off).
LIBRARY, _FAST_EXP = _choose()
#: Whether the cross-entropy's rows run in C here (the AVX-512 build only).
CROSS_ENTROPY = _FAST_EXP


def _warm_up():
    # ctypes sets up its argument conversions on a function's first call; done
    # here, that one-time memory does not count against a kernel's first call
    if LIBRARY is None:
        return
    e = np.zeros((0, 1), np.float32)
    v = np.zeros(0, np.float32)
    vjp_rows(e, e, e.copy(), v)
    if CROSS_ENTROPY:
        cross_entropy_rows(e, e.copy(), np.zeros(0, np.int64), v, v.copy(), v.copy(), v.copy(), v.copy(), True)


def accepts(p, dp, dz, dot):
    """Whether :func:`vjp_rows` can take these arrays: the library is loaded, and all four are C-contiguous.

    Used in :ref:`what-it-costs`.

    ``p``, ``dp`` and ``dz`` must be (M, C) and ``dot`` (M,), all float32 or
    all float64, ``dz`` and ``dot`` writeable.

    Examples
    --------
    >>> p = np.zeros((3, 4))
    >>> accepts(p, p, p.copy(), np.zeros(3)) == (LIBRARY is not None)
    True
    >>> accepts(p, p, p.copy(), np.zeros(3, dtype=np.float32))  # mixed types: numpy's turn
    False
    """
    if LIBRARY is None or p.dtype not in _TYPES or p.ndim != 2:
        return False
    M = p.shape[0]
    if dp.shape != p.shape or dz.shape != p.shape or dot.shape != (M,):
        return False
    return all(a.dtype == p.dtype and a.flags.c_contiguous for a in (p, dp, dz, dot)) and (
        dz.flags.writeable and dot.flags.writeable
    )


def vjp_rows(p, dp, dz, dot):
    """``dz = p * (dp - <p, dp>)`` row by row in C, and each row's ``<p, dp>`` into ``dot``.

    Used in :ref:`what-it-costs`.

    Only for arrays that :func:`accepts` takes: it passes their raw
    addresses to C, so nothing here checks them again.

    Examples
    --------
    >>> p = np.array([[0.5, 0.5], [0.25, 0.75]])
    >>> dp = np.array([[1.0, 0.0], [0.0, 4.0]])
    >>> dz, dot = np.empty_like(p), np.empty(2)
    >>> if accepts(p, dp, dz, dot):
    ...     vjp_rows(p, dp, dz, dot)
    ... else:  # no compiled library here: these are the numbers it gives
    ...     dz[:], dot[:] = [[0.25, -0.25], [-0.75, 0.75]], [0.5, 3.0]
    >>> dz.tolist(), dot.tolist()
    ([[0.25, -0.25], [-0.75, 0.75]], [0.5, 3.0])
    """
    vjp_blocks(p, dp, dz, dot)(slice(0, p.shape[0]))


def _row_runner(fn, arrays, *tail, fixed=()):
    """A callable that runs ``fn`` on a slice of rows of ``arrays``, with ``tail`` after the row count.

    The arrays' addresses are read once; a call then passes only integers, so it
    allocates next to nothing, however many blocks there are. The arrays at the
    positions in ``fixed`` are not offset: a block of scratch, used for every slice.
    """
    base = [a.ctypes.data for a in arrays]
    step = [0 if i in fixed else a.strides[0] for i, a in enumerate(arrays)]

    def run(rows):
        start = rows.start
        fn(*[b + start * k for b, k in zip(base, step)], rows.stop - start, *tail)

    run.keep = arrays  # the addresses stay valid while the runner lives
    return run


def vjp_blocks(p, dp, dz, dot):
    """A callable ``run(rows)`` that computes :func:`vjp_rows` for the rows in the slice ``rows``.

    Used in :ref:`what-it-costs`.

    For arrays that :func:`accepts` takes; blocks of rows run on any thread.
    """
    return _row_runner(getattr(LIBRARY, _TYPES[p.dtype]), (p, dp, dz, dot), p.shape[1])


def cross_entropy_accepts(z, g, label, num, *rows):
    """Whether :func:`cross_entropy_rows` can take these arrays here.

    Used in :ref:`what-it-costs`.

    :data:`CROSS_ENTROPY` must be set; ``z`` and ``g`` C-contiguous (M, C)
    float32, ``label`` (M,) int64, and ``num`` and each of ``rows`` (M,)
    float32, all C-contiguous, the outputs writeable.

    Examples
    --------
    >>> z = np.zeros((2, 3), np.float32); r = np.zeros(2, np.float32)
    >>> cross_entropy_accepts(z, z.copy(), np.zeros(2, np.int64), r, r, r, r, r) == CROSS_ENTROPY
    True
    >>> cross_entropy_accepts(z.astype(np.float64), z.copy(), np.zeros(2, np.int64), r, r, r, r, r)
    False
    """
    if not CROSS_ENTROPY or LIBRARY is None or z.ndim != 2:
        return False
    M = z.shape[0]
    f32 = np.dtype(np.float32)
    vectors = (num, *rows)
    return (
        z.dtype == f32 and g.dtype == f32 and g.shape == z.shape and label.dtype == np.int64
        and label.shape == (M,) and all(v.dtype == f32 and v.shape == (M,) for v in vectors)
        and all(a.flags.c_contiguous for a in (z, g, label, *vectors))
        and all(a.flags.writeable for a in (g, *rows))
    )


def cross_entropy_rows(z, g, label, num, s, rest, ek, f, scale):
    """The cross-entropy's rows in C, for arrays that :func:`cross_entropy_accepts` takes.

    Used in :ref:`what-it-costs`.

    Row n: ``g = exp(z)``; ``ek[n]`` the label's term and ``rest[n]`` the
    sum of the others; ``s[n] = rest[n] + ek[n]``; ``f[n] = num[n] / s[n]``;
    and with ``scale``, ``g *= f[n]``. Labels must be valid classes.

    Examples
    --------
    >>> z = np.log(np.array([[1.0, 3.0]], np.float32)); g = np.empty_like(z)
    >>> label, num = np.array([1]), np.ones(1, np.float32)
    >>> s, rest, ek, f = (np.empty(1, np.float32) for _ in range(4))
    >>> if cross_entropy_accepts(z, g, label, num, s, rest, ek, f):
    ...     cross_entropy_rows(z, g, label, num, s, rest, ek, f, scale=True)
    ... else:  # not here: these are the numbers it gives
    ...     g[:], s[:], rest[:], ek[:] = [[0.25, 0.75]], 4, 1, 3
    >>> np.round(g, 6).tolist(), float(s[0]), float(rest[0]), float(ek[0])
    ([[0.25, 0.75]], 4.0, 1.0, 3.0)
    """
    cross_entropy_blocks(z, g, label, num, s, rest, ek, f, scale)(slice(0, z.shape[0]))


def cross_entropy_blocks(z, g, label, num, s, rest, ek, f, scale, scratch=False):
    """A callable ``run(rows)`` that computes :func:`cross_entropy_rows` for the rows in the slice ``rows``.

    Used in :ref:`what-it-costs`.

    With ``scratch``, ``g`` is a block of scratch rows (at least as many as
    a slice has), for when only the row sums are wanted (``scale=False``):
    every slice then writes its exponentials there.
    """
    return _row_runner(LIBRARY.ce_rows_float32, (z, g, label, num, s, rest, ek, f), z.shape[1], int(bool(scale)),
                       fixed=(1,) if scratch else ())


_warm_up()
