"""One softmax layer with cross-entropy, for the derivation chapters.

The layer of :ref:`puzzle`, :ref:`quotient-rule` and
:ref:`kronecker-delta`: the outputs ``h`` of the layer below feed the
logits through weights ``W[i, j]`` (from unit i below to class j) and a
bias,
``z_j = sum_i h_i W[i, j] + b_j``, then ``p = softmax(z)`` and
``E = -sum_j t_j log p_j``. Alongside the correct gradients sits the
asker's *diagonal-only* gradient, which keeps only the diagonal of the
softmax Jacobian, so that the chapters can put the two side by side.

A single example is ``h`` of shape (D,) with ``z`` and ``t`` of shape
(C,); a batch puts N examples in the rows. Targets need not be one-hot
and their rows need not sum to 1.
"""

import numpy as np

from derivations.softmax import log_softmax, softmax
from derivations.validation import as_float_like, as_logits, check_finite, layer_inputs, logits_and_targets


def linear_logits(h, W, b=None):
    """Logits of the layer: ``z_j = sum_i h_i W[i, j] + b_j``.

    Derived in :ref:`puzzle`, where ``W[i, j]`` is the asker's ``w_ij``,
    the weight from unit i of the layer below to class j.

    Parameters
    ----------
    h : array_like of float, shape (D,) or (N, D)
        Outputs of the layer below.
    W : array_like of float, shape (D, C)
    b : array_like of float, shape (C,), optional
        Zero when omitted.

    Returns
    -------
    ndarray, shape (C,) or (N, C)

    Examples
    --------
    >>> from derivations.teaching.network import linear_logits
    >>> W = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.5]])
    >>> linear_logits(np.array([1.0, 2.0]), W)
    array([1., 2., 1.])
    """
    h, W, b = layer_inputs(h, W, b)
    return h @ W + b


def layer_loss(h, W, b, t):
    """Cross-entropy of the layer, ``E = -sum_j t_j log softmax(z)_j``.

    One number per example, averaged over the rows of a batch. Computed
    with log-sum-exp, so it stays finite for large logits. Used in
    :ref:`puzzle` as the function that finite differences differentiate.

    Parameters
    ----------
    h : array_like of float, shape (D,) or (N, D)
    W : array_like of float, shape (D, C)
    b : array_like of float, shape (C,), or None
    t : array_like of float, shape (C,) or (N, C)
        Non-negative target weights, one-hot or soft.

    Returns
    -------
    float

    Examples
    --------
    >>> from derivations.teaching.network import layer_loss
    >>> W = np.zeros((2, 3))      # classes equally likely: E = log 3
    >>> t = np.array([0.0, 1.0, 0.0])
    >>> layer_loss(np.ones(2), W, None, t)
    1.098612...
    """
    z = linear_logits(h, W, b)
    z, t = logits_and_targets(z, t)
    per_example = -np.sum(t * log_softmax(z), axis=-1)
    return float(np.mean(per_example))


def logit_grad(z, t):
    """The gradient ``dE/dz`` of ``E = -sum_j t_j log softmax(z)_j``.

    ``dE/dz_k = tau p_k - t_k`` with ``tau = sum_j t_j``, row by
    row: the result of :ref:`kronecker-delta`. For a one-hot (or any
    normalised) target, ``tau = 1`` and this is ``p - t``. No mean
    over a batch: each row is the gradient of its own example's loss.

    Parameters
    ----------
    z : array_like of float, shape (C,) or (N, C)
    t : array_like of float, z's shape
        Non-negative target weights; rows need not sum to 1.

    Returns
    -------
    ndarray, z's shape

    Examples
    --------
    >>> from derivations.teaching.network import logit_grad
    >>> z = np.array([0.0, np.log(3.0)])          # p = (1/4, 3/4)
    >>> logit_grad(z, np.array([0.0, 1.0]))       # p - t
    array([ 0.25, -0.25])
    >>> logit_grad(z, np.array([1.0, 1.0]))       # tau = 2: 2p - t
    array([-0.5,  0.5])
    """
    z, t = logits_and_targets(z, t)
    p = softmax(z)
    # tau, the total target mass, scales p: the shared denominator
    # hands every class a share of every target's pull
    return p * t.sum(axis=-1, keepdims=True) - t


def diagonal_only_logit_grad(z, t):
    """The asker's gradient ``dE/dz_j = -t_j (1 - p_j)``. It is wrong.

    It chains ``dE/dp_j = -t_j / p_j`` with the diagonal entry
    ``dp_j/dz_j = p_j (1 - p_j)`` of the softmax Jacobian only,
    dropping the terms ``dE/dp_i dp_i/dz_j`` of every other output
    i != j. So it is zero for every class with ``t_j = 0``, and those
    logits are never pushed down. Reproduced and refuted in
    :ref:`puzzle`.

    Parameters
    ----------
    z : array_like of float, shape (C,) or (N, C)
    t : array_like of float, z's shape

    Returns
    -------
    ndarray, z's shape

    Examples
    --------
    >>> from derivations.teaching.network import diagonal_only_logit_grad
    >>> z = np.array([0.0, np.log(3.0)])          # p = (1/4, 3/4)
    >>> diagonal_only_logit_grad(z, np.array([0.0, 1.0]))
    array([ 0.  , -0.25])
    """
    z, t = logits_and_targets(z, t)
    p = softmax(z)
    # (-t/p) * p(1 - p) with p cancelled, so p = 0 cannot divide;
    # written t p - t so that a class with t = 0 gets +0, not -0
    return t * p - t


def weight_grad(h, dz):
    """``dE/dW[i, j] = h_i dE/dz_j`` for ``z = h W + b``.

    ``W[i, j]`` reaches the loss only through ``z_j``, and moves it
    by ``h_i`` per unit (:ref:`puzzle`, :ref:`kronecker-delta`), so
    the weight gradient is the outer product of the layer's input
    with the logit gradient. For a batch the examples' outer products
    are summed, ``h^T dz``; a mean over the batch belongs in ``dz``.

    Parameters
    ----------
    h : array_like of float, shape (D,) or (N, D)
    dz : array_like of float, shape (C,) or (N, C)

    Returns
    -------
    ndarray, shape (D, C)

    Examples
    --------
    >>> from derivations.teaching.network import weight_grad
    >>> weight_grad(np.array([1.0, -2.0]), np.array([0.25, -0.25]))
    array([[ 0.25, -0.25],
           [-0.5 ,  0.5 ]])
    """
    dz = as_logits(dz, "dz")
    h = as_float_like(h, dz.dtype, "h")
    same_n = h.ndim == 1 or h.shape[0] == dz.shape[0]
    if h.ndim != dz.ndim or h.ndim not in (1, 2) or not same_n:
        raise ValueError(
            "h and dz must be (D,) and (C,), or (N, D) and (N, C) "
            f"with the same N; got shapes {h.shape} and {dz.shape}"
        )
    check_finite(h, "h")
    check_finite(dz, "dz")
    g = np.outer(h, dz) if h.ndim == 1 else h.T @ dz
    # 0 times a negative h_i is -0.0; adding 0.0 makes it 0.0, so
    # the zero columns of a diagonal-only gradient print as zeros
    return g + 0.0


def layer_weight_grad(h, W, b, t):
    """The correct ``dE/dW`` of the layer: ``h_i (tau p_j - t_j)``.

    Combines :func:`logit_grad` and :func:`weight_grad`; for a batch
    it is the gradient of the mean loss. For a one-hot target it is
    ``dE/dw_ij = h_i (o_j - t_j)``, derived in :ref:`kronecker-delta`.

    Examples
    --------
    >>> from derivations.teaching.network import layer_weight_grad
    >>> h, W = np.array([2.0]), np.zeros((1, 2))  # p = (1/2, 1/2)
    >>> t = np.array([1.0, 0.0])
    >>> layer_weight_grad(h, W, None, t)          # h (p - t)
    array([[-1.,  1.]])
    """
    h, W, b = layer_inputs(h, W, b)
    dz = logit_grad(h @ W + b, t)
    if dz.ndim == 2:
        dz = dz / dz.shape[0]  # layer_loss: mean over the batch
    return weight_grad(h, dz)


def diagonal_only_weight_grad(h, W, b, t):
    """The asker's ``dE/dw_ij = -t_j (1 - p_j) h_i``. It is wrong.

    :func:`diagonal_only_logit_grad` pushed through
    :func:`weight_grad`. Every column j with ``t_j = 0`` is zero:
    those weights never learn.
    Shown against finite differences in :ref:`puzzle`.

    Examples
    --------
    >>> from derivations.teaching.network import diagonal_only_weight_grad
    >>> h, W = np.array([2.0]), np.zeros((1, 2))  # p = (1/2, 1/2)
    >>> t = np.array([1.0, 0.0])
    >>> diagonal_only_weight_grad(h, W, None, t)  # class 1: nothing
    array([[-1.,  0.]])
    """
    h, W, b = layer_inputs(h, W, b)
    dz = diagonal_only_logit_grad(h @ W + b, t)
    if dz.ndim == 2:
        dz = dz / dz.shape[0]
    return weight_grad(h, dz)
