"""The descent explorer: gradient descent on softmax regression, step by step."""

import numpy as np
import traitlets

from derivations.losses import cross_entropy, cross_entropy_grad
from derivations.teaching.training import toy_blobs
from derivations.validation import as_features, as_int, label_vector
from derivations.widgets._base import (
    Count,
    Explorer,
    Fixed,
    InvalidTrait,
    Scalar,
    as_lists,
    as_loss_history,
    as_matrix,
    as_vector,
    bundle_esm,
    frozen,
    shown,
)

LR_MIN, LR_MAX = 0.01, 5.0  # the learning-rate slider's range
N_MAX = 1000  # points shipped to the page; enough for a picture, small state
C_MAX = 8  # the page has a colour and a marker shape for up to 8 classes


class Parameters(traitlets.TraitType):
    """``W`` (``ndim=2``, shape (C, 2)) or ``b`` (``ndim=1``, shape (C,)),
    zero to begin with; C is the explorer's number of classes.

    The parameters of the softmax regression trained in :ref:`training`
    and explored in :ref:`descent-explorer`.
    """

    info_text = "the model's parameters"

    def __init__(self, *, ndim, **kwargs):
        self._ndim = ndim
        super().__init__(**kwargs)

    def default(self, obj=None):
        if obj is None:
            return traitlets.Undefined
        return np.zeros((obj._C, 2) if self._ndim == 2 else obj._C).tolist()

    def validate(self, obj, value):
        if self._ndim == 2:
            return as_matrix(value, self.name, (obj._C, 2))
        return as_vector(value, self.name, length=obj._C)


class LossHistory(traitlets.TraitType):
    """The loss after each step: finite floats >= 0, and None where the loss
    overflowed (see :func:`~derivations.validation.as_loss_history`).

    The loss curve of :ref:`descent-explorer`; why a loss can overflow is in
    :ref:`overflow`.
    """

    info_text = "a list of losses"

    def __init__(self, **kwargs):
        super().__init__(default_value=[], **kwargs)

    def validate(self, obj, value):
        return as_loss_history(value, self.name)


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
    reset the parameters to zero. The data are ``derivations.teaching.training.toy_blobs()``
    unless given, and travel to the page as synced traits. Trained for real
    in :ref:`training`; the static picture is in :ref:`descent-explorer`.

    A learning rate too large for the data can make the loss overflow
    float64 (see :meth:`step`): the loss curve then ends with None, which
    keeps the state valid JSON, and the page says that the descent diverged.

    Parameters
    ----------
    X : array_like of float, shape (N, 2), optional
        Features (N at most 1000). Defaults to the points of ``toy_blobs()``.
    y : array_like of int, shape (N,), optional
        Labels in ``0 .. C-1``; given together with ``X``.
    lr : float
        Learning rate in [0.01, 5].
    language : {'en', 'es', 'id', 'zh_CN'}, optional
        The language the page speaks, even on an edition of the book in
        another one; by default ``DERIVATIONS_LANGUAGE``, else English, and
        on the static site the edition's own language.

    Attributes
    ----------
    X, y
        The data, as nested tuples: read-only, fixed when the explorer is
        made (also against ``set_trait`` and ``set_state``).
    W, b, lr, steps, loss_history
        The synced state. ``W`` and ``b`` must keep the loss finite on the
        data; ``loss_history[k]`` is the loss after ``k`` steps, or None
        where it overflowed.

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
    _limits = {"LR_MIN": LR_MIN, "LR_MAX": LR_MAX}
    _message_groups = ("descent",)

    # the data are fixed at construction: the page reads them, never sets them
    X = Fixed().tag(sync=True, to_json=as_lists)
    y = Fixed().tag(sync=True, to_json=as_lists)
    W = Parameters(ndim=2).tag(sync=True)
    b = Parameters(ndim=1).tag(sync=True)
    lr = Scalar(0.5, low=LR_MIN, high=LR_MAX).tag(sync=True)
    steps = Count(0).tag(sync=True)
    loss_history = LossHistory().tag(sync=True)

    def __init__(self, X=None, y=None, *, lr=0.5, **kwargs):
        if (X is None) != (y is None):
            raise ValueError("give both X and y, or neither (for the toy_blobs() data)")
        if X is None:
            X, y = toy_blobs()
        X, y, C = _check_data(X, y)
        # set before the widget exists: the traits X, y, W and b read them
        self._C, self._data = C, (X, y)
        self._fixed = {"X": frozen(X), "y": frozen(y)}
        super().__init__(lr=lr, **kwargs)
        self.loss_history = [self.loss]

    @property
    def C(self):
        """The number of classes, ``max(y) + 1``."""
        return self._C

    @property
    def diverged(self):
        """Whether the descent left float64: the loss curve ends with None.

        :meth:`step` takes no further step then; :meth:`reset` starts again.
        """
        history = self.loss_history
        return bool(history) and history[-1] is None

    @traitlets.validate("W", "b")
    def _valid_logits(self, proposal):
        # Cross-validation, once W and b of a change are both set: the loss
        # must be a number at the new parameters, or .loss and the page's
        # loss readout would have nothing to show.
        W, b = self._params()
        name, value = proposal["trait"].name, np.array(proposal["value"])
        if self._evaluate(value if name == "W" else W, value if name == "b" else b) is None:
            raise InvalidTrait(
                f"{name} = {shown(proposal['value'])} makes the logits X W^T + b or the loss "
                "overflow float64 on these data; W and b must keep the loss finite"
            )
        return proposal["value"]

    def _evaluate(self, W, b):
        """``(loss, dW, db)`` at ``W``, ``b``, or None if any of them
        overflows float64 (the descent has diverged)."""
        X, y = self._data
        with np.errstate(over="ignore", invalid="ignore"):
            z = X @ W.T + b
            if not np.isfinite(z).all():
                return None
            try:
                loss = float(cross_entropy(z, y))
            except ValueError:  # the logits' spread overflows log-sum-exp
                return None
            G = cross_entropy_grad(z, y)  # (N, C), the 1/N of the mean included
            dW, db = G.T @ X, G.sum(axis=0)
        if not (np.isfinite(loss) and np.isfinite(dW).all() and np.isfinite(db).all()):
            return None
        return loss, dW, db

    def _params(self):
        return np.array(self.W), np.array(self.b)

    @property
    def loss(self):
        """Mean cross-entropy over the data at the current parameters, as a float."""
        # finite: _valid_logits refuses parameters where it is not, and
        # step() never stores them
        return self._evaluate(*self._params())[0]

    @property
    def accuracy(self):
        """Fraction of points whose argmax class is their label."""
        W, b = self._params()
        X, y = self._data
        z = X @ W.T + b
        return float(np.mean(np.argmax(z, axis=1) == y))

    def gradients(self):
        """``(dW, db)`` of the mean cross-entropy at the current parameters."""
        return self._evaluate(*self._params())[1:]

    def step(self, n=1):
        """Take ``n`` gradient-descent steps; the page redraws after them.

        A learning rate too large for the data can make the parameters or
        the loss overflow float64: the descent has diverged. That step is
        counted and its loss recorded as None (JSON has no infinity), the
        parameters keep the last values float64 could hold, and no further
        step is taken until :meth:`reset`.
        """
        n = as_int(n, "n", "a positive integer number of steps", minimum=1)
        if self.diverged:
            return
        W, b = self._params()
        history = list(self.loss_history)
        _, dW, db = self._evaluate(W, b)
        taken = 0
        for _ in range(n):
            taken += 1
            with np.errstate(over="ignore", invalid="ignore"):
                W_next, b_next = W - self.lr * dW, b - self.lr * db
            finite = np.isfinite(W_next).all() and np.isfinite(b_next).all()
            result = self._evaluate(W_next, b_next) if finite else None
            if result is None:
                history.append(None)
                break
            W, b = W_next, b_next
            loss, dW, db = result
            history.append(loss)
        with self.hold_sync():
            self.W, self.b = W.tolist(), b.tolist()
            self.steps += taken
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
    X = as_features(X, "X")
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), got {X.shape}")
    if X.shape[0] > N_MAX:
        raise ValueError(f"X must have between 1 and {N_MAX} rows, got {X.shape[0]}")
    y = label_vector(y, X.shape[0], name="y")
    C = int(y.max()) + 1
    if not 2 <= C <= C_MAX:
        raise ValueError(f"the labels must name 2 to {C_MAX} classes (max label + 1), got {C}")
    return X, y, C
