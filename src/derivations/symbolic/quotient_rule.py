"""The quotient-rule derivation of the softmax-plus-cross-entropy gradient.

Derived in :ref:`quotient-rule`. Notation of that chapter: ``y`` are the
softmax outputs, ``yhat`` the target, ``z`` the logits, ``S`` the softmax
denominator. The softmax Jacobian is worked out in the two cases i = j and
i != j, and the cross-entropy gradient is assembled by splitting the chain
rule's sum over i into the same two cases.
"""

import sympy as sp

from . import C, Derivation, Step, index, register

z = sp.IndexedBase("z", real=True)
yhat = sp.IndexedBase(r"\hat{y}", real=True)
y = sp.IndexedBase("y", positive=True)  # the outputs as free symbols, for pure algebra
i, j, u = index("i j u")
hot = index("c")  # the class a one-hot target picks

# S = sum_u exp(z_u), the softmax denominator, for a symbolic number of classes
S = sp.Sum(sp.exp(z[u]), (u, 1, C))
# A sum over i != j is written as a sum over all i of (1 - delta_ij) times
# the term, which is what the i != j restriction means for a symbolic C.


def softmax_general(a):
    """y_a = exp(z_a) / S as a sympy expression in z, for symbolic C."""
    return sp.exp(z[a]) / S


def _softmax_concrete(c):
    """The C = c softmax outputs y_1..y_c as explicit expressions in z."""
    denominator = sum(sp.exp(z[v]) for v in range(1, c + 1))
    return [sp.exp(z[v]) / denominator for v in range(1, c + 1)]


def _cross_entropy_concrete(c):
    ys = _softmax_concrete(c)
    return -sum(yhat[v] * sp.log(ys[v - 1]) for v in range(1, c + 1))


def _off_diagonal(c):
    # every pair i != j at once, as one column of entries
    ys = _softmax_concrete(c)
    pairs = [(a, b) for a in range(1, c + 1) for b in range(1, c + 1) if a != b]
    lhs = sp.Matrix([sp.Derivative(ys[a - 1], z[b]) for a, b in pairs])
    rhs = sp.Matrix([-ys[a - 1] * ys[b - 1] for a, b in pairs])
    return sp.Eq(lhs, rhs, evaluate=False)


def _not_j(expr):
    """``expr`` times (1 - delta_ij): a sum over i of this runs over i != j only."""
    return (1 - sp.KroneckerDelta(i, j)) * expr


H_general = -sp.Sum(yhat[i] * sp.log(softmax_general(i)), (i, 1, C))

STEPS = [
    Step(
        "Only the denominator contains every logit",
        sp.Eq(sp.Derivative(S, z[j]), sp.exp(z[j]), evaluate=False),
        r"\frac{\partial}{\partial z_j} \sum_{u=1}^{C} e^{z_u} = e^{z_j}",
    ),
    Step(
        r"Quotient rule for $i = j$",
        sp.Eq(
            sp.Derivative(softmax_general(j), z[j]),
            (sp.exp(z[j]) * S - sp.exp(z[j]) * sp.exp(z[j])) / S**2,
            evaluate=False,
        ),
        r"\frac{\partial y_j}{\partial z_j} = "
        r"\frac{e^{z_j} \sum_u e^{z_u} - e^{z_j}\, e^{z_j}}{\left(\sum_u e^{z_u}\right)^2}",
    ),
    Step(
        r"Split the fraction: $i = j$ gives $y_j(1 - y_j)$",
        sp.Eq(
            (sp.exp(z[j]) * S - sp.exp(z[j]) * sp.exp(z[j])) / S**2,
            softmax_general(j) * (1 - softmax_general(j)),
            evaluate=False,
        ),
        r"\frac{e^{z_j} \sum_u e^{z_u} - e^{z_j}\, e^{z_j}}{\left(\sum_u e^{z_u}\right)^2}"
        r" = \frac{e^{z_j}}{\sum_u e^{z_u}} - \frac{e^{z_j}}{\sum_u e^{z_u}}\cdot\frac{e^{z_j}}{\sum_u e^{z_u}}"
        r" = y_j (1 - y_j)",
    ),
    Step(
        r"Quotient rule for $i \neq j$: the numerator's derivative is 0",
        _off_diagonal,
        r"\frac{\partial y_i}{\partial z_j} = "
        r"\frac{0 \cdot \sum_u e^{z_u} - e^{z_i}\, e^{z_j}}{\left(\sum_u e^{z_u}\right)^2}"
        r" = -y_i\, y_j \qquad (i \neq j)",
        scope="C=2..6",
    ),
    Step(
        "Cross-entropy: each output appears in one term",
        sp.Eq(
            sp.Derivative(-sp.Sum(yhat[u] * sp.log(y[u]), (u, 1, C)), y[i]),
            -yhat[i] / y[i],
            evaluate=False,
        ),
        r"\frac{\partial H}{\partial y_i} = \frac{\partial}{\partial y_i}"
        r"\Bigl(-\sum_{u=1}^{C} \hat y_u \log y_u\Bigr) = -\frac{\hat y_i}{y_i}",
    ),
    Step(
        r"Chain rule: $z_j$ reaches $H$ through every output $y_i$",
        sp.Eq(
            sp.Derivative(H_general, z[j]),
            sp.Sum(-yhat[i] / softmax_general(i) * sp.Derivative(softmax_general(i), z[j]), (i, 1, C)),
            evaluate=False,
        ),
        r"\frac{\partial H}{\partial z_j} = \sum_{i=1}^{C} \frac{\partial H}{\partial y_i}"
        r"\frac{\partial y_i}{\partial z_j} = \sum_{i=1}^{C} -\frac{\hat y_i}{y_i}\,\frac{\partial y_i}{\partial z_j}",
    ),
    Step(
        r"Split the sum into $i = j$ and $i \neq j$",
        sp.Eq(
            sp.Sum(-yhat[i] / softmax_general(i) * sp.Derivative(softmax_general(i), z[j]), (i, 1, C)),
            -yhat[j] / softmax_general(j) * softmax_general(j) * (1 - softmax_general(j))
            + sp.Sum(
                _not_j(-yhat[i] / softmax_general(i) * (-softmax_general(i) * softmax_general(j))),
                (i, 1, C),
            ),
            evaluate=False,
        ),
        r"\frac{\partial H}{\partial z_j} = -\frac{\hat y_j}{y_j}\, y_j(1 - y_j)"
        r" + \sum_{i \neq j} -\frac{\hat y_i}{y_i}\,(-y_i\, y_j)",
    ),
    Step(
        r"Collect: the $i \neq j$ terms complete a sum over all $i$",
        sp.Eq(
            -yhat[j] + yhat[j] * y[j] + sp.Sum(_not_j(yhat[i] * y[j]), (i, 1, C)),
            -yhat[j] + y[j] * sp.Sum(yhat[i], (i, 1, C)),
            evaluate=False,
        ),
        r"-\hat y_j + \hat y_j\, y_j + \sum_{i \neq j} \hat y_i\, y_j"
        r" = -\hat y_j + y_j \sum_{i=1}^{C} \hat y_i",
    ),
    Step(
        "A one-hot target sums to 1",
        sp.Eq(
            sp.Derivative(-sp.Sum(sp.KroneckerDelta(i, hot) * sp.log(softmax_general(i)), (i, 1, C)), z[j]),
            softmax_general(j) - sp.KroneckerDelta(j, hot),
            evaluate=False,
        ),
        r"\hat y_i = \delta_{ic} \;\Longrightarrow\; \frac{\partial H}{\partial z_j} = y_j - \hat y_j"
        r" \qquad \text{(one-hot on class } c\text{, so } \textstyle\sum_i \hat y_i = 1)",
    ),
]

DERIVATION = register(
    Derivation(
        name="quotient-rule",
        title="The softmax Jacobian by the quotient rule, and the gradient y - ŷ",
        steps=STEPS,
    )
)
