"""Find-the-bug exercise of chapter 13 (:ref:`mistakes`): the fused node's gradient for the labels.

The learner starts from :func:`softmax_loss_backward`, the backward pass of
a fused softmax-and-cross-entropy node that returns ``(p - t) / N`` for the
logits and ``-log(p) / N`` for the labels. Both formulas are the exact
derivatives of the mean loss; the label gradient is computed as the log of
a rounded probability, which is ``inf`` wherever the probability underflows.
"""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import EPSILONS, eps_name, logp, p_stable
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.teaching.nodes import softmax_cross_entropy_backward

ID = "find_bug_label_gradient"


def cases(rng):
    """Logits ``z`` (N, C) and one-hot labels ``t`` (N, C), as in the homework.

    Besides random inputs: N = 1, C = 1, C = 2, more than 8 classes, a
    square batch; one class 800 below its row's maximum (its probability
    underflows to 0), logits of 1e3..1e4, logits near 1000 and near -800
    (nothing underflows once shifted), float32, and float32 logits with one
    class 150 below its row's maximum (which underflows in float32 only).
    """
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))

    def t(n, c):
        return inp.onehot_targets(rng, n, c)

    low = inp.one_far_below(rng, N, C)
    low32 = inp.near(rng, (N, C), 0.0, spread=3.0)
    low32[np.arange(N), rng.integers(0, C, N)] = low32.max(axis=1) - 150.0
    big = inp.large_logits(rng, (N, C))
    near = inp.near_1000(rng, (N, C))
    return [
        *inp.shape_cases(rng, N, C, k, M, more=lambda n, c: (t(n, c),)),
        Case(f"one class per row 800 below the row maximum (its probability underflows to 0), N={N}, C={C}",
             (low, t(N, C)), inp.float32_rtol(low)),
        Case(f"large logits (|z| up to {np.abs(big).max():.0f}), N={N}, C={C}", (big, t(N, C)),
             inp.float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, N={N}, C={C}", (near, t(N, C)), inp.float32_rtol(near)),
        Case(f"all logits near -800, N={N}, C={C}", (inp.far_negative(rng, (N, C)), t(N, C)),
             inp.float32_rtol(np.array(800.0))),
        Case(f"float32 logits, N={N}, C={C}", inp.f32(inp.logits(rng, (N, C)), t(N, C))),
        Case(f"float32 logits, one class per row 150 below the row maximum, N={N}, C={C}",
             inp.f32(low32, t(N, C)), inp.float32_rtol(low32)),
    ]


def reference(z, t):
    return softmax_cross_entropy_backward(*inp.as_float64(z, t))


# The code the learner starts from: chapter 13 shows exactly this function.
@wrong(ID, "log-of-softmax")
def softmax_loss_backward(z, t):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    N = z.shape[0]
    return (p - t) / N, -np.log(p) / N   # for the logits, for the labels


def _eps_variant(eps):
    def fn(z, t):
        p = p_stable(z)
        return (p - t) / z.shape[0], -np.log(p + eps) / z.shape[0]

    fn.__name__ = fn.__qualname__ = f"label_grad_log_p_plus_{eps_name(eps)}"
    fn.__doc__ = f"-log(p + {eps:g}) / N: finite, and wrong once p is below about {eps:g}."
    wrong(ID, "epsilon-in-log")(fn)


for _eps in EPSILONS:
    _eps_variant(_eps)


@wrong(ID, "missing-batch-mean")
def label_grad_no_mean(z, t):
    """-log_softmax(z) for the labels, without the 1/N of the mean."""
    p = p_stable(z)
    return (p - t) / z.shape[0], -logp(z)


EXERCISE = Exercise(
    ID, "my_softmax_loss_backward", "mistakes",
    "my_softmax_loss_backward(z, t), logits z and one-hot labels t, both (N, C) -> (dz, dt), both (N, C)",
    ("dz", "dt"), cases, reference, starts_from=softmax_loss_backward,
    passed_message="The label gradient is finite wherever the loss is, however small a probability gets.",
    position=3,  # the order chapter 13 poses them in
)


def label_grad_fixed(z, t):
    """A learner's fix: log-softmax by log-sum-exp, and p from it."""
    s = z - np.max(z, axis=1, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    N = z.shape[0]
    return (np.exp(log_p) - t) / N, -log_p / N


def label_grad_fixed_loops(z, t):
    """A learner's fix row by row: -log p_c = m + log sum exp(z - m) - z_c."""
    z = np.asarray(z, dtype=float)
    N = len(z)
    dz, dt = np.empty_like(z), np.empty_like(z)
    for n, row in enumerate(z):
        m = row.max()
        lse = m + np.log(np.sum(np.exp(row - m)))
        dz[n] = (np.exp(row - lse) - t[n]) / N
        dt[n] = (lse - row) / N
    return dz, dt


CORRECT = [label_grad_fixed, label_grad_fixed_loops]
