"""softmax_loss(W, X, y, reg) -> (loss, dW), as homework answers write it.

X is (N, D), W is (D, C), y holds integer labels (N,).
"""

import numpy as np
from scipy.special import log_softmax as scipy_log_softmax

from . import correct, wrong

EX = "softmax_loss"

# ---------------------------------------------------------------------------
# Correct answers.
# ---------------------------------------------------------------------------


@correct(EX)
def naive_double_loop(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    num_classes = W.shape[1]
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        sum_exp = np.sum(np.exp(scores))
        loss += -scores[y[i]] + np.log(sum_exp)
        for j in range(num_classes):
            p = np.exp(scores[j]) / sum_exp
            dW[:, j] += (p - (j == y[i])) * X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW


@correct(EX)
def vectorized_fancy_indexing_half_reg(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    probs = np.exp(log_probs)
    loss = -np.sum(log_probs[np.arange(num_train), y]) / num_train
    loss += 0.5 * reg * np.sum(W * W)
    dscores = probs
    dscores[np.arange(num_train), y] -= 1
    dscores /= num_train
    dW = X.T.dot(dscores) + reg * W
    return loss, dW


@correct(EX)
def one_hot_with_eye(W, X, y, reg):
    N = X.shape[0]
    C = W.shape[1]
    Y = np.eye(C)[y]
    scores = X @ W
    scores = scores - np.max(scores, axis=1, keepdims=True)
    logsumexp = np.log(np.exp(scores).sum(axis=1))
    loss = np.mean(logsumexp - np.sum(Y * scores, axis=1)) + reg * (W**2).sum()
    P = np.exp(scores - logsumexp[:, None])
    dW = X.T @ (P - Y) / N + 2 * reg * W
    return loss, dW


@correct(EX)
def float32_throughout(W, X, y, reg):
    W = W.astype(np.float32)
    X = X.astype(np.float32)
    N = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    sums = exp_scores.sum(axis=1, keepdims=True)
    loss = np.float32(np.sum(np.log(sums[:, 0]) - scores[np.arange(N), y]) / N)
    loss += np.float32(reg) * np.sum(W * W)
    probs = exp_scores / sums
    probs[np.arange(N), y] -= 1
    dW = X.T @ probs / N + np.float32(2 * reg) * W
    return loss, dW


@correct(EX)
def loop_over_examples_half_reg(W, X, y, reg):
    N, C = X.shape[0], W.shape[1]  # noqa: F841  (a learner names C and never uses it)
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(N):
        f = X[i] @ W
        f = f - f.max()
        lse = np.log(np.exp(f).sum())
        loss -= f[y[i]] - lse
        p = np.exp(f - lse)
        p[y[i]] -= 1.0
        dW += np.outer(X[i], p)
    return loss / N + 0.5 * reg * np.sum(W ** 2), dW / N + reg * W


@correct(EX)
def with_scipy_log_softmax(W, X, y, reg):
    N = len(y)
    log_p = scipy_log_softmax(X @ W, axis=1)
    loss = -log_p[range(N), y].mean() + reg * np.sum(np.square(W))
    grad_scores = np.exp(log_p)
    grad_scores[range(N), y] -= 1
    return loss, X.T @ grad_scores / N + 2 * reg * W


# ---------------------------------------------------------------------------
# Wrong answers, each with the mistake it makes.
# ---------------------------------------------------------------------------


@wrong(EX, "no-max-shift")
def naive_without_shift(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(X.shape[0]):
        scores = X[i].dot(W)
        sum_exp = np.sum(np.exp(scores))
        loss += -np.log(np.exp(scores[y[i]]) / sum_exp)
        for j in range(W.shape[1]):
            dW[:, j] += (np.exp(scores[j]) / sum_exp - (j == y[i])) * X[i]
    loss = loss / X.shape[0] + reg * np.sum(W * W)
    return loss, dW / X.shape[0] + 2 * reg * W


@wrong(EX, "no-max-shift")
def logsumexp_without_shift(W, X, y, reg):
    N = X.shape[0]
    scores = X @ W
    lse = np.log(np.sum(np.exp(scores), axis=1))
    loss = np.mean(lse - scores[np.arange(N), y]) + 0.5 * reg * np.sum(W * W)
    probs = np.exp(scores - lse[:, None])
    probs[np.arange(N), y] -= 1
    return loss, X.T @ probs / N + reg * W


@wrong(EX, "batch-max-shift")
def shift_by_batch_max(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= np.max(scores)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    loss = np.sum(-np.log(probs[np.arange(num_train), y])) / num_train + reg * np.sum(W * W)
    dscores = probs
    dscores[np.arange(num_train), y] -= 1
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    return loss, dW


@wrong(EX, "log-of-softmax")
def log_of_probs(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    correct_logprobs = -np.log(probs[range(num_train), y])
    loss = np.sum(correct_logprobs) / num_train + 0.5 * reg * np.sum(W * W)
    dscores = probs
    dscores[range(num_train), y] -= 1
    dW = np.dot(X.T, dscores) / num_train + reg * W
    return loss, dW


@wrong(EX, "epsilon-in-log")
def log_with_epsilon(W, X, y, reg):
    N = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y] + 1e-7)) + reg * np.sum(W * W)
    probs[np.arange(N), y] -= 1
    return loss, X.T @ probs / N + 2 * reg * W


@wrong(EX, "epsilon-in-log")
def log_with_tiny_epsilon_loop(W, X, y, reg):
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(len(y)):
        s = X[i] @ W
        e = np.exp(s - s.max())
        p = e / e.sum()
        loss -= np.log(p[y[i]] + 1e-12)
        p[y[i]] -= 1
        dW += np.outer(X[i], p)
    return loss / len(y) + reg * np.sum(W * W), dW / len(y) + 2 * reg * W


@wrong(EX, "sum-over-everything")
def one_sum_for_everything(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= np.max(scores, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores)
    loss = -np.sum(np.log(probs[np.arange(num_train), y])) / num_train + reg * np.sum(W * W)
    dscores = probs.copy()
    dscores[np.arange(num_train), y] -= 1
    return loss, X.T.dot(dscores) / num_train + 2 * reg * W


@wrong(EX, "divided-by-classes")
def averaged_over_classes(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    num_classes = W.shape[1]
    for i in range(X.shape[0]):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        sum_exp = np.sum(np.exp(scores))
        loss += np.log(sum_exp) - scores[y[i]]
        for j in range(num_classes):
            dW[:, j] += (np.exp(scores[j]) / sum_exp - (j == y[i])) * X[i]
    loss /= num_classes
    dW /= num_classes
    return loss + reg * np.sum(W * W), dW + 2 * reg * W


@wrong(EX, "classes-from-labels")
def classes_from_max_label(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    num_classes = np.max(y) + 1
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W[:, :num_classes])
        scores -= np.max(scores)
        sum_exp = np.sum(np.exp(scores))
        loss += np.log(sum_exp) - scores[y[i]]
        for j in range(num_classes):
            dW[:, j] += (np.exp(scores[j]) / sum_exp - (j == y[i])) * X[i]
    return loss / num_train + reg * np.sum(W * W), dW / num_train + 2 * reg * W


@wrong(EX, "inconsistent-regularisation")
def reg_loss_half_gradient(W, X, y, reg):
    N = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean() + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    dW = X.T @ dscores / N + reg * W  # the gradient of 0.5 * reg * sum(W**2)
    return loss, dW


@wrong(EX, "inconsistent-regularisation")
def reg_forgotten_in_gradient(W, X, y, reg):
    N = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean() + 0.5 * reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    return loss, X.T @ dscores / N


@wrong(EX, "missing-batch-mean")
def forgot_the_mean(W, X, y, reg):
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = -np.sum(log_probs[np.arange(len(y)), y]) + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(len(y)), y] -= 1
    return loss, X.T @ dscores + 2 * reg * W


@wrong(EX, "sign-flip")
def labels_minus_probs(W, X, y, reg):
    N, C = X.shape[0], W.shape[1]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean() + reg * np.sum(W * W)
    dscores = np.eye(C)[y] - np.exp(log_probs)
    return loss, X.T @ dscores / N + 2 * reg * W


@wrong(EX, "diagonal-only-jacobian")
def only_the_correct_column(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(X.shape[0]):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        sum_exp = np.sum(np.exp(scores))
        loss += np.log(sum_exp) - scores[y[i]]
        p_y = np.exp(scores[y[i]]) / sum_exp
        dW[:, y[i]] -= (1 - p_y) * X[i]
    return loss / X.shape[0] + reg * np.sum(W * W), dW / X.shape[0] + 2 * reg * W


@wrong(EX, "divide-by-p")
def through_one_over_p(W, X, y, reg):
    N = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    lse = np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = np.mean(lse[:, 0] - scores[np.arange(N), y]) + reg * np.sum(W * W)
    p = np.exp(scores - lse)
    dL_dp = np.zeros_like(p)
    dL_dp[np.arange(N), y] = -1.0 / (N * p[np.arange(N), y])
    dscores = p * (dL_dp - np.sum(p * dL_dp, axis=1, keepdims=True))
    return loss, X.T @ dscores + 2 * reg * W


@wrong(EX, "transposed-weight-grad")
def transposed_dW(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(num_train), y]) + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(num_train), y] -= 1
    dW = dscores.T.dot(X) / num_train + 2 * reg * W.T
    return loss, dW
