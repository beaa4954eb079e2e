"""The two-output toy network, differentiated by summing over graph paths.

Derived in :ref:`toy-network`. Notation of that chapter (and of the source
answer it follows): ``h`` are the three inputs, ``w[i, j]`` the weight from
``h_i`` to ``y_j``, ``y`` the two logits, ``o = softmax(y)`` the
probabilities, ``t`` the targets and ``L = -t_1 log o_1 - t_2 log o_2``.

The network is fixed (three inputs, two outputs), so every claim is an exact
sympy identity in the symbols of that network: scope "exact".
"""

import sympy as sp

from derivations.symbolic.steps import Derivation, Step, register

h = sp.IndexedBase("h", real=True)
w = sp.IndexedBase("w", real=True)
t = sp.IndexedBase("t", real=True)
o = sp.IndexedBase("o", positive=True)  # probabilities as free symbols, for algebra
Y = sp.IndexedBase("y", real=True)  # logits as free symbols, for softmax's own derivatives

D, C2 = 3, 2


def logits_of_weights():
    """``[y_1, y_2]`` with ``y_j = sum_i w_ij h_i``, as expressions in ``w`` and ``h``.

    The forward pass of the network in :ref:`toy-network`.

    Examples
    --------
    >>> logits_of_weights()[0]
    h[1]*w[1, 1] + h[2]*w[2, 1] + h[3]*w[3, 1]
    """
    return [sum(w[i, j] * h[i] for i in range(1, D + 1)) for j in range(1, C2 + 1)]


def softmax_of(y1, y2):
    """``[o_1, o_2]`` as expressions in the two logits (:ref:`toy-network`).

    Examples
    --------
    >>> softmax_of(sp.Symbol("a"), sp.Symbol("b"))[1]
    exp(b)/(exp(a) + exp(b))
    """
    denominator = sp.exp(y1) + sp.exp(y2)
    return [sp.exp(y1) / denominator, sp.exp(y2) / denominator]


def loss_of(o1, o2):
    """``L = -t_1 log o_1 - t_2 log o_2`` (:ref:`toy-network`).

    Examples
    --------
    >>> loss_of(sp.Rational(1, 2), sp.Rational(1, 2)).subs({t[1]: 1, t[2]: 0})
    log(2)
    """
    return -t[1] * sp.log(o1) - t[2] * sp.log(o2)


# the whole network, composed: L as an expression in w, h and t
_o_of_w = softmax_of(*logits_of_weights())
L_of_w = loss_of(*_o_of_w)
# softmax in terms of free logits, for its local derivatives
_o_of_y = softmax_of(Y[1], Y[2])


def _path_sum(o1, o2):
    """The two path products for dL/dw_21, written with the probabilities o1, o2."""
    via_o1 = (-t[1] / o1) * (o1 * (1 - o1)) * h[2]
    via_o2 = (-t[2] / o2) * (-o2 * o1) * h[2]
    return via_o1, via_o2


_path1_free, _path2_free = _path_sum(o[1], o[2])
_path1_w, _path2_w = _path_sum(*_o_of_w)

STEPS = [
    Step(
        r"The weight $w_{21}$ reaches $y_1$ only, with local derivative $h_2$",
        sp.Eq(
            sp.Matrix([sp.Derivative(yj, w[2, 1]) for yj in logits_of_weights()]),
            sp.Matrix([h[2], 0]),
            evaluate=False,
        ),
        r"\frac{\partial y_1}{\partial w_{21}} = h_2, \qquad \frac{\partial y_2}{\partial w_{21}} = 0",
        scope="exact",
    ),
    Step(
        "The loss sees each output through its own log",
        sp.Eq(
            sp.Matrix([sp.Derivative(loss_of(o[1], o[2]), o[j]) for j in (1, 2)]),
            sp.Matrix([-t[1] / o[1], -t[2] / o[2]]),
            evaluate=False,
        ),
        r"\frac{\partial L}{\partial o_1} = -\frac{t_1}{o_1}, \qquad "
        r"\frac{\partial L}{\partial o_2} = -\frac{t_2}{o_2}",
        scope="exact",
    ),
    Step(
        r"Softmax, same index: $y_1$ to $o_1$",
        sp.Eq(sp.Derivative(_o_of_y[0], Y[1]), _o_of_y[0] * (1 - _o_of_y[0]), evaluate=False),
        r"\frac{\partial o_1}{\partial y_1} = \frac{e^{y_1}}{e^{y_1} + e^{y_2}}"
        r" - \Bigl(\frac{e^{y_1}}{e^{y_1} + e^{y_2}}\Bigr)^2 = o_1 (1 - o_1)",
        scope="exact",
    ),
    Step(
        r"Softmax, crossing over: $y_1$ also moves $o_2$",
        sp.Eq(sp.Derivative(_o_of_y[1], Y[1]), -_o_of_y[1] * _o_of_y[0], evaluate=False),
        r"\frac{\partial o_2}{\partial y_1} = \frac{-e^{y_2} e^{y_1}}{(e^{y_1} + e^{y_2})^2} = -o_2\, o_1",
        scope="exact",
    ),
    Step(
        r"Path $w_{21} \to y_1 \to o_1 \to L$: the only one a diagonal-only derivation keeps",
        sp.Eq(_path1_free, -t[1] * (1 - o[1]) * h[2], evaluate=False),
        r"\frac{\partial L}{\partial o_1}\frac{\partial o_1}{\partial y_1}\frac{\partial y_1}{\partial w_{21}}"
        r" = -\frac{t_1}{o_1}\, o_1 (1 - o_1)\, h_2 = -t_1 (1 - o_1)\, h_2",
        scope="exact",
    ),
    Step(
        r"Path $w_{21} \to y_1 \to o_2 \to L$: the one it drops",
        sp.Eq(_path2_free, t[2] * o[1] * h[2], evaluate=False),
        r"\frac{\partial L}{\partial o_2}\frac{\partial o_2}{\partial y_1}\frac{\partial y_1}{\partial w_{21}}"
        r" = -\frac{t_2}{o_2}\, (-o_2\, o_1)\, h_2 = t_2\, o_1\, h_2",
        scope="exact",
    ),
    Step(
        "The derivative of the whole network is the sum over both paths",
        sp.Eq(sp.Derivative(L_of_w, w[2, 1]), _path1_w + _path2_w, evaluate=False),
        r"\frac{\partial L}{\partial w_{21}}"
        r" = \frac{\partial L}{\partial o_1}\frac{\partial o_1}{\partial y_1}\frac{\partial y_1}{\partial w_{21}}"
        r" + \frac{\partial L}{\partial o_2}\frac{\partial o_2}{\partial y_1}\frac{\partial y_1}{\partial w_{21}}",
        scope="exact",
    ),
    Step(
        "Add the two paths and collect the targets",
        sp.Eq(_path1_free + _path2_free, h[2] * (o[1] * (t[1] + t[2]) - t[1]), evaluate=False),
        r"-t_1 (1 - o_1)\, h_2 + t_2\, o_1\, h_2 = h_2 (t_2 o_1 - t_1 + t_1 o_1)"
        r" = h_2 \bigl(o_1 (t_1 + t_2) - t_1\bigr)",
        scope="exact",
    ),
    Step(
        r"A one-hot (or any normalised) target has $t_1 + t_2 = 1$",
        sp.Eq(
            (h[2] * (o[1] * (t[1] + t[2]) - t[1])).subs(t[2], 1 - t[1]),
            h[2] * (o[1] - t[1]),
            evaluate=False,
        ),
        r"\frac{\partial L}{\partial w_{21}} = h_2 (o_1 - t_1) \qquad \text{when } t_1 + t_2 = 1",
        scope="exact",
    ),
]

DERIVATION = register(
    Derivation(
        name="two-output-network",
        title="dL/dw21 in the two-output network, summed over both paths",
        steps=STEPS,
    )
)
