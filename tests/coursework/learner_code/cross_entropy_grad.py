"""cross_entropy_grad(z, t) -> dL/dz (N, C): with probability rows t, or with labels y (N,)."""

import numpy as np

from . import correct, wrong

EX = "cross_entropy_grad"
LABELS = "labels"


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------
# Correct answers.
# ---------------------------------------------------------------------------


@correct(EX)
def soft_fused(z, t):
    return (_softmax(z) * t.sum(axis=1, keepdims=True) - t) / z.shape[0]


@correct(EX)
def soft_row_loop(z, t):
    N, C = z.shape
    grad = np.zeros((N, C))
    for n in range(N):
        row = z[n] - np.max(z[n])
        p = np.exp(row) / np.sum(np.exp(row))
        grad[n] = (p * np.sum(t[n]) - t[n]) / N
    return grad


@correct(EX)
def soft_float32(z, t):
    z, t = np.float32(z), np.float32(t)
    p = np.exp(z - z.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return (p * t.sum(-1, keepdims=True) - t) / np.float32(len(z))


@correct(EX, LABELS)
def labels_subtract_one(z, y):
    N = z.shape[0]
    dz = _softmax(z)
    dz[np.arange(N), y] -= 1
    return dz / N


@correct(EX, LABELS)
def labels_one_hot_eye(z, y):
    return (_softmax(z) - np.eye(z.shape[1])[y]) / len(z)


# ---------------------------------------------------------------------------
# Wrong answers.
# ---------------------------------------------------------------------------


@wrong(EX, "no-max-shift")
def soft_no_shift(z, t):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return (p * t.sum(axis=1, keepdims=True) - t) / len(z)


@wrong(EX, "sign-flip")
def soft_t_minus_p(z, t):
    return (t - _softmax(z)) / len(z)


@wrong(EX, "assumes-one-hot")
def soft_p_minus_t(z, t):
    return (_softmax(z) - t) / len(z)


@wrong(EX, "diagonal-only-jacobian")
def soft_diagonal_only(z, t):
    p = _softmax(z)
    return -t * (1 - p) / len(z)


@wrong(EX, "divide-by-p")
def soft_through_the_jacobian(z, t):
    N = len(z)
    p = _softmax(z)
    dp = -t / p / N
    return p * (dp - np.sum(p * dp, axis=1, keepdims=True))


@wrong(EX, "missing-batch-mean")
def soft_no_mean(z, t):
    return _softmax(z) * t.sum(axis=1, keepdims=True) - t


@wrong(EX, "sum-over-everything")
def soft_one_sum(z, t):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum()
    return (p * t.sum(axis=1, keepdims=True) - t) / len(z)


@wrong(EX, "divided-by-classes")
def soft_divided_by_classes(z, t):
    return (_softmax(z) * t.sum(axis=1, keepdims=True) - t) / z.shape[1]


@wrong(EX, "batch-max-shift", LABELS)
def labels_batch_shift(z, y):
    z = z - np.max(z)
    p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


@wrong(EX, "classes-from-labels", LABELS)
def labels_eye_of_max_label(z, y):
    num_classes = np.max(y) + 1
    return (_softmax(z) - np.eye(num_classes)[y]) / len(y)


@wrong(EX, "sign-flip", LABELS)
def labels_plus_one(z, y):
    dz = -_softmax(z)
    dz[np.arange(len(y)), y] += 1
    return dz / len(y)


@wrong(EX, "missing-batch-mean", LABELS)
def labels_no_mean(z, y):
    dz = _softmax(z)
    dz[np.arange(len(y)), y] -= 1
    return dz


@wrong(EX, "no-max-shift", LABELS)
def labels_no_shift(z, y):
    dz = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    dz[np.arange(len(y)), y] -= 1
    return dz / len(y)
