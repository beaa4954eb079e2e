"""Input generators shared by the exercises' cases.

Every generator draws from the ``rng`` it is given, so each call of
``check`` sees new numbers. Values that must survive float32 are multiples
of a power of two small enough to be exact there, so that a correct
float32 implementation meets the same numbers as the float64 reference.
"""

import numpy as np

from derivations.coursework.exercises.base import Case


def sizes(rng):
    """A batch size and a class count that differ, so axis mix-ups show."""
    C = int(rng.integers(3, 8))
    N = int(rng.integers(2, 7))
    return (N + 1 if N == C else N), C


def logits(rng, shape, scale=2.0):
    return rng.normal(0.0, scale, shape)


def shape_cases(rng, N, C, k, M, more=None):
    """Moderate logits in the shapes that catch axis and size mistakes.

    N x C, a square k x k batch (where a mix-up of N and C broadcasts
    silently), one example, one class, two classes, and many (M) classes.
    ``more(n, c)``, if given, draws the case's further arguments (targets,
    say) after its logits, as a tuple.
    """
    shapes = [
        (f"random logits, N={N}, C={C}", (N, C)),
        (f"a square batch, N = C = {k}", (k, k)),
        (f"one example, N = 1, C={C}", (1, C)),
        (f"one class, C = 1, N={N}", (N, 1)),
        (f"two classes, C = 2, N={N}", (N, 2)),
        (f"many classes, C={M}, N={N}", (N, M)),
    ]
    # one case at a time, logits first: the draws come in the order they always have
    return [Case(name, (logits(rng, shape), *(more(*shape) if more else ()))) for name, shape in shapes]


def large_logits(rng, shape):
    """Logits of size 1e3..1e4 with a near tie for the maximum in each row.

    Multiples of 1/8 below 2^14 are exact in float32. The near tie gives
    each row two non-trivial probabilities, and the wide spread makes the
    smallest ones underflow to exactly 0.
    """
    z = rng.integers(-8000, 8001, size=shape) + rng.integers(0, 8, size=shape) / 8.0
    rows = z.reshape(-1, shape[-1])
    if shape[-1] >= 2:
        for row in rows:
            j = int(np.argmax(row))
            k = (j + 1 + int(rng.integers(0, shape[-1] - 1))) % shape[-1]
            row[k] = row[j] - rng.integers(1, 24) / 8.0
    return z


def near(rng, shape, centre, spread=4.0):
    """Logits within ``spread`` of ``centre``, multiples of 1/64 (exact in float32)."""
    k = int(spread * 64)
    return centre + rng.integers(-k, k + 1, size=shape) / 64.0


def near_1000(rng, shape):
    """Logits within 4 of 1000.

    exp overflows without the max shift, but no probability underflows, so
    this separates a missing shift from a log of an underflowed softmax.
    """
    return near(rng, shape, 1000.0)


def split_maxima(rng, N, C):
    """Rows around +400 and around -400, at least one of each (N >= 2).

    Nothing overflows exp and no probability underflows, but the row maxima
    differ by about 800: a shift by the maximum of the whole batch leaves
    the low rows at about -800, where exp underflows to 0 and 0 / 0 is NaN.
    """
    signs = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
    rng.shuffle(signs)
    return near(rng, (N, C), 0.0) + 400.0 * signs[:, None]


def one_far_below(rng, N, C, classes=None):
    """Moderate logits, except that in each row one class sits 800 below the maximum.

    Its probability underflows to exactly 0, so ``log(softmax(z))`` is -inf
    there, ``log(p + 1e-7)`` is about -16 instead of about -800, and -t/p
    divides by zero. ``classes`` picks the low class of each row (random
    by default).
    """
    z = near(rng, (N, C), 0.0, spread=3.0)
    k = rng.integers(0, C, N) if classes is None else np.asarray(classes)
    z[np.arange(N), k] = z.max(axis=1) - 800.0
    return z


def far_negative(rng, shape):
    """Logits all within 4 of -800: every exp underflows unless the row maximum is subtracted."""
    return near(rng, shape, -800.0)


def soft_targets(rng, N, C):
    """Positive targets whose rows sum to 0.3..0.8 or 1.3..2.5, never 1."""
    t = rng.uniform(0.05, 1.0, (N, C))
    sums = np.where(rng.random(N) < 0.5, rng.uniform(0.3, 0.8, N), rng.uniform(1.3, 2.5, N))
    return t * (sums / t.sum(axis=1))[:, None]


def labels(rng, N, C, *, absent=(), dtype=np.int64):
    """Integer labels in 0..C-1 (avoiding the ``absent`` classes), each allowed class used once if N allows."""
    allowed = np.array([c for c in range(C) if c not in set(absent)])
    y = rng.choice(allowed, N)
    if N >= len(allowed):  # every allowed class present, in random places
        y[rng.permutation(N)[: len(allowed)]] = allowed
    return y.astype(dtype)


def onehot(y, C):
    """Rows of the C x C identity picked by the integer labels ``y``: one-hot targets (N, C)."""
    return np.eye(C)[np.asarray(y)]


def onehot_targets(rng, N, C, *, absent=()):
    """One-hot rows for random labels."""
    return onehot(labels(rng, N, C, absent=absent), C)


def row_sums(t):
    s = np.atleast_2d(t).sum(axis=-1)
    return f"{s.min():.2f}" if s.size == 1 else f"{s.min():.2f}..{s.max():.2f}"


def separated(rng, draw, min_gap=30.0, min_top=800.0, tries=2000):
    """Redraw large-logit inputs until each row's largest logit overflows exp
    (above ``min_top``) and beats the runner-up by ``min_gap``.

    ``draw()`` returns ``(args, z)``. Then exp(z) without the max shift is
    inf in every row, every probability except the largest is below
    exp(-30), and the rounding of a float32 implementation cannot move the
    gradient.
    """
    for _ in range(tries):
        args, z = draw()
        top2 = np.sort(np.atleast_2d(z), axis=-1)[:, -2:]
        if np.all(top2[:, 1] - top2[:, 0] >= min_gap) and np.all(top2[:, 1] >= min_top):
            return args
    return args


def f32(*arrays):
    """float arrays as float32; integer arrays and other values unchanged."""
    return tuple(
        a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in arrays
    )


def float32_rtol(z):
    """Relative tolerance for probabilities from logits of this size in float32."""
    return max(1e-4, 2e-6 * float(np.max(np.abs(z))))


def as_float64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def targets_for(rng, N, C, targets, kind="soft", *, absent=()):
    """Targets for N rows of C classes in the requested form.

    ``targets="labels"`` gives integer labels (N,); otherwise ``kind`` picks
    ``"soft"`` rows (never summing to 1) or ``"onehot"`` rows.
    """
    if targets == "labels":
        return labels(rng, N, C, absent=absent)
    if kind == "onehot":
        return onehot_targets(rng, N, C, absent=absent)
    return soft_targets(rng, N, C)


def labels_to_onehot(args, position, classes):
    """``args`` with the integer labels at ``position`` replaced by one-hot rows.

    ``classes(args)`` says how many classes there are.
    """
    args = list(args)
    args[position] = onehot(args[position], classes(args))
    return tuple(args)


#: The target forms of the exercises that take a batch with targets, as the
#: verdicts describe them (``targets=`` of :func:`derivations.coursework.engine.check`).
BATCH_TARGETS = {
    "probabilities": "t is an (N, C) float array of non-negative target weights; rows need not sum to 1",
    "labels": "t is an (N,) integer array of class labels in 0..C-1",
}
