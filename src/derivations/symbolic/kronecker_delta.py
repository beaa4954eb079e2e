"""The Kronecker-delta (logarithmic-derivative) derivation of the gradient.

Derived in :ref:`kronecker-delta`. Notation of that chapter (the book's, see
:ref:`notation`): ``o`` are the softmax outputs, ``Omega`` their denominator,
``t`` the targets (rows need not sum to 1), ``h`` the previous layer's outputs
and ``w[d, j]`` the weight from unit d of that layer to logit j. Classes are
i (an output), j (the logit differentiated by) and k (summed over); every
derivative gets a fresh index, and every step holds for a symbolic number of
classes except the last, which specialises to targets that sum to 1.
"""

import sympy as sp

from derivations.symbolic.claims import C, D, cross_entropy_sum, index, symbolic_softmax
from derivations.symbolic.steps import Derivation, Step, register

z = sp.IndexedBase("z", real=True)
t = sp.IndexedBase("t", real=True)
h = sp.IndexedBase("h", real=True)
w = sp.IndexedBase("w", real=True)
b = sp.IndexedBase("b", real=True)
i, j, k = index("i j k")
q = index("q")  # the dummy of the sums inside Omega and tau, kept apart from k
hot = index("y")  # the label: the class a one-hot target picks
d, d2 = index("d d'", upper=D)  # units of the layer below

o, Omega = symbolic_softmax(z, q)  # o(a) = exp(z_a) / Omega, for symbolic C
tau = sp.Sum(t[q], (q, 1, C))


E = cross_entropy_sum(t, o, k)


STEPS = [
    Step(
        "Take the logarithm: the quotient becomes a difference",
        sp.Eq(sp.log(o(i)), z[i] - sp.log(Omega), evaluate=False),
        r"\log o_i = \log \frac{e^{z_i}}{\Omega} = z_i - \log \Omega,"
        r"\qquad \Omega = \sum_{k=1}^{C} e^{z_k}",
    ),
    Step(
        r"Differentiate with respect to a fresh index $j$",
        sp.Eq(
            sp.Derivative(sp.log(o(i)), z[j]),
            sp.KroneckerDelta(i, j) - sp.Derivative(Omega, z[j]) / Omega,
            evaluate=False,
        ),
        r"\frac{\partial \log o_i}{\partial z_j} = \delta_{ij} - \frac{1}{\Omega}\frac{\partial \Omega}{\partial z_j}",
    ),
    Step(
        "The denominator's derivative: the delta picks one term",
        sp.Eq(sp.Derivative(Omega, z[j]), sp.Sum(sp.exp(z[k]) * sp.KroneckerDelta(k, j), (k, 1, C)), evaluate=False),
        r"\frac{\partial \Omega}{\partial z_j} = \sum_{k=1}^{C} e^{z_k}\, \delta_{kj}",
    ),
    Step(
        "Sum out the delta",
        sp.Eq(sp.Sum(sp.exp(z[k]) * sp.KroneckerDelta(k, j), (k, 1, C)), sp.exp(z[j]), evaluate=False),
        r"\sum_{k=1}^{C} e^{z_k}\, \delta_{kj} = e^{z_j}",
    ),
    Step(
        "Hence the log-derivative of softmax",
        sp.Eq(sp.Derivative(sp.log(o(i)), z[j]), sp.KroneckerDelta(i, j) - o(j), evaluate=False),
        r"\frac{\partial \log o_i}{\partial z_j} = \delta_{ij} - o_j",
    ),
    Step(
        r"Multiply by $o_i$: every entry of the softmax Jacobian at once",
        sp.Eq(sp.Derivative(o(i), z[j]), o(i) * (sp.KroneckerDelta(i, j) - o(j)), evaluate=False),
        r"\frac{\partial o_i}{\partial z_j} = o_i\,(\delta_{ij} - o_j)",
    ),
    Step(
        r"Differentiate the whole sum $E$, term by term",
        sp.Eq(
            sp.Derivative(E, z[j]),
            sp.Sum(t[k] * (o(j) - sp.KroneckerDelta(k, j)), (k, 1, C)),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial z_j} = -\sum_{k=1}^{C} t_k \frac{\partial \log o_k}{\partial z_j}"
        r" = \sum_{k=1}^{C} t_k\,(o_j - \delta_{kj})",
    ),
    Step(
        r"Sum out the delta: $\tau\, o_j - t_j$",
        sp.Eq(sp.Sum(t[k] * (o(j) - sp.KroneckerDelta(k, j)), (k, 1, C)), tau * o(j) - t[j], evaluate=False),
        r"\sum_{k=1}^{C} t_k\,(o_j - \delta_{kj}) = o_j \sum_{k=1}^{C} t_k - t_j = \tau\, o_j - t_j,"
        r"\qquad \tau = \sum_{k=1}^{C} t_k",
    ),
    Step(
        "A logit depends on one column of weights",
        sp.Eq(
            sp.Derivative(sp.Sum(w[d2, k] * h[d2], (d2, 1, D)) + b[k], w[d, j]),
            sp.KroneckerDelta(k, j) * h[d],
            evaluate=False,
        ),
        r"z_k = \sum_{d'} w_{d'k}\, h_{d'} + b_k \;\Longrightarrow\;"
        r"\frac{\partial z_k}{\partial w_{dj}} = \sum_{d'} h_{d'}\, \delta_{d'd}\, \delta_{kj} = \delta_{kj}\, h_d",
    ),
    Step(
        r"Chain rule to the weight: the delta keeps $k = j$",
        sp.Eq(
            sp.Sum((tau * o(k) - t[k]) * sp.KroneckerDelta(k, j) * h[d], (k, 1, C)),
            h[d] * (tau * o(j) - t[j]),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial w_{dj}} = \sum_{k=1}^{C} "
        r"\frac{\partial E}{\partial z_k}\frac{\partial z_k}{\partial w_{dj}}"
        r" = \sum_{k=1}^{C} (\tau\, o_k - t_k)\, \delta_{kj}\, h_d = h_d\,(\tau\, o_j - t_j)",
    ),
    Step(
        r"A one-hot target: $\tau = 1$",
        sp.Eq(
            (h[d] * (tau * o(j) - t[j])).subs({t[j]: sp.KroneckerDelta(j, hot)}).replace(
                lambda e: isinstance(e, sp.Indexed) and e.base == t,
                lambda e: sp.KroneckerDelta(e.indices[0], hot),
            ),
            h[d] * (o(j) - sp.KroneckerDelta(j, hot)),
            evaluate=False,
        ),
        r"t_k = \delta_{ky} \;\Longrightarrow\; \tau = \sum_k \delta_{ky} = 1, \qquad"
        r"\frac{\partial E}{\partial w_{dj}} = h_d\,(o_j - t_j)",
    ),
]

DERIVATION = register(
    Derivation(
        name="kronecker-delta",
        title="The gradient by the logarithm and the Kronecker delta",
        steps=STEPS,
    )
)
