"""Exercise of chapter 7 (:ref:`fused-vs-separate`): ``my_softmax_loss(W, X, y, reg)``, the loss and weight gradient of
softmax regression in the layout of the widely taught homework.

Scores are ``X @ W`` with ``X`` (N, D) and ``W`` (D, C); ``y`` holds integer
labels (N,); the loss is the mean cross-entropy over the N examples plus an
L2 penalty on ``W``. Both usual scalings of the penalty are accepted, as
long as the loss and the gradient use the same one.
"""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import (
    EPSILONS,
    eps_name,
    p_batch_shift,
    p_stable,
    p_unshifted,
    p_whole_sum,
)
from derivations.coursework.exercises.base import Case, Convention, Exercise, wrong
from derivations.losses import cross_entropy, cross_entropy_grad

ID = "softmax_loss"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "inconsistent-regularisation",
        "Penalty and its gradient disagree",
        r"The gradient of $\lambda \sum W^2$ is $2 \lambda W$, and that of $\frac12 \lambda \sum W^2$ is "
        r"$\lambda W$; pairing one convention's loss with the other's gradient (or leaving the penalty "
        r"out of the gradient) makes the gradient wrong for the loss it is meant to descend.",
        "inconsistent-regularisation",
    ),
]

TARGETS = {"labels": "y is an (N,) integer array of class labels in 0..C-1"}


def _offset(rng, N, D, C, top, signs=None):
    """X (N, D) and W (D, C) whose scores X @ W are ``top`` (times ``signs``) plus a few units.

    The first column of X holds 1 (or the row's sign) and the first row of
    W the offset, so the scores are exact multiples of 1/64 in float32 too.
    """
    X = np.empty((N, D))
    X[:, 0] = 1.0 if signs is None else signs
    X[:, 1:] = rng.integers(-4, 5, (N, D - 1)) / 4.0
    W = np.empty((D, C))
    W[0] = top + rng.integers(-64, 65, C) / 64.0 if np.ndim(top) == 0 else top
    W[1:] = rng.integers(-16, 17, (D - 1, C)) / 16.0
    return X, W


def cases(rng, targets="labels"):
    """Random inputs with and without regularisation, N = 1, C = 1, C = 2, more than 8
    classes with C > D, a batch without the top class, scores of 1e3..1e4, scores near
    1000, rows 800 apart, a labelled class 800 below its row's maximum, scores near
    -800, and float32 inputs with int32 labels."""
    N, C = inp.sizes(rng)
    D = int(rng.integers(2, 6))
    while D in (N, C):
        D += 1
    M, d = int(rng.integers(9, 13)), int(rng.integers(2, 5))

    def reg():
        return float(np.round(rng.uniform(0.05, 0.5), 3))

    def draw(N, D, C, r=None, *, absent=(), dtype=np.int64):
        X = rng.normal(0.0, 1.0, (N, D))
        W = rng.normal(0.0, 0.5, (D, C))
        return (W, X, inp.labels(rng, N, C, absent=absent, dtype=dtype), reg() if r is None else r)

    def large():
        def one():
            X = rng.integers(-4, 5, (N, D)) / 2.0
            W = rng.integers(-600, 601, (D, C)).astype(np.float64)
            return (W, X, inp.labels(rng, N, C), 1e-5), X @ W
        return inp.separated(rng, one)

    def offset(top, signs=None, y=None, r=1e-5):
        X, W = _offset(rng, N, D, C, top, signs)
        return (W, X, inp.labels(rng, N, C) if y is None else y, r)

    signs = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
    rng.shuffle(signs)
    low = int(rng.integers(0, C))
    top = np.zeros(C)
    top[low] = -800.0
    y_low = inp.labels(rng, N, C)
    y_low[rng.permutation(N)[: max(1, N // 2)]] = low

    out = [
        Case(f"random W, X and labels, N={N}, D={D}, C={C}, reg > 0", draw(N, D, C)),
        Case(f"labels that never take the top class {C - 1}, N={N + 2}, D={D}, C={C}",
             draw(N + 2, D, C, absent=(C - 1,))),
        Case(f"no regularisation, reg = 0, N={N}, D={D}, C={C}", draw(N, D, C, 0.0)),
        Case(f"one example, N = 1, D={D}, C={C}", draw(1, D, C)),
        Case(f"one class, C = 1, N={N}, D={D}", draw(N, D, 1)),
        Case(f"two classes, C = 2, N={N}, D={D}", draw(N, D, 2)),
        Case(f"many classes and few features, C={M} > D={d}, N={N}", draw(N, d, M)),
    ]
    for name, args in [
        ("scores of 1e3..1e4", large()),
        ("scores near 1000 with a small spread", offset(1000.0)),
        ("rows of scores near +400 and near -400 (maxima 800 apart)", offset(400.0, signs)),
        (f"the labelled class {low} scored 800 below the row maximum (its probability underflows to 0)",
         offset(top, y=y_low)),
        ("scores all near -800", offset(-800.0)),
    ]:
        W, X = args[0], args[1]
        out.append(Case(f"{name}, N={N}, D={D}, C={C}", args, inp.float32_rtol(X @ W)))
    W, X, y, r = draw(N, D, C, dtype=np.int32)
    out.append(Case(f"float32 W and X, int32 labels, N={N}, D={D}, C={C}", (*inp.f32(W, X), y, r)))
    return out


def _reference(W, X, y, reg, k):
    W, X = inp.as_float64(W, X)
    y = np.asarray(y, dtype=np.int64)
    scores = X @ W
    loss = cross_entropy(scores, y) + k * reg * np.sum(W * W)
    dW = X.T @ cross_entropy_grad(scores, y) + 2 * k * reg * W
    return np.asarray(loss), dW


def reference(W, X, y, reg):
    """The loss and gradient with the penalty reg * sum(W**2)."""
    return _reference(W, X, y, reg, 1.0)


def reference_half(W, X, y, reg):
    """The loss and gradient with the penalty 0.5 * reg * sum(W**2)."""
    return _reference(W, X, y, reg, 0.5)


CONVENTIONS = (
    Convention("reg", "the loss adds reg * sum(W**2) and dW adds 2 * reg * W", reference),
    Convention("half-reg", "the loss adds 0.5 * reg * sum(W**2) and dW adds reg * W", reference_half),
)

# ---------------------------------------------------------------------------
# Wrong implementations. Each mistake in the data term is registered twice,
# once with each scaling of the penalty, so that it is named whichever
# scaling the learner chose.
# ---------------------------------------------------------------------------


def _data_term(W, X, y, p_fn=p_stable, log_of=np.log):
    """Mean cross-entropy and its W gradient from probabilities ``p_fn(X @ W)``."""
    N = X.shape[0]
    p = p_fn(X @ W)
    loss = -np.mean(log_of(p[np.arange(N), y]))
    dscores = p.copy()
    dscores[np.arange(N), y] -= 1
    return loss, X.T @ dscores / N


def _logp_term(W, X, y):
    """The same through log-sum-exp, finite for any scores."""
    N = X.shape[0]
    s = X @ W
    s = s - np.max(s, axis=1, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    dscores = np.exp(log_p)
    dscores[np.arange(N), y] -= 1
    return -np.mean(log_p[np.arange(N), y]), X.T @ dscores / N


def _with_both_penalties(mistake, *, transposed=False):
    """Register ``data(W, X, y) -> (loss, dW)`` twice, with each scaling of the penalty.

    ``transposed``: ``data`` returns dW transposed, and the penalty's
    gradient is added transposed too.
    """

    def register(data):
        for k, suffix in ((1.0, ""), (0.5, "_half_reg")):
            def fn(W, X, y, reg, data=data, k=k):
                loss, dW = data(W, X, y)
                return loss + k * reg * np.sum(W * W), dW + 2 * k * reg * (W.T if transposed else W)

            fn.__name__ = data.__name__ + suffix
            fn.__qualname__ = fn.__name__
            fn.__doc__ = data.__doc__
            wrong(ID, mistake)(fn)
        return data

    return register


@_with_both_penalties("no-max-shift")
def softmax_loss_no_max_shift(W, X, y):
    """exp of the raw scores: inf / inf = NaN once a score passes about 709."""
    return _data_term(W, X, y, p_unshifted)


@_with_both_penalties("no-max-shift")
def softmax_loss_unshifted_logsumexp(W, X, y):
    """log sum exp of the raw scores, without the shift: inf once a score passes about 709."""
    N = X.shape[0]
    s = X @ W
    lse = np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    dscores = np.exp(s - lse)
    dscores[np.arange(N), y] -= 1
    return np.mean(lse[:, 0] - s[np.arange(N), y]), X.T @ dscores / N


@_with_both_penalties("batch-max-shift")
def softmax_loss_batch_max_shift(W, X, y):
    """``scores -= np.max(scores)``: one maximum for the whole batch."""
    return _data_term(W, X, y, p_batch_shift)


@_with_both_penalties("log-of-softmax")
def softmax_loss_log_of_probs(W, X, y):
    """-log of the correct class's (stable) probability: inf once it underflows."""
    return _data_term(W, X, y)


def _eps_variant(eps):
    def data(W, X, y):
        return _data_term(W, X, y, log_of=lambda p: np.log(p + eps))

    data.__name__ = f"softmax_loss_log_p_plus_{eps_name(eps)}"
    data.__doc__ = f"-log(p + {eps:g}): finite, and wrong once p_y is below about {eps:g}."
    _with_both_penalties("epsilon-in-log")(data)


for _eps in EPSILONS:
    _eps_variant(_eps)


@_with_both_penalties("sum-over-everything")
def softmax_loss_whole_sum(W, X, y):
    """``exp_scores / np.sum(exp_scores)``: one sum over the whole batch."""
    return _data_term(W, X, y, p_whole_sum)


@_with_both_penalties("divided-by-classes")
def softmax_loss_over_classes(W, X, y):
    """Loss and gradient divided by C instead of N."""
    loss, dW = _logp_term(W, X, y)
    N, C = X.shape[0], W.shape[1]
    return loss * N / C, dW * N / C


@_with_both_penalties("classes-from-labels")
def softmax_loss_classes_from_labels(W, X, y):
    """``num_classes = np.max(y) + 1``: the loops skip the classes above the largest label."""
    N = X.shape[0]
    C = np.max(y) + 1
    s = X @ W[:, :C]
    s = s - np.max(s, axis=1, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    dscores = np.exp(log_p)
    dscores[np.arange(N), y] -= 1
    dW = np.zeros_like(W)
    dW[:, :C] = X.T @ dscores / N
    return -np.mean(log_p[np.arange(N), y]), dW


@_with_both_penalties("classes-from-labels")
def softmax_loss_eye_of_max_label(W, X, y):
    """One-hot rows from ``np.eye(np.max(y) + 1)``: the wrong width when the top class is absent."""
    N = X.shape[0]
    s = X @ W
    s = s - np.max(s, axis=1, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    onehot = np.eye(np.max(y) + 1)[y]
    return -np.sum(onehot * log_p) / N, X.T @ (np.exp(log_p) - onehot) / N


@_with_both_penalties("missing-batch-mean")
def softmax_loss_summed(W, X, y):
    """Loss and gradient summed over the batch, not averaged."""
    loss, dW = _logp_term(W, X, y)
    return loss * X.shape[0], dW * X.shape[0]


@_with_both_penalties("sign-flip")
def softmax_loss_gradient_negated(W, X, y):
    """dscores = onehot - p: the data gradient with the wrong sign."""
    loss, dW = _logp_term(W, X, y)
    return loss, -dW


@_with_both_penalties("diagonal-only-jacobian")
def softmax_loss_true_class_only(W, X, y):
    """Only the correct class's column, -(1 - p_y) x, enters dW."""
    N = X.shape[0]
    loss, _ = _logp_term(W, X, y)
    p = p_stable(X @ W)
    dscores = np.zeros_like(p)
    dscores[np.arange(N), y] = -(1 - p[np.arange(N), y])
    return loss, X.T @ dscores / N


@_with_both_penalties("divide-by-p")
def softmax_loss_through_one_over_p(W, X, y):
    """dL/dp_y = -1 / (N p_y), then the softmax Jacobian: NaN once p_y underflows."""
    N = X.shape[0]
    loss, _ = _logp_term(W, X, y)
    p = p_stable(X @ W)
    dp = np.zeros_like(p)
    dp[np.arange(N), y] = -1.0 / (N * p[np.arange(N), y])
    dscores = p * (dp - np.sum(p * dp, axis=1, keepdims=True))
    return loss, X.T @ dscores


@_with_both_penalties("transposed-weight-grad", transposed=True)
def softmax_loss_transposed(W, X, y):
    """``dW = dscores.T @ X``: shape (C, D) for W of shape (D, C)."""
    loss, dW = _logp_term(W, X, y)
    return loss, dW.T


def _mixed(name, k_loss, k_grad, doc):
    def fn(W, X, y, reg):
        loss, dW = _logp_term(W, X, y)
        return loss + k_loss * reg * np.sum(W * W), dW + 2 * k_grad * reg * W

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    wrong(ID, "inconsistent-regularisation")(fn)


_mixed("softmax_loss_reg_with_half_grad", 1.0, 0.5, "reg * sum(W**2) in the loss, reg * W in dW.")
_mixed("softmax_loss_half_reg_with_full_grad", 0.5, 1.0, "0.5 * reg * sum(W**2) in the loss, 2 * reg * W in dW.")
_mixed("softmax_loss_reg_without_grad", 1.0, 0.0, "reg * sum(W**2) in the loss, nothing in dW.")
_mixed("softmax_loss_half_reg_without_grad", 0.5, 0.0, "0.5 * reg * sum(W**2) in the loss, nothing in dW.")


EXERCISE = Exercise(
    ID, "my_softmax_loss", "fused-vs-separate",
    "my_softmax_loss(W, X, y, reg), W (D, C), X (N, D), y int (N,), reg float -> (loss, dW (D, C))",
    ("loss", "dW"), cases, reference, targets=TARGETS, conventions=CONVENTIONS,
)


def softmax_loss_vectorized(W, X, y, reg):
    """A learner's vectorised loss: log-softmax, fancy indexing, reg * sum(W**2)."""
    N = X.shape[0]
    scores = X.dot(W)
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    loss = -np.sum(log_probs[np.arange(N), y]) / N + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    dW = X.T.dot(dscores) / N + 2 * reg * W
    return loss, dW


CORRECT = [softmax_loss_vectorized]
