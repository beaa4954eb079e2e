"""Random arguments of the cross-entropy functions, checked against PyTorch.

hypothesis draws the whole argument space of ``cross_entropy``,
``cross_entropy_grad`` and ``cross_entropy_with_grad``: float32 and float64
logits of shape (C,) or (N, C), -inf masks (whole rows too), integer targets
(int64 or int32, some equal to ``ignore_index``) or probability targets,
``ignore_index`` left at its default or set to a class or to any other
integer, class weights (None, or non-negative with zero entries), every
reduction, label smoothing in [0, 1], and the inputs' memory layouts
(C- and Fortran-ordered, strided slices, transposed and reversed views,
read-only), and ``out=`` in every layout, including one that aliases ``z``.

The expected values are torch's loss and autograd gradient
(``tools/golden.py: expected``), except where torch gives NaN and the package
documents a defined result; there the documented result is expected. torch is
an independent implementation, installed by ``make test-torch``.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from derivations import cross_entropy, cross_entropy_grad, cross_entropy_with_grad
from tools import golden

torch = pytest.importorskip(
    "torch",
    reason="torch is the live oracle here: `make test-torch` installs it "
    "(requirements-test.txt); `make test` checks tests/golden/ instead",
)

LAYOUTS = ("c", "fortran", "strided", "transposed")
OUTS = (None, "c", "fortran", "strided", "transposed", "alias", "alias-view",
        "read-only", "wrong-dtype")


def relayout(a, how):
    """A copy of ``a`` with the same values, laid out in memory as ``how`` says."""
    a = np.asarray(a)
    if a.ndim == 0 or how == "c":
        return a.copy()
    if how == "fortran":
        return np.asfortranarray(a)
    if how == "strided":
        # every other entry of a larger array, starting one in: not contiguous
        big = np.zeros(tuple(2 * n + 1 for n in a.shape), dtype=a.dtype)
        view = big[tuple(slice(1, None, 2) for _ in a.shape)]
        view[...] = a
        return view
    if how == "transposed":
        # 2-d: a transposed view of the transpose; 1-d: a reversed view
        return np.ascontiguousarray(a.T).T if a.ndim == 2 else a[::-1].copy()[::-1]
    raise AssertionError(how)


def read_only(a):
    a.flags.writeable = False
    return a


@st.composite
def problems(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    batched = draw(st.booleans())
    # up to 64 classes a row's sums are einsums, beyond that BLAS dot products
    C = draw(st.one_of(st.integers(1, 7), st.integers(60, 130)))
    N = draw(st.integers(1, 6)) if batched else 1
    shape = (N, C) if batched else (C,)

    scale = draw(st.sampled_from([1.0, 10.0, 1e4]))
    z = draw(arrays(np.float64, shape, elements=st.floats(-scale, scale)))
    if draw(st.booleans()):
        z[draw(arrays(np.bool_, shape))] = -np.inf
    z = z.astype(dtype)

    kw = {}
    kind = draw(st.sampled_from(["int", "prob"]))
    ignore_index = draw(st.one_of(
        st.just(-100), st.integers(0, C - 1), st.integers(-3, C + 3), st.just(10**6),
    ))
    if kind == "prob" and draw(st.integers(0, 3)):
        ignore_index = -100  # mostly: any other value is refused
    if ignore_index != -100 or draw(st.booleans()):
        kw["ignore_index"] = ignore_index
    if kind == "int":
        label = st.one_of(st.integers(0, C - 1), st.just(ignore_index))
        t = draw(arrays(np.int64, (N,), elements=label))
        t = t.astype(draw(st.sampled_from([np.int64, np.int32])))
        t = t if batched else t.reshape(())
    else:
        mass = st.one_of(st.just(0.0), st.floats(0, 2))
        t = draw(arrays(np.float64, shape, elements=mass))
        t = t.astype(draw(st.sampled_from([dtype, np.float64])))

    weight_kind = draw(st.sampled_from(["none", "array", "list"]))
    if weight_kind != "none":
        w = draw(arrays(np.float64, (C,), elements=st.one_of(st.just(0.0), st.floats(0.01, 3))))
        kw["weight"] = w.tolist() if weight_kind == "list" else w.astype(
            draw(st.sampled_from([dtype, np.float64])))
    reduction = draw(st.sampled_from(["mean", "sum", "none", None]))
    if reduction is not None:
        kw["reduction"] = reduction
    eps = draw(st.one_of(st.none(), st.just(0.0), st.just(1.0), st.floats(0, 1)))
    if eps is not None:
        kw["label_smoothing"] = eps

    def lay(a):
        a = relayout(a, draw(st.sampled_from(LAYOUTS)))
        return read_only(a) if draw(st.booleans()) else a

    z, t = lay(z), lay(t)
    if isinstance(kw.get("weight"), np.ndarray):
        kw["weight"] = lay(kw["weight"])
    return z, t, kw, draw(st.sampled_from(OUTS))


def make_out(z, how):
    if how in ("c", "fortran", "strided", "transposed"):
        return relayout(np.full(z.shape, np.nan, dtype=z.dtype), how)
    if how == "alias":
        return z
    if how == "alias-view":
        return z[...]
    if how == "read-only":
        return read_only(np.empty_like(z))
    if how == "wrong-dtype":
        return np.empty(z.shape, dtype=np.float32 if z.dtype == np.float64 else np.float64)
    raise AssertionError(how)


@settings(max_examples=2500, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(problems())
def test_matches_torch_autograd(problem):
    z, t, kw, out_how = problem
    before = [np.array(a, copy=True) for a in (z, t, kw.get("weight"))]

    event(f"out={out_how}")
    if np.asarray(t).dtype.kind == "f" and kw.get("ignore_index", -100) != -100:
        event("probability targets with ignore_index: ValueError")
        # Documented: ignore_index applies to class indices only. torch agrees for
        # ignore_index >= 0 and ignores a negative one.
        for f in (cross_entropy, cross_entropy_grad, cross_entropy_with_grad):
            with pytest.raises(ValueError, match="ignore_index"):
                f(z, t, **kw)
        return

    args = {k: kw.get(k, d) for k, d in zip(golden.ARGS, (None, -100, "mean", 0.0))}
    loss, grad, note, _ = golden.expected(z, t, **args)
    loss_atol, grad_atol = golden.tolerances(z, t, **args)
    why = f" [{note}]" if note else ""
    event(f"torch differs, documented result: {note}" if note else "torch's own result")

    golden.assert_close(cross_entropy(z, t, **kw), loss, loss_atol, "cross_entropy" + why)
    golden.assert_close(cross_entropy_grad(z, t, **kw), grad, grad_atol, "cross_entropy_grad" + why)
    if out_how is None:
        l2, g2 = cross_entropy_with_grad(z, t, **kw)
    elif out_how.startswith("alias") or out_how in ("read-only", "wrong-dtype"):
        out = make_out(z, out_how)
        with pytest.raises(ValueError, match=r"\bout\b"):
            cross_entropy_with_grad(z, t, out=out, **kw)
        l2, g2 = cross_entropy_with_grad(z, t, **kw)
    else:
        out = make_out(z, out_how)
        l2, g2 = cross_entropy_with_grad(z, t, out=out, **kw)
        assert g2 is out
    golden.assert_close(l2, loss, loss_atol, "cross_entropy_with_grad loss" + why)
    golden.assert_close(g2, grad, grad_atol, "cross_entropy_with_grad dz" + why)

    for a, b in zip((z, t, kw.get("weight")), before):
        np.testing.assert_array_equal(np.asarray(a), b, err_msg="an input was changed")
