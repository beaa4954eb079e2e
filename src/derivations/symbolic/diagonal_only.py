"""The asker's derivation from the Cross Validated thread, step by step.

Reproduced in :ref:`puzzle`. Every ingredient the asker computes is right;
one step is not: writing dE/dz_j as dE/do_j * do_j/dz_j keeps only the
diagonal of the softmax Jacobian and drops the terms of every other output
o_i, i != j, through which z_j also reaches E. That step is marked
``expected=False`` and sympy refutes it with a counterexample.

Notation of that chapter: ``o`` softmax outputs, ``t`` targets, ``z``
logits, ``h`` the outputs of the layer below (the asker's "o_i" of the
previous layer), ``w[i, j]`` the weight from unit i below to logit j.
"""

import sympy as sp

from . import C, D, Derivation, Step, index, register

z = sp.IndexedBase("z", real=True)
t = sp.IndexedBase("t", real=True)
h = sp.IndexedBase("h", real=True)
w = sp.IndexedBase("w", real=True)
b = sp.IndexedBase("b", real=True)
o_free = sp.IndexedBase("o", positive=True)  # outputs as free symbols, for the loss alone
j, u, v = index("j u v")
i, m = index("i m", upper=D)

Omega = sp.Sum(sp.exp(z[u]), (u, 1, C))


def o(a):
    """Softmax output o_a = exp(z_a) / Omega in terms of the logits."""
    return sp.exp(z[a]) / Omega


# E as a function of the logits
E_of_z = -sp.Sum(t[v] * sp.log(o(v)), (v, 1, C))

# The whole layer in terms of the weights: z_q = sum_m w_mq h_m + b_q.
# Writing the logits as functions of W makes dE/dw_ij a true partial derivative.


def _z_of_w(q):
    return sp.Sum(w[m, q] * h[m], (m, 1, D)) + b[q]


# dE/dz_q for every logit q, whatever it is: the step below needs no more
g = sp.IndexedBase(r"\frac{\partial E}{\partial z}", real=True)


STEPS = [
    Step(
        "The loss's derivative with respect to one output",
        sp.Eq(
            sp.Derivative(-sp.Sum(t[v] * sp.log(o_free[v]), (v, 1, C)), o_free[j]),
            -t[j] / o_free[j],
            evaluate=False,
        ),
        r"E = -\sum_{v=1}^{C} t_v \log o_v \;\Longrightarrow\; \frac{\partial E}{\partial o_j} = -\frac{t_j}{o_j}",
    ),
    Step(
        "The diagonal entry of the softmax Jacobian (quotient rule)",
        sp.Eq(sp.Derivative(o(j), z[j]), o(j) * (1 - o(j)), evaluate=False),
        r"\frac{\partial o_j}{\partial z_j} = \frac{e^{z_j}\,\Omega - e^{z_j}\, e^{z_j}}{\Omega^2} = o_j\,(1 - o_j)",
    ),
    Step(
        "One weight feeds one logit",
        sp.Eq(sp.Derivative(_z_of_w(j), w[i, j]), h[i], evaluate=False),
        r"z_j = \sum_{m} w_{mj}\, h_m + b_j \;\Longrightarrow\; \frac{\partial z_j}{\partial w_{ij}} = h_i",
    ),
    Step(
        r"$w_{ij}$ reaches $E$ only through $z_j$",
        sp.Eq(
            sp.Sum(g[u] * sp.Derivative(_z_of_w(u), w[i, j]), (u, 1, C)),
            g[j] * h[i],
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial w_{ij}} = \sum_{u=1}^{C} \frac{\partial E}{\partial z_u}\frac{\partial z_u}{\partial w_{ij}}"
        r" = \frac{\partial E}{\partial z_j}\, h_i",
    ),
    Step(
        r"Through $o_j$ alone: the terms of every $o_i$ with $i \neq j$ are dropped",
        sp.Eq(
            sp.Derivative(E_of_z, z[j]),
            (-t[j] / o(j)) * o(j) * (1 - o(j)),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial z_j} = \frac{\partial E}{\partial o_j}\,\frac{\partial o_j}{\partial z_j}"
        r"\quad\text{(instead of } \sum_{i=1}^{C} \frac{\partial E}{\partial o_i}\frac{\partial o_i}{\partial z_j}\text{)}",
        expected=False,
    ),
    Step(
        "Multiply the three factors",
        sp.Eq(
            (-t[j] / o_free[j]) * o_free[j] * (1 - o_free[j]) * h[i],
            -t[j] * (1 - o_free[j]) * h[i],
            evaluate=False,
        ),
        r"\frac{-t_j}{o_j}\; o_j\,(1 - o_j)\; h_i = -t_j\,(1 - o_j)\, h_i",
    ),
]

DERIVATION = register(
    Derivation(
        name="diagonal-only",
        title="The asker's derivation: the diagonal of the Jacobian only",
        steps=STEPS,
    )
)
