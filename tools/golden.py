"""Record PyTorch's cross-entropy, loss and gradient, for a fixed set of cases.

    make golden
    python tools/golden.py [--out tests/golden/torch_cross_entropy.json]

``make test`` needs no torch: ``tests/test_losses_torch_golden.py`` compares
``derivations.cross_entropy``, ``cross_entropy_grad`` and
``cross_entropy_with_grad`` with the outputs this script recorded from
``torch.nn.functional.cross_entropy`` and its autograd (torch as pinned in
``requirements-test.txt``). ``make test-torch`` runs the live comparisons,
including a check that the recorded file is still what torch computes.

Every case stores its inputs beside the outputs, so reading the file needs
no random generator that agrees with the one that wrote it. The cases
(:func:`cases`) are those of ``tests/test_losses_torch_semantics.py`` plus -inf
masks, ``ignore_index`` (default and custom), class weights with zero
entries, label smoothing, soft targets, every reduction, the shapes (C,),
(1, C), (N, C) and C = 1, in float64 and float32.

Where torch's answer is NaN and ``derivations`` documents a defined result
instead (see :func:`expected`), a case holds the documented result as
``loss``/``grad``, torch's own as ``torch_loss``/``torch_grad``, and a
``note`` that says why.

The script then runs ``tools/golden_accuracy.py``, if it exists, which
writes ``src/derivations/data/accuracy_peers.json`` (the peers' accuracy in
chapter 8).

torch is imported only inside the functions that call it: the tests that
read the file import this module without torch.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "torch_cross_entropy.json"
ACCURACY = ROOT / "tools" / "golden_accuracy.py"

DEFAULT_IGNORE = -100

# Below a row's largest finite logit by this much, exp underflows to exactly
# 0 in float32 (at -104) and float64 (at -745): a stand-in for -inf that
# softmax cannot tell apart from it, but whose log-probability is finite.
_STAND_IN_GAP = 1e4


# ------------------------------------------------------------------ the oracle


def torch_cross_entropy(z, target, *, weight=None, ignore_index=DEFAULT_IGNORE,
                        reduction="mean", label_smoothing=0.0):
    """torch's loss and the autograd gradient of its sum, as numpy arrays.

    Computed in ``z``'s float type; integer targets are passed as int64
    (torch's class-index type), probability targets and weights in ``z``'s
    float type.
    """
    import torch

    # contiguous, writable copies: torch takes no negative strides
    z = np.array(z)
    zt = torch.tensor(z, requires_grad=True)
    target = np.asarray(target)
    kind = np.int64 if target.dtype.kind in "iu" else z.dtype
    tt = torch.tensor(np.array(target, dtype=kind))
    wt = None if weight is None else torch.tensor(np.array(weight, dtype=z.dtype))
    loss = torch.nn.functional.cross_entropy(
        zt, tt, weight=wt, ignore_index=ignore_index, reduction=reduction,
        label_smoothing=label_smoothing,
    )
    loss.sum().backward()
    return loss.detach().numpy(), zt.grad.numpy()


def target_weights(z, target, *, weight=None, ignore_index=DEFAULT_IGNORE,
                   label_smoothing=0.0):
    """Where the (smoothed, weighted) target puts weight, and the mean's divisor.

    Returns ``(positive, norm)``: ``positive`` an (N, C) bool array, True where
    ``weight[c] * t'[n, c] > 0``; ``norm`` torch's divisor of the "mean"
    reduction (the summed weight of the non-ignored class targets, or N for
    probability targets).
    """
    z2 = np.atleast_2d(z)
    N, C = z2.shape
    w = np.ones(C) if weight is None else np.asarray(weight, dtype=np.float64)
    eps = float(label_smoothing)
    t = np.asarray(target)
    if t.dtype.kind in "iu":
        y = t.reshape(N).astype(np.int64)
        kept = y != ignore_index
        onehot = np.zeros((N, C), dtype=bool)
        onehot[np.flatnonzero(kept), y[kept]] = True
        share = (onehot & (eps < 1)) | (kept[:, None] & (eps > 0))
        norm = float(w[y[kept]].sum())
    else:
        share = ((1 - eps) * t.reshape(N, C) > 0) | (eps > 0)
        norm = float(N)
    return share & (w > 0), norm


def expected(z, target, *, weight=None, ignore_index=DEFAULT_IGNORE,
             reduction="mean", label_smoothing=0.0):
    """What ``derivations.cross_entropy`` and its gradient must return.

    torch's answer, except where torch gives NaN and the package documents a
    defined result (the docstrings in ``src/derivations/losses.py``):

    * a class whose logit is -inf contributes nothing while its target weight
      is 0; torch computes ``0 * log 0 = NaN`` (probability targets, or label
      smoothing with a zero class weight);
    * it makes the row's loss +inf if the target puts weight on it, and its
      gradient is 0 (torch: ``-weight * t'`` times the reduction's scale);
    * a fully masked row: loss +inf, or 0 if its target weights are all 0
      (an ignored row); gradient 0 (torch: NaN);
    * "mean" with nothing to average (every target ignored, or every
      target's class weight 0): loss 0 and gradient 0 (torch: NaN).

    The documented values come from torch too: each -inf is replaced by a
    finite stand-in so far below the row's maximum that exp gives exactly 0
    there, which leaves every probability unchanged, and where the target
    puts weight on a masked class the loss is set to +inf and the gradient
    there to 0.

    Returns ``(loss, grad, note, raw)``: ``note`` is None when the result is
    torch's own, else a sentence saying why not, and ``raw`` torch's
    ``(loss, grad)``.
    """
    kw = dict(weight=weight, ignore_index=ignore_index,
              label_smoothing=label_smoothing)
    z = np.asarray(z)
    raw_loss, raw_grad = torch_cross_entropy(z, target, reduction=reduction, **kw)
    z2 = np.atleast_2d(z)
    masked = np.isneginf(z2)
    positive, norm = target_weights(z, target, **kw)
    nothing_to_average = reduction == "mean" and norm == 0
    if not masked.any() and not nothing_to_average:
        return raw_loss, raw_grad, None, (raw_loss, raw_grad)

    finite = np.where(masked, -np.inf, z2).max(axis=1, keepdims=True)
    finite = np.where(np.isneginf(finite), 0.0, finite)  # a fully masked row
    stand_in = np.where(masked, finite - _STAND_IN_GAP, z2).astype(z.dtype)
    stand_in = stand_in.reshape(z.shape)
    loss, grad = torch_cross_entropy(stand_in, target, reduction=reduction, **kw)
    rows, _ = torch_cross_entropy(stand_in, target, reduction="none", **kw)
    grad = np.where(masked, 0, np.atleast_2d(grad)).astype(z.dtype).reshape(z.shape)
    infinite = (masked & positive).any(axis=1)
    if reduction == "none":
        loss = np.where(infinite, np.inf, np.atleast_1d(rows)).astype(z.dtype)
        loss = loss.reshape(np.shape(rows))
    elif infinite.any():
        loss = np.asarray(np.inf, dtype=z.dtype)
    if nothing_to_average:
        loss = np.zeros((), dtype=z.dtype)
        grad = np.zeros_like(grad)

    # say only what made torch's answer differ
    raw_rows, _ = torch_cross_entropy(z, target, reduction="none", **kw)
    raw_rows = np.atleast_1d(raw_rows)
    raw_grad2 = np.atleast_2d(raw_grad)
    full = masked.all(axis=1)
    partial = masked & ~full[:, None]
    reasons = []
    if nothing_to_average:
        reasons.append("nothing to average: the mean is 0 and so is its gradient")
    if (full & ~infinite).any():
        reasons.append("a fully masked, ignored row: loss 0, gradient 0")
    if (full & infinite).any():
        reasons.append("a fully masked row with a target: loss +inf, gradient 0")
    if (raw_grad2[partial & positive] != 0).any():
        reasons.append("target weight on a masked class: loss +inf, gradient 0 there")
    if np.isnan(raw_rows[(partial & ~positive).any(axis=1) & ~infinite]).any():
        reasons.append("a masked class of target weight 0 contributes nothing (not 0 * log 0)")
    same = _identical(loss, raw_loss) and _identical(grad, raw_grad)
    note = None if same else "; ".join(reasons) + "; torch differs"
    return loss, grad, note, (raw_loss, raw_grad)


def _identical(a, b):
    return np.shape(a) == np.shape(b) and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


# ------------------------------------------------------------------ tolerances


def tolerances(z, target, *, weight=None, ignore_index=DEFAULT_IGNORE,
               reduction="mean", label_smoothing=0.0):
    """Absolute tolerances ``(loss_atol, grad_atol)`` for comparing with torch.

    A row's loss ``sum_c a (lse - z_c)`` subtracts numbers as large as the
    row's largest logit, and its probabilities ``exp(z - max)`` carry a
    relative error of the rounding of ``z - max``; both scale with the float
    type's epsilon times ``M = 1 + max |z|`` (finite entries), times the
    target mass ``sum a`` of the row (and the mean's ``1 / norm``). The factor
    32 leaves room for the sums over classes and rows; a wrong formula is
    off by far more.
    """
    z = np.asarray(z)
    z2 = np.atleast_2d(z)
    eps = np.finfo(z2.dtype).eps
    finite = z2[np.isfinite(z2)]
    M = 1.0 + (np.abs(finite).max() if finite.size else 0.0)
    N, C = z2.shape
    w = np.ones(C) if weight is None else np.asarray(weight, dtype=np.float64)
    t = np.asarray(target)
    es = float(label_smoothing)
    if t.dtype.kind in "iu":
        y = t.reshape(N).astype(np.int64)
        kept = y != ignore_index
        mass = np.where(kept, (1 - es) * w[np.where(kept, y, 0)] + es * w.mean(), 0.0)
        norm = float(w[y[kept]].sum())
    else:
        tt = (1 - es) * t.reshape(N, C).astype(np.float64) + es / C
        mass = (tt * w).sum(axis=1)
        norm = float(N)
    scale = 1.0 / norm if reduction == "mean" and norm else 1.0
    row = 32 * eps * M * np.maximum(mass, 1.0) * scale
    if reduction != "none":
        loss_atol = row.sum()
    else:
        loss_atol = row if z.ndim == 2 else row[0]
    return loss_atol, float(row.max())


# ------------------------------------------------------------------- the cases


def assert_close(ours, ref, atol, what):
    """``|ours - ref| <= atol + rtol |ref|`` entry by entry, infinities equal; else AssertionError.

    ``rtol`` is 16 ulps of ``ref``'s float type; ``ref`` must hold no NaN
    (where torch gives NaN, :func:`expected` holds the documented value).
    """
    ours = np.asarray(ours)
    assert ours.shape == ref.shape, f"{what}: shape {ours.shape}, expected {ref.shape}"
    assert ours.dtype == ref.dtype, f"{what}: dtype {ours.dtype}, expected {ref.dtype}"
    assert not np.isnan(ref).any(), f"{what}: no expected value (NaN: {ref})"
    rtol = 16 * np.finfo(ref.dtype).eps
    same_inf = np.isinf(ref) & (ours == ref)
    with np.errstate(invalid="ignore"):
        err = np.where(same_inf, 0.0, np.abs(ours.astype(np.float64) - ref))
    bad = ~(err <= atol + rtol * np.where(same_inf, 0.0, np.abs(ref)))
    assert not bad.any(), (
        f"{what}: ours {ours[bad]} vs torch {ref[bad]} "
        f"(|error| {err[bad]}, atol {np.broadcast_to(atol, err.shape)[bad]})"
    )


def matches_torch_cases():
    """The cases of ``test_matches_torch`` (which takes them from here), and a third again in float32."""
    grid = list(
        itertools.product(
            ["int", "prob"],
            [None, "w"],
            ["mean", "sum", "none"],
            [0.0, 0.25],
            [(5, 4), (4,), (1, 3)],
            [False, True],  # some targets equal to ignore_index
        )
    )
    for i, (kind, weighted, reduction, eps, shape, ignore) in enumerate(grid):
        rng = np.random.default_rng(i)
        C = shape[-1]
        z = rng.normal(scale=3.0, size=shape)
        if kind == "int":
            t = rng.integers(0, C, size=shape[:-1])
            if ignore and t.ndim == 1 and t.size > 1:
                t[1] = 7
        else:
            t = rng.random(shape) * 1.7  # rows need not sum to 1
        w = rng.random(C) + 0.3 if weighted else None
        name = (f"matches_torch[{kind},{weighted},{reduction},{eps},"
                f"{'x'.join(map(str, shape))},{'ignore' if ignore else 'all'}]")
        case = dict(name=name, z=z, target=t, weight=w, reduction=reduction,
                    label_smoothing=eps)
        if kind == "int":
            case["ignore_index"] = 7
        yield case
        if i % 3 == 0:  # a third of them again in float32
            yield dict(case, name=name + "[float32]", z=z.astype(np.float32),
                       weight=None if w is None else w.astype(np.float32),
                       target=t.astype(np.float32) if kind == "prob" else t)


def _large_logits_cases():
    """The cases of ``test_large_logits_match_torch``."""
    for dtype in (np.float32, np.float64):
        rng = np.random.default_rng(11)
        z = (rng.normal(size=(6, 5)) * 1e4).astype(dtype)
        t = rng.integers(0, 5, size=6)
        yield dict(name=f"large_logits[{np.dtype(dtype).name}]", z=z, target=t,
                   label_smoothing=0.1)


def _edge_cases():
    """-inf masks, ignore_index, weights, smoothing, soft targets, shapes."""
    rng = np.random.default_rng(2024)
    ninf = -np.inf
    out = []

    def add(name, z, target, **kw):
        for reduction in ("mean", "sum", "none"):
            for dtype in (np.float64, np.float32):
                zd = np.asarray(z, dtype=dtype)
                t = np.asarray(target)
                if t.dtype.kind == "f":
                    t = t.astype(dtype)
                w = kw.get("weight")
                out.append(dict(kw, name=f"{name}[{reduction},{np.dtype(dtype).name}]",
                                z=zd, target=t, reduction=reduction,
                                weight=None if w is None else np.asarray(w, dtype=dtype)))

    z43 = rng.normal(scale=2.0, size=(4, 3))
    masked = z43.copy()
    masked[0, 1] = masked[2, 0] = ninf
    add("mask/off-target", masked, np.array([0, 2, 1, 1]))
    add("mask/on-target", masked, np.array([1, 2, 1, 0]))
    add("mask/off-target/smoothing", masked, np.array([0, 2, 1, 1]), label_smoothing=0.2)
    add("mask/off-target/smoothing/zero-weight", masked, np.array([0, 2, 2, 1]),
        label_smoothing=0.2, weight=[0.0, 0.0, 2.0])
    full = masked.copy()
    full[1] = ninf
    add("mask/full-row/ignored", full, np.array([0, -100, 1, 1]))
    add("mask/full-row/target", full, np.array([0, 2, 1, 1]))
    soft = rng.random((4, 3))
    soft[0, 1] = soft[2, 0] = 0.0
    add("mask/soft/zero-target", masked, soft)
    add("mask/soft/on-target", masked, rng.random((4, 3)))
    add("mask/all-but-one", np.array([[ninf, 0.5, ninf, ninf]]), np.array([1]))

    z53 = rng.normal(size=(5, 3))
    add("ignore/default", z53, np.array([0, -100, 2, -100, 1]))
    add("ignore/in-range", z53, np.array([0, 1, 2, 1, 1]), ignore_index=1)
    add("ignore/negative", z53, np.array([-1, 1, 2, -1, 0]), ignore_index=-1)
    add("ignore/beyond-classes", z53, np.array([5, 1, 2, 0, 0]), ignore_index=5)
    add("ignore/all", z53, np.full(5, -100))
    add("ignore/all/smoothing", z53, np.full(5, 2), ignore_index=2, label_smoothing=0.3)
    add("ignore/weighted/smoothing", z53, np.array([0, -100, 2, 1, -100]),
        weight=[0.5, 2.0, 1.5], label_smoothing=0.1)

    add("weight/zero-entry", z53, np.array([0, 1, 2, 1, 0]), weight=[1.0, 0.0, 3.0])
    add("weight/targets-all-zero", z53, np.array([1, 1, 1, 1, 1]), weight=[1.0, 0.0, 3.0])
    add("weight/targets-all-zero/smoothing", z53, np.array([1, 1, 1, 1, 1]),
        weight=[1.0, 0.0, 3.0], label_smoothing=0.5)
    add("weight/soft", z53, rng.random((5, 3)), weight=[0.2, 1.0, 4.0])
    add("weight/soft/smoothing", z53, rng.random((5, 3)), weight=[0.0, 1.0, 4.0],
        label_smoothing=0.3)

    for eps in (0.05, 0.5, 1.0):
        add(f"smoothing/{eps}", z53, np.array([2, 0, 1, 1, 0]), label_smoothing=eps)
    p = rng.random((5, 3))
    add("soft/distribution", z53, p / p.sum(axis=1, keepdims=True))
    add("soft/unnormalised", z53, 2.5 * rng.random((5, 3)))
    add("soft/zero-row", z53, np.vstack([np.zeros(3), rng.random((4, 3))]))
    add("soft/one-hot", z53, np.eye(3)[[0, 2, 1, 1, 0]])
    add("soft/smoothing", z53, rng.random((5, 3)), label_smoothing=0.25)

    z6 = rng.normal(size=6)
    add("shape/C/int", z6, np.array(4))
    add("shape/C/int/ignored", z6, np.array(-100))
    add("shape/C/soft", z6, rng.random(6))
    add("shape/C/masked", np.where(np.arange(6) % 2, ninf, z6), np.array(2))
    add("shape/1xC/int", z6[None], np.array([3]))
    add("shape/1xC/soft", z6[None], rng.random((1, 6)))
    add("shape/C=1/int", rng.normal(size=(3, 1)), np.array([0, 0, 0]))
    add("shape/C=1/int/smoothing", rng.normal(size=(3, 1)), np.array([0, -100, 0]),
        label_smoothing=0.4)
    add("shape/C=1/soft", rng.normal(size=(3, 1)), rng.random((3, 1)))
    add("shape/C=1/single-row", np.array([1.5]), np.array(0))
    add("shape/NxC/wide", rng.normal(scale=4.0, size=(3, 40)), rng.integers(0, 40, size=3))
    add("shape/NxC/tall", rng.normal(size=(24, 5)), rng.integers(0, 5, size=24),
        weight=rng.random(5) + 0.1)

    add("scale/1e4", rng.normal(scale=1e4, size=(4, 5)), np.array([0, 1, 2, 3]))
    add("scale/offset-1e3", rng.normal(size=(4, 5)) - 1e3, rng.random((4, 5)))
    add("scale/tiny", rng.normal(scale=1e-9, size=(4, 5)), np.array([4, 3, 2, 1]))
    add("scale/confident", np.array([[30.0, 0.0, -5.0], [0.0, 45.0, 1.0]]), np.array([0, 1]))
    return out


def cases():
    """Every recorded case: a dict of ``cross_entropy``'s arguments and a name."""
    every = [*matches_torch_cases(), *_large_logits_cases(), *_edge_cases()]
    for case in every:
        case.setdefault("weight", None)
        case.setdefault("ignore_index", DEFAULT_IGNORE)
        case.setdefault("reduction", "mean")
        case.setdefault("label_smoothing", 0.0)
    names = [c["name"] for c in every]
    assert len(set(names)) == len(names), "case names must be unique"
    return every


ARGS = ("weight", "ignore_index", "reduction", "label_smoothing")


def record(case):
    """The case with torch's outputs (see :func:`expected`) added."""
    kw = {k: case[k] for k in ARGS}
    loss, grad, note, (raw_loss, raw_grad) = expected(case["z"], case["target"], **kw)
    rec = dict(case, loss=loss, grad=grad)
    if note:
        rec.update(note=note, torch_loss=raw_loss, torch_grad=raw_grad)
    return rec


# ------------------------------------------------------------------ the file

# Arrays are written as (nested) lists of numbers with their dtype beside
# them; float32 values as the float64 they widen to, which round-trips
# exactly. JSON has no infinities or NaN, so those are the strings "inf",
# "-inf" and "nan".
_ARRAYS = ("z", "target", "weight", "loss", "grad", "torch_loss", "torch_grad")


def _encode(a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        flat = [float(x) if np.isfinite(x) else str(float(x)) for x in a.ravel()]
    else:
        flat = [int(x) for x in a.ravel()]
    return dict(dtype=a.dtype.name, shape=list(a.shape), data=flat)


def _decode(d):
    return np.array(d["data"], dtype=np.float64 if d["dtype"].startswith("float")
                    else d["dtype"]).astype(d["dtype"]).reshape(d["shape"])


def encode_case(rec):
    return {k: (_encode(v) if k in _ARRAYS and v is not None else v) for k, v in rec.items()}


def decode_case(d):
    """A case as stored, with its arrays as numpy arrays of their recorded dtype."""
    return {k: (_decode(v) if k in _ARRAYS and v is not None else v) for k, v in d.items()}


def load(path=GOLDEN):
    """``(header, cases)`` of a golden file, the cases decoded."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k != "cases"}, [decode_case(c) for c in data["cases"]]


def write(path=GOLDEN):
    import torch

    recs = [record(c) for c in cases()]
    header = dict(
        about="torch.nn.functional.cross_entropy and the autograd gradient of its "
              "sum, written by tools/golden.py (make golden); read by "
              "tests/test_losses_torch_golden.py. Where a case has a note, loss and grad "
              "are the documented result and torch_loss, torch_grad torch's own.",
        torch=torch.__version__,
        numpy=np.__version__,
    )
    lines = json.dumps(header)[:-1] + ', "cases": [\n'
    lines += ",\n".join(json.dumps(encode_case(r), allow_nan=False) for r in recs)
    lines += "\n]}\n"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(lines, encoding="utf-8")
    noted = sum("note" in r for r in recs)
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
          f"{len(recs)} cases ({noted} with a documented result where torch differs), "
          f"{len(lines) / 1e3:.0f} kB, torch {torch.__version__}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=GOLDEN)
    args = parser.parse_args(argv)
    write(args.out.resolve())
    if ACCURACY.exists():
        subprocess.run([sys.executable, str(ACCURACY)], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
