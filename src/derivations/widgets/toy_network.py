"""The toy-network explorer: both paths from the loss back to w_21."""

import numpy as np

from derivations.losses import cross_entropy, cross_entropy_grad
from derivations.softmax import softmax, softmax_jacobian
from derivations.widgets._base import Explorer, Matrix, Vector, bundle_esm

HW_LIMIT = 5.0  # the h and w fields accept -HW_LIMIT .. HW_LIMIT


class ToyNetworkExplorer(Explorer):
    r"""The two-output network of :ref:`toy-network`, as a live computational graph.

    Three hidden units ``h``, weights ``w`` of shape (3, 2) where ``w[d, j]``
    connects ``h_d`` to ``y_j`` (the page numbers them from 1, as in
    ``w_21``), and

    * ``y = w^T h``, ``o = softmax(y)``, ``L = -sum_k t_k log o_k``;
    * ``dL/do_k = -t_k / o_k`` and ``do_k/dy_j = o_k (delta_kj - o_j)``;
    * ``dL/dy = o * sum(t) - t`` and ``dL/dw = h (dL/dy)^T``.

    The graph shows, on each edge ``h_d -> y_j``, the weight and
    ``dL/dw_dj``; on each edge ``y_j -> o_k``, the local derivative
    ``do_k/dy_j`` and the gradient it carries back,
    ``dL/do_k * do_k/dy_j``; on each edge ``o_k -> L``, ``dL/do_k``. The two
    paths from ``L`` to ``w_21`` (through ``o_1`` and through ``o_2``, both
    via ``y_1``) are highlighted, and their sum is shown beside the closed
    form ``h_2 (o_1 (t_1 + t_2) - t_1)``. The diagonal-only derivation of
    :ref:`puzzle` keeps just the first path: ``-t_j (1 - o_j) h_d``.

    Parameters
    ----------
    h : array_like of float, shape (3,)
        Entries in [-5, 5].
    w : array_like of float, shape (3, 2)
        Entries in [-5, 5].
    t : array_like of float, shape (2,)
        Target; entries in [0, 1], not necessarily summing to 1.
    language : {'en', 'es', 'id', 'zh_CN'}, optional
        The language the page speaks, even on an edition of the book in
        another one; by default ``DERIVATIONS_LANGUAGE``, else English, and
        on the static site the edition's own language.

    Examples
    --------
    >>> from derivations.widgets import ToyNetworkExplorer
    >>> ex = ToyNetworkExplorer(h=[0.0, 1.0, 0.0], w=np.zeros((3, 2)), t=[0.0, 1.0])
    >>> ex.o                              # y = 0, so both outputs are 1/2
    array([0.5, 0.5])
    >>> ex.paths_w21                      # via o_1: nothing (t_1 = 0); via o_2: t_2 o_1 h_2
    (0.0, 0.5)
    >>> float(ex.grad_w[1, 0]), float(ex.diag_grad_w[1, 0])
    (0.5, 0.0)
    """

    _esm = bundle_esm("toy_network.js")
    _limits = {"HW_LIMIT": HW_LIMIT}
    _message_groups = ("toy",)

    h = Vector([1.0, 0.5, -1.0], length=3, low=-HW_LIMIT, high=HW_LIMIT).tag(sync=True)
    w = Matrix([[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]], shape=(3, 2), low=-HW_LIMIT, high=HW_LIMIT).tag(sync=True)
    t = Vector([0.0, 1.0], length=2, low=0.0, high=1.0).tag(sync=True)

    def __init__(self, h=(1.0, 0.5, -1.0), w=((0.5, -0.3), (0.8, 0.2), (-0.4, 0.6)), t=(0.0, 1.0), **kwargs):
        super().__init__(h=h, w=w, t=t, **kwargs)

    def _arrays(self):
        return np.array(self.h), np.array(self.w), np.array(self.t)

    @property
    def y(self):
        """``w^T h``, shape (2,)."""
        h, w, _ = self._arrays()
        return w.T @ h

    @property
    def o(self):
        """``softmax(y)``."""
        return softmax(self.y)

    @property
    def loss(self):
        """``-sum_k t_k log o_k``, as a float."""
        return float(cross_entropy(self.y, np.array(self.t)))

    @property
    def dL_do(self):
        """``-t_k / o_k``."""
        return -np.array(self.t) / self.o

    @property
    def do_dy(self):
        """``J[k, j] = do_k / dy_j``, from :func:`derivations.softmax_jacobian`."""
        return softmax_jacobian(self.y)

    @property
    def edge_messages(self):
        """``M[k, j] = dL/do_k * do_k/dy_j``: what edge ``y_j -> o_k`` carries back."""
        return self.dL_do[:, None] * self.do_dy

    @property
    def dL_dy(self):
        """``o * sum(t) - t``, from :func:`derivations.cross_entropy_grad`."""
        return cross_entropy_grad(self.y, np.array(self.t))

    @property
    def grad_w(self):
        """``dL/dw``, shape (3, 2): ``h_d * dL/dy_j``."""
        return np.outer(self.h, self.dL_dy)

    @property
    def dL_dh(self):
        """``w @ dL/dy``, shape (3,)."""
        return np.array(self.w) @ self.dL_dy

    @property
    def diag_grad_w(self):
        """The diagonal-only ``-t_j (1 - o_j) h_d``, shape (3, 2)."""
        return 0.0 - np.outer(self.h, np.array(self.t) * (1 - self.o))

    @property
    def paths_w21(self):
        """The contributions of the paths via ``o_1`` and ``o_2`` to ``dL/dw_21``."""
        h2 = self.h[1]  # w_21 connects h_2 to y_1; y_1 = ... + w_21 h_2 + ...
        dL_do, J = self.dL_do, self.do_dy
        return float(dL_do[0] * J[0, 0] * h2), float(dL_do[1] * J[1, 0] * h2)
