"""The verdicts' English templates: the source that every edition translates (see :ref:`mistakes`).

``MESSAGES`` holds the sentences the engine writes, by message id, with
``{name}`` placeholders. Case descriptions are translated a comma-separated
part at a time (see :func:`derivations.coursework.messages.case_name`); their
English parts are the keys of each other language's ``CASES``, and the
exercises' own sentences (signatures, target forms, conventions, passed
messages) the keys of its ``TEXTS``. The mistakes' titles and texts in English
are the catalogue's own (:mod:`derivations.coursework.catalogue`).
"""

MESSAGES = {
    # the first line of a verdict
    "passed": "✓ {name} passed all {count} cases on fresh random inputs.",
    "passed-bug-fixed": "✓ Bug found and fixed: {name} passed all {count} cases on fresh random inputs.",
    "not-right": "✗ {name} is not right yet.",
    "not-implemented": "✗ {name} is not implemented yet: replace the `raise NotImplementedError` in the stub.",
    "time-limit": "✗ {name} hit the time limit: it ran for more than {seconds} s on {case}.",
    "time-limit-hint": "Is there a loop that never ends? To allow more time, use {call} or set {variable}.",
    # what the cases showed
    "cases": "Cases: {names}.",
    "on-case": "On {case}: {problem}.",
    "also-fails": "It also fails on {more} more of the {count} cases: {names}.",
    "passes-others": "It passes the other {count} cases.",
    "targets": "Targets: {text}.",
    "convention": "Judged by the convention its loss follows: {text}.",
    # the diagnosis
    "mistake-full": "It behaves exactly like the known mistake [{id}] ({title}): {text}",
    "mistake-part": "Part of the failure matches the known mistake [{id}] ({title}): {text}",
    "second-problem": "There may be a second problem as well.",
    "no-mistake": "No catalogued mistake matches. Signature: {signature}.",
    "labels-hint": "If your function takes integer labels (N,) rather than probability rows, check it with {call}.",
    "read-why": "Read why: {where}, {url}",
    "derivation-in": "The derivation is in {where}: {url}",
    "section-in-chapter": "\"{title}\", {chapter}",
    "chapter": "chapter {number}",
    "html-label": "label",
    # how the parts of a case description, and a list of cases, are joined
    "case-separator": ", ",
    "list-separator": "; ",
    # after the diagnosis
    "printed-one": "It printed 1 line:",
    "printed-all": "It printed {count} lines:",
    "printed-first": "It printed {count} lines; the first {shown}:",
    "repeat": "The inputs are random; {call} repeats these ones.",
    # what went wrong in one case
    "raised": "it raised {type}: {error}",
    "exited": "it called sys.exit() (SystemExit: {error})",
    "returned-none": "it returned None (is a `return` statement missing?)",
    "returned-none-for": "it returned None for {name}",
    "wrong-count": "it should return {count} arrays ({names}); it returned {what}",
    "an-array": "an array of shape {shape}",
    "an-object": "a {type}",
    "not-numbers": "it {name} is not an array of numbers ({error})",
    "not-real": "it {name} is not an array of real numbers (it has dtype {dtype})",
    "not-float64": "it {name} has dtype {dtype}; the exercise asks for a float64 array",
    "wrong-shape": "{name} has shape {shape}; expected {expected}",
    "non-finite": "{name} contains {kinds} at {count} of {size} entries",
    "nan-and-inf": "NaN and inf",
    "wrong-scalar": "{name} is {value}; expected {expected}",
    "wrong-entries": ("{name} differs from the expected values in {count} of {size} entries; "
                      "the worst is at index {index}: got {value}, expected {expected}"),
    # check's errors for an argument it cannot take (a ValueError or TypeError)
    "error-unknown-exercise": "unknown exercise {exercise}; the exercises are: {names}",
    "error-targets-value": "targets={targets}; the allowed values are {forms}",
    "error-no-targets": "the exercise {exercise} takes no targets; leave out targets=",
    "error-targets-form": "the exercise {exercise} takes its targets only as {forms}, not {targets}",
    "error-not-callable": "check needs the function itself, such as {function} without parentheses; it got {kind}",
    "or-separator": " or ",
}
