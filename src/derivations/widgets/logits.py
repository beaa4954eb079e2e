"""The logits explorer: softmax, the gradient and the diagonal-only gradient."""

import numpy as np
import traitlets

from derivations.losses import cross_entropy, cross_entropy_grad
from derivations.softmax import softmax
from derivations.validation import as_int
from derivations.widgets._base import (
    ClassCount,
    Explorer,
    Index,
    InvalidTrait,
    Scalar,
    Vector,
    as_index,
    as_vector,
    bundle_esm,
    resized,
    shown,
)

C_MIN, C_MAX = 2, 10
Z_LIMIT = 10.0  # the logit sliders run from -Z_LIMIT to Z_LIMIT
T_MIN, T_MAX = 0.1, 5.0  # the temperature slider's range
# what a vector of logits must be, here and in the Jacobian explorer
Z_RANGE = {"min_length": C_MIN, "max_length": C_MAX, "low": -Z_LIMIT, "high": Z_LIMIT}


class LogitsExplorer(ClassCount, Explorer):
    r"""Drag the logits; watch softmax, the loss and two gradients move.

    One example with ``C`` classes (2 to 10), logits ``z`` and a target that
    is either a class index (one-hot) or a soft target vector whose entries
    lie in [0, 1] and need not sum to 1. With temperature ``T`` and label
    smoothing ``eps`` the explorer shows, and computes here with
    :mod:`derivations`:

    * ``p = softmax(z / T)``;
    * the smoothed target ``t' = (1 - eps) t + eps / C``;
    * the loss ``L = -sum_j t'_j log p_j``;
    * the gradient with respect to the logits ``z`` (not ``z / T``), so the
      chain rule through ``z / T`` contributes a factor ``1 / T``:
      ``grad = (p * sum(t') - t') / T``, derived in :ref:`kronecker-delta`
      and :ref:`beyond-one-hot`;
    * the *diagonal-only* gradient, the asker's answer in :ref:`puzzle`:
      keep only the diagonal ``dp_j/dz_j = p_j (1 - p_j)`` of the softmax
      Jacobian, so ``dL/dz_j = (-t'_j / p_j) * p_j (1 - p_j) = -t'_j (1 - p_j)``
      (times ``1 / T``). It is zero for every class with no target mass, so
      it never pushes a wrong class down.

    The widget's ES module recomputes the same quantities in the browser, so
    the sliders work on the static site with no kernel; in JupyterLab the
    traits below stay in sync with the page.

    Parameters
    ----------
    z : array_like of float, shape (C,)
        Logits, 2 to 10 of them, each in [-10, 10] (the sliders' range).
    target : int or array_like of float
        A class index in ``0 .. C-1``, or a soft target of shape (C,) with
        entries in [0, 1].
    temperature : float
        ``T`` in [0.1, 5].
    label_smoothing : float
        ``eps`` in [0, 1].
    language : {'en', 'es', 'id', 'zh_CN'}, optional
        The language the page speaks, even on an edition of the book in
        another one; by default ``DERIVATIONS_LANGUAGE``, else English, and
        on the static site the edition's own language.

    Attributes
    ----------
    z, target, soft, soft_target, temperature, label_smoothing
        The synced inputs. ``soft`` says whether ``soft_target`` or the
        class index ``target`` is in use.
    limits
        The ranges above (``C_MIN``, ``C_MAX``, ``Z_LIMIT``, ``T_MIN``,
        ``T_MAX``), read-only: the page's controls are drawn from them.

    Examples
    --------
    >>> from derivations.widgets import LogitsExplorer
    >>> ex = LogitsExplorer(z=[0.0, np.log(3.0)], target=1)
    >>> ex.p
    array([0.25, 0.75])
    >>> ex.grad                      # p - t
    array([ 0.25, -0.25])
    >>> ex.diag_grad                 # -t (1 - p): nothing for class 0
    array([ 0.  , -0.25])
    >>> ex.C = 3                     # adds a logit of 0
    >>> ex.z
    [0.0, 1.0986122886681098, 0.0]
    """

    _esm = bundle_esm("logits.js")
    _limits = {"C_MIN": C_MIN, "C_MAX": C_MAX, "Z_LIMIT": Z_LIMIT, "T_MIN": T_MIN, "T_MAX": T_MAX}
    _message_groups = ("logits",)

    z = Vector([2.0, 1.0, 0.1], **Z_RANGE).tag(sync=True)
    target = Index(0).tag(sync=True)
    soft = traitlets.Bool(False).tag(sync=True)
    soft_target = Vector([1.0, 0.0, 0.0], min_length=C_MIN, max_length=C_MAX, low=0.0, high=1.0).tag(sync=True)
    temperature = Scalar(1.0, low=T_MIN, high=T_MAX).tag(sync=True)
    label_smoothing = Scalar(0.0, low=0.0, high=1.0).tag(sync=True)

    def __init__(self, z=(2.0, 1.0, 0.1), target=0, *, temperature=1.0, label_smoothing=0.0, **kwargs):
        z = as_vector(z, "z", **Z_RANGE)
        C = len(z)
        if _is_integer(target):
            index = as_index(target, "target", C)
            soft, soft_target = False, np.eye(C)[index].tolist()
        else:
            try:
                shape = np.shape(target)
            except Exception:  # ragged lists and the like
                shape = None
            if shape != (C,):
                got = "" if shape is None else f"shape {shape}: "
                raise InvalidTrait(
                    f"target must be a class index or a soft target of shape ({C},), got {got}{shown(target)}"
                )
            soft_target = as_vector(target, "target", low=0.0, high=1.0)
            index, soft = int(np.argmax(soft_target)), True
        super().__init__(
            z=z, target=index, soft=soft, soft_target=soft_target,
            temperature=temperature, label_smoothing=label_smoothing, **kwargs,
        )

    # Cross-validation: traitlets runs these once every trait of a change is
    # set (the page sends z, target and soft_target together when C changes),
    # and undoes the whole change if one raises.
    @traitlets.validate("target")
    def _valid_target(self, proposal):
        return as_index(proposal["value"], "target", len(self.z))

    @traitlets.validate("soft_target")
    def _valid_soft_target(self, proposal):
        value = proposal["value"]
        if len(value) != len(self.z):
            raise InvalidTrait(
                f"soft_target must have one entry per class ({len(self.z)}), got {len(value)}: {shown(value)}"
            )
        return value

    def _check_change(self, change):
        # a target or soft target sent with new logits must fit them, even
        # if it is the value the explorer already holds
        if "z" in change and ("target" in change or "soft_target" in change):
            C = len(as_vector(change["z"], "z", **Z_RANGE))
            if "target" in change:
                as_index(change["target"], "target", C)
            if "soft_target" in change and len(as_vector(change["soft_target"], "soft_target")) != C:
                raise InvalidTrait(
                    f"soft_target must have one entry per class ({C}, the length of z), "
                    f"got {shown(change['soft_target'])}"
                )

    @traitlets.observe("z")
    def _follow_C(self, change):
        # a new number of classes: keep what still fits, pad the rest with 0
        C = len(change["new"])
        if len(self.soft_target) != C:
            self.soft_target = resized(self.soft_target, C)
        if self.target >= C:
            self.target = C - 1

    @property
    def t(self):
        """The target in use after label smoothing, ``(1 - eps) t + eps / C``."""
        raw = self._raw_target()
        eps = self.label_smoothing
        return (1 - eps) * raw + eps / self.C

    def _raw_target(self):
        if self.soft:
            return np.array(self.soft_target)
        return np.eye(self.C)[self.target]

    def _scaled(self):
        return np.array(self.z) / self.temperature

    @property
    def p(self):
        """``softmax(z / T)``."""
        return softmax(self._scaled())

    @property
    def loss(self):
        """``-sum_j t'_j log p_j``, as a float."""
        return float(cross_entropy(self._scaled(), self._raw_target(), label_smoothing=self.label_smoothing))

    @property
    def grad(self):
        """``dL/dz = (p * sum(t') - t') / T``, from :func:`derivations.cross_entropy_grad`."""
        g = cross_entropy_grad(self._scaled(), self._raw_target(), label_smoothing=self.label_smoothing)
        return g / self.temperature

    @property
    def diag_grad(self):
        """The diagonal-only gradient ``-t'_j (1 - p_j) / T`` (see the class docstring)."""
        t = self.t
        # written as 0 - ... so that a class without target mass shows 0, not -0
        return 0.0 - t * (1 - self.p) / self.temperature


def _is_integer(target):
    """Whether ``target`` is a class index (an int, not a bool) rather than a soft target."""
    try:
        as_int(target, "target")
    except TypeError:
        return False
    return True
