"""How accurate is the loss? The cases, the 50-digit reference and the peers' errors.

Chapter 8 (:ref:`loss-accuracy`) measures :func:`derivations.cross_entropy`
on the cases of :data:`CASES` against a 50-digit mpmath reference, beside
PyTorch and scipy. The peers' errors are recorded in
``data/accuracy_peers.json`` (written by ``tools/golden_accuracy.py`` where
torch and scipy are installed, read by :func:`recorded`), so the chapter
and the tests need neither; our own errors are always measured afresh.
"""

import hashlib
import json
from importlib import resources

import mpmath
import numpy as np

from derivations.losses import cross_entropy

RECORDED = "data/accuracy_peers.json"
DIGITS = 50
SOFT_PEAK = 0.9

# name, rows N, classes C, seed, logits loc + spread * normal, for a confident
# row the gap by which the label's logit tops the rest of the row, the kind of
# target, label smoothing. Soft targets put 0.9 on the label and spread the
# rest at random, as a confident teacher would.
_SHAPES = [
    ("ordinary rows", 8, 1000, 0, 0.0, 3.0, None, "class", 0.0),
    ("ordinary rows, |z| near 1e4", 8, 1000, 1, 1e4, 3.0, None, "class", 0.0),
    ("confident rows, |z| near 20", 8, 1000, 2, 0.0, 1.0, 20.0, "class", 0.0),
    ("confident rows, |z| near 1e2, gap 30", 8, 1000, 3, 100.0, 1.0, 30.0, "class", 0.0),
    ("confident rows, |z| near 1e4", 8, 1000, 4, 1e4, 1.0, 10.0, "class", 0.0),
    ("confident rows, |z| near 1e6", 8, 1000, 5, 1e6, 1.0, 10.0, "class", 0.0),
    ("soft targets, confident row, C = 200,000", 1, 200_000, 6, 0.0, 3.0, 10.0, "soft", 0.0),
    ("label smoothing 0.1, C = 200,000", 1, 200_000, 7, 0.0, 3.0, None, "class", 0.1),
]
CASES = [
    dict(name=name, dtype=dtype, N=N, C=C, seed=seed, loc=loc, spread=spread, gap=gap,
         target=target, label_smoothing=eps)
    for dtype in ("float64", "float32")
    for name, N, C, seed, loc, spread, gap, target, eps in _SHAPES
]


def case_inputs(case):
    """The logits, targets and keyword arguments of one case.

    Used in :ref:`loss-accuracy`.

    ``z = loc + spread * normal`` of shape (N, C) from ``seed``; one label per
    row, drawn next; for a confident case the label's logit is then set to
    the row maximum plus ``gap``. Soft targets, drawn last, put
    :data:`SOFT_PEAK` on the label and the rest on uniform random numbers
    normalised per row. Everything is rounded to the case's
    dtype at the end: those rounded numbers are the exact inputs.
    """
    rng = np.random.default_rng(case["seed"])
    N, C = case["N"], case["C"]
    z = case["loc"] + case["spread"] * rng.standard_normal((N, C))
    y = rng.integers(0, C, size=N)
    if case["gap"] is not None:
        z[np.arange(N), y] = z.max(axis=1) + case["gap"]
    z = z.astype(case["dtype"])
    if case["target"] == "soft":
        t = rng.random((N, C))
        t *= (1 - SOFT_PEAK) / t.sum(axis=1, keepdims=True)
        t[np.arange(N), y] += SOFT_PEAK
        target = t.astype(case["dtype"])
    else:
        target = y
    return z, target, {"label_smoothing": case["label_smoothing"]}


def fingerprint(z, target):
    """A short hash of the exact inputs.

    Used in :ref:`loss-accuracy`.
    """
    h = hashlib.sha256(np.ascontiguousarray(z).tobytes())
    h.update(np.ascontiguousarray(target).tobytes())
    return h.hexdigest()[:16]


def target_weights(target, C, label_smoothing):
    """Row n's target weights as exact mpmath numbers (a function of the class).

    Used in :ref:`loss-accuracy`.
    """
    eps = mpmath.mpf(float(label_smoothing))

    def weights(n):
        if np.ndim(target) == 2:
            return [mpmath.mpf(float(v)) for v in target[n]]
        a = [eps / C] * C
        a[int(target[n])] += 1 - eps
        return a

    return weights


def reference(z, target, label_smoothing=0.0):
    """Per-row losses in ``DIGITS``-digit mpmath from the exact float inputs (list of mpf).

    Used in :ref:`loss-accuracy`.
    """
    N, C = z.shape
    weights = target_weights(target, C, label_smoothing)
    out = []
    with mpmath.workdps(DIGITS):
        for n in range(N):
            zs = [mpmath.mpf(float(v)) for v in z[n]]
            m = max(zs)
            lse = m + mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in zs))
            if np.ndim(target) == 1 and not label_smoothing:
                out.append(lse - zs[int(target[n])])
            else:
                out.append(mpmath.fsum(a * (lse - v) for a, v in zip(weights(n), zs) if a))
    return out


def errors(got, ref, dtype):
    """Worst error over the rows: ``{"ulps": ..., "relative": ...}``.

    Used in :ref:`loss-accuracy`.

    An ulp is the spacing of ``dtype`` at the reference value.
    """
    ulps, rel = [], []
    with mpmath.workdps(DIGITS):
        for g, r in zip(np.asarray(got, dtype=np.float64), ref):
            diff = abs(mpmath.mpf(float(g)) - r)
            ulps.append(float(diff / mpmath.mpf(float(np.spacing(np.dtype(dtype).type(float(r)))))))
            rel.append(float(diff / abs(r)))
    return {"ulps": max(ulps), "relative": max(rel)}


def ours(z, target, label_smoothing=0.0):
    """``derivations.cross_entropy``, one loss per row.

    Used in :ref:`loss-accuracy`.
    """
    return cross_entropy(z, target, reduction="none", label_smoothing=label_smoothing)




def recorded():
    """The recorded cases with their reference values and every peer's errors.

    Used in :ref:`loss-accuracy`.
    """
    text = resources.files("derivations").joinpath(RECORDED).read_text(encoding="utf-8")
    return json.loads(text)


def worst_ulps(got, reference_values, dtype):
    """Worst error over the rows, in ulps of ``dtype`` at the (recorded) reference.

    Used in :ref:`loss-accuracy`.
    """
    return errors(got, [mpmath.mpf(r) for r in reference_values], dtype)["ulps"]
