"""How accurate is the cross-entropy loss? Ours, PyTorch's and scipy's against 50 digits.

    python tools/golden_accuracy.py [--out src/derivations/data/accuracy_peers.json]

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
import json
import sys
from pathlib import Path

import mpmath
import numpy as np

from derivations.teaching.accuracy import CASES, DIGITS, RECORDED, case_inputs, errors, fingerprint, ours, reference

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "src" / "derivations" / RECORDED

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
    parser.add_argument(
        "--out", type=Path, default=GOLDEN, help=f"the JSON file to write (default {GOLDEN.relative_to(ROOT)})"
    )
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
