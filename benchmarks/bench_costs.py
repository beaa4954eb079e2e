"""What each way of back-propagating through softmax costs: ``make bench``.

In one run and on the same inputs, for C from 10 to 50,257 classes, N up to
4096 rows, float32 and float64, this times

* the softmax Jacobian by loops, by ``diag(p) - p p^T`` and batched by
  einsum, each multiplied by the upstream gradient (``derivations.jacobians``);
* the vector-Jacobian product ``p * (dp - <p, dp>)``: readable and fast;
* the fused cross-entropy with its gradient: readable and fast;
* ``np.copyto`` of as many bytes as each task must move at the least,

and reports every kernel as a fraction of that copy's bandwidth. A second
part compiles ``vjp_kernels.c`` (if a C compiler is present) to put numbers
on the "22x faster" AVX claim discussed in book/12_cost.md.

Timings are best-of-k CPU times taken in turns (``derivations.roofline``);
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

from derivations import cross_entropy_with_grad, softmax, softmax_backward
from derivations._kernels import cross_entropy_readable, one_blas_thread, softmax_vjp_readable
from derivations.jacobians import jacobian_loops, jacobian_vectorized, jvp_batched
from derivations.roofline import best_times, copy_kernel, traffic_bytes

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
            kernels["numpy_fast"] = lambda: softmax_backward(p, dp, out=out)
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
    results = {
        "machine": machine(),
        "seconds_taken": time.time() - started,
        "clock": "process CPU time, best of k, kernels in turns",
        "records": records,
        "skipped": skipped,
        "c_kernels": c,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    m = results["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, numpy {m['numpy']}")
    print_table(records, skipped)
    print_c_table(c)
    print(f"\nWrote {out} ({time.time() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
