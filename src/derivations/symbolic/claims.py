"""What claims are stated in: the sizes ``C`` and ``D``, indices, and shared terms.

A "general" claim is a sympy equation in sums over :func:`index` objects
running to the symbolic number of classes :data:`C` (or of inputs
:data:`D`). The terms several derivations state in their own letters, such
as the cross-entropy ``-sum_k t_k log o_k``, are built here once, so that
each derivation module only names its bases and indices. First used in
:ref:`quotient-rule`.
"""

import sympy as sp

__all__ = ["C", "D", "index", "symbolic_softmax", "cross_entropy_sum", "output_gradient_claim"]

#: The symbolic number of classes used by every "general" claim.
C = sp.Symbol("C", integer=True, positive=True)

#: The number of units in the layer below the logits (inputs to a weight matrix).
D = sp.Symbol("D", integer=True, positive=True)


def index(names, upper=C):
    """Index symbols ``1..upper`` (``sympy.Idx``), one per name.

    Sums over these indices and derivatives with respect to entries such
    as ``z[j]`` are what "general C" claims are built from, from
    :ref:`quotient-rule` on.

    Examples
    --------
    >>> i, j = index("i j")
    >>> i.lower, i.upper
    (1, C)
    """
    out = tuple(sp.Idx(n, (1, upper)) for n in names.replace(",", " ").split())
    return out[0] if len(out) == 1 else out


def symbolic_softmax(z, q):
    """The softmax of the logits ``z`` for symbolic C: ``(o, Omega)``.

    ``Omega = sum_{q=1}^{C} e^{z_q}`` is the denominator and ``o(a)`` the
    output ``e^{z_a} / Omega`` of class ``a``. ``q`` is the denominator's
    own summation index, kept apart from the indices a claim sums over. Each
    chapter from :ref:`quotient-rule` on names the two in its own letters.

    Examples
    --------
    >>> o, Omega = symbolic_softmax(sp.IndexedBase("z"), index("q"))
    >>> Omega
    Sum(exp(z[q]), (q, 1, C))
    >>> o(index("j"))
    exp(z[j])/Sum(exp(z[q]), (q, 1, C))
    """
    Omega = sp.Sum(sp.exp(z[q]), (q, 1, C))

    def o(a):
        return sp.exp(z[a]) / Omega

    return o, Omega


def cross_entropy_sum(t, o, k):
    """The loss ``-sum_{k=1}^C t_k log o_k``, summed over the index ``k``.

    ``o`` is an ``IndexedBase`` (outputs as free symbols) or a function of
    the index (outputs written through the logits), as in
    :ref:`quotient-rule` and :ref:`kronecker-delta`.

    Examples
    --------
    >>> t, o = sp.IndexedBase("t"), sp.IndexedBase("o")
    >>> cross_entropy_sum(t, o, index("k"))
    -Sum(log(o[k])*t[k], (k, 1, C))
    """
    o_k = o(k) if callable(o) else o[k]
    return -sp.Sum(t[k] * sp.log(o_k), (k, 1, C))


def output_gradient_claim(t, o, i, k):
    """The claim ``d/do_i (-sum_k t_k log o_k) = -t_i / o_i``: each output sits in one term.

    Stated in :ref:`quotient-rule`, :ref:`puzzle` and :ref:`matrix-form`,
    each in its own letters for ``o``, ``i`` and ``k``.

    Examples
    --------
    >>> t, o = sp.IndexedBase("t"), sp.IndexedBase("o")
    >>> output_gradient_claim(t, o, *index("i k")).rhs
    -t[i]/o[i]
    """
    return sp.Eq(sp.Derivative(cross_entropy_sum(t, o, k), o[i]), -t[i] / o[i], evaluate=False)
