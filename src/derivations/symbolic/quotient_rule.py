"""The quotient-rule derivation of the softmax-plus-cross-entropy gradient.

Derived in :ref:`quotient-rule`, in the letters of chapters 1-5: ``o`` are
the softmax outputs, ``t`` the target, ``E`` the loss, ``z`` the logits, ``S``
the softmax denominator. (The blog post the chapter follows writes y, y-hat
and H.) The softmax Jacobian J_ij = do_i/dz_j is worked out in the two cases
i = j and i != j, and the cross-entropy gradient is assembled by splitting the
chain rule's sum over the outputs k into the same two cases, k = j and k != j.
"""

import sympy as sp

from derivations.symbolic.claims import C, cross_entropy_sum, index, output_gradient_claim, symbolic_softmax
from derivations.symbolic.steps import Derivation, Step, register

z = sp.IndexedBase("z", real=True)
t = sp.IndexedBase("t", real=True)
o = sp.IndexedBase("o", positive=True)  # the outputs as free symbols, for pure algebra
i, j, k = index("i j k")
q = index("q")  # the dummy of the denominator's own sum, kept apart from k
hot = index("y")  # the label: the class a one-hot target picks

# softmax_general(a) = exp(z_a) / S, with S = sum_k exp(z_k) the softmax
# denominator, for a symbolic number of classes
softmax_general, S = symbolic_softmax(z, q)
# A sum over k != j is written as a sum over all k of (1 - delta_kj) times
# the term, which is what the k != j restriction means for a symbolic C.


def _softmax_concrete(c):
    """The C = c softmax outputs o_1..o_c as explicit expressions in z."""
    denominator = sum(sp.exp(z[v]) for v in range(1, c + 1))
    return [sp.exp(z[v]) / denominator for v in range(1, c + 1)]


def _off_diagonal(c):
    # every pair i != j at once, as one column of entries
    ys = _softmax_concrete(c)
    pairs = [(a, b) for a in range(1, c + 1) for b in range(1, c + 1) if a != b]
    lhs = sp.Matrix([sp.Derivative(ys[a - 1], z[b]) for a, b in pairs])
    rhs = sp.Matrix([-ys[a - 1] * ys[b - 1] for a, b in pairs])
    return sp.Eq(lhs, rhs, evaluate=False)


def _not_j(expr):
    """``expr`` times (1 - delta_kj): a sum over k of this runs over k != j only."""
    return (1 - sp.KroneckerDelta(k, j)) * expr


E_general = cross_entropy_sum(t, softmax_general, k)

STEPS = [
    Step(
        "Only the denominator contains every logit",
        sp.Eq(sp.Derivative(S, z[j]), sp.exp(z[j]), evaluate=False),
        r"\frac{\partial}{\partial z_j} \sum_{k=1}^{C} e^{z_k} = e^{z_j}",
    ),
    Step(
        r"Quotient rule for $i = j$",
        sp.Eq(
            sp.Derivative(softmax_general(j), z[j]),
            (sp.exp(z[j]) * S - sp.exp(z[j]) * sp.exp(z[j])) / S**2,
            evaluate=False,
        ),
        r"\frac{\partial o_j}{\partial z_j} = "
        r"\frac{e^{z_j} \sum_k e^{z_k} - e^{z_j}\, e^{z_j}}{\left(\sum_k e^{z_k}\right)^2}",
    ),
    Step(
        r"Split the fraction: $i = j$ gives $o_j(1 - o_j)$",
        sp.Eq(
            (sp.exp(z[j]) * S - sp.exp(z[j]) * sp.exp(z[j])) / S**2,
            softmax_general(j) * (1 - softmax_general(j)),
            evaluate=False,
        ),
        r"\frac{e^{z_j} \sum_k e^{z_k} - e^{z_j}\, e^{z_j}}{\left(\sum_k e^{z_k}\right)^2}"
        r" = \frac{e^{z_j}}{\sum_k e^{z_k}} - \frac{e^{z_j}}{\sum_k e^{z_k}}\cdot\frac{e^{z_j}}{\sum_k e^{z_k}}"
        r" = o_j (1 - o_j)",
    ),
    Step(
        r"Quotient rule for $i \neq j$: the numerator's derivative is 0",
        _off_diagonal,
        r"\frac{\partial o_i}{\partial z_j} = "
        r"\frac{0 \cdot \sum_k e^{z_k} - e^{z_i}\, e^{z_j}}{\left(\sum_k e^{z_k}\right)^2}"
        r" = -o_i\, o_j \qquad (i \neq j)",
        scope="C=2..6",
    ),
    Step(
        "Cross-entropy: each output appears in one term",
        output_gradient_claim(t, o, i, k),
        r"\frac{\partial E}{\partial o_i} = \frac{\partial}{\partial o_i}"
        r"\Bigl(-\sum_{k=1}^{C} t_k \log o_k\Bigr) = -\frac{t_i}{o_i}",
    ),
    Step(
        r"Chain rule: $z_j$ reaches $E$ through every output $o_k$",
        sp.Eq(
            sp.Derivative(E_general, z[j]),
            sp.Sum(-t[k] / softmax_general(k) * sp.Derivative(softmax_general(k), z[j]), (k, 1, C)),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial z_j} = \sum_{k=1}^{C} \frac{\partial E}{\partial o_k}"
        r"\frac{\partial o_k}{\partial z_j} = \sum_{k=1}^{C} -\frac{t_k}{o_k}\,\frac{\partial o_k}{\partial z_j}",
    ),
    Step(
        r"Split the sum into $k = j$ and $k \neq j$",
        sp.Eq(
            sp.Sum(-t[k] / softmax_general(k) * sp.Derivative(softmax_general(k), z[j]), (k, 1, C)),
            -t[j] / softmax_general(j) * softmax_general(j) * (1 - softmax_general(j))
            + sp.Sum(
                _not_j(-t[k] / softmax_general(k) * (-softmax_general(k) * softmax_general(j))),
                (k, 1, C),
            ),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial z_j} = -\frac{t_j}{o_j}\, o_j(1 - o_j)"
        r" + \sum_{k \neq j} -\frac{t_k}{o_k}\,(-o_k\, o_j)",
    ),
    Step(
        r"Collect: the $k \neq j$ terms complete a sum over all $k$",
        sp.Eq(
            -t[j] + t[j] * o[j] + sp.Sum(_not_j(t[k] * o[j]), (k, 1, C)),
            -t[j] + o[j] * sp.Sum(t[k], (k, 1, C)),
            evaluate=False,
        ),
        r"-t_j + t_j\, o_j + \sum_{k \neq j} t_k\, o_j"
        r" = -t_j + o_j \sum_{k=1}^{C} t_k",
    ),
    Step(
        "A one-hot target sums to 1",
        sp.Eq(
            sp.Derivative(-sp.Sum(sp.KroneckerDelta(k, hot) * sp.log(softmax_general(k)), (k, 1, C)), z[j]),
            softmax_general(j) - sp.KroneckerDelta(j, hot),
            evaluate=False,
        ),
        r"t_k = \delta_{ky} \;\Longrightarrow\; \frac{\partial E}{\partial z_j} = o_j - t_j"
        r" \qquad \text{(one-hot on the label } y\text{, so } \textstyle\sum_k t_k = 1)",
    ),
]

DERIVATION = register(
    Derivation(
        name="quotient-rule",
        title="The softmax Jacobian by the quotient rule, and the gradient o - t",
        steps=STEPS,
    )
)
