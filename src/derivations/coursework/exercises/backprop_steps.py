"""Exercise of chapter 16: ``my_backprop_steps(z, y)``, the gradient of every intermediate.

Posed in :ref:`backprop-by-operation`.

The forward pass is the nine-step chain of :mod:`derivations.teaching.elementary`;
the learner returns the gradients of the loss with respect to eight of its
intermediates, in the order the backward pass reaches them, so that a
verdict names the first step that went wrong.
"""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.teaching.elementary import backprop_steps

ID = "backprop_steps"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "reciprocal-sign",
        "Reciprocal's derivative without its minus",
        r"The derivative of $r = 1/s$ is $-1/s^2$, so $ds = -dr/s^2$; without the minus the gradient "
        r"through the softmax denominator points the wrong way.",
        "backprop-local-derivatives",
    ),
    Mistake(
        "one-path-into-e",
        "One path into e",
        r"$e$ feeds both $p = e\,r$ and $s = \sum_c e_c$, so its gradient adds two contributions, "
        r"$de = dp\,r + ds$; keeping only the first drops the way every class moves the denominator.",
        "two-paths-into-e",
    ),
    Mistake(
        "broadcast-not-summed",
        "Broadcast gradient not summed",
        r"An $(N, 1)$ array that the forward pass broadcasts across the classes (such as $m$ or $r$) gets "
        r"the upstream gradient summed over that axis, `.sum(1, keepdims=True)`; left unsummed it has "
        r"shape $(N, C)$ and the wrong numbers.",
        "broadcast-sum",
    ),
    Mistake(
        "pick-whole-columns",
        "Indexing backward by whole columns",
        r"The backward of `logp[np.arange(N), y]` puts `dpicked[n]` at entry $(n, y_n)$ only; "
        r"`dlogp[:, y]` fills every row at every label of the batch.",
        "backprop-indexing",
    ),
]

#: What the function returns, in order.
OUTPUTS = ("dlogp", "dp", "dr", "ds", "de", "dzs", "dm", "dz")


def repeated_labels(rng, N, C):
    """N >= 4 labels that use only two classes, each at least twice."""
    a, b = (int(c) for c in rng.choice(C, 2, replace=False))
    y = np.array([a, a, b, b] + [int(rng.choice([a, b])) for _ in range(N - 4)])
    return y[rng.permutation(N)]


def cases(rng):
    """Random, N = 1, C = 1, more than 8 classes, logits near 1000, repeated labels, float32."""
    N, C = inp.sizes(rng)
    M = int(rng.integers(9, 13))
    R = int(rng.integers(4, 8))

    def z(n, c):
        return inp.logits(rng, (n, c))

    return [
        Case(f"random logits, N={N}, C={C}", (z(N, C), inp.labels(rng, N, C))),
        Case(f"one example, N = 1, C={C}", (z(1, C), inp.labels(rng, 1, C))),
        Case(f"one class, C = 1, N={N}", (z(N, 1), np.zeros(N, dtype=np.int64))),
        Case(f"many classes, C={M}, N={N}", (z(N, M), inp.labels(rng, N, M))),
        Case(f"logits near 1000, N={N}, C={C}", (inp.near_1000(rng, (N, C)), inp.labels(rng, N, C))),
        Case(f"repeated labels (two classes only), N={R}, C={C}", (z(R, C), repeated_labels(rng, R, C))),
        Case(f"float32 logits, int32 labels, N={N}, C={C}",
             inp.f32(z(N, C)) + (inp.labels(rng, N, C, dtype=np.int32),)),
    ]


def reference(z, y):
    g = backprop_steps(np.asarray(z, np.float64), y)
    return tuple(g[name] for name in OUTPUTS)


def _steps(z, y, *, shift=True, scale=1.0, pick_columns=False, second_path=True, sum_dr=True,
           reciprocal_sign=-1.0, sum_dm=True):
    """The chain of the chapter in float64, with one knob per mistake."""
    z = np.asarray(z, np.float64)
    N = z.shape[0]
    rows = np.arange(N)
    m = z.max(axis=1, keepdims=True) if shift else np.zeros((N, 1))
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    r = 1 / s
    p = e * r
    dpicked = np.full(N, -scale / N)
    dlogp = np.zeros_like(z)
    if pick_columns:
        dlogp[:, y] = dpicked
    else:
        dlogp[rows, y] = dpicked
    dp = dlogp / p
    dr = (dp * e).sum(axis=1, keepdims=True) if sum_dr else dp * e
    ds = reciprocal_sign * dr / s**2
    de = dp * r + (ds if second_path else 0.0)
    dzs = de * e
    dm = -dzs.sum(axis=1, keepdims=True) if sum_dm else -dzs
    dz = dzs.copy()
    if sum_dm:
        dz[rows, z.argmax(axis=1)] += dm[:, 0]
    else:
        dz[rows, z.argmax(axis=1)] += dm[rows, z.argmax(axis=1)]
    return dlogp, dp, dr, ds, de, dzs, dm, dz


@wrong(ID, "one-path-into-e")
def backprop_steps_one_path(z, y):
    """de = dp * r only: the path from e through s to the loss is left out."""
    return _steps(z, y, second_path=False)


@wrong(ID, "broadcast-not-summed")
def backprop_steps_dr_not_summed(z, y):
    """dr = dp * e, (N, C), not summed over the classes that r was broadcast across."""
    return _steps(z, y, sum_dr=False)


@wrong(ID, "broadcast-not-summed")
def backprop_steps_dm_not_summed(z, y):
    """dm = -dzs, (N, C): each row's maximum receives only its own entry's share."""
    return _steps(z, y, sum_dm=False)


@wrong(ID, "reciprocal-sign")
def backprop_steps_reciprocal_plus(z, y):
    """ds = dr / s**2: the derivative of 1/s without its minus sign."""
    return _steps(z, y, reciprocal_sign=1.0)


@wrong(ID, "pick-whole-columns")
def backprop_steps_columns(z, y):
    """dlogp[:, y] = dpicked: every row gets a gradient at every label of the batch."""
    return _steps(z, y, pick_columns=True)


@wrong(ID, "missing-batch-mean")
def backprop_steps_no_mean(z, y):
    """dpicked = -1: the gradient of the summed loss."""
    return _steps(z, y, scale=z.shape[0])


@wrong(ID, "no-max-shift")
def backprop_steps_no_shift(z, y):
    """e = exp(z) with m = 0: overflows for logits above about 709."""
    return _steps(z, y, shift=False)


EXERCISE = Exercise(
    ID, "my_backprop_steps", "backprop-by-operation",
    "my_backprop_steps(z, y), z (N, C) logits, y (N,) integer labels -> "
    "(dlogp, dp, dr, ds, de, dzs, dm, dz), each the shape of its intermediate",
    OUTPUTS, cases, reference,
)


def backprop_steps_vectorised(z, y):
    """A learner's backward pass, one line per intermediate."""
    z = np.asarray(z, dtype=float)
    N = z.shape[0]
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    r = 1 / s
    p = e * r
    dlogp = np.zeros_like(p)
    dlogp[np.arange(N), y] = -1 / N
    dp = dlogp / p
    dr = (dp * e).sum(axis=1, keepdims=True)
    ds = -dr / s**2
    de = dp * r + ds
    dzs = de * e
    dm = -dzs.sum(axis=1, keepdims=True)
    dz = dzs + (z == m) * dm / (z == m).sum(axis=1, keepdims=True)  # ties share dm
    return dlogp, dp, dr, ds, de, dzs, dm, dz


def backprop_steps_loops(z, y):
    """A learner's backward pass with loops over the rows, in the dtype of z."""
    z = np.asarray(z)
    N, C = z.shape
    out = [np.zeros((N, C)), np.zeros((N, C)), np.zeros((N, 1)), np.zeros((N, 1)),
           np.zeros((N, C)), np.zeros((N, C)), np.zeros((N, 1)), np.zeros((N, C))]
    dlogp, dp, dr, ds, de, dzs, dm, dz = out
    for n in range(N):
        j = int(np.argmax(z[n]))
        e = np.exp(z[n] - z[n, j])
        s = e.sum()
        p = e / s
        dlogp[n, y[n]] = -1.0 / N
        dp[n] = dlogp[n] / p
        dr[n] = np.dot(dp[n], e)
        ds[n] = -dr[n] / (s * s)
        de[n] = dp[n] / s + ds[n]
        dzs[n] = de[n] * e
        dm[n] = -dzs[n].sum()
        dz[n] = dzs[n]
        dz[n, j] += dm[n, 0]
    return tuple(out)


CORRECT = [backprop_steps_vectorised, backprop_steps_loops]
