"""The compiled softmax VJP (derivations.compiled, src/derivations/compiled.c) against references of its own.

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
        "print(c.LIBRARY is None, softmax_backward(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])).tolist())"
    )
    env = dict(os.environ, DERIVATIONS_NUMPY_ONLY="1")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split(None, 1) == ["True", "[[0.25, -0.25]]\n"]
