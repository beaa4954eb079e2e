"""Computational-graph pieces: losses above softmax, fused and separate nodes.

A graph node has a forward pass and a backward pass that turns the gradient
arriving at its output into gradients for its inputs. This module holds the
nodes that :ref:`loss-independent-backward` and :ref:`fused-vs-separate`
put on top of each other:

* two losses that take *probabilities* ``p`` (a squared error and a
  cross-entropy), each with the gradient ``dp`` it sends down to softmax;
* a fused softmax-plus-cross-entropy node that takes *logits*, like the
  MNIST homework's ``SoftmaxLoss``;
* the homework asker's separate softmax node, with its bug kept on purpose
  (:func:`buggy_softmax_node_backward`), and its repair.

Everything is batched: arrays have shape (N, C), one example per row, and
every loss is a mean over the N rows.
"""

import numpy as np

from derivations.softmax import log_softmax, softmax
from derivations.validation import as_batch, as_finite_number, as_probabilities, as_targets, check_finite, upstream_like


def mse_loss(p, t):
    """Squared error between probabilities and targets, mean over the batch.

    ``L = (1/N) sum_n sum_c (p[n, c] - t[n, c])^2``. A loss that knows
    nothing about softmax: it is one of the two losses stacked on the same
    softmax backward in :ref:`loss-independent-backward`.

    Parameters
    ----------
    p : array_like of float, shape (N, C)
        Predictions, usually ``softmax(z)``.
    t : array_like of float, shape (N, C)
        Targets.

    Returns
    -------
    float

    Examples
    --------
    >>> p = np.array([[0.25, 0.75]])
    >>> mse_loss(p, np.array([[0.0, 1.0]]))     # 1/16 + 1/16
    0.125
    """
    p = as_batch(p, "p")
    check_finite(p, "p")
    t = as_targets(t, p, non_negative=False)
    return float(np.sum((p - t) ** 2) / p.shape[0])


def mse_loss_grad(p, t):
    """Gradient of :func:`mse_loss` with respect to ``p``: ``2 (p - t) / N``.

    Derived in :ref:`loss-independent-backward`.

    Examples
    --------
    >>> mse_loss_grad(np.array([[0.25, 0.75]]), np.array([[0.0, 1.0]]))
    array([[ 0.5, -0.5]])
    """
    p = as_batch(p, "p")
    check_finite(p, "p")
    t = as_targets(t, p, non_negative=False)
    return 2 * (p - t) / p.shape[0]


def prob_cross_entropy(p, t):
    """Cross-entropy computed from probabilities, averaged over the batch.

    ``L = -(1/N) sum_n sum_c t[n, c] log p[n, c]``, with ``0 log 0 = 0``.
    A class with ``p = 0`` and ``t > 0`` makes the loss ``+inf``, which is
    its true value; :ref:`numerical-stability` shows how a probability
    underflows to 0 and why the logits should be used instead
    (:func:`derivations.cross_entropy`).

    Parameters
    ----------
    p : array_like of float, shape (N, C)
        Probabilities, ``softmax(z)``; non-negative.
    t : array_like of float, shape (N, C)
        Non-negative target weights (rows need not sum to 1).

    Returns
    -------
    float

    Examples
    --------
    >>> p = np.array([[0.5, 0.5], [0.25, 0.75]])
    >>> prob_cross_entropy(p, np.eye(2))    # (log 2 + log 4/3) / 2
    0.490414...
    """
    p = as_probabilities(p, ndim=2, normalised=False)
    t = as_targets(t, p, non_negative=True)
    with np.errstate(divide="ignore"):
        logp = np.log(p)
    return float(-np.sum(t * np.where(t != 0, logp, 0)) / p.shape[0])


def prob_cross_entropy_grad(p, t):
    """Gradient of :func:`prob_cross_entropy` in ``p``: ``-t / (N p)``.

    This is what a cross-entropy node sends down to a *separate* softmax
    node. It is infinite where ``p = 0`` and ``t > 0``, and in float32 it
    already overflows to infinity once ``p`` drops below about ``3e-39``;
    in both cases this raises a ``ValueError`` rather than pass an
    infinity down the graph, where the Jacobian would turn it into NaN
    (shown in :ref:`numerical-stability`). Where ``t = 0`` the gradient is 0.

    Derived in :ref:`fused-vs-separate`.

    Examples
    --------
    >>> p = np.array([[0.5, 0.5], [0.25, 0.75]])
    >>> prob_cross_entropy_grad(p, np.eye(2))
    array([[-1.        ,  0.        ],
           [ 0.        , -0.66666667]])
    """
    p = as_probabilities(p, ndim=2, normalised=False)
    t = as_targets(t, p, non_negative=True)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        dp = np.where(t != 0, -t / p, 0) / p.shape[0]
    if not np.isfinite(dp).all():
        n, c = np.argwhere(~np.isfinite(dp))[0]
        raise ValueError(
            f"the gradient -t/p is infinite at row {n}, class {c} "
            f"(p = {p[n, c]:.3g}, t = {t[n, c]:.3g}, {p.dtype}): the "
            "probability underflowed. Differentiate from the logits instead "
            "(softmax_cross_entropy_backward or cross_entropy_grad)."
        )
    return dp.astype(p.dtype, copy=False)


# --- the fused node ---------------------------------------------------------


def softmax_cross_entropy(z, t):
    """Forward pass of the fused node: mean cross-entropy from the logits.

    ``L = -(1/N) sum_n sum_c t[n, c] log softmax(z[n])_c``, with the
    log-probabilities computed by log-sum-exp, so no probability is ever
    rounded to 0 and then logged.

    Used in :ref:`fused-vs-separate`.

    Parameters
    ----------
    z : array_like of float, shape (N, C)
        Logits; -inf masks a class.
    t : array_like of float, shape (N, C)
        Non-negative targets.

    Returns
    -------
    float

    Examples
    --------
    >>> z = np.array([[0.0, 0.0], [0.0, np.log(3.0)]])
    >>> softmax_cross_entropy(z, np.eye(2))
    0.490414...
    """
    z = as_batch(z, "z")
    t = as_targets(t, z, non_negative=True)
    logp = log_softmax(z, axis=-1)
    # 0 * log 0 counts as 0: a masked class without target weight adds nothing
    return float(-np.sum(t * np.where(t != 0, logp, 0)) / z.shape[0])


def softmax_cross_entropy_backward(z, t, dL=1.0):
    """Backward pass of the fused node: gradients for logits and targets.

    Returns ``(dz, dt)`` for ``L = softmax_cross_entropy(z, t)``, each
    multiplied by the upstream gradient ``dL``:

    * ``dz = (p * sum_c t - t) / N``, which is the homework's
      ``(softmax - labels) / N`` whenever each row of ``t`` sums to 1. The
      softmax Jacobian is not missing: it cancels against the derivative of
      the logarithm (:ref:`fused-vs-separate`).
    * ``dt = -log p / N``, how the loss changes when target mass moves: the
      gradient a learned target (distillation, learned label smoothing)
      needs. It is computed by log-sum-exp, so it stays finite even where
      ``p`` itself would round to 0; only a masked class gives ``+inf``.

    Derived in :ref:`fused-vs-separate`; the ``1/N`` is discussed in
    :ref:`batch-mean`.

    Parameters
    ----------
    z : array_like of float, shape (N, C)
    t : array_like of float, shape (N, C)
    dL : float
        Gradient arriving at the loss (1 when the loss is the output).

    Returns
    -------
    dz, dt : ndarray, shape (N, C), ``z``'s float type

    Examples
    --------
    >>> z = np.array([[0.0, np.log(3.0)]])
    >>> dz, dt = softmax_cross_entropy_backward(z, np.array([[1.0, 0.0]]))
    >>> dz                                  # p - t with p = (1/4, 3/4)
    array([[-0.75,  0.75]])
    >>> dt                                  # -log p = (log 4, log 4/3)
    array([[1.386..., 0.287...]])
    """
    z = as_batch(z, "z")
    t = as_targets(t, z, non_negative=True)
    dL = as_finite_number(dL, "dL", "a real number (the gradient at the loss)")
    N = z.shape[0]
    logp = log_softmax(z, axis=-1)
    p = np.exp(logp)
    # d/dz of -sum_c t_c log p_c is p * sum(t) - t: the Jacobian has cancelled
    dz = dL * (p * t.sum(axis=1, keepdims=True) - t) / N
    dt = dL * -logp / N
    return dz, dt


# --- the separate softmax node: the bug and its repair ----------------------


def buggy_softmax_node_backward(p, dp):
    """WRONG, on purpose: the homework asker's separate softmax node backward.

    Reproduces ``g = p * (eye(p.shape[0]) - p)`` followed by ``dp * g``.
    Two mistakes: ``eye`` gets the *batch* size N where the class count C
    belongs, and an elementwise product stands where each row needs a
    matrix product with its own C x C Jacobian. The consequences depend on
    the shapes, and :ref:`separate-node-bug` shows all three:

    * N = C: it runs and returns a wrong gradient;
    * N = 1: ``eye(1)`` broadcasts silently and the result is the
      diagonal-only ``dp * p (1 - p)``;
    * any other N: numpy raises a broadcasting ``ValueError``.

    Use :func:`fixed_softmax_node_backward`.

    Parameters
    ----------
    p, dp : array_like of float, shape (N, C)

    Examples
    --------
    >>> P = np.array([[0.5, 0.5]])         # N = 1: silently diagonal-only
    >>> buggy_softmax_node_backward(P, np.array([[1.0, 0.0]]))
    array([[0.25, 0.  ]])
    >>> fixed_softmax_node_backward(P, np.array([[1.0, 0.0]]))
    array([[ 0.25, -0.25]])
    """
    p = as_batch(p, "p")
    dp = upstream_like(dp, p)
    # the bug, kept on purpose: eye of the batch size, elementwise product
    g = p * (np.eye(p.shape[0], dtype=p.dtype) - p)
    return dp * g


def fixed_softmax_node_backward(p, dp):
    """The separate softmax node's backward, repaired: one VJP per row.

    Row n needs ``dz[n] = J(p[n])^T dp[n]`` with ``J = diag(p) - p p^T``,
    which simplifies to ``p[n] * (dp[n] - <p[n], dp[n]>)``: a per-row dot
    product instead of an (N, C, C) stack of Jacobians
    (:func:`derivations.teaching.jacobians.jvp_batched` computes the same thing the
    expensive way).

    Derived in :ref:`loss-independent-backward`; the repair is explained in
    :ref:`separate-node-bug`.

    Parameters
    ----------
    p : array_like of float, shape (N, C)
        The node's forward output, softmax rows.
    dp : array_like of float, shape (N, C)
        Gradient arriving from the loss; must be finite.

    Returns
    -------
    ndarray, shape (N, C)

    Examples
    --------
    >>> P = np.array([[0.25, 0.75]])
    >>> fixed_softmax_node_backward(P, np.array([[-4.0, 0.0]]))
    array([[-0.75,  0.75]])
    """
    p = as_probabilities(p, ndim=2)
    dp = upstream_like(dp, p)
    check_finite(dp, "dp")
    # the only coupling between classes is each row's <p, dp>
    dot = np.sum(p * dp, axis=1, keepdims=True)
    return p * (dp - dot)


def softmax_then_cross_entropy_grad(z, t):
    """``dL/dz`` of mean cross-entropy the separate way: softmax, then loss.

    Computes ``p = softmax(z)``, sends ``dp = -t / (N p)`` down from
    :func:`prob_cross_entropy_grad`, and pulls it through
    :func:`fixed_softmax_node_backward`. In exact arithmetic this equals the
    fused ``(p * sum(t) - t) / N``; in floating point it divides by ``p``
    and then multiplies by it again, which fails once ``p`` underflows
    (:ref:`numerical-stability`).

    Used in :ref:`fused-vs-separate`.

    Examples
    --------
    >>> z = np.array([[0.0, np.log(3.0)]])
    >>> softmax_then_cross_entropy_grad(z, np.array([[1.0, 0.0]]))
    array([[-0.75,  0.75]])
    """
    z = as_batch(z, "z")
    p = softmax(z, axis=-1)
    return fixed_softmax_node_backward(p, prob_cross_entropy_grad(p, t))
