"""Self-checks for the book's implementation exercises: the engine.

``check(exercise, fn)`` runs a learner's function on fresh random inputs
and on edge cases, compares it with a float64 reference, and returns a
:class:`CheckResult` that a notebook displays as a clear verdict. When the
function is wrong, the result names the known mistake it makes (see
:mod:`derivations.coursework.catalogue` and :ref:`mistakes`) by running the reference
wrong implementations on the same inputs, and links to the section that
explains it.

What each exercise checks (its cases, its reference, its wrong
implementations) lives in its own module of :mod:`derivations.coursework.exercises`;
this module only runs functions, judges what they return and words the
verdict.
"""

import contextlib
import ctypes
import dataclasses
import io
import math
import os
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from derivations import editions, validation
from derivations.coursework import catalogue as _catalogue
from derivations.coursework import messages as _messages
from derivations.coursework.exercises import EXERCISES, TARGET_FORMS, Case, Exercise, wrong_for
from derivations.coursework.messages import say
from derivations.coursework.render import CheckResult

__all__ = ["check", "fingerprints", "diagnose", "compare_with", "CheckResult", "EXERCISES", "NOT_IMPLEMENTED",
           "TARGET_FORMS", "Case", "Exercise"]

NOT_IMPLEMENTED = "not implemented yet: replace the `raise NotImplementedError` in the stub"

# ---------------------------------------------------------------------------
# Running the learner's function: a time limit, its printed output captured,
# and nothing it raises (SystemExit included) ends the check.
# ---------------------------------------------------------------------------

#: Seconds one case may take before the check gives up on the function.
DEFAULT_TIMEOUT = 5.0

#: The environment variable that overrides :data:`DEFAULT_TIMEOUT`.
TIMEOUT_VARIABLE = "DERIVATIONS_CHECK_TIMEOUT"

#: How many lines of the function's printed output a verdict shows.
SHOWN_OUTPUT_LINES = 5


class _Abandoned(BaseException):
    """Raised inside a function that ran past its time limit, to stop it.

    A BaseException, so that a learner's ``except Exception`` cannot swallow it.
    """


def _timeout_seconds(timeout):
    """The per-case time limit in seconds, or None for no limit (an infinite one)."""
    source = "timeout"
    if timeout is None:
        raw = os.environ.get(TIMEOUT_VARIABLE, "").strip()
        if not raw:
            return DEFAULT_TIMEOUT
        source = f"the environment variable {TIMEOUT_VARIABLE}"
        try:
            timeout = float(raw)
        except ValueError:
            raise ValueError(f"{source} is {raw!r}; expected a number of seconds, such as 5") from None
    seconds = validation.as_positive_number(timeout, source, allow_inf=True)
    return None if math.isinf(seconds) else seconds


class _Capture(io.TextIOBase):
    """A stand-in for stdout and stderr that keeps the first lines written."""

    def __init__(self, keep=SHOWN_OUTPUT_LINES, width=160):
        self.keep, self.width = keep, width
        self.lines, self.partial, self.count = [], "", 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        *done, self.partial = (self.partial + text).split("\n")
        for line in done:
            self.count += 1
            if len(self.lines) < self.keep:
                self.lines.append(line)
        if len(self.partial) > 10 * self.width:  # a very long line without a newline
            self.partial = self.partial[: 10 * self.width]
        return len(text)

    def flush(self):
        pass

    def finish(self):
        """The kept lines, the unterminated last one included, and the line count."""
        lines, count = list(self.lines), self.count
        if self.partial:
            count += 1
            if len(lines) < self.keep:
                lines.append(self.partial)
        cut = [line if len(line) <= self.width else line[: self.width - 3] + "..." for line in lines]
        return cut, count


def _stop(thread):
    """Ask a runaway thread to stop by raising _Abandoned in it (CPython only).

    A pure-Python loop stops at once; a thread inside a long C call (a sleep,
    a huge matrix product) stops when the call returns. It is a daemon
    thread, so it never keeps the process alive.
    """
    try:
        set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except AttributeError:  # not CPython
        return
    if thread.ident is not None and set_async(ctypes.c_ulong(thread.ident), ctypes.py_object(_Abandoned)) > 1:
        set_async(ctypes.c_ulong(thread.ident), None)


@dataclass
class _Call:
    """What one call of the learner's function did."""

    value: object = None
    error: BaseException | None = None
    timed_out: bool = False


def _call(fn, args, timeout, capture):
    """``fn(*args)`` in a worker thread, at most ``timeout`` seconds, output to ``capture``.

    The check's own thread only waits, so a function that loops forever
    costs ``timeout`` seconds, and Ctrl-C (KeyboardInterrupt in this
    thread) still interrupts the check.
    """
    result = _Call()

    def work():
        with np.errstate(all="ignore"):  # numpy's error state is per thread
            try:
                result.value = fn(*args)
            except BaseException as exc:  # SystemExit too: a failed case, not the end
                result.error = exc

    worker = threading.Thread(target=work, name="derivations-check", daemon=True)
    with contextlib.redirect_stdout(capture), contextlib.redirect_stderr(capture):
        worker.start()
        try:
            worker.join(timeout)
        except BaseException:  # KeyboardInterrupt: stop the function, then stop the check
            _stop(worker)
            raise
    if worker.is_alive():
        _stop(worker)
        return _Call(timed_out=True)
    if isinstance(result.error, KeyboardInterrupt):
        raise result.error
    return result



# ---------------------------------------------------------------------------
# Judging what a function returned.
# ---------------------------------------------------------------------------


class _Invalid(Exception):
    """The function returned something that is not the arrays asked for: a message id and its values."""

    def __init__(self, message_id, **values):
        super().__init__(message_id)
        self.message_id, self.values = message_id, values


@dataclass
class _Outcome:
    arrays: list | None = None
    error: BaseException | None = None
    invalid: tuple | None = None  # (message id, values)
    timed_out: bool = False


def _fresh(args):
    """Copies of the array arguments, so no call can see another's in-place edits."""
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def _describe(obj, lang):
    if isinstance(obj, np.ndarray):
        return say("an-array", lang, shape=obj.shape)
    return say("an-object", lang, type=type(obj).__name__)


def _coerce(out, ex):
    n = len(ex.outputs)
    if out is None:
        raise _Invalid("returned-none")
    if n > 1:
        if not isinstance(out, (tuple, list)) or len(out) != n:
            raise _Invalid("wrong-count", count=n, names=", ".join(ex.outputs), what=out)
        parts = list(out)
    else:
        parts = [out]
    arrays = []
    for name, part in zip(ex.outputs, parts):
        if part is None:
            raise _Invalid("returned-none-for", name=name)
        try:
            raw = np.asarray(part)
        except Exception as exc:  # ragged nested lists and the like
            raise _Invalid("not-numbers", name=name, error=exc) from None
        if raw.dtype.kind not in "iuf":
            raise _Invalid("not-real", name=name, dtype=raw.dtype)
        if ex.require_float64 and raw.dtype != np.float64:
            raise _Invalid("not-float64", name=name, dtype=raw.dtype)
        arrays.append(raw.astype(np.float64))
    return arrays


def _judge_output(out, ex):
    try:
        return _Outcome(arrays=_coerce(out, ex))
    except _Invalid as bad:
        return _Outcome(invalid=(bad.message_id, bad.values))


def _run(fn, args, ex):
    """Run one of the package's own functions (a wrong implementation) on a case."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            out = fn(*_fresh(args))
        except Exception as exc:
            return _Outcome(error=exc)
    return _judge_output(out, ex)


def _run_learner(fn, args, ex, timeout, capture):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call = _call(fn, _fresh(args), timeout, capture)
    if call.timed_out:
        return _Outcome(timed_out=True)
    if call.error is not None:
        return _Outcome(error=call.error)
    return _judge_output(call.value, ex)


def _shape_like(a, e):
    """A single number may come back as shape (), (1,) or (1, 1)."""
    if a.shape != e.shape and a.size == 1 and e.size == 1:
        return a.reshape(e.shape)
    return a


def _close(a, e, rtol, atol):
    """Entrywise |a - e| <= rtol |e| + atol max(max|e|, 1).

    The second term measures an entry's error against the array's size, or
    against 1 when everything is small: an entry such as p (1 - p) near
    p = 1 is a difference of numbers near 1, and float32 knows those only
    to about 1e-7 absolutely.
    """
    e_finite = e[np.isfinite(e)]
    scale = max(float(np.max(np.abs(e_finite), initial=0.0)), 1.0)
    with np.errstate(invalid="ignore"):
        return np.abs(a - e) <= rtol * np.abs(e) + atol * scale


def _array_problem(name, a, e, ex, rtol, lang="en"):
    """What is wrong with one returned array, in words of ``lang``; None if it is right."""
    a = _shape_like(a, e)
    if a.shape != e.shape:
        return say("wrong-shape", lang, name=name, shape=a.shape, expected=e.shape)
    bad = ~np.isfinite(a)
    if bad.any():
        found = [k for k, m in (("NaN", np.isnan(a)), ("inf", np.isinf(a))) if m.any()]
        kinds = say("nan-and-inf", lang) if len(found) == 2 else found[0]
        return say("non-finite", lang, name=name, kinds=kinds, count=int(bad.sum()), size=a.size)
    ok = _close(a, e, rtol, ex.atol)
    if ok.all():
        return None
    if a.ndim == 0:
        return say("wrong-scalar", lang, name=name, value=f"{float(a):.6g}", expected=f"{float(e):.6g}")
    i = np.unravel_index(int(np.argmax(np.abs(a - e) * ~ok)), a.shape)
    return say("wrong-entries", lang, name=name, count=int((~ok).sum()), size=a.size,
               index=tuple(int(v) for v in i), value=f"{a[i]:.6g}", expected=f"{e[i]:.6g}")


def _error_words(err, lang):
    if isinstance(err, SystemExit):
        return say("exited", lang, error=err)
    return say("raised", lang, type=type(err).__name__, error=err)


def _invalid_words(invalid, lang):
    message_id, values = invalid
    if "what" in values:  # the object returned, described in the verdict's language
        values = dict(values, what=_describe(values["what"], lang))
    return say(message_id, lang, **values)


def _problems(outcome, expected, ex, case, lang="en"):
    """What is wrong with one outcome: ``(summary or None, [per-array problem or None])``, in words of ``lang``."""
    if outcome.error is not None:
        return _error_words(outcome.error, lang), []
    if outcome.invalid is not None:
        return _invalid_words(outcome.invalid, lang), []
    rtol = max(ex.rtol, case.rtol or 0.0)
    parts = [_array_problem(n, a, e, ex, rtol, lang) for n, a, e in zip(ex.outputs, outcome.arrays, expected)]
    found = [p for p in parts if p is not None]
    return (say("list-separator", lang).join(found) if found else None), parts


def _agrees(a, b, ex, case):
    """Does array ``a`` (the learner's) agree with ``b`` (a wrong variant's)?

    The shapes must match, NaN or inf must stand in exactly the same
    entries (either kind: implementations of the same overflow differ in
    which they give), and the finite entries must be close.
    """
    a = _shape_like(a, b)
    if a.shape != b.shape:
        return False
    fin = np.isfinite(b)
    if not np.array_equal(fin, np.isfinite(a)):
        return False
    if not fin.any():
        return True
    rtol = max(ex.agree_rtol, case.rtol or 0.0)
    return bool(_close(a[fin], b[fin], rtol, ex.agree_atol).all())


def _conventions_chosen(ex, form, cases, outcomes):
    """The convention and expected outputs to judge by: for an exercise with
    conventions, the one whose first output the function matches on the most
    cases (the first on a tie)."""
    if not ex.conventions:
        reference = _reference(ex, form, None)
        return None, [reference(*_fresh(case.args)) for case in cases]
    best, best_expected, best_count = None, None, -1
    for convention in ex.conventions:
        reference = _reference(ex, form, convention)
        expected = [reference(*_fresh(case.args)) for case in cases]
        count = 0
        for case, outcome, e in zip(cases, outcomes, expected):
            if outcome.arrays is not None:
                a = _shape_like(outcome.arrays[0], e[0])
                rtol = max(ex.rtol, case.rtol or 0.0)
                count += bool(a.shape == e[0].shape and np.isfinite(a).all() and _close(a, e[0], rtol, ex.atol).all())
        if count > best_count:
            best, best_expected, best_count = convention, expected, count
    return best, best_expected


# ---------------------------------------------------------------------------
# Diagnosis.
# ---------------------------------------------------------------------------


@dataclass
class Comparison:
    """How one wrong implementation compares with the learner's function over a check's cases.

    The evidence behind a diagnosis (see :ref:`mistakes`).

    Attributes
    ----------
    full : bool
        It reproduces the learner's outcome on every case: the same exception
        type where the learner's raises, the same NaN and inf entries and
        the same finite numbers elsewhere.
    numbers : int
        Arrays the learner got wrong where this implementation is finite,
        also wrong, and agrees: the strongest clue.
    non_finite : int
        Arrays the learner got wrong where both give NaN or inf in the same
        entries and agree on the finite ones.
    raises : int
        Cases where the learner's function raised and this one raised the
        same exception type.
    explains_non_finite : bool
        Wherever the learner's function returned NaN or inf, this one did too.
    """

    full: bool = True
    numbers: int = 0
    non_finite: int = 0
    raises: int = 0
    explains_non_finite: bool = True


def _same_arithmetic_failure(a, b):
    """Did the learner's code raise where the variant's numpy gives inf or NaN?

    Pure Python reports an overflow or a 0 / 0 by raising (``math.exp(1000)``
    raises OverflowError, ``0.0 / 0.0`` ZeroDivisionError) where numpy
    returns inf and NaN: the same failure, so the same mistake (a loop
    over ``math.exp`` without the max shift, for one).
    """
    return (
        isinstance(a.error, ArithmeticError)
        and b.arrays is not None
        and any(not np.isfinite(y).all() for y in b.arrays)
    )


def compare_with(mine, theirs, ex, cases, parts, expected):
    """Compare the learner's outcomes ``mine`` with a wrong implementation's ``theirs``.

    Returns a :class:`Comparison`. Only failures of the learner that the
    wrong implementation shares count as clues: a shared right answer
    says nothing. How the clues name a mistake is told in :ref:`mistakes`.
    """
    c = Comparison()
    for case, a, b, my_parts, exp in zip(cases, mine, theirs, parts, expected):
        if _same_arithmetic_failure(a, b):
            c.non_finite += 1
            continue
        if a.error is not None or b.error is not None:
            same = a.error is not None and b.error is not None and type(a.error) is type(b.error)
            c.full = c.full and same
            c.raises += same
            continue
        if a.arrays is None or b.arrays is None:
            c.full = False
            continue
        rtol = max(ex.rtol, case.rtol or 0.0)
        for k, (x, y) in enumerate(zip(a.arrays, b.arrays)):
            same = _agrees(x, y, ex, case)
            c.full = c.full and same
            if not np.isfinite(x).all() and not same:
                c.explains_non_finite = False
            if not same or my_parts[k] is None:
                continue
            if _array_problem(ex.outputs[k], y, exp[k], ex, rtol) is None:
                continue  # it is right here (within the check's tolerance): no clue
            if np.isfinite(y).all():
                c.numbers += 1
            else:
                c.non_finite += 1
    return c


def diagnose(ex, cases, outcomes, parts, expected, variants):
    """Which catalogued mistake explains the failures? (See :ref:`mistakes`.)

    A wrong implementation that reproduces the learner's function on every
    case (the same exception type where it raises, NaN or inf in the same
    entries, the same numbers elsewhere) is the diagnosis, provided it
    fails somewhere too. Failing that, the one with the strongest partial
    evidence wins, for the learner may make two mistakes at once: each
    wrong array it reproduces with finite numbers counts, and so does each
    reproduced NaN or inf, but only from an implementation that gives NaN
    or inf wherever the learner's function does (a NaN that has another
    cause is no clue). A partial match needs at least two such clues, and
    agreeing on an exception alone is too weak a clue for it.

    Returns ``(mistake_id, full)``, or None when nothing matches.
    """
    best, best_score = None, None
    for wrong in variants:
        theirs = [_run(wrong.fn, case.args, ex) for case in cases]
        c = compare_with(outcomes, theirs, ex, cases, parts, expected)
        if c.full and c.numbers + c.non_finite + c.raises > 0:
            return wrong.mistake, True
        score = (c.numbers + (c.non_finite if c.explains_non_finite else 0), c.numbers)
        if score[0] < 2:
            continue  # one coincidence is not enough for a partial match
        if best_score is None or score > best_score:
            best, best_score = wrong.mistake, score
    return (best, False) if best is not None else None


def fingerprints(exercise, *, seed=0, targets=None):
    """How each catalogued wrong implementation fares on each case of a check.

    A mistake can only be named if its pattern over the cases differs from
    every other mistake's; this shows the patterns (see :ref:`mistakes`).

    Parameters
    ----------
    exercise : str
        An exercise id.
    seed : int
        Seed of the random inputs.
    targets : {"probabilities", "labels"}, optional
        The target form, for an exercise that takes targets.

    Returns
    -------
    cases : list of str
        The cases' descriptions.
    rows : list of (WrongImplementation, list of str)
        For each wrong implementation, one code per case: ``"right"`` (it
        agrees with the reference there), ``"wrong"`` (other numbers or
        another shape), ``"non-finite"`` (NaN or inf) or ``"raises"``.

    Examples
    --------
    >>> cases, rows = fingerprints("cross_entropy_grad")
    >>> codes = {w.name: c for w, c in rows}
    >>> cases[0], codes["ce_grad_p_minus_t"][0]         # p - t is right for one-hot targets
    ('one-hot targets, N=..., C=...', 'right')
    >>> codes["ce_grad_p_minus_t"][1]                   # and wrong for soft ones
    'wrong'
    """
    ex = _get(exercise)
    form = _target_form(ex, targets)
    cases = _cases(ex, np.random.default_rng(seed), form)
    expected = [_reference(ex, form, conv=None)(*_fresh(case.args)) for case in cases]
    rows = []
    for wrong in wrong_for(ex.id, form):
        codes = []
        for case, e in zip(cases, expected):
            outcome = _run(wrong.fn, case.args, ex)
            summary, _ = _problems(outcome, e, ex, case)
            if outcome.error is not None:
                codes.append("raises")
            elif summary is None:
                codes.append("right")
            elif outcome.arrays is not None and any(
                a.shape == _shape_like(a, b).shape and not np.isfinite(a).all()
                for a, b in zip(outcome.arrays, e)
            ):
                codes.append("non-finite")
            else:
                codes.append("wrong")
        rows.append((wrong, codes))
    return [case.name for case in cases], rows


# ---------------------------------------------------------------------------
# The check.
# ---------------------------------------------------------------------------


def _get(exercise, lang="en"):
    """The exercise named ``exercise``; a ValueError in ``lang`` that lists them all for any other name."""
    if not isinstance(exercise, str) or exercise not in EXERCISES:
        raise ValueError(_messages.say("error-unknown-exercise", lang, exercise=repr(exercise),
                                       names=", ".join(EXERCISES)))
    return EXERCISES[exercise]


def _target_form(ex, targets, lang="en"):
    """The target form to check in; a ValueError (in ``lang``) for one the exercise does not take."""
    if targets is None:
        return ex.default_targets
    if not isinstance(targets, str) or targets not in TARGET_FORMS:
        raise ValueError(_messages.say("error-targets-value", lang, targets=repr(targets),
                                       forms=", ".join(map(repr, TARGET_FORMS))))
    if not ex.targets:
        raise ValueError(_messages.say("error-no-targets", lang, exercise=repr(ex.id)))
    if targets not in ex.targets:
        forms = _messages.say("or-separator", lang).join(repr(f) for f in ex.targets)
        raise ValueError(_messages.say("error-targets-form", lang, exercise=repr(ex.id), forms=forms,
                                       targets=repr(targets)))
    return targets


def _cases(ex, rng, form):
    return ex.cases(rng, form) if ex.targets else ex.cases(rng)


def _in_form(ex, form, reference):
    """``reference`` taking a case's arguments in the target form ``form``."""
    if form is None or form == ex.default_targets:
        return reference
    return lambda *args: reference(*ex.to_first_form(args))


def _reference(ex, form, conv):
    return _in_form(ex, form, ex.reference if conv is None else conv.reference)


def _printed(printed, lang):
    """The verdict's lines on what ``fn`` printed (``printed`` is :meth:`_Capture.finish`'s result)."""
    lines, count = printed
    if not count:
        return []
    if count == 1:
        head = say("printed-one", lang)
    elif count <= len(lines):
        head = say("printed-all", lang, count=count)
    else:
        head = say("printed-first", lang, count=count, shown=len(lines))
    return [head] + [f"    {line}" for line in lines]


def _call_text(ex, name, form, **extra):
    args = [repr(ex.id), name]
    if form is not None and form != ex.default_targets:
        args.append(f"targets={form!r}")
    args += [f"{k}={v}" for k, v in extra.items()]
    return f"check({', '.join(args)})"


def check(exercise, fn, *, seed=None, targets=None, timeout=None, language=None):
    """Check a learner's implementation of one of the book's exercises.

    ``fn`` is run on fresh random inputs (new ones on every call) and on
    edge cases (large logits, rows whose maxima lie far apart, soft targets
    whose rows do not sum to 1, N = 1, C = 1, C = 2, N != C, float32 ...).
    Its results are compared with a float64 reference, with a tolerance
    that admits float32 arithmetic inside ``fn``; results may be lists or
    arrays. When it fails, the catalogue's wrong implementations are run on
    the same inputs to name the mistake (see :ref:`mistakes`).

    Each case runs with a time limit, and whatever ``fn`` prints is captured
    and shown, briefly, in the verdict. An exception from ``fn``, even
    ``SystemExit``, fails the case; it never ends the check. Ctrl-C
    (KeyboardInterrupt) still interrupts it.

    Parameters
    ----------
    exercise : str
        The exercise id, one of ``EXERCISES`` (for example
        ``"cross_entropy_grad"``).
    fn : callable
        The learner's function, with the exercise's signature.
    seed : int, optional
        Repeat the inputs of an earlier check; by default they are new.
    targets : {"probabilities", "labels"}, optional
        For an exercise that takes targets, the form ``fn`` takes them in:
        ``"probabilities"``, rows of non-negative weights of shape (N, C)
        that need not sum to 1, or ``"labels"``, integer class labels of
        shape (N,). By default the exercise's own form, which its chapter
        states (probabilities, except for ``softmax_loss``).
    timeout : float, optional
        Seconds each case may take; by default the environment variable
        ``DERIVATIONS_CHECK_TIMEOUT``, or 5.
    language : {"en", "es", "id", "zh_CN"}, optional
        The language of the verdict, that of one of the book's editions, whose
        pages its links point at; by default the environment variable
        ``DERIVATIONS_LANGUAGE``, or English.

    Returns
    -------
    CheckResult
        Displays as a verdict in a notebook; ``.passed``, ``.mistake``,
        ``.message``, ``.timed_out`` and ``.not_implemented`` hold the details.

    Raises
    ------
    ValueError
        For an unknown exercise, a target form it does not take, a time
        limit that is not a positive number of seconds, or an unknown language.
        The first two are worded in the verdict's language.
    TypeError
        When ``fn`` is not callable (a learner who passes ``my_softmax(z)``
        is told to pass ``my_softmax``), in the verdict's language.

    Examples
    --------
    >>> check("softmax", lambda z: softmax(z)).passed
    True
    >>> r = check("cross_entropy_grad", lambda z, t: (softmax(z) - t) / len(z))
    >>> r.passed, r.mistake
    (False, 'assumes-one-hot')
    >>> def labels_grad(z, y):
    ...     g = softmax(z)
    ...     g[np.arange(len(y)), y] -= 1
    ...     return g / len(y)
    >>> check("cross_entropy_grad", labels_grad, targets="labels").passed
    True
    >>> print(check("softmax", lambda z: None).message.splitlines()[1])
    On random logits, N=..., C=...: it returned None (is a `return` statement missing?).
    >>> print(check("softmax", lambda z: z, language="es").message.splitlines()[0])
    ✗ my_softmax todavía no es correcta.
    """
    # The language first, so that every other complaint is in it.
    lang = _messages.language(language)
    ex = _get(exercise, lang)
    if not callable(fn):
        raise TypeError(_messages.say("error-not-callable", lang, function=ex.function, kind=type(fn).__name__))
    form = _target_form(ex, targets, lang)
    limit = _timeout_seconds(timeout)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1, np.uint32)[0])
    cases = _cases(ex, np.random.default_rng(seed), form)
    name = getattr(fn, "__name__", ex.function)
    if not name.isidentifier():  # a lambda
        name = ex.function

    # The learner's function runs once; the verdict is then worded in each
    # language asked for (all four when the book is built: derivations.editions).
    capture = _Capture()
    outcomes, stopped = [], None
    for case in cases:
        outcome = _run_learner(fn, case.args, ex, limit, capture)
        if isinstance(outcome.error, NotImplementedError) or outcome.timed_out:
            stopped = (outcome, case)
            break
        outcomes.append(outcome)
    printed = capture.finish()
    run = _Run(ex, name, form, seed, limit, cases, outcomes, stopped, printed)
    if stopped is None:
        run.convention, run.expected = _conventions_chosen(ex, form, cases, outcomes)
        judged = [_problems(o, e, ex, case, lang) for o, e, case in zip(outcomes, run.expected, cases)]
        run.failing = [i for i, (summary, _) in enumerate(judged) if summary is not None]
        if run.failing:
            variants = wrong_for(ex.id, form)
            run.diagnosis = diagnose(ex, cases, outcomes, [p for _, p in judged], run.expected, variants)
    verdict = _verdict(run, lang)
    others = {other: _verdict(run, other).message for other in editions.languages(lang)[1:]}
    return dataclasses.replace(verdict, translations=others) if others else verdict


@dataclass
class _Run:
    """What one check found, before it is put in words: the cases, the outcomes, the diagnosis."""

    ex: Exercise
    name: str
    form: str | None
    seed: int
    limit: float
    cases: list
    outcomes: list
    stopped: tuple | None
    printed: tuple
    convention: object = None
    expected: list | None = None
    failing: list | None = None
    diagnosis: tuple | None = None


def _verdict(run, lang):
    """The :class:`CheckResult` of ``run`` worded in ``lang``."""
    ex, name, form, cases = run.ex, run.name, run.form, run.cases
    repeat = say("repeat", lang, call=_call_text(ex, name, form, seed=run.seed))
    sep = say("list-separator", lang)

    def case_name(case):
        return _messages.case_name(case.name, lang)

    def result(passed, mistake, lines, **flags):
        return CheckResult(passed, mistake, "\n".join(lines), ex.id, run.seed, targets=form, language=lang,
                           **flags)

    printed = _printed(run.printed, lang)
    if run.stopped is not None:
        outcome, case = run.stopped
        if isinstance(outcome.error, NotImplementedError):
            return result(False, None, [say("not-implemented", lang, name=name)] + printed, not_implemented=True)
        lines = [
            say("time-limit", lang, name=name, seconds=f"{run.limit:g}", case=case_name(case)),
            say("time-limit-hint", lang, call=_call_text(ex, name, form, timeout="..."), variable=TIMEOUT_VARIABLE),
        ]
        return result(False, None, lines + printed + [repeat], timed_out=True)

    convention = run.convention
    context = []
    if form is not None:
        context.append(say("targets", lang, text=_messages.text(ex.targets[form], lang)))
    if convention is not None:
        context.append(say("convention", lang, text=_messages.text(convention.text, lang)))

    failing = run.failing
    if not failing:
        passed = "passed-bug-fixed" if ex.starts_from is not None else "passed"
        lines = [say(passed, lang, name=name, count=len(cases))]
        lines += [_messages.text(ex.passed_message, lang)] if ex.passed_message else []
        lines.append(say("cases", lang, names=sep.join(case_name(case) for case in cases)))
        return result(True, None, lines + context + printed)

    first = failing[0]
    problem = _problems(run.outcomes[first], run.expected[first], ex, cases[first], lang)[0]
    lines = [say("not-right", lang, name=name), say("on-case", lang, case=case_name(cases[first]), problem=problem)]
    if len(failing) > 1:
        others = sep.join(case_name(cases[i]) for i in failing[1:])
        lines.append(say("also-fails", lang, more=len(failing) - 1, count=len(cases), names=others))
    else:
        lines.append(say("passes-others", lang, count=len(cases) - 1))
    mistake = None
    if run.diagnosis is not None:
        mistake, full = run.diagnosis
        m = _catalogue.MISTAKES[mistake]
        title, explanation = _messages.mistake_words(m, lang)
        how = "mistake-full" if full else "mistake-part"
        lines.append(say(how, lang, id=mistake, title=title, text=_catalogue.plain(explanation)))
        if not full:
            lines.append(say("second-problem", lang))
    else:
        lines.append(say("no-mistake", lang, signature=_messages.text(ex.signature, lang)))
    lines += context
    if form == "probabilities" and "labels" in ex.targets and mistake is None:
        lines.append(say("labels-hint", lang, call=_call_text(ex, name, "labels")))
    if mistake is not None:
        lines.append(say("read-why", lang, where=_messages.where(m.chapter, m.label, lang),
                         url=_messages.section_url(m.label, lang)))
    else:
        lines.append(say("derivation-in", lang, where=_messages.where(ex.chapter, None, lang),
                         url=_messages.chapter_url(ex.chapter, lang)))
    lines += printed
    lines.append(repeat)
    return result(False, mistake, lines)
