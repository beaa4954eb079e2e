"""cross_entropy follows torch.nn.functional.cross_entropy.

torch is an independent implementation, used here as an oracle for the
semantics (weighted mean, ignore_index, label smoothing, soft targets);
gradients come from its autograd. These tests need torch, which
`make test-torch` installs from requirements-test.txt; without it they are
skipped, and `make test` checks the same cases against the outputs recorded
in tests/golden/ (tests/test_losses_torch_golden.py). The last test here checks that
the recorded file is still what torch computes.
"""

import numpy as np
import pytest

from derivations import cross_entropy, cross_entropy_grad
from tools import golden

torch = pytest.importorskip(
    "torch",
    reason="torch is the live oracle here: `make test-torch` installs it "
    "(requirements-test.txt); `make test` checks tests/golden/ instead",
)
F = torch.nn.functional

# the float64 cases of test_matches_torch, built once in tools/golden.py (which
# also records them for `make test`)
CASES = [c for c in golden.matches_torch_cases() if c["z"].dtype == np.float64]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_torch(case):
    z, t, w = case["z"], case["target"], case["weight"]
    kw = {k: case[k] for k in ("reduction", "label_smoothing", "ignore_index") if k in case}

    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    tt = torch.tensor(t)
    wt = None if w is None else torch.tensor(w)
    ref = F.cross_entropy(zt, tt, weight=wt, **kw)
    ref.sum().backward()

    ours = cross_entropy(z, t, weight=w, **kw)
    np.testing.assert_allclose(ours, ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(cross_entropy_grad(z, t, weight=w, **kw), zt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype,tdtype", [(np.float32, torch.float32), (np.float64, torch.float64)])
def test_large_logits_match_torch(dtype, tdtype):
    rng = np.random.default_rng(11)
    z = (rng.normal(size=(6, 5)) * 1e4).astype(dtype)
    t = rng.integers(0, 5, size=6)
    zt = torch.tensor(z, dtype=tdtype, requires_grad=True)
    ref = F.cross_entropy(zt, torch.tensor(t), label_smoothing=0.1)
    ref.backward()
    np.testing.assert_allclose(cross_entropy(z, t, label_smoothing=0.1), ref.item(), rtol=1e-6)
    np.testing.assert_allclose(cross_entropy_grad(z, t, label_smoothing=0.1), zt.grad.numpy(), atol=1e-6)


def test_golden_file_is_current():
    """tests/golden/torch_cross_entropy.json holds today's cases and torch's answers."""
    header, stored = golden.load()
    fresh = golden.cases()
    hint = "tools/golden.py changed or torch did: run `make golden`"
    assert header["torch"].split("+")[0] == torch.__version__.split("+")[0], hint
    assert [c["name"] for c in stored] == [c["name"] for c in fresh], hint
    for old, new in zip(stored, fresh):
        for key in ("z", "target", "weight"):
            a, b = old[key], new[key]
            assert (a is None) == (b is None), f"{old['name']}: {key}; {hint}"
            if a is not None:
                assert a.dtype == b.dtype, f"{old['name']}: {key}; {hint}"
                np.testing.assert_array_equal(a, b, err_msg=f"{old['name']}: {key}; {hint}")
        kw = {k: new[k] for k in golden.ARGS}
        for key in ("ignore_index", "reduction", "label_smoothing"):
            assert old[key] == new[key], f"{old['name']}: {key}; {hint}"
        loss, grad, note, _ = golden.expected(new["z"], new["target"], **kw)
        loss_atol, grad_atol = golden.tolerances(new["z"], new["target"], **kw)
        assert note == old.get("note"), f"{old['name']}: {hint}"
        for kept, live, atol in ((old["loss"], loss, loss_atol), (old["grad"], grad, grad_atol)):
            where = f"{old['name']}: recorded {kept}, torch now {live}; {hint}"
            assert kept.dtype == live.dtype and kept.shape == np.shape(live), where
            inf = np.isinf(live)
            np.testing.assert_array_equal(kept[inf], live[inf], err_msg=where)
            err = np.abs(kept[~inf] - live[~inf])
            assert (err <= np.broadcast_to(atol, inf.shape)[~inf]).all(), where
