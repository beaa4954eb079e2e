"""The speed targets: fractions of the copy bandwidth, measured in one run.

At N = 512 rows and C = 50,257 classes in float32, as shares of the
bandwidth of ``np.copyto`` moving the same number of bytes on as many
threads (``derivations.roofline.copy_kernel``):

* one thread: ``softmax_backward`` with ``out=`` at least 50% and returning
  a new array at least 65%; ``cross_entropy_with_grad`` with ``out=`` at
  least 35% and ``cross_entropy_grad`` (a new array) at least 40%;
* two threads (on a machine with two cores or more): the fused
  cross-entropy at least 50%, and ``softmax_backward`` at least 75%, which
  it does not reach yet (an expected failure, reported by ``-rx``).

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
import pytest

from derivations._kernels import available_cores
from derivations.roofline import best_times, fractions, roof_kernels

# one thread, writing into an existing array (out=)
TARGETS = {"vjp_fast": 0.50, "cross_entropy_fast": 0.35}
# one thread, returning a new array
NEW_ARRAY_TARGETS = {"vjp_fresh": 0.65, "cross_entropy_grad": 0.40}
# two threads, against a copy on two threads
TWO_THREAD_TARGETS = {"cross_entropy_fast": 0.50}
# Not met yet (issue 18 stays open on it): the VJP makes three numpy passes over
# each block, and on this machine two passes alone (a multiply, then a
# multiply in cache) reach only 0.66-0.69 of the two-thread copy roof, while
# the VJP reaches 0.64. Meeting 0.75 needs a single compiled pass.
TWO_THREAD_VJP_TARGET = {"vjp_fast": 0.75}
BY_THREADS = {1: {**TARGETS, **NEW_ARRAY_TARGETS}, 2: TWO_THREAD_TARGETS, "2-vjp": TWO_THREAD_VJP_TARGET}
EXP_SHARE = 0.7
ROUNDS = 6
REPEATS = 6


def _targets(threads, reached):
    want = dict(BY_THREADS[threads])
    for k in want:
        if k.startswith("cross_entropy"):
            want[k] = min(want[k], EXP_SHARE * reached["cross_entropy_exp"])
    return want


NAMES = {
    1: ["vjp_fast", "vjp_fresh", "copy_vjp", "cross_entropy_fast", "cross_entropy_grad",
        "cross_entropy_exp", "copy_cross_entropy"],
    2: ["cross_entropy_fast", "cross_entropy_exp", "copy_cross_entropy"],
    "2-vjp": ["vjp_fast", "copy_vjp", "cross_entropy_exp", "copy_cross_entropy"],
}


def _missed(settings):
    """Time the kernels of each setting (a key of BY_THREADS); the targets missed, and a report."""
    all_kernels = roof_kernels(512, 50257, np.float32, seed=0, fresh=True, exp=True, grad=True)
    reports, missed = [], []
    for setting in settings:
        threads = 2 if setting == "2-vjp" else setting
        kernels = {name: all_kernels[name] for name in NAMES[setting]}
        best = {}
        for _ in range(ROUNDS):
            for name, t in best_times(kernels, repeats=REPEATS, threads=threads).items():
                best[name] = min(t, best.get(name, float("inf")))
            reached = fractions(best)
            targets = _targets(setting, reached)
            if all(reached[k] >= v for k, v in targets.items()):
                break
        reports.append(f"{threads} thread(s): " + ", ".join(
            f"{k} {reached[k]:.2f} (target {v:.2f})" for k, v in targets.items()
        ) + f"; np.exp alone {reached['cross_entropy_exp']:.2f}")
        missed += [f"{threads} thread(s) {k}" for k, v in targets.items() if reached[k] < v]
    return missed, "\n".join(reports)


def test_fast_kernels_reach_their_share_of_the_copy_bandwidth():
    missed, report = _missed([1, 2] if available_cores() >= 2 else [1])
    assert not missed, "missed: " + ", ".join(missed) + "\n" + report


@pytest.mark.skipif(available_cores() < 2, reason="needs two cores")
@pytest.mark.xfail(reason="the softmax VJP reaches about 0.64 of the two-thread copy roof, "
                   "below its 0.75 target (see TWO_THREAD_VJP_TARGET)", strict=False)
def test_softmax_vjp_reaches_three_quarters_of_the_copy_roof_on_two_threads():
    missed, report = _missed(["2-vjp"])
    assert not missed, "missed: " + ", ".join(missed) + "\n" + report
