"""What the explorers share: their front-end code and trait validation.

Each explorer is an anywidget: in JupyterLab it is an ordinary widget whose
traits are synced with the kernel; on the static site its ES module (which
travels inside the embedded widget state) recomputes everything in the
browser, so the sliders keep working with no kernel behind the page.
"""

from collections.abc import Mapping
from importlib import resources

import anywidget
import traitlets

from derivations.validation import (  # noqa: F401 - the explorers' modules import these from here
    InvalidTrait,
    InvalidTraitType,
    as_class_count,
    as_count,
    as_index,
    as_loss_history,
    as_matrix,
    as_scalar,
    as_vector,
    shown,
)
from derivations.widgets.messages import as_language, default_language, messages_for

_HERE = resources.files(__package__)


def bundle_esm(name):
    """Return the ES module of one explorer (see :ref:`puzzle-explorer`): ``common.js`` then ``name``.

    The module is shipped as one string in the widget state, so it cannot
    import a sibling file; the shared helpers are put in front of it here.
    """
    common = _HERE.joinpath("common.js").read_text(encoding="utf-8")
    own = _HERE.joinpath(name).read_text(encoding="utf-8")
    return f"{common}\n// ---- {name} ----\n{own}"


def bundle_css():
    """Return the style sheet shared by every explorer (see :ref:`puzzle-explorer`)."""
    return _HERE.joinpath("explorers.css").read_text(encoding="utf-8")


def resized(values, n):
    """The first ``n`` entries of ``values``, padded with zeros: how the
    explorers of :ref:`puzzle-explorer` and :ref:`jacobian-explorer` keep the
    logits they have when the number of classes changes.

    Examples
    --------
    >>> resized([1.0, 2.0, 3.0], 2), resized([1.0], 3)
    ([1.0, 2.0], [1.0, 0.0, 0.0])
    """
    return (list(values) + [0.0] * n)[:n]


class Language(traitlets.TraitType):
    """A synced language of the book's editions, checked by
    :func:`~derivations.widgets.messages.as_language`: the words of
    :ref:`puzzle-explorer` and the other explorers."""

    info_text = "one of 'en', 'es', 'id', 'zh_CN'"

    def validate(self, obj, value):
        return as_language(value, self.name)


class Explorer(anywidget.AnyWidget):
    """Base class: the shared style sheet; subclasses set ``_esm``.

    The explorers of :ref:`puzzle-explorer`, :ref:`jacobian-explorer`,
    :ref:`toy-network-explorer` and :ref:`descent-explorer` derive from it.
    Each subclass puts the constants its page's controls need in ``_limits``;
    they reach the page as the read-only synced trait ``limits``.

    Each subclass names in ``_message_groups`` the groups of
    :data:`~derivations.widgets.messages.MESSAGES` its page uses; they
    reach the page as the read-only synced trait ``_messages``, in every
    language, since the one embedded state serves every edition of the book.
    ``language`` ('en', 'es', 'id' or 'zh_CN', by default the environment
    variable ``DERIVATIONS_LANGUAGE``, else 'en') is the language the page
    speaks in JupyterLab; one given to the constructor or set later wins
    over the page's own ``<html lang>`` too (``_language_explicit``).

    Every check of a synced trait raises a ``traitlets.TraitError`` (the
    :class:`~derivations.validation.InvalidTrait` family), so a change that
    is refused, in part or in whole, leaves the explorer as it was.
    """

    _css = bundle_css()

    # The Python constants the page's controls are drawn from (slider ranges,
    # numbers of classes), sent with the state, so that the ES module reads
    # them instead of repeating them; read-only, so the page cannot send them.
    _limits = {}
    limits = traitlets.Dict(read_only=True).tag(sync=True)

    @traitlets.default("limits")
    def _default_limits(self):
        return dict(self._limits)

    # The words of the page, in every language: the page picks one when it
    # renders (see pickLanguage in common.js), so the ES modules hold none.
    _message_groups = ()
    _messages = traitlets.Dict(read_only=True).tag(sync=True)
    language = Language().tag(sync=True)
    # whether `language` was chosen (given, set, or set again) rather than
    # taken from DERIVATIONS_LANGUAGE or English: a chosen one beats the page's lang
    _language_explicit = traitlets.Bool(False).tag(sync=True)

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        if language is not None:
            self.language = language

    @traitlets.default("_messages")
    def _default_messages(self):
        return messages_for(self._message_groups)

    @traitlets.default("language")
    def _default_language(self):
        return default_language()

    @traitlets.validate("language")
    def _chosen_language(self, proposal):
        # runs for every assignment, even of the value it holds, and never
        # for the default: where the language becomes the user's choice
        self._language_explicit = True
        return proposal["value"]

    def synced_state(self):
        """The traits that travel to the browser, as the front end sees them.

        Excludes the widget plumbing (model names, the ES module and CSS).
        """
        state = self.get_state()
        return {k: v for k, v in state.items() if not k.startswith("_") and k not in _WIDGET_KEYS}

    def set_state(self, sync_data):
        """Apply a change sent by the page (or made by a user): all of it, or none of it.

        traitlets undoes every trait of the change when one of them is
        refused; the refused change is then raised, and the page, whose
        model already holds the new values, is sent back the ones the
        explorer kept. Read-only traits (a :class:`Fixed` trait, for one)
        are refused here, since ``set_state`` writes with ``set_trait``,
        which ``read_only`` alone does not stop.
        """
        if not isinstance(sync_data, Mapping):
            raise InvalidTraitType(f"set_state takes a dict of trait values, got {type(sync_data).__name__}")
        names = [name for name in sync_data if name in self.keys]
        try:
            fixed = [name for name in names if getattr(type(self), name).read_only]
            if fixed:
                raise traitlets.TraitError(
                    f"{fixed[0]} is read-only: fixed when the {type(self).__name__} was made, "
                    f"got {shown(sync_data[fixed[0]])} in set_state; make a new explorer for other data"
                )
            self._check_change({name: sync_data[name] for name in names})
            super().set_state(sync_data)
        except traitlets.TraitError:
            self.send_state(names)
            raise

    def _check_change(self, change):
        """Refuse a change that is inconsistent as a whole (raise a TraitError).

        traitlets cross-validates only the traits a change actually
        changes, so a message that repeats a trait's value next to a new
        value it no longer fits (the current target beside fewer logits)
        is caught here instead. Nothing here by default.
        """


class ClassCount:
    """The number of classes ``C = len(z)`` of an explorer with logits ``z``;
    setting it keeps the first logits and pads new ones with 0, within the
    explorer's ``limits["C_MIN"] .. limits["C_MAX"]``. Used by the explorers
    of :ref:`puzzle-explorer` and :ref:`jacobian-explorer`."""

    @property
    def C(self):
        """The number of classes, ``len(z)``. Setting it keeps the first
        logits and pads new ones with 0."""
        return len(self.z)

    @C.setter
    def C(self, value):
        self.z = resized(self.z, as_class_count(value, self._limits["C_MIN"], self._limits["C_MAX"]))


# traits every DOMWidget syncs that are not an explorer's inputs
_WIDGET_KEYS = {"layout", "tabbable", "tooltip"}


class Vector(traitlets.TraitType):
    """A synced list of floats, checked by :func:`~derivations.validation.as_vector`:
    the logits of :ref:`puzzle-explorer`, for one.

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
    """A synced nested list of floats of a fixed shape, checked by
    :func:`~derivations.validation.as_matrix`: the weights of :ref:`toy-network-explorer`."""

    info_text = "a two-dimensional array of real numbers"

    def __init__(self, default_value, *, shape, low=None, high=None, **kwargs):
        self._shape, self._low, self._high = shape, low, high
        super().__init__(default_value=[list(row) for row in default_value], **kwargs)

    def validate(self, obj, value):
        return as_matrix(value, self.name, self._shape, low=self._low, high=self._high)


class Scalar(traitlets.TraitType):
    """A synced float in a range, checked by :func:`~derivations.validation.as_scalar`:
    the temperature of :ref:`temperature`, for one."""

    info_text = "a real number"

    def __init__(self, default_value, *, low=None, high=None, low_open=False, **kwargs):
        self._limits = dict(low=low, high=high, low_open=low_open)
        super().__init__(default_value=float(default_value), **kwargs)

    def validate(self, obj, value):
        return as_scalar(value, self.name, **self._limits)


class _Integer(traitlets.TraitType):
    """A synced int, checked by the function ``check(value, name)``."""

    check = None

    def __init__(self, default_value=0, **kwargs):
        super().__init__(default_value=int(default_value), **kwargs)

    def validate(self, obj, value):
        return type(self).check(value, self.name)


class Index(_Integer):
    """A synced class index: an int >= 0 (bools refused), checked by
    :func:`~derivations.validation.as_index`: the target class of :ref:`puzzle-explorer`.

    Whether it is below the number of classes is for the explorer's
    cross-validation (``@traitlets.validate``), which traitlets runs once
    every trait of a change is set: the page sends a new target together
    with the logits of a new number of classes.
    """

    info_text = "a class index"
    check = staticmethod(as_index)


class Count(_Integer):
    """A synced count: an int >= 0 (bools refused), checked by
    :func:`~derivations.validation.as_count`: the steps of :ref:`descent-explorer`."""

    info_text = "a non-negative integer"
    check = staticmethod(as_count)


class Fixed(traitlets.TraitType):
    """Data set once, when the explorer is made, and never again: the data
    set of :ref:`descent-explorer`.

    The value is the explorer's ``_fixed[name]``, nested tuples that the
    constructor puts there before the widget is made, so the first state
    the page gets already holds it and nobody can change it in place.
    ``read_only`` stops ``widget.name = ...``; :meth:`validate` stops
    everything else that writes through traitlets (``set_trait``,
    ``set_state``, the constructor's keywords), whatever the context.
    Tag it with ``to_json=as_lists`` so the page gets JSON arrays.
    """

    info_text = "data fixed when the explorer was made"

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def default(self, obj=None):
        return traitlets.Undefined if obj is None else obj._fixed[self.name]

    def validate(self, obj, value):
        fixed = obj._fixed[self.name]
        try:
            same = value is fixed or bool(frozen(value) == fixed)
        except Exception:  # junk that cannot even be compared is not the data
            same = False
        if not same:
            raise traitlets.TraitError(
                f"{self.name} is read-only: fixed when the {type(obj).__name__} was made "
                f"(got {shown(value)}); make a new explorer for other data"
            )
        return fixed


def frozen(value):
    """``value`` as nested tuples (numpy arrays, lists included), for :class:`Fixed`
    (the data of :ref:`descent-explorer`).

    Examples
    --------
    >>> frozen([[1, 2], [3, 4]])
    ((1, 2), (3, 4))
    """
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    return value


def as_lists(value, widget=None):
    """Nested tuples as nested lists: what a :class:`Fixed` trait sends to the
    page (the data of :ref:`descent-explorer`).

    Examples
    --------
    >>> as_lists(((1, 2), (3, 4)))
    [[1, 2], [3, 4]]
    """
    if isinstance(value, (list, tuple)):
        return [as_lists(v) for v in value]
    return value
