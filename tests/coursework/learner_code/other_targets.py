"""The toy, linear and hidden-layer gradients with integer labels instead of probability rows."""

import numpy as np

from . import correct, wrong

LABELS = "labels"


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@correct("toy_network_grads", LABELS)
def toy_label(h, W, label):
    p = _softmax(W.T @ h)
    p[label] -= 1
    return np.outer(h, p)


@wrong("toy_network_grads", "transposed-weight-grad", LABELS)
def toy_label_transposed(h, W, label):
    p = _softmax(W.T @ h)
    p[label] -= 1
    return np.outer(p, h)


@wrong("toy_network_grads", "diagonal-only-jacobian", LABELS)
def toy_label_true_class_only(h, W, label):
    p = _softmax(W.T @ h)
    dy = np.zeros_like(p)
    dy[label] = p[label] - 1
    return np.outer(h, dy)


@correct("linear_softmax_grads", LABELS)
def linear_labels(X, W, b, y):
    N = len(y)
    P = _softmax(X @ W.T + b)
    P[np.arange(N), y] -= 1
    P /= N
    return P.T @ X, P.sum(axis=0)


@correct("linear_softmax_grads")
def linear_soft(X, W, b, t):
    P = _softmax(X @ W.T + b)
    dz = (P * t.sum(axis=1, keepdims=True) - t) / len(X)
    return dz.T @ X, dz.sum(axis=0)


@wrong("linear_softmax_grads", "double-batch-mean", LABELS)
def linear_labels_bias_mean(X, W, b, y):
    N = len(y)
    P = _softmax(X @ W.T + b)
    P[np.arange(N), y] -= 1
    P /= N
    return P.T @ X, P.mean(axis=0)


@wrong("linear_softmax_grads", "missing-batch-mean", LABELS)
def linear_labels_no_mean(X, W, b, y):
    P = _softmax(X @ W.T + b)
    P[np.arange(len(y)), y] -= 1
    return P.T @ X, P.sum(axis=0)


@correct("hidden_layer_grads", LABELS)
def hidden_labels(X, W1, b1, W2, b2, y):
    N = len(y)
    a = np.tanh(X @ W1.T + b1)
    dz = _softmax(a @ W2.T + b2)
    dz[np.arange(N), y] -= 1
    dz /= N
    du = dz @ W2 * (1 - a**2)
    return du.T @ X, du.sum(axis=0), dz.T @ a, dz.sum(axis=0)


@wrong("hidden_layer_grads", "wrong-activation-derivative", LABELS)
def hidden_labels_one_minus_a(X, W1, b1, W2, b2, y):
    N = len(y)
    a = np.tanh(X @ W1.T + b1)
    dz = _softmax(a @ W2.T + b2)
    dz[np.arange(N), y] -= 1
    dz /= N
    du = dz @ W2 * (1 - a)
    return du.T @ X, du.sum(axis=0), dz.T @ a, dz.sum(axis=0)
