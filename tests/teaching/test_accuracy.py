"""How many digits of the loss are right: against 50-digit mpmath.

The reference of every case is computed here, in mpmath from the exact float
inputs (``derivations.teaching.accuracy.reference``), never from the code under
test. The cases are those of ``derivations.teaching.accuracy``, whose recorded peers'
errors (``data/accuracy_peers.json``, written by ``tools/golden_accuracy.py``)
chapter 8 shows beside ours (:ref:`loss-accuracy`).

A loss computed as ``lse - z_y`` has an absolute error of about half an ulp
of ``max |z|``, whatever the loss: a confident, correct row (loss 1e-10
beside logits of 1e4) keeps no digit. Computed in the shifted space, as
``log1p`` of the other classes' share, it keeps all of them.
"""

import functools

import numpy as np
import pytest

from derivations import cross_entropy, cross_entropy_grad
from derivations.teaching.accuracy import CASES, case_inputs, errors, fingerprint, recorded, reference

BY_NAME = {(c["dtype"], c["name"]): c for c in CASES}


@functools.lru_cache(maxsize=None)
def _measured(dtype, name):
    case = BY_NAME[dtype, name]
    z, target, kw = case_inputs(case)
    ref = reference(z, target, **kw)
    got = cross_entropy(z, target, reduction="none", **kw)
    return errors(got, ref, dtype)


def _names(prefix):
    return sorted({name for _, name in BY_NAME if name.startswith(prefix)})


CONFIDENT = _names("confident rows")
ORDINARY = _names("ordinary rows")
DENSE = _names("soft targets") + _names("label smoothing")


@pytest.mark.parametrize("name", CONFIDENT)
def test_confident_rows_float64_keep_their_digits(name):
    # lse - z_y would be wrong from the 4th digit at |z| = 100 and from the 9th at 1e6
    err = _measured("float64", name)
    assert err["relative"] <= 1e-12, err


@pytest.mark.parametrize("name", CONFIDENT)
def test_confident_rows_float32_keep_their_digits(name):
    # in float32, lse - z_y of a loss below 6e-8 * |z| is 0 or rounding noise
    err = _measured("float32", name)
    assert err["relative"] <= 1e-6, err


def test_ordinary_rows_at_any_offset():
    # Adding 1e4 to every logit changes no loss; lse - z_y then lost three digits
    # in float64. A loss of order 1 must come out within a few ulps either way.
    for dtype in ("float64", "float32"):
        for name in ORDINARY:
            err = _measured(dtype, name)
            assert err["ulps"] <= 4, (dtype, name, err)
            assert err["relative"] <= (1e-15 if dtype == "float64" else 1e-6), (dtype, name, err)


@pytest.mark.parametrize("name", DENSE)
def test_dense_targets_float32_sum_in_float64(name):
    # 200,000 classes: sums of target weights or exponentials in float32 lose digits
    # to rounding (a label-smoothed row's equal small weights all round the same way)
    err = _measured("float32", name)
    assert err["relative"] <= 1e-6, err
    assert err["ulps"] <= 2, err  # the float64 loss, rounded to float32, and the rounded weights


@pytest.mark.parametrize("name", DENSE)
def test_dense_targets_float64(name):
    err = _measured("float64", name)
    assert err["ulps"] <= 4, err
    assert err["relative"] <= 2e-15, err


def test_confident_float32_rows_are_never_negative_nor_zero():
    # no clamp at 0: each term is >= 0 by construction, and a tiny loss is not rounded away
    z = np.stack([np.linspace(20, 80, 61), np.zeros(61), -np.ones(61)], axis=1).astype(np.float32)
    loss = cross_entropy(z, np.zeros(61, dtype=int), reduction="none")
    exact = np.log1p(np.exp(-z[:, 0].astype(np.float64)) + np.exp(-1.0 - z[:, 0].astype(np.float64)))
    assert (loss > 0).all()
    np.testing.assert_allclose(loss, exact, rtol=1e-6)


def _central_differences(f, x, coords, h):
    """``df/dx_j`` for j in coords, dividing by the step actually taken (x_j + h is rounded)."""
    out = []
    for j in coords:
        up, down = x.copy(), x.copy()
        up[j] += h
        down[j] -= h
        out.append((f(up) - f(down)) / (up[j] - down[j]))
    return np.array(out)


def test_gradient_matches_central_differences_of_the_accurate_loss():
    # the first row of every float64 case: the gradient is the derivative of this loss
    for name in CONFIDENT + ORDINARY + DENSE:
        _check_gradient_of_first_row(BY_NAME["float64", name])


def _check_gradient_of_first_row(case):
    z, target, kw = case_inputs(case)
    zn, tn = z[0], target[0]
    label = int(np.argmax(tn)) if np.ndim(target) == 2 else int(tn)
    rng = np.random.default_rng(0)
    coords = np.unique(np.concatenate([[label, int(np.argmax(zn))], rng.integers(0, zn.size, 30)]))

    def f(v):
        return float(cross_entropy(v, tn, reduction="sum", **kw))

    h = 1e-4
    g = cross_entropy_grad(zn, tn, reduction="sum", **kw)[coords]
    fd = _central_differences(f, zn, coords, h)
    # Floors: a few ulps of the loss divided by the step (the differences' rounding),
    # and 1e-16 (the analytic p - 1 at a confident row's label, about -loss, is good
    # to that, absolutely). A loss good only to an ulp of |z| misses both by far.
    atol = 8 * np.spacing(f(zn)) / h + 1e-15
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=atol, err_msg=case["name"])


def test_golden_file_describes_these_cases():
    # the committed peers' errors were measured on exactly these inputs
    data = recorded()
    assert [{k: c[k] for k in CASES[0]} for c in data["cases"]] == CASES
    for entry in data["cases"]:
        case = {k: entry[k] for k in CASES[0]}
        assert entry["fingerprint"] == fingerprint(*case_inputs(case)[:2]), case["name"]
        assert set(entry["errors"]) == {"ours", "pytorch", "scipy"}
