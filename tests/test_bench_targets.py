"""The speed targets: fractions of the copy bandwidth, measured in one run.

At N = 512 rows and C = 50,257 classes in float32, ``softmax_backward``
must reach at least 50% of the bandwidth of ``np.copyto`` moving the same
number of bytes, and ``cross_entropy_with_grad`` at least 35%, or, on a
processor where ``np.exp`` alone cannot reach 50%, at least 70% of what
``np.exp`` reaches over the same logits in the same run. These are
ratios of two timings taken in the same process, in turns, so a change of
machine or a busy neighbour moves both; no absolute time is asserted.

On a shared machine a repetition can still be disturbed. The test keeps the
best of each over up to ``ROUNDS`` rounds of repetitions (CPU time, see
``derivations.roofline``) and stops as soon as both targets are met.
"""

import numpy as np

from derivations.roofline import best_times, fractions, roof_kernels

TARGETS = {"vjp_fast": 0.50, "cross_entropy_fast": 0.35}
# The fused cross-entropy runs one exp over every logit, so on a processor whose
# exp is slower than its memory it cannot beat np.exp alone: there its target is
# this share of what np.exp(z, out=...) reaches in the same run.
EXP_SHARE = 0.7
ROUNDS = 6
REPEATS = 8


def _targets(reached):
    return {
        "vjp_fast": TARGETS["vjp_fast"],
        "cross_entropy_fast": min(TARGETS["cross_entropy_fast"], EXP_SHARE * reached["cross_entropy_exp"]),
    }


def test_fast_kernels_reach_their_share_of_the_copy_bandwidth():
    all_kernels = roof_kernels(512, 50257, np.float32, seed=0, exp=True)
    names = ["vjp_fast", "copy_vjp", "cross_entropy_fast", "cross_entropy_exp", "copy_cross_entropy"]
    kernels = {name: all_kernels[name] for name in names}
    best = {}
    for _ in range(ROUNDS):
        for name, t in best_times(kernels, repeats=REPEATS).items():
            best[name] = min(t, best.get(name, float("inf")))
        reached = fractions(best)
        targets = _targets(reached)
        if all(reached[k] >= v for k, v in targets.items()):
            break
    report = ", ".join(f"{k} {reached[k]:.2f} (target {v:.2f})" for k, v in targets.items())
    report += f"; np.exp alone {reached['cross_entropy_exp']:.2f}"
    assert reached["vjp_fast"] >= targets["vjp_fast"], report
    assert reached["cross_entropy_fast"] >= targets["cross_entropy_fast"], report
