"""The asker's derivation from the Cross Validated thread, step by step.

Reproduced in :ref:`puzzle`. Every ingredient the asker computes is right;
one step is not: writing dE/dz_j as dE/do_j * do_j/dz_j keeps only the
diagonal of the softmax Jacobian and drops the terms of every other output
o_k, k != j, through which z_j also reaches E. That step is marked
``expected=False`` and sympy refutes it with a counterexample.

Notation of that chapter: ``o`` softmax outputs, ``t`` targets, ``z``
logits, ``h`` the outputs of the layer below (the asker's "o_i" of the
previous layer), ``w[d, j]`` the weight from unit d below to logit j (the
asker's w_ij). Classes are j (the logit differentiated by) and k (summed
over), units of the layer below d.
"""

import sympy as sp

from derivations.symbolic.claims import C, D, cross_entropy_sum, index, output_gradient_claim, symbolic_softmax
from derivations.symbolic.steps import Derivation, Step, register

z = sp.IndexedBase("z", real=True)
t = sp.IndexedBase("t", real=True)
h = sp.IndexedBase("h", real=True)
w = sp.IndexedBase("w", real=True)
b = sp.IndexedBase("b", real=True)
o_free = sp.IndexedBase("o", positive=True)  # outputs as free symbols, for the loss alone
j, k, q = index("j k q")  # q: the dummy of Omega's own sum, kept apart from k
d, d2 = index("d d'", upper=D)

o, Omega = symbolic_softmax(z, q)  # o(a) = exp(z_a) / Omega in terms of the logits


# E as a function of the logits
E_of_z = cross_entropy_sum(t, o, k)

# The whole layer in terms of the weights: z_a = sum_d' w_d'a h_d' + b_a.
# Writing the logits as functions of W makes dE/dw_dj a true partial derivative.


def _z_of_w(a):
    return sp.Sum(w[d2, a] * h[d2], (d2, 1, D)) + b[a]


# dE/dz_k for every logit k, whatever it is: the step below needs no more
g = sp.IndexedBase(r"\frac{\partial E}{\partial z}", real=True)


STEPS = [
    Step(
        "The loss's derivative with respect to one output",
        output_gradient_claim(t, o_free, j, k),
        r"E = -\sum_{k=1}^{C} t_k \log o_k \;\Longrightarrow\; \frac{\partial E}{\partial o_j} = -\frac{t_j}{o_j}",
    ),
    Step(
        "The diagonal entry of the softmax Jacobian (quotient rule)",
        sp.Eq(sp.Derivative(o(j), z[j]), o(j) * (1 - o(j)), evaluate=False),
        r"\frac{\partial o_j}{\partial z_j} = \frac{e^{z_j}\,\Omega - e^{z_j}\, e^{z_j}}{\Omega^2} = o_j\,(1 - o_j)",
    ),
    Step(
        "One weight feeds one logit",
        sp.Eq(sp.Derivative(_z_of_w(j), w[d, j]), h[d], evaluate=False),
        r"z_j = \sum_{d'} w_{d'j}\, h_{d'} + b_j \;\Longrightarrow\; \frac{\partial z_j}{\partial w_{dj}} = h_d",
    ),
    Step(
        r"$w_{dj}$ reaches $E$ only through $z_j$",
        sp.Eq(
            sp.Sum(g[k] * sp.Derivative(_z_of_w(k), w[d, j]), (k, 1, C)),
            g[j] * h[d],
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial w_{dj}} = \sum_{k=1}^{C} "
        r"\frac{\partial E}{\partial z_k}\frac{\partial z_k}{\partial w_{dj}}"
        r" = \frac{\partial E}{\partial z_j}\, h_d",
    ),
    Step(
        r"Through $o_j$ alone: the terms of every $o_k$ with $k \neq j$ are dropped",
        sp.Eq(
            sp.Derivative(E_of_z, z[j]),
            (-t[j] / o(j)) * o(j) * (1 - o(j)),
            evaluate=False,
        ),
        r"\frac{\partial E}{\partial z_j} = \frac{\partial E}{\partial o_j}\,\frac{\partial o_j}{\partial z_j}"
        r"\quad\text{(instead of } "
        r"\sum_{k=1}^{C} \frac{\partial E}{\partial o_k}\frac{\partial o_k}{\partial z_j}\text{)}",
        expected=False,
    ),
    Step(
        "Multiply the three factors",
        sp.Eq(
            (-t[j] / o_free[j]) * o_free[j] * (1 - o_free[j]) * h[d],
            -t[j] * (1 - o_free[j]) * h[d],
            evaluate=False,
        ),
        r"\frac{-t_j}{o_j}\; o_j\,(1 - o_j)\; h_d = -t_j\,(1 - o_j)\, h_d",
    ),
]

DERIVATION = register(
    Derivation(
        name="diagonal-only",
        title="The asker's derivation: the diagonal of the Jacobian only",
        steps=STEPS,
    )
)
