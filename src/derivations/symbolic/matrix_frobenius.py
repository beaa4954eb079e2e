r"""The weight gradient in matrix form, with differentials and the Frobenius product.

Derived in :ref:`matrix-form`. Notation of that chapter (and of the source
answer it follows): ``p`` is the layer's *input* (D,), ``W`` the (C, D)
weights, ``b`` the bias, ``z = W p + b`` the logits, ``y = softmax(z)`` the
probabilities, ``Y = Diag(y)``, ``t`` the targets and
``E = -t : log(y)``. ``A : B = tr(A^T B)`` is the Frobenius inner product.

Differentials are written with a delta (``\delta z``, ``\delta W``, ``\delta E``):
in this book ``dz`` and ``dW`` always mean gradients (:ref:`notation`).

Steps whose entries can be written with an index ``i`` or ``j`` running to a
symbolic ``C`` are proved for general C. The steps that move matrices across
the colon, or that differentiate the whole layer with respect to a matrix,
are proved with explicit symbolic matrices for C = 2..6 classes and D = 3
inputs.
"""

from functools import lru_cache

import sympy as sp

from derivations.symbolic.claims import C, index, output_gradient_claim, symbolic_softmax
from derivations.symbolic.claims import D as D_any
from derivations.symbolic.steps import Derivation, Step, register

D = 3  # inputs of the explicit-matrix steps

t = sp.IndexedBase("t", real=True)
y = sp.IndexedBase("y", positive=True)  # probabilities as free symbols, for algebra
z = sp.IndexedBase("z", real=True)
p = sp.IndexedBase("p", real=True)
i, j, k, u = index("i j k u")
d = index("d", upper=D_any)  # an input of the layer, in the one general step that names one


def frob(A, B):
    """The Frobenius inner product ``A : B = tr(A^T B)`` of two explicit matrices.

    Explained in :ref:`matrix-form`: the sum of the entrywise products.

    Examples
    --------
    >>> frob(sp.Matrix([[1, 2], [3, 4]]), sp.Matrix([[5, 6], [7, 8]]))
    70
    """
    A, B = sp.Matrix(A), sp.Matrix(B)
    if A.shape != B.shape:
        raise ValueError(f"A : B needs equal shapes, got {A.shape} and {B.shape}")
    return (A.T * B).trace()


# The explicit-matrix steps use plain symbols such as W_12: sympy
# differentiates them several times faster than indexed entries W[1, 2].
def _mat(name, rows, cols, **assumptions):
    return sp.Matrix(rows, cols, lambda r, s: sp.Symbol(f"{name}_{{{r + 1}{s + 1}}}", **assumptions))


def _vec(name, n, **assumptions):
    return sp.Matrix(n, 1, lambda r, _: sp.Symbol(f"{name}_{{{r + 1}}}", **assumptions))


def _directional(f, variables, directions):
    """``sum_v df/dv * dv``: the differential of ``f`` along ``directions``."""
    return sum(sp.diff(f, v) * dv for v, dv in zip(variables, directions))


@lru_cache(maxsize=None)
def _layer(c):
    """The layer with C = c classes, as explicit symbols.

    Returns ``(W, p, t, e, y, G)``: ``e_r`` stands for ``exp(z_r)``, ``y``
    is softmax(z) written with ``e``, and ``G[r, s]`` is ``dE/dW_rs`` that
    sympy computes by differentiating ``E(W) = -sum_r t_r log y_r(W)``
    through ``z = W p + b``, with every ``exp(z_r)`` then renamed ``e_r``.
    """
    W = _mat("W", c, D, real=True)
    pv = _vec("p", D, real=True)
    bias = _vec("b", c, real=True)
    tv = _vec("t", c, real=True)
    zs = list(W * pv + bias)
    # log y_r = z_r - log sum_u exp(z_u), the same function as log(exp(z_r) / sum_u exp(z_u)),
    # written so that every exponential sympy's derivative contains is one of the exp(z_r)
    E = -sum(tv[r] * (zs[r] - sp.log(sum(sp.exp(v) for v in zs))) for r in range(c))
    e = _vec("e", c, positive=True)
    rename = {sp.exp(v): e[r] for r, v in enumerate(zs)}
    G = sp.Matrix(c, D, lambda r, s: sp.diff(E, W[r, s]).xreplace(rename))
    if G.free_symbols & set(W):
        # a weight left outside an exponential would mean the renaming missed one
        raise RuntimeError("the derivative of the layer was not fully expressed through exp(z)")
    y_of_e = e / sum(e)
    return W, pv, tv, e, y_of_e, G


def _frobenius_is_trace(c):
    A, B = _mat("A", c, D), _mat("B", c, D)
    entrywise = sum(A[r, s] * B[r, s] for r in range(c) for s in range(D))
    return sp.Eq(entrywise, (A.T * B).trace(), evaluate=False)


def _move_across(c):
    # A : (M B) = (M^T A) : B and A : (M B) = (A B^T) : M, for A, B of shape (c, D), M (c, c)
    A, B, M = _mat("A", c, D), _mat("B", c, D), _mat("M", c, c)
    return sp.Eq(
        sp.Matrix([frob(A, M * B), frob(A, M * B)]),
        sp.Matrix([frob(M.T * A, B), frob(A * B.T, M)]),
        evaluate=False,
    )


def _dz(c):
    # the differential of z = W p + b along dW (b and p held fixed) is dW p
    W, pv = _mat("W", c, D), _vec("p", D)
    dW = _mat(r"\delta W", c, D)
    zw = W * pv + _vec("b", c)
    lhs = sp.Matrix([_directional(zw[r], list(W), list(dW)) for r in range(c)])
    return sp.Eq(lhs, dW * pv, evaluate=False)


def _dE_of_W(c):
    # the differential of the whole layer, E(W), equals -t : (I - 1 y^T) dW p
    W, pv, tv, _, yv, G = _layer(c)
    dW = _mat(r"\delta W", c, D)
    ones = sp.ones(c, 1)
    return sp.Eq(
        frob(G, dW),  # sum_rs dE/dW_rs dW_rs
        -frob(tv, (sp.eye(c) - ones * yv.T) * dW * pv),
        evaluate=False,
    )


def _off_dW(c):
    # -t : (I - 1 y^T) dW p = ((y 1^T - I) t p^T) : dW, with y free
    yv, tv, pv, dW = _vec("y", c, positive=True), _vec("t", c), _vec("p", D), _mat(r"\delta W", c, D)
    ones = sp.ones(c, 1)
    return sp.Eq(
        -frob(tv, (sp.eye(c) - ones * yv.T) * dW * pv),
        frob((yv * ones.T - sp.eye(c)) * tv * pv.T, dW),
        evaluate=False,
    )


def _gradient(c):
    # every entry dE/dW_rs of the whole layer against (1^T t) y p^T - t p^T
    _, pv, tv, _, yv, G = _layer(c)
    ones = sp.ones(c, 1)
    return sp.Eq(G, (ones.T * tv)[0, 0] * yv * pv.T - tv * pv.T, evaluate=False)


# softmax of free logits z_1..z_C for general C
_soft, _ = symbolic_softmax(z, u)


STEPS = [
    Step(
        "The Frobenius product is a trace",
        _frobenius_is_trace,
        r"A : B = \sum_{i,j} A_{ij} B_{ij} = \operatorname{tr}(A^\top B)",
        scope="C=2..6",
    ),
    Step(
        "A factor may cross the colon, transposed",
        _move_across,
        r"A : (M B) = (M^\top A) : B = (A B^\top) : M",
        scope="C=2..6",
    ),
    Step(
        r"Differential of the affine map: $\delta z = \delta W\, p$",
        _dz,
        r"z = W p + b \quad\Longrightarrow\quad \delta z = \delta W\, p",
        scope="C=2..6",
    ),
    Step(
        r"Differential of softmax: $\delta y = (Y - y y^\top)\, \delta z$, entry by entry",
        sp.Eq(
            sp.Derivative(_soft(i), z[j]),
            _soft(i) * sp.KroneckerDelta(i, j) - _soft(i) * _soft(j),
            evaluate=False,
        ),
        r"\frac{\partial y_i}{\partial z_j} = y_i\,\delta_{ij} - y_i\, y_j"
        r"\quad\Longleftrightarrow\quad \delta y = (Y - y y^\top)\, \delta z",
    ),
    Step(
        r"Differential of the loss: $\delta E = -t : Y^{-1} \delta y$, entry by entry",
        output_gradient_claim(t, y, i, u),
        r"\frac{\partial E}{\partial y_i} = -\frac{t_i}{y_i}"
        r"\quad\Longleftrightarrow\quad \delta E = -t : Y^{-1} \delta y",
    ),
    Step(
        r"$Y^{-1}$ cancels $Y$: $Y^{-1}(Y - y y^\top) = I - \mathbf{1} y^\top$, entry by entry",
        sp.Eq(
            (y[i] * sp.KroneckerDelta(i, j) - y[i] * y[j]) / y[i],
            sp.KroneckerDelta(i, j) - y[j],
            evaluate=False,
        ),
        r"\bigl[Y^{-1}(Y - y y^\top)\bigr]_{ij} = \frac{y_i\,\delta_{ij} - y_i\, y_j}{y_i}"
        r" = \delta_{ij} - y_j = \bigl[I - \mathbf{1} y^\top\bigr]_{ij}",
    ),
    Step(
        r"Chain the differentials: the whole layer gives $\delta E = -t : (I - \mathbf{1} y^\top)\, \delta W\, p$",
        _dE_of_W,
        r"\delta E = -t : Y^{-1}(Y - y y^\top)\, \delta z = -t : (I - \mathbf{1} y^\top)\, \delta W\, p",
        scope="C=2..6",
    ),
    Step(
        r"Move everything but $\delta W$ to the left of the colon",
        _off_dW,
        r"-t : (I - \mathbf{1} y^\top)\, \delta W\, p = -(I - \mathbf{1} y^\top)^\top t\, p^\top : \delta W"
        r" = (y \mathbf{1}^\top - I)\, t\, p^\top : \delta W",
        scope="C=2..6",
    ),
    Step(
        r"$\mathbf{1}^\top t$ is a number, the total target mass",
        sp.Eq(
            sp.Sum((y[i] - sp.KroneckerDelta(i, k)) * t[k], (k, 1, C)) * p[d],
            sp.Sum(t[k], (k, 1, C)) * y[i] * p[d] - t[i] * p[d],
            evaluate=False,
        ),
        r"\bigl[(y \mathbf{1}^\top - I)\, t\, p^\top\bigr]_{id} = \sum_k (y_i - \delta_{ik})\, t_k\, p_d"
        r" = (\mathbf{1}^\top t)\, y_i\, p_d - t_i\, p_d",
    ),
    Step(
        r"Read off the gradient: $\delta E = G : \delta W$ for every $\delta W$ means $\partial E/\partial W = G$",
        _gradient,
        r"\frac{\partial E}{\partial W} = (\mathbf{1}^\top t)\, y\, p^\top - t\, p^\top",
        scope="C=2..6",
    ),
]

DERIVATION = register(
    Derivation(
        name="matrix-frobenius",
        title="dE/dW in matrix form, with differentials and the Frobenius product",
        steps=STEPS,
    )
)
