"""The Kronecker-delta (logarithmic-derivative) derivation of the gradient.

Derived in :ref:`kronecker-delta`. Notation of that chapter: ``o`` are the
softmax outputs, ``Omega`` their denominator, ``t`` the targets (rows need
not sum to 1), ``h`` the previous layer's outputs and ``w[i, k]`` the weight
from unit i of that layer to logit k. Every derivative gets a fresh index,
and every step holds for a symbolic number of classes except the last, which
specialises to targets that sum to 1.
"""

import sympy as sp

from . import C, D, Derivation, Step, index, register

z = sp.IndexedBase("z", real=True)
t = sp.IndexedBase("t", real=True)
h = sp.IndexedBase("h", real=True)
w = sp.IndexedBase("w", real=True)
b = sp.IndexedBase("b", real=True)
j, k, s, u = index("j k s u")
hot = index("c")  # the class a one-hot target picks
i, r = index("i r", upper=D)  # units of the layer below

Omega = sp.Sum(sp.exp(z[u]), (u, 1, C))
tau = sp.Sum(t[u], (u, 1, C))


def o(a):
    """Softmax output o_a = exp(z_a) / Omega, for symbolic C."""
    return sp.exp(z[a]) / Omega


E = -sp.Sum(t[j] * sp.log(o(j)), (j, 1, C))


STEPS = [
    Step(
        "Take the logarithm: the quotient becomes a difference",
        sp.Eq(sp.log(o(j)), z[j] - sp.log(Omega), evaluate=False),
        r"\log o_j = \log \frac{e^{z_j}}{\Omega} = z_j - \log \Omega,"
        r"\qquad \Omega = \sum_{u=1}^{C} e^{z_u}",
    ),
    Step(
        r"Differentiate with respect to a fresh index $k$",
        sp.Eq(
            sp.Derivative(sp.log(o(j)), z[k]),
            sp.KroneckerDelta(j, k) - sp.Derivative(Omega, z[k]) / Omega,
            evaluate=False,
        ),
        r"\frac{\partial \log o_j}{\partial z_k} = \delta_{jk} - \frac{1}{\Omega}\frac{\partial \Omega}{\partial z_k}",
    ),
    Step(
        "The denominator's derivative: the delta picks one term",
        sp.Eq(sp.Derivative(Omega, z[k]), sp.Sum(sp.exp(z[u]) * sp.KroneckerDelta(u, k), (u, 1, C)), evaluate=False),
        r"\frac{\partial \Omega}{\partial z_k} = \sum_{u=1}^{C} e^{z_u}\, \delta_{uk}",
    ),
    Step(
        "Sum out the delta",
        sp.Eq(sp.Sum(sp.exp(z[u]) * sp.KroneckerDelta(u, k), (u, 1, C)), sp.exp(z[k]), evaluate=False),
        r"\sum_{u=1}^{C} e^{z_u}\, \delta_{uk} = e^{z_k}",
    ),
    Step(
        "Hence the log-derivative of softmax",
        sp.Eq(sp.Derivative(sp.log(o(j)), z[k]), sp.KroneckerDelta(j, k) - o(k), evaluate=False),
        r"\frac{\partial \log o_j}{\partial z_k} = \delta_{jk} - o_k",
    ),
    Step(
        r"Multiply by $o_j$: every entry of the softmax Jacobian at once",
        sp.Eq(sp.Derivative(o(j), z[k]), o(j) * (sp.KroneckerDelta(j, k) - o(k)), evaluate=False),
        r"\frac{\partial o_j}{\partial z_k} = o_j\,(\delta_{jk} - o_k)",
    ),
    Step(
        r"Differentiate the whole sum $E$, term by term",
        sp.Eq(
            sp.Derivative(E, z[k]),
            sp.Sum(t[j] * (o(k) - sp.KroneckerDelta(j, k)), (j, 1, C)),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial z_k} = -\sum_{j=1}^{C} t_j \frac{\partial \log o_j}{\partial z_k}"
        r" = \sum_{j=1}^{C} t_j\,(o_k - \delta_{jk})",
    ),
    Step(
        r"Sum out the delta: $\tau\, o_k - t_k$",
        sp.Eq(sp.Sum(t[j] * (o(k) - sp.KroneckerDelta(j, k)), (j, 1, C)), tau * o(k) - t[k], evaluate=False),
        r"\sum_{j=1}^{C} t_j\,(o_k - \delta_{jk}) = o_k \sum_{j=1}^{C} t_j - t_k = \tau\, o_k - t_k,"
        r"\qquad \tau = \sum_{j=1}^{C} t_j",
    ),
    Step(
        "A logit depends on one column of weights",
        sp.Eq(
            sp.Derivative(sp.Sum(w[i, k] * h[i], (i, 1, D)) + b[k], w[r, s]),
            sp.KroneckerDelta(k, s) * h[r],
            evaluate=False,
        ),
        r"z_k = \sum_i w_{ik}\, h_i + b_k \;\Longrightarrow\;"
        r"\frac{\partial z_k}{\partial w_{rs}} = \sum_i h_i\, \delta_{ir}\, \delta_{ks} = \delta_{ks}\, h_r",
    ),
    Step(
        r"Chain rule to the weight: the delta keeps $k = s$",
        sp.Eq(
            sp.Sum((tau * o(k) - t[k]) * sp.KroneckerDelta(k, s) * h[r], (k, 1, C)),
            h[r] * (tau * o(s) - t[s]),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial w_{rs}} = \sum_{k=1}^{C} \frac{\partial E}{\partial z_k}\frac{\partial z_k}{\partial w_{rs}}"
        r" = \sum_{k=1}^{C} (\tau\, o_k - t_k)\, \delta_{ks}\, h_r = h_r\,(\tau\, o_s - t_s)",
    ),
    Step(
        r"A one-hot target: $\tau = 1$",
        sp.Eq(
            (h[r] * (tau * o(s) - t[s])).subs({t[s]: sp.KroneckerDelta(s, hot)}).replace(
                lambda e: isinstance(e, sp.Indexed) and e.base == t,
                lambda e: sp.KroneckerDelta(e.indices[0], hot),
            ),
            h[r] * (o(s) - sp.KroneckerDelta(s, hot)),
            evaluate=False,
        ),
        r"t_j = \delta_{jc} \;\Longrightarrow\; \tau = \sum_j \delta_{jc} = 1, \qquad"
        r"\frac{\partial E}{\partial w_{ij}} = h_i\,(o_j - t_j)",
    ),
]

DERIVATION = register(
    Derivation(
        name="kronecker-delta",
        title="The gradient by the logarithm and the Kronecker delta",
        steps=STEPS,
    )
)
