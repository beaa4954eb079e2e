"""The Jacobian explorer: diag(p) - p p^T following the logits."""

import numpy as np

from derivations.softmax import softmax, softmax_jacobian
from derivations.widgets._base import ClassCount, Explorer, Vector, bundle_esm
from derivations.widgets.logits import C_MAX, C_MIN, Z_LIMIT, Z_RANGE


class JacobianExplorer(ClassCount, Explorer):
    r"""A heatmap of the softmax Jacobian that updates as the logits move.

    Entry ``(i, j)`` is ``dp_i/dz_j = p_i (delta_ij - p_j)``, so the matrix
    is ``diag(p) - p p^T`` (derived in :ref:`quotient-rule`; the static
    picture is in :ref:`jacobian-explorer`). Beside each row the explorer
    shows the row's sum, which is always 0: adding the same constant to
    every logit does not change softmax. The colour scale is fixed at
    ``|J_ij| <= 1/4``, the largest any entry can be.

    Parameters
    ----------
    z : array_like of float, shape (C,)
        Logits, 2 to 10 of them, each in [-10, 10].
    language : {'en', 'es', 'id', 'zh_CN'}, optional
        The language the page speaks, even on an edition of the book in
        another one; by default ``DERIVATIONS_LANGUAGE``, else English, and
        on the static site the edition's own language.

    Examples
    --------
    >>> from derivations.widgets import JacobianExplorer
    >>> ex = JacobianExplorer(z=[0.0, 0.0])
    >>> ex.jacobian
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> ex.row_sums
    array([0., 0.])
    """

    _esm = bundle_esm("jacobian.js")
    _limits = {"C_MIN": C_MIN, "C_MAX": C_MAX, "Z_LIMIT": Z_LIMIT}
    _message_groups = ("jacobian",)

    z = Vector([1.5, 0.5, -0.5, 0.0], **Z_RANGE).tag(sync=True)

    def __init__(self, z=(1.5, 0.5, -0.5, 0.0), **kwargs):
        super().__init__(z=z, **kwargs)

    @property
    def p(self):
        """``softmax(z)``."""
        return softmax(np.array(self.z))

    @property
    def jacobian(self):
        """``J[i, j] = dp_i/dz_j``, from :func:`derivations.softmax_jacobian`."""
        return softmax_jacobian(np.array(self.z))

    @property
    def row_sums(self):
        """``J.sum(axis=1)``: zero up to rounding."""
        return self.jacobian.sum(axis=1)
