"""Finite-difference gradient checking in float64."""

from dataclasses import dataclass

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
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
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)  # a private copy we may perturb
    g = np.empty_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = float(f(x))
        flat[i] = keep - eps
        down = float(f(x))
        flat[i] = keep
        gflat[i] = (up - down) / (2 * eps)
    return g


def relative_error(a, b):
    """Largest entrywise difference, relative to the size of the values.

    ``max |a - b| / max(max |a|, max |b|, 1e-300)``: scale-free, and
    well defined when both are zero.

    Examples
    --------
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.002]))
    0.000999...
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
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
    """The outcome of :func:`check_gradient`."""

    error: float
    passed: bool
    analytic: np.ndarray
    numerical: np.ndarray

    def __repr__(self):
        verdict = "passed" if self.passed else "FAILED"
        return f"GradientCheck({verdict}, relative error {self.error:.2e})"


def check_gradient(f, x, analytic, *, eps=1e-6, tol=1e-6):
    """Compare an analytic gradient of ``f`` at ``x`` with central differences.

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
    numerical = numerical_gradient(f, x, eps)
    analytic = np.asarray(analytic, dtype=np.float64)
    err = relative_error(analytic, numerical)
    return GradientCheck(err, err <= tol, analytic, numerical)


def forward_difference(f, x, eps=1e-6):
    """Forward-difference gradient of a scalar function, in float64.

    ``(f(x + eps e_i) - f(x)) / eps`` for every entry i: one extra call of
    ``f`` per entry instead of two, but an error of O(eps) instead of the
    O(eps^2) of :func:`numerical_gradient`. Compared in
    :ref:`gradient-checking`.

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
    The derivative of ``v**2`` at 1 is 2; the forward difference overshoots
    by exactly ``eps``:

    >>> f = lambda v: float(v[0] ** 2)
    >>> forward_difference(f, np.array([1.0]), eps=1e-3)
    array([2.001])
    """
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)  # a private copy we may perturb
    g = np.empty_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    f0 = float(f(x))
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        gflat[i] = (float(f(x)) - f0) / eps
        flat[i] = keep
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
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)
    out_shape = np.shape(f(x))
    J = np.empty((int(np.prod(out_shape)), x.size))
    flat = x.reshape(-1)
    for j in range(flat.size):
        keep = flat[j]
        flat[j] = keep + eps
        up = np.asarray(f(x), dtype=np.float64).reshape(-1)
        flat[j] = keep - eps
        down = np.asarray(f(x), dtype=np.float64).reshape(-1)
        flat[j] = keep
        J[:, j] = (up - down) / (2 * eps)
    return J.reshape(out_shape + x.shape)
