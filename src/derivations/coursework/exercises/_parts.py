"""Plain-numpy building blocks of the reference wrong implementations.

They never call the package's validated functions: a wrong implementation
must produce its NaN or inf exactly as a learner's code would, not raise a
tidy ValueError instead. Each wrong implementation is otherwise correct,
so that it makes exactly one mistake.
"""

import numpy as np


def p_stable(z, axis=-1):
    """Softmax with the maximum of each row (or of ``axis``) subtracted."""
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def p_unshifted(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def p_batch_shift(z):
    """Softmax with one maximum, of the whole array, subtracted."""
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def p_whole_sum(z):
    """Softmax normalised by one sum over the whole array."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e)


def logp(z):
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def fused(p, t):
    """(N, C) gradient of the mean cross-entropy, from p: (p * sum t - t) / N."""
    return (p * np.sum(t, axis=-1, keepdims=True) - t) / p.shape[0]


#: The epsilons learners add inside a log, most common first.
EPSILONS = (1e-7, 1e-8, 1e-12, 1e-15)


def eps_name(eps):
    """``1e-07`` as ``eps7``, for function names."""
    return f"eps{round(-np.log10(eps))}"
