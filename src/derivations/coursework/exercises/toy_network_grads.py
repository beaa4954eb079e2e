"""Exercise of chapter 4 (:ref:`toy-network`): ``my_toy_network_grads(h, W, t)``, dE/dW for one example, y = W^T h."""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import p_stable, p_unshifted
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.losses import cross_entropy_grad

ID = "toy_network_grads"

TARGETS = {
    "probabilities": "t is a (C,) float array of non-negative target weights; it need not sum to 1",
    "labels": "t is the integer label of the example's class, in 0..C-1",
}


def cases(rng, targets="probabilities"):
    """h (D,), W (D, C) and a target: one-hot or soft (or a label), square W, C = 2, large logits, float32."""
    labels = targets == "labels"
    D = int(rng.integers(2, 6))
    C = int(rng.integers(2, 6))
    C = C + 1 if C == D else C

    def target(C, kind="soft"):
        if labels:
            return rng.integers(0, C)
        return np.eye(C)[rng.integers(C)] if kind == "onehot" else inp.soft_targets(rng, 1, C)[0]

    def draw(D, C, t, large=False):
        if large:
            def one():
                h = rng.integers(1, 5, D) / 2.0 * rng.choice([-1.0, 1.0], D)
                W = rng.integers(-2000, 2001, (D, C)).astype(np.float64)
                return (h, W, t), W.T @ h
            return inp.separated(rng, one)
        return (rng.normal(0.0, 1.0, D), rng.normal(0.0, 1.0, (D, C)), t)

    t_soft = target(C)
    kind = "a label" if labels else "soft target"
    return [
        Case(f"{'a label' if labels else 'one-hot target'}, D={D}, C={C}", draw(D, C, target(C, "onehot"))),
        Case(f"another label and W, D={D}, C={C}" if labels
             else f"soft target summing to {t_soft.sum():.2f}, D={D}, C={C}",
             draw(D, C, t_soft)),
        Case(f"square W, D = C = {D}", draw(D, D, target(D))),
        Case(f"two classes, C = 2, D={D}", draw(D, 2, target(2))),
        Case(f"large logits (|y| ~ 1e3), {kind}, D={D}, C={C}", draw(D, C, target(C), large=True)),
        Case(f"float32 inputs, D={D}, C={C}", inp.f32(*draw(D, C, target(C)))),
    ]


def to_probabilities(args):
    h, W, y = args
    return h, W, np.eye(np.shape(W)[1])[int(y)]


def reference(h, W, t):
    h, W, t = inp.as_float64(h, W, t)
    return (np.outer(h, cross_entropy_grad(W.T @ h, t)),)


def _toy_dy(W, h, t, p_fn=p_stable):
    p = p_fn(W.T @ h)
    return p, p * np.sum(t) - t


@wrong(ID, "diagonal-only-jacobian")
def toy_diagonal_only(h, W, t):
    """dE/dw_ij = -t_j (1 - p_j) h_i, the asker's result in the source thread."""
    p, _ = _toy_dy(W, h, t)
    return np.outer(h, -t * (1 - p))


@wrong(ID, "sign-flip")
def toy_t_minus_p(h, W, t):
    """h (t - p)^T."""
    p, _ = _toy_dy(W, h, t)
    return np.outer(h, t - p)


@wrong(ID, "sign-flip")
def toy_negated(h, W, t):
    """The whole gradient negated."""
    _, dy = _toy_dy(W, h, t)
    return -np.outer(h, dy)


@wrong(ID, "assumes-one-hot")
def toy_p_minus_t(h, W, t):
    """h (p - t)^T."""
    p, _ = _toy_dy(W, h, t)
    return np.outer(h, p - t)


@wrong(ID, "transposed-weight-grad")
def toy_transposed(h, W, t):
    """(C, D): dy h^T instead of h dy^T."""
    _, dy = _toy_dy(W, h, t)
    return np.outer(dy, h)


@wrong(ID, "no-max-shift")
def toy_no_max_shift(h, W, t):
    """Unshifted softmax of y = W^T h."""
    _, dy = _toy_dy(W, h, t, p_unshifted)
    return np.outer(h, dy)


EXERCISE = Exercise(
    ID, "my_toy_network_grads", "toy-network",
    "my_toy_network_grads(h, W, t), h (D,), W (D, C), t (C,) -> dE/dW (D, C)", ("dW",),
    cases, reference, targets=TARGETS, to_first_form=to_probabilities,
)


def toy_outer_product(h, W, t):
    """A learner's gradient: dE/dy = p sum(t) - t, then dE/dW = h dE/dy^T."""
    y = W.T @ h
    e = np.exp(y - y.max())
    p = e / e.sum()
    return np.outer(h, p * t.sum() - t)


def toy_label(h, W, label):
    """A learner's gradient for a class label: dE/dy = p - onehot."""
    y = W.T @ h
    p = np.exp(y - np.max(y))
    p = p / p.sum()
    p[label] -= 1
    return np.outer(h, p)


CORRECT = [toy_outer_product]
CORRECT_LABELS = [toy_label]
