"""How a verdict of :func:`~derivations.coursework.engine.check` shows: as text, Markdown or HTML.

:class:`CheckResult` holds the verdict; its message is plain text, whose
``Read why: ...`` line and URLs become links, and whose backtick spans
become code, wherever a notebook front end renders Markdown or HTML. The
engine words the verdict; this module only displays it.
"""

import dataclasses
import re
from dataclasses import dataclass, field
from html import escape

from derivations import editions
from derivations.coursework import catalogue, messages

__all__ = ["CheckResult"]

_URL = re.compile(r"(https?://\S+|\.\./\S+)")


@dataclass(frozen=True)
class CheckResult:
    """The verdict of :func:`~derivations.coursework.engine.check`: did the function pass, and if not, why.

    Every chapter's exercises end in one; :ref:`mistakes` tells how it names a mistake.

    Attributes
    ----------
    passed : bool
    mistake : str or None
        The id of the catalogued mistake the function makes (a key of
        :data:`derivations.coursework.catalogue.MISTAKES`), or None when it passed or
        no known mistake explains the failure.
    message : str
        What happened, in plain text (its first line starts with ✓ or ✗),
        with an absolute link to the explaining section.
    exercise : str
        The exercise id.
    seed : int or None
        The seed of the random inputs; ``check(exercise, fn, seed=seed)``
        repeats them.
    timed_out : bool
        Whether a case ran past the time limit (the check then stops).
    not_implemented : bool
        Whether the function is still the stub that raises NotImplementedError.
    targets : str or None
        The target form the function was given, for exercises with targets.
    language : str
        The language the message is written in (one of
        :data:`derivations.coursework.messages.LANGUAGES`).
    translations : dict
        The message in the book's other languages, by language: filled when
        the book is built (:mod:`derivations.editions`), so that each edition
        shows the verdict in its own; empty otherwise.
    """

    passed: bool
    mistake: str | None
    message: str
    exercise: str = ""
    seed: int | None = None
    timed_out: bool = False
    not_implemented: bool = False
    targets: str | None = None
    language: str = "en"
    translations: dict = field(default_factory=dict, compare=False, repr=False)

    def _read_why(self, line):
        """The ``Read why`` line's match (groups ``where`` and ``url``), or None for any other line."""
        return messages.pattern("read-why", self.language).match(line)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message

    def _repr_markdown_(self):
        head, *rest = self.message.split("\n")
        lines = [f"**{head}**", ""]
        for line in rest:
            link = self._read_why(line)
            if link:  # the words before the URL become the link's text
                lines += ["", f"[{line[: link.start('url')].rstrip(' ,，')}]({link['url']})", ""]
            else:
                lines.append(_URL.sub(lambda m: f"[{m[1]}]({m[1]})", line) + "  ")
        return "\n".join(lines)

    def _repr_html_(self):
        versions = {self.language: self._html()}
        for lang, message in self.translations.items():
            versions[lang] = dataclasses.replace(self, message=message, language=lang, translations={})._html()
        return editions.html_in_languages(versions)

    def _html(self):
        # Fixed colours rather than the page's: notebook front ends and the book's
        # dark mode put HTML output on backgrounds of their own choosing.
        mark, tint = ("#2e7d32", "#edf7ed") if self.passed else ("#c62828", "#fdecea")
        head, *rest = self.message.split("\n")
        body = ""
        for line in rest:
            link = self._read_why(line)
            if link:
                line_html = escape(line[: link.start("where")]) + _anchor(link["url"], link["where"])
                if self.mistake is not None:
                    label = _code(escape(catalogue.MISTAKES[self.mistake].label))
                    line_html += f" ({messages.say('html-label', self.language)} {label})"
            else:  # the line is escaped already, and so is any URL in it
                line_html = _URL.sub(lambda m: f'<a style="color:#0b57d0" href="{m[1]}">{m[1]}</a>',
                                     _code_spans(escape(line)))
            style = "margin-top:0.3em"
            if line.startswith("    "):  # printed output, kept as printed
                style = "margin-left:1.2em;font-family:monospace;white-space:pre-wrap"
                line_html = line_html[4:]
            body += f'<div style="{style}">{line_html}</div>'
        first, _, rest_of_head = _code_spans(escape(head)).partition(" ")
        return (
            f'<div class="derivations-check" style="border-left:0.3em solid {mark};background:{tint};'
            f'color:#1f1f1f;padding:0.4em 0.8em;margin:0.4em 0">'
            f'<strong><span style="color:{mark}">{first}</span> {rest_of_head}</strong>{body}</div>'
        )


def _anchor(url, text):
    return f'<a style="color:#0b57d0" href="{escape(url, quote=True)}">{escape(text, quote=False)}</a>'


def _code(text):
    return f'<code style="color:inherit;background:rgba(0,0,0,0.07);padding:0 0.2em">{text}</code>'


def _code_spans(text):
    """Backtick spans of an escaped message as <code> elements."""
    return re.sub(r"`([^`]+)`", lambda m: _code(m[1]), text)
