"""Exercise of chapter 3 (:ref:`kronecker-delta`): ``my_log_softmax(z)``, log-softmax over the last axis."""

import numpy as np

from derivations.coursework.exercises._parts import EPSILONS, eps_name, p_stable
from derivations.coursework.exercises.base import Exercise, wrong
from derivations.coursework.exercises.softmax import logit_cases
from derivations.softmax import log_softmax

ID = "log_softmax"

#: The same logits as the softmax exercise.
cases = logit_cases


def reference(z):
    return (log_softmax(np.asarray(z, np.float64)),)


@wrong(ID, "log-of-softmax")
def log_softmax_via_log(z):
    """np.log of a (stable) softmax: -inf where a probability underflows."""
    return np.log(p_stable(z))


@wrong(ID, "no-max-shift")
def log_softmax_no_max_shift(z):
    """z - log sum exp(z) without the shift."""
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


@wrong(ID, "wrong-axis")
def log_softmax_over_batch(z):
    """Log-sum-exp taken over axis 0."""
    m = np.max(z, axis=0, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=0, keepdims=True))


@wrong(ID, "missing-keepdims")
def log_softmax_no_keepdims(z):
    """Subtracts log-sum-exps of shape (N,) from (N, C)."""
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1))


@wrong(ID, "batch-max-shift")
def log_softmax_batch_max_shift(z):
    """Log-sum-exp shifted by the maximum of the whole batch."""
    m = np.max(z)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def _eps_variant(eps):
    def fn(z):
        return np.log(p_stable(z) + eps)

    fn.__name__ = f"log_softmax_plus_{eps_name(eps)}"
    fn.__doc__ = f"np.log(softmax(z) + {eps:g}): finite, and wrong once p is below about {eps:g}."
    return wrong(ID, "epsilon-in-log")(fn)


for _eps in EPSILONS:
    _eps_variant(_eps)


EXERCISE = Exercise(
    ID, "my_log_softmax", "kronecker-delta", "my_log_softmax(z), z of shape (N, C) -> (N, C)",
    ("log_p",), cases, reference,
)


def log_softmax_rows(z):
    """A learner's log-softmax: z - max - log(sum(exp(z - max))), row by row."""
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


CORRECT = [log_softmax_rows]
