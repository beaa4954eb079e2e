"""cross_entropy against PyTorch's recorded outputs, without torch.

``tests/golden/torch_cross_entropy.json`` holds, for a fixed set of cases,
the inputs and what ``torch.nn.functional.cross_entropy`` and its autograd
returned (``make golden`` writes it with tools/golden.py; its cases are
listed there). Where torch gives NaN and the package documents a defined
result, the case holds that result and a note. ``make test-torch`` checks
the same semantics against live torch, and that this file is still current.
"""

import numpy as np
import pytest

from derivations import cross_entropy, cross_entropy_grad, cross_entropy_with_grad
from tools import golden

HEADER, CASES = golden.load()


def _args(case):
    return {k: case[k] for k in golden.ARGS}


def test_the_file_covers_what_it_promises():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    assert sum(n.startswith("matches_torch[") for n in names) >= 144
    assert {"large_logits[float32]", "large_logits[float64]"} <= set(names)
    kinds = {(c["z"].dtype.name, c["target"].dtype.kind, c["reduction"]) for c in CASES}
    assert kinds == {(d, k, r) for d in ("float32", "float64") for k in "if"
                     for r in ("mean", "sum", "none")}
    assert any(np.isneginf(c["z"]).all(axis=-1).any() for c in CASES)
    assert any(c["ignore_index"] not in (golden.DEFAULT_IGNORE, 7) for c in CASES)
    assert any(c["weight"] is not None and (c["weight"] == 0).any() for c in CASES)
    assert {c["z"].shape[-1] for c in CASES} >= {1, 3, 40}
    assert {c["z"].ndim for c in CASES} == {1, 2}
    assert any(c["label_smoothing"] == 1.0 for c in CASES)
    # documented differences carry torch's own answer beside the documented one
    assert all("torch_loss" in c and "torch_grad" in c for c in CASES if "note" in c)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_recorded_torch(case):
    z, t, kw = case["z"], case["target"], _args(case)
    loss_atol, grad_atol = golden.tolerances(z, t, **kw)
    note = f" ({case['note']})" if "note" in case else ""

    golden.assert_close(cross_entropy(z, t, **kw), case["loss"], loss_atol, "cross_entropy" + note)
    golden.assert_close(cross_entropy_grad(z, t, **kw), case["grad"], grad_atol, "cross_entropy_grad" + note)

    loss, dz = cross_entropy_with_grad(z, t, **kw)
    golden.assert_close(loss, case["loss"], loss_atol, "cross_entropy_with_grad loss" + note)
    golden.assert_close(dz, case["grad"], grad_atol, "cross_entropy_with_grad dz" + note)

    out = np.full_like(z, np.nan)
    loss, dz = cross_entropy_with_grad(z, t, out=out, **kw)
    assert dz is out
    golden.assert_close(loss, case["loss"], loss_atol, "cross_entropy_with_grad(out=) loss" + note)
    golden.assert_close(out, case["grad"], grad_atol, "cross_entropy_with_grad(out=) dz" + note)
