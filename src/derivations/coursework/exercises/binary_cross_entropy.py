"""Exercise of chapter 15: ``my_binary_cross_entropy(z, t)``, the multi-label loss and its gradient.

Posed in :ref:`sigmoid-bce`.

``z`` holds N rows of C independent logits, one per label, and ``t`` the
targets in [0, 1] of the same shape. The loss is the binary cross-entropy
of every entry, summed over the C labels of a row and averaged over the N
rows; ``dz`` is its gradient, ``(sigmoid(z) - t) / N``.
"""

import math

import numpy as np

from derivations.binary import binary_cross_entropy, binary_cross_entropy_grad
from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises.base import Case, Exercise, wrong

ID = "binary_cross_entropy"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "log-of-sigmoid",
        "The logarithm of a rounded sigmoid",
        r"`np.log(1 - sigmoid(z))` is $\log 0 = -\infty$ once `1 - sigmoid(z)` rounds to 0 (from $z = 37$ in "
        r"float64, 17 in float32), and a target of 1 then gives `0 * -inf`, which is NaN; write the loss "
        r"from the logit, `np.logaddexp(0, z) - t * z`.",
        "bce-log-of-sigmoid",
    ),
    Mistake(
        "softplus-overflow",
        "log(1 + exp(z)) as it stands",
        r"`np.log(1 + np.exp(z))` overflows to $\infty$ for $z$ above about 709 although the loss is only "
        r"about $z$; `np.logaddexp(0, z)`, or $\max(z, 0) + \log(1 + e^{-\lvert z \rvert})$ with `np.log1p`, never "
        r"forms a large exponential.",
        "bce-stable-form",
    ),
    Mistake(
        "softmax-for-multilabel",
        "Softmax across independent labels",
        r"In a multi-label problem each label is its own yes/no with its own sigmoid; a softmax across the "
        r"labels makes them compete for one unit of probability, so two labels cannot both be likely, and "
        r"its gradient $p - t$ is not `sigmoid(z) - t`.",
        "bce-multi-label",
    ),
    Mistake(
        "double-sigmoid-derivative",
        "The sigmoid's derivative applied twice",
        r"The gradient of binary cross-entropy at the logit, `sigmoid(z) - t`, already contains the "
        r"sigmoid's derivative $p(1 - p)$, which cancelled against the $1 / p$ of the logarithm; "
        r"multiplying by it again shrinks the gradient to almost 0 exactly where the prediction is "
        r"confidently wrong.",
        "bce-gradient",
    ),]


def _hard(rng, N, C):
    """0/1 targets with both values in the batch (when it has two entries or more)."""
    t = rng.integers(0, 2, (N, C)).astype(np.float64)
    if t.size >= 2:
        flat = t.reshape(-1)
        flat[rng.permutation(t.size)[:2]] = (0.0, 1.0)
    return t


def _soft(rng, N, C):
    """Targets strictly between 0 and 1, multiples of 1/64 (exact in float32)."""
    return rng.integers(1, 64, (N, C)) / 64.0


def _signed(rng, N, C, low, high):
    """Logits of size low..high, multiples of 1/8, with both signs in every row and column mix."""
    size = rng.integers(int(low * 8), int(high * 8) + 1, (N, C)) / 8.0
    sign = np.where(rng.random((N, C)) < 0.5, -1.0, 1.0)
    flat = sign.reshape(-1)
    if flat.size >= 2:
        flat[rng.permutation(flat.size)[:2]] = (-1.0, 1.0)
    return size * sign


def cases(rng):
    """Random logits with 0/1 and soft targets, N = 1, C = 1 (a single yes/no), more than 8
    labels per row with several of them on, logits of 1e3..1e4 of both signs, logits near
    +-40 (where 1 - sigmoid rounds to 0 in float64), and float32 inputs."""
    N, C = inp.sizes(rng)
    M = int(rng.integers(9, 13))
    many_t = _hard(rng, N, M)
    many_t[:, : max(2, M // 3)] = 1.0  # several labels on in every row
    many_t = many_t[:, rng.permutation(M)]
    return [
        Case(f"random logits, 0/1 targets, N={N}, C={C}", (inp.logits(rng, (N, C)), _hard(rng, N, C))),
        Case(f"random logits, soft targets in (0, 1), N={N}, C={C}",
             (inp.logits(rng, (N, C)), _soft(rng, N, C))),
        Case(f"one example, N = 1, C={C}", (inp.logits(rng, (1, C)), _hard(rng, 1, C))),
        Case(f"a single label, C = 1, N={N}", (inp.logits(rng, (N, 1)), _hard(rng, N, 1))),
        Case(f"many labels per row, C={M}, several on in each row, N={N}",
             (inp.logits(rng, (N, M)), many_t)),
        Case(f"logits of 1e3..1e4 of both signs, N={N}, C={C}",
             (_signed(rng, N, C, 1000, 10000), _hard(rng, N, C))),
        Case(f"logits near +-40 (1 - sigmoid(z) rounds to 0 in float64), N={N}, C={C}",
             (_signed(rng, N, C, 36, 44), _hard(rng, N, C))),
        Case(f"float32 logits and soft targets, N={N}, C={C}",
             inp.f32(np.round(inp.logits(rng, (N, C)) * 64) / 64, _soft(rng, N, C))),
    ]


def reference(z, t):
    """Sum over the labels, mean over the rows: the package's sum divided by N."""
    z, t = inp.as_float64(z, t)
    N = z.shape[0]
    return (np.asarray(binary_cross_entropy(z, t, reduction="sum") / N),
            binary_cross_entropy_grad(z, t, reduction="sum") / N)


# ---------------------------------------------------------------------------
# Wrong implementations
# ---------------------------------------------------------------------------


def _sigmoid(z):
    """A stable sigmoid (never forms e^|z|)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _loss(z, t):
    """The right loss: log(1 + e^z) - t z, summed over labels, averaged over rows."""
    return np.sum(np.logaddexp(0, z) - t * z) / z.shape[0]


@wrong(ID, "log-of-sigmoid")
def bce_log_of_textbook_sigmoid(z, t):
    """-t log(p) - (1 - t) log(1 - p) with p = 1 / (1 + exp(-z)): inf or NaN once 1 - p rounds to 0."""
    p = 1 / (1 + np.exp(-z))
    N = z.shape[0]
    return -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p)) / N, (p - t) / N


@wrong(ID, "log-of-sigmoid")
def bce_log_of_stable_sigmoid(z, t):
    """A stable sigmoid, then its log: log(1 - p) is still -inf once p rounds to 1."""
    p = _sigmoid(z)
    N = z.shape[0]
    return -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p)) / N, (p - t) / N


@wrong(ID, "softplus-overflow")
def bce_unshifted_softplus(z, t):
    """log(1 + exp(z)) - t z written as it stands: exp overflows for z above about 709."""
    N = z.shape[0]
    return np.sum(np.log(1 + np.exp(z)) - t * z) / N, (_sigmoid(z) - t) / N


@wrong(ID, "softmax-for-multilabel")
def bce_softmax_over_labels(z, t):
    """Softmax across the labels and cross-entropy: the labels compete for one unit of probability."""
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
    N = z.shape[0]
    return -np.sum(t * log_p) / N, (np.exp(log_p) - t) / N


@wrong(ID, "double-sigmoid-derivative")
def bce_times_sigmoid_derivative(z, t):
    """(sigmoid - t) multiplied by sigmoid'(z) once more: the fused gradient already contains it."""
    p = _sigmoid(z)
    return _loss(z, t), (p - t) * p * (1 - p) / z.shape[0]


@wrong(ID, "sign-flip")
def bce_gradient_t_minus_sigmoid(z, t):
    """dz = (t - sigmoid(z)) / N: the gradient of -L."""
    return _loss(z, t), (t - _sigmoid(z)) / z.shape[0]


@wrong(ID, "missing-batch-mean")
def bce_summed(z, t):
    """Loss and gradient summed over the rows, not averaged."""
    return np.sum(np.logaddexp(0, z) - t * z), _sigmoid(z) - t


@wrong(ID, "divided-by-classes")
def bce_mean_of_all_entries(z, t):
    """np.mean over the (N, C) array (torch's reduction="mean"): divided by N C, not N."""
    return np.mean(np.logaddexp(0, z) - t * z), (_sigmoid(z) - t) / z.size


EXERCISE = Exercise(
    ID, "my_binary_cross_entropy", "sigmoid-bce",
    "my_binary_cross_entropy(z, t), z (N, C) logits, t (N, C) targets in [0, 1] -> "
    "(loss, dz): loss summed over the C labels and averaged over the N rows, dz (N, C)",
    ("loss", "dz"), cases, reference,
)


# ---------------------------------------------------------------------------
# Right answers, written as learners write them
# ---------------------------------------------------------------------------


def bce_logaddexp(z, t):
    """A learner's vectorised answer: np.logaddexp(0, z) - t z and a stable sigmoid."""
    z = np.asarray(z, dtype=np.float64)
    N = z.shape[0]
    loss = np.sum(np.logaddexp(0, z) - t * z) / N
    p = np.exp(-np.logaddexp(0, -z))  # sigmoid(z) = exp(log sigmoid(z))
    return loss, (p - t) / N


def bce_max_abs_loops(z, t):
    """A learner's loops over rows and labels with math: max(z, 0) - t z + log1p(exp(-|z|))."""
    N, C = np.shape(z)
    total = 0.0
    dz = np.zeros((N, C))
    for n in range(N):
        for c in range(C):
            zc, tc = float(z[n][c]), float(t[n][c])
            total += max(zc, 0.0) - tc * zc + math.log1p(math.exp(-abs(zc)))
            if zc >= 0:
                s = 1.0 / (1.0 + math.exp(-zc))
            else:
                s = math.exp(zc) / (1.0 + math.exp(zc))
            dz[n][c] = (s - tc) / N
    return total / N, dz


CORRECT = [bce_logaddexp, bce_max_abs_loops]
