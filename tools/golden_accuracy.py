"""How accurate is the cross-entropy loss? Ours, PyTorch's and scipy's against 50 digits.

    python tools/golden_accuracy.py [--out tests/golden/accuracy_peers.json]

For each case in :data:`CASES` (logits built from a seed, integer, soft or
label-smoothed targets, float32 or float64) the script computes the per-row
loss four ways:

* the reference, in 50-digit mpmath from the exact float inputs;
* ``derivations.cross_entropy(..., reduction="none")``;
* ``torch.nn.functional.cross_entropy`` in the case's dtype;
* scipy: ``-log_softmax(z)`` weighted by the targets
  (``logsumexp(z) - z[y]`` for one class).

It writes, per case, the worst error over the rows in units in the last
place (ulps) of the reference in the case's dtype, and as a relative
error. The file is committed, so chapter 8 (:ref:`loss-accuracy`) can show
the peers' columns without torch or scipy; the chapter computes our own
column live. Each case also records a fingerprint of its inputs, so a reader
of the file can check that it rebuilt the same logits (:func:`case_inputs`
is the recipe).

torch and scipy are test-only dependencies (``requirements-test.txt``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import mpmath
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "accuracy_peers.json"
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
    """A short hash of the exact inputs."""
    h = hashlib.sha256(np.ascontiguousarray(z).tobytes())
    h.update(np.ascontiguousarray(target).tobytes())
    return h.hexdigest()[:16]


def target_weights(target, C, label_smoothing):
    """Row n's target weights as exact mpmath numbers (a function of the class)."""
    eps = mpmath.mpf(float(label_smoothing))

    def weights(n):
        if np.ndim(target) == 2:
            return [mpmath.mpf(float(v)) for v in target[n]]
        a = [eps / C] * C
        a[int(target[n])] += 1 - eps
        return a

    return weights


def reference(z, target, label_smoothing=0.0):
    """Per-row losses in ``DIGITS``-digit mpmath from the exact float inputs (list of mpf)."""
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
    """``derivations.cross_entropy``, one loss per row."""
    from derivations import cross_entropy

    return cross_entropy(z, target, reduction="none", label_smoothing=label_smoothing)


def pytorch(z, target, label_smoothing=0.0):
    """``torch.nn.functional.cross_entropy`` in z's dtype, one loss per row."""
    import torch
    import torch.nn.functional as F

    loss = F.cross_entropy(torch.from_numpy(np.ascontiguousarray(z)), torch.from_numpy(np.asarray(target)),
                           reduction="none", label_smoothing=label_smoothing)
    return loss.numpy()


def scipy_loss(z, target, label_smoothing=0.0):
    """scipy's log-softmax weighted by the targets, in z's dtype."""
    from scipy.special import log_softmax, logsumexp

    N, C = z.shape
    if np.ndim(target) == 1 and not label_smoothing:
        return logsumexp(z, axis=1) - z[np.arange(N), target]
    if np.ndim(target) == 1:
        a = np.full((N, C), label_smoothing / C, dtype=z.dtype)
        a[np.arange(N), target] += 1 - label_smoothing
    else:
        a = target
    return -(a * log_softmax(z, axis=1)).sum(axis=1)


PEERS = {"ours": ours, "pytorch": pytorch, "scipy": scipy_loss}


def measure(case):
    """One case's entry of the golden file."""
    z, target, kw = case_inputs(case)
    ref = reference(z, target, **kw)
    entry = dict(case)
    entry["fingerprint"] = fingerprint(z, target)
    entry["reference"] = [mpmath.nstr(r, 20) for r in ref]
    entry["errors"] = {name: errors(fn(z, target, **kw), ref, case["dtype"]) for name, fn in PEERS.items()}
    return entry


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=GOLDEN, help=f"the JSON file to write (default {GOLDEN.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    try:
        import scipy
        import torch
    except ImportError as err:
        sys.exit(f"{err.name} is missing: install the test requirements (pip install -r requirements-test.txt)")
    entries = []
    for case in CASES:
        entries.append(measure(case))
        e = entries[-1]["errors"]
        print(f"{case['dtype']:8} {case['name']:38} "
              + "  ".join(f"{k} {v['ulps']:9.3g} ulps" for k, v in e.items()))
    data = {
        "about": "Worst per-row error of the cross-entropy loss against a "
                 f"{DIGITS}-digit mpmath reference, in ulps of the reference in the case's dtype "
                 "and relative. Written by tools/golden_accuracy.py; do not edit.",
        "versions": {"numpy": np.__version__, "torch": torch.__version__.split("+")[0],
                     "scipy": scipy.__version__, "mpmath": mpmath.__version__},
        "cases": entries,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
