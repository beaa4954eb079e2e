"""Helpers for cells that demonstrate an error on purpose.

A chapter sometimes shows code that fails: a shape mismatch that numpy
refuses, a check that refuses an infinity. Such a cell must not stop a
learner's Run All in JupyterLab, and its output must not be a traceback full
of the paths of the machine that built the book. :func:`expect_error` runs
the failing code, prints the exception's type and message, and goes on.
"""

from contextlib import contextmanager


@contextmanager
def expect_error(*kinds):
    """Run a block that is meant to raise; print the error instead of raising it.

    Used in :ref:`matrix-form`.

    Parameters
    ----------
    *kinds : exception classes
        The errors the block is meant to raise (default: any ``Exception``).

    Raises
    ------
    AssertionError
        If the block raised nothing: the demonstration no longer shows what
        the prose around it says.

    Examples
    --------
    >>> import numpy as np
    >>> with expect_error(ValueError):
    ...     np.ones((4, 3)) - np.ones((3, 4))
    ValueError: operands could not be broadcast together with shapes (4,3) (3,4)
    """
    kinds = kinds or (Exception,)
    for kind in kinds:
        if not (isinstance(kind, type) and issubclass(kind, BaseException)):
            raise TypeError(f"expect_error takes exception classes, got {kind!r}")
    try:
        yield
    except kinds as exc:
        print(f"{type(exc).__name__}: {exc}")
    else:
        names = " or ".join(k.__name__ for k in kinds)
        raise AssertionError(f"this demonstration was meant to raise {names}, and it raised nothing")
