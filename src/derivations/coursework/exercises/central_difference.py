"""Exercise of chapter 9 (:ref:`gradient-checking`): ``my_central_difference(f, x, eps)``, a numerical gradient."""

import numpy as np

from derivations.coursework.catalogue import Mistake
from derivations.coursework.exercises import _inputs as inp
from derivations.coursework.exercises.base import Case, Exercise, wrong
from derivations.gradcheck import numerical_gradient
from derivations.losses import cross_entropy

ID = "central_difference"

#: The catalogued mistakes that only this exercise makes; those that several
#: make are in :mod:`derivations.coursework.catalogue`.
MISTAKES = [
    Mistake(
        "forward-difference",
        "Forward instead of central difference",
        r"$(f(x + \varepsilon) - f(x)) / \varepsilon$ has an error proportional to $\varepsilon$; the "
        r"central difference $(f(x + \varepsilon) - f(x - \varepsilon)) / 2\varepsilon$ has an error "
        r"proportional to $\varepsilon^2$.",
        "gradient-checking",
    ),
    Mistake(
        "half-step-divisor",
        "Divided by eps instead of 2 eps",
        r"The two evaluations at $x + \varepsilon$ and $x - \varepsilon$ are $2\varepsilon$ apart, so "
        r"dividing their difference by $\varepsilon$ gives twice the derivative.",
        "gradient-checking",
    ),
    Mistake(
        "no-restore",
        "Perturbation not undone",
        r"Each entry must be put back to its original value after its two evaluations; otherwise every "
        r"later entry is differentiated at a shifted point.",
        "gradient-checking",
    ),
    Mistake(
        "float32-steps",
        "Perturbed in the input's dtype",
        r"Perturbing a copy of $x$ in its own dtype rounds $x + \varepsilon$ (float32 keeps about 7 digits, "
        r"an integer type none), so the step is not $\varepsilon$; copy $x$ to float64 first.",
        "gradient-checking",
    ),
]


def _coupled(a, c):
    """A smooth scalar function whose every partial derivative depends on every entry."""

    def f(v):
        v = np.asarray(v)
        return float(np.sin(np.sum(a * v)) ** 2 + np.sum(c * v**3) / 3.0)

    return f


def cases(rng):
    n = int(rng.integers(4, 7))
    N, C = inp.sizes(rng)
    t = inp.soft_targets(rng, N, C)

    def loss(v):
        return float(cross_entropy(np.asarray(v, dtype=np.float64), t))

    def vector_f():
        return _coupled(rng.normal(0.0, 1.0, n), rng.normal(0.0, 1.0, n))

    return [
        Case(f"a coupled function of x with {n} entries, eps = 1e-3", (vector_f(), rng.normal(0.0, 1.0, n), 1e-3)),
        Case(f"cross-entropy of an (N, C) = ({N}, {C}) array of logits, eps = 1e-4",
             (loss, inp.logits(rng, (N, C), 1.0), 1e-4)),
        Case("a coarse step, eps = 1e-2", (vector_f(), rng.normal(0.0, 1.0, n), 1e-2)),
        Case(f"float32 x with {n} entries, eps = 1e-3",
             (vector_f(), rng.normal(0.0, 1.0, n).astype(np.float32), 1e-3)),
        Case(f"integer x with {n} entries, eps = 1e-3", (vector_f(), rng.integers(-2, 3, n), 1e-3)),
    ]


def reference(f, x, eps):
    return (numerical_gradient(f, np.asarray(x, np.float64), eps),)


def _perturb_loop(f, x, eps, *, forward=False, divisor=2.0, restore=True):
    g = np.empty(x.shape, dtype=np.float64)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = float(f(x))
        flat[i] = keep if forward else keep - eps
        down = float(f(x))
        if restore:
            flat[i] = keep
        gflat[i] = (up - down) / (eps if forward else divisor * eps)
    return g


@wrong(ID, "forward-difference")
def difference_forward(f, x, eps):
    """(f(x + eps) - f(x)) / eps."""
    return _perturb_loop(f, np.array(x, dtype=np.float64), eps, forward=True)


@wrong(ID, "half-step-divisor")
def difference_over_eps(f, x, eps):
    """(f(x + eps) - f(x - eps)) / eps."""
    return _perturb_loop(f, np.array(x, dtype=np.float64), eps, divisor=1.0)


@wrong(ID, "no-restore")
def difference_no_restore(f, x, eps):
    """Leaves each entry at x_i - eps."""
    return _perturb_loop(f, np.array(x, dtype=np.float64), eps, restore=False)


@wrong(ID, "float32-steps")
def difference_in_input_dtype(f, x, eps):
    """Perturbs a copy in x's own dtype, float32 or integer."""
    return _perturb_loop(f, np.array(x), eps)


EXERCISE = Exercise(
    ID, "my_central_difference", "gradient-checking",
    "my_central_difference(f, x, eps) -> float64 array shaped like x", ("gradient",), cases, reference,
    require_float64=True, rtol=1e-7, atol=1e-9, agree_rtol=1e-6, agree_atol=1e-8,
)


def central_difference_loop(f, x, eps):
    """A learner's central difference: one entry at a time, in a float64 copy."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


CORRECT = [central_difference_loop]
