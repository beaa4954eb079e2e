"""Exercise of chapter 7: ``my_cross_entropy_grad(z, t)``, the gradient of the mean cross-entropy.

Posed in :ref:`fused-vs-separate`.

The cases here serve the loss of chapter 8 as well (:mod:`.cross_entropy`).
"""

import numpy as np

from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import fused, p_batch_shift, p_stable, p_unshifted, p_whole_sum
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.losses import cross_entropy_grad

ID = "cross_entropy_grad"

#: What the function receives in each target form.
TARGETS = {
    "probabilities": "t is an (N, C) float array of non-negative target weights; rows need not sum to 1",
    "labels": "y is an (N,) integer array of class labels in 0..C-1",
}


def target_cases(rng, targets="probabilities"):
    """Logits ``z`` (N, C) with targets in the given form, edge cases included.

    Besides random inputs: N = 1, C = 1, C = 2, more than 8 classes, a
    square batch; logits of 1e3..1e4 and near 1000 (exp overflows without
    the max shift), rows whose maxima lie 800 apart (a shift by the batch
    maximum underflows), a class 800 below its row's maximum (its
    probability underflows to 0), logits all near -800, float32. Targets are
    soft rows that do not sum to 1, or labels that leave the top class out
    once.
    """
    labels = targets == "labels"
    N, C = inp.sizes(rng)
    k = int(rng.integers(3, 6))
    M = int(rng.integers(9, 13))

    def t(n, c, kind="soft", **kw):
        return inp.targets_for(rng, n, c, targets, kind, **kw)

    def what(tt):
        return "labels" if labels else f"soft targets summing to {inp.row_sums(tt)}"

    big, near, split = inp.large_logits(rng, (N, C)), inp.near_1000(rng, (N, C)), inp.split_maxima(rng, N, C)
    first, soft, t1, tk, tM = t(N, C, "onehot"), t(N, C), t(1, C), t(k, k), t(N, M)
    low_t = t(N, C)
    low = inp.one_far_below(rng, N, C, classes=low_t if labels else None)
    if labels:
        t2 = inp.labels(rng, N, 2)
        absent = inp.labels(rng, N + 2, C, absent=(C - 1,))
        absent_case = Case(f"labels that never take the top class {C - 1}, N={N + 2}, C={C}",
                           (inp.logits(rng, (N + 2, C)), absent))
        t32 = inp.labels(rng, N, C, dtype=np.int32)
    else:
        t2 = rng.dirichlet([1.0, 1.0], N)
        t32 = inp.soft_targets(rng, N, C)
    return [
        Case(f"{'labels' if labels else 'one-hot targets'}, N={N}, C={C}", (inp.logits(rng, (N, C)), first)),
        absent_case if labels else
        Case(f"soft targets whose rows sum to {inp.row_sums(soft)}, N={N}, C={C}", (inp.logits(rng, (N, C)), soft)),
        Case(f"a square batch, N = C = {k}, {what(tk)}", (inp.logits(rng, (k, k)), tk)),
        Case(f"one example, N = 1, C={C}, {what(t1)}", (inp.logits(rng, (1, C)), t1)),
        Case(f"two classes, C = 2, N={N}, {'labels' if labels else 'targets summing to 1'}",
             (inp.logits(rng, (N, 2)), t2)),
        Case(f"one class, C = 1, N={N}, {'labels' if labels else 'soft targets'}",
             (inp.logits(rng, (N, 1)), t(N, 1))),
        Case(f"many classes, C={M}, N={N}, {'labels' if labels else 'soft targets'}", (inp.logits(rng, (N, M)), tM)),
        Case(f"large logits (|z| up to {np.abs(big).max():.0f}), N={N}, C={C}, "
             f"{'labels' if labels else 'soft targets'}",
             (big, t(N, C)), inp.float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, N={N}, C={C}", (near, t(N, C)), inp.float32_rtol(near)),
        Case(f"rows near +400 and near -400 (maxima 800 apart), N={N}, C={C}", (split, t(N, C)),
             inp.float32_rtol(split)),
        Case(f"{'the labelled class' if labels else 'one class per row'} 800 below the row maximum "
             f"(its probability underflows to 0), N={N}, C={C}", (low, low_t), inp.float32_rtol(low)),
        Case(f"all logits near -800, N={N}, C={C}", (inp.far_negative(rng, (N, C)), t(N, C)),
             inp.float32_rtol(np.array(800.0))),
        Case(f"float32 logits, {'int32 labels' if labels else 'float32 soft targets'}, N={N}, C={C}",
             inp.f32(inp.logits(rng, (N, C)), t32)),
    ]


cases = target_cases


def to_probabilities(args):
    """(z, y) with integer labels as (z, t) with one-hot rows."""
    return inp.labels_to_onehot(args, 1, lambda a: np.shape(a[0])[-1])


def reference(z, t):
    return (cross_entropy_grad(*inp.as_float64(z, t)),)


@wrong(ID, "sign-flip")
def ce_grad_t_minus_p(z, t):
    """(t - p) / N."""
    return (t - p_stable(z)) / z.shape[0]


@wrong(ID, "sign-flip")
def ce_grad_negated(z, t):
    """(t - p * sum t) / N: the whole gradient negated."""
    return -fused(p_stable(z), t)


@wrong(ID, "missing-batch-mean")
def ce_grad_no_mean(z, t):
    """p * sum t - t, without the 1/N."""
    p = p_stable(z)
    return p * np.sum(t, axis=-1, keepdims=True) - t


@wrong(ID, "assumes-one-hot")
def ce_grad_p_minus_t(z, t):
    """(p - t) / N, right only when each target row sums to 1."""
    return (p_stable(z) - t) / z.shape[0]


@wrong(ID, "diagonal-only-jacobian")
def ce_grad_diagonal_only(z, t):
    """-t (1 - p) / N: -t/p through the diagonal of the Jacobian only."""
    return -t * (1 - p_stable(z)) / z.shape[0]


@wrong(ID, "no-max-shift")
def ce_grad_no_max_shift(z, t):
    """The fused formula on an unshifted softmax."""
    return fused(p_unshifted(z), t)


@wrong(ID, "wrong-axis")
def ce_grad_over_batch(z, t):
    """The fused formula with softmax over the batch axis."""
    return fused(p_stable(z, axis=0), t)


@wrong(ID, "divide-by-p")
def ce_grad_through_jacobian(z, t):
    """dp = -t / (N p), then the softmax vector-Jacobian product."""
    p = p_stable(z)
    dp = -t / (p * z.shape[0])
    return p * (dp - np.sum(p * dp, axis=-1, keepdims=True))


@wrong(ID, "sum-over-everything")
def ce_grad_whole_sum(z, t):
    """The fused formula on a softmax divided by one sum over the whole batch."""
    return fused(p_whole_sum(z), t)


@wrong(ID, "divided-by-classes")
def ce_grad_over_classes(z, t):
    """The gradient of the summed loss divided by C instead of N."""
    return fused(p_stable(z), t) * z.shape[0] / z.shape[1]


@wrong(ID, "batch-max-shift", targets="labels")
def ce_grad_labels_batch_max_shift(z, y):
    """p - onehot(y), over N, with the batch maximum subtracted: ``z - np.max(z)``."""
    p = p_batch_shift(z)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


@wrong(ID, "classes-from-labels", targets="labels")
def ce_grad_labels_eye_of_max(z, y):
    """(p - np.eye(np.max(y) + 1)[y]) / N: too few classes when the top one is absent."""
    return (p_stable(z) - np.eye(np.max(y) + 1)[y]) / len(y)


EXERCISE = Exercise(
    ID, "my_cross_entropy_grad", "fused-vs-separate",
    "my_cross_entropy_grad(z, t), z (N, C) logits, t targets -> dL/dz (N, C)", ("dz",),
    cases, reference, targets=TARGETS, to_first_form=to_probabilities,
)


def ce_grad_soft(z, t):
    """A learner's fused gradient for any targets: (p * sum(t) - t) / N."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p * t.sum(axis=1, keepdims=True) - t) / len(z)


def ce_grad_labels(z, y):
    """A learner's gradient for integer labels: p, minus 1 at each label, over N."""
    z = np.asarray(z, dtype=float)
    N = z.shape[0]
    p = np.exp(z - np.max(z, axis=1, keepdims=True))
    p /= np.sum(p, axis=1, keepdims=True)
    p[np.arange(N), y] -= 1
    return p / N


CORRECT = [ce_grad_soft]
CORRECT_LABELS = [ce_grad_labels]
