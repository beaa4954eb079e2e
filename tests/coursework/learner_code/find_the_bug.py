"""Learners' fixes of chapter 13's find-the-bug exercises, right and wrong.

Each starts from the chapter's buggy function, the way a learner edits it;
the wrong ones are fixes that stop half way, each making a catalogued mistake.
"""

import numpy as np

from . import correct, wrong


@correct("find_bug_delta")
def delta_with_row_dot(z, dp):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    dot = (p * dp).sum(axis=-1, keepdims=True)   # <p, dp>, one per row
    return p * dp - p * dot


@wrong("find_bug_delta", "missing-delta-term")
def delta_off_diagonal_only(z, dp):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    return -p * (p * dp).sum(axis=-1, keepdims=True)


@correct("find_bug_eye_node")
def node_row_by_row(p, dp):
    dz = np.zeros(p.shape)
    for n in range(p.shape[0]):
        J = np.diag(p[n]) - np.outer(p[n], p[n])
        dz[n] = dp[n] @ J
    return dz


@wrong("find_bug_eye_node", "elementwise-jacobian")
def node_eye_of_classes_only(p, dp):
    g = p * (np.eye(p.shape[1]) - p)   # the identity now C x C
    return dp * g


@correct("find_bug_label_gradient")
def label_gradient_logsumexp(z, t):
    m = z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    N = len(z)
    return (np.exp(z - lse) - t) / N, (lse - z) / N


@wrong("find_bug_label_gradient", "epsilon-in-log")
def label_gradient_epsilon(z, t):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    N = z.shape[0]
    return (p - t) / N, -np.log(p + 1e-8) / N


@correct("find_bug_unshifted_exp")
def ce_grad_row_shift(z, t):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True) - t) / z.shape[0]


@wrong("find_bug_unshifted_exp", "batch-max-shift")
def ce_grad_one_shift(z, t):
    e = np.exp(z - z.max())
    return (e / e.sum(axis=1, keepdims=True) - t) / z.shape[0]


@correct("find_bug_batch_shift")
def jacobians_broadcast(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p[:, :, None] * np.eye(z.shape[1]) - p[:, :, None] * p[:, None, :]


@wrong("find_bug_batch_shift", "no-max-shift")
def jacobians_shift_removed(z):
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    return p[:, :, None] * np.eye(z.shape[1]) - p[:, :, None] * p[:, None, :]
