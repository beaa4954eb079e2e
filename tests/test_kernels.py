"""The fast kernels equal the readable formulas they replace.

``softmax_backward`` and the cross-entropy functions run row-blocked,
in-place kernels (``derivations.kernels``). Here each is compared with the
plain formula, written out again in this file so that it does not come from
the code under test: float64 to 1e-12 and float32 to 1e-6, relative to the
largest entry, on many shapes, on both sides of every block boundary, with
masked entries and with the rows that the kernel has to redo.

"Relative" means relative to the size of the terms that were added: a
gradient ``p * sum(a) - a`` whose entries nearly cancel is exact only to a
rounding of ``p`` and ``a``, so its error is measured against the largest
target weight as well as against its own largest entry; a loss, against the
total target weight (one nat per unit of weight).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import derivations.kernels as kernels
from derivations import (
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_with_grad,
    numerical_gradient,
    relative_error,
    softmax_backward,
)

TOL = {np.float32: 1e-6, np.float64: 1e-12}
DTYPES = [np.float32, np.float64]


def close(actual, expected, dtype, floor=0.0):
    """Equal to ``TOL[dtype]`` relative to max(largest entry, floor); infinities where they are."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape
    inf = np.isinf(expected)
    np.testing.assert_array_equal(actual[inf], expected[inf])
    a, e = actual[~inf], expected[~inf]
    scale = max(np.max(np.abs(e), initial=0.0), floor, 1e-300)
    err = np.max(np.abs(a - e), initial=0.0) / scale
    assert err <= TOL[dtype], f"relative error {err:.2e} > {TOL[dtype]:.0e}"


# ------------------------------------------------- the readable formulas, again


def vjp_formula(p, dp):
    # dz = p * (dp - <p, dp>), summed with numpy's pairwise sum
    return p * (dp - np.sum(p * dp, axis=-1, keepdims=True))


def dense_targets(target, C, dtype, weight=None, ignore_index=-100, eps=0.0):
    """The (N, C) target weights a = weight * smoothed target, as documented."""
    t = np.asarray(target)
    w = np.ones(C) if weight is None else np.asarray(weight, dtype=np.float64)
    if t.dtype.kind in "iu":
        t = np.atleast_1d(t)
        a = np.zeros((len(t), C))
        for n, y in enumerate(t):
            if y != ignore_index:
                a[n] = eps / C
                a[n, y] += 1 - eps
        norm = sum(w[y] for y in t if y != ignore_index)
    else:
        t = np.atleast_2d(t).astype(np.float64)
        a = (1 - eps) * t + eps / C
        norm = len(t)
    return (a * w).astype(dtype), norm


def ce_formula(z, a, norm, reduction):
    """Loss and gradient of sum_c a (-log p), in the same float type as z."""
    z = np.atleast_2d(z)
    m = np.max(z, axis=1, keepdims=True)
    m = np.where(np.isneginf(m), 0, m)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        lse = np.where(s > 0, np.log(s), 0)
        logp = z - m - lse
        p = np.where(s > 0, e / s, 0)
        rows = -np.sum(np.where(a != 0, a * logp, 0), axis=1)
    g = p * a.sum(axis=1, keepdims=True) - a
    g[np.isneginf(z)] = 0
    if reduction == "none":
        return rows, g
    if reduction == "sum":
        return rows.sum(), g
    return (rows.sum() / norm if norm else 0.0), (g / norm if norm else 0 * g)


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 24 entries, so that small arrays cross many block boundaries."""
    monkeypatch.setattr(kernels, "BLOCK_ELEMENTS", 24)


# (N, C) around the boundaries of 24-entry blocks: C = 1, odd C, C = 24, C > 24
SHAPES = [(1, 1), (5, 1), (1, 7), (3, 7), (4, 7), (7, 7), (9, 5), (2, 24), (5, 24), (3, 25), (6, 13), (11, 3)]


# ------------------------------------------------------------------ softmax VJP


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_vjp_equals_formula_across_block_boundaries(small_blocks, dtype, shape):
    rng = np.random.default_rng(sum(shape))
    z = rng.normal(scale=3.0, size=shape)
    p = (np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)).astype(dtype)
    dp = rng.normal(size=shape).astype(dtype)
    dz = softmax_backward(p, dp)
    assert dz.dtype == dtype
    close(dz, vjp_formula(p, dp), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_vjp_equals_formula_at_vocabulary_size(dtype):
    # 50257 classes: a handful of rows per default block, so 7 rows make 3 blocks
    rng = np.random.default_rng(1)
    z = rng.normal(scale=3.0, size=(7, 50257))
    p = (np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)).astype(dtype)
    dp = rng.normal(size=p.shape).astype(dtype)
    close(softmax_backward(p, dp), vjp_formula(p, dp), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_vjp_with_masked_entries_and_an_all_zero_row(small_blocks, dtype):
    rng = np.random.default_rng(2)
    z = rng.normal(size=(6, 9))
    z[1, [0, 4]] = -np.inf  # masked classes have p = 0
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    p[3] = 0  # softmax of a fully masked row
    p, dp = p.astype(dtype), rng.normal(size=p.shape).astype(dtype)
    dz = softmax_backward(p, dp)
    close(dz, vjp_formula(p, dp), dtype)
    assert np.all(dz[1, [0, 4]] == 0) and np.all(dz[3] == 0)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_vjp_any_axis_and_layout(small_blocks, axis):
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 5, 6))
    p = np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)
    dp = rng.normal(size=z.shape)
    expected = np.moveaxis(vjp_formula(np.moveaxis(p, axis, -1), np.moveaxis(dp, axis, -1)), -1, axis)
    close(softmax_backward(p, dp, axis=axis), expected, np.float64)
    # a non-contiguous view of the same numbers gives the same answer
    pt, dpt = np.asfortranarray(p), np.asfortranarray(dp)
    close(softmax_backward(pt, dpt, axis=axis), expected, np.float64)


@pytest.mark.parametrize("dtype", DTYPES)
def test_vjp_float32_is_close_to_float64_truth(dtype):
    # not only equal to the float32 formula: within 1e-6 of the exact answer
    rng = np.random.default_rng(4)
    z = rng.normal(scale=4.0, size=(5, 20000))
    p64 = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    dp64 = rng.normal(size=z.shape)
    p, dp = p64.astype(dtype), dp64.astype(dtype)
    close(softmax_backward(p, dp), vjp_formula(p.astype(np.float64), dp.astype(np.float64)), dtype)


def test_vjp_matches_finite_differences():
    # a scalar loss L(z) = <w, softmax(z)>: dL/dz by the VJP with dp = w
    rng = np.random.default_rng(5)
    z = rng.normal(size=(3, 4))
    w = rng.normal(size=(3, 4))

    def loss(zz):
        e = np.exp(zz - zz.max(axis=1, keepdims=True))
        return float(np.sum(w * e / e.sum(axis=1, keepdims=True)))

    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    assert relative_error(softmax_backward(p, w), numerical_gradient(loss, z)) < 1e-8


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_vjp_rejects_non_finite_input_in_any_block(small_blocks, bad):
    p = np.full((8, 6), 1 / 6)
    dp = np.zeros((8, 6))
    dp[6, 2] = bad  # in the last block, after earlier blocks were computed
    with pytest.raises(ValueError, match="finite"):
        softmax_backward(p, dp)


# ---------------------------------------------------------------- out= arrays


def test_vjp_writes_into_out():
    rng = np.random.default_rng(6)
    p = np.full((3, 4), 0.25)
    dp = rng.normal(size=(3, 4))
    out = np.full((3, 4), np.nan)
    result = softmax_backward(p, dp, out=out)
    assert result is out
    close(out, vjp_formula(p, dp), np.float64)


def test_vjp_out_may_be_non_contiguous_and_axis_not_last():
    rng = np.random.default_rng(7)
    p = np.full((4, 3), 0.25)  # classes along axis 0
    dp = rng.normal(size=(4, 3))
    big = np.zeros((4, 6))
    out = big[:, ::2]
    softmax_backward(p, dp, axis=0, out=out)
    close(out, vjp_formula(p.T, dp.T).T, np.float64)
    assert np.all(big[:, 1::2] == 0)


@pytest.mark.parametrize(
    "make_out, error",
    [
        (lambda p, dp: np.empty((3, 5)), ValueError),
        (lambda p, dp: np.empty((3, 4), dtype=np.float32), ValueError),
        (lambda p, dp: p, ValueError),
        (lambda p, dp: dp[:], ValueError),
        (lambda p, dp: [[0.0] * 4] * 3, TypeError),
    ],
)
def test_vjp_rejects_a_bad_out(make_out, error):
    p = np.full((3, 4), 0.25)
    dp = np.ones((3, 4))
    with pytest.raises(error, match="out"):
        softmax_backward(p, dp, out=make_out(p, dp))


# ---------------------------------------------------------------- cross-entropy

REDUCTIONS = ["mean", "sum", "none"]


def check_ce(z, target, dtype, reduction="mean", **kw):
    """The three public functions against the formula, in dtype."""
    z = np.asarray(z, dtype=dtype)
    C = z.shape[-1]
    a, norm = dense_targets(
        target, C, dtype, kw.get("weight"), kw.get("ignore_index", -100), kw.get("label_smoothing", 0.0)
    )
    loss_ref, g_ref = ce_formula(z, a, norm, reduction)
    # the sizes of the terms (see the module docstring)
    per = (1 / norm if norm else 0.0) if reduction == "mean" else 1.0
    total = a.astype(np.float64).sum(axis=1)
    g_floor = np.max(np.abs(a), initial=0.0) * per
    loss_floor = np.max(total, initial=0.0) if reduction == "none" else total.sum() * per
    if z.ndim == 1:
        loss_ref = loss_ref[0] if reduction == "none" else loss_ref
        g_ref = g_ref[0]
    loss, g = cross_entropy_with_grad(z, target, reduction=reduction, **kw)
    assert g.dtype == dtype and np.asarray(loss).dtype == dtype
    close(loss, loss_ref, dtype, loss_floor)
    close(g, g_ref, dtype, g_floor)
    close(cross_entropy(z, target, reduction=reduction, **kw), loss_ref, dtype, loss_floor)
    close(cross_entropy_grad(z, target, reduction=reduction, **kw), g_ref, dtype, g_floor)
    return loss, g


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ce_integer_targets_across_block_boundaries(small_blocks, dtype, shape, reduction):
    rng = np.random.default_rng(shape[0] * 100 + shape[1])
    z = rng.normal(scale=3.0, size=shape)
    t = rng.integers(0, shape[1], size=shape[0])
    check_ce(z, t, dtype, reduction)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 7), (7, 7), (5, 24), (6, 13)])
def test_ce_weights_ignore_index_soft_targets_and_smoothing(small_blocks, dtype, shape):
    rng = np.random.default_rng(shape[0] * 7 + shape[1])
    N, C = shape
    z = rng.normal(scale=3.0, size=shape)
    w = rng.uniform(0.2, 3.0, size=C)
    t = rng.integers(0, C, size=N)
    t[1] = -100
    soft = rng.uniform(0, 2, size=shape)  # rows need not sum to 1
    for reduction in REDUCTIONS:
        check_ce(z, t, dtype, reduction, weight=w)
        check_ce(z, t, dtype, reduction, weight=w, label_smoothing=0.3)
        check_ce(z, soft, dtype, reduction, weight=w)
        check_ce(z, soft, dtype, reduction, label_smoothing=0.1)


@pytest.mark.parametrize("dtype", DTYPES)
def test_ce_single_row(dtype):
    z = np.array([0.5, -1.0, 2.0])
    for reduction in REDUCTIONS:
        check_ce(z, np.array(2), dtype, reduction)
        check_ce(z, np.array([0.2, 0.0, 0.8]), dtype, reduction)


@pytest.mark.parametrize("dtype", DTYPES)
def test_ce_rows_the_kernel_must_redo(small_blocks, dtype):
    # exp(z) is used unshifted only when 0 <= max(z) <= about 44 (see exp_rows);
    # every other kind of row is redone with the shift, mixed in one block here (C = 6)
    z = np.array(
        [
            [0.1, 0.2, -0.3, 0.0, 0.05, -0.1],  # max small but >= 0
            [-5.0, -7.0, -6.0, -9.0, -5.5, -8.0],  # all negative
            [-300.0, -310.0, -305.0, -301.0, -302.0, -320.0],  # exp(z) underflows entirely
            [60.0, 59.0, 10.0, 0.0, 58.0, 61.0],  # exp(z) too big for the unshifted test
            [88.0, 87.5, 80.0, 1.0, 2.0, 3.0],  # exp(88) is near float32's overflow
            [200.0, 199.0, 0.0, -1.0, 198.0, 150.0],  # exp(200) overflows float32
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        ]
    )
    t = np.array([0, 1, 2, 3, 4, 5, 0])
    for reduction in REDUCTIONS:
        check_ce(z, t, dtype, reduction)
        check_ce(z, np.abs(np.sin(z)), dtype, reduction)


@pytest.mark.parametrize("dtype", DTYPES)
def test_ce_masked_classes_and_rows(small_blocks, dtype):
    ninf = -np.inf
    z = np.array(
        [
            [0.0, ninf, 1.0, 2.0],  # a masked class, target elsewhere
            [ninf, ninf, ninf, ninf],  # fully masked row
            [1.0, 2.0, ninf, 0.5],  # target on the masked class: loss +inf
            [3.0, 1.0, 2.0, ninf],
            [ninf, ninf, ninf, ninf],  # fully masked and ignored: loss 0
        ]
    )
    t = np.array([2, 0, 2, 1, -100])
    for reduction in REDUCTIONS:
        loss, g = check_ce(z, t, dtype, reduction)
        assert np.all(g[np.isneginf(z)] == 0)
    loss = cross_entropy(z, t, reduction="none")
    assert np.isinf(loss[1]) and np.isinf(loss[2]) and loss[4] == 0
    # soft targets beside masks: no weight on the masked class keeps the loss finite
    soft = np.where(np.isneginf(z), 0.0, 0.25)
    loss, g = check_ce(z[[0, 3]], soft[[0, 3]], dtype, "none")
    assert np.all(np.isfinite(loss))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ce_at_vocabulary_size(dtype, reduction):
    rng = np.random.default_rng(8)
    z = rng.normal(scale=3.0, size=(5, 50257))
    t = rng.integers(0, 50257, size=5)
    check_ce(z, t, dtype, reduction)


@pytest.mark.parametrize("dtype", DTYPES)
def test_ce_float32_is_close_to_float64_truth(dtype):
    rng = np.random.default_rng(9)
    z64 = rng.normal(scale=4.0, size=(6, 30000))
    t = rng.integers(0, 30000, size=6)
    z = z64.astype(dtype)
    a, norm = dense_targets(t, z.shape[1], np.float64)
    loss_ref, g_ref = ce_formula(z.astype(np.float64), a, norm, "none")
    loss, g = cross_entropy_with_grad(z, t, reduction="none")
    close(g, g_ref, dtype, floor=1.0)
    close(loss, loss_ref, dtype, floor=1.0)


def test_ce_matches_finite_differences():
    rng = np.random.default_rng(10)
    z = rng.normal(scale=2.0, size=(4, 5))
    z[0] -= 10  # a row that the kernel redoes with the shift
    t = np.array([1, 0, 4, 2])
    w = np.array([0.5, 1.0, 2.0, 1.5, 1.0])
    loss, g = cross_entropy_with_grad(z, t, weight=w)
    numerical = numerical_gradient(lambda zz: float(cross_entropy(zz, t, weight=w)), z)
    assert relative_error(g, numerical) < 1e-8
    # the loss itself, by hand: weighted mean of -log p[n, t[n]]
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    expected = -np.sum(w[t] * logp[np.arange(4), t]) / w[t].sum()
    assert abs(float(loss) - expected) < 1e-13


@given(
    N=st.integers(1, 9),
    C=st.integers(1, 30),
    scale=st.sampled_from([0.1, 3.0, 30.0]),
    offset=st.sampled_from([-50.0, -3.0, 0.0, 10.0, 50.0]),
    seed=st.integers(0, 2**31),
)
@settings(max_examples=60, deadline=None)
def test_ce_property_equals_formula(N, C, scale, offset, seed):
    kernels.BLOCK_ELEMENTS, saved = 16, kernels.BLOCK_ELEMENTS
    try:
        rng = np.random.default_rng(seed)
        z = rng.normal(scale=scale, size=(N, C)) + offset
        check_ce(z, rng.integers(0, C, size=N), np.float64, "mean")
        check_ce(z, rng.uniform(0, 1, size=(N, C)), np.float64, "none")
    finally:
        kernels.BLOCK_ELEMENTS = saved


def test_ce_writes_into_out():
    rng = np.random.default_rng(11)
    z = rng.normal(size=(4, 6))
    t = rng.integers(0, 6, size=4)
    out = np.full((4, 6), np.nan)
    loss, g = cross_entropy_with_grad(z, t, out=out)
    assert g is out
    close(out, cross_entropy_grad(z, t), np.float64)
    # a strided out, and a single row
    big = np.zeros((4, 12))
    cross_entropy_with_grad(z, t, out=big[:, ::2])
    close(big[:, ::2], out, np.float64)
    assert np.all(big[:, 1::2] == 0)
    row = np.empty(6)
    cross_entropy_with_grad(z[0], t[0], out=row)
    close(row, cross_entropy_grad(z[0], t[0]), np.float64)


@pytest.mark.parametrize(
    "make_out",
    [lambda z: np.empty((4, 5)), lambda z: np.empty((4, 6), dtype=np.float32), lambda z: z, lambda z: z[::-1]],
)
def test_ce_rejects_a_bad_out(make_out):
    z = np.zeros((4, 6))
    with pytest.raises(ValueError, match="out"):
        cross_entropy_with_grad(z, np.zeros(4, dtype=int), out=make_out(z))


def test_ce_rejects_nan_and_inf_in_any_block(small_blocks):
    for bad in (np.nan, np.inf):
        z = np.zeros((9, 5))
        z[7, 3] = bad
        with pytest.raises(ValueError, match="NaN|inf"):
            cross_entropy_with_grad(z, np.zeros(9, dtype=int))
        with pytest.raises(ValueError, match="NaN|inf"):
            cross_entropy(z, np.zeros(9, dtype=int))


def test_ce_does_not_modify_its_inputs(small_blocks):
    rng = np.random.default_rng(12)
    z = rng.normal(size=(5, 7))
    t = rng.uniform(size=(5, 7))
    z0, t0 = z.copy(), t.copy()
    cross_entropy_with_grad(z, t, label_smoothing=0.2)
    cross_entropy_with_grad(z, rng.integers(0, 7, size=5))
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(t, t0)


def test_loss_alone_allocates_one_block_not_the_whole_array():
    # cross_entropy needs no (N, C) array: its peak memory is a block or two
    from derivations.teaching.roofline import peak_memory

    rng = np.random.default_rng(13)
    z = rng.normal(size=(1024, 4096)).astype(np.float32)  # 16 MiB
    t = rng.integers(0, 4096, size=1024)
    peak = peak_memory(lambda: cross_entropy(z, t))
    # each thread has its own block of scratch (derivations.set_threads)
    from derivations import get_threads

    block = kernels.BLOCK_ELEMENTS * z.itemsize
    # blocks of scratch, 64 bytes per row for the per-row sums and losses, and
    # 16 KiB for Python's own objects (the compiled path's row runners among them)
    assert peak <= max(2, get_threads()) * block + 64 * z.shape[0] + (16 << 10) < z.nbytes / 2
    peak_grad = peak_memory(lambda: cross_entropy_grad(z, t))
    assert peak_grad >= z.nbytes  # the gradient itself is (N, C)


def test_ce_large_float32_logits_keep_their_precision():
    # with max logits between 44 and 88, exp(z) still fits in float32, but
    # 1 / (N * sum exp(z)) would fall among the subnormals and lose digits;
    # such rows must go through the shifted formula
    rng = np.random.default_rng(14)
    N, C = 64, 50
    z = rng.normal(size=(N, C)) + np.linspace(40.0, 87.0, N)[:, None]
    z = np.minimum(z, 87.5).astype(np.float32)
    t = rng.integers(0, C, size=N)
    a, norm = dense_targets(t, C, np.float64)
    loss_ref, g_ref = ce_formula(z.astype(np.float64), a, norm, "mean")
    loss, g = cross_entropy_with_grad(z, t)
    close(g, g_ref, np.float32, floor=1 / N)
    close(loss, loss_ref, np.float32, floor=1.0)


def test_linear_cross_entropy_workspace_is_one_block():
    # beyond its outputs dh and dW, linear_cross_entropy holds one block of
    # N * chunk_size logits (and a (512, d) piece of dW per thread, and vectors of N)
    from derivations import get_threads, linear_cross_entropy, vocab
    from derivations.teaching.roofline import peak_memory

    rng = np.random.default_rng(15)
    N, V, d, chunk = 1024, 8192, 64, 512
    h = rng.normal(size=(N, d)).astype(np.float32)
    W = (0.1 * rng.normal(size=(V, d))).astype(np.float32)
    t = rng.integers(0, V, size=N)
    outputs = (N + V) * d * 4
    block = N * chunk * 4
    assert N * chunk // (2 * V) >= vocab.MIN_BLOCK_ROWS  # the mode of whole rows
    workspace = peak_memory(lambda: linear_cross_entropy(h, W, t, chunk_size=chunk)) - outputs
    pieces = get_threads() * vocab.PIECE_WORDS * d * 4
    assert workspace <= block + pieces + 64 * N, f"{workspace / 2**20:.1f} MiB beyond the outputs"
    assert workspace < N * V * 4 / 8  # far from the (N, V) logits
