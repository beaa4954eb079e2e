"""The kernels give the same bits on any number of threads (``derivations.set_threads``).

Row blocks are shared out to threads, but which rows form a block never
depends on the thread count, and each block is computed by the same
operations; reductions across rows (the mean over the batch) run after the
blocks, in one fixed order. So every result is compared here byte for byte
(``.tobytes()``) for 1, 2 and 3 threads, on odd shapes, in float32 and
float64, through every path: integer, soft and smoothed targets, class
weights, ignore_index, masked (-inf) logits, fully masked rows, rows that
must be redone with the shift, every reduction, the loss alone, ``out=``,
and ``linear_cross_entropy`` in both of its modes.
"""

import numpy as np
import pytest

import derivations.compiled as compiled
import derivations.kernels as kernels
from derivations import (
    cross_entropy,
    cross_entropy_with_grad,
    get_threads,
    linear_cross_entropy,
    set_threads,
    softmax,
    softmax_backward,
)

THREADS = (1, 2, 3)
DTYPES = [np.float32, np.float64]


@pytest.fixture(autouse=True)
def many_small_blocks(monkeypatch):
    """Small blocks and no size threshold, so that small arrays reach every thread."""
    monkeypatch.setattr(kernels, "BLOCK_ELEMENTS", 40)
    monkeypatch.setattr(kernels, "VJP_BLOCK_ELEMENTS", 40)
    monkeypatch.setattr(kernels, "COMPILED_BLOCK_ELEMENTS", 40)
    monkeypatch.setattr(kernels, "PARALLEL_MIN", 0)
    previous = set_threads(None)
    yield
    set_threads(previous)


def bits(x):
    if isinstance(x, tuple):
        return tuple(bits(v) for v in x)
    a = np.asarray(x)
    return a.dtype.str, a.shape, a.tobytes()


def same_on_every_thread_count(fn):
    results = []
    for n in THREADS:
        set_threads(n)
        results.append(bits(fn()))
    assert results[1] == results[0], "2 threads differ from 1"
    assert results[2] == results[0], "3 threads differ from 1"


def logits(N, C, dtype, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3.0, size=(N, C))
    z[::4] += 60.0  # rows that the kernel redoes with the shift
    z[1::5] -= 30.0  # all logits negative: redone too
    z[2, : C // 2] = -np.inf  # masked classes
    z[N - 2] = -np.inf  # a fully masked row
    return z.astype(dtype), rng


SHAPES = [(37, 13), (29, 50), (11, 3), (13, 129)]


@pytest.mark.parametrize("path", ["compiled", "numpy"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_softmax_backward(dtype, shape, path, monkeypatch):
    if path == "numpy":
        monkeypatch.setattr(compiled, "LIBRARY", None)
    elif compiled.LIBRARY is None:
        pytest.skip("the compiled VJP is not built here")
    z, rng = logits(*shape, dtype, seed=sum(shape))
    p = softmax(z)
    dp = rng.normal(size=shape).astype(dtype)
    same_on_every_thread_count(lambda: softmax_backward(p, dp))
    out = np.empty_like(p)
    same_on_every_thread_count(lambda: softmax_backward(p, dp, out=out).copy())
    # classes on axis 0: the non-contiguous path
    same_on_every_thread_count(lambda: softmax_backward(p.T, dp.T, axis=0))


@pytest.mark.parametrize("path", ["compiled", "numpy"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_every_kind_of_target(dtype, shape, reduction, path, monkeypatch):
    if path == "numpy":
        monkeypatch.setattr(compiled, "CROSS_ENTROPY", False)
    elif not compiled.CROSS_ENTROPY:
        pytest.skip("the compiled cross-entropy is not used here")
    N, C = shape
    z, rng = logits(N, C, dtype, seed=N * C)
    y = rng.integers(0, C, size=N)
    y[3] = -100  # ignored
    y[N - 2] = -100  # the fully masked row is ignored (else its loss is inf)
    w = rng.uniform(0.5, 2.0, size=C)
    soft = rng.uniform(size=(N, C)).astype(dtype)
    soft[:, : C // 2][2] = 0  # no weight on the masked classes of row 2
    soft[N - 2] = 0
    cases = [
        dict(target=y),
        dict(target=y, weight=w),
        dict(target=y, label_smoothing=0.1, weight=w),
        dict(target=soft),
        dict(target=soft, label_smoothing=0.2),
    ]
    for kw in cases:
        with np.errstate(all="ignore"):  # +inf losses of masked targets are expected
            same_on_every_thread_count(lambda: cross_entropy_with_grad(z, reduction=reduction, **kw))
            same_on_every_thread_count(lambda: cross_entropy(z, reduction=reduction, **kw))
    out = np.empty_like(z)
    same_on_every_thread_count(lambda: (cross_entropy_with_grad(z, y, out=out)[0], out.copy()))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("chunk", [3, 40, 1000])  # chunks of words; blocks of rows; one block
def test_linear_cross_entropy(monkeypatch, dtype, chunk):
    import derivations.vocab as vocab

    monkeypatch.setattr(vocab, "PIECE_ROWS", 7)
    monkeypatch.setattr(vocab, "PIECE_WORDS", 9)
    monkeypatch.setattr(vocab, "MIN_BLOCK_ROWS", 4)
    rng = np.random.default_rng(chunk)
    N, V, d = 67, 45, 5
    h = rng.normal(size=(N, d)).astype(dtype)
    W = rng.normal(size=(V, d)).astype(dtype)
    t = rng.integers(0, V, size=N)
    same_on_every_thread_count(lambda: linear_cross_entropy(h, W, t, chunk_size=chunk))


def test_set_threads_validates_and_returns_the_previous_setting():
    assert set_threads(2) is None
    assert get_threads() == 2
    assert set_threads(None) == 2
    assert get_threads() == kernels.available_cores()
    for bad in (0, -1):
        with pytest.raises(ValueError, match="threads must be at least 1"):
            set_threads(bad)
    for bad in (1.5, True, "2"):
        with pytest.raises(TypeError, match="threads must be a positive integer or None"):
            set_threads(bad)


def test_an_error_in_a_worker_reaches_the_caller():
    set_threads(3)
    p = np.full((40, 7), 1 / 7)
    dp = np.ones_like(p)
    dp[33, 2] = np.nan  # in a block that a helper thread may take
    with pytest.raises(ValueError, match="finite"):
        softmax_backward(p, dp)
    z = np.zeros((40, 7))
    z[35, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cross_entropy_with_grad(z, np.zeros(40, dtype=int))
