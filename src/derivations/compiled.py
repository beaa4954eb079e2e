"""The softmax VJP as one compiled pass (``compiled.c``), loaded with ctypes.

Used in :ref:`what-it-costs`.

numpy can compute ``dz = p * (dp - <p, dp>)`` only in three passes over
each block of rows; the C loop makes the row's dot product and then ``dz``
in one more sweep over the row while it is in cache. It is built by
``pip install`` (``setup.py``) where a C compiler is available, and is
optional: without it, or with the environment variable
``DERIVATIONS_NUMPY_ONLY=1`` set before the import, :data:`LIBRARY` is None
and :func:`~derivations.kernels.softmax_vjp_rows` uses its numpy passes,
which give the same results to rounding.

ctypes releases the GIL for the length of each call, so row blocks run on
every core as numpy's do. A row's result depends on that row alone, so it
is the same to the last bit whatever the block or the thread.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os

import numpy as np

_TYPES = {np.dtype(np.float32): "vjp_rows_float32", np.dtype(np.float64): "vjp_rows_float64"}


def _load():
    if os.environ.get("DERIVATIONS_NUMPY_ONLY") == "1":
        return None
    spec = importlib.util.find_spec("derivations._compiled")
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
    return lib


#: The loaded library, or None where it was not built (or was turned off).
LIBRARY = _load()


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
    M, C = p.shape
    getattr(LIBRARY, _TYPES[p.dtype])(p.ctypes.data, dp.ctypes.data, dz.ctypes.data, dot.ctypes.data, M, C)
