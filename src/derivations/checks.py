"""Self-checks for the book's implementation exercises.

``check(exercise, fn)`` runs a learner's function on fresh random inputs
and on edge cases (large logits, soft targets whose rows do not sum to 1,
N != C, C = 2, N = 1, float32), compares it with the package's own,
separately tested functions, and returns a :class:`CheckResult` that a
notebook displays as a clear verdict. When the function is wrong, the
result names the known mistake it makes (see :mod:`derivations.mistakes`
and :ref:`mistakes`) by running the catalogue's reference wrong
implementations on the same inputs, and links to the section that
explains it.
"""

import contextlib
import ctypes
import io
import math
import os
import re
import threading
import warnings
from dataclasses import dataclass
from html import escape
from typing import Callable

import numpy as np

from . import mistakes as _catalogue
from .gradcheck import numerical_gradient
from .losses import cross_entropy, cross_entropy_grad
from .softmax import log_softmax, softmax, softmax_backward, softmax_jacobian

NOT_IMPLEMENTED = "not implemented yet: replace the `raise NotImplementedError` in the stub"


@dataclass(frozen=True)
class CheckResult:
    """The verdict of :func:`check`: did the function pass, and if not, why.

    Attributes
    ----------
    passed : bool
    mistake : str or None
        The id of the catalogued mistake the function makes (a key of
        :data:`derivations.mistakes.MISTAKES`), or None when it passed or
        no known mistake explains the failure.
    message : str
        What happened, in plain text, with a link to the explaining section.
    exercise : str
        The exercise id.
    seed : int or None
        The seed of the random inputs; ``check(exercise, fn, seed=seed)``
        repeats them.
    timed_out : bool
        Whether a case ran past the time limit (the check then stops).
    not_implemented : bool
        Whether the function is still the stub that raises NotImplementedError.
    """

    passed: bool
    mistake: str | None
    message: str
    exercise: str = ""
    seed: int | None = None
    timed_out: bool = False
    not_implemented: bool = False

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message

    def _link(self):
        if self.mistake is None:
            return None
        m = _catalogue.MISTAKES[self.mistake]
        return m.url(), f"{m.chapter}, section {m.label}"

    def _repr_markdown_(self):
        head, *rest = self.message.split("\n")
        lines = [f"**{head}**", ""]
        lines += [line + "  " for line in rest if not line.startswith("Read why:")]
        link = self._link()
        if link:
            lines += ["", f"[Read why: {link[1]}]({link[0]})"]
        return "\n".join(lines)

    def _repr_html_(self):
        # Fixed colours rather than the page's: notebook front ends and the book's
        # dark mode put HTML output on backgrounds of their own choosing.
        mark, tint = ("#2e7d32", "#edf7ed") if self.passed else ("#c62828", "#fdecea")
        head, *rest = self.message.split("\n")
        link = self._link()
        body = ""
        for line in rest:
            if link and line.startswith("Read why:"):
                label = escape(_catalogue.MISTAKES[self.mistake].label)
                line_html = (
                    f'Read why: <a style="color:#0b57d0" href="{escape(link[0])}">{escape(link[1])}</a> '
                    f"(label {_code(label)})"
                )
            else:
                line_html = _code_spans(escape(line))
            body += f'<div style="margin-top:0.3em">{line_html}</div>'
        first, _, rest_of_head = _code_spans(escape(head)).partition(" ")
        return (
            f'<div class="derivations-check" style="border-left:0.3em solid {mark};background:{tint};'
            f'color:#1f1f1f;padding:0.4em 0.8em;margin:0.4em 0">'
            f'<strong><span style="color:{mark}">{first}</span> {rest_of_head}</strong>{body}</div>'
        )


def _code(text):
    return f'<code style="color:inherit;background:rgba(0,0,0,0.07);padding:0 0.2em">{text}</code>'


def _code_spans(text):
    """Backtick spans of an escaped message as <code> elements."""
    return re.sub(r"`([^`]+)`", lambda m: _code(m[1]), text)


@dataclass(frozen=True)
class Case:
    """One set of inputs: a description for messages, and the arguments.

    ``rtol`` widens the exercise's relative tolerance for inputs that float32
    cannot resolve finely: near |z| = 8000 a float32 logit is only known to
    about 1e-3, and softmax turns an absolute error in z into the same
    relative error in p.
    """

    name: str
    args: tuple
    rtol: float | None = None


def _float32_rtol(z):
    """Relative tolerance for probabilities from logits of this size in float32."""
    return max(1e-4, 2e-6 * float(np.max(np.abs(z))))


@dataclass(frozen=True)
class Exercise:
    """What :func:`check` needs to know about one implementation exercise.

    Attributes
    ----------
    id, function : str
        The exercise id and the learner's function name (``my_`` + id).
    chapter : str
        The chapter file that derives the function.
    signature : str
        One line for messages: arguments, shapes, what it returns.
    outputs : tuple of str
        Names of the returned arrays; more than one means a tuple is expected.
    cases : callable
        ``cases(rng) -> list of Case``: fresh inputs from ``rng``, edge cases included.
    reference : callable
        Takes a case's arguments, returns the expected arrays (a tuple), in float64.
    require_float64 : bool
        Whether the result itself must be float64.
    rtol, atol : float
        Tolerances for :func:`check`'s comparison (see ``_close``).
    agree_rtol, agree_atol : float
        Tolerances for agreeing with a wrong implementation in a diagnosis.
    """

    id: str
    function: str
    chapter: str
    signature: str
    outputs: tuple
    cases: Callable
    reference: Callable
    require_float64: bool = False
    rtol: float = 1e-4
    atol: float = 1e-6
    agree_rtol: float = 1e-3
    agree_atol: float = 1e-4

    def chapter_url(self):
        return f"{_catalogue.BOOK_URL}{self.chapter[:-3]}.html"


# ---------------------------------------------------------------------------
# Inputs. Every generator draws from the rng it is given, so each call of
# check() sees new numbers; the edge cases are in every draw.
# ---------------------------------------------------------------------------


def _sizes(rng):
    """A batch size and a class count that differ, so axis mix-ups show."""
    C = int(rng.integers(3, 8))
    N = int(rng.integers(2, 7))
    return (N + 1 if N == C else N), C


def _logits(rng, shape, scale=2.0):
    return rng.normal(0.0, scale, shape)


def _large_logits(rng, shape):
    """Logits of size 1e3..1e4 with a near tie for the maximum in each row.

    Multiples of 1/8 below 2^14 are exact in float32, so a correct
    float32 implementation meets the same numbers as the float64 reference.
    The near tie gives each row two non-trivial probabilities, and the wide
    spread makes the smallest ones underflow to exactly 0.
    """
    z = rng.integers(-8000, 8001, size=shape) + rng.integers(0, 8, size=shape) / 8.0
    rows = z.reshape(-1, shape[-1])
    if shape[-1] >= 2:
        for row in rows:
            j = int(np.argmax(row))
            k = (j + 1 + int(rng.integers(0, shape[-1] - 1))) % shape[-1]
            row[k] = row[j] - rng.integers(1, 24) / 8.0
    return z


def _soft_targets(rng, N, C):
    """Positive targets whose rows sum to 0.3..0.8 or 1.3..2.5, never 1."""
    t = rng.uniform(0.05, 1.0, (N, C))
    sums = np.where(rng.random(N) < 0.5, rng.uniform(0.3, 0.8, N), rng.uniform(1.3, 2.5, N))
    return t * (sums / t.sum(axis=1))[:, None]


def _near_1000(rng, shape):
    """Logits within 4 of 1000, multiples of 1/64 (exact in float32).

    exp overflows without the max shift, but no probability underflows, so
    this separates a missing shift from a log of an underflowed softmax.
    """
    return 1000.0 + rng.integers(-256, 257, size=shape) / 64.0


def _onehot(rng, N, C):
    return np.eye(C)[rng.integers(0, C, N)]


def _row_sums(t):
    s = np.atleast_2d(t).sum(axis=-1)
    return f"{s.min():.2f}" if s.size == 1 else f"{s.min():.2f}..{s.max():.2f}"


def _separated(rng, draw, min_gap=30.0, min_top=800.0, tries=2000):
    """Redraw large-logit inputs until each row's largest logit overflows exp
    (above ``min_top``) and beats the runner-up by ``min_gap``.

    Then exp(z) without the max shift is inf in every row, every
    probability except the largest is below exp(-30), and the rounding of a
    float32 implementation cannot move the gradient.
    """
    for _ in range(tries):
        args, z = draw()
        top2 = np.sort(np.atleast_2d(z), axis=-1)[:, -2:]
        if np.all(top2[:, 1] - top2[:, 0] >= min_gap) and np.all(top2[:, 1] >= min_top):
            return args
    return args


def _f32(*arrays):
    return tuple(a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in arrays)


def _logit_cases(rng):
    N, C = _sizes(rng)
    k = int(rng.integers(3, 6))
    big = _large_logits(rng, (N, C))
    near = _near_1000(rng, (N, C))
    big32 = _large_logits(rng, (N, C))
    return [
        Case(f"random logits, N={N}, C={C}", (_logits(rng, (N, C)),)),
        Case(f"a square batch, N = C = {k}", (_logits(rng, (k, k)),)),
        Case(f"one example, N = 1, C={C}", (_logits(rng, (1, C)),)),
        Case(f"two classes, C = 2, N={N}", (_logits(rng, (N, 2)),)),
        Case(f"large logits (|z| up to {np.abs(big).max():.0f}), N={N}, C={C}", (big,), _float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, N={N}, C={C}", (near,), _float32_rtol(near)),
        Case(f"float32 logits, N={N}, C={C}", _f32(_logits(rng, (N, C)))),
        Case(f"float32 large logits, N={N}, C={C}", _f32(big32), _float32_rtol(big32)),
    ]


def _jacobian_cases(rng):
    C = int(rng.integers(3, 8))
    big, near = _large_logits(rng, (C,)), _near_1000(rng, C)
    return [
        Case(f"random logits, C={C}", (_logits(rng, C),)),
        Case(f"other random logits, C={C + 1}", (_logits(rng, C + 1, scale=1.0),)),
        Case("two classes, C = 2", (_logits(rng, 2),)),
        Case(f"large logits, C={C}", (big,), _float32_rtol(big)),
        Case(f"logits near 1000 with a small spread, C={C}", (near,), _float32_rtol(near)),
        Case(f"float32 logits, C={C}", _f32(_logits(rng, C))),
    ]


def _backward_cases(rng):
    N, C = _sizes(rng)
    k = int(rng.integers(3, 6))

    def pair(shape, z=None):
        z = _logits(rng, shape) if z is None else z
        return softmax(z), rng.normal(0.0, 1.0, shape)

    return [
        Case(f"random p and dp, N={N}, C={C}", pair((N, C))),
        Case(f"a square batch, N = C = {k}", pair((k, k))),
        Case(f"one example, N = 1, C={C}", pair((1, C))),
        Case(f"two classes, C = 2, N={N}", pair((N, 2))),
        Case(f"saturated p (exact 0s and near-1s), N={N}, C={C}", pair((N, C), _large_logits(rng, (N, C)))),
        Case(f"float32 p and dp, N={N}, C={C}", _f32(*pair((N, C)))),
    ]


def _target_cases(rng):
    N, C = _sizes(rng)
    k = int(rng.integers(3, 6))
    soft = _soft_targets(rng, N, C)
    big = _large_logits(rng, (N, C))
    t_big = _soft_targets(rng, N, C)
    near = _near_1000(rng, (N, C))
    t32 = _soft_targets(rng, N, C)
    t1 = _soft_targets(rng, 1, C)
    tk = _soft_targets(rng, k, k)
    return [
        Case(f"one-hot targets, N={N}, C={C}", (_logits(rng, (N, C)), _onehot(rng, N, C))),
        Case(f"soft targets whose rows sum to {_row_sums(soft)}, N={N}, C={C}", (_logits(rng, (N, C)), soft)),
        Case(f"a square batch, N = C = {k}, soft targets", (_logits(rng, (k, k)), tk)),
        Case(f"one example, N = 1, C={C}, targets summing to {_row_sums(t1)}", (_logits(rng, (1, C)), t1)),
        Case(f"two classes, C = 2, N={N}, targets summing to 1", (_logits(rng, (N, 2)), rng.dirichlet([1.0, 1.0], N))),
        Case(
            f"large logits (|z| up to {np.abs(big).max():.0f}), soft targets, N={N}, C={C}",
            (big, t_big),
            _float32_rtol(big),
        ),
        Case(f"logits near 1000 with a small spread, soft targets, N={N}, C={C}", (near, soft), _float32_rtol(near)),
        Case(f"float32 logits and soft targets, N={N}, C={C}", _f32(_logits(rng, (N, C)), t32)),
    ]


def _toy_cases(rng):
    D = int(rng.integers(2, 6))
    C = int(rng.integers(2, 6))
    C = C + 1 if C == D else C

    def draw(D, C, t, large=False):
        if large:
            def one():
                h = rng.integers(1, 5, D) / 2.0 * rng.choice([-1.0, 1.0], D)
                W = rng.integers(-2000, 2001, (D, C)).astype(np.float64)
                return (h, W, t), W.T @ h
            return _separated(rng, one)
        return (rng.normal(0.0, 1.0, D), rng.normal(0.0, 1.0, (D, C)), t)

    t_soft = _soft_targets(rng, 1, C)[0]
    return [
        Case(f"one-hot target, D={D}, C={C}", draw(D, C, np.eye(C)[rng.integers(C)])),
        Case(f"soft target summing to {t_soft.sum():.2f}, D={D}, C={C}", draw(D, C, t_soft)),
        Case(f"square W, D = C = {D}", draw(D, D, _soft_targets(rng, 1, D)[0])),
        Case(f"two classes, C = 2, D={D}", draw(D, 2, _soft_targets(rng, 1, 2)[0])),
        Case(f"large logits (|y| ~ 1e3), D={D}, C={C}", draw(D, C, _soft_targets(rng, 1, C)[0], large=True)),
        Case(f"float32 inputs, D={D}, C={C}", _f32(*draw(D, C, _soft_targets(rng, 1, C)[0]))),
    ]


def _linear_cases(rng):
    N, C = _sizes(rng)
    D = int(rng.integers(2, 6))
    while D in (N, C):
        D += 1

    def draw(N, D, C, t, large=False):
        if large:
            def one():
                X = rng.integers(-4, 5, (N, D)) / 2.0
                W = rng.integers(-600, 601, (C, D)).astype(np.float64)
                b = rng.integers(-200, 201, C) / 2.0
                return (X, W, b, t), X @ W.T + b
            return _separated(rng, one)
        return (rng.normal(0.0, 1.0, (N, D)), rng.normal(0.0, 1.0, (C, D)), rng.normal(0.0, 0.5, C), t)

    soft = _soft_targets(rng, N, C)
    return [
        Case(f"one-hot targets, N={N}, D={D}, C={C}", draw(N, D, C, _onehot(rng, N, C))),
        Case(f"soft targets whose rows sum to {_row_sums(soft)}, N={N}, D={D}, C={C}", draw(N, D, C, soft)),
        Case(f"one example, N = 1, D={D}, C={C}", draw(1, D, C, _soft_targets(rng, 1, C))),
        Case(f"two classes, C = 2, N={N}, D={D}", draw(N, D, 2, _soft_targets(rng, N, 2))),
        Case(f"square W, D = C = {C}, N={N}", draw(N, C, C, _soft_targets(rng, N, C))),
        Case(f"large logits (|z| ~ 1e3), N={N}, D={D}, C={C}", draw(N, D, C, _soft_targets(rng, N, C), large=True)),
        Case(f"float32 inputs, N={N}, D={D}, C={C}", _f32(*draw(N, D, C, _soft_targets(rng, N, C)))),
    ]


def _hidden_cases(rng):
    N, C = _sizes(rng)
    D, H = int(rng.integers(2, 5)), int(rng.integers(3, 7))
    H = H + 1 if H in (D, C) else H
    H = H + 1 if H in (D, C) else H

    def draw(N, D, H, C, t, large=False):
        X, W1, b1 = rng.normal(0.0, 1.0, (N, D)), rng.normal(0.0, 1.0, (H, D)), rng.normal(0.0, 0.5, H)
        if large:
            def one():
                W2 = rng.integers(-3000, 3001, (C, H)).astype(np.float64)
                b2 = rng.normal(0.0, 1.0, C)
                return (X, W1, b1, W2, b2, t), np.tanh(X @ W1.T + b1) @ W2.T + b2
            return _separated(rng, one)
        return (X, W1, b1, rng.normal(0.0, 1.0, (C, H)), rng.normal(0.0, 0.5, C), t)

    soft = _soft_targets(rng, N, C)
    k = int(rng.integers(3, 5))
    return [
        Case(f"one-hot targets, N={N}, D={D}, H={H}, C={C}", draw(N, D, H, C, _onehot(rng, N, C))),
        Case(f"soft targets whose rows sum to {_row_sums(soft)}, N={N}, D={D}, H={H}, C={C}", draw(N, D, H, C, soft)),
        Case(f"one example, N = 1, D={D}, H={H}, C={C}", draw(1, D, H, C, _soft_targets(rng, 1, C))),
        Case(f"two classes, C = 2, N={N}, D={D}, H={H}", draw(N, D, H, 2, _soft_targets(rng, N, 2))),
        Case(f"square weights, D = H = C = {k}, N={N}", draw(N, k, k, k, _soft_targets(rng, N, k))),
        Case(
            f"large logits (|z| ~ 1e3), N={N}, D={D}, H={H}, C={C}",
            draw(N, D, H, C, _soft_targets(rng, N, C), large=True),
        ),
        Case(f"float32 inputs, N={N}, D={D}, H={H}, C={C}", _f32(*draw(N, D, H, C, _soft_targets(rng, N, C)))),
    ]


def _coupled(a, c):
    """A smooth scalar function whose every partial derivative depends on every entry."""

    def f(v):
        v = np.asarray(v)
        return float(np.sin(np.sum(a * v)) ** 2 + np.sum(c * v**3) / 3.0)

    return f


def _difference_cases(rng):
    n = int(rng.integers(4, 7))
    N, C = _sizes(rng)
    t = _soft_targets(rng, N, C)

    def loss(v):
        return float(cross_entropy(np.asarray(v, dtype=np.float64), t))

    def vector_f():
        return _coupled(rng.normal(0.0, 1.0, n), rng.normal(0.0, 1.0, n))

    return [
        Case(f"a coupled function of x with {n} entries, eps = 1e-3", (vector_f(), rng.normal(0.0, 1.0, n), 1e-3)),
        Case(f"cross-entropy of an (N, C) = ({N}, {C}) array of logits, eps = 1e-4", (loss, _logits(rng, (N, C), 1.0), 1e-4)),
        Case("a coarse step, eps = 1e-2", (vector_f(), rng.normal(0.0, 1.0, n), 1e-2)),
        Case(f"float32 x with {n} entries, eps = 1e-3", (vector_f(), rng.normal(0.0, 1.0, n).astype(np.float32), 1e-3)),
        Case(f"integer x with {n} entries, eps = 1e-3", (vector_f(), rng.integers(-2, 3, n), 1e-3)),
    ]


def _smoothing_cases(rng):
    N, C = _sizes(rng)
    k = int(rng.integers(3, 6))
    eps = float(np.round(rng.uniform(0.05, 0.3), 3))
    return [
        Case(f"N={N}, C={C}, eps={eps}", (rng.integers(0, C, N), C, eps)),
        Case(f"two classes, C = 2, N={N}, eps={eps}", (rng.integers(0, 2, N), 2, eps)),
        Case(f"one label, N = 1, C={C}, eps={eps}", (rng.integers(0, C, 1), C, eps)),
        Case(f"no smoothing, eps = 0, N={N}, C={C}", (rng.integers(0, C, N), C, 0.0)),
        Case(f"heavy smoothing, eps = 0.5, N={N}, C={C}", (rng.integers(0, C, N), C, 0.5)),
        Case(f"N = C = {k}, eps={eps}", (rng.integers(0, k, k), k, eps)),
    ]


def _chunk_cases(rng):
    N, _ = _sizes(rng)
    C = int(rng.choice([7, 9, 11]))
    k = int(rng.integers(3, 6))
    ascending = np.sort(_logits(rng, (N, C), 3.0), axis=1)
    big = np.sort(_large_logits(rng, (N, C)), axis=1)
    return [
        Case(f"random logits, N={N}, C={C}, chunk=3 (a shorter last block)", (_logits(rng, (N, C)), 3)),
        Case(f"chunk=1, N={N}, C={C}", (_logits(rng, (N, C)), 1)),
        Case(f"one block wider than C, chunk={C + 2}, N={N}", (_logits(rng, (N, C)), C + 2)),
        Case(f"rows that grow left to right (the maximum rises in every block), chunk=2, C={C}", (ascending, 2)),
        Case(f"large growing logits (up to {np.abs(big).max():.0f}), chunk=2, N={N}, C={C}", (big, 2)),
        Case(f"one example, N = 1, C={C}, chunk=4", (_logits(rng, (1, C)), 4)),
        Case(f"a square batch, N = C = {k}, chunk=2", (_logits(rng, (k, k)), 2)),
        Case(f"float32 logits, N={N}, C={C}, chunk=3", (_logits(rng, (N, C)).astype(np.float32), 3)),
    ]


# ---------------------------------------------------------------------------
# Expected outputs, from the package's tested functions in float64.
# ---------------------------------------------------------------------------


def _f64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def _ref_toy(h, W, t):
    h, W, t = _f64(h, W, t)
    return (np.outer(h, cross_entropy_grad(W.T @ h, t)),)


def _ref_linear(X, W, b, t):
    X, W, b, t = _f64(X, W, b, t)
    dz = cross_entropy_grad(X @ W.T + b, t)
    return dz.T @ X, dz.sum(axis=0)


def _ref_hidden(X, W1, b1, W2, b2, t):
    X, W1, b1, W2, b2, t = _f64(X, W1, b1, W2, b2, t)
    a = np.tanh(X @ W1.T + b1)
    dz = cross_entropy_grad(a @ W2.T + b2, t)
    du = (dz @ W2) * (1 - a**2)
    return du.T @ X, du.sum(axis=0), dz.T @ a, dz.sum(axis=0)


def _ref_smoothing(labels, C, eps):
    return ((1 - eps) * np.eye(C)[np.asarray(labels)] + eps / C,)


def _ref_logsumexp(z, chunk):
    z = np.asarray(z, dtype=np.float64)
    m = z.max(axis=1)
    return (m + np.log(np.sum(np.exp(z - m[:, None]), axis=1)),)


_EXERCISES = [
    Exercise("softmax", "my_softmax", "book/01_puzzle.md", "my_softmax(z), z of shape (N, C) -> (N, C)", ("p",),
             _logit_cases, lambda z: (softmax(np.asarray(z, np.float64)),)),
    Exercise("softmax_jacobian", "my_softmax_jacobian", "book/02_quotient_rule.md",
             "my_softmax_jacobian(z), z of shape (C,) -> (C, C)", ("J",),
             _jacobian_cases, lambda z: (softmax_jacobian(np.asarray(z, np.float64)),)),
    Exercise("log_softmax", "my_log_softmax", "book/03_kronecker_delta.md",
             "my_log_softmax(z), z of shape (N, C) -> (N, C)", ("log_p",),
             _logit_cases, lambda z: (log_softmax(np.asarray(z, np.float64)),)),
    Exercise("toy_network_grads", "my_toy_network_grads", "book/04_toy_network.md",
             "my_toy_network_grads(h, W, t), h (D,), W (D, C), t (C,) -> dE/dW (D, C)", ("dW",),
             _toy_cases, _ref_toy),
    Exercise("linear_softmax_grads", "my_linear_softmax_grads", "book/05_matrix_form.md",
             "my_linear_softmax_grads(X, W, b, t), X (N, D), W (C, D), b (C,), t (N, C) -> (dW (C, D), db (C,))",
             ("dW", "db"), _linear_cases, _ref_linear),
    Exercise("softmax_backward", "my_softmax_backward", "book/06_backward_any_loss.md",
             "my_softmax_backward(p, dp), both (N, C) -> dz (N, C)", ("dz",),
             _backward_cases, lambda p, dp: (softmax_backward(*_f64(p, dp)),)),
    Exercise("cross_entropy_grad", "my_cross_entropy_grad", "book/07_fused_vs_separate.md",
             "my_cross_entropy_grad(z, t), both (N, C) -> dL/dz (N, C)", ("dz",),
             _target_cases, lambda z, t: (cross_entropy_grad(*_f64(z, t)),)),
    Exercise("cross_entropy", "my_cross_entropy", "book/08_stability.md",
             "my_cross_entropy(z, t), both (N, C) -> the mean loss, a scalar", ("loss",),
             _target_cases, lambda z, t: (np.asarray(cross_entropy(*_f64(z, t))),)),
    Exercise("central_difference", "my_central_difference", "book/09_gradient_checking.md",
             "my_central_difference(f, x, eps) -> float64 array shaped like x", ("gradient",),
             _difference_cases, lambda f, x, eps: (numerical_gradient(f, np.asarray(x, np.float64), eps),),
             require_float64=True, rtol=1e-7, atol=1e-9, agree_rtol=1e-6, agree_atol=1e-8),
    Exercise("label_smoothing", "my_label_smoothing", "book/10_beyond_one_hot.md",
             "my_label_smoothing(labels, C, eps), labels int (N,) -> (N, C)", ("t",),
             _smoothing_cases, _ref_smoothing),
    Exercise("hidden_layer_grads", "my_hidden_layer_grads", "book/11_training.md",
             "my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))",
             ("dW1", "db1", "dW2", "db2"), _hidden_cases, _ref_hidden),
    Exercise("chunked_logsumexp", "my_chunked_logsumexp", "book/12_cost.md",
             "my_chunked_logsumexp(z, chunk), z (N, C), int chunk -> (N,)", ("lse",),
             _chunk_cases, _ref_logsumexp),
]

#: The implementation exercises, by id.
EXERCISES = {ex.id: ex for ex in _EXERCISES}


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
    """The per-case time limit in seconds, or None for no limit."""
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
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"{source} must be a number of seconds, got {type(timeout).__name__}")
    if not timeout > 0:
        raise ValueError(f"{source} must be a positive number of seconds, got {timeout!r}")
    return None if math.isinf(timeout) else float(timeout)


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
# Running a function and judging what it returned.
# ---------------------------------------------------------------------------


class _Invalid(Exception):
    """The function returned something that is not the arrays asked for."""


@dataclass
class _Outcome:
    arrays: list | None = None
    error: BaseException | None = None
    invalid: str | None = None
    timed_out: bool = False


def _fresh(args):
    """Copies of the array arguments, so no call can see another's in-place edits."""
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def _describe(obj):
    if isinstance(obj, np.ndarray):
        return f"an array of shape {obj.shape}"
    return f"a {type(obj).__name__}"


def _coerce(out, ex):
    n = len(ex.outputs)
    if out is None:
        raise _Invalid("returned None (is a `return` statement missing?)")
    if n > 1:
        if not isinstance(out, (tuple, list)) or len(out) != n:
            raise _Invalid(f"should return {n} arrays ({', '.join(ex.outputs)}); it returned {_describe(out)}")
        parts = list(out)
    else:
        parts = [out]
    arrays = []
    for name, part in zip(ex.outputs, parts):
        if part is None:
            raise _Invalid(f"returned None for {name}")
        try:
            raw = np.asarray(part)
        except Exception as exc:  # ragged nested lists and the like
            raise _Invalid(f"{name} is not an array of numbers ({exc})") from None
        if raw.dtype.kind not in "iuf":
            raise _Invalid(f"{name} is not an array of real numbers (it has dtype {raw.dtype})")
        if ex.require_float64 and raw.dtype != np.float64:
            raise _Invalid(f"{name} has dtype {raw.dtype}; the exercise asks for a float64 array")
        arrays.append(raw.astype(np.float64))
    return arrays


def _run(fn, args, ex):
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


def _judge_output(out, ex):
    try:
        return _Outcome(arrays=_coerce(out, ex))
    except _Invalid as bad:
        return _Outcome(invalid=str(bad))


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
    scale = max(float(np.max(np.abs(e), initial=0.0)), 1.0)
    return np.abs(a - e) <= rtol * np.abs(e) + atol * scale


def _array_problem(name, a, e, ex, rtol):
    """What is wrong with one returned array, in words; None if it is right."""
    a = _shape_like(a, e)
    if a.shape != e.shape:
        return f"{name} has shape {a.shape}; expected {e.shape}"
    bad = ~np.isfinite(a)
    if bad.any():
        kinds = " and ".join(k for k, m in (("NaN", np.isnan(a)), ("inf", np.isinf(a))) if m.any())
        return f"{name} contains {kinds} at {int(bad.sum())} of {a.size} entries"
    ok = _close(a, e, rtol, ex.atol)
    if ok.all():
        return None
    if a.ndim == 0:
        return f"{name} is {float(a):.6g}; expected {float(e):.6g}"
    i = np.unravel_index(int(np.argmax(np.abs(a - e) * ~ok)), a.shape)
    return (
        f"{name} differs from the expected values in {int((~ok).sum())} of {a.size} entries; "
        f"the worst is at index {tuple(int(v) for v in i)}: got {a[i]:.6g}, expected {e[i]:.6g}"
    )


def _problems(outcome, expected, ex, case):
    """What is wrong with one outcome: ``(summary or None, [per-array problem or None])``."""
    if outcome.error is not None:
        err = outcome.error
        if isinstance(err, SystemExit):
            return f"it called sys.exit() (SystemExit: {err})", []
        return f"it raised {type(err).__name__}: {err}", []
    if outcome.invalid is not None:
        return f"it {outcome.invalid}", []
    rtol = max(ex.rtol, case.rtol or 0.0)
    parts = [_array_problem(n, a, e, ex, rtol) for n, a, e in zip(ex.outputs, outcome.arrays, expected)]
    found = [p for p in parts if p is not None]
    return ("; ".join(found) if found else None), parts


def _agrees(a, b, ex, case):
    """Does array ``a`` (the learner's) agree with ``b`` (a wrong variant's)?

    Shapes must match; where ``b`` is NaN or inf, ``a`` must be non-finite
    too (any kind: implementations of the same overflow differ in whether
    they give NaN or inf); elsewhere the values must be close.
    """
    a = _shape_like(a, b)
    if a.shape != b.shape:
        return False
    fin = np.isfinite(b)
    if np.isfinite(a[~fin]).any() or not np.isfinite(a[fin]).all():
        return False
    if not fin.any():
        return True
    rtol = max(ex.agree_rtol, case.rtol or 0.0)
    return bool(_close(a[fin], b[fin], rtol, ex.agree_atol).all())


# ---------------------------------------------------------------------------
# Diagnosis.
# ---------------------------------------------------------------------------


def _compare_with(wrong, ex, cases, outcomes, parts, expected):
    """Run ``wrong`` on every case; return ``(full, score)``.

    ``full``: it reproduces the learner's outcome everywhere. ``score``: the
    number of the learner's wrong arrays it reproduces, counting only arrays
    that are wrong for it too (a shared right answer is no clue).
    """
    full, score = True, 0
    for case, mine, my_parts, exp in zip(cases, outcomes, parts, expected):
        theirs = _run(wrong.fn, case.args, ex)
        if mine.error is not None or theirs.error is not None:
            full = full and type(mine.error) is type(theirs.error)
            continue
        if mine.arrays is None or theirs.arrays is None:
            full = False
            continue
        rtol = max(ex.rtol, case.rtol or 0.0)
        for k, (a, b) in enumerate(zip(mine.arrays, theirs.arrays)):
            same = _agrees(a, b, ex, case)
            full = full and same
            their_problem = _array_problem(ex.outputs[k], b, exp[k], ex, rtol)
            if same and my_parts[k] is not None and their_problem is not None:
                score += 1
    return full, score


def _diagnose(ex, cases, outcomes, parts, expected):
    """Which catalogued mistake explains the failures?

    A wrong implementation that reproduces the learner's function on every
    case (the same exception type where it raises, the same numbers
    elsewhere) is the diagnosis. Failing that, the one that reproduces the
    most wrong arrays wins: the learner may make two mistakes at once.
    Agreeing on an exception alone is too weak a clue for that.

    Returns ``(mistake_id, full)``, or None when nothing matches.
    """
    best, best_score = None, 0
    for wrong in _catalogue.wrong_implementations(ex.id):
        full, score = _compare_with(wrong, ex, cases, outcomes, parts, expected)
        if full:
            return wrong.mistake, True
        if score > best_score:
            best, best_score = wrong.mistake, score
    return (best, False) if best is not None else None


def fingerprints(exercise, *, seed=0):
    """How each catalogued wrong implementation fares on each case of a check.

    A mistake can only be named if its pattern over the cases differs from
    every other mistake's; this shows the patterns (see :ref:`mistakes`).

    Parameters
    ----------
    exercise : str
        An exercise id.
    seed : int
        Seed of the random inputs.

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
    cases = ex.cases(np.random.default_rng(seed))
    expected = [ex.reference(*_fresh(case.args)) for case in cases]
    rows = []
    for wrong in _catalogue.wrong_implementations(ex.id):
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


def _get(exercise):
    if exercise not in EXERCISES:
        raise ValueError(f"unknown exercise {exercise!r}; the exercises are: {', '.join(EXERCISES)}")
    return EXERCISES[exercise]


TARGET_FORMS = ("probabilities", "labels")


def _printed(capture):
    lines, count = capture.finish()
    if not count:
        return []
    head = f"It printed {count} line{'s' if count != 1 else ''}"
    head += ":" if count <= len(lines) else f"; the first {len(lines)}:"
    return [head] + [f"    {line}" for line in lines]


def check(exercise, fn, *, seed=None, targets=None, timeout=None):
    """Check a learner's implementation of one of the book's exercises.

    ``fn`` is run on fresh random inputs (new ones on every call) and on
    edge cases: large logits, soft targets whose rows do not sum to 1,
    N != C, C = 2, N = 1 and float32 inputs. Its results are compared with
    the package's own functions, computed in float64, with a tolerance that
    admits float32 arithmetic inside ``fn``; results may be lists or arrays.
    When it fails, the catalogue's wrong implementations are run on the same
    inputs to name the mistake (see :ref:`mistakes`).

    Each case runs with a time limit, and whatever ``fn`` prints is captured
    and shown, briefly, in the verdict. An exception from ``fn``, even
    ``SystemExit``, fails the case; it never ends the check.

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
        For exercises that take targets: rows of probabilities ``(N, C)``
        or integer labels ``(N,)``. The default is the exercise's own form.
    timeout : float, optional
        Seconds each case may take; by default the environment variable
        ``DERIVATIONS_CHECK_TIMEOUT``, or 5.

    Returns
    -------
    CheckResult
        Displays as a verdict in a notebook; ``.passed``, ``.mistake``,
        ``.message``, ``.timed_out`` and ``.not_implemented`` hold the details.

    Examples
    --------
    >>> check("softmax", lambda z: softmax(z)).passed
    True
    >>> r = check("cross_entropy_grad", lambda z, t: (softmax(z) - t) / len(z))
    >>> r.passed, r.mistake
    (False, 'assumes-one-hot')
    >>> print(check("softmax", lambda z: None).message.splitlines()[1])
    On random logits, N=..., C=...: it returned None (is a `return` statement missing?).
    """
    ex = _get(exercise)
    if not callable(fn):
        raise TypeError(f"check needs the function itself (e.g. {ex.function}), got {type(fn).__name__}")
    if targets is not None and targets not in TARGET_FORMS:
        raise ValueError(f"targets={targets!r}; the allowed values are {', '.join(map(repr, TARGET_FORMS))}")
    if targets == "labels":
        raise ValueError(f"the exercise {ex.id!r} does not take targets as labels")
    limit = _timeout_seconds(timeout)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1, np.uint32)[0])
    rng = np.random.default_rng(seed)
    cases = ex.cases(rng)
    name = getattr(fn, "__name__", ex.function)
    capture = _Capture()

    outcomes = []
    for case in cases:
        outcome = _run_learner(fn, case.args, ex, limit, capture)
        if isinstance(outcome.error, NotImplementedError):
            lines = [f"✗ {name} is {NOT_IMPLEMENTED}."] + _printed(capture)
            return CheckResult(False, None, "\n".join(lines), ex.id, seed, not_implemented=True)
        if outcome.timed_out:
            lines = [
                f"✗ {name} hit the time limit: it ran for more than {limit:g} s on {case.name}.",
                "Is there a loop that never ends? To allow more time, pass "
                f"check({ex.id!r}, {name}, timeout=...) or set {TIMEOUT_VARIABLE}.",
            ] + _printed(capture)
            lines.append(f"The inputs are random; check({ex.id!r}, {name}, seed={seed}) repeats these ones.")
            return CheckResult(False, None, "\n".join(lines), ex.id, seed, timed_out=True)
        outcomes.append(outcome)
    expected = [ex.reference(*_fresh(case.args)) for case in cases]
    judged = [_problems(o, e, ex, case) for o, e, case in zip(outcomes, expected, cases)]
    problems = [summary for summary, _ in judged]
    failing = [i for i, p in enumerate(problems) if p is not None]
    if not failing:
        names = "; ".join(case.name for case in cases)
        lines = [f"✓ {name} passed all {len(cases)} cases on fresh random inputs.", f"Cases: {names}."]
        return CheckResult(True, None, "\n".join(lines + _printed(capture)), ex.id, seed)

    first = failing[0]
    lines = [f"✗ {name} is not right yet.", f"On {cases[first].name}: {problems[first]}."]
    if len(failing) > 1:
        others = "; ".join(cases[i].name for i in failing[1:])
        lines.append(f"It also fails on {len(failing) - 1} more of the {len(cases)} cases: {others}.")
    else:
        lines.append(f"It passes the other {len(cases) - 1} cases.")
    diagnosis = _diagnose(ex, cases, outcomes, [p for _, p in judged], expected)
    mistake = None
    if diagnosis is not None:
        mistake, full = diagnosis
        m = _catalogue.MISTAKES[mistake]
        how = "It behaves exactly like" if full else "Part of the failure matches"
        lines.append(f"{how} the known mistake [{mistake}] ({m.title}): {m.text}")
        if not full:
            lines.append("There may be a second problem as well.")
        lines.append(f"Read why: {m.chapter}, section {{ref}}`{m.label}` - {m.url()}")
    else:
        lines.append(
            f"No catalogued mistake matches. Signature: {ex.signature}. "
            f"The derivation is in {ex.chapter}: {ex.chapter_url()}"
        )
    lines += _printed(capture)
    lines.append(f"The inputs are random; check({ex.id!r}, {name}, seed={seed}) repeats these ones.")
    return CheckResult(False, mistake, "\n".join(lines), ex.id, seed)
