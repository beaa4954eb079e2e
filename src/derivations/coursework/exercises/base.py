"""What an exercise's module declares: its cases, its reference, its mistakes.

Each implementation exercise of the book is one module of
:mod:`derivations.coursework.exercises`, named after the exercise id. The module
defines

* ``cases(rng)`` (``cases(rng, targets)`` when the exercise takes targets):
  a fresh list of :class:`Case` drawn from ``rng``, the edge cases included;
* ``reference(...)``: the expected outputs, computed in float64 with the
  package's own, separately tested functions;
* its reference wrong implementations, each registered with :func:`wrong`
  under the id of the mistake it makes (see :mod:`derivations.coursework.catalogue`);
* ``EXERCISE``, the :class:`Exercise` that ties these together;
* ``CORRECT``, right answers written the way learners write them, which the
  tests run through the check.

:func:`derivations.coursework.engine.check` is the engine that runs all of this.
"""

from dataclasses import dataclass, field
from typing import Callable

from derivations.chapters import chapter_of, chapter_url
from derivations.coursework.catalogue import chapter_number

#: The two ways an exercise can take its targets: rows of probabilities
#: ``t`` of shape (N, C), or integer class labels ``y`` of shape (N,).
TARGET_FORMS = ("probabilities", "labels")


@dataclass(frozen=True)
class Case:
    """One set of inputs: a description for messages, and the arguments (see :ref:`instructors`).

    ``rtol`` widens the exercise's relative tolerance for inputs that float32
    cannot resolve finely: near |z| = 8000 a float32 logit is only known to
    about 1e-3, and softmax turns an absolute error in z into the same
    relative error in p.
    """

    name: str
    args: tuple
    rtol: float | None = None


@dataclass(frozen=True)
class Convention:
    """One accepted way of writing an exercise's answer, with its own reference.

    The penalty of :ref:`inconsistent-regularisation` has two.

    An exercise with several conventions (the two usual scalings of an L2
    penalty, say) accepts a function that follows any one of them
    consistently: :func:`~derivations.coursework.engine.check` picks the convention
    that the function's first output matches, then holds every output to it.
    """

    name: str
    text: str
    reference: Callable


@dataclass(frozen=True)
class Exercise:
    """What :func:`~derivations.coursework.engine.check` needs to know about one exercise.

    :ref:`instructors` lists the book's exercises from these.

    Attributes
    ----------
    id, function : str
        The exercise id and the learner's function name (``my_`` + id).
    label : str
        The label of the chapter that poses it (``"numerical-stability"``);
        :attr:`chapter`, the chapter's file, follows from it.
    signature : str
        One line for messages: arguments, shapes, what it returns.
    outputs : tuple of str
        Names of the returned arrays; more than one means a tuple is expected.
    cases : callable
        ``cases(rng)``, or ``cases(rng, targets)`` for an exercise that takes
        targets: fresh inputs from ``rng``, edge cases included.
    reference : callable
        Takes a case's arguments (in the first target form), returns the
        expected arrays (a tuple), in float64.
    targets : dict
        For an exercise that takes targets: each accepted form (a key of
        :data:`TARGET_FORMS`, the default first) and a sentence saying what
        the function receives in that form. Empty otherwise.
    to_first_form : callable, optional
        Turns a case's arguments in another target form (integer labels)
        into the first form (one-hot probability rows), so that the
        reference and the wrong implementations written for the first form
        serve both.
    conventions : tuple of Convention
        Alternative references, any one of which a function may follow.
    require_float64 : bool
        Whether the result itself must be float64.
    rtol, atol : float
        Tolerances for the comparison with the reference.
    agree_rtol, agree_atol : float
        Tolerances for agreeing with a wrong implementation in a diagnosis.
    starts_from : callable, optional
        For a find-the-bug exercise: the buggy function the learner starts
        from, which the chapter shows and which is registered as one of the
        exercise's wrong implementations. Its learner's cell begins as a copy
        of it, not as a stub raising NotImplementedError. None otherwise.
    passed_message : str
        A sentence the verdict adds when the function passes (empty: none).
    position : int
        Its place among the exercises of its chapter, when the chapter poses
        several (0 by default: they follow in the order of their ids).
    """

    id: str
    function: str
    label: str
    signature: str
    outputs: tuple
    cases: Callable
    reference: Callable
    targets: dict = field(default_factory=dict)
    to_first_form: Callable | None = None
    conventions: tuple = ()
    require_float64: bool = False
    rtol: float = 1e-4
    atol: float = 1e-6
    agree_rtol: float = 1e-3
    agree_atol: float = 1e-4
    starts_from: Callable | None = None
    passed_message: str = ""
    position: int = 0

    @property
    def chapter(self):
        """The file of the chapter that poses it, relative to the book root."""
        return chapter_of(self.label)

    @property
    def order(self):
        """Where it comes among the book's exercises: its chapter's number, its place there, its id."""
        return chapter_number(self.chapter), self.position, self.id

    @property
    def default_targets(self):
        """The target form used when ``check`` is given none, or None."""
        return next(iter(self.targets), None)

    def chapter_url(self):
        """Absolute link to the chapter that derives the function."""
        return chapter_url(self.chapter)


@dataclass(frozen=True)
class WrongImplementation:
    """A reference implementation of an exercise that makes one mistake (see :ref:`mistakes`).

    ``targets`` is the target form it takes, or None when it takes the
    exercise's default form (or the exercise has no targets).
    """

    exercise: str
    mistake: str
    fn: Callable
    targets: str | None = None

    @property
    def name(self):
        return self.fn.__name__


#: Every registered wrong implementation, in the order the modules define them.
WRONG = []


def wrong(exercise, mistake, *, targets=None):
    """Register the decorated function as a wrong implementation of ``exercise``.

    The check runs it next to a learner's function to name the mistake (see :ref:`mistakes`).

    Parameters
    ----------
    exercise : str
        The exercise id.
    mistake : str
        The id of the mistake it makes, a key of
        :data:`derivations.coursework.catalogue.MISTAKES`.
    targets : {"probabilities", "labels"}, optional
        The target form it takes, when not the exercise's default.
    """
    # The mistake's id is checked once every exercise is loaded (its own
    # mistakes may be catalogued in a module not imported yet).
    if targets is not None and targets not in TARGET_FORMS:
        raise ValueError(f"targets={targets!r}; expected one of {TARGET_FORMS}")

    def register(fn):
        WRONG.append(WrongImplementation(exercise, mistake, fn, targets))
        return fn

    return register
