"""Exercise of chapter 8: ``my_cross_entropy(z, t)``, the mean cross-entropy, stable for any logits.

Posed in :ref:`numerical-stability`.
"""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises._parts import (
    EPSILONS,
    eps_name,
    logp,
    p_batch_shift,
    p_stable,
    p_unshifted,
    p_whole_sum,
)
from derivations.coursework.exercises.base import Exercise, wrong
from derivations.coursework.exercises.cross_entropy_grad import TARGETS, target_cases, to_probabilities
from derivations.losses import cross_entropy

ID = "cross_entropy"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "missing-minus",
        "Loss without its minus sign",
        r"Cross-entropy is $-\sum_c t_c \log p_c$, a positive number; without the minus the loss is "
        r"negative and minimising it makes the predictions worse.",
        "kronecker-delta",
    ),
]

#: The same inputs as the gradient's exercise.
cases = target_cases


def reference(z, t):
    return (np.asarray(cross_entropy(*inp.as_float64(z, t))),)


def _mean_loss(log_p, t):
    return -np.mean(np.sum(t * log_p, axis=-1))


@wrong(ID, "no-max-shift")
def cross_entropy_no_max_shift(z, t):
    """log of an unshifted softmax."""
    return _mean_loss(np.log(p_unshifted(z)), t)


@wrong(ID, "log-of-softmax")
def cross_entropy_log_of_softmax(z, t):
    """log of a stable softmax: inf once a target class underflows."""
    return _mean_loss(np.log(p_stable(z)), t)


@wrong(ID, "missing-batch-mean")
def cross_entropy_summed(z, t):
    """Sums the per-example losses instead of averaging them."""
    return -np.sum(t * logp(z))


@wrong(ID, "wrong-axis")
def cross_entropy_over_batch(z, t):
    """Log-softmax over the batch axis."""
    m = np.max(z, axis=0, keepdims=True)
    return _mean_loss(z - m - np.log(np.sum(np.exp(z - m), axis=0, keepdims=True)), t)


@wrong(ID, "assumes-one-hot")
def cross_entropy_argmax_target(z, t):
    """-log p of the largest target only."""
    rows = np.arange(z.shape[0])
    return -np.mean(logp(z)[rows, np.argmax(t, axis=-1)])


@wrong(ID, "missing-minus")
def cross_entropy_no_minus(z, t):
    """mean sum t log p, without the minus."""
    return np.mean(np.sum(t * logp(z), axis=-1))


@wrong(ID, "batch-max-shift")
def cross_entropy_batch_max_shift(z, t):
    """log of a softmax shifted by the maximum of the whole batch."""
    return _mean_loss(np.log(p_batch_shift(z)), t)


@wrong(ID, "sum-over-everything")
def cross_entropy_whole_sum(z, t):
    """log of a softmax divided by one sum over the whole batch."""
    return _mean_loss(np.log(p_whole_sum(z)), t)


@wrong(ID, "divided-by-classes")
def cross_entropy_over_classes(z, t):
    """The summed loss divided by C instead of N."""
    return -np.sum(t * logp(z)) / z.shape[1]


@wrong(ID, "divided-by-classes")
def cross_entropy_mean_of_all_entries(z, t):
    """np.mean of the (N, C) array -t log p: divided by N C."""
    return np.mean(-t * logp(z))


def _eps_variant(eps):
    def fn(z, t):
        return _mean_loss(np.log(p_stable(z) + eps), t)

    fn.__name__ = f"cross_entropy_log_p_plus_{eps_name(eps)}"
    fn.__doc__ = f"-mean sum t log(p + {eps:g}): finite, and wrong once a p is below about {eps:g}."
    return wrong(ID, "epsilon-in-log")(fn)


for _eps in EPSILONS:
    _eps_variant(_eps)


@wrong(ID, "classes-from-labels", targets="labels")
def cross_entropy_labels_eye_of_max(z, y):
    """One-hot rows from np.eye(np.max(y) + 1): too few classes when the top one is absent."""
    t = np.eye(np.max(y) + 1)[y]
    return -np.sum(t * logp(z)) / len(y)


EXERCISE = Exercise(
    ID, "my_cross_entropy", "numerical-stability",
    "my_cross_entropy(z, t), z (N, C) logits, t targets -> the mean loss, a scalar", ("loss",),
    cases, reference, targets=TARGETS, to_first_form=to_probabilities,
)


def cross_entropy_logsumexp(z, t):
    """A learner's loss for any targets: log p by log-sum-exp, weighted by t, averaged over N."""
    z = np.asarray(z, dtype=float)
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return -np.sum(t * log_p) / z.shape[0]


def cross_entropy_labels(z, y):
    """A learner's loss for integer labels: -log p of each label, by log-sum-exp, averaged."""
    z = np.asarray(z, dtype=float)
    N = len(y)
    shifted = z - np.max(z, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(N), y])


CORRECT = [cross_entropy_logsumexp]
CORRECT_LABELS = [cross_entropy_labels]
