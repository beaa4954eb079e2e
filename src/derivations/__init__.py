"""The numeric core of the book: softmax, cross-entropy and their gradients.

Every function here is derived in a chapter of the book, which its
docstring names. The public API, in one place:

Softmax (:mod:`derivations.softmax`)
    ``softmax(z, axis=-1)``: probabilities, stable for any logits; :ref:`quotient-rule`.
    ``log_softmax(z, axis=-1)``: log-probabilities by log-sum-exp; :ref:`kronecker-delta`.
    ``softmax_jacobian(z)``: ``diag(p) - p p^T`` per row; :ref:`quotient-rule`.
    ``softmax_backward(p, dp, axis=-1, *, out=None)``: the vector-Jacobian
    product ``p * (dp - <p, dp>)`` for any loss; :ref:`loss-independent-backward`.

Cross-entropy (:mod:`derivations.losses`, :mod:`derivations.vocab`)
    ``cross_entropy(z, target, ...)``: torch's semantics (weights,
    ignore_index, reductions, label smoothing); :ref:`kronecker-delta`.
    ``cross_entropy_grad(z, target, ...)``: its gradient, ``p - t`` for
    one-hot targets; :ref:`beyond-one-hot`.
    ``cross_entropy_with_grad(z, target, ..., out=None)``: both in one
    pass; :ref:`what-it-costs`.
    ``linear_cross_entropy(h, W, target, *, chunk_size=None)``: loss and
    gradients of ``h @ W.T`` without the (N, V) logits; :ref:`what-it-costs`.

Binary cross-entropy (:mod:`derivations.binary`)
    ``sigmoid(z)``, ``binary_cross_entropy(z, t)``,
    ``binary_cross_entropy_grad(z, t)``: from logits, stable in the tails;
    :ref:`sigmoid-bce`.

Gradient checking (:mod:`derivations.gradcheck`)
    ``numerical_gradient(f, x, eps=1e-6)``: central differences in float64;
    ``relative_error(a, b)``: scale-free comparison;
    ``check_gradient(f, x, analytic, ...)``, returning a ``GradientCheck``;
    all in :ref:`gradient-checking`.

Threads (:mod:`derivations.kernels`)
    ``set_threads(n=None)``, ``get_threads()``: how many cores the kernels
    use; :ref:`cost-threads`.

Every input check lives in :mod:`derivations.validation`; the chapters'
companions are in :mod:`derivations.teaching`.
"""

from derivations.binary import binary_cross_entropy, binary_cross_entropy_grad, sigmoid
from derivations.gradcheck import GradientCheck, check_gradient, numerical_gradient, relative_error
from derivations.kernels import get_threads, set_threads
from derivations.losses import cross_entropy, cross_entropy_grad, cross_entropy_with_grad
from derivations.softmax import log_softmax, softmax, softmax_backward, softmax_jacobian
from derivations.vocab import linear_cross_entropy

__all__ = [
    "softmax",
    "log_softmax",
    "softmax_jacobian",
    "softmax_backward",
    "cross_entropy",
    "cross_entropy_grad",
    "cross_entropy_with_grad",
    "linear_cross_entropy",
    "sigmoid",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "numerical_gradient",
    "relative_error",
    "check_gradient",
    "GradientCheck",
    "set_threads",
    "get_threads",
]
