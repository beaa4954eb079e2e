"""The descent explorer: gradient descent on softmax regression, step by step."""

import numpy as np
import traitlets

from ..losses import cross_entropy, cross_entropy_grad
from ..training import toy_blobs
from ._base import Explorer, Scalar, as_matrix, as_vector, bundle_esm

LR_MIN, LR_MAX = 0.01, 5.0  # the learning-rate slider's range
N_MAX = 1000  # points shipped to the page; enough for a picture, small state
C_MAX = 8  # the page has a colour and a marker shape for up to 8 classes


class DescentExplorer(Explorer):
    r"""Softmax regression on a 2-D data set, one gradient step at a time.

    The model is ``z = X W^T + b`` with ``W`` of shape (C, 2) and ``b`` of
    shape (C,); the loss is the mean cross-entropy of ``softmax(z)``
    against the integer labels ``y``. One step of full-batch gradient
    descent, with ``G = dL/dz`` from :func:`derivations.cross_entropy_grad`
    (which already holds the 1/N of the mean), is

    ``W <- W - lr * G^T X`` and ``b <- b - lr * G.sum(axis=0)``.

    The page draws the decision regions (the argmax class at every point of
    the plane) and the loss curve, and redraws them after every step; its
    buttons step once, run (up to 200 steps, one per frame) or pause, and
    reset the parameters to zero. The data are ``derivations.training.toy_blobs()``
    unless given, and travel to the page as synced traits. Trained for real
    in :ref:`training`; the static picture is in :ref:`descent-explorer`.

    Parameters
    ----------
    X : array_like of float, shape (N, 2), optional
        Features (N at most 1000). Defaults to the points of ``toy_blobs()``.
    y : array_like of int, shape (N,), optional
        Labels in ``0 .. C-1``; given together with ``X``.
    lr : float
        Learning rate in [0.01, 5].

    Examples
    --------
    >>> from derivations.widgets import DescentExplorer
    >>> ex = DescentExplorer()
    >>> ex.C, len(ex.X)
    (3, 120)
    >>> round(ex.loss, 6) == round(float(np.log(3)), 6)     # W = 0, b = 0: uniform p
    True
    >>> before = ex.loss
    >>> ex.step(5)
    >>> ex.steps, ex.loss < before
    (5, True)
    """

    _esm = bundle_esm("descent.js")

    # the data are fixed at construction: the page reads them, never sets them
    X = traitlets.List(read_only=True).tag(sync=True)
    y = traitlets.List(traitlets.Int(), read_only=True).tag(sync=True)
    W = traitlets.List().tag(sync=True)
    b = traitlets.List().tag(sync=True)
    lr = Scalar(0.5, low=LR_MIN, high=LR_MAX).tag(sync=True)
    steps = traitlets.Int(0).tag(sync=True)
    loss_history = traitlets.List(traitlets.Float()).tag(sync=True)

    def __init__(self, X=None, y=None, *, lr=0.5, **kwargs):
        if (X is None) != (y is None):
            raise ValueError("give both X and y, or neither (for the toy_blobs() data)")
        if X is None:
            X, y = toy_blobs()
        X, y, C = _check_data(X, y)
        self._C = C
        super().__init__(W=np.zeros((C, 2)).tolist(), b=[0.0] * C, lr=lr, **kwargs)
        self.set_trait("X", X.tolist())
        self.set_trait("y", y.tolist())
        self.loss_history = [self.loss]

    @property
    def C(self):
        """The number of classes, ``max(y) + 1``."""
        return self._C

    @traitlets.validate("W")
    def _valid_W(self, proposal):
        return as_matrix(proposal["value"], "W", (self._C, 2))

    @traitlets.validate("b")
    def _valid_b(self, proposal):
        return as_vector(proposal["value"], "b", length=self._C)

    @traitlets.validate("steps")
    def _valid_steps(self, proposal):
        if proposal["value"] < 0:
            raise ValueError(f"steps counts gradient steps and cannot be negative, got {proposal['value']}")
        return proposal["value"]

    def _loss_and_grads(self, W, b):
        X, y = np.array(self.X), np.array(self.y, dtype=np.int64)
        z = X @ W.T + b
        G = cross_entropy_grad(z, y)  # (N, C), the 1/N of the mean included
        return float(cross_entropy(z, y)), G.T @ X, G.sum(axis=0)

    def _params(self):
        return np.array(self.W), np.array(self.b)

    @property
    def loss(self):
        """Mean cross-entropy over the data at the current parameters, as a float."""
        return self._loss_and_grads(*self._params())[0]

    @property
    def accuracy(self):
        """Fraction of points whose argmax class is their label."""
        W, b = self._params()
        z = np.array(self.X) @ W.T + b
        return float(np.mean(np.argmax(z, axis=1) == np.array(self.y)))

    def gradients(self):
        """``(dW, db)`` of the mean cross-entropy at the current parameters."""
        return self._loss_and_grads(*self._params())[1:]

    def step(self, n=1):
        """Take ``n`` gradient-descent steps; the page redraws after them."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n must be a positive integer number of steps, got {n!r}")
        W, b = self._params()
        history = list(self.loss_history)
        _, dW, db = self._loss_and_grads(W, b)
        for _ in range(int(n)):
            W = W - self.lr * dW
            b = b - self.lr * db
            loss, dW, db = self._loss_and_grads(W, b)
            history.append(loss)
        with self.hold_sync():
            self.W, self.b = W.tolist(), b.tolist()
            self.steps += int(n)
            self.loss_history = history

    def reset(self):
        """Parameters back to zero; the step count and the loss curve start again."""
        with self.hold_sync():
            self.W = np.zeros((self._C, 2)).tolist()
            self.b = [0.0] * self._C
            self.steps = 0
            self.loss_history = [self.loss]


def _check_data(X, y):
    """Return ``(X, y, C)`` as float64 (N, 2), int64 (N,) and an int, or raise."""
    X = np.asarray(X)
    if X.dtype.kind not in "iuf" or X.dtype.kind == "b":
        raise TypeError(f"X must hold real numbers, got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), got {X.shape}")
    if not 1 <= X.shape[0] <= N_MAX:
        raise ValueError(f"X must have between 1 and {N_MAX} rows, got {X.shape[0]}")
    if not np.isfinite(X).all():
        raise ValueError("X must be finite (found NaN or an infinity)")
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), one label per row of X; got {y.shape}")
    if (y < 0).any():
        raise ValueError(f"labels must be non-negative, got {int(y.min())}")
    C = int(y.max()) + 1
    if not 2 <= C <= C_MAX:
        raise ValueError(f"the labels must name 2 to {C_MAX} classes (max label + 1), got {C}")
    return X.astype(np.float64), y.astype(np.int64), C
