"""Exercise of chapter 12: ``my_chunked_logsumexp(z, chunk)``, log-sum-exp one block of classes at a time.

Posed in :ref:`what-it-costs`.
"""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises.base import Case, Exercise, wrong

ID = "chunked_logsumexp"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "chunk-no-rescale",
        "Running sum not rescaled",
        r"When a new block raises the running maximum from $m$ to $m'$, the running sum, taken relative "
        r"to $m$, must be multiplied by $e^{m - m'}$ before the block's terms are added.",
        "what-it-costs",
    ),
    Mistake(
        "chunk-drops-remainder",
        "Last block dropped",
        r"When $C$ is not a multiple of the block width, the last, narrower block must still be scanned.",
        "what-it-costs",
    ),
]


def cases(rng):
    N, _ = inp.sizes(rng)
    C = int(rng.choice([7, 9, 11]))
    k = int(rng.integers(3, 6))
    ascending = np.sort(inp.logits(rng, (N, C), 3.0), axis=1)
    big = np.sort(inp.large_logits(rng, (N, C)), axis=1)
    return [
        Case(f"random logits, N={N}, C={C}, chunk=3 (a shorter last block)", (inp.logits(rng, (N, C)), 3)),
        Case(f"chunk=1, N={N}, C={C}", (inp.logits(rng, (N, C)), 1)),
        Case(f"one block wider than C, chunk={C + 2}, N={N}", (inp.logits(rng, (N, C)), C + 2)),
        Case(f"rows that grow left to right (the maximum rises in every block), chunk=2, C={C}", (ascending, 2)),
        Case(f"large growing logits (up to {np.abs(big).max():.0f}), chunk=2, N={N}, C={C}", (big, 2)),
        Case(f"one example, N = 1, C={C}, chunk=4", (inp.logits(rng, (1, C)), 4)),
        Case(f"a square batch, N = C = {k}, chunk=2", (inp.logits(rng, (k, k)), 2)),
        Case(f"float32 logits, N={N}, C={C}, chunk=3", (inp.logits(rng, (N, C)).astype(np.float32), 3)),
    ]


def reference(z, chunk):
    z = np.asarray(z, dtype=np.float64)
    m = z.max(axis=1)
    return (m + np.log(np.sum(np.exp(z - m[:, None]), axis=1)),)


def _blocks(C, chunk, keep_remainder=True):
    stop = C if keep_remainder else C - C % chunk
    return [slice(j, min(j + chunk, C)) for j in range(0, stop, chunk)]


@wrong(ID, "no-max-shift")
def chunked_no_max_shift(z, chunk):
    """Sums exp(z) block by block with no running maximum."""
    s = np.zeros(z.shape[0], dtype=z.dtype)
    for cols in _blocks(z.shape[1], chunk):
        s = s + np.sum(np.exp(z[:, cols]), axis=1)
    return np.log(s)


def _online(z, chunk, *, rescale=True, keep_remainder=True):
    m = np.full(z.shape[0], -np.inf)
    s = np.zeros(z.shape[0])
    for cols in _blocks(z.shape[1], chunk, keep_remainder):
        block = z[:, cols]
        m_new = np.maximum(m, block.max(axis=1))
        if rescale:
            s = s * np.exp(m - m_new)
        s = s + np.sum(np.exp(block - m_new[:, None]), axis=1)
        m = m_new
    return m + np.log(s)


@wrong(ID, "chunk-no-rescale")
def chunked_no_rescale(z, chunk):
    """Raises the running maximum without rescaling the running sum."""
    return _online(z, chunk, rescale=False)


@wrong(ID, "chunk-drops-remainder")
def chunked_drops_tail(z, chunk):
    """Scans only the C // chunk full blocks."""
    return _online(z, chunk, keep_remainder=False)


@wrong(ID, "wrong-axis")
def chunked_over_batch(z, chunk):
    """Log-sum-exp of each column, over the batch."""
    return _online(np.asarray(z).T, chunk)


EXERCISE = Exercise(
    ID, "my_chunked_logsumexp", "what-it-costs",
    "my_chunked_logsumexp(z, chunk), z (N, C), int chunk -> (N,)", ("lse",), cases, reference,
)


def chunked_online(z, chunk):
    """A learner's online log-sum-exp: a running maximum and a rescaled running sum."""
    z = np.asarray(z, dtype=float)
    m = np.full(z.shape[0], -np.inf)
    s = np.zeros(z.shape[0])
    for start in range(0, z.shape[1], chunk):
        block = z[:, start:start + chunk]
        new_m = np.maximum(m, block.max(axis=1))
        s = s * np.exp(m - new_m) + np.exp(block - new_m[:, None]).sum(axis=1)
        m = new_m
    return m + np.log(s)


CORRECT = [chunked_online]
