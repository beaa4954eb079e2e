"""``make bench`` runs to the end: its quick grid, in a fresh process.

The benchmark hands numpy arrays to compiled C loops by address, so an
array freed too early is a crash, not a wrong number; this runs the whole
script (numpy kernels and both C builds) on the small grid and reads what it
wrote. Timings are never asserted.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_runs_and_writes_its_results(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_costs.py"), "--quick", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(out.read_text())
    assert results["records"], "no case was timed"
    assert {"machine", "records", "c_kernels"} <= set(results)
    c = results["c_kernels"]
    if shutil.which("gcc") or shutil.which("cc"):
        # every C loop agreed with the formula (the script checks) and was timed
        assert [row["C"] for row in c["rows"]] and all(
            {"quadratic_scalar", "linear_scalar", "quadratic_simd", "linear_simd"} <= set(row["seconds"])
            for row in c["rows"]
        )
    else:
        assert "skipped" in c


def test_chapter_12_quotes_the_recorded_run():
    # every percentage of the paragraph is a share of the recorded JSON, read here directly
    import re

    from derivations.teaching.roofline import RECORDED_BENCH, bench_paragraph, c_kernel_table

    data = json.loads((ROOT / "src" / "derivations" / RECORDED_BENCH).read_text())
    text = bench_paragraph(data)
    shares = {
        (r["kernel"], r["dtype"]): r["fraction"]
        for r in data["records"]
        if (r["N"], r["C"]) == (512, 50_257)
    }
    quoted = [int(v) for v in re.findall(r"(\d+)%", text)]
    order = [("vjp_readable", "float32"), ("vjp_fast", "float32"), ("vjp_fresh", "float32"),
             ("ce_fast", "float32"), ("ce_fresh", "float32"), ("ce_readable", "float32"),
             ("vjp_fast", "float64"), ("ce_fast", "float64"), ("ce_readable", "float64")]
    assert quoted == [round(100 * shares[k]) for k in order]
    assert data["machine"]["cpu"] in text and f"numpy {data['machine']['numpy']}" in text
    table = c_kernel_table(data)
    for row in data["c_kernels"]["rows"]:
        s = row["seconds"]
        assert f"| {row['C']:,} |" in table
        ratio = s["quadratic_factored_scalar"] / s["linear_scalar"]
        assert f"{ratio:,.0f}×" in table
