"""The numeric core of the book: softmax, cross-entropy and their gradients.

Every function here is derived in a chapter of the book, which its
docstring names.
"""

from derivations.kernels import get_threads, set_threads
from derivations.binary import binary_cross_entropy, binary_cross_entropy_grad, sigmoid
from derivations.gradcheck import GradientCheck, check_gradient, numerical_gradient, relative_error
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
