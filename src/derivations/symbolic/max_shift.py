"""Why the max shift gets no gradient: the loss does not depend on m.

Derived in :ref:`backprop-by-operation`. Notation of that chapter: ``z``
are one row's logits, ``m`` the number subtracted from all of them (the row
maximum in practice, but any number here), ``zs = z - m`` the shifted
logits and ``t`` any targets (a one-hot row for a label). Every step holds
for a symbolic number of classes.
"""

import sympy as sp

from derivations.symbolic.claims import C, index
from derivations.symbolic.steps import Derivation, Step, register

z = sp.IndexedBase("z", real=True)
zs = sp.IndexedBase("zs", real=True)
t = sp.IndexedBase("t", real=True)
m = sp.Symbol("m", real=True)
j, k, u = index("j k u")

Omega = sp.Sum(sp.exp(z[u]), (u, 1, C))
Omega_m = sp.Sum(sp.exp(z[u] - m), (u, 1, C))
Omega_s = sp.Sum(sp.exp(zs[u]), (u, 1, C))
tau = sp.Sum(t[j], (j, 1, C))


def p_shifted(a):
    """The softmax of the shifted logits, entry a: e^(z_a - m) / sum_u e^(z_u - m).

    Shown in :ref:`max-shift-gradient` to be the softmax of the unshifted logits.

    Examples
    --------
    >>> p_shifted(j)
    exp(-m + z[j])/Sum(exp(-m + z[u]), (u, 1, C))
    """
    return sp.exp(z[a] - m) / Omega_m


#: The loss of one row as a function of m, for any targets t.
ell_m = -sp.Sum(t[j] * sp.log(p_shifted(j)), (j, 1, C))

#: The same loss written in the shifted logits, as the forward pass computes it.
ell_zs = -sp.Sum(t[j] * sp.log(sp.exp(zs[j]) / Omega_s), (j, 1, C))


STEPS = [
    Step(
        r"The shift is a common factor of the denominator",
        sp.Eq(Omega_m, sp.exp(-m) * Omega, evaluate=False),
        r"\sum_{u=1}^{C} e^{z_u - m} = e^{-m} \sum_{u=1}^{C} e^{z_u}",
    ),
    Step(
        "So it cancels from every probability",
        sp.Eq(p_shifted(j), sp.exp(z[j]) / Omega, evaluate=False),
        r"\frac{e^{z_j - m}}{\sum_u e^{z_u - m}} = \frac{e^{-m}\, e^{z_j}}{e^{-m} \sum_u e^{z_u}}"
        r" = \frac{e^{z_j}}{\sum_u e^{z_u}}",
    ),
    Step(
        r"And from every log-probability",
        sp.Eq(sp.log(p_shifted(j)), z[j] - sp.log(Omega), evaluate=False),
        r"\log p_j = (z_j - m) - \log \sum_u e^{z_u - m} = z_j - \log \sum_u e^{z_u}",
    ),
    Step(
        r"The loss, for any targets $t$, does not contain $m$",
        sp.Eq(ell_m, -sp.Sum(t[j] * (z[j] - sp.log(Omega)), (j, 1, C)), evaluate=False),
        r"\ell(m) = -\sum_{j=1}^{C} t_j \log p_j = -\sum_{j=1}^{C} t_j \Bigl(z_j - \log \sum_u e^{z_u}\Bigr)",
    ),
    Step(
        r"Hence its derivative with respect to $m$ is zero",
        sp.Eq(sp.Derivative(ell_m, m), 0, evaluate=False),
        r"\frac{\partial \ell}{\partial m} = 0",
    ),
    Step(
        r"The gradient at the shifted logits is the fused one",
        sp.Eq(sp.Derivative(ell_zs, zs[k]), tau * sp.exp(zs[k]) / Omega_s - t[k], evaluate=False),
        r"\frac{\partial \ell}{\partial zs_k} = \tau\, p_k - t_k, \qquad p_k = \frac{e^{zs_k}}{\sum_u e^{zs_u}},"
        r"\quad \tau = \sum_j t_j",
    ),
    Step(
        r"The shift's backward sums it, and the sum is zero",
        sp.Eq(-sp.Sum(tau * sp.exp(zs[k]) / Omega_s - t[k], (k, 1, C)), 0, evaluate=False),
        r"dm = -\sum_{k=1}^{C} \frac{\partial \ell}{\partial zs_k} = -\sum_{k=1}^{C} (\tau\, p_k - t_k)"
        r" = -\tau \cdot 1 + \tau = 0",
    ),
]

DERIVATION = register(
    Derivation(
        name="max-shift",
        title="The max shift gets no gradient",
        steps=STEPS,
    )
)
