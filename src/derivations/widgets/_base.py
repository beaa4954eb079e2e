"""What the explorers share: their front-end code and trait validation.

Each explorer is an anywidget: in JupyterLab it is an ordinary widget whose
traits are synced with the kernel; on the static site its ES module (which
travels inside the embedded widget state) recomputes everything in the
browser, so the sliders keep working with no kernel behind the page.
"""

from importlib import resources

import anywidget
import numpy as np
import traitlets

_HERE = resources.files(__package__)


def bundle_esm(name):
    """Return the ES module of one explorer: ``common.js`` then ``name``.

    The module is shipped as one string in the widget state, so it cannot
    import a sibling file; the shared helpers are put in front of it here.
    """
    common = _HERE.joinpath("common.js").read_text(encoding="utf-8")
    own = _HERE.joinpath(name).read_text(encoding="utf-8")
    return f"{common}\n// ---- {name} ----\n{own}"


def bundle_css():
    """Return the style sheet shared by every explorer."""
    return _HERE.joinpath("explorers.css").read_text(encoding="utf-8")


def as_vector(value, name, *, length=None, min_length=None, max_length=None, low=None, high=None):
    """Return ``value`` as a list of Python floats, or raise.

    The list is what gets synced to the browser, so it must hold plain,
    finite floats; ``low``/``high`` are the ends of the control that shows
    each entry, so the page can always display the state it holds.
    """
    arr = np.asarray(value)
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold real numbers, not booleans")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a sequence of real numbers, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    n = arr.shape[0]
    if length is not None and n != length:
        raise ValueError(f"{name} must have {length} entries, got {n}")
    if min_length is not None and n < min_length:
        raise ValueError(f"{name} must have at least {min_length} entries, got {n}")
    if max_length is not None and n > max_length:
        raise ValueError(f"{name} must have at most {max_length} entries, got {n}")
    return _check_range(arr.astype(np.float64), name, low, high).tolist()


def as_matrix(value, name, shape, *, low=None, high=None):
    """Return ``value`` as a nested list of floats of ``shape``, or raise."""
    arr = np.asarray(value)
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold real numbers, not booleans")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    return _check_range(arr.astype(np.float64), name, low, high).tolist()


def as_scalar(value, name, *, low=None, high=None, low_open=False):
    """Return ``value`` as a finite Python float in its range, or raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x}")
    if low is not None and (x <= low if low_open else x < low):
        bound = f"greater than {low}" if low_open else f"at least {low}"
        raise ValueError(f"{name} must be {bound}, got {x}")
    if high is not None and x > high:
        raise ValueError(f"{name} must be at most {high}, got {x}")
    return x


def as_index(value, name, n):
    """Return ``value`` as an int in ``0 .. n-1``, or raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer class index, got {type(value).__name__}")
    if not 0 <= value < n:
        raise ValueError(f"{name} must be a class index in 0..{n - 1}, got {value}")
    return int(value)


def as_class_count(value, low, high):
    """Return ``value`` as an int number of classes in ``low .. high``, or raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"C must be an integer, got {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"C must be in {low}..{high}, got {value}")
    return int(value)


def resized(values, n):
    """The first ``n`` entries of ``values``, padded with zeros: how the
    explorers keep the logits they have when the number of classes changes."""
    return (list(values) + [0.0] * n)[:n]


def _check_range(arr, name, low, high):
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (found NaN or an infinity)")
    if low is not None and (arr < low).any():
        raise ValueError(f"{name} entries must be at least {low}, got {arr.min()}")
    if high is not None and (arr > high).any():
        raise ValueError(f"{name} entries must be at most {high}, got {arr.max()}")
    return arr


class Explorer(anywidget.AnyWidget):
    """Base class: the shared style sheet; subclasses set ``_esm``."""

    _css = bundle_css()

    def synced_state(self):
        """The traits that travel to the browser, as the front end sees them.

        Excludes the widget plumbing (model names, the ES module and CSS).
        """
        state = self.get_state()
        return {k: v for k, v in state.items() if not k.startswith("_") and k not in _WIDGET_KEYS}


# traits every DOMWidget syncs that are not an explorer's inputs
_WIDGET_KEYS = {"layout", "tabbable", "tooltip"}


class Vector(traitlets.TraitType):
    """A synced list of floats, checked by :func:`as_vector`.

    Accepts any 1-D array-like (a numpy array too) and stores a list, which
    is what the widget protocol sends to the browser as JSON.
    """

    info_text = "a one-dimensional sequence of real numbers"

    def __init__(self, default_value, *, length=None, min_length=None, max_length=None,
                 low=None, high=None, **kwargs):
        self._limits = dict(length=length, min_length=min_length, max_length=max_length, low=low, high=high)
        super().__init__(default_value=list(default_value), **kwargs)

    def validate(self, obj, value):
        return as_vector(value, self.name, **self._limits)


class Matrix(traitlets.TraitType):
    """A synced nested list of floats of a fixed shape, checked by :func:`as_matrix`."""

    info_text = "a two-dimensional array of real numbers"

    def __init__(self, default_value, *, shape, low=None, high=None, **kwargs):
        self._shape, self._low, self._high = shape, low, high
        super().__init__(default_value=[list(row) for row in default_value], **kwargs)

    def validate(self, obj, value):
        return as_matrix(value, self.name, self._shape, low=self._low, high=self._high)


class Scalar(traitlets.TraitType):
    """A synced float in a range, checked by :func:`as_scalar`."""

    info_text = "a real number"

    def __init__(self, default_value, *, low=None, high=None, low_open=False, **kwargs):
        self._limits = dict(low=low, high=high, low_open=low_open)
        super().__init__(default_value=float(default_value), **kwargs)

    def validate(self, obj, value):
        return as_scalar(value, self.name, **self._limits)
