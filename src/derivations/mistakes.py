"""The catalogue of mistakes that :func:`derivations.checks.check` diagnoses.

Each :class:`Mistake` has an id, a one-sentence explanation and the section
of the book that explains it. Each also has at least one *reference wrong
implementation*: a small function that makes exactly that mistake in one of
the book's implementation exercises. The checker runs these next to a
learner's function on the same inputs, and a learner whose outputs agree
with a wrong implementation is told which mistake it is.

The catalogue is documented in :ref:`mistakes`, which renders its table
from this module.
"""

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

#: Where links point. Relative to a chapter page of the built book, which is
#: where the checks' messages are usually displayed.
BOOK_URL = "../"


_PLAIN = [
    (r"\mathrm{diag}", "diag"), (r"\mathrm{onehot}", "onehot"), (r"\varepsilon", "eps"),
    (r"\partial ", "d"), (r"\times", "x"), (r"\infty", "inf"), (r"\tanh", "tanh"), (r"\log", "log"),
    (r"\max", "max"), (r"\sum", "sum"), (r"\delta", "delta"), (r"\tau", "tau"), (r"\,", " "),
]


def plain(text):
    r"""MyST text with ``$...$`` maths as plain text: no dollars, braces or backslashes.

    A braced exponent keeps its grouping as parentheses.

    Examples
    --------
    >>> plain(r"$\tau p - t$ with $\tau = \sum_c t_c$, and `np.eye`")
    'tau p - t with tau = sum_c t_c, and np.eye'
    >>> plain(r"$e^{z_j - m}$ and $2\varepsilon$")
    'e^(z_j - m) and 2eps'
    """
    for tex, word in _PLAIN:
        text = text.replace(tex, word)
    text = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", text)
    return text.replace("$", "").replace("{", "").replace("}", "").replace("`", "")


@dataclass(frozen=True)
class Mistake:
    """One known mistake: what goes wrong and where the book explains it.

    Attributes
    ----------
    id : str
        Short kebab-case name, e.g. ``"sign-flip"``.
    title : str
        A few words for tables and headings.
    explanation : str
        One sentence: what goes wrong and what is right instead, in MyST
        Markdown (``$...$`` maths, backtick code). :attr:`text` is the same
        in plain text.
    label : str
        The MyST label of the section that explains it.
    chapter : str
        The chapter file that holds the section, relative to the book root.

    Examples
    --------
    >>> from derivations.mistakes import MISTAKES
    >>> MISTAKES["batch-size-eye"].url()
    '../book/07_fused_vs_separate.html#separate-node-bug'
    """

    id: str
    title: str
    explanation: str
    label: str
    chapter: str

    @property
    def text(self):
        """The explanation as plain text, for messages outside the book."""
        return plain(self.explanation)

    def url(self, base=None):
        """Link to the explaining section in the built HTML book.

        Sphinx puts a ``(label)=`` target's id on the section it precedes,
        so ``page.html#label`` lands on that section.
        """
        base = BOOK_URL if base is None else base
        page = self.chapter[: -len(".md")] if self.chapter.endswith(".md") else self.chapter
        return f"{base}{page}.html#{self.label}"


_CATALOGUE = [
    Mistake(
        "diagonal-only-jacobian",
        "Diagonal-only Jacobian",
        r"Only the $i = j$ terms $p_i(1 - p_i)$ of the softmax Jacobian were kept; the off-diagonal "
        r"terms $-p_i p_j$, through which every logit moves every probability, were dropped.",
        "puzzle-wrong-step",
        "book/01_puzzle.md",
    ),
    Mistake(
        "missing-delta-term",
        "Jacobian without its diagonal",
        r"The softmax Jacobian is $\mathrm{diag}(p) - p p^T$: the Kronecker delta adds $p_i$ on the "
        r"diagonal, and $-p p^T$ alone leaves it out.",
        "quotient-rule",
        "book/02_quotient_rule.md",
    ),
    Mistake(
        "sign-flip",
        "Gradient with the wrong sign",
        r"The gradient of the cross-entropy with respect to the logits is $\tau p - t$ (with "
        r"$\tau = \sum_c t_c$), not $t - p$; with the sign flipped, gradient descent climbs the loss.",
        "gradient-sign",
        "book/03_kronecker_delta.md",
    ),
    Mistake(
        "missing-minus",
        "Loss without its minus sign",
        r"Cross-entropy is $-\sum_c t_c \log p_c$, a positive number; without the minus the loss is "
        r"negative and minimising it makes the predictions worse.",
        "kronecker-delta",
        "book/03_kronecker_delta.md",
    ),
    Mistake(
        "transposed-weight-grad",
        "Weight gradient transposed",
        r"$\partial E / \partial W$ has the shape of $W$, entry $[i, j]$ belonging to $w_{ij}$; building "
        r"it as $X^T dz$ when $W$ is stored as $(C, D)$, or the other way round, gives its transpose.",
        "weight-gradient-shape",
        "book/05_matrix_form.md",
    ),
    Mistake(
        "wrong-axis",
        "Normalised over the batch",
        r"Softmax normalises each example over its classes (the last axis, one row per example), "
        r"not each class over the batch (axis 0).",
        "batch-axis",
        "book/06_backward_any_loss.md",
    ),
    Mistake(
        "missing-keepdims",
        "Row sums without keepdims",
        r"A row sum or maximum taken without `keepdims=True` has shape $(N,)$, and combining it with an "
        r"$(N, C)$ array lines it up with the class axis: an error unless $N = C$, wrong numbers when $N = C$.",
        "batch-axis",
        "book/06_backward_any_loss.md",
    ),
    Mistake(
        "batch-size-eye",
        "Identity of the batch size",
        r"The identity in $p(\delta - p)$ must be $C \times C$, one row per class; `np.eye` of the batch "
        r"size $N$ only broadcasts against $(N, C)$ when $N = C$, and then gives the wrong numbers.",
        "separate-node-bug",
        "book/07_fused_vs_separate.md",
    ),
    Mistake(
        "missing-batch-mean",
        "No division by N",
        r"The loss is the mean over the $N$ examples, so every gradient of it carries a factor $1/N$; "
        r"without it the result is $N$ times too large.",
        "batch-mean",
        "book/07_fused_vs_separate.md",
    ),
    Mistake(
        "double-batch-mean",
        "Divided by N twice",
        r"The $1/N$ of the mean is already inside $dz$; averaging $dz$ over the batch again (for the "
        r"bias gradient, say) makes the result $N$ times too small.",
        "batch-mean",
        "book/07_fused_vs_separate.md",
    ),
    Mistake(
        "divide-by-p",
        "Chained through -t/p",
        r"Sending $\partial L / \partial p = -t/p$ through the softmax Jacobian divides by probabilities "
        r"that underflow to 0 on large logits and gives NaN; the fused form $\tau p - t$ never divides.",
        "fused-vs-separate",
        "book/07_fused_vs_separate.md",
    ),
    Mistake(
        "no-max-shift",
        "Overflow in exp",
        r"$e^z$ overflows to inf for logits above about 709 (88 in float32), and inf / inf is NaN; "
        r"subtracting each row's maximum first leaves the result unchanged and cannot overflow.",
        "overflow",
        "book/08_stability.md",
    ),
    Mistake(
        "log-of-softmax",
        "Log of softmax underflows",
        r"`np.log(softmax(z))` is $-\infty$ wherever a probability underflows to 0; log-softmax computed "
        r"as $z - m - \log \sum_j e^{z_j - m}$ with $m = \max_j z_j$ stays finite.",
        "log-of-softmax",
        "book/08_stability.md",
    ),
    Mistake(
        "forward-difference",
        "Forward instead of central difference",
        r"$(f(x + \varepsilon) - f(x)) / \varepsilon$ has an error proportional to $\varepsilon$; the "
        r"central difference $(f(x + \varepsilon) - f(x - \varepsilon)) / 2\varepsilon$ has an error "
        r"proportional to $\varepsilon^2$.",
        "gradient-checking",
        "book/09_gradient_checking.md",
    ),
    Mistake(
        "half-step-divisor",
        "Divided by eps instead of 2 eps",
        r"The two evaluations at $x + \varepsilon$ and $x - \varepsilon$ are $2\varepsilon$ apart, so "
        r"dividing their difference by $\varepsilon$ gives twice the derivative.",
        "gradient-checking",
        "book/09_gradient_checking.md",
    ),
    Mistake(
        "no-restore",
        "Perturbation not undone",
        r"Each entry must be put back to its original value after its two evaluations; otherwise every "
        r"later entry is differentiated at a shifted point.",
        "gradient-checking",
        "book/09_gradient_checking.md",
    ),
    Mistake(
        "float32-steps",
        "Perturbed in the input's dtype",
        r"Perturbing a copy of $x$ in its own dtype rounds $x + \varepsilon$ (float32 keeps about 7 digits, "
        r"an integer type none), so the step is not $\varepsilon$; copy $x$ to float64 first.",
        "gradient-checking",
        "book/09_gradient_checking.md",
    ),
    Mistake(
        "assumes-one-hot",
        "Assumes one-hot targets",
        r"$p - t$ is the gradient only when each target row sums to 1; in general it is $\tau p - t$ "
        r"with $\tau = \sum_c t_c$, and a loss must use every target weight, not just the largest.",
        "soft-targets",
        "book/10_beyond_one_hot.md",
    ),
    Mistake(
        "smoothing-wrong-mass",
        "Label smoothing with the wrong mass",
        r"Smoothed targets are $(1 - \varepsilon)\,\mathrm{onehot} + \varepsilon / C$: every class gets "
        r"$\varepsilon / C$, the true class gets $1 - \varepsilon$ on top, and each row sums to 1.",
        "label-smoothing",
        "book/10_beyond_one_hot.md",
    ),
    Mistake(
        "wrong-activation-derivative",
        "Wrong tanh derivative",
        r"With $a = \tanh(u)$ the hidden layer's local derivative is $1 - a^2$; leaving it out, or using "
        r"$1 - a$ or $1 - u^2$, gives the wrong first-layer gradients.",
        "training",
        "book/11_training.md",
    ),
    Mistake(
        "chunk-no-rescale",
        "Running sum not rescaled",
        r"When a new block raises the running maximum from $m$ to $m'$, the running sum, taken relative "
        r"to $m$, must be multiplied by $e^{m - m'}$ before the block's terms are added.",
        "what-it-costs",
        "book/12_cost.md",
    ),
    Mistake(
        "chunk-drops-remainder",
        "Last block dropped",
        r"When $C$ is not a multiple of the block width, the last, narrower block must still be scanned.",
        "what-it-costs",
        "book/12_cost.md",
    ),
]

#: Every catalogued mistake, by id, in the order the book presents them.
MISTAKES = {m.id: m for m in _CATALOGUE}


@dataclass(frozen=True)
class WrongImplementation:
    """A reference implementation of an exercise that makes one mistake."""

    exercise: str
    mistake: str
    fn: Callable

    @property
    def name(self):
        return self.fn.__name__


WRONG = []


def _wrong(exercise, mistake):
    """Register ``fn`` as a wrong implementation of ``exercise`` making ``mistake``."""
    if mistake not in MISTAKES:
        raise ValueError(f"unknown mistake {mistake!r}")

    def register(fn):
        WRONG.append(WrongImplementation(exercise, mistake, fn))
        return fn

    return register


def wrong_implementations(exercise=None, mistake=None):
    """The reference wrong implementations, optionally for one exercise or mistake.

    Parameters
    ----------
    exercise : str, optional
        An exercise id such as ``"cross_entropy_grad"``.
    mistake : str, optional
        A mistake id such as ``"sign-flip"``.

    Returns
    -------
    list of WrongImplementation

    Examples
    --------
    >>> [w.mistake for w in wrong_implementations("softmax")]
    ['no-max-shift', 'wrong-axis', 'missing-keepdims']
    >>> w = wrong_implementations("softmax", "no-max-shift")[0]
    >>> with np.errstate(over="ignore", invalid="ignore"):  # the overflow is the point
    ...     w.fn(np.array([[1000.0, 0.0]]))
    array([[nan,  0.]])
    """
    if mistake is not None and mistake not in MISTAKES:
        raise ValueError(f"unknown mistake {mistake!r}; known: {', '.join(MISTAKES)}")
    return [
        w
        for w in WRONG
        if (exercise is None or w.exercise == exercise) and (mistake is None or w.mistake == mistake)
    ]


# ---------------------------------------------------------------------------
# Reference wrong implementations. They use plain numpy, never the package's
# validated functions: a wrong implementation must produce its NaN or inf
# exactly as a learner's would, not raise a tidy ValueError instead.
# Each is otherwise correct, so that it makes exactly one mistake.
# ---------------------------------------------------------------------------


def _p(z, axis=-1):
    """Stable softmax, the correct building block of the wrong variants."""
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _p_unshifted(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def _logp(z):
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def _fused(p, t):
    """(N, C) gradient of the mean cross-entropy, from p: (p * sum t - t) / N."""
    return (p * np.sum(t, axis=-1, keepdims=True) - t) / p.shape[0]


# softmax --------------------------------------------------------------------


@_wrong("softmax", "no-max-shift")
def softmax_no_max_shift(z):
    """exp(z) / sum exp(z) without subtracting the row maximum."""
    return _p_unshifted(z)


@_wrong("softmax", "wrong-axis")
def softmax_over_batch(z):
    """Normalises each column (class) over the batch."""
    return _p(z, axis=0)


@_wrong("softmax", "missing-keepdims")
def softmax_no_keepdims(z):
    """Divides (N, C) by row sums of shape (N,)."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


# softmax_jacobian -------------------------------------------------------------


@_wrong("softmax_jacobian", "diagonal-only-jacobian")
def jacobian_diagonal_only(z):
    """Keeps p_i (1 - p_i) on the diagonal and zeros elsewhere."""
    p = _p(z)
    return np.diag(p * (1 - p))


@_wrong("softmax_jacobian", "missing-delta-term")
def jacobian_outer_only(z):
    """-p p^T without the diag(p) of the Kronecker delta."""
    p = _p(z)
    return -np.outer(p, p)


@_wrong("softmax_jacobian", "no-max-shift")
def jacobian_no_max_shift(z):
    """The right formula on an unshifted softmax."""
    p = _p_unshifted(z)
    return np.diag(p) - np.outer(p, p)


# log_softmax --------------------------------------------------------------------


@_wrong("log_softmax", "log-of-softmax")
def log_softmax_via_log(z):
    """np.log of a (stable) softmax: -inf where a probability underflows."""
    with np.errstate(divide="ignore"):
        return np.log(_p(z))


@_wrong("log_softmax", "no-max-shift")
def log_softmax_no_max_shift(z):
    """z - log sum exp(z) without the shift."""
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


@_wrong("log_softmax", "wrong-axis")
def log_softmax_over_batch(z):
    """Log-sum-exp taken over axis 0."""
    m = np.max(z, axis=0, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=0, keepdims=True))


@_wrong("log_softmax", "missing-keepdims")
def log_softmax_no_keepdims(z):
    """Subtracts log-sum-exps of shape (N,) from (N, C)."""
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1))


# softmax_backward -----------------------------------------------------------------


@_wrong("softmax_backward", "diagonal-only-jacobian")
def backward_diagonal_only(p, dp):
    """dp * p (1 - p): the elementwise 'derivative'."""
    return dp * p * (1 - p)


@_wrong("softmax_backward", "batch-size-eye")
def backward_batch_size_eye(p, dp):
    """p (delta - p) with the identity built from the batch size."""
    return dp * p * (np.eye(p.shape[0]) - p)


@_wrong("softmax_backward", "wrong-axis")
def backward_over_batch(p, dp):
    """<p, dp> summed over the batch instead of the classes."""
    return p * (dp - np.sum(p * dp, axis=0, keepdims=True))


@_wrong("softmax_backward", "missing-keepdims")
def backward_no_keepdims(p, dp):
    """<p, dp> of shape (N,) subtracted from (N, C)."""
    return p * (dp - np.sum(p * dp, axis=-1))


# cross_entropy ------------------------------------------------------------------------


@_wrong("cross_entropy", "no-max-shift")
def cross_entropy_no_max_shift(z, t):
    """log of an unshifted softmax."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.mean(np.sum(t * np.log(_p_unshifted(z)), axis=-1))


@_wrong("cross_entropy", "log-of-softmax")
def cross_entropy_log_of_softmax(z, t):
    """log of a stable softmax: inf once a target class underflows."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.mean(np.sum(t * np.log(_p(z)), axis=-1))


@_wrong("cross_entropy", "missing-batch-mean")
def cross_entropy_summed(z, t):
    """Sums the per-example losses instead of averaging them."""
    return -np.sum(t * _logp(z))


@_wrong("cross_entropy", "wrong-axis")
def cross_entropy_over_batch(z, t):
    """Log-softmax over the batch axis."""
    m = np.max(z, axis=0, keepdims=True)
    logp = z - m - np.log(np.sum(np.exp(z - m), axis=0, keepdims=True))
    return -np.mean(np.sum(t * logp, axis=-1))


@_wrong("cross_entropy", "assumes-one-hot")
def cross_entropy_argmax_target(z, t):
    """-log p of the largest target only."""
    rows = np.arange(z.shape[0])
    return -np.mean(_logp(z)[rows, np.argmax(t, axis=-1)])


@_wrong("cross_entropy", "missing-minus")
def cross_entropy_no_minus(z, t):
    """mean sum t log p, without the minus."""
    return np.mean(np.sum(t * _logp(z), axis=-1))


# cross_entropy_grad ----------------------------------------------------------------------


@_wrong("cross_entropy_grad", "sign-flip")
def ce_grad_t_minus_p(z, t):
    """(t - p) / N."""
    return (t - _p(z)) / z.shape[0]


@_wrong("cross_entropy_grad", "sign-flip")
def ce_grad_negated(z, t):
    """(t - p * sum t) / N: the whole gradient negated."""
    return -_fused(_p(z), t)


@_wrong("cross_entropy_grad", "missing-batch-mean")
def ce_grad_no_mean(z, t):
    """p * sum t - t, without the 1/N."""
    p = _p(z)
    return p * np.sum(t, axis=-1, keepdims=True) - t


@_wrong("cross_entropy_grad", "assumes-one-hot")
def ce_grad_p_minus_t(z, t):
    """(p - t) / N, right only when each target row sums to 1."""
    return (_p(z) - t) / z.shape[0]


@_wrong("cross_entropy_grad", "diagonal-only-jacobian")
def ce_grad_diagonal_only(z, t):
    """-t (1 - p) / N: -t/p through the diagonal of the Jacobian only."""
    return -t * (1 - _p(z)) / z.shape[0]


@_wrong("cross_entropy_grad", "no-max-shift")
def ce_grad_no_max_shift(z, t):
    """The fused formula on an unshifted softmax."""
    return _fused(_p_unshifted(z), t)


@_wrong("cross_entropy_grad", "wrong-axis")
def ce_grad_over_batch(z, t):
    """The fused formula with softmax over the batch axis."""
    return _fused(_p(z, axis=0), t)


@_wrong("cross_entropy_grad", "divide-by-p")
def ce_grad_through_jacobian(z, t):
    """dp = -t / (N p), then the softmax vector-Jacobian product."""
    p = _p(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        dp = -t / (p * z.shape[0])
        return p * (dp - np.sum(p * dp, axis=-1, keepdims=True))


# toy_network_grads ---------------------------------------------------------------------


def _toy_dy(W, h, t, p_fn=_p):
    p = p_fn(W.T @ h)
    return p, p * np.sum(t) - t


@_wrong("toy_network_grads", "diagonal-only-jacobian")
def toy_diagonal_only(h, W, t):
    """dE/dw_ij = -t_j (1 - p_j) h_i, the asker's result in the source thread."""
    p, _ = _toy_dy(W, h, t)
    return np.outer(h, -t * (1 - p))


@_wrong("toy_network_grads", "sign-flip")
def toy_t_minus_p(h, W, t):
    """h (t - p)^T."""
    p, _ = _toy_dy(W, h, t)
    return np.outer(h, t - p)


@_wrong("toy_network_grads", "sign-flip")
def toy_negated(h, W, t):
    """The whole gradient negated."""
    _, dy = _toy_dy(W, h, t)
    return -np.outer(h, dy)


@_wrong("toy_network_grads", "assumes-one-hot")
def toy_p_minus_t(h, W, t):
    """h (p - t)^T."""
    p, _ = _toy_dy(W, h, t)
    return np.outer(h, p - t)


@_wrong("toy_network_grads", "transposed-weight-grad")
def toy_transposed(h, W, t):
    """(C, D): dy h^T instead of h dy^T."""
    _, dy = _toy_dy(W, h, t)
    return np.outer(dy, h)


@_wrong("toy_network_grads", "no-max-shift")
def toy_no_max_shift(h, W, t):
    """Unshifted softmax of y = W^T h."""
    _, dy = _toy_dy(W, h, t, _p_unshifted)
    return np.outer(h, dy)


# linear_softmax_grads --------------------------------------------------------------------


def _linear_dz(X, W, b, t, p_fn=_p):
    return _fused(p_fn(X @ W.T + b), t)


@_wrong("linear_softmax_grads", "transposed-weight-grad")
def linear_transposed(X, W, b, t):
    """dW = X^T dz, shape (D, C), for W stored as (C, D)."""
    dz = _linear_dz(X, W, b, t)
    return X.T @ dz, dz.sum(axis=0)


@_wrong("linear_softmax_grads", "missing-batch-mean")
def linear_no_mean(X, W, b, t):
    """Gradients of the summed, not averaged, loss."""
    dz = _linear_dz(X, W, b, t) * X.shape[0]
    return dz.T @ X, dz.sum(axis=0)


@_wrong("linear_softmax_grads", "double-batch-mean")
def linear_bias_mean(X, W, b, t):
    """db as the batch mean of dz, which already holds the 1/N."""
    dz = _linear_dz(X, W, b, t)
    return dz.T @ X, dz.mean(axis=0)


@_wrong("linear_softmax_grads", "sign-flip")
def linear_negated(X, W, b, t):
    """Both gradients negated."""
    dz = _linear_dz(X, W, b, t)
    return -(dz.T @ X), -dz.sum(axis=0)


@_wrong("linear_softmax_grads", "assumes-one-hot")
def linear_p_minus_t(X, W, b, t):
    """dz = (p - t) / N."""
    dz = (_p(X @ W.T + b) - t) / X.shape[0]
    return dz.T @ X, dz.sum(axis=0)


@_wrong("linear_softmax_grads", "diagonal-only-jacobian")
def linear_diagonal_only(X, W, b, t):
    """dz = -t (1 - p) / N."""
    dz = -t * (1 - _p(X @ W.T + b)) / X.shape[0]
    return dz.T @ X, dz.sum(axis=0)


@_wrong("linear_softmax_grads", "no-max-shift")
def linear_no_max_shift(X, W, b, t):
    """Unshifted softmax of the logits."""
    dz = _linear_dz(X, W, b, t, _p_unshifted)
    return dz.T @ X, dz.sum(axis=0)


# hidden_layer_grads -------------------------------------------------------------------------


def _hidden(
    X, W1, b1, W2, b2, t, *, p_fn=_p, dz_of=_fused, local=lambda u, a: 1 - a**2, scale=1.0, bias_mean=False
):
    """Backpropagation through the two-layer network, with knobs for the mistakes."""
    u = X @ W1.T + b1
    a = np.tanh(u)
    dz = dz_of(p_fn(a @ W2.T + b2), t) * scale
    du = (dz @ W2) * local(u, a)
    reduce = (lambda g: g.mean(axis=0)) if bias_mean else (lambda g: g.sum(axis=0))
    return du.T @ X, reduce(du), dz.T @ a, reduce(dz)


@_wrong("hidden_layer_grads", "wrong-activation-derivative")
def hidden_one_minus_a(X, W1, b1, W2, b2, t):
    """tanh' taken as 1 - a."""
    return _hidden(X, W1, b1, W2, b2, t, local=lambda u, a: 1 - a)


@_wrong("hidden_layer_grads", "wrong-activation-derivative")
def hidden_no_activation_derivative(X, W1, b1, W2, b2, t):
    """tanh' left out."""
    return _hidden(X, W1, b1, W2, b2, t, local=lambda u, a: 1.0)


@_wrong("hidden_layer_grads", "wrong-activation-derivative")
def hidden_derivative_of_u(X, W1, b1, W2, b2, t):
    """tanh' taken as 1 - u^2, from the pre-activation."""
    return _hidden(X, W1, b1, W2, b2, t, local=lambda u, a: 1 - u**2)


@_wrong("hidden_layer_grads", "transposed-weight-grad")
def hidden_transposed(X, W1, b1, W2, b2, t):
    """X^T du and a^T dz: both weight gradients transposed."""
    dW1, db1, dW2, db2 = _hidden(X, W1, b1, W2, b2, t)
    return dW1.T, db1, dW2.T, db2


@_wrong("hidden_layer_grads", "missing-batch-mean")
def hidden_no_mean(X, W1, b1, W2, b2, t):
    """Gradients of the summed loss."""
    return _hidden(X, W1, b1, W2, b2, t, scale=X.shape[0])


@_wrong("hidden_layer_grads", "double-batch-mean")
def hidden_bias_mean(X, W1, b1, W2, b2, t):
    """Bias gradients averaged over the batch a second time."""
    return _hidden(X, W1, b1, W2, b2, t, bias_mean=True)


@_wrong("hidden_layer_grads", "sign-flip")
def hidden_negated(X, W1, b1, W2, b2, t):
    """Every gradient negated."""
    return tuple(-g for g in _hidden(X, W1, b1, W2, b2, t))


@_wrong("hidden_layer_grads", "assumes-one-hot")
def hidden_p_minus_t(X, W1, b1, W2, b2, t):
    """dz = (p - t) / N."""
    return _hidden(X, W1, b1, W2, b2, t, dz_of=lambda p, t: (p - t) / p.shape[0])


@_wrong("hidden_layer_grads", "no-max-shift")
def hidden_no_max_shift(X, W1, b1, W2, b2, t):
    """Unshifted softmax of the logits."""
    return _hidden(X, W1, b1, W2, b2, t, p_fn=_p_unshifted)


# central_difference ----------------------------------------------------------------------------


def _perturb_loop(f, x, eps, *, forward=False, divisor=2.0, restore=True):
    g = np.empty(x.shape, dtype=np.float64)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = float(f(x))
        flat[i] = keep if forward else keep - eps
        down = float(f(x))
        if restore:
            flat[i] = keep
        gflat[i] = (up - down) / (eps if forward else divisor * eps)
    return g


@_wrong("central_difference", "forward-difference")
def difference_forward(f, x, eps):
    """(f(x + eps) - f(x)) / eps."""
    return _perturb_loop(f, np.array(x, dtype=np.float64), eps, forward=True)


@_wrong("central_difference", "half-step-divisor")
def difference_over_eps(f, x, eps):
    """(f(x + eps) - f(x - eps)) / eps."""
    return _perturb_loop(f, np.array(x, dtype=np.float64), eps, divisor=1.0)


@_wrong("central_difference", "no-restore")
def difference_no_restore(f, x, eps):
    """Leaves each entry at x_i - eps."""
    return _perturb_loop(f, np.array(x, dtype=np.float64), eps, restore=False)


@_wrong("central_difference", "float32-steps")
def difference_in_input_dtype(f, x, eps):
    """Perturbs a copy in x's own dtype, float32 or integer."""
    return _perturb_loop(f, np.array(x), eps)


# label_smoothing -------------------------------------------------------------------------------


def _onehot(labels, C):
    return np.eye(C)[np.asarray(labels)]


@_wrong("label_smoothing", "smoothing-wrong-mass")
def smoothing_true_class_misses_share(labels, C, eps):
    """1 - eps on the true class, eps / C on the others only: rows sum to 1 - eps / C."""
    y = _onehot(labels, C)
    return (1 - eps) * y + (1 - y) * eps / C


@_wrong("label_smoothing", "smoothing-wrong-mass")
def smoothing_over_other_classes(labels, C, eps):
    """eps spread over the C - 1 other classes: sums to 1, but not the asked distribution."""
    y = _onehot(labels, C)
    return (1 - eps) * y + (1 - y) * eps / (C - 1)


@_wrong("label_smoothing", "smoothing-wrong-mass")
def smoothing_mixing_eps_over_c(labels, C, eps):
    """(1 - eps / C) onehot + eps / C: the true class keeps 1."""
    y = _onehot(labels, C)
    return (1 - eps / C) * y + eps / C


@_wrong("label_smoothing", "smoothing-wrong-mass")
def smoothing_eps_per_class(labels, C, eps):
    """(1 - eps) onehot + eps: eps to every class instead of eps / C."""
    return (1 - eps) * _onehot(labels, C) + eps


# chunked_logsumexp ------------------------------------------------------------------------------


def _blocks(C, chunk, keep_remainder=True):
    stop = C if keep_remainder else C - C % chunk
    return [slice(j, min(j + chunk, C)) for j in range(0, stop, chunk)]


@_wrong("chunked_logsumexp", "no-max-shift")
def chunked_no_max_shift(z, chunk):
    """Sums exp(z) block by block with no running maximum."""
    s = np.zeros(z.shape[0], dtype=z.dtype)
    for cols in _blocks(z.shape[1], chunk):
        s = s + np.sum(np.exp(z[:, cols]), axis=1)
    with np.errstate(divide="ignore"):
        return np.log(s)


def _online(z, chunk, *, rescale=True, keep_remainder=True):
    m = np.full(z.shape[0], -np.inf)
    s = np.zeros(z.shape[0])
    for cols in _blocks(z.shape[1], chunk, keep_remainder):
        block = z[:, cols]
        m_new = np.maximum(m, block.max(axis=1))
        if rescale:
            s = s * np.exp(m - m_new)
        s = s + np.sum(np.exp(block - m_new[:, None]), axis=1)
        m = m_new
    with np.errstate(divide="ignore", invalid="ignore"):
        return m + np.log(s)


@_wrong("chunked_logsumexp", "chunk-no-rescale")
def chunked_no_rescale(z, chunk):
    """Raises the running maximum without rescaling the running sum."""
    return _online(z, chunk, rescale=False)


@_wrong("chunked_logsumexp", "chunk-drops-remainder")
def chunked_drops_tail(z, chunk):
    """Scans only the C // chunk full blocks."""
    return _online(z, chunk, keep_remainder=False)


@_wrong("chunked_logsumexp", "wrong-axis")
def chunked_over_batch(z, chunk):
    """Log-sum-exp of each column, over the batch."""
    return _online(np.asarray(z).T, chunk)


# ---------------------------------------------------------------------------
# The catalogue as a table, for the book.
# ---------------------------------------------------------------------------


def exercises_for(mistake):
    """The exercise ids whose check diagnoses ``mistake``, in catalogue order.

    Examples
    --------
    >>> exercises_for("batch-size-eye")
    ['softmax_backward']
    """
    return list(dict.fromkeys(w.exercise for w in WRONG if w.mistake == mistake))


def catalogue_markdown():
    """The catalogue as a MyST table: one row per mistake, linked to its section.

    Which exercises diagnose each mistake is listed in :ref:`instructors`.

    Rendered in :ref:`mistakes`; the ``{ref}`` roles resolve when a notebook
    cell displays the table as Markdown in the built book.

    Examples
    --------
    >>> print(catalogue_markdown().splitlines()[2])
    | `diagonal-only-jacobian` | **Diagonal-only Jacobian.** Only the $i = j$ terms ... | {ref}`puzzle-wrong-step` |
    """
    rows = ["| mistake | what goes wrong | explained in |", "|---|---|---|"]
    for m in MISTAKES.values():
        rows.append(f"| `{m.id}` | **{m.title}.** {m.explanation} | {{ref}}`{m.label}` |")
    return "\n".join(rows)
