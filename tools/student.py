"""Student copies of the book: notebooks and a site with the solutions removed.

    python tools/student.py all          # what `make student` runs
    python tools/student.py notebooks    # _build/student/NN_slug.ipynb and <lang>/NN_slug.ipynb
    python tools/student.py site         # _build/student/site (strict build)
    python tools/student.py verify       # fail if any solution text survived

Every ``{solution}`` block, and everything from a ``{solution-start}`` to the
end of its ``{solution-end}`` directive, is removed from each chapter in the
table of contents. The stubs and the self-check cells stay, so a learner's
notebook shows the exercise, the stub to replace and the check that reports
on it. The notebooks are jupytext conversions of the stripped chapters; the
site is the book built, strictly, from a staging copy of the repository in
which ``book/`` holds the stripped chapters.

Each edition (es, id, zh_CN) gets the same notebooks in
``_build/student/<lang>/``: the stripped chapter with every block of prose
replaced by its translation from ``locales/<lang>/LC_MESSAGES/book/<page>.po``
(``tools/translate_md.py``), the code cells, their metadata and the notebook's
metadata as in the English notebook. A block the catalogue does not translate
is an error, so a stale catalogue stops ``make student``.

``verify`` takes every solution's text from the full chapters (code lines
and runs of prose, normalised, leaving out whatever also appears outside the
solutions) and searches the student notebooks and every text file of the
student site for it, including the search index, where it also looks for
words that only the solutions use. It searches the editions' notebooks for
the English fragments and for those of the solutions' translations, taken
from the same catalogues.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

try:  # run as a script (tools/ on sys.path) ...
    import translate_md
    from book_toc import toc_docnames
    from locales import EDITIONS
except ImportError:  # ... or imported as tools.student
    from tools import translate_md
    from tools.book_toc import toc_docnames
    from tools.locales import EDITIONS

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "student"

# Top-level entries the staging copy leaves out: the chapters (replaced by
# stripped copies) and what is never part of a build.
_NOT_STAGED = {"book", "_build", ".git", ".venv", ".pytest_cache", ".hypothesis"}

_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*?)\s*$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}")


# -- parsing the chapters ----------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A top-level fenced block: lines ``start``..``end`` inclusive."""

    start: int
    end: int
    name: str | None  # the directive's name, None for a plain code fence
    info: str


def fenced_blocks(lines: list[str]) -> list[Block]:
    """Every top-level fenced block (backticks, tildes or MyST colon fences).

    A block closes at the first line that is only its fence character, at
    least as many times as it opened with, so fences nested inside with
    fewer characters (the MyST rule for nesting) stay inside. An unclosed
    fence runs to the end of the text, as in CommonMark.
    """
    blocks = []
    i, n = 0, len(lines)
    while i < n:
        m = _FENCE.match(lines[i])
        if not m or (m["fence"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        fence = m["fence"]
        close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < n and not close.match(lines[j]):
            j += 1
        d = _DIRECTIVE.match(m["info"].strip())
        blocks.append(Block(i, min(j, n - 1), d["name"] if d else None, m["info"].strip()))
        i = j + 1
    return blocks


def cell_source(lines: list[str], block: Block) -> str:
    """The code of a ``{code-cell}`` block, without its option lines."""
    body = lines[block.start + 1 : block.end]
    while body and re.match(r"^\s*:[\w-]+:", body[0]):
        body = body[1:]
    return "\n".join(body).strip("\n")


def solution_spans(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges (inclusive) of every solution, simple or gated."""
    blocks = fenced_blocks(lines)
    spans = []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        if b.name == "solution":
            spans.append((b.start, b.end))
        elif b.name == "solution-start":
            for k2 in range(k + 1, len(blocks)):
                if blocks[k2].name == "solution-end":
                    spans.append((b.start, blocks[k2].end))
                    k = k2
                    break
                if blocks[k2].name == "solution-start":
                    raise ValueError(f"line {b.start + 1}: solution-start without a solution-end before the next one")
            else:
                raise ValueError(f"line {b.start + 1}: solution-start without a matching solution-end")
        elif b.name == "solution-end":
            raise ValueError(f"line {b.start + 1}: solution-end without a solution-start")
        k += 1
    return spans


def strip_solutions(text: str) -> str:
    """The chapter with every solution removed (and the blank line after it)."""
    lines = text.splitlines(keepends=True)
    drop = set()
    for start, end in solution_spans(lines):
        drop.update(range(start, end + 1))
        if end + 1 < len(lines) and not lines[end + 1].strip():
            drop.add(end + 1)
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def solutions(text: str) -> list[str]:
    """The text of each solution, fences included."""
    lines = text.splitlines(keepends=True)
    return ["".join(lines[s : e + 1]) for s, e in solution_spans(lines)]


# -- what counts as solution text ----------------------------------------------------

_TRANSLATE = {
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
    "\u2014": "-", "\u2013": "-", "\u2026": "...", "\u00a0": " ", "\u2212": "-",
}


def normalise(text: str) -> str:
    """Undo what HTML and Sphinx's smart quotes do to text, and collapse whitespace."""
    text = html.unescape(text)
    for a, b in _TRANSLATE.items():
        text = text.replace(a, b)
    text = text.replace("---", "-").replace("--", "-")
    return re.sub(r"\s+", " ", text).strip()


_OPTION = re.compile(r"^\s*:[\w-]+:")
# Markup that a page renders as something else: maths, code spans, roles,
# links' targets. Prose fragments are the plain runs between them.
_MARKUP = re.compile(
    r"\$\$.*?\$\$|\$[^$]*\$|\{[\w:-]+\}`[^`]*`|``.*?``|`[^`]*`|\]\([^)]*\)|<[^>]+>|\\\(.*?\\\)",
    re.S,
)
_MIN_CODE = 12
_MIN_WORDS = 5
# Chinese puts no spaces between words and ends sentences with full-width
# marks: a run of it counts by its characters instead.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MIN_CJK = 10
_RUN_END = re.compile(r"\x00|(?<=[.;:!?])\s|(?<=[。；：！？])")


def _distinctive(run: str) -> bool:
    """Whether a run of prose is long enough to prove a leak: words, or Chinese characters.

    >>> _distinctive("one two three four five six seven"), _distinctive("short run")
    (True, False)
    >>> _distinctive("交叉熵的梯度是预测减去目标")
    True
    """
    return (len(run.split()) >= _MIN_WORDS and len(run) >= 25) or len(_CJK.findall(run)) >= _MIN_CJK


def fragments(solution: str) -> set[str]:
    """Distinctive pieces of one solution: its code lines and runs of its prose."""
    lines = solution.splitlines()
    blocks = fenced_blocks(lines)
    if len(blocks) == 1 and blocks[0].name == "solution":
        lines = lines[1 : blocks[0].end]  # the body, whose own blocks are nested one level down
        blocks = fenced_blocks(lines)
    code, prose = [], []
    inner = {i: b for b in blocks for i in range(b.start, b.end + 1)}
    for i, line in enumerate(lines):
        b = inner.get(i)
        if _OPTION.match(line) or (b is not None and i in (b.start, b.end)):
            continue  # directive options and fence lines
        if b is None:
            prose.append(line)
        elif b.name in (None, "code-cell", "code-block", "code"):
            code.append(line)
        elif b.name not in ("solution-start", "solution-end"):
            prose.append(line)  # maths and the like: a page shows their TeX as text
    found = set()
    for line in code:
        piece = normalise(line)
        if len(piece) >= _MIN_CODE:
            found.add(piece)
    for paragraph in re.split(r"\n\s*\n", "\n".join(prose)):
        plain = _MARKUP.sub("\x00", paragraph)
        plain = re.sub(r"[*_]{1,3}(?=\w)|(?<=\w)[*_]{1,3}", "", plain)  # emphasis markers
        plain = plain.replace("[", "")
        for run in _RUN_END.split(plain):
            run = normalise(run)
            if _distinctive(run):
                found.add(run)
    return found


_INCLUDE = re.compile(r"^[ \t]*(`{3,}|:{3,})\{literalinclude\}\s+(?P<path>\S+)", re.M)


def public_text(full_chapters: dict[str, str], root: Path = ROOT, lang: str | None = None) -> str:
    """Everything a student copy may show: the stripped chapters and the files they include.

    A chapter that shows library code with ``literalinclude`` puts that file's
    lines on the page, outside any solution. With ``lang``, the chapters are
    the edition's translations.
    """
    parts = [strip_solutions(t) for t in full_chapters.values()]
    if lang is not None:
        parts = [translate_chapter(t, lang, name, root) for name, t in zip(full_chapters, parts)]
    for text in parts[:]:
        for m in _INCLUDE.finditer(text):
            target = (root / "book" / m["path"]).resolve()
            if target.is_file():
                parts.append(target.read_text(encoding="utf-8"))
    return "\n".join(parts)


def solution_fragments(full_chapters: dict[str, str], root: Path = ROOT) -> dict[str, set[str]]:
    """Per chapter, the fragments of its solutions found nowhere in the student text.

    A line such as ``return p`` or ``import numpy as np`` also appears outside
    the solutions, so finding it in a student copy proves nothing; it is left out.
    """
    student_text = normalise(public_text(full_chapters, root))
    out = {}
    for name, text in full_chapters.items():
        out[name] = {f for s in solutions(text) for f in fragments(s) if f not in student_text}
    return out


def edition_solution_fragments(full_chapters: dict[str, str], lang: str, root: Path = ROOT) -> dict[str, set[str]]:
    """Per chapter, what an edition's student copy must not show: English and translated solution text.

    A translated solution is the solution's own blocks looked up in the
    chapter's catalogue (the solutions are in the English pages, so their
    messages are too). Fragments the edition shows outside its solutions,
    such as a code line a stub shares, are left out, as for English.
    """
    english = solution_fragments(full_chapters, root)
    shown = normalise(public_text(full_chapters, root, lang))
    out = {}
    for name, text in full_chapters.items():
        translated = {f for s in solutions(text) for f in fragments(translate_chapter(s, lang, name, root))}
        out[name] = {f for f in english[name] | translated if f not in shown}
    return out


def solution_words(full_chapters: dict[str, str], root: Path = ROOT) -> set[str]:
    """Words of six letters or more that only the solutions use."""
    student = set(re.findall(r"[a-z]{6,}", public_text(full_chapters, root).lower()))
    words = set()
    for text in full_chapters.values():
        for s in solutions(text):
            words |= set(re.findall(r"[a-z]{6,}", " ".join(fragments(s)).lower()))
    return words - student


# -- the chapters ----------------------------------------------------------------------


def toc_files(root: Path = ROOT) -> list[Path]:
    """The chapter files the table of contents lists, in order."""
    paths = [root / f"{name}.md" for name in toc_docnames(root)]
    return [p for p in paths if p.is_file()]


def is_notebook(text: str) -> bool:
    head = text.split("\n---", 1)[0] if text.startswith("---") else ""
    return "kernelspec" in head


def read_chapters(root: Path = ROOT, chapters: list[str] | None = None) -> dict[str, str]:
    """``{file name: full text}`` for every chapter in the table of contents, or the ones named."""
    paths = toc_files(root) if chapters is None else [root / "book" / c for c in chapters]
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


# -- the editions -------------------------------------------------------------------------


def catalogue_path(lang: str, name: str, root: Path = ROOT) -> Path:
    """The catalogue of one chapter (a file name such as ``03_kronecker_delta.md``) in one edition."""
    return root / "locales" / lang / "LC_MESSAGES" / "book" / (Path(name).stem + ".po")


def translate_chapter(text: str, lang: str, name: str, root: Path = ROOT) -> str:
    """A chapter's MyST text (or part of one) in an edition, from the chapter's catalogue.

    Raises ``ValueError`` naming the chapter, the edition and the first
    words of a block of prose that the catalogue does not translate.
    """
    path = catalogue_path(lang, name, root)
    return translate_md.translate(text, _messages(path, path.stat().st_mtime_ns), f"{Path(name).name} ({lang})")


def translate_captions(nb, lang: str, name: str, root: Path = ROOT):
    """The notebook ``nb`` of a chapter, its figures' captions (cell metadata) in the edition's language."""
    path = catalogue_path(lang, name, root)
    return translate_md.translate_captions(nb, _messages(path, path.stat().st_mtime_ns), f"{Path(name).name} ({lang})")


@lru_cache(maxsize=128)
def _messages(path: Path, mtime_ns: int) -> dict[str, str]:
    """A catalogue's translations, read once per version of the file (``verify`` asks for each solution)."""
    return translate_md.read_messages(path)


# -- outputs ------------------------------------------------------------------------------


def student_notebook(text: str):
    """The notebook of a (stripped) chapter: jupytext's conversion, no pairing."""
    import jupytext

    nb = jupytext.reads(text, fmt="md:myst")
    nb.metadata.pop("jupytext", None)  # a notebook in its own right, not a paired copy
    return nb


def edition_notebook(english, translated_text: str, where: str):
    """The edition's notebook: the translated Markdown in the English notebook's cells.

    The translation changes only the Markdown, so the cells line up one to
    one with the English notebook's; the code, the cells' metadata and ids
    and the notebook's metadata are taken from it, so nothing but the prose
    differs. A figure's caption, which is cell metadata, is translated by
    :func:`translate_captions` afterwards.
    """
    nb = student_notebook(translated_text)
    kinds = [c.cell_type for c in nb.cells]
    if kinds != [c.cell_type for c in english.cells]:
        raise ValueError(f"{where}: the translation has other cells than the English notebook")
    for mine, theirs in zip(nb.cells, english.cells):
        if mine.cell_type == "code" and mine.source != theirs.source:
            raise ValueError(f"{where}: the translation changed a code cell: {theirs.source[:60]!r}")
        mine.metadata = copy.deepcopy(theirs.metadata)
        if "id" in theirs:  # the same cell in both languages
            mine["id"] = theirs["id"]
    nb.metadata = copy.deepcopy(english.metadata)
    return nb


# The first cell of each edition's notebook: its verdicts, figures and
# explorers then speak the edition's language (derivations.editions.language).
LANGUAGE_CELL = {
    "es": "# Cuaderno de la edición en español: los veredictos, las figuras y los exploradores, en español.",
    "id": "# Notebook edisi bahasa Indonesia: hasil pemeriksaan, gambar, dan penjelajah berbahasa Indonesia.",
    "zh_CN": "# 中文版笔记本：自检结果、图和交互式探索器都使用中文。",
}


def language_cell(lang: str):
    """The code cell that sets ``DERIVATIONS_LANGUAGE`` to the edition's language."""
    import nbformat

    source = f'{LANGUAGE_CELL[lang]}\nimport os\n\nos.environ["DERIVATIONS_LANGUAGE"] = "{lang}"'
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["edition-language"]})
    cell["id"] = f"edition-language-{lang.lower().replace('_', '-')}"
    return cell


def write_notebooks(
    out: Path = OUT, root: Path = ROOT, chapters: list[str] | None = None, languages: tuple[str, ...] = ()
) -> list[Path]:
    """One .ipynb per notebook chapter, solutions removed, no outputs.

    For each edition in ``languages``, the same notebooks translated, in
    ``out/<lang>/``, made from the English notebook in the same pass so that
    their cells keep its ids, after a first cell that sets the language
    (:func:`language_cell`). Returns the English notebooks, then each
    edition's, chapter by chapter.
    """
    import jupytext

    for folder in (out, *(out / lang for lang in languages)):
        folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in read_chapters(root, chapters).items():
        if not is_notebook(text):
            continue
        stripped = strip_solutions(text)
        english = student_notebook(stripped)
        notebooks = [(out, english)]
        for lang in languages:
            translated = translate_chapter(stripped, lang, name, root)
            nb = translate_captions(edition_notebook(english, translated, f"{name} ({lang})"), lang, name, root)
            nb.cells.insert(0, language_cell(lang))
            notebooks.append((out / lang, nb))
        for folder, nb in notebooks:
            dest = folder / (Path(name).stem + ".ipynb")
            jupytext.write(nb, dest, fmt="ipynb")
            written.append(dest)
    return written


def stage(out: Path = OUT, root: Path = ROOT, chapters: list[str] | None = None, strip: bool = True) -> Path:
    """A copy of the repository to build from: links to everything, stripped chapters.

    ``chapters`` (file names) limits the table of contents, for quick test
    builds; ``strip=False`` keeps the solutions (a control for the leak tests).
    """
    src = out / "source"
    if src.exists():
        shutil.rmtree(src)
    (src / "book").mkdir(parents=True)
    for entry in root.iterdir():
        if entry.name in _NOT_STAGED or (chapters is not None and entry.name == "_toc.yml"):
            continue
        (src / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
    for entry in (root / "book").iterdir():
        dest = src / "book" / entry.name
        if entry.suffix == ".md":
            text = entry.read_text(encoding="utf-8")
            dest.write_text(strip_solutions(text) if strip else text, encoding="utf-8")
        else:
            dest.symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
    if chapters is not None:
        import yaml

        files = [f"book/{Path(c).stem}" for c in chapters]
        toc = {"format": "jb-book", "root": files[0]}
        if files[1:]:
            toc["chapters"] = [{"file": f} for f in files[1:]]
        (src / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return src


def build_site(
    out: Path = OUT,
    root: Path = ROOT,
    chapters: list[str] | None = None,
    strict: bool = True,
    strip: bool = True,
) -> tuple[int, str, Path]:
    """Build the stripped book; returns (exit code, log, html folder).

    The html lands in ``out/site``. ``strict`` fails on any warning, as
    ``make book`` does; a build of a few chapters (``chapters``) has links to
    the missing ones and is run without it.
    """
    src = stage(out, root, chapters, strip)
    work = out / "build"
    jb = Path(sys.executable).with_name("jupyter-book")
    flags = ["-W", "-n", "--keep-going"] if strict else []
    cmd = [str(jb), "build", str(src), *flags, "--all", "--path-output", str(work)]
    run = subprocess.run(cmd, cwd=src, capture_output=True, text=True)
    log = f"$ {' '.join(cmd)}\n{run.stdout}\n{run.stderr}"
    (out / "site-build.log").write_text(log, encoding="utf-8")
    site = out / "site"
    if site.exists():
        shutil.rmtree(site)
    built = work / "_build" / "html"
    if built.is_dir():
        shutil.copytree(built, site)
    return run.returncode, log, site


# -- looking for leaks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Leak:
    where: str
    what: str

    def __str__(self):
        return f"{self.where}: {self.what!r}"


def notebook_text(path: Path) -> str:
    """Every cell's source and every text output of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for value in output.get("data", {}).values():
                parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def page_text(path: Path) -> str:
    """A text file as a reader or a search would see it: tags removed for HTML."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        return notebook_text(path)
    if path.suffix in (".html", ".htm"):
        text = re.sub(r"<[^>]*>", "", text)
    return text


_TEXT_SUFFIXES = {".html", ".htm", ".js", ".json", ".txt", ".ipynb", ".md", ".py", ".xml", ".css", ".map", ""}


def search_terms(site: Path) -> set[str]:
    """The words a built site's search index knows."""
    index = site / "searchindex.js"
    if not index.is_file():
        return set()
    raw = index.read_text(encoding="utf-8")
    data = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    terms = set(data.get("terms", {}))
    terms |= set(data.get("titleterms", {}))
    return terms


def find_leaks(
    full_chapters: dict[str, str],
    notebooks: list[Path] = (),
    site: Path | None = None,
    root: Path = ROOT,
    lang: str | None = None,
) -> list[Leak]:
    """Every place a student output contains text from a solution.

    The search index holds word stems, not sentences. A stem there that
    comes from a word only the solutions use, and that no page of the site
    shows, was indexed from text that was hidden rather than removed.
    With ``lang``, the outputs are an edition's: its notebooks are searched
    for the solutions' English and translated text alike.
    """
    if lang is None:
        found = solution_fragments(full_chapters, root)
    else:
        found = edition_solution_fragments(full_chapters, lang, root)
    pieces = sorted({f for fs in found.values() for f in fs})
    files = list(notebooks)
    if site is not None:
        files += [p for p in sorted(site.rglob("*")) if p.is_file() and p.suffix in _TEXT_SUFFIXES]
    leaks = []
    shown = []
    for path in files:
        text = normalise(page_text(path))
        if path.suffix in (".html", ".htm"):
            shown.append(text)
        for piece in pieces:
            if piece in text:
                leaks.append(Leak(str(path), piece))
    if site is not None:
        sources = site / "_sources"
        if sources.exists():
            leaks.append(Leak(str(sources), "the site publishes its sources (html_copy_source should be false)"))
        from sphinx.search.en import SearchEnglish

        stem = SearchEnglish({}).stem
        visible = {stem(w) for w in re.findall(r"[a-z]+", " ".join(shown).lower())}
        visible |= {stem(w) for w in re.findall(r"[a-z]+", public_text(full_chapters, root).lower())}
        terms = search_terms(site)
        for word in sorted(solution_words(full_chapters, root)):
            if stem(word) not in visible and (word in terms or stem(word) in terms):
                leaks.append(Leak(str(site / "searchindex.js"), f"a word only the solutions use: {word}"))
    return leaks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["all", "notebooks", "site", "verify"])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    out = args.out.resolve()

    if args.what in ("all", "notebooks"):
        try:
            written = write_notebooks(out, languages=tuple(EDITIONS))
        except ValueError as err:  # a stale catalogue: say which block, not a traceback
            print(f"the editions' student notebooks: {err}")
            return 1
        for folder in (out, *(out / lang for lang in EDITIONS)):
            print(f"student notebooks: {sum(p.parent == folder for p in written)} in {folder}")
    if args.what in ("all", "site"):
        code, log, site = build_site(out)
        if code != 0:
            print(log[-6000:])
            print(f"the student site build failed (exit code {code}); full log: {out / 'site-build.log'}")
            return code
        print(f"student site: {site}/index.html")
    if args.what in ("all", "verify"):
        notebooks = sorted(out.glob("*.ipynb"))
        site = out / "site" if (out / "site").is_dir() else None
        if not notebooks and site is None:
            print(f"nothing to verify in {out}: run `tools/student.py all` first")
            return 1
        chapters = read_chapters()
        count = sum(len(f) for f in solution_fragments(chapters).values())
        words = len(solution_words(chapters))
        leaks = find_leaks(chapters, notebooks, site)
        editions = {lang: sorted((out / lang).glob("*.ipynb")) for lang in EDITIONS}
        for lang, paths in editions.items():
            if paths:
                leaks += find_leaks(chapters, paths, lang=lang)
                count += sum(len(f) for f in edition_solution_fragments(chapters, lang).values())
        for leak in leaks[:50]:
            print("LEAK", leak)
        if leaks:
            print(f"{len(leaks)} pieces of solution text found in the student outputs")
            return 1
        searched = ", ".join(f"{len(p)} {lang}" for lang, p in editions.items())
        print(
            f"no solution text in {len(notebooks)} notebooks ({searched} in the editions)"
            + (f" or the site ({site})" if site else "")
            + f": searched for {count} fragments and {words} words from the solutions"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
