"""The gradient checker itself: it must pass right gradients and catch wrong ones."""

import numpy as np
import pytest

from derivations import check_gradient, numerical_gradient, relative_error


def test_numerical_gradient_of_known_functions():
    x = np.array([0.3, -1.2, 2.0])
    # d/dx sum(x^3) = 3x^2, d/dx sum(exp x) = exp x: worked out by hand
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**3), x), 3 * x**2, rtol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(np.exp(v)), x), np.exp(x), rtol=1e-8)


def test_numerical_gradient_works_in_float64_for_float32_input():
    x = np.array([1.0, 2.0], dtype=np.float32)
    g = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-8)


def test_numerical_gradient_keeps_the_input_unchanged_and_handles_matrices():
    x = np.arange(6.0).reshape(2, 3)
    x0 = x.copy()
    g = numerical_gradient(lambda v: float(np.sum(v[0] * v[1])), x)
    np.testing.assert_allclose(g, [x0[1], x0[0]], rtol=1e-8)
    np.testing.assert_array_equal(x, x0)


def test_central_differences_are_second_order():
    # for f = sin at 1, the central error shrinks ~100x when eps shrinks 10x
    f = lambda v: float(np.sin(v[0]))
    e1 = abs(numerical_gradient(f, np.array([1.0]), eps=1e-2)[0] - np.cos(1.0))
    e2 = abs(numerical_gradient(f, np.array([1.0]), eps=1e-3)[0] - np.cos(1.0))
    assert 50 < e1 / e2 < 200


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.array([0.0, 4.0]), np.array([0.0, 5.0])) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="shapes"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_gradient_passes_and_fails():
    x = np.array([0.5, -0.25, 1.5])
    f = lambda v: float(np.sum(v**2 * np.cos(v)))
    right = 2 * x * np.cos(x) - x**2 * np.sin(x)
    good = check_gradient(f, x, right)
    assert good.passed and good.error < 1e-8
    bad = check_gradient(f, x, 2 * x * np.cos(x))  # product rule half forgotten
    assert not bad.passed and bad.error > 1e-2
    assert "FAILED" in repr(bad)


def test_eps_must_be_positive():
    with pytest.raises(ValueError, match="eps must be a positive"):
        numerical_gradient(lambda v: 0.0, np.zeros(2), eps=0.0)
