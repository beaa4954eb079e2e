"""Why cross-entropy: likelihood, KL divergence and "observed minus expected".

Derived in :ref:`why-cross-entropy`. Notation of that chapter (chapters 1-5
of the book): ``o`` are the model's probabilities, ``t`` the targets, ``z``
the logits, ``y`` the observed label and ``A(z) = log sum_k e^{z_k}`` the
log-partition function of the categorical model. Sums over classes run over
``k``; ``j`` and ``i`` are the free indices a derivative or an entry is
taken at.

The steps, in the order the chapter shows them:

1-2. the probability a categorical model gives the observed class is
     ``prod_k o_k^{t_k}`` for the one-hot ``t = onehot(y)``, so its
     logarithm is ``sum_k t_k log o_k`` and the negative log-likelihood is the
     cross-entropy, which the one-hot target collapses to the surprisal
     ``-log o_y``;
3-5. the cross-entropy ``CE(t, o)`` is the target's entropy ``Ent(t)`` plus
     the KL divergence, and
     ``log x <= x - 1`` (checked through the derivatives of
     ``x - 1 - log x``) makes the divergence non-negative;
6-9. the categorical model as an exponential family in its natural
     parameters ``z``: ``log o_y = <z, onehot(y)> - A(z)``, the gradient of
     ``A`` is the expected sufficient statistic ``o``, so the gradient of the
     negative log-likelihood is ``o - t``, expected minus observed; the
     Hessian of ``A`` is the covariance of the sufficient statistic.
"""

import sympy as sp

from derivations.symbolic.claims import C, cross_entropy_sum, index, symbolic_softmax
from derivations.symbolic.steps import Derivation, Step, register

z = sp.IndexedBase("z", real=True)
o = sp.IndexedBase("o", positive=True)
t = sp.IndexedBase("t", positive=True)
i, j, k, u = index("i j k u")
y = index("y")  # the observed class
x = sp.Symbol("x", positive=True)  # the ratio o_k / t_k in Gibbs' inequality


def _entries(base, n):
    return [base[m] for m in range(1, n + 1)]


def _likelihood_claim(n):
    """log prod_k o_k^{t_k} = sum_k t_k log o_k, for n classes."""
    oo, tt = _entries(o, n), _entries(t, n)
    product = sp.Mul(*[a**b for a, b in zip(oo, tt)], evaluate=False)
    return sp.Eq(sp.log(product), sum(b * sp.log(a) for a, b in zip(oo, tt)), evaluate=False)


p, Omega = symbolic_softmax(z, u)  # p(a) = e^{z_a} / sum_u e^{z_u}, the probability of class a
A = sp.log(Omega)  # the log-partition function
onehot = sp.KroneckerDelta  # onehot(y)_k = delta(k, y)


cross_entropy = cross_entropy_sum(t, o, k)
entropy = -sp.Sum(t[k] * sp.log(t[k]), (k, 1, C))
kl = sp.Sum(t[k] * sp.log(t[k] / o[k]), (k, 1, C))
gibbs_gap = x - 1 - sp.log(x)  # >= 0 for x > 0, zero only at x = 1

STEPS = [
    Step(
        "The likelihood of the observed class is a product; its logarithm a sum",
        _likelihood_claim,
        r"\begin{aligned} P(y \mid o) &= o_y = \prod_{k=1}^{C} o_k^{t_k} \\"
        r"\log P(y \mid o) &= \sum_{k=1}^{C} t_k \log o_k = -E \end{aligned}",
        scope="C=2..6",
    ),
    Step(
        r"A one-hot target picks one term: the surprisal $-\log o_y$",
        sp.Eq(-sp.Sum(onehot(k, y) * sp.log(o[k]), (k, 1, C)), -sp.log(o[y]), evaluate=False),
        r"t_k = \delta_{ky} \;\Longrightarrow\; E = -\sum_{k=1}^{C} \delta_{ky} \log o_k = -\log o_y",
    ),
    Step(
        "Cross-entropy = entropy of the target + KL divergence",
        sp.Eq(cross_entropy, entropy + kl, evaluate=False),
        r"\begin{aligned} \operatorname{CE}(t, o) &= -\sum_k t_k \log o_k \\"
        r" &= \underbrace{-\sum_k t_k \log t_k}_{\operatorname{Ent}(t)}"
        r" + \underbrace{\sum_k t_k \log \frac{t_k}{o_k}}_{\mathrm{KL}(t \,\Vert\, o)} \end{aligned}",
    ),
    Step(
        r"$\log x \le x - 1$: the gap falls until $x = 1$, then rises",
        sp.Eq(sp.Derivative(gibbs_gap, x), (x - 1) / x, evaluate=False),
        r"g(x) = x - 1 - \log x, \qquad g'(x) = \frac{x - 1}{x}, \qquad g(1) = 0",
        scope="exact",
    ),
    Step(
        r"Hence $\mathrm{KL}(t \,\Vert\, o) \ge 0$ for two distributions",
        sp.Eq(
            sp.Sum(t[k] * (o[k] / t[k] - 1), (k, 1, C)),
            sp.Sum(o[k], (k, 1, C)) - sp.Sum(t[k], (k, 1, C)),
            evaluate=False,
        ),
        r"\begin{aligned} -\mathrm{KL}(t \,\Vert\, o) &= \sum_k t_k \log \frac{o_k}{t_k}"
        r" \le \sum_k t_k \Big(\frac{o_k}{t_k} - 1\Big) \\"
        r" &= \sum_k o_k - \sum_k t_k = 1 - 1 = 0 \end{aligned}",
    ),
    Step(
        r"The categorical model as an exponential family in $z$",
        sp.Eq(
            sp.Sum(z[k] * onehot(k, y), (k, 1, C)) - A,
            sp.log(p(y)),
            evaluate=False,
        ),
        r"\log o_y = \langle z, \operatorname{onehot}(y) \rangle - A(z),"
        r"\qquad A(z) = \log \sum_{k=1}^{C} e^{z_k}",
    ),
    Step(
        "The gradient of the log-partition is the expected sufficient statistic",
        sp.Eq(sp.Derivative(A, z[j]), sp.Sum(p(k) * onehot(k, j), (k, 1, C)), evaluate=False),
        r"\begin{aligned} \frac{\partial A}{\partial z_j} &= \frac{e^{z_j}}{\sum_k e^{z_k}} = o_j \\"
        r" &= \sum_{k=1}^{C} o_k\, \delta_{kj}"
        r" = \mathbb{E}_{k \sim o}\big[\operatorname{onehot}(k)_j\big] \end{aligned}",
    ),
    Step(
        "The gradient of the negative log-likelihood: expected minus observed",
        sp.Eq(
            sp.Derivative(-(sp.Sum(z[k] * t[k], (k, 1, C)) - A), z[j]),
            p(j) - t[j],
            evaluate=False,
        ),
        r"\frac{\partial}{\partial z_j}\Big(A(z) - \langle z, t \rangle\Big)"
        r" = \underbrace{o_j}_{\text{expected}} - \underbrace{t_j}_{\text{observed}},"
        r"\qquad t = \operatorname{onehot}(y)",
    ),
    Step(
        "The Hessian of the log-partition is the covariance of the sufficient statistic",
        sp.Eq(
            sp.Derivative(A, z[i], z[j]),
            sp.Sum(p(k) * onehot(k, i) * onehot(k, j), (k, 1, C)) - p(i) * p(j),
            evaluate=False,
        ),
        r"\begin{aligned} \frac{\partial^2 A}{\partial z_i\, \partial z_j} &= o_i\,\delta_{ij} - o_i\, o_j \\"
        r" &= \mathbb{E}\big[T_i T_j\big] - \mathbb{E}\big[T_i\big]\, \mathbb{E}\big[T_j\big]"
        r" = \operatorname{Cov}(T)_{ij} \\"
        r" & \text{with } T = \operatorname{onehot}(k),\; k \sim o \end{aligned}",
    ),
]

DERIVATION = register(
    Derivation(
        name="why-cross-entropy",
        title="Cross-entropy as likelihood, as divergence, and its gradient as observed minus expected",
        steps=STEPS,
    )
)
