"""Finite-difference gradient checking in float64."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from derivations.validation import (
    as_callable,
    as_positive_number,
    as_real_point,
    as_reals,
    as_tolerance,
    scalar_output,
)


def _difference_inputs(f, x, eps):
    """Validated ``f``, a private float64 copy of ``x`` to perturb, and ``eps``."""
    return as_callable(f), as_real_point(x), as_positive_number(eps, "eps")


def _moved(f, x, i, step, read):
    """``read(f(x))`` with entry i of ``x`` moved by ``step``, then put back."""
    flat = x.reshape(-1)
    keep = flat[i]
    flat[i] = keep + step
    try:
        return read(f(x))
    finally:
        flat[i] = keep  # exactly the old value, even if f raised


def _vector_output(value):
    return as_reals(value, "f's result").reshape(-1)


def numerical_gradient(f: Callable[[np.ndarray], float], x: ArrayLike, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function, in float64.

    ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry i. Its
    error is O(eps^2), against O(eps) for a forward difference; see
    :ref:`gradient-checking` for how ``eps`` trades truncation error against
    rounding error.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape, returns a scalar.
    x : array_like of float
    eps : float
        The step, in float64.

    Returns
    -------
    ndarray of float64, the shape of ``x``.

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    array([ 3., 12.])
    """
    f, x, eps = _difference_inputs(f, x, eps)
    g = np.empty_like(x)
    gflat = g.reshape(-1)
    for i in range(x.size):
        up, down = _moved(f, x, i, eps, scalar_output), _moved(f, x, i, -eps, scalar_output)
        gflat[i] = (up - down) / (2 * eps)
    return g


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """Largest entrywise difference, relative to the size of the values.

    Used in :ref:`gradient-checking`.

    ``max |a - b| / max(max |a|, max |b|, 1e-300)``: scale-free, and
    well defined when both are zero.

    Examples
    --------
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.002]))
    0.000999...
    """
    a, b = (as_reals(v, name) for v, name in ((a, "a"), (b, "b")))
    if a.shape != b.shape:
        raise ValueError(
            f"cannot compare gradients of shapes {a.shape} and {b.shape}"
        )
    scale = max(
        np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), 1e-300
    )
    return float(np.max(np.abs(a - b), initial=0.0) / scale)


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of :func:`check_gradient`.

    Used in :ref:`gradient-checking`.
    """

    error: float
    passed: bool
    analytic: np.ndarray
    numerical: np.ndarray

    def __repr__(self):
        verdict = "passed" if self.passed else "FAILED"
        return f"GradientCheck({verdict}, relative error {self.error:.2e})"


def check_gradient(
    f: Callable[[np.ndarray], float], x: ArrayLike, analytic: ArrayLike, *, eps: float = 1e-6, tol: float = 1e-6
) -> GradientCheck:
    """Compare an analytic gradient of ``f`` at ``x`` with central differences.

    Used in :ref:`gradient-checking`.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    x : array_like of float
    analytic : array_like
        The gradient to check, shaped like ``x``.
    eps : float
        Finite-difference step.
    tol : float
        The check passes when the :func:`relative_error` is at most ``tol``.

    Returns
    -------
    GradientCheck

    Examples
    --------
    >>> x = np.array([0.5, -1.0])
    >>> check_gradient(lambda v: float(np.sum(np.sin(v))), x, np.cos(x))
    GradientCheck(passed, relative error ...)
    >>> check_gradient(lambda v: float(np.sum(np.sin(v))), x, np.sin(x)).passed
    False
    """
    tol = as_tolerance(tol)
    numerical = numerical_gradient(f, x, eps)
    analytic = as_reals(analytic, "analytic")
    if analytic.shape != numerical.shape:
        raise ValueError(
            f"analytic must have x's shape {numerical.shape}, got {analytic.shape}"
        )
    err = relative_error(analytic, numerical)
    return GradientCheck(err, err <= tol, analytic, numerical)


def forward_difference(f, x, eps=1e-6):
    """Forward-difference gradient of a scalar function, in float64.

    ``(f(x + eps e_i) - f(x)) / eps`` for every entry i: one extra call of
    ``f`` per entry instead of two, but an error of O(eps) instead of the
    O(eps^2) of :func:`numerical_gradient`, whose parameters and result it
    shares. Compared in :ref:`gradient-checking`.

    Examples
    --------
    The derivative of ``v**2`` at 1 is 2; the forward difference overshoots
    by exactly ``eps``:

    >>> f = lambda v: float(v[0] ** 2)
    >>> forward_difference(f, np.array([1.0]), eps=1e-3)
    array([2.001])
    """
    f, x, eps = _difference_inputs(f, x, eps)
    g = np.empty_like(x)
    gflat = g.reshape(-1)
    f0 = scalar_output(f(x))
    for i in range(x.size):
        gflat[i] = (_moved(f, x, i, eps, scalar_output) - f0) / eps
    return g


def numerical_jacobian(f, x, eps=1e-6):
    """Central-difference Jacobian of an array-valued function, in float64.

    ``J[i..., j...] = d f(x)[i...] / d x[j...]``: the result has the shape
    of ``f(x)`` followed by the shape of ``x``. Applied to a gradient
    function it gives the Hessian, as in :ref:`beyond-one-hot`.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape, returns an array (of any fixed shape).
    x : array_like of float
    eps : float

    Returns
    -------
    ndarray of float64, shape ``f(x).shape + x.shape``

    Examples
    --------
    >>> f = lambda v: np.array([v[0] * v[1], v[0] ** 2])
    >>> numerical_jacobian(f, np.array([2.0, 3.0]))
    array([[3., 2.],
           [4., 0.]])
    """
    f, x, eps = _difference_inputs(f, x, eps)
    out_shape = np.shape(f(x))
    J = np.empty((int(np.prod(out_shape)), x.size))
    for j in range(x.size):
        up, down = _moved(f, x, j, eps, _vector_output), _moved(f, x, j, -eps, _vector_output)
        if up.shape != J[:, j].shape or down.shape != up.shape:
            raise ValueError(
                f"f must return an array of one fixed shape; it returned {out_shape}, then {up.size} values"
            )
        J[:, j] = (up - down) / (2 * eps)
    return J.reshape(out_shape + x.shape)
