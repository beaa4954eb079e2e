"""The speed targets: fractions of the copy bandwidth, measured in one run.

At N = 512 rows and C = 50,257 classes in float32, as shares of the
bandwidth of ``np.copyto`` moving the same number of bytes on as many
threads (``derivations.roofline.copy_kernel``):

* one thread: ``softmax_backward`` with ``out=`` at least 50% and returning
  a new array at least 65%; ``cross_entropy_with_grad`` with ``out=`` at
  least 35% and ``cross_entropy_grad`` (a new array) at least 40%;
* two threads (on a machine with two cores or more): ``softmax_backward``
  at least 75%, the fused cross-entropy at least 50%.

The fused cross-entropy runs one ``exp`` over every logit, so on a processor
whose ``exp`` is slower than its memory it cannot beat ``np.exp`` alone:
there each cross-entropy target is instead ``EXP_SHARE`` of what ``np.exp``
reaches over the same logits, on as many threads, in the same run. The same
numbers are printed as pass/miss by ``make bench`` (``TARGETS`` in
benchmarks/bench_costs.py).

These are ratios of timings taken in the same process, in turns, so a
change of machine or a busy neighbour moves both; no absolute time is
asserted. On a shared machine a repetition can still be disturbed: the test
keeps the best of each over up to ``ROUNDS`` rounds of repetitions (CPU
time on one thread, wall-clock time on two) and stops as soon as every
target is met.
"""

import numpy as np

from derivations._kernels import available_cores
from derivations.roofline import best_times, fractions, roof_kernels

# one thread, writing into an existing array (out=)
TARGETS = {"vjp_fast": 0.50, "cross_entropy_fast": 0.35}
# one thread, returning a new array
NEW_ARRAY_TARGETS = {"vjp_fresh": 0.65, "cross_entropy_grad": 0.40}
# two threads, against a copy on two threads
TWO_THREAD_TARGETS = {"vjp_fast": 0.75, "cross_entropy_fast": 0.50}
BY_THREADS = {1: {**TARGETS, **NEW_ARRAY_TARGETS}, 2: TWO_THREAD_TARGETS}
EXP_SHARE = 0.7
ROUNDS = 6
REPEATS = 6


def _targets(threads, reached):
    want = dict(BY_THREADS[threads])
    for k in want:
        if k.startswith("cross_entropy"):
            want[k] = min(want[k], EXP_SHARE * reached["cross_entropy_exp"])
    return want


def test_fast_kernels_reach_their_share_of_the_copy_bandwidth():
    all_kernels = roof_kernels(512, 50257, np.float32, seed=0, fresh=True, exp=True, grad=True)
    names = {
        1: ["vjp_fast", "vjp_fresh", "copy_vjp", "cross_entropy_fast", "cross_entropy_grad",
            "cross_entropy_exp", "copy_cross_entropy"],
        2: ["vjp_fast", "copy_vjp", "cross_entropy_fast", "cross_entropy_exp", "copy_cross_entropy"],
    }
    thread_counts = [1, 2] if available_cores() >= 2 else [1]
    reports, missed = [], []
    for threads in thread_counts:
        kernels = {name: all_kernels[name] for name in names[threads]}
        best = {}
        for _ in range(ROUNDS):
            for name, t in best_times(kernels, repeats=REPEATS, threads=threads).items():
                best[name] = min(t, best.get(name, float("inf")))
            reached = fractions(best)
            targets = _targets(threads, reached)
            if all(reached[k] >= v for k, v in targets.items()):
                break
        reports.append(f"{threads} thread(s): " + ", ".join(
            f"{k} {reached[k]:.2f} (target {v:.2f})" for k, v in targets.items()
        ) + f"; np.exp alone {reached['cross_entropy_exp']:.2f}")
        missed += [f"{threads} thread(s) {k}" for k, v in targets.items() if reached[k] < v]
    assert not missed, "missed: " + ", ".join(missed) + "\n" + "\n".join(reports)
