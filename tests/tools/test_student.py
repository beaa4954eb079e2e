"""Student copies: the solutions are gone, the stubs and checks stay.

``make student`` writes one notebook per chapter and builds the site from
the stripped chapters, then runs ``tools/student.py verify``. These tests
check the stripping on made-up and real chapters, search the notebooks and
a student build of two chapters for solution text, and prove the search can
fail: on the full chapters, on a site built with its solutions, and on a
student site with solution text planted in a page, in its search index and
as published sources.
"""

import json
import re
import shutil
from pathlib import Path

import jupytext
import pytest

from derivations.coursework import NOT_IMPLEMENTED
from tools import assignments, locales, student

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHAPTERS = sorted(p.name for p in BOOK.glob("*.md"))

FENCE4 = "````"

SYNTHETIC = f"""---
jupytext:
  text_representation: {{extension: .md, format_name: myst}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---
(synthetic)=
# A made-up chapter

```{{code-cell}} ipython3
:tags: [remove-cell]
import numpy as np
from derivations.coursework import check
```

Some prose before the exercises.

```{{exercise}}
:label: ex-synthetic-1
Why is the sky blue?
```

```{{solution}} ex-synthetic-1
:class: dropdown
Because molecules scatter short wavelengths far more strongly than long ones.
```

{FENCE4}{{solution}} ex-synthetic-2
:class: dropdown
A nested block inside a longer fence, with its own code:

```python
hidden_helper = np.cumsum(np.arange(17)) % 5
```

The sentence after the nested block is solution prose as well.
{FENCE4}

```{{exercise-start}}
:label: ex-synthetic-impl
```
Write `my_softmax(z)`.

```{{code-cell}} ipython3
def my_softmax(z):
    raise NotImplementedError("Student exercise: return softmax over the last axis")
```

```{{exercise-end}}
```

```{{solution-start}} ex-synthetic-impl
:class: dropdown
```
Shift by the row maximum, exponentiate, and divide by the row sums of the exponentials.

```{{code-cell}} ipython3
def my_softmax(z):
    import numpy as np
    shifted_logits = z - z.max(axis=1, keepdims=True)
    return np.exp(shifted_logits) / np.exp(shifted_logits).sum(axis=1, keepdims=True)
```

```{{solution-end}}
```

```{{code-cell}} ipython3
check("softmax", my_softmax)
```

The format, shown as an example inside a code block, must survive:

{FENCE4}markdown
```{{solution}} ex-shown-as-an-example
:class: dropdown
This text is part of an example of the format, not a solution.
```
{FENCE4}
"""


def top_level_directives(text):
    return [b.name for b in student.fenced_blocks(text.splitlines()) if b.name]


# ---------------------------------------------------------------------------
# Stripping
# ---------------------------------------------------------------------------


def test_strip_removes_simple_nested_and_gated_solutions():
    stripped = student.strip_solutions(SYNTHETIC)
    for gone in [
        "scatter short wavelengths",
        "hidden_helper",
        "sentence after the nested block",
        "Shift by the row maximum",
        "shifted_logits",
        "{solution-start}",
        "{solution-end}",
    ]:
        assert gone in SYNTHETIC and gone not in stripped, gone
    assert not {"solution", "solution-start", "solution-end"} & set(top_level_directives(stripped))


def test_strip_keeps_exercises_stubs_checks_and_examples():
    stripped = student.strip_solutions(SYNTHETIC)
    for kept in [
        "Why is the sky blue?",
        "{exercise-start}",
        "{exercise-end}",
        'raise NotImplementedError("Student exercise: return softmax over the last axis")',
        'check("softmax", my_softmax)',
        "This text is part of an example of the format, not a solution.",
        "Some prose before the exercises.",
    ]:
        assert kept in stripped, kept


def test_stripped_synthetic_chapter_converts_to_a_notebook():
    nb = jupytext.reads(student.strip_solutions(SYNTHETIC), fmt="md:myst")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 3  # setup, stub, check
    assert "NotImplementedError" in code[1] and code[2].startswith("check(")


@pytest.mark.parametrize(
    "broken, message",
    [
        ("```{solution-start} ex-a\n```\ntext\n", "without a matching solution-end"),
        ("```{solution-end}\n```\n", "without a solution-start"),
        (
            "```{solution-start} ex-a\n```\n```{solution-start} ex-b\n```\n```{solution-end}\n```\n",
            "before the next one",
        ),
    ],
)
def test_unbalanced_gated_solutions_are_errors(broken, message):
    with pytest.raises(ValueError, match=message):
        student.strip_solutions(broken)


def test_fragments_leave_out_text_that_is_public_anyway():
    pieces = student.solution_fragments({"synthetic.md": SYNTHETIC})["synthetic.md"]
    assert "shifted_logits = z - z.max(axis=1, keepdims=True)" in pieces
    assert "hidden_helper = np.cumsum(np.arange(17)) % 5" in pieces
    assert "Because molecules scatter short wavelengths far more strongly than long ones." in pieces
    assert "def my_softmax(z):" not in pieces  # the stub has this line too
    assert "import numpy as np" not in pieces  # so does the setup cell
    assert not any("example of the format" in p for p in pieces)


@pytest.mark.parametrize("name", CHAPTERS)
def test_real_chapter_strips_cleanly(name):
    text = (BOOK / name).read_text(encoding="utf-8")
    stripped = student.strip_solutions(text)
    before, after = top_level_directives(text), top_level_directives(stripped)
    assert not {"solution", "solution-start", "solution-end"} & set(after)
    assert after.count("exercise") == before.count("exercise")
    assert after.count("exercise-start") == before.count("exercise-start")
    # every stub and every self-check cell stays
    for exercise in assignments.parse_exercises(text):
        assert exercise.stub in stripped
        assert re.search(rf"check\(\s*[\"']{exercise.id}[\"']\s*,\s*{exercise.function}\s*\)", stripped)
    nb = jupytext.reads(stripped, fmt="md:myst")
    assert nb.cells


# ---------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------


def chapters_with_solutions():
    return [n for n in CHAPTERS if student.solutions((BOOK / n).read_text(encoding="utf-8"))]


def test_student_notebooks_have_no_solution_text(tmp_path):
    full = student.read_chapters(ROOT, CHAPTERS)
    notebooks = student.write_notebooks(tmp_path, ROOT, CHAPTERS)
    assert len(notebooks) == sum(student.is_notebook(t) for t in full.values())
    assert student.find_leaks(full, notebooks) == []
    for nb_path in notebooks:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        assert not any(cell.get("outputs") for cell in nb["cells"])


def test_the_notebook_search_catches_the_full_chapters(tmp_path):
    """A control: notebooks made from the unstripped chapters must be caught."""
    full = student.read_chapters(ROOT, CHAPTERS)
    leaky = []
    for name in chapters_with_solutions():
        dest = tmp_path / (Path(name).stem + ".ipynb")
        jupytext.write(jupytext.reads(full[name], fmt="md:myst"), dest, fmt="ipynb")
        leaky.append(dest)
    if not leaky:
        pytest.skip("no chapter has solutions yet")
    leaks = student.find_leaks(full, leaky)
    assert {Path(leak.where).name for leak in leaks} == {p.name for p in leaky}


def test_student_notebooks_keep_stubs_and_checks(tmp_path):
    notebooks = {p.stem: p for p in student.write_notebooks(tmp_path, ROOT, CHAPTERS)}
    for name in CHAPTERS:
        for exercise in assignments.parse_exercises((BOOK / name).read_text(encoding="utf-8")):
            code = "\n".join(
                c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                for c in json.loads(notebooks[Path(name).stem].read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "code"
            )
            assert exercise.stub in code
            assert f"check(\"{exercise.id}\", {exercise.function})" in code.replace("'", '"')


# ---------------------------------------------------------------------------
# The site built from the stripped chapters
# ---------------------------------------------------------------------------


def small_chapters(k):
    """k chapters with implementation exercises, the shortest first (quick to build)."""
    with_impl = [
        n for n in chapters_with_solutions() if assignments.parse_exercises((BOOK / n).read_text(encoding="utf-8"))
    ]
    return sorted(with_impl, key=lambda n: (BOOK / n).stat().st_size)[:k]


@pytest.fixture(scope="module")
def student_site(tmp_path_factory):
    chapters = small_chapters(2)
    if not chapters:
        pytest.skip("no chapter has implementation exercises yet")
    out = tmp_path_factory.mktemp("student")
    # Not strict: two chapters alone link to labels in the others.
    code, log, site = student.build_site(out, ROOT, chapters, strict=False)
    return chapters, code, log, site


def test_student_site_builds_and_no_cell_raises(student_site):
    chapters, code, log, site = student_site
    assert code == 0, log[-4000:]
    assert "Executing notebook failed" not in log
    assert "CellExecutionError" not in log
    for name in chapters:
        assert (site / "book" / (Path(name).stem + ".html")).is_file()


def test_student_site_has_no_solution_text(student_site):
    chapters, _, _, site = student_site
    full = student.read_chapters(ROOT, chapters)
    assert sum(len(f) for f in student.solution_fragments(full).values()) > 0
    assert student.find_leaks(full, [], site) == []


def test_student_site_publishes_no_sources(student_site):
    _, _, _, site = student_site
    assert not (site / "_sources").exists()
    assert (site / "searchindex.js").is_file()


def test_student_site_shows_stubs_and_the_not_implemented_verdict(student_site):
    chapters, _, _, site = student_site
    for name in chapters:
        page = (site / "book" / (Path(name).stem + ".html")).read_text(encoding="utf-8")
        text = student.normalise(re.sub(r"<[^>]*>", "", page))
        for exercise in assignments.parse_exercises((BOOK / name).read_text(encoding="utf-8")):
            verdict = f"✗ {exercise.function} is {NOT_IMPLEMENTED}".replace("`", "")  # code spans, once rendered
            assert verdict in text, (name, verdict)
            last = student.normalise(exercise.stub.splitlines()[-1])
            assert last in text, (name, last)


def planted(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    return copy


def test_leak_search_catches_a_site_built_with_solutions(student_site, tmp_path):
    """A control: the same chapter built with its solutions must be caught."""
    chapters, _, _, _ = student_site
    name = chapters[0]
    code, log, full_site = student.build_site(tmp_path, ROOT, [name], strict=False, strip=False)
    assert code == 0, log[-3000:]
    full = student.read_chapters(ROOT, [name])
    leaks = student.find_leaks(full, [], full_site)
    page = str(full_site / "book" / (Path(name).stem + ".html"))
    assert any(leak.where == page for leak in leaks)
    # so are the notebook downloads the site offers, made from the same sources
    assert any(leak.where.endswith(".ipynb") for leak in leaks)


def test_leak_search_catches_planted_code_in_a_page(student_site, tmp_path):
    chapters, _, _, site = student_site
    full = student.read_chapters(ROOT, chapters)
    piece = sorted(max(student.solution_fragments(full).values(), key=len), key=len)[-1]
    copy = planted(site, tmp_path)
    page = copy / "book" / (Path(chapters[0]).stem + ".html")
    # the way a highlighter or a paragraph would wrap it: a tag around every word
    wrapped = "".join(f'<span class="n">{w}</span> ' for w in piece.split(" "))
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", f"<p>{wrapped}</p></main>"), encoding="utf-8")
    leaks = student.find_leaks(full, [], copy)
    assert [leak.where for leak in leaks] == [str(page)]


def test_leak_search_catches_a_planted_search_term_and_sources(student_site, tmp_path):
    chapters, _, _, site = student_site
    full = student.read_chapters(ROOT, chapters)
    words = sorted(student.solution_words(full))
    copy = planted(site, tmp_path)
    index = copy / "searchindex.js"
    raw = index.read_text(encoding="utf-8")
    data = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    planted_word = words[0] if words else None
    if planted_word:
        from sphinx.search.en import SearchEnglish

        data["terms"][SearchEnglish({}).stem(planted_word)] = 0
        index.write_text("Search.setIndex(" + json.dumps(data) + ")", encoding="utf-8")
    (copy / "_sources").mkdir()
    leaks = [str(leak) for leak in student.find_leaks(full, [], copy)]
    assert any("_sources" in leak for leak in leaks)
    if planted_word:
        assert any(f"only the solutions use: {planted_word}" in leak for leak in leaks)


# ---------------------------------------------------------------------------
# The editions' notebooks: the English student notebook, its prose translated
# ---------------------------------------------------------------------------

EDITIONS = list(locales.EDITIONS)


@pytest.fixture(scope="module", params=EDITIONS)
def edition(request, tmp_path_factory):
    """One edition's student notebooks, with the English ones written in the same pass."""
    lang = request.param
    out = tmp_path_factory.mktemp(f"student-{lang}")
    written = student.write_notebooks(out, ROOT, CHAPTERS, languages=(lang,))
    english = {p.name: p for p in written if p.parent == out}
    translated = {p.name: p for p in written if p.parent == out / lang}
    return lang, english, translated


def cells(path):
    return [(c["cell_type"], "".join(c["source"]), c["metadata"]) for c in json.loads(path.read_text("utf-8"))["cells"]]


# What a Markdown cell may hold and still need no translation: code blocks,
# maths, labels, comments, directive fences and options, code spans, roles.
_NO_PROSE = [
    re.compile(r"^(`{3,})(?!\{)[^\n]*\n.*?^\1\s*$", re.M | re.S),  # a code block (not a directive)
    re.compile(r"^`{3,}\{literalinclude\}[^\n]*\n.*?^`{3,}\s*$", re.M | re.S),
    re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S),
    re.compile(r"^\(.+\)=$|^%.*$|^\s*`{3,}.*$|^\s*:[\w-]+:.*$", re.M),
    re.compile(r"\{[\w:-]+\}`[^`]*`|`[^`]*`"),
]


def holds_prose(markdown):
    for pattern in _NO_PROSE:
        markdown = pattern.sub(" ", markdown)
    return bool(re.search(r"[^\W\d_]{3,}", markdown))


def test_edition_notebooks_keep_the_english_code_cells_and_metadata(edition):
    lang, english, translated = edition
    assert sorted(translated) == sorted(english) and translated
    for name, path in english.items():
        (kind, first, _), *mine = cells(translated[name])
        theirs = cells(path)
        # the edition's own first cell sets its language, then come the English notebook's cells
        assert kind == "code" and first.endswith(f'os.environ["DERIVATIONS_LANGUAGE"] = "{lang}"'), first
        assert len(mine) == len(theirs), (lang, name)
        assert [c[1] for c in mine if c[0] == "code"] == [c[1] for c in theirs if c[0] == "code"], (lang, name)
        assert [without_caption(c[2]) for c in mine] == [without_caption(c[2]) for c in theirs], (lang, name)
        nb, en = (json.loads(p.read_text("utf-8")) for p in (translated[name], path))
        assert nb["metadata"] == en["metadata"] and nb["metadata"]["kernelspec"]["name"] == "python3"
        assert not any(c.get("outputs") for c in nb["cells"])


def without_caption(metadata):
    """A cell's metadata, its figure's caption (the only metadata an edition translates) left out."""
    metadata = json.loads(json.dumps(metadata))
    metadata.get("mystnb", {}).get("figure", {}).pop("caption", None)
    return metadata


def caption(metadata):
    return metadata.get("mystnb", {}).get("figure", {}).get("caption")


#: The start of the training curves' caption (chapter 11) in each edition, as its .po file has it.
TRAINING_CAPTION = {"es": "Entropía cruzada media (izquierda, escala logarítmica)",
                    "id": "Rata-rata entropi silang (kiri, skala log)",
                    "zh_CN": "在 500 步全批量梯度下降过程中"}


def test_edition_notebooks_translate_the_figures_captions(edition):
    """myst-nb keeps a figure's caption in its cell's metadata; the edition's notebook has it translated."""
    lang, english, translated = edition
    captions = 0
    for name, path in english.items():
        for (_, _, mine), (_, _, theirs) in zip(cells(translated[name])[1:], cells(path)):
            if caption(theirs):
                assert caption(mine) and caption(mine) != caption(theirs), (lang, name, caption(theirs)[:80])
                captions += 1
    assert captions >= 25
    training = [caption(m) for _, _, m in cells(translated["11_training.ipynb"]) if caption(m)]
    assert any(c.startswith(TRAINING_CAPTION[lang]) for c in training), training


def test_edition_notebooks_translate_every_markdown_cell_with_prose(edition):
    lang, english, translated = edition
    for name, path in english.items():
        for (kind, mine, _), (_, theirs, _) in zip(cells(translated[name])[1:], cells(path)):
            if kind == "markdown" and holds_prose(theirs):
                assert mine != theirs, (lang, name, theirs[:200])


def test_edition_notebooks_have_no_solution_text(edition):
    lang, english, translated = edition
    full = student.read_chapters(ROOT, CHAPTERS)
    notebooks = sorted(translated.values())
    assert student.find_leaks(full, notebooks) == []  # the English solutions
    assert student.find_leaks(full, notebooks, lang=lang) == []  # and their translations


def solution_paragraphs(text):
    """The plain paragraphs of a chapter's solutions (no fences, options or maths blocks), one line each."""
    out = []
    for solution in student.solutions(text):
        for block in re.split(r"\n\s*\n", solution):
            lines = block.strip("\n").splitlines()
            while lines and re.match(r"^\s*(`{3,}|:[\w-]+:)", lines[0]):
                lines = lines[1:]  # the solution's own fence and options
            while lines and re.match(r"^\s*`{3,}\s*$", lines[-1]):
                lines = lines[:-1]
            if lines and not any(re.match(r"^\s*`{3,}", ln) or "$$" in ln for ln in lines):
                out.append(" ".join(lines).strip())
    return out


def words(paragraph):
    return re.sub(r"\$[^$]*\$|\{[\w:-]+\}`[^`]*`|`[^`]*`", " ", paragraph).split()


def planted_notebook(path, markdown):
    nb = jupytext.reads("# A page\n\n" + markdown + "\n", fmt="md")
    jupytext.write(nb, path, fmt="ipynb")
    return path


def test_the_edition_search_catches_a_translated_solution(edition, tmp_path):
    """A control: a solution's translation, taken from the catalogue by hand, planted in a notebook."""
    lang, _, _ = edition
    full = student.read_chapters(ROOT, CHAPTERS)
    caught = 0
    for name in chapters_with_solutions():
        catalogue = {m.id: m.string for m in locales.read_catalogue(student.catalogue_path(lang, name)) if m.id}
        # paragraphs of a few sentences, not mostly maths and code, so that a translation has runs to find
        found = [catalogue[p] for p in solution_paragraphs(full[name]) if catalogue.get(p) and len(words(p)) >= 30]
        if not found:
            continue
        wordiest = max(found, key=lambda t: len("".join(words(t))))
        nb = planted_notebook(tmp_path / f"{Path(name).stem}.ipynb", wordiest)
        leaks = student.find_leaks(full, [nb], lang=lang)
        assert leaks and {leak.where for leak in leaks} == {str(nb)}, (lang, name)
        caught += 1
    assert caught >= 5


def test_the_edition_search_catches_the_translated_full_chapters(edition, tmp_path):
    """A control: every chapter with solutions, translated with them, is caught."""
    lang, _, _ = edition
    full = student.read_chapters(ROOT, CHAPTERS)
    leaky = []
    for name in chapters_with_solutions():
        dest = tmp_path / (Path(name).stem + ".ipynb")
        jupytext.write(jupytext.reads(student.translate_chapter(full[name], lang, name), fmt="md:myst"), dest)
        leaky.append(dest)
    leaks = student.find_leaks(full, leaky, lang=lang)
    assert {Path(leak.where).name for leak in leaks} == {p.name for p in leaky}
