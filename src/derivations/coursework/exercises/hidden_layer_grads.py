"""Exercise of chapter 11: ``my_hidden_layer_grads(X, W1, b1, W2, b2, t)``, backpropagation through tanh.

Posed in :ref:`training`.
"""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import fused, p_stable, p_unshifted
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.teaching.training import hidden_layer_loss_grad

ID = "hidden_layer_grads"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "wrong-activation-derivative",
        "Wrong tanh derivative",
        r"With $h = \tanh(u)$ the hidden layer's local derivative is $1 - h^2$; leaving it out, or using "
        r"$1 - h$ or $1 - u^2$, gives the wrong first-layer gradients.",
        "training",
    ),
]

TARGETS = inp.BATCH_TARGETS


def cases(rng, targets="probabilities"):
    """A tanh layer and a softmax layer: one-hot or soft targets (or labels), N = 1, C = 2, square, large, float32."""
    labels = targets == "labels"
    N, C = inp.sizes(rng)
    D, H = int(rng.integers(2, 5)), int(rng.integers(3, 7))
    H = H + 1 if H in (D, C) else H
    H = H + 1 if H in (D, C) else H

    def t(n, c, kind="soft"):
        return inp.targets_for(rng, n, c, targets, kind)

    def draw(N, D, H, C, t, large=False):
        X, W1, b1 = rng.normal(0.0, 1.0, (N, D)), rng.normal(0.0, 1.0, (H, D)), rng.normal(0.0, 0.5, H)
        if large:
            def one():
                W2 = rng.integers(-3000, 3001, (C, H)).astype(np.float64)
                b2 = rng.normal(0.0, 1.0, C)
                return (X, W1, b1, W2, b2, t), np.tanh(X @ W1.T + b1) @ W2.T + b2
            return inp.separated(rng, one)
        return (X, W1, b1, rng.normal(0.0, 1.0, (C, H)), rng.normal(0.0, 0.5, C), t)

    soft = t(N, C)
    k = int(rng.integers(3, 5))
    shape = f"D={D}, H={H}, C={C}"
    return [
        Case(f"{'labels' if labels else 'one-hot targets'}, N={N}, {shape}", draw(N, D, H, C, t(N, C, "onehot"))),
        Case(f"labels that never take the top class {C - 1}, N={N + 2}, {shape}" if labels else
             f"soft targets whose rows sum to {inp.row_sums(soft)}, N={N}, {shape}",
             draw(N + 2, D, H, C, inp.labels(rng, N + 2, C, absent=(C - 1,))) if labels else
             draw(N, D, H, C, soft)),
        Case(f"one example, N = 1, {shape}", draw(1, D, H, C, t(1, C))),
        Case(f"two classes, C = 2, N={N}, D={D}, H={H}", draw(N, D, H, 2, t(N, 2))),
        Case(f"square weights, D = H = C = {k}, N={N}", draw(N, k, k, k, t(N, k))),
        Case(f"large logits (|z| ~ 1e3), N={N}, {shape}", draw(N, D, H, C, t(N, C), large=True)),
        Case(f"float32 inputs, N={N}, {shape}", inp.f32(*draw(N, D, H, C, t(N, C)))),
    ]


def to_probabilities(args):
    return inp.labels_to_onehot(args, 5, lambda a: np.shape(a[3])[0])


def reference(X, W1, b1, W2, b2, t):
    # the backward pass chapter 11 shows, in float64
    X, W1, b1, W2, b2, t = inp.as_float64(X, W1, b1, W2, b2, t)
    g = hidden_layer_loss_grad({"W1": W1, "b1": b1, "W2": W2, "b2": b2}, X, t)[1]
    return g["W1"], g["b1"], g["W2"], g["b2"]


def _hidden(
    X, W1, b1, W2, b2, t, *, p_fn=p_stable, dz_of=fused, local=lambda u, a: 1 - a**2, scale=1.0, bias_mean=False
):
    """Backpropagation through the two-layer network, with knobs for the mistakes."""
    u = X @ W1.T + b1
    a = np.tanh(u)
    dz = dz_of(p_fn(a @ W2.T + b2), t) * scale
    du = (dz @ W2) * local(u, a)
    reduce = (lambda g: g.mean(axis=0)) if bias_mean else (lambda g: g.sum(axis=0))
    return du.T @ X, reduce(du), dz.T @ a, reduce(dz)


@wrong(ID, "wrong-activation-derivative")
def hidden_one_minus_a(X, W1, b1, W2, b2, t):
    """tanh' taken as 1 - a."""
    return _hidden(X, W1, b1, W2, b2, t, local=lambda u, a: 1 - a)


@wrong(ID, "wrong-activation-derivative")
def hidden_no_activation_derivative(X, W1, b1, W2, b2, t):
    """tanh' left out."""
    return _hidden(X, W1, b1, W2, b2, t, local=lambda u, a: 1.0)


@wrong(ID, "wrong-activation-derivative")
def hidden_derivative_of_u(X, W1, b1, W2, b2, t):
    """tanh' taken as 1 - u^2, from the pre-activation."""
    return _hidden(X, W1, b1, W2, b2, t, local=lambda u, a: 1 - u**2)


@wrong(ID, "transposed-weight-grad")
def hidden_transposed(X, W1, b1, W2, b2, t):
    """X^T du and a^T dz: both weight gradients transposed."""
    dW1, db1, dW2, db2 = _hidden(X, W1, b1, W2, b2, t)
    return dW1.T, db1, dW2.T, db2


@wrong(ID, "missing-batch-mean")
def hidden_no_mean(X, W1, b1, W2, b2, t):
    """Gradients of the summed loss."""
    return _hidden(X, W1, b1, W2, b2, t, scale=X.shape[0])


@wrong(ID, "double-batch-mean")
def hidden_bias_mean(X, W1, b1, W2, b2, t):
    """Bias gradients averaged over the batch a second time."""
    return _hidden(X, W1, b1, W2, b2, t, bias_mean=True)


@wrong(ID, "sign-flip")
def hidden_negated(X, W1, b1, W2, b2, t):
    """Every gradient negated."""
    return tuple(-g for g in _hidden(X, W1, b1, W2, b2, t))


@wrong(ID, "assumes-one-hot")
def hidden_p_minus_t(X, W1, b1, W2, b2, t):
    """dz = (p - t) / N."""
    return _hidden(X, W1, b1, W2, b2, t, dz_of=lambda p, t: (p - t) / p.shape[0])


@wrong(ID, "no-max-shift")
def hidden_no_max_shift(X, W1, b1, W2, b2, t):
    """Unshifted softmax of the logits."""
    return _hidden(X, W1, b1, W2, b2, t, p_fn=p_unshifted)


EXERCISE = Exercise(
    ID, "my_hidden_layer_grads", "training",
    "my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))",
    ("dW1", "db1", "dW2", "db2"), cases, reference, targets=TARGETS, to_first_form=to_probabilities,
)


def hidden_backprop(X, W1, b1, W2, b2, t):
    """A learner's backward pass, layer by layer."""
    a = np.tanh(X @ W1.T + b1)
    z = a @ W2.T + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    dz = (p * t.sum(axis=1, keepdims=True) - t) / len(X)
    da = dz @ W2
    du = da * (1 - a**2)
    return du.T @ X, du.sum(axis=0), dz.T @ a, dz.sum(axis=0)


def hidden_backprop_labels(X, W1, b1, W2, b2, y):
    """The same for integer labels."""
    N = len(X)
    a = np.tanh(X @ W1.T + b1)
    z = a @ W2.T + b2
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(N), y] -= 1
    dz = p / N
    du = dz @ W2 * (1 - a * a)
    return du.T @ X, du.sum(axis=0), dz.T @ a, dz.sum(axis=0)


CORRECT = [hidden_backprop]
CORRECT_LABELS = [hidden_backprop_labels]
