"""The book's implementation exercises, one module each.

A module named after the exercise id holds everything about that exercise:
its cases, its float64 reference, its reference wrong implementations
(registered with the mistakes they make), its :class:`~.base.Exercise`
entry and a few correct implementations written as learners write them.
Inputs that several exercises share come from :mod:`._inputs`. Adding an
exercise means adding a module here and listing it in ``_MODULES``; the
check engine (:mod:`derivations.coursework.engine`) and the catalogue
(:mod:`derivations.coursework.catalogue`) need no change.
"""

from importlib import import_module

from derivations.coursework.exercises.base import TARGET_FORMS, WRONG, Case, Convention, Exercise, WrongImplementation, wrong

#: The exercise modules, in the order of the chapters that pose them.
_MODULES = [
    "softmax",
    "softmax_jacobian",
    "log_softmax",
    "toy_network_grads",
    "linear_softmax_grads",
    "softmax_backward",
    "cross_entropy_grad",
    "softmax_loss",
    "cross_entropy",
    "central_difference",
    "label_smoothing",
    "hidden_layer_grads",
    "chunked_logsumexp",
    "find_bug_delta",
    "find_bug_eye_node",
    "find_bug_label_gradient",
    "find_bug_unshifted_exp",
    "find_bug_batch_shift",
    "backprop_steps",
    "binary_cross_entropy",
]

#: Each exercise's module, by exercise id.
MODULES = {name: import_module(f".{name}", __name__) for name in _MODULES}

#: The implementation exercises, by id.
EXERCISES = {module.EXERCISE.id: module.EXERCISE for module in MODULES.values()}


def _adapted(w, ex, targets):
    """``w``, written for the exercise's first target form, taking ``targets`` instead."""
    to_first = ex.to_first_form

    def fn(*args):
        return w.fn(*to_first(args))

    fn.__name__ = fn.__qualname__ = w.name
    fn.__doc__ = w.fn.__doc__
    return WrongImplementation(w.exercise, w.mistake, fn, targets)


#: Mistakes that integer labels cannot make: a label is one-hot by nature.
_NOT_WITH_LABELS = {"assumes-one-hot"}


def wrong_for(exercise, targets=None):
    """The wrong implementations of ``exercise`` that take its arguments in the form ``targets``.

    Those written for the exercise's first target form serve the other
    forms too, through the exercise's ``to_first_form``.

    Examples
    --------
    >>> sorted({w.mistake for w in wrong_for("softmax_loss")})[:4]
    ['batch-max-shift', 'classes-from-labels', 'diagonal-only-jacobian', 'divide-by-p']
    >>> "classes-from-labels" in {w.mistake for w in wrong_for("cross_entropy", "labels")}
    True
    """
    ex = EXERCISES[exercise]
    first = ex.default_targets
    targets = first if targets is None else targets
    out = []
    for w in WRONG:
        if w.exercise != exercise:
            continue
        form = w.targets or first
        if form == targets:
            out.append(w)
        elif form == first and ex.to_first_form is not None and not (
            targets == "labels" and w.mistake in _NOT_WITH_LABELS
        ):
            out.append(_adapted(w, ex, targets))
    return out


__all__ = [
    "EXERCISES", "MODULES", "TARGET_FORMS", "WRONG", "Case", "Convention", "Exercise", "WrongImplementation",
    "wrong", "wrong_for",
]
