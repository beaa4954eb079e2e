"""The catalogue of mistakes that :func:`derivations.coursework.engine.check` diagnoses.

Each :class:`Mistake` has an id, a one-sentence explanation and the section
of the book that explains it. This module holds the prose of the mistakes
that several exercises make; a mistake that only one exercise makes is
written in that exercise's module (its ``MISTAKES`` list), and
:data:`MISTAKES` gathers both. The exercises (:mod:`derivations.coursework.exercises`)
register *reference wrong implementations* under these ids: small functions
that make exactly one mistake in one exercise. The checker runs them next
to a learner's function on the same inputs, and a learner whose outputs
agree with a wrong implementation is told which mistake it is.

The catalogue is documented in :ref:`mistakes`, which renders its table
from this module.
"""

import re
from dataclasses import dataclass

from derivations import chapters

_PLAIN = [
    (r"\mathrm{diag}", "diag"), (r"\mathrm{onehot}", "onehot"), (r"\varepsilon", "eps"),
    (r"\partial ", "d"), (r"\times", "x"), (r"\infty", "inf"), (r"\tanh", "tanh"), (r"\log", "log"),
    (r"\max", "max"), (r"\sum", "sum"), (r"\delta", "delta"), (r"\tau", "tau"), (r"\lambda", "lambda"),
    (r"\frac12", "1/2"), (r"\,", " "), (r"\lvert ", "|"), (r" \rvert", "|"),
]


def plain(text):
    r"""MyST text with ``$...$`` maths as plain text: no dollars, braces or backslashes.

    A braced exponent keeps its grouping as parentheses. The verdicts of
    :ref:`mistakes` quote the catalogue this way outside the book.

    Examples
    --------
    >>> plain(r"$\tau p - t$ with $\tau = \sum_c t_c$, and `np.eye`")
    'tau p - t with tau = sum_c t_c, and np.eye'
    >>> plain(r"$e^{z_j - m}$ and $2\varepsilon$")
    'e^(z_j - m) and 2eps'
    """
    for tex, word in _PLAIN:
        text = text.replace(tex, word)
    text = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", text)
    return text.replace("$", "").replace("{", "").replace("}", "").replace("`", "")


def section_title(label):
    """The heading of the section labelled ``label``, as plain text; None if no heading follows the label.

    Verdicts name the section of :ref:`mistakes` that explains a mistake by
    it. The headings come from the index of :func:`derivations.chapters.labels`,
    so they are there without the book's sources too (a student's install,
    the autograder's wheel).

    Examples
    --------
    >>> section_title("overflow")
    'Overflow and the max shift'
    """
    heading = chapters.label_entry(label)["heading"]
    return plain(heading) if heading else None


def chapter_title(chapter):
    """The chapter's title as plain text, from its file (for verdicts that point at a chapter, see :ref:`mistakes`).

    Examples
    --------
    >>> chapter_title("book/08_stability.md")
    'Numerical stability'
    """
    return section_title(chapters.chapter_label(chapter))


def chapter_number(chapter):
    """The chapter's number, as the label index has it (``book/08_stability.md`` is 8).

    Orders the catalogue of :ref:`mistakes` and the exercises by chapter.

    Examples
    --------
    >>> chapter_number("book/08_stability.md")
    8
    """
    return chapters.label_entry(chapters.chapter_label(chapter))["number"]


def where(chapter, label=None):
    """Plain words for a chapter or one of its sections: '"Overflow and the max shift", chapter 8'.

    How a verdict (see :ref:`mistakes`) names where to read on, outside the book.

    Examples
    --------
    >>> where("book/08_stability.md", "overflow")
    '"Overflow and the max shift", chapter 8'
    """
    number = chapter_number(chapter)
    name = f"chapter {number}" if number is not None else chapter
    title = section_title(label) if label else chapter_title(chapter)
    return f"\"{title}\", {name}" if title else name


@dataclass(frozen=True)
class Mistake:
    """One known mistake: what goes wrong and where the book explains it (the table of :ref:`mistakes`).

    Attributes
    ----------
    id : str
        Short kebab-case name, e.g. ``"sign-flip"``.
    title : str
        A few words for tables and headings.
    explanation : str
        One sentence: what goes wrong and what is right instead, in MyST
        Markdown (``$...$`` maths, backtick code). :attr:`text` is the same
        in plain text.
    label : str
        The MyST label of the section that explains it; :attr:`chapter`,
        the chapter file that holds it, follows from the label.

    Examples
    --------
    >>> from derivations.coursework.catalogue import MISTAKES
    >>> MISTAKES["batch-size-eye"].url()
    '...book/07_fused_vs_separate.html#separate-node-bug'
    >>> MISTAKES["batch-size-eye"].where
    '"The separate softmax node", chapter 7'
    """

    id: str
    title: str
    explanation: str
    label: str

    @property
    def chapter(self):
        """The chapter file that holds the explaining section, relative to the book root."""
        return chapters.chapter_of(self.label)

    @property
    def text(self):
        """The explanation as plain text, for messages outside the book."""
        return plain(self.explanation)

    @property
    def where(self):
        """The explaining section in words, for plain-text messages."""
        return where(self.chapter, self.label)

    def url(self):
        """Absolute link to the explaining section (see :func:`derivations.chapters.chapter_url`)."""
        return chapters.section_url(self.label)


_SHARED = [
    Mistake(
        "diagonal-only-jacobian",
        "Diagonal-only Jacobian",
        r"Only the $i = j$ terms $p_i(1 - p_i)$ of the softmax Jacobian were kept; the off-diagonal "
        r"terms $-p_i p_j$, through which every logit moves every probability, were dropped.",
        "puzzle-wrong-step",
    ),
    Mistake(
        "missing-delta-term",
        "Jacobian without its diagonal",
        r"The softmax Jacobian is $\mathrm{diag}(p) - p p^T$: the Kronecker delta adds $p_i$ on the "
        r"diagonal, and $-p p^T$ alone leaves it out.",
        "quotient-rule",
    ),
    Mistake(
        "sign-flip",
        "Gradient with the wrong sign",
        r"The gradient of the cross-entropy with respect to the logits is $\tau p - t$ (with "
        r"$\tau = \sum_c t_c$), not $t - p$; with the sign flipped, gradient descent climbs the loss.",
        "gradient-sign",
    ),
    Mistake(
        "transposed-weight-grad",
        "Weight gradient transposed",
        r"$\partial E / \partial W$ has the shape of $W$, entry $[i, j]$ belonging to $w_{ij}$; building "
        r"it as $X^T dz$ when $W$ is stored as $(C, D)$, or the other way round, gives its transpose.",
        "weight-gradient-shape",
    ),
    Mistake(
        "wrong-axis",
        "Normalised over the batch",
        r"Softmax normalises each example over its classes (the last axis, one row per example), "
        r"not each class over the batch (axis 0).",
        "batch-axis",
    ),
    Mistake(
        "missing-keepdims",
        "Row sums without keepdims",
        r"A row sum or maximum taken without `keepdims=True` has shape $(N,)$, and combining it with an "
        r"$(N, C)$ array lines it up with the class axis: an error unless $N = C$, wrong numbers when $N = C$.",
        "batch-keepdims",
    ),
    Mistake(
        "batch-size-eye",
        "Identity of the batch size",
        r"The identity in $p(\delta - p)$ must be $C \times C$, one row per class; `np.eye` of the batch "
        r"size $N$ only broadcasts against $(N, C)$ when $N = C$, and then gives the wrong numbers.",
        "separate-node-bug",
    ),
    Mistake(
        "missing-batch-mean",
        "No division by N",
        r"The loss is the mean over the $N$ examples, so every gradient of it carries a factor $1/N$; "
        r"without it the result is $N$ times too large.",
        "batch-mean",
    ),
    Mistake(
        "double-batch-mean",
        "Divided by N twice",
        r"The $1/N$ of the mean is already inside $dz$; averaging $dz$ over the batch again (for the "
        r"bias gradient, say) makes the result $N$ times too small.",
        "batch-mean",
    ),
    Mistake(
        "divide-by-p",
        "Chained through -t/p",
        r"Sending $\partial L / \partial p = -t/p$ through the softmax Jacobian divides by probabilities "
        r"that underflow to 0 on large logits and gives NaN; the fused form $\tau p - t$ never divides.",
        "fused-vs-separate",
    ),
    Mistake(
        "no-max-shift",
        "Overflow in exp",
        r"$e^z$ overflows to inf for logits above about 709 (88 in float32), and inf / inf is NaN; "
        r"subtracting each row's maximum first leaves the result unchanged and cannot overflow.",
        "overflow",
    ),
    Mistake(
        "log-of-softmax",
        "Log of softmax underflows",
        r"`np.log(softmax(z))` is $-\infty$ wherever a probability underflows to 0; log-softmax computed "
        r"as $z - m - \log \sum_j e^{z_j - m}$ with $m = \max_j z_j$ stays finite.",
        "log-of-softmax",
    ),
    Mistake(
        "assumes-one-hot",
        "Assumes one-hot targets",
        r"$p - t$ is the gradient only when each target row sums to 1; in general it is $\tau p - t$ "
        r"with $\tau = \sum_c t_c$, and a loss must use every target weight, not just the largest.",
        "soft-targets",
    ),
    Mistake(
        "batch-max-shift",
        "Max shift over the whole batch",
        r"`z - np.max(z)` subtracts one maximum for the whole batch; a row whose own maximum lies more "
        r"than about 745 below it underflows to all zeros and gives 0 / 0 = NaN, so subtract each row's "
        r"maximum, `np.max(z, axis=1, keepdims=True)`.",
        "batch-max-shift",
    ),
    Mistake(
        "epsilon-in-log",
        "An epsilon inside the log",
        r"`np.log(p + 1e-7)` hides the $-\infty$ of an underflowed probability behind a wrong finite "
        r"number (about 16 where the loss is 800) and shifts every small $\log p$; log-softmax, "
        r"$z - m - \log \sum_j e^{z_j - m}$, is exact and finite without any epsilon.",
        "epsilon-in-log",
    ),
    Mistake(
        "sum-over-everything",
        "One sum over the whole batch",
        r"`np.sum(e)` without `axis=1` adds the exponentials of every example together, so each row is "
        r"divided by the whole batch's total and no row sums to 1; normalise each row by its own sum.",
        "sum-over-everything",
    ),
    Mistake(
        "divided-by-classes",
        "Averaged over the classes",
        r"The loss is the mean over the $N$ examples; dividing by the number of classes $C$ instead (or "
        r"taking `np.mean` of the whole $(N, C)$ array, which divides by $N C$) scales the loss and its "
        r"gradient by the wrong factor.",
        "divided-by-classes",
    ),
    Mistake(
        "classes-from-labels",
        "Class count from the labels",
        r"`np.max(y) + 1` is the number of classes only when the top class occurs in the batch; take $C$ "
        r"from the shape of the scores or weights, which every class has whether or not it is in the batch.",
        "classes-from-labels",
    ),

]

def gather(own):
    """Every catalogued mistake by id: the shared ones and ``own``, each exercise's, in the book's order.

    The order is that of the chapters that explain them (the shared ones first
    within a chapter), which the table of :ref:`mistakes` follows. :data:`MISTAKES` is this for the exercises' modules.

    Examples
    --------
    >>> extra = Mistake("my-slip", "A slip", "A slip of the pen.", "overflow")
    >>> list(gather([extra])).index("my-slip") == list(gather([])).index("log-of-softmax") + 1
    True
    """
    found = {}
    for m in _SHARED + list(own):
        if m.id in found:
            raise ValueError(f"the mistake {m.id!r} is catalogued twice")
        found[m.id] = m
    return dict(sorted(found.items(), key=lambda item: chapter_number(item[1].chapter)))


def __getattr__(name):
    """:data:`MISTAKES`, the registered wrong implementations by function name, and their list ``WRONG``.

    They are gathered from the exercises (:mod:`derivations.coursework.exercises`),
    which import this module: so they are looked up when first asked for. This
    keeps ``catalogue.ce_grad_p_minus_t`` (chapter 13 runs it) working.
    """
    if name.startswith("__"):
        raise AttributeError(name)
    from derivations.coursework import exercises

    if name in ("MISTAKES", "WRONG"):
        return getattr(exercises, name)
    WRONG = exercises.WRONG
    for w in WRONG:
        if w.name == name:
            return w.fn
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def wrong_implementations(exercise=None, mistake=None, targets=None):
    """The reference wrong implementations, optionally for one exercise or mistake.

    Chapters run them to show a mistake's symptom; :ref:`mistakes` explains how
    the check uses them.

    Parameters
    ----------
    exercise : str, optional
        An exercise id such as ``"cross_entropy_grad"``.
    mistake : str, optional
        A mistake id such as ``"sign-flip"``.
    targets : {"probabilities", "labels"}, optional
        With an exercise: the implementations that take its targets in this
        form (by default its first form). Without one, the implementations
        registered for this form.

    Returns
    -------
    list of WrongImplementation

    Examples
    --------
    >>> [w.mistake for w in wrong_implementations("softmax")]
    ['no-max-shift', 'wrong-axis', 'missing-keepdims', 'batch-max-shift', 'sum-over-everything']
    >>> import numpy as np
    >>> w = wrong_implementations("softmax", "no-max-shift")[0]
    >>> with np.errstate(over="ignore", invalid="ignore"):  # the overflow is the point
    ...     w.fn(np.array([[1000.0, 0.0]]))
    array([[nan,  0.]])
    """
    from derivations.coursework.exercises import EXERCISES, MISTAKES, WRONG, wrong_for

    if mistake is not None and mistake not in MISTAKES:
        raise ValueError(f"unknown mistake {mistake!r}; known: {', '.join(MISTAKES)}")
    if exercise is not None:
        if exercise not in EXERCISES:
            raise ValueError(f"unknown exercise {exercise!r}; the exercises are: {', '.join(EXERCISES)}")
        found = wrong_for(exercise, targets)
    else:
        found = [w for w in WRONG if targets is None or w.targets in (None, targets)]
    return [w for w in found if mistake is None or w.mistake == mistake]


def catalogue_markdown():
    """The catalogue as a Markdown table: one row per mistake, linked to its section.

    Which exercises diagnose each mistake is listed in :ref:`instructors`.

    In a cell that the book build executes (:func:`derivations.chapters.in_book_build`)
    the links are MyST ``{ref}`` roles, which the build resolves; anywhere
    else (JupyterLab, a terminal) they are plain Markdown links to the
    published book, since nothing there would resolve a role.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("DERIVATIONS_BOOK_URL", None) and None
    >>> mistake, what, where = catalogue_markdown().splitlines()[2].strip("| ").split(" | ")
    >>> print(mistake, what[:28])
    `diagonal-only-jacobian` **Diagonal-only Jacobian.**
    >>> print(where)
    ["The step that drops the other outputs", chapter 1](https://.../book/01_puzzle.html#puzzle-wrong-step)
    """
    from derivations.coursework.exercises import MISTAKES

    in_book = chapters.in_book_build()
    rows = ["| mistake | what goes wrong | explained in |", "|---|---|---|"]
    for m in MISTAKES.values():
        link = f"{{ref}}`{m.label}`" if in_book else f"[{m.where}]({m.url()})"
        rows.append(f"| `{m.id}` | **{m.title}.** {m.explanation} | {link} |")
    return "\n".join(rows)
