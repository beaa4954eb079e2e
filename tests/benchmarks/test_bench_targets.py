"""The speed targets: fractions of the copy bandwidth, measured in one run.

At N = 512 rows and C = 50,257 classes in float32, as shares of the
bandwidth of ``np.copyto`` moving the same number of bytes on as many
threads (``derivations.teaching.roofline.copy_kernel``):

* one thread: ``softmax_backward`` with ``out=`` at least 50% and returning
  a new array at least 65%; ``cross_entropy_with_grad`` with ``out=`` at
  least 35% and ``cross_entropy_grad`` (a new array) at least 40%;
* two threads (on a machine with two cores or more): ``softmax_backward``
  at least 75%, the fused cross-entropy at least 50%. Both kernels must
  also run at least ``MIN_SPEEDUP`` times as fast on two threads as on one.

The two-thread targets and the product's 65% assume the compiled loops
(``derivations.compiled``), which ``pip install -e .`` builds wherever there
is a C compiler, as on the machines this project runs on: the product's
wherever it is built, the cross-entropy's on processors with AVX-512.
Without them the numpy passes run: they meet the other one-thread targets
(the product about 0.62-0.68 of the copy, the cross-entropy 0.55-0.57), but
reach only 0.47-0.66 on two threads. There they are held to the same
results, not to those targets, which are skipped.

The fused cross-entropy runs one ``exp`` over every logit, so on a processor
whose ``exp`` is slower than its memory it cannot beat ``np.exp`` alone:
there each cross-entropy target is instead ``EXP_SHARE`` of what ``np.exp``
reaches over the same logits, on as many threads, in the same run. The same
targets are printed as pass/miss by ``make bench``
(``derivations.teaching.roofline.SPEED_TARGETS``).

These are ratios of timings taken in the same process, in turns, so a
change of machine or a busy neighbour moves both; no absolute time is
asserted. On a shared machine a repetition can still be disturbed: each test
keeps the best of each kernel over up to ``ROUNDS`` rounds of repetitions
(CPU time on one thread, wall-clock time on two) and stops as soon as its
targets are met.
"""

import time

import numpy as np
import pytest

from derivations import compiled
from derivations.kernels import available_cores
from derivations.teaching.roofline import best_times, fractions, roof_kernels

# one thread, writing into an existing array (out=), and returning a new one
ONE_THREAD_TARGETS = {"vjp_fast": 0.50, "cross_entropy_fast": 0.35,
                      "vjp_fresh": 0.65, "cross_entropy_grad": 0.40}
# Two threads, against a copy on two threads. On the machine these were
# measured on, the compiled product reached 0.79-0.85 and the compiled
# cross-entropy 0.68-0.69 (numpy's three passes: 0.61-0.66 and 0.47-0.54).
TWO_THREAD_TARGETS = {"vjp_fast": 0.75, "cross_entropy_fast": 0.50}
# Two threads must at least share the work: with the VJP's row dot products in
# one batched BLAS call, its threads waited on each other and gained 1.1x.
MIN_SPEEDUP = 1.3
EXP_SHARE = 0.7
ROUNDS = 6
REPEATS = 6

def _kernels(*names):
    every = roof_kernels(512, 50257, np.float32, seed=0, fresh=True, exp=True, grad=True)
    return {name: every[name] for name in names}


def _targets(want, reached):
    want = dict(want)
    for k in want:
        if k.startswith("cross_entropy"):
            want[k] = min(want[k], EXP_SHARE * reached["cross_entropy_exp"])
    return want


def _shares(kernels, threads, want):
    """Best shares over up to ROUNDS rounds, stopping once ``want`` is met; and the targets."""
    best = {}
    for _ in range(ROUNDS):
        for name, t in best_times(kernels, repeats=REPEATS, threads=threads).items():
            best[name] = min(t, best.get(name, float("inf")))
        reached = fractions(best)
        targets = _targets(want, reached)
        if all(reached[k] >= v for k, v in targets.items()):
            break
    return reached, targets


def _report(threads, reached, targets):
    exp = f"; np.exp alone {reached['cross_entropy_exp']:.2f}" if "cross_entropy_exp" in reached else ""
    return f"{threads} thread(s): " + ", ".join(
        f"{k} {reached[k]:.2f} (target {v:.2f})" for k, v in targets.items()
    ) + exp


def test_fast_kernels_reach_their_share_of_the_copy_bandwidth_on_one_thread():
    kernels = _kernels("vjp_fast", "vjp_fresh", "copy_vjp", "cross_entropy_fast", "cross_entropy_grad",
                       "cross_entropy_exp", "copy_cross_entropy")
    want = dict(ONE_THREAD_TARGETS)
    if compiled.LIBRARY is None:  # numpy's passes: see the module's docstring
        del want["vjp_fresh"]
    reached, targets = _shares(kernels, 1, want)
    missed = [k for k, v in targets.items() if reached[k] < v]
    assert not missed, "missed: " + ", ".join(missed) + "\n" + _report(1, reached, targets)


@pytest.mark.skipif(available_cores() < 2, reason="needs two cores")
def test_two_threads_share_the_work():
    kernels = _kernels("vjp_fast", "cross_entropy_fast")
    speedup = {}
    for _ in range(ROUNDS):
        # wall-clock time on both, in the same run: CPU time would add up the threads
        one = best_times(kernels, repeats=REPEATS, threads=1, clock=time.perf_counter)
        two = best_times(kernels, repeats=REPEATS, threads=2)
        for k in kernels:
            speedup[k] = max(speedup.get(k, 0.0), one[k] / two[k])
        if all(s >= MIN_SPEEDUP for s in speedup.values()):
            break
    slow = {k: round(s, 2) for k, s in speedup.items() if s < MIN_SPEEDUP}
    assert not slow, f"two threads gained less than {MIN_SPEEDUP}x: {slow}"


def _two_threads(*names):
    kernels = _kernels(*names)
    want = {k: v for k, v in TWO_THREAD_TARGETS.items() if k in names}
    reached, targets = _shares(kernels, 2, want)
    missed = [k for k, v in targets.items() if reached[k] < v]
    assert not missed, "missed: " + ", ".join(missed) + "\n" + _report(2, reached, targets)


@pytest.mark.skipif(available_cores() < 2, reason="needs two cores")
@pytest.mark.skipif(compiled.LIBRARY is None, reason="the product's targets are for its compiled pass")
def test_the_product_reaches_its_share_of_the_copy_bandwidth_on_two_threads():
    _two_threads("vjp_fast", "copy_vjp")


@pytest.mark.skipif(available_cores() < 2, reason="needs two cores")
@pytest.mark.skipif(not compiled.CROSS_ENTROPY, reason="the cross-entropy's targets are for its compiled loop")
def test_the_fused_cross_entropy_reaches_its_share_of_the_copy_bandwidth_on_two_threads():
    _two_threads("cross_entropy_fast", "cross_entropy_exp", "copy_cross_entropy")
