"""softmax(z) and log_softmax(z), z of shape (N, C)."""

import numpy as np

from . import correct, wrong


@correct("softmax")
def softmax_row_shift(z):
    z = z - np.max(z, axis=1, keepdims=True)
    return np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)


@correct("softmax")
def softmax_loops(z):
    out = np.empty(z.shape)
    for i, row in enumerate(z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


@wrong("softmax", "no-max-shift")
def softmax_plain(z):
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


@wrong("softmax", "batch-max-shift")
def softmax_batch_shift(z):
    z = z - np.max(z)
    exp_z = np.exp(z)
    return exp_z / np.sum(exp_z, axis=1, keepdims=True)


@wrong("softmax", "sum-over-everything")
def softmax_one_sum(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / np.sum(e)


@wrong("softmax", "wrong-axis")
def softmax_axis_zero(z):
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


@correct("log_softmax")
def log_softmax_rows(z):
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


@wrong("log_softmax", "log-of-softmax")
def log_of_softmax(z):
    return np.log(softmax_row_shift(z))


@wrong("log_softmax", "epsilon-in-log")
def log_softmax_epsilon(z):
    return np.log(softmax_row_shift(z) + 1e-7)


@wrong("log_softmax", "batch-max-shift")
def log_softmax_batch_shift(z):
    s = z - np.max(z)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))
