"""Every exercise of every chapter in one format (issue 14, "Exercises").

* An exercise's statement starts with its difficulty, in stars and in words
  for screen readers: ``*Difficulty: ★★☆ (2 of 3).*``, once.
* Every solution is preceded by exactly one ``{hint}`` dropdown, placed
  between its own exercise and that solution (after ``{exercise-end}`` for a
  gated exercise), and a hint shows no code: no code fence, no line of the
  solution's code.
* An implementation exercise (its statement holds a stub that raises
  ``NotImplementedError("Student exercise...")``) says whether calling
  ``derivations`` is allowed, in one of a few fixed phrases.
* A solution that calls the learner's function from an earlier exercise
  says so in the statement, with a ``{ref}`` to that exercise, and falls back
  on a definition of its own when the name is missing (``except NameError``),
  so that a chapter's notebook runs on its own.

The chapters are every ``book/NN_*.md``, not only those in the table of
contents, so a chapter being written is held to the format too. The rules
are checked by ``format_problems``; the tests at the end break a model
chapter in each way the rules forbid and assert that each break is named.
In the Lab copies (``tools/lab.py``) a hint stays a ``{hint}`` dropdown,
which jupyterlab-myst shows closed, after the stub and before the solution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools import assignments, lab, student

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHAPTERS = sorted(p.name for p in BOOK.glob("[0-9][0-9]_*.md"))

DIFFICULTY = re.compile(r"^\*Difficulty: (?P<stars>[★☆]{3}) \((?P<n>[123]) of 3\)\.\*(?=\s|$)")
DIFFICULTY_ANYWHERE = re.compile(r"(?:Difficulty:\s*)?[★☆]{2,}|Difficulty:")
STUB = re.compile(r"""NotImplementedError\(\s*["']Student exercise""")
#: What an implementation exercise may say about calling the package.
DERIVATIONS_PHRASES = (
    "do not call `derivations`",
    "calling `derivations` is not allowed",
    "you may call `derivations`",
)
FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")
DEF = re.compile(r"^def (?P<name>my_\w+)\(", re.M)
CALL = re.compile(r"\b(?P<name>my_\w+)\s*\(")


@dataclass
class Exercise:
    label: str
    start: int  # first line of the exercise (its opening fence)
    end: int  # last line (the closing fence, or that of {exercise-end})
    statement: list[str]  # the statement's lines, options left out
    stubs: list[str] = field(default_factory=list)  # code of its stub cells

    @property
    def function(self) -> str | None:
        m = DEF.search("\n".join(self.stubs))
        return m["name"] if m else None


@dataclass
class Solution:
    label: str
    start: int
    end: int
    code: list[str]  # the source of each of its code cells


@dataclass
class Chapter:
    exercises: list[Exercise]
    solutions: list[Solution]
    hints: list[student.Block]
    lines: list[str]
    problems: list[str]


def _label(lines: list[str], block: student.Block) -> str:
    for line in lines[block.start + 1 : block.end]:
        m = re.match(r"^\s*:label:\s*(\S+)", line)
        if m:
            return m[1]
    return f"<unlabelled exercise at line {block.start + 1}>"


def _argument(block: student.Block) -> str:
    return block.info.split(None, 1)[1].strip() if " " in block.info else ""


def parse(text: str) -> Chapter:
    """The exercises, solutions and hints of a chapter, at the top level of its MyST."""
    lines = text.splitlines()
    blocks = student.fenced_blocks(lines)
    exercises, solutions, hints, problems = [], [], [], []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        if b.name == "exercise":
            body = [l for l in lines[b.start + 1 : b.end] if not re.match(r"^\s*:[\w-]+:", l)]
            exercises.append(Exercise(_label(lines, b), b.start, b.end, body))
        elif b.name == "exercise-start":
            end = next((j for j in range(k + 1, len(blocks)) if blocks[j].name == "exercise-end"), None)
            if end is None:
                problems.append(f"{_label(lines, b)}: exercise-start without exercise-end")
                break
            inner = blocks[k + 1 : end]
            ex = Exercise(_label(lines, b), b.start, blocks[end].end, lines[b.end + 1 : blocks[end].start])
            for c in inner:
                if c.name == "code-cell" and STUB.search(student.cell_source(lines, c)):
                    ex.stubs.append(student.cell_source(lines, c))
                if c.name == "hint":
                    problems.append(
                        f"{ex.label}: a hint inside the exercise (line {c.start + 1}); "
                        "it belongs after exercise-end, before solution-start"
                    )
            exercises.append(ex)
            k = end
        elif b.name == "solution":
            code = [student.cell_source(lines, c) for c in student.fenced_blocks(lines[b.start + 1 : b.end])
                    if c.name in ("code-cell", "code-block", "code", None)]
            solutions.append(Solution(_argument(b), b.start, b.end, code))
        elif b.name == "solution-start":
            end = next((j for j in range(k + 1, len(blocks)) if blocks[j].name == "solution-end"), None)
            if end is None:
                problems.append(f"{_argument(b)}: solution-start without solution-end")
                break
            code = [student.cell_source(lines, c) for c in blocks[k + 1 : end] if c.name == "code-cell"]
            solutions.append(Solution(_argument(b), b.start, blocks[end].end, code))
            k = end
        elif b.name == "hint":
            hints.append(b)
        k += 1
    return Chapter(exercises, solutions, hints, lines, problems)


def known_functions(chapters: list[str] = CHAPTERS) -> dict[str, tuple[str, str]]:
    """``{"my_softmax": ("01_puzzle.md", "ex-softmax"), ...}``: each stub's function, where it is set."""
    found = {}
    for name in chapters:
        for ex in parse((BOOK / name).read_text(encoding="utf-8")).exercises:
            if ex.function and ex.function not in found:
                found[ex.function] = (name, ex.label)
    return found


def _normalised(lines: list[str]) -> str:
    return re.sub(r"\s+", " ", "\n".join(lines)).strip()


def format_problems(text: str, earlier: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """Everything in a chapter's exercises that breaks the book's format, in words.

    ``earlier`` maps the functions of other exercises to (chapter, label),
    for the rule on reusing them; the chapter's own exercises are added.
    """
    ch = parse(text)
    lines = ch.lines
    problems = list(ch.problems)
    earlier = dict(earlier or {})
    for ex in ch.exercises:
        if ex.function:
            earlier.setdefault(ex.function, ("this chapter", ex.label))
    by_label = {ex.label: ex for ex in ch.exercises}
    owner = {}  # hint start -> exercise label

    for ex in ch.exercises:
        first = next((l for l in ex.statement if l.strip()), "")
        m = DIFFICULTY.match(first.strip())
        if not m:
            problems.append(f"{ex.label}: the statement does not start with '*Difficulty: ★★☆ (2 of 3).*' "
                            f"(it starts {first.strip()[:60]!r})")
        elif m["stars"] != "★" * int(m["n"]) + "☆" * (3 - int(m["n"])):
            problems.append(f"{ex.label}: {m['stars']} is not {m['n']} of 3")
        count = sum(len(DIFFICULTY_ANYWHERE.findall(l)) for l in ex.statement)
        if count != 1:
            problems.append(f"{ex.label}: {count} difficulty marks in the statement, not 1")
        if any(b.name == "hint" for b in student.fenced_blocks(ex.statement)):
            problems.append(f"{ex.label}: a hint inside the statement; it belongs before the solution")
        if ex.stubs:
            said = _normalised(ex.statement).lower()
            if not any(p.lower() in said for p in DERIVATIONS_PHRASES):
                problems.append(
                    f"{ex.label}: an implementation exercise that does not say whether calling "
                    f"`derivations` is allowed (one of {DERIVATIONS_PHRASES})"
                )

    for sol in ch.solutions:
        ex = by_label.get(sol.label)
        if ex is None:
            problems.append(f"solution at line {sol.start + 1}: no exercise of this chapter is labelled {sol.label!r}")
            continue
        if ex.end > sol.start:
            problems.append(f"{sol.label}: the solution comes before its exercise ends")
            continue
        # between the exercise's end and its solution: blank lines and one hint, nothing else
        between = [b for b in student.fenced_blocks(lines[ex.end + 1 : sol.start])]
        own = [b for b in between if b.name == "hint"]
        other = [b for b in between if b.name != "hint"]
        loose = [
            l for i, l in enumerate(lines[ex.end + 1 : sol.start])
            if l.strip() and not any(b.start <= i <= b.end for b in between)
        ]
        if len(own) != 1:
            problems.append(f"{sol.label}: {len(own)} hint blocks between the exercise and its solution, not 1")
        if other or loose:
            what = other[0].info if other else loose[0].strip()
            problems.append(f"{sol.label}: something other than its hint between the exercise and the solution: "
                            f"{what[:60]!r}")
        for b in own:
            start = ex.end + 1 + b.start
            owner[start] = sol.label
            body = lines[start + 1 : ex.end + 1 + b.end]
            options = [l.strip() for l in body if re.match(r"^\s*:[\w-]+:", l)]
            text_lines = [l for l in body if not re.match(r"^\s*:[\w-]+:", l)]
            if ":class: dropdown" not in options:
                problems.append(f"{sol.label}: the hint is not a closed dropdown (:class: dropdown)")
            if len(_normalised(text_lines).split()) < 8:
                problems.append(f"{sol.label}: the hint has fewer than 8 words")
            if any(FENCE_LINE.match(l) for l in text_lines):
                problems.append(f"{sol.label}: a code fence inside the hint")
            hint_text = _normalised(text_lines)
            for code in sol.code:
                for line in code.splitlines():
                    piece = re.sub(r"\s+", " ", line).strip()
                    if len(piece) >= 12 and not piece.startswith("#") and piece in hint_text:
                        problems.append(f"{sol.label}: the hint gives away a line of the solution: {piece!r}")
        # reuse of the learner's earlier functions
        calls = {m["name"] for code in sol.code for m in CALL.finditer(code)} - {ex.function}
        defined = {m["name"] for code in sol.code for m in DEF.finditer(code)}
        for name in sorted(calls - defined):
            if name not in earlier:
                continue  # not an exercise's function
            where, label = earlier[name]
            said = _normalised(ex.statement)
            if name not in said or not re.search(rf"\{{ref\}}`(?:[^`<]*<)?{re.escape(label)}>?`", said):
                problems.append(
                    f"{sol.label}: the solution reuses {name} ({label}, {where}) but the statement "
                    f"does not say so with a {{ref}} to {label}"
                )
            if not any("except NameError" in code for code in sol.code):
                problems.append(
                    f"{sol.label}: the solution reuses {name} with no fallback (except NameError) "
                    "for a notebook of this chapter alone"
                )

    for ex in ch.exercises:
        if not any(s.label == ex.label for s in ch.solutions):
            problems.append(f"{ex.label}: no solution")
    for b in ch.hints:
        if b.start not in owner and not any(ex.start <= b.start <= ex.end for ex in ch.exercises):
            problems.append(f"the hint at line {b.start + 1} belongs to no exercise: no solution follows it")
    return problems


# -- the chapters ----------------------------------------------------------------------------

KNOWN = known_functions()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_has_a_difficulty_a_hint_and_says_what_it_may_call(chapter):
    text = (BOOK / chapter).read_text(encoding="utf-8")
    earlier = {f: w for f, w in KNOWN.items() if w[0] < chapter}
    problems = format_problems(text, earlier)
    assert not problems, f"{chapter}:\n  " + "\n  ".join(problems)


def test_the_book_has_exercises_to_check():
    """The parser finds what the chapters hold: it cannot pass by finding nothing."""
    counts = {c: len(parse((BOOK / c).read_text(encoding="utf-8")).exercises) for c in CHAPTERS}
    with_exercises = [c for c, n in counts.items() if n]
    assert len(with_exercises) >= 13, counts
    assert sum(counts.values()) >= 60, counts
    assert len(KNOWN) >= 13 and KNOWN["my_softmax"] == ("01_puzzle.md", "ex-softmax")


@pytest.mark.parametrize(
    "chapter", [c for c in CHAPTERS if re.search(r"\bmy_\w+\s*\(", (BOOK / c).read_text(encoding="utf-8"))]
)
def test_the_solutions_run_in_a_notebook_of_their_chapter_alone(chapter):
    """The solutions, in order, after the chapter's imports and nothing else, pass their checks.

    So no solution needs a function that only another chapter's notebook defines.
    """
    text = (BOOK / chapter).read_text(encoding="utf-8")
    exercises = assignments.parse_exercises(text)
    if not exercises:
        pytest.skip("no implementation exercise")
    namespace: dict = {}
    exec(assignments.setup_code(text), namespace)
    for ex in exercises:
        exec(ex.solution, namespace)
        verdict = namespace["check"](ex.id, namespace[ex.function], seed=14)
        assert verdict.passed, f"{chapter}, {ex.label}: {verdict}"


# -- the Lab copies -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab_copy():
    index = lab.label_index(ROOT)

    def convert(chapter: str, keep_solutions: bool = True) -> str:
        text = (BOOK / chapter).read_text(encoding="utf-8")
        return lab.convert(text, f"book/{chapter}", index, ROOT, keep_solutions)

    return convert


def _lab_chapters():
    return [
        p.name for p in student.toc_files(ROOT) if p.name[:2].isdigit() and parse(p.read_text(encoding="utf-8")).hints
    ]


@pytest.mark.parametrize("chapter", _lab_chapters())
def test_lab_copies_show_each_hint_closed_between_stub_and_solution(lab_copy, chapter):
    """jupyterlab-myst renders an admonition with class dropdown as a closed <details>."""
    ch = parse((BOOK / chapter).read_text(encoding="utf-8"))
    full, bare = lab_copy(chapter), lab_copy(chapter, keep_solutions=False)
    for copy, with_solutions in ((full, True), (bare, False)):
        lines = copy.splitlines()
        blocks = student.fenced_blocks(lines)
        hints = [b for b in blocks if b.name == "hint"]
        assert len(hints) == len(ch.hints), (
            f"{chapter}: {len(hints)} hints in the Lab copy, {len(ch.hints)} in the chapter"
        )
        for b in hints:
            body = lines[b.start + 1 : b.end]
            assert ":class: dropdown" in [l.strip() for l in body], f"{chapter}: a hint that starts open in Lab"
            assert not re.search(r"\{(ref|numref|doc)\}`", "\n".join(body)), f"{chapter}: a raw role in a hint"
            following = [n for n in blocks if n.start > b.end]
            nxt = following[0] if following else None
            if with_solutions:
                # the solution's dropdown comes right after its hint
                assert nxt is not None and nxt.name == "dropdown" and nxt.info.startswith("{dropdown} Solution to"), (
                    f"{chapter}: a hint not followed by its solution: {lines[b.start:b.end + 1]}"
                )
            before = [n for n in blocks if n.end < b.start]
            # after the exercise (and, for an implementation exercise, after its stub cell)
            assert before and (before[-1].name == "code-cell" or before[-1].info.startswith("{admonition} Exercise")), (
                f"{chapter}: a hint that does not follow its exercise: {lines[b.start:b.end + 1]}"
            )


# -- the rules can fail ------------------------------------------------------------------------

MODEL = '''\
## Exercises

```{exercise}
:label: ex-model-1
*Difficulty: ★☆☆ (1 of 3).*
Show that the entries of the gradient sum to zero.
```

```{hint}
:class: dropdown
Use that the probabilities sum to one, and that the target sum is a constant.
```

```{solution} ex-model-1
:class: dropdown
They do.
```

```{exercise-start}
:label: ex-model-softmax
```
*Difficulty: ★★☆ (2 of 3).* Write `my_softmax(z)`. Use numpy; do not call
`derivations` (the check compares your function with it).

```{code-cell} ipython3
def my_softmax(z):
    raise NotImplementedError("Student exercise: softmax")
```

```{exercise-end}
```

```{hint}
:class: dropdown
Subtract each row's maximum first, so that no exponent is positive.
```

```{solution-start} ex-model-softmax
:class: dropdown
```
Shift, exponentiate, normalise.

```{code-cell} ipython3
def my_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
```

```{solution-end}
```

```{exercise-start}
:label: ex-model-grad
```
*Difficulty: ★★★ (3 of 3).* Write `my_grad(z, t)`. Use numpy; do not call
`derivations`. Calling your own `my_softmax` from {ref}`ex-model-softmax`
is allowed and encouraged.

```{code-cell} ipython3
def my_grad(z, t):
    raise NotImplementedError(
        "Student exercise: the gradient")
```

```{exercise-end}
```

```{hint}
:class: dropdown
The gradient at the logits is the probabilities minus the target, over the batch size.
```

```{solution-start} ex-model-grad
:class: dropdown
```
```{code-cell} ipython3
try:
    my_softmax
except NameError:
    from derivations.coursework.exercises.softmax import softmax_rows as my_softmax


def my_grad(z, t):
    return (my_softmax(z) - t) / len(z)
```

```{solution-end}
```
'''


def _swap(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


HINT_2 = "```{hint}\n:class: dropdown\nSubtract each row's maximum first, so that no exponent is positive.\n```\n\n"
BROKEN = {
    "no difficulty": (lambda t: _swap(t, "*Difficulty: ★☆☆ (1 of 3).*\n", ""), "does not start with"),
    "difficulty not first": (
        lambda t: _swap(t, "*Difficulty: ★☆☆ (1 of 3).*\nShow", "Show\n*Difficulty: ★☆☆ (1 of 3).*"),
        "does not start with",
    ),
    "difficulty in another format": (lambda t: _swap(t, "*Difficulty: ★★☆ (2 of 3).*", "(★★☆)"), "does not start with"),
    "stars that disagree with the words": (lambda t: _swap(t, "★★☆ (2 of 3)", "★☆☆ (2 of 3)"), "is not 2 of 3"),
    "two difficulties": (
        lambda t: _swap(t, "Show that the entries", "*Difficulty: ★★☆ (2 of 3).* Show that the entries"),
        "2 difficulty marks",
    ),
    "no hint": (lambda t: _swap(t, HINT_2, ""), "0 hint blocks"),
    "two hints": (lambda t: _swap(t, HINT_2, HINT_2 + HINT_2), "2 hint blocks"),
    "hint inside a gated exercise": (
        lambda t: _swap(_swap(t, HINT_2, ""), "```\n\n```{exercise-end}\n```\n\n```{solution-start} ex-model-softmax",
                        "```\n\n" + HINT_2 + "```{exercise-end}\n```\n\n```{solution-start} ex-model-softmax"),
        "a hint inside the exercise",
    ),
    "hint inside a statement": (
        lambda t: _swap(t, "Show that the entries of the gradient sum to zero.\n```",
                        "Show that the entries of the gradient sum to zero.\n````{hint}\nsum them\n````\n```"),
        "a hint inside the statement",
    ),
    "hint before the exercise": (
        lambda t: _swap(_swap(t, HINT_2, ""), "```{exercise-start}\n:label: ex-model-softmax",
                        HINT_2 + "```{exercise-start}\n:label: ex-model-softmax"),
        "belongs to no exercise",
    ),
    "hint of another exercise": (
        # exercise 1's solution moved after exercise 2: its hint is no longer next to it
        lambda t: _swap(
            _swap(t, "```{solution} ex-model-1\n:class: dropdown\nThey do.\n```\n\n", ""),
            "```{solution-start} ex-model-softmax",
            "```{solution} ex-model-1\n:class: dropdown\nThey do.\n```\n\n```{solution-start} ex-model-softmax",
        ),
        "ex-model-1: something other than its hint",
    ),
    "open hint": (lambda t: _swap(t, ":class: dropdown\nSubtract", "Subtract"), "not a closed dropdown"),
    "code fence in a hint": (
        lambda t: _swap(
            t, HINT_2, HINT_2.replace("```", "````").replace("positive.\n", "positive.\n```python\nz - z.max()\n```\n")
        ),
        "a code fence inside the hint",
    ),
    "solution line in a hint": (
        lambda t: _swap(
            t, "so that no exponent is positive.",
            "so that no exponent is positive:\n`return e / e.sum(axis=-1, keepdims=True)`.",
        ),
        "gives away a line",
    ),
    "empty hint": (
        lambda t: _swap(t, "Subtract each row's maximum first, so that no exponent is positive.", "Shift it."),
        "fewer than 8 words",
    ),
    "silent on derivations": (
        lambda t: _swap(
            t, "Use numpy; do not call\n`derivations` (the check compares your function with it).", "Use numpy."
        ),
        "does not say whether calling",
    ),
    "reuse without saying so": (
        lambda t: _swap(
            t, "Calling your own `my_softmax` from {ref}`ex-model-softmax`\nis allowed and encouraged.", ""
        ),
        "does not say so with a {ref}",
    ),
    "reuse without a fallback": (
        lambda t: _swap(
            t,
            "try:\n    my_softmax\nexcept NameError:\n"
            "    from derivations.coursework.exercises.softmax import softmax_rows as my_softmax\n",
            "",
        ),
        "no fallback",
    ),
    "no solution": (
        lambda t: _swap(t, "```{hint}\n:class: dropdown\n"
                           "Use that the probabilities sum to one, and that the target sum is a constant.\n```\n\n"
                           "```{solution} ex-model-1\n:class: dropdown\nThey do.\n```\n", ""),
        "ex-model-1: no solution",
    ),
}


def test_the_model_chapter_is_clean():
    assert format_problems(MODEL) == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_rule_can_fail(case):
    mutate, expected = BROKEN[case]
    broken = mutate(MODEL)
    assert broken != MODEL
    problems = format_problems(broken)
    assert any(expected in p for p in problems), f"{case}: {problems}"


def test_the_rules_fail_on_a_chapter_as_it_was_before_the_format():
    """Chapter 1 before its exercises were reformatted (no difficulty, no hint, silent on the package)."""
    old = (BOOK / "01_puzzle.md").read_text(encoding="utf-8")
    old = re.sub(r"\*Difficulty: [★☆]{3} \(\d of 3\)\.\* ?\n?", "", old)
    old = re.sub(r"```\{hint\}\n.*?\n```\n\n", "", old, flags=re.S)
    old = old.replace("Use numpy; do not call\n`derivations` (the check compares your function with it).", "")
    problems = format_problems(old)
    assert sum("does not start with" in p for p in problems) == 4, problems
    assert sum("0 hint blocks" in p for p in problems) == 4, problems
    assert any("does not say whether calling" in p for p in problems), problems
