"""What each way of back-propagating through softmax costs: ``make bench``.

In one run and on the same inputs, for C from 10 to 50,257 classes, N up to
4096 rows, float32 and float64, this times

* the softmax Jacobian by loops, by ``diag(p) - p p^T`` and batched by
  einsum, each multiplied by the upstream gradient (``derivations.teaching.jacobians``);
* the vector-Jacobian product ``p * (dp - <p, dp>)``: readable and fast;
* the fused cross-entropy with its gradient: readable and fast;
* ``np.copyto`` of as many bytes as each task must move at the least,

and reports every kernel as a fraction of that copy's bandwidth. Then, at
N = 512, C = 50,257 in float32: every fast kernel on one thread and on all
cores, each against a copy on as many threads, with PyTorch and JAX (jitted)
on the same inputs when they are installed; what a fresh output array costs
(minor page faults, CPU time); how the cost grows with N*C across the cache;
and ``linear_cross_entropy`` against the route through the logits and
PyTorch's chunked loop. A second
part compiles ``vjp_kernels.c`` (if a C compiler is present) to put numbers
on the "22x faster" AVX claim discussed in book/12_cost.md.

Timings are best-of-k CPU times taken in turns (``derivations.teaching.roofline``);
only ratios measured in this one run mean anything. Cases that would not
fit in the memory budget or take too long are skipped and listed.

Usage: python benchmarks/bench_costs.py [--quick] [--out FILE] [--max-gib G]
"""

import argparse
import ctypes
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from derivations import (
    compiled,
    cross_entropy_grad,
    cross_entropy_with_grad,
    get_threads,
    kernels,
    linear_cross_entropy,
    set_threads,
    softmax,
    softmax_backward,
)
from derivations.kernels import cross_entropy_readable, one_blas_thread, softmax_vjp_readable
from derivations.teaching.jacobians import jacobian_loops, jacobian_vectorized, jvp_batched
from derivations.teaching.roofline import (
    SPEED_TARGETS,
    best_times,
    copy_kernel,
    peak_memory,
    scaling_fit,
    traffic_bytes,
)
from derivations.vocab import default_chunk_size, last_level_cache_bytes

CLASSES = [10, 100, 1000, 10_000, 50_257]
ROWS = [1, 64, 512, 4096]
DTYPES = [np.float32, np.float64]
KERNELS = [
    "jacobian_loops",
    "jacobian_vectorized",
    "jacobian_batched",
    "vjp_readable",
    "vjp_fast",
    "vjp_fresh",
    "ce_readable",
    "ce_fast",
    "ce_fresh",
]
# Python steps the loop Jacobian may take (about a microsecond each)
LOOP_STEPS = 3e5
# multiply-adds the O(C^2) numpy Jacobians may take per case
QUADRATIC_WORK = 3e8
# seconds of timing to aim for per case (the repetitions adapt to it)
CASE_SECONDS = 2.0


def task(kernel):
    """The task a kernel does, which fixes its least memory traffic."""
    return "cross_entropy" if kernel.startswith("ce_") else "vjp"


def case_kernels(N, C, dtype, max_bytes, rng):
    """The kernels of one case, and the ones skipped with the reason."""
    itemsize = np.dtype(dtype).itemsize
    nc = N * C * itemsize
    # z, p, dp, an output, and the readable kernels' temporaries
    if 7 * nc > max_bytes:
        reason = f"inputs and temporaries need {7 * nc / 2**30:.1f} GiB > budget {max_bytes / 2**30:.1f} GiB"
        return {}, {k: reason for k in KERNELS}
    z = (3 * rng.standard_normal((N, C))).astype(dtype)
    labels = rng.integers(0, C, size=N)
    p = softmax(z)
    dp = rng.standard_normal((N, C)).astype(dtype)
    out = np.empty_like(z)

    def rows_loops():
        for n in range(N):
            out[n] = jacobian_loops(p[n]).T @ dp[n]

    def rows_vectorized():
        for n in range(N):
            out[n] = jacobian_vectorized(p[n]).T @ dp[n]

    kernels, skipped = {}, {}
    if N * C * C <= LOOP_STEPS:
        kernels["jacobian_loops"] = rows_loops
    else:
        skipped["jacobian_loops"] = f"N*C^2 = {N * C * C:.1e} Python steps > {LOOP_STEPS:.0e}"
    if N * C * C > QUADRATIC_WORK:
        skipped["jacobian_vectorized"] = f"N*C^2 = {N * C * C:.1e} > {QUADRATIC_WORK:.0e} multiply-adds"
    elif 3 * C * C * itemsize > max_bytes:
        skipped["jacobian_vectorized"] = f"one C x C Jacobian needs {C * C * itemsize / 2**30:.1f} GiB"
    else:
        kernels["jacobian_vectorized"] = rows_vectorized
    batched_bytes = 3 * N * C * C * itemsize  # the (N, C, C) Jacobian and einsum's two terms
    if N * C * C > QUADRATIC_WORK:
        skipped["jacobian_batched"] = f"N*C^2 = {N * C * C:.1e} > {QUADRATIC_WORK:.0e} multiply-adds"
    elif batched_bytes > max_bytes:
        skipped["jacobian_batched"] = f"the (N, C, C) Jacobians need {batched_bytes / 2**30:.1f} GiB"
    else:
        kernels["jacobian_batched"] = lambda: jvp_batched(p, dp)
    kernels.update(
        {
            "vjp_readable": lambda: softmax_vjp_readable(p, dp),
            "vjp_fast": lambda: softmax_backward(p, dp, out=out),
            "vjp_fresh": lambda: softmax_backward(p, dp),
            "ce_readable": lambda: cross_entropy_readable(z, labels),
            "ce_fast": lambda: cross_entropy_with_grad(z, labels, out=out),
            "ce_fresh": lambda: cross_entropy_with_grad(z, labels),
            "copy_vjp": copy_kernel(traffic_bytes("vjp", N, C, itemsize)),
            "copy_cross_entropy": copy_kernel(traffic_bytes("cross_entropy", N, C, itemsize)),
        }
    )
    return kernels, skipped


def time_case(kernels):
    """Best CPU time of every kernel, the number of repetitions fitted to CASE_SECONDS."""
    first = {}
    with one_blas_thread():
        for name, fn in kernels.items():  # one warm-up call each, timed roughly
            start = time.process_time()
            fn()
            first[name] = time.process_time() - start
    repeats = int(np.clip(CASE_SECONDS / max(2 * sum(first.values()), 1e-9), 3, 25))
    slow = {k for k, t in first.items() if t > CASE_SECONDS / 3}  # time these once more only
    fast = {k: f for k, f in kernels.items() if k not in slow}
    best = best_times(fast, repeats=repeats, warmup=0)
    for name in slow:
        best[name] = min(first[name], best_times({name: kernels[name]}, repeats=1, warmup=0, inner=1)[name])
    return best, repeats


def run_grid(classes, rows, dtypes, max_bytes, seed):
    records, skipped = [], []
    for dtype in dtypes:
        for N in rows:
            for C in classes:
                rng = np.random.default_rng(seed)
                kernels, skip = case_kernels(N, C, dtype, max_bytes, rng)
                name = np.dtype(dtype).name
                for k, reason in skip.items():
                    skipped.append({"kernel": k, "dtype": name, "N": N, "C": C, "reason": reason})
                if not kernels:
                    print(f"  {name} N={N} C={C}: skipped ({next(iter(skip.values()))})", flush=True)
                    continue
                best, repeats = time_case(kernels)
                itemsize = np.dtype(dtype).itemsize
                for k in KERNELS:
                    if k not in best:
                        continue
                    nbytes = traffic_bytes(task(k), N, C, itemsize)
                    records.append(
                        {
                            "kernel": k,
                            "dtype": name,
                            "N": N,
                            "C": C,
                            "seconds": best[k],
                            "bytes": nbytes,
                            "GBps": nbytes / best[k] / 1e9,
                            "fraction": best["copy_" + task(k)] / best[k],
                            "copy_GBps": nbytes / best["copy_" + task(k)] / 1e9,
                            "repeats": repeats,
                        }
                    )
                print(f"  {name} N={N} C={C}: {len(best) - 2} kernels, best of {repeats}", flush=True)
                del kernels
    return records, skipped


# ------------------------------------------------- threads, peers, fresh memory


#: The speed targets (shares of the copy roof at N = 512, C = 50,257, float32),
#: printed as pass/miss; tests/benchmarks/test_bench_targets.py asserts the one-thread ones.
TARGETS = SPEED_TARGETS  # shares of the copy roof on 1 and on 2 threads


def peer_kernels(z, labels, p, dp, threads):
    """PyTorch's and JAX's versions of the two tasks, on the same inputs; and why any is missing."""
    kernels, notes = {}, {}
    try:
        import torch
    except ImportError:
        notes["torch"] = "PyTorch is not installed (pip install -r requirements-test.txt)"
    else:
        torch.set_num_threads(threads)
        tp, tdp, tz = torch.from_numpy(p), torch.from_numpy(dp), torch.from_numpy(z)
        ty = torch.from_numpy(labels)
        kernels["torch_vjp"] = lambda: torch.ops.aten._softmax_backward_data(tdp, tp, 1, tp.dtype)

        def torch_ce():
            x = tz.detach().requires_grad_()
            torch.nn.functional.cross_entropy(x, ty).backward()
            return x.grad

        kernels["torch_ce"] = torch_ce
        notes["torch"] = f"PyTorch {torch.__version__}, {threads} thread(s) (torch.set_num_threads)"
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        notes["jax"] = "JAX is not installed (pip install -r requirements-test.txt)"
    else:
        jp, jdp, jz, jy = (jax.device_put(a) for a in (p, dp, z, labels))
        vjp = jax.jit(lambda p, dp: p * (dp - jnp.sum(p * dp, axis=-1, keepdims=True)))

        def loss(z, y):
            lse = jax.nn.logsumexp(z, axis=-1)
            return jnp.mean(lse - jnp.take_along_axis(z, y[:, None], axis=-1)[:, 0])

        ce = jax.jit(jax.value_and_grad(loss))
        kernels["jax_vjp"] = lambda: vjp(jp, jdp).block_until_ready()
        kernels["jax_ce"] = lambda: jax.block_until_ready(ce(jz, jy))
        notes["jax"] = f"JAX {jax.__version__}, jitted, XLA's own CPU threads"
    return kernels, notes


def without_reuse(fn):
    """``fn`` with the package's reuse of dropped results turned off: fresh memory every call."""
    def run():
        saved = kernels.REUSE_MIN_BYTES
        kernels.REUSE_MIN_BYTES = 1 << 62
        try:
            return fn()
        finally:
            kernels.REUSE_MIN_BYTES = saved
    return run


def run_threads(N, C, thread_counts, seed, repeats):
    """Every fast kernel and its peers at (N, C) float32, on 1 thread and on all cores.

    Each is measured against a copy on as many threads.
    """
    rng = np.random.default_rng(seed)
    z = (3 * rng.standard_normal((N, C))).astype(np.float32)
    labels = rng.integers(0, C, size=N)
    p = softmax(z)
    dp = rng.standard_normal((N, C)).astype(np.float32)
    out = np.empty_like(z)
    rows, notes = [], {}
    for T in thread_counts:
        kernels = {
            "vjp_fast": lambda: softmax_backward(p, dp, out=out),
            "vjp_fresh": lambda: softmax_backward(p, dp),
            "vjp_os": without_reuse(lambda: softmax_backward(p, dp)),
            "ce_fast": lambda: cross_entropy_with_grad(z, labels, out=out),
            "ce_fresh": lambda: cross_entropy_with_grad(z, labels),
            "ce_grad": lambda: cross_entropy_grad(z, labels),
            "ce_os": without_reuse(lambda: cross_entropy_grad(z, labels)),
            "ce_exp": lambda: np.exp(z, out=out),
            "copy_vjp": copy_kernel(traffic_bytes("vjp", N, C, 4)),
            "copy_cross_entropy": copy_kernel(traffic_bytes("cross_entropy", N, C, 4)),
        }
        best = best_times(kernels, repeats=repeats, threads=T)
        share = {k: best["copy_" + task(k)] / t for k, t in best.items() if not k.startswith("copy_")}
        # The peers in turns of their own, against copies timed in those turns:
        # PyTorch's and XLA's worker threads keep spinning after a call, and
        # among the package's kernels they took a core from the copy and from
        # them (two-thread shares 0.41-0.49 instead of 0.53-0.85).
        peers, notes = peer_kernels(z, labels, p, dp, T)
        if peers:
            copies = {k: v for k, v in kernels.items() if k.startswith("copy_")}
            peer_best = best_times({**peers, **copies}, repeats=repeats, threads=T)
            for k in peers:
                best[k] = peer_best[k]
                share[k] = peer_best["copy_" + task(k)] / peer_best[k]
        rows.append({"threads": T, "clock": "CPU time" if T == 1 else "wall clock",
                     "seconds": best, "fraction": share})
        print(f"  threads={T}: {len(best)} kernels, best of {repeats}", flush=True)
    return {"N": N, "C": C, "dtype": "float32", "rows": rows, "peers": notes}


def page_faults(N, C, repeats=7):
    """Minor page faults and CPU time of a fresh (N, C) float32 array against memory used again."""
    import resource

    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    rng = np.random.default_rng(0)
    p = softmax(rng.standard_normal((N, C)).astype(np.float32))
    dp = rng.standard_normal((N, C)).astype(np.float32)
    out = np.empty_like(p)
    out.fill(0)
    try:
        from numpy._core import multiarray as _ma
    except ImportError:  # numpy < 2
        from numpy.core import multiarray as _ma
    madvise = getattr(_ma, "_set_madvise_hugepage", None)

    def fresh_fill():
        np.empty((N, C), np.float32).fill(1)

    def small_pages():
        was = madvise(False)
        try:
            fresh_fill()
        finally:
            madvise(was)

    cases = {
        "np.empty + fill": fresh_fill,
        "np.empty + fill, 4 KiB pages": small_pages if madvise else None,
        "fill of an existing array": lambda: out.fill(1),
        "softmax_backward, out=": lambda: softmax_backward(p, dp, out=out),
        "softmax_backward, memory used again": lambda: softmax_backward(p, dp),
        "softmax_backward, fresh memory": without_reuse(lambda: softmax_backward(p, dp)),
    }
    result = {}
    previous = set_threads(1)
    try:
        for name, fn in cases.items():
            if fn is None:
                continue
            fn()
            best, flt = float("inf"), None
            for _ in range(repeats):
                f0, t0 = faults(), time.process_time()
                fn()
                t, f = time.process_time() - t0, faults() - f0
                if t < best:
                    best, flt = t, f
            result[name] = {"seconds": best, "minor_faults": flt}
    finally:
        set_threads(previous)
    try:
        thp = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text().strip()
    except OSError:
        thp = "unknown"
    return {"N": N, "C": C, "bytes": N * C * 4, "transparent_hugepage": thp, "cases": result}


def run_scaling(C, rows, seed):
    """Time of the VJP and the fused cross-entropy (out=, one thread) against N*C, with the copy of the same bytes."""
    rng = np.random.default_rng(seed)
    points = []
    for N in rows:
        z = (3 * rng.standard_normal((N, C))).astype(np.float32)
        labels = rng.integers(0, C, size=N)
        p = softmax(z)
        dp = rng.standard_normal((N, C)).astype(np.float32)
        out = np.empty_like(z)
        kernels = {
            "vjp_fast": lambda: softmax_backward(p, dp, out=out),
            "ce_fast": lambda: cross_entropy_with_grad(z, labels, out=out),
            "copy_vjp": copy_kernel(traffic_bytes("vjp", N, C, 4)),
            "copy_cross_entropy": copy_kernel(traffic_bytes("cross_entropy", N, C, 4)),
        }
        repeats = int(np.clip(2e7 / (N * C), 3, 25))
        best = best_times(kernels, repeats=repeats, threads=1)
        points.append({"N": N, "C": C, "NC": N * C, "seconds": best,
                       "working_set": {"vjp_fast": 3 * N * C * 4, "ce_fast": 2 * N * C * 4}})
    return {"C": C, "cache_bytes": last_level_cache_bytes(), "points": points}


def run_linear(N, V, d, seed, repeats=3):
    """linear_cross_entropy against the route through the logits and PyTorch's chunked loop, all cores, wall clock."""
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((N, d)).astype(np.float32)
    W = (0.05 * rng.standard_normal((V, d))).astype(np.float32)
    y = rng.integers(0, V, size=N)
    chunk = default_chunk_size(N, 4)

    def via_logits():
        loss, dz = cross_entropy_with_grad(h @ W.T, y)
        return loss, dz @ W, dz.T @ h

    kernels = {
        "linear_cross_entropy": lambda: linear_cross_entropy(h, W, y),
        "through_logits": via_logits,
    }
    note = "PyTorch is not installed"
    try:
        import torch
    except ImportError:
        pass
    else:
        torch.set_num_threads(get_threads())
        th, tW, ty = torch.from_numpy(h), torch.from_numpy(W), torch.from_numpy(y)
        rows = max(1, N * chunk // V)  # the same number of logits per chunk

        def torch_chunked():
            hh, WW = th.detach().requires_grad_(), tW.detach().requires_grad_()
            for r in range(0, N, rows):
                z = hh[r : r + rows] @ WW.T
                (torch.nn.functional.cross_entropy(z, ty[r : r + rows], reduction="sum") / N).backward()
            return hh.grad, WW.grad

        kernels["torch_chunked"] = torch_chunked
        note = f"PyTorch {torch.__version__}: autograd over chunks of {rows} rows, {get_threads()} threads"
    best = best_times(kernels, repeats=repeats, threads=None, clock=time.perf_counter)
    outputs = (N * d + V * d) * 4
    peaks = {k: peak_memory(kernels[k]) for k in ("linear_cross_entropy", "through_logits")}
    return {"N": N, "V": V, "d": d, "chunk_size": chunk, "threads": get_threads(), "seconds": best,
            "peak_bytes": peaks, "workspace_bytes": peaks["linear_cross_entropy"] - outputs,
            "block_bytes": N * chunk * 4, "torch": note}


def print_threads(t):
    print()
    print(f"N = {t['N']}, C = {t['C']:,}, float32: share of a copy of the same bytes on as many threads")
    for note in t["peers"].values():
        print(f"  peers: {note}")
    names = [k for k in t["rows"][0]["fraction"]]
    print(f"{'threads':>8} {'clock':>10} " + " ".join(f"{n:>10}" for n in names))
    for row in t["rows"]:
        print(f"{row['threads']:>8} {row['clock']:>10} " + " ".join(f"{row['fraction'][n]:>10.2f}" for n in names))
    print("vjp_os, ce_os: a new array in fresh memory from the operating system every call (reuse turned off)")
    print()
    at = "" if (t["N"], t["C"]) == (512, 50_257) else " (quick grid: not the size the targets are set for)"
    print(f"Targets (share of the copy roof){at}:")
    for row in t["rows"]:
        T = row["threads"]
        want = TARGETS.get(1 if T == 1 else 2)
        if want is None or (T > 1 and T != 2 and 2 in [r["threads"] for r in t["rows"]]):
            continue
        for k, v in want.items():
            got = row["fraction"][k]
            print(f"  {T} thread(s) {k}: {got:.2f} (target {v:.2f}) {'pass' if got >= v else 'MISS'}")


def print_faults(f):
    print()
    print(f"A new ({f['N']}, {f['C']:,}) float32 array, {f['bytes'] / 1e6:.0f} MB; "
          f"transparent huge pages: {f['transparent_hugepage']}")
    for name, c in f["cases"].items():
        print(f"  {name:40} {c['seconds'] * 1e3:8.2f} ms  {c['minor_faults']:>6} minor page faults")


def print_scaling(s):
    print()
    print(f"Cost against N*C (C = {s['C']:,}, one thread, out=); last-level cache {s['cache_bytes'] / 2**20:.0f} MiB")
    for k in ("vjp_fast", "ce_fast"):
        fit = scaling_fit(s, k)
        line = f"  {k}: slope {fit['slope']:.2f}"
        if "ns_in_cache" in fit:
            line += f"; {fit['ns_in_cache']:.2f} ns per entry at {fit['last_in_cache'] / 2**20:.1f} MiB (in cache)"
        if "ns_beyond" in fit:
            line += f"; {fit['ns_beyond']:.2f} ns per entry at {fit['first_beyond'] / 2**20:.1f} MiB (beyond)"
        print(line)


def print_linear(lin):
    print()
    print(f"linear_cross_entropy, N = {lin['N']}, V = {lin['V']:,}, d = {lin['d']}, chunk {lin['chunk_size']} "
          f"({lin['threads']} threads, wall clock): {lin['torch']}")
    for k, t in lin["seconds"].items():
        print(f"  {k:22} {t * 1e3:8.0f} ms")
    print(f"  workspace beyond dh and dW: {lin['workspace_bytes'] / 2**20:.1f} MiB "
          f"(one block: {lin['block_bytes'] / 2**20:.1f} MiB); through the logits peak "
          f"{lin['peak_bytes']['through_logits'] / 2**20:.0f} MiB")


# ------------------------------------------------------------- the C kernels


def build_c_kernels(workdir):
    """Compile vjp_kernels.c twice: scalar, and SIMD for this machine. None without gcc."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        return None, "no C compiler (gcc or cc) on PATH"
    source = Path(__file__).with_name("vjp_kernels.c")
    flags = {
        "scalar": ["-O2", "-fno-tree-vectorize"],
        "simd": ["-O3", "-march=native", "-ffast-math"],
    }
    libs = {}
    for name, extra in flags.items():
        so = Path(workdir) / f"vjp_{name}.so"
        cmd = [cc, *extra, "-shared", "-fPIC", "-o", str(so), str(source)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            return None, f"compiling failed: {' '.join(cmd)}\n{done.stderr}"
        lib = ctypes.CDLL(str(so))
        for fn in ("vjp_quadratic", "vjp_quadratic_factored", "vjp_linear"):
            f = getattr(lib, fn)
            f.restype = None
            f.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
        libs[name] = lib
    version = subprocess.run([cc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return libs, version


def run_c_kernels(classes, seed):
    """One softmax row of float32: the O(C^2) and O(C) loops, scalar and SIMD."""
    with tempfile.TemporaryDirectory() as tmp:
        libs, info = build_c_kernels(tmp)
        if libs is None:
            return {"skipped": info}
        results = []
        for C in classes:
            rng = np.random.default_rng(seed)
            p = softmax(rng.normal(scale=3.0, size=C)).astype(np.float32)
            dp = rng.standard_normal(C).astype(np.float32)
            ref = softmax_vjp_readable(p.astype(np.float64), dp.astype(np.float64))
            kernels = {}
            for build, lib in libs.items():
                for fn in ("vjp_quadratic", "vjp_quadratic_factored", "vjp_linear"):
                    dz = np.empty(C, dtype=np.float32)
                    args = (p.ctypes.data, dp.ctypes.data, dz.ctypes.data, C)
                    f = getattr(lib, fn)
                    f(*args)
                    err = float(np.max(np.abs(dz - ref)) / np.max(np.abs(ref)))
                    if err > 1e-3:
                        raise AssertionError(f"{fn} ({build}) disagrees with the formula: {err:.1e}")
                    # the lambda keeps the arrays alive: args holds only their raw addresses,
                    # and dz is a new array for each kernel (the old one would be freed)
                    kernels[f"{fn.removeprefix('vjp_')}_{build}"] = (lambda f=f, a=args, keep=(p, dp, dz): f(*a))
            out = np.empty(C, dtype=np.float32)
            kernels["softmax_backward"] = lambda: softmax_backward(p, dp, out=out)
            best, repeats = time_case(kernels)
            results.append({"C": C, "seconds": best, "repeats": repeats})
        return {"compiler": info, "rows": results}


# ------------------------------------------------------------------ reporting


def machine():
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "threads": get_threads(),
        "last_level_cache_bytes": last_level_cache_bytes(),
        "load_average": list(os.getloadavg()),
        # whether softmax_backward ran its compiled pass (derivations.compiled) or numpy's three
        "compiled_vjp": compiled.LIBRARY is not None,
    }


def print_table(records, skipped):
    short = {
        "jacobian_loops": "J loops",
        "jacobian_vectorized": "J diag-ppT",
        "jacobian_batched": "J einsum",
        "vjp_readable": "VJP read",
        "vjp_fast": "VJP fast",
        "vjp_fresh": "VJP fresh",
        "ce_readable": "CE read",
        "ce_fast": "CE fast",
        "ce_fresh": "CE fresh",
    }
    print()
    print("Each cell: best time, and in brackets the share of the copy bandwidth (same bytes, same run).")
    print("J = Jacobian formed, then multiplied by dp. fast = writes into a given array; fresh = returns a new one.")
    print("copy GB/s: np.copyto moving the VJP's bytes (read p and dp, write dz).")
    header = f"{'dtype':8} {'N':>5} {'C':>6} {'copy GB/s':>9} " + " ".join(f"{short[k]:>17}" for k in KERNELS)
    print(header)
    print("-" * len(header))
    cases = sorted({(r["dtype"], r["N"], r["C"]) for r in records}, key=lambda c: (c[0], c[1], c[2]))
    for dtype, N, C in cases:
        rs = {r["kernel"]: r for r in records if (r["dtype"], r["N"], r["C"]) == (dtype, N, C)}
        copy_bw = rs["vjp_fast"]["copy_GBps"]
        cells = []
        for k in KERNELS:
            if k in rs:
                ms = rs[k]["seconds"] * 1e3
                t = f"{ms:.3g}ms" if ms >= 1 else f"{ms * 1e3:.3g}us"
                cells.append(f"{t + ' (' + format(rs[k]['fraction'], '.0%') + ')':>17}")
            else:
                cells.append(f"{'-':>17}")
        print(f"{dtype:8} {N:>5} {C:>6} {copy_bw:>9.1f} " + " ".join(cells))
    reasons = {}
    for s in skipped:
        reasons.setdefault((s["kernel"], s["reason"].split(" = ")[0].split(" need")[0]), []).append(s)
    if skipped:
        print()
        print("Skipped ('-' above):")
        for (k, _), group in sorted(reasons.items()):
            eg = group[0]
            print(f"  {short[k]}: {len(group)} case(s), e.g. {eg['dtype']} N={eg['N']} C={eg['C']}: {eg['reason']}")


def print_c_table(c):
    print()
    if "skipped" in c:
        print(f"C kernels skipped: {c['skipped']}")
        return
    print(f"One float32 row, C kernels built by {c['compiler']} (scalar: -O2 -fno-tree-vectorize;")
    print("simd: -O3 -march=native -ffast-math). Best time per call:")
    names = list(c["rows"][0]["seconds"])
    print(f"{'C':>6} " + " ".join(f"{n:>27}" for n in names))
    for row in c["rows"]:
        cells = []
        for n in names:
            t = row["seconds"][n]
            cells.append(f"{t * 1e6:>25.4g}us")
        print(f"{row['C']:>6} " + " ".join(cells))
    print()
    for row in c["rows"]:
        s = row["seconds"]
        print(
            f"C={row['C']}: SIMD over scalar for the O(C^2) loop (the claim's comparison): "
            f"{s['quadratic_factored_scalar'] / s['quadratic_factored_simd']:.1f}x;  "
            f"scalar O(C) over SIMD O(C^2): {s['quadratic_factored_simd'] / s['linear_scalar']:.0f}x;  "
            f"scalar O(C) over scalar O(C^2): {s['quadratic_factored_scalar'] / s['linear_scalar']:.0f}x"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small grid, for a smoke test")
    parser.add_argument("--out", default="_build/bench/results.json", help="where to write the JSON results")
    parser.add_argument("--max-gib", type=float, default=6.0, help="memory budget per case, GiB")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    classes, rows = (CLASSES[:3], ROWS[:2]) if args.quick else (CLASSES, ROWS)
    started = time.time()
    print(f"Timing {len(classes) * len(rows) * len(DTYPES)} cases (C in {classes}, N in {rows}, float32 and float64)")
    records, skipped = run_grid(classes, rows, DTYPES, args.max_gib * 2**30, args.seed)
    print("Timing the C kernels (one row)", flush=True)
    c = run_c_kernels([1000, 10_000] if args.quick else [1000, 10_000, 50_257], args.seed)
    cores = sorted({1, get_threads()})
    print(f"Timing the fast kernels and their peers on {' and '.join(map(str, cores))} thread(s)", flush=True)
    threads = run_threads(*((64, 1000) if args.quick else (512, 50_257)), cores, args.seed, 3 if args.quick else 10)
    print("Counting the page faults of a new array", flush=True)
    faults = page_faults(*((64, 10_000) if args.quick else (512, 50_257)), repeats=3 if args.quick else 7)
    print("Timing the cost against N*C", flush=True)
    C, rows = (1000, [1, 4, 16, 64]) if args.quick else (50_257, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
    scaling = run_scaling(C, rows, args.seed)
    print("Timing linear_cross_entropy", flush=True)
    linear = run_linear(*((256, 4096, 64) if args.quick else (2048, 32_768, 256)), args.seed)
    results = {
        "machine": machine(),
        "seconds_taken": time.time() - started,
        "clock": "process CPU time, best of k, kernels in turns (wall clock on several threads)",
        "records": records,
        "skipped": skipped,
        "c_kernels": c,
        "threads": threads,
        "page_faults": faults,
        "scaling": scaling,
        "linear_cross_entropy": linear,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    m = results["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, numpy {m['numpy']}")
    print_table(records, skipped)
    print_c_table(c)
    print_threads(threads)
    print_faults(faults)
    print_scaling(scaling)
    print_linear(linear)
    print(f"\nWrote {out} ({time.time() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
