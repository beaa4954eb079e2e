"""cross_entropy(z, t) -> the mean loss: with probability rows t (N, C), or with labels y (N,)."""

import math

import numpy as np
from scipy.special import logsumexp

from . import correct, wrong

EX = "cross_entropy"
LABELS = "labels"

# ---------------------------------------------------------------------------
# Correct answers.
# ---------------------------------------------------------------------------


@correct(EX)
def soft_logsumexp(z, t):
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return -(t * log_p).sum() / len(z)


@correct(EX)
def soft_with_scipy(z, t):
    lse = logsumexp(z, axis=1)
    return np.mean(t.sum(axis=1) * lse - (t * z).sum(axis=1))


@correct(EX)
def soft_row_loops(z, t):
    total = 0.0
    for row, weights in zip(z.tolist(), t.tolist()):
        m = max(row)
        lse = m + math.log(sum(math.exp(v - m) for v in row))
        total += sum(w * (lse - v) for w, v in zip(weights, row))
    return total / len(z)


@correct(EX, LABELS)
def labels_fancy_indexing(z, y):
    N = z.shape[0]
    shifted = z - np.max(z, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(log_probs[np.arange(N), y]) / N


@correct(EX, LABELS)
def labels_take_along_axis(z, y):
    z = z.astype(np.float32)
    lse = z.max(1) + np.log(np.exp(z - z.max(1, keepdims=True)).sum(1))
    picked = np.take_along_axis(z, y[:, None].astype(np.int64), axis=1)[:, 0]
    return float(np.mean(lse - picked))


@correct(EX, LABELS)
def labels_one_hot_eye(z, y):
    C = z.shape[1]
    t = np.eye(C)[y]
    s = z - z.max(axis=1, keepdims=True)
    return np.mean(np.log(np.exp(s).sum(axis=1)) - (t * s).sum(axis=1))


# ---------------------------------------------------------------------------
# Wrong answers.
# ---------------------------------------------------------------------------


@wrong(EX, "no-max-shift")
def soft_no_shift(z, t):
    p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    return -np.mean(np.sum(t * np.log(p), axis=1))


@wrong(EX, "batch-max-shift")
def soft_batch_shift(z, t):
    z = z - np.max(z)
    p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    return -np.mean(np.sum(t * np.log(p), axis=1))


@wrong(EX, "log-of-softmax")
def soft_log_of_probs(z, t):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return -np.sum(t * np.log(p)) / z.shape[0]


@wrong(EX, "epsilon-in-log")
def soft_log_plus_epsilon(z, t):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return -np.sum(t * np.log(p + 1e-8)) / z.shape[0]


@wrong(EX, "sum-over-everything")
def soft_one_sum(z, t):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / np.sum(e)
    return -np.sum(t * np.log(p)) / z.shape[0]


@wrong(EX, "divided-by-classes")
def soft_mean_of_everything(z, t):
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return np.mean(-t * log_p)


@wrong(EX, "missing-batch-mean")
def soft_summed(z, t):
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return -np.sum(t * log_p)


@wrong(EX, "missing-minus")
def soft_no_minus(z, t):
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return np.sum(t * log_p) / len(z)


@wrong(EX, "assumes-one-hot")
def soft_argmax_of_targets(z, t):
    N = len(z)
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(N), np.argmax(t, axis=1)])


@wrong(EX, "no-max-shift", LABELS)
def labels_no_shift(z, y):
    probs = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


@wrong(EX, "batch-max-shift", LABELS)
def labels_batch_shift(z, y):
    z = z - np.max(z)
    probs = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    return -np.mean(np.log(probs[np.arange(len(y)), y]))


@wrong(EX, "log-of-softmax", LABELS)
def labels_log_of_probs(z, y):
    N = z.shape[0]
    scores = z - np.max(z, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    return np.sum(-np.log(probs[range(N), y])) / N


@wrong(EX, "epsilon-in-log", LABELS)
def labels_log_plus_epsilon(z, y):
    N = z.shape[0]
    scores = z - np.max(z, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    return -np.mean(np.log(probs[range(N), y] + 1e-7))


@wrong(EX, "divided-by-classes", LABELS)
def labels_divided_by_classes(z, y):
    N, C = z.shape
    s = z - z.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(log_p[np.arange(N), y]) / C


@wrong(EX, "classes-from-labels", LABELS)
def labels_eye_of_max_label(z, y):
    t = np.eye(np.max(y) + 1)[y]
    s = z - z.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(t * log_p) / len(y)


@wrong(EX, "missing-batch-mean", LABELS)
def labels_summed(z, y):
    s = z - z.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(log_p[np.arange(len(y)), y])
