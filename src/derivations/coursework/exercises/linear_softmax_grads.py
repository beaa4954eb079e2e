"""Exercise of chapter 5 (:ref:`matrix-form`): ``my_linear_softmax_grads(X, W, b, t)``, dW and db of z = X W^T + b."""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import fused, p_stable, p_unshifted
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.losses import cross_entropy_grad

ID = "linear_softmax_grads"

TARGETS = inp.BATCH_TARGETS


def cases(rng, targets="probabilities"):
    """X (N, D), W (C, D), b (C,), targets: one-hot or soft (or labels), N = 1, C = 2, square W, large, float32."""
    labels = targets == "labels"
    N, C = inp.sizes(rng)
    D = int(rng.integers(2, 6))
    while D in (N, C):
        D += 1

    def t(n, c, kind="soft"):
        return inp.targets_for(rng, n, c, targets, kind)

    def draw(N, D, C, t, large=False):
        if large:
            def one():
                X = rng.integers(-4, 5, (N, D)) / 2.0
                W = rng.integers(-600, 601, (C, D)).astype(np.float64)
                b = rng.integers(-200, 201, C) / 2.0
                return (X, W, b, t), X @ W.T + b
            return inp.separated(rng, one)
        return (rng.normal(0.0, 1.0, (N, D)), rng.normal(0.0, 1.0, (C, D)), rng.normal(0.0, 0.5, C), t)

    soft = t(N, C)
    return [
        Case(f"{'labels' if labels else 'one-hot targets'}, N={N}, D={D}, C={C}", draw(N, D, C, t(N, C, "onehot"))),
        Case(f"labels that never take the top class {C - 1}, N={N + 2}, D={D}, C={C}" if labels else
             f"soft targets whose rows sum to {inp.row_sums(soft)}, N={N}, D={D}, C={C}",
             draw(N + 2, D, C, inp.labels(rng, N + 2, C, absent=(C - 1,))) if labels else draw(N, D, C, soft)),
        Case(f"one example, N = 1, D={D}, C={C}", draw(1, D, C, t(1, C))),
        Case(f"two classes, C = 2, N={N}, D={D}", draw(N, D, 2, t(N, 2))),
        Case(f"square W, D = C = {C}, N={N}", draw(N, C, C, t(N, C))),
        Case(f"large logits (|z| ~ 1e3), N={N}, D={D}, C={C}", draw(N, D, C, t(N, C), large=True)),
        Case(f"float32 inputs, N={N}, D={D}, C={C}", inp.f32(*draw(N, D, C, t(N, C)))),
    ]


def to_probabilities(args):
    return inp.labels_to_onehot(args, 3, lambda a: np.shape(a[1])[0])


def reference(X, W, b, t):
    X, W, b, t = inp.as_float64(X, W, b, t)
    dz = cross_entropy_grad(X @ W.T + b, t)
    return dz.T @ X, dz.sum(axis=0)


def _linear_dz(X, W, b, t, p_fn=p_stable):
    return fused(p_fn(X @ W.T + b), t)


@wrong(ID, "transposed-weight-grad")
def linear_transposed(X, W, b, t):
    """dW = X^T dz, shape (D, C), for W stored as (C, D)."""
    dz = _linear_dz(X, W, b, t)
    return X.T @ dz, dz.sum(axis=0)


@wrong(ID, "missing-batch-mean")
def linear_no_mean(X, W, b, t):
    """Gradients of the summed, not averaged, loss."""
    dz = _linear_dz(X, W, b, t) * X.shape[0]
    return dz.T @ X, dz.sum(axis=0)


@wrong(ID, "double-batch-mean")
def linear_bias_mean(X, W, b, t):
    """db as the batch mean of dz, which already holds the 1/N."""
    dz = _linear_dz(X, W, b, t)
    return dz.T @ X, dz.mean(axis=0)


@wrong(ID, "sign-flip")
def linear_negated(X, W, b, t):
    """Both gradients negated."""
    dz = _linear_dz(X, W, b, t)
    return -(dz.T @ X), -dz.sum(axis=0)


@wrong(ID, "assumes-one-hot")
def linear_p_minus_t(X, W, b, t):
    """dz = (p - t) / N."""
    dz = (p_stable(X @ W.T + b) - t) / X.shape[0]
    return dz.T @ X, dz.sum(axis=0)


@wrong(ID, "diagonal-only-jacobian")
def linear_diagonal_only(X, W, b, t):
    """dz = -t (1 - p) / N."""
    dz = -t * (1 - p_stable(X @ W.T + b)) / X.shape[0]
    return dz.T @ X, dz.sum(axis=0)


@wrong(ID, "no-max-shift")
def linear_no_max_shift(X, W, b, t):
    """Unshifted softmax of the logits."""
    dz = _linear_dz(X, W, b, t, p_unshifted)
    return dz.T @ X, dz.sum(axis=0)


EXERCISE = Exercise(
    ID, "my_linear_softmax_grads", "matrix-form",
    "my_linear_softmax_grads(X, W, b, t), X (N, D), W (C, D), b (C,), t targets -> (dW (C, D), db (C,))",
    ("dW", "db"), cases, reference, targets=TARGETS, to_first_form=to_probabilities,
)


def linear_vectorised(X, W, b, t):
    """A learner's gradients: dz = (p sum(t) - t) / N, dW = dz^T X, db = column sums of dz."""
    z = X @ W.T + b
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    dz = (p * t.sum(axis=1, keepdims=True) - t) / X.shape[0]
    return dz.T @ X, dz.sum(axis=0)


def linear_labels(X, W, b, y):
    """A learner's gradients for integer labels."""
    N = X.shape[0]
    z = X @ W.T + b
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(N), y] -= 1
    dz = p / N
    return dz.T @ X, dz.sum(axis=0)


CORRECT = [linear_vectorised]
CORRECT_LABELS = [linear_labels]
