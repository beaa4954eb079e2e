"""The compiled kernels (derivations.compiled, src/derivations/compiled*.{c,h}) against references of their own.

The references are row sums in exact arithmetic (math.fsum over float64
products), never the code under test; the numpy passes that run where the
library is missing are held to the same references.
"""

import math
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import derivations.compiled as compiled
from derivations import softmax, softmax_backward
from derivations.kernels import softmax_vjp_numpy, softmax_vjp_rows

needs_library = pytest.mark.skipif(compiled.LIBRARY is None, reason="the compiled VJP is not built here")
needs_ce = pytest.mark.skipif(not compiled.CROSS_ENTROPY, reason="the compiled cross-entropy is not used here")


def reference(p, dp):
    """dz = p (dp - <p, dp>) in float64, each row's dot product summed exactly."""
    P, D = p.astype(np.float64), dp.astype(np.float64)
    dot = np.array([math.fsum(a * b for a, b in zip(pr, dr)) for pr, dr in zip(P, D)])
    return P * (D - dot[:, None]), dot


def inputs(M, C, dtype, seed=0):
    rng = np.random.default_rng(seed)
    p = softmax(rng.normal(scale=3.0, size=(M, C))).astype(dtype)
    dp = rng.normal(size=(M, C)).astype(dtype)
    return p, dp


# both sides of the 16 lanes and of the 1024-entry chunks, and one long row
CLASSES = [1, 2, 15, 16, 17, 1023, 1024, 1025, 2049, 50257]
TOLERANCE = {np.float32: 2e-6, np.float64: 1e-14}


@pytest.mark.skipif(shutil.which("gcc") is None and shutil.which("cc") is None, reason="no C compiler here")
def test_the_install_built_it_where_there_is_a_compiler():
    # `make setup` runs `pip install -e .`, whose setup.py builds the optional extension;
    # a failed build would leave the numpy passes in its place without a word
    assert compiled.LIBRARY is not None, "pip install -e . did not build derivations._compiled (see setup.py)"


@needs_library
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("C", CLASSES)
def test_it_matches_the_exact_reference(dtype, C):
    M = 3 if C > 5000 else 7
    p, dp = inputs(M, C, dtype, seed=C)
    dz, dot = np.empty_like(p), np.empty(M, dtype=dtype)
    assert compiled.accepts(p, dp, dz, dot)
    compiled.vjp_rows(p, dp, dz, dot)
    want, want_dot = reference(p, dp)
    scale = np.abs(want).max()
    assert np.abs(dz - want).max() <= TOLERANCE[dtype] * scale
    assert np.allclose(dot, want_dot, rtol=TOLERANCE[dtype] * 10, atol=TOLERANCE[dtype])
    assert dz.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("C", [3, 1025, 50257])
def test_the_numpy_passes_match_the_same_reference(dtype, C):
    p, dp = inputs(3, C, dtype, seed=C + 1)
    dz, dot = np.empty_like(p), np.empty(3, dtype=dtype)
    softmax_vjp_numpy(p, dp, dz, dot)
    want, _ = reference(p, dp)
    assert np.abs(dz - want).max() <= TOLERANCE[dtype] * np.abs(want).max()


@needs_library
def test_each_row_depends_on_that_row_alone():
    # the same row, alone or among others and at any offset, gives the same bits
    p, dp = inputs(9, 3001, np.float32, seed=4)
    whole = np.empty_like(p)
    softmax_vjp_rows(p, dp, whole)
    for n in (0, 4, 8):
        alone = np.empty_like(p[n:n + 1])
        compiled.vjp_rows(p[n:n + 1].copy(), dp[n:n + 1].copy(), alone, np.empty(1, np.float32))
        assert alone.tobytes() == whole[n:n + 1].tobytes()


@needs_library
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_bad_value_reaches_the_row_dot_product_and_is_refused(bad):
    p, dp = inputs(4, 2000, np.float32)
    dp[2, 1500] = bad
    dz, dot = np.empty_like(p), np.empty(4, np.float32)
    compiled.vjp_rows(p, dp, dz, dot)
    assert np.isfinite(dot[[0, 1, 3]]).all() and not np.isfinite(dot[2])
    with pytest.raises(ValueError, match="p and dp must be finite"):
        softmax_backward(p, dp)


def test_it_declines_what_it_does_not_take():
    p = np.zeros((3, 8))
    dz, dot = np.zeros_like(p), np.zeros(3)
    assert not compiled.accepts(p.astype(np.float16), p.astype(np.float16), dz.astype(np.float16), dot)
    assert not compiled.accepts(p, p, dz, dot.astype(np.float32))  # mixed float types
    assert not compiled.accepts(np.asfortranarray(np.zeros((3, 8))), p, dz, dot)  # not C-contiguous
    assert not compiled.accepts(p[:, ::2], p[:, ::2], dz[:, ::2], dot)
    assert not compiled.accepts(p, p, dz, np.zeros(4))  # one dot product per row
    frozen = dz.copy()
    frozen.flags.writeable = False
    assert not compiled.accepts(p, p, frozen, dot)


def test_the_public_function_gives_the_reference_on_every_layout():
    # strided inputs are copied to contiguous rows; float16 is computed in float32
    p, dp = inputs(5, 40, np.float64, seed=2)
    want, _ = reference(p, dp)
    assert np.allclose(softmax_backward(p, dp), want, rtol=0, atol=1e-15)
    assert np.allclose(softmax_backward(p.T, dp.T, axis=0), want.T, rtol=0, atol=1e-15)
    assert np.allclose(softmax_backward(np.asfortranarray(p), np.asfortranarray(dp)), want, rtol=0, atol=1e-15)
    half = softmax_backward(p.astype(np.float16), dp.astype(np.float16))
    assert half.dtype == np.float32 and np.allclose(half, want, atol=2e-3)


def test_the_environment_variable_turns_it_off():
    code = (
        "import numpy as np, derivations.compiled as c; from derivations import softmax_backward; "
        "print(c.LIBRARY is None and not c.CROSS_ENTROPY, "
        "softmax_backward(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])).tolist())"
    )
    env = dict(os.environ, DERIVATIONS_NUMPY_ONLY="1")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split(None, 1) == ["True", "[[0.25, -0.25]]\n"]


# ------------------------------------------------------------ cross-entropy rows


def _ce(z, label, num=None, scale=True):
    M = z.shape[0]
    g = np.empty_like(z)
    num = np.ones(M, np.float32) if num is None else num
    s, rest, ek, f = (np.empty(M, np.float32) for _ in range(4))
    assert compiled.cross_entropy_accepts(z, g, label, num, s, rest, ek, f)
    compiled.cross_entropy_rows(z, g, label, num, s, rest, ek, f, scale)
    return g, s, rest, ek, f


def ulps(got, want):
    """|got - want| in units of float32's spacing at want (want in float64)."""
    spacing = np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
    return np.abs(got.astype(np.float64) - want) / spacing


@pytest.mark.skipif(not compiled.CROSS_ENTROPY, reason="the compiled cross-entropy is not used here")
def test_its_exp_is_within_1_2_units_in_the_last_place_over_the_whole_range():
    # every float32 result from the largest finite one down to the subnormals
    x = np.linspace(-103.9, 88.72, 400_001, dtype=np.float32).reshape(1, -1)
    g, *_ = _ce(x, np.array([0]), scale=False)
    want = np.exp(x.astype(np.float64))
    normal = want >= np.finfo(np.float32).tiny
    assert ulps(g[normal], want[normal]).max() <= 1.2
    # subnormal results: rounded once, so within one spacing of the smallest subnormal
    smallest = np.finfo(np.float32).smallest_subnormal
    assert np.abs(g[~normal] - want[~normal]).max() <= smallest


@needs_ce
def test_its_exp_keeps_the_special_values():
    x = np.array([[np.nan, np.inf, -np.inf, 0.0, -0.0, 88.8, 89.5, 1e30, -104.0, -1e30, 88.72, -87.3]], np.float32)
    g, *_ = _ce(x, np.array([3]), scale=False)
    with np.errstate(over="ignore"):
        want = np.exp(x.astype(np.float64)).astype(np.float32)
    assert np.isnan(g[0, 0]) and np.array_equal(g[0, 1:], want[0, 1:])  # each the rounded float32


@needs_ce
@pytest.mark.parametrize("C", [1, 2, 17, 1023, 1024, 1025, 3000, 50257])
def test_its_row_sums_leave_the_label_out_and_match_an_exact_sum(C):
    rng = np.random.default_rng(C)
    M = 6
    z = rng.normal(scale=3.0, size=(M, C)).astype(np.float32)
    # the label at the start, at a chunk's edges, at the end and in between
    label = np.array([0, min(1023, C - 1), min(1024, C - 1), C - 1, C // 2, rng.integers(C)], np.int64)
    num = rng.uniform(0.5, 2.0, size=M).astype(np.float32)
    g, s, rest, ek, f = _ce(z, label, num)
    e = np.exp(z.astype(np.float64))
    want_ek = e[np.arange(M), label]
    want_rest = np.array([math.fsum(np.delete(row, k)) for row, k in zip(e, label)])
    assert np.all(ulps(ek, want_ek) <= 1.2)
    assert np.allclose(rest, want_rest, rtol=4e-7, atol=0)
    assert np.allclose(s, want_rest + want_ek, rtol=4e-7)
    assert np.allclose(f, num / (want_rest + want_ek), rtol=8e-7)
    want_g = e * (num / (want_rest + want_ek))[:, None]  # num times the softmax
    assert np.abs(g - want_g).max() <= 1e-6 * np.abs(want_g).max()


@needs_ce
def test_its_loss_and_gradient_match_the_numpy_passes_and_torchs_formula():
    from derivations import cross_entropy_with_grad

    rng = np.random.default_rng(7)
    z = rng.normal(scale=4.0, size=(33, 2000)).astype(np.float32)
    y = rng.integers(0, 2000, size=33)
    loss_c, g_c = cross_entropy_with_grad(z, y)
    compiled_on = compiled.CROSS_ENTROPY
    try:
        compiled.CROSS_ENTROPY = False
        loss_n, g_n = cross_entropy_with_grad(z, y)
    finally:
        compiled.CROSS_ENTROPY = compiled_on
    Z = z.astype(np.float64)
    lse = np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1)) + Z.max(1)
    want_loss = np.mean(lse - Z[np.arange(33), y])
    want_g = np.exp(Z - lse[:, None]) / 33
    want_g[np.arange(33), y] -= 1 / 33
    for loss, g in ((loss_c, g_c), (loss_n, g_n)):
        assert abs(loss - want_loss) <= 1e-6 * want_loss
        assert np.abs(g - want_g).max() <= 1e-6 * np.abs(want_g).max()
