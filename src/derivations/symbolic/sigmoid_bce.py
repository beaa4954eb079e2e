"""Sigmoid and binary cross-entropy: three derivations for :ref:`sigmoid-bce`.

Notation of that chapter: ``z`` a logit, ``t`` its target in [0, 1],
``sigma`` the logistic sigmoid and ``L`` the binary cross-entropy of one
logit. The three derivations registered here are

``"sigmoid-bce"``
    the derivative of the sigmoid, the gradient ``sigma(z) - t`` of the
    binary cross-entropy, and the multi-label loss (one sigmoid per class)
    whose Jacobian is diagonal, for a symbolic number of classes;
``"two-class-softmax"``
    softmax over two logits is the sigmoid of their difference, and the
    gradient ``p - t`` of :ref:`kronecker-delta` turns into ``sigma - t``;
``"stable-bce"``
    the logarithms rewritten as ``logaddexp(0, .)``, the loss as
    ``log(1 + e^z) - t z`` and the split ``max(z, 0) + log1p(e^-|z|)`` that
    the package computes.
"""

import sympy as sp

from derivations.symbolic.claims import C, index
from derivations.symbolic.steps import Derivation, Step, register

z, t = sp.symbols("z t", real=True)
z1, z2 = sp.symbols("z_1 z_2", real=True)
zp = sp.Symbol("z", positive=True)  # a positive logit, for the branch z > 0
zn = sp.Symbol("z", negative=True)  # a negative logit, for the branch z < 0

zs = sp.IndexedBase("z", real=True)
ts = sp.IndexedBase("t", real=True)
j, k = index("j k")


def sigma(x):
    """The logistic sigmoid 1 / (1 + e^-x) as a sympy expression (:ref:`sigmoid-bce`).

    Examples
    --------
    >>> sigma(0)
    1/2
    """
    return 1 / (1 + sp.exp(-x))


def bce(x, target):
    """Binary cross-entropy of the logit ``x`` against ``target`` (:ref:`bce-gradient`).

    Examples
    --------
    >>> bce(0, 1)
    log(2)
    """
    return -target * sp.log(sigma(x)) - (1 - target) * sp.log(1 - sigma(x))


def softplus(x):
    """log(1 + e^x), which numpy computes as ``np.logaddexp(0, x)`` (:ref:`bce-stable-form`).

    Examples
    --------
    >>> softplus(0)
    log(2)
    """
    return sp.log(1 + sp.exp(x))


# ---------------------------------------------------------------------------
# "sigmoid-bce": the gradient sigma(z) - t, one logit and then C of them
# ---------------------------------------------------------------------------

_multi = sp.Sum(
    -ts[j] * sp.log(sigma(zs[j])) - (1 - ts[j]) * sp.log(1 - sigma(zs[j])), (j, 1, C)
)

BCE_STEPS = [
    Step(
        r"The sigmoid's derivative is $\sigma(1 - \sigma)$",
        sp.Eq(sp.Derivative(sigma(z), z), sigma(z) * (1 - sigma(z)), evaluate=False),
        r"\sigma(z) = \frac{1}{1 + e^{-z}} \;\Longrightarrow\;"
        r"\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)",
        scope="exact",
    ),
    Step(
        r"The other class: $1 - \sigma(z) = \sigma(-z)$",
        sp.Eq(1 - sigma(z), sigma(-z), evaluate=False),
        r"1 - \sigma(z) = \frac{e^{-z}}{1 + e^{-z}} = \frac{1}{1 + e^{z}} = \sigma(-z)",
        scope="exact",
    ),
    Step(
        r"Chain rule through $\log \sigma$",
        sp.Eq(sp.Derivative(sp.log(sigma(z)), z), 1 - sigma(z), evaluate=False),
        r"\frac{d}{dz} \log \sigma(z) = \frac{\sigma'(z)}{\sigma(z)} = 1 - \sigma(z)",
        scope="exact",
    ),
    Step(
        r"Chain rule through $\log(1 - \sigma)$",
        sp.Eq(sp.Derivative(sp.log(1 - sigma(z)), z), -sigma(z), evaluate=False),
        r"\frac{d}{dz} \log\bigl(1 - \sigma(z)\bigr) = \frac{-\sigma'(z)}{1 - \sigma(z)} = -\sigma(z)",
        scope="exact",
    ),
    Step(
        "Differentiate the loss term by term",
        sp.Eq(sp.Derivative(bce(z, t), z), -t * (1 - sigma(z)) + (1 - t) * sigma(z), evaluate=False),
        r"L = -t \log \sigma(z) - (1 - t) \log\bigl(1 - \sigma(z)\bigr) \;\Longrightarrow\;"
        r"\frac{dL}{dz} = -t\,\bigl(1 - \sigma(z)\bigr) + (1 - t)\,\sigma(z)",
        scope="exact",
    ),
    Step(
        r"Multiply out: the $t\sigma$ terms cancel",
        sp.Eq(-t * (1 - sigma(z)) + (1 - t) * sigma(z), sigma(z) - t, evaluate=False),
        r"-t + t\sigma(z) + \sigma(z) - t\sigma(z) = \sigma(z) - t",
        scope="exact",
    ),
    Step(
        r"$C$ labels, one sigmoid each: the sum's gradient",
        sp.Eq(sp.Derivative(_multi, zs[k]), sigma(zs[k]) - ts[k], evaluate=False),
        r"L = \sum_{j=1}^{C} \Bigl[-t_j \log \sigma(z_j) - (1 - t_j) \log\bigl(1 - \sigma(z_j)\bigr)\Bigr]"
        r"\;\Longrightarrow\; \frac{\partial L}{\partial z_k} = \sigma(z_k) - t_k",
    ),
    Step(
        "The multi-label Jacobian is diagonal",
        sp.Eq(
            sp.Derivative(sigma(zs[j]), zs[k]),
            sp.KroneckerDelta(j, k) * sigma(zs[j]) * (1 - sigma(zs[j])),
            evaluate=False,
        ),
        r"\frac{\partial \sigma(z_j)}{\partial z_k} = \delta_{jk}\, \sigma(z_j)\bigl(1 - \sigma(z_j)\bigr)"
        r"\qquad \text{(softmax: } p_j(\delta_{jk} - p_k)\text{)}",
    ),
]

# ---------------------------------------------------------------------------
# "two-class-softmax": softmax with C = 2 is a sigmoid of the difference
# ---------------------------------------------------------------------------

_d = z1 - z2
_p1 = sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))
_p2 = sp.exp(z2) / (sp.exp(z1) + sp.exp(z2))
_E2 = -t * sp.log(_p1) - (1 - t) * sp.log(_p2)  # targets (t, 1 - t)

TWO_CLASS_STEPS = [
    Step(
        r"Divide by $e^{z_1}$: the first probability is $\sigma(z_1 - z_2)$",
        sp.Eq(_p1, sigma(_d), evaluate=False),
        r"p_1 = \frac{e^{z_1}}{e^{z_1} + e^{z_2}} = \frac{1}{1 + e^{-(z_1 - z_2)}} = \sigma(z_1 - z_2)",
        scope="exact",
    ),
    Step(
        r"The second is $1 - p_1 = \sigma(z_2 - z_1)$",
        sp.Eq(_p2, sigma(-_d), evaluate=False),
        r"p_2 = \frac{e^{z_2}}{e^{z_1} + e^{z_2}} = 1 - \sigma(z_1 - z_2) = \sigma(z_2 - z_1)",
        scope="exact",
    ),
    Step(
        r"Cross-entropy with targets $(t, 1 - t)$ is the binary loss of the difference",
        sp.Eq(_E2, bce(_d, t), evaluate=False),
        r"E = -t \log p_1 - (1 - t) \log p_2 = L(z_1 - z_2,\, t)",
        scope="exact",
    ),
    Step(
        r"Chapter 3's $p - t$ at the first logit",
        sp.Eq(sp.Derivative(_E2, z1), sigma(_d) - t, evaluate=False),
        r"\frac{\partial E}{\partial z_1} = p_1 - t = \sigma(z_1 - z_2) - t",
        scope="exact",
    ),
    Step(
        "At the second logit, the same number with the opposite sign",
        sp.Eq(sp.Derivative(_E2, z2), -(sigma(_d) - t), evaluate=False),
        r"\frac{\partial E}{\partial z_2} = p_2 - (1 - t) = -\bigl(\sigma(z_1 - z_2) - t\bigr)",
        scope="exact",
    ),
]

# ---------------------------------------------------------------------------
# "stable-bce": the form that never takes the log of a rounded probability
# ---------------------------------------------------------------------------


def _split_form(x):
    """The claim log(1 + e^x) = max(x, 0) + log1p(e^-|x|), for a logit of known sign."""
    return sp.Eq(softplus(x), sp.Max(x, 0) + sp.log(1 + sp.exp(-sp.Abs(x))), evaluate=False)


STABLE_STEPS = [
    Step(
        r"$\log \sigma(z) = -\log(1 + e^{-z})$",
        sp.Eq(sp.log(sigma(z)), -softplus(-z), evaluate=False),
        r"\log \sigma(z) = -\log\bigl(1 + e^{-z}\bigr) = -\operatorname{logaddexp}(0, -z)",
        scope="exact",
    ),
    Step(
        r"$1 - \sigma(z)$ as one fraction",
        sp.Eq(1 - sigma(z), 1 / (1 + sp.exp(z)), evaluate=False),
        r"1 - \sigma(z) = \frac{1}{1 + e^{z}}",
        scope="exact",
    ),
    Step(
        r"$\log(1 - \sigma(z)) = -\log(1 + e^{z})$",
        sp.Eq(sp.log(1 / (1 + sp.exp(z))), -softplus(z), evaluate=False),
        r"\log\bigl(1 - \sigma(z)\bigr) = -\log\bigl(1 + e^{z}\bigr) = -\operatorname{logaddexp}(0, z)",
        scope="exact",
    ),
    Step(
        "The loss in softplus terms",
        sp.Eq(
            -t * (-softplus(-z)) - (1 - t) * (-softplus(z)),
            t * softplus(-z) + (1 - t) * softplus(z),
            evaluate=False,
        ),
        r"L = t \log\bigl(1 + e^{-z}\bigr) + (1 - t) \log\bigl(1 + e^{z}\bigr)",
        scope="exact",
    ),
    Step(
        r"Pull $-z$ out of $\log(1 + e^{-z})$",
        sp.Eq(softplus(-z), softplus(z) - z, evaluate=False),
        r"\log\bigl(1 + e^{-z}\bigr) = \log\bigl(e^{-z}(e^{z} + 1)\bigr) = \log\bigl(1 + e^{z}\bigr) - z",
        scope="exact",
    ),
    Step(
        r"Hence $L = \log(1 + e^{z}) - t z$",
        sp.Eq(t * (softplus(z) - z) + (1 - t) * softplus(z), softplus(z) - t * z, evaluate=False),
        r"L = t\bigl(\log(1 + e^{z}) - z\bigr) + (1 - t)\log\bigl(1 + e^{z}\bigr)"
        r" = \operatorname{logaddexp}(0, z) - t z",
        scope="exact",
    ),
    Step(
        r"Its derivative is again $\sigma(z) - t$",
        sp.Eq(sp.Derivative(softplus(z) - t * z, z), sigma(z) - t, evaluate=False),
        r"\frac{d}{dz}\Bigl[\log\bigl(1 + e^{z}\bigr) - t z\Bigr] = \frac{e^{z}}{1 + e^{z}} - t = \sigma(z) - t",
        scope="exact",
    ),
    Step(
        r"For $z > 0$: $\log(1 + e^{z}) = z + \log(1 + e^{-z})$",
        _split_form(zp),
        r"z > 0: \quad \log\bigl(1 + e^{z}\bigr) = z + \operatorname{log1p}\bigl(e^{-z}\bigr)"
        r" = \max(z, 0) + \operatorname{log1p}\bigl(e^{-|z|}\bigr)",
        scope="exact",
    ),
    Step(
        r"For $z < 0$ it is already in that form",
        _split_form(zn),
        r"z < 0: \quad \log\bigl(1 + e^{z}\bigr) = 0 + \operatorname{log1p}\bigl(e^{z}\bigr)"
        r" = \max(z, 0) + \operatorname{log1p}\bigl(e^{-|z|}\bigr)",
        scope="exact",
    ),
]

register(
    Derivation(
        name="sigmoid-bce",
        title="The gradient of binary cross-entropy",
        steps=BCE_STEPS,
    )
)

register(
    Derivation(
        name="two-class-softmax",
        title="Softmax with two classes is a sigmoid",
        steps=TWO_CLASS_STEPS,
    )
)

register(
    Derivation(
        name="stable-bce",
        title="Binary cross-entropy without the logarithm of a probability",
        steps=STABLE_STEPS,
    )
)
