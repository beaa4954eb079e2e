"""Learners' own copies of the chapters, as notebooks for JupyterLab.

    python tools/lab.py copies             # what `make lab` runs: lab/NN_slug.ipynb
    python tools/lab.py copies --student   # copies without solutions: lab/student/
    python tools/lab.py copies --fresh     # set edited copies aside, write new ones
    python tools/lab.py copies --language es   # the Spanish edition's copies: lab/es/

The chapters in ``book/`` are MyST sources for the published site. Opened
directly in JupyterLab, jupytext would rewrite them on autosave, and most of
their MyST means nothing outside a Sphinx build. So a learner works on
copies, made here and never written back:

* each chapter becomes one ``.ipynb`` in ``lab/`` (git-ignored);
* an exercise becomes an admonition titled as on the page ("Exercise 7.5");
  a gated one (``{exercise-start}`` ... ``{exercise-end}``) becomes that
  admonition followed by its stub cell, since jupyterlab-myst renders each
  cell on its own;
* a solution becomes a collapsed dropdown whose code is text, never a code
  cell, so Run All cannot run the reference solution between the learner's
  stub and its check; student copies have no solutions at all;
* a hint stays a ``{hint}`` admonition with ``:class: dropdown``, which
  jupyterlab-myst shows closed, between the exercise (and its stub) and the
  solution; student copies keep their hints;
* ``{ref}``, ``{numref}`` and ``{doc}`` become links to the published site
  (or to ``DERIVATIONS_BOOK_URL``, e.g. a local ``make serve``), with the
  text Sphinx would give them: the section's title, "Fig. 7.1";
* ``literalinclude`` becomes the included code;
* setup cells (``remove-cell``) and plotting code (``hide-input``) start
  with their source collapsed, as they are hidden on the page.

A copy the learner has changed (any cell's source differs from what was
last written) is never overwritten; the run says so, and ``--fresh`` sets it
aside under a new name before writing a new copy.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import platform
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from derivations import chapters

try:  # run as a script (tools/ on sys.path) ...
    import student
    from book_toc import toc_docnames
except ImportError:  # ... or imported as tools.lab
    from tools import student
    from tools.book_toc import toc_docnames

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lab"
MANIFEST = ".copies.json"

# Tags whose cells the page hides; in Lab their source starts collapsed.
_HIDE_SOURCE = {"remove-cell", "hide-cell", "remove-input", "hide-input"}
_HIDE_OUTPUT = {"remove-output", "hide-output"}


# -- what labels point at ------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a MyST label points: a page, the text of a link to it, an anchor."""

    chapter: str  # "book/07_fused_vs_separate.md"
    text: str  # what {ref} shows
    numbered: str | None = None  # what {numref} shows ("Fig. 7.1"), if numbered
    anchor: str | None = None

    def url(self, base: str | None = None) -> str:
        return chapters.chapter_url(self.chapter, self.anchor, base)


_LABEL_LINE = re.compile(r"^\((?P<label>[\w:.-]+)\)=\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_OPTION_LINE = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_FIGURE_NAME = re.compile(r"^:\s+name:\s*(?P<name>[\w:.-]+)\s*$")


def chapter_numbers(root: Path = ROOT) -> dict[str, int]:
    """``{"book/01_puzzle": 1, ...}`` for the chapters in numbered parts of the toc."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    numbers, n = {}, 0
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for chapter in part.get("chapters", []):
            n += 1
            numbers[re.sub(r"\.(md|ipynb)$", "", chapter["file"])] = n
    return numbers


def _plain_title(title: str) -> str:
    """A heading as link text: roles reduced to their text."""
    return re.sub(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", title).strip()


def label_index(root: Path = ROOT) -> dict[str, Target]:
    """Every label of the book: sections, exercises, figures and chapter files.

    Numbers follow Sphinx's: figures and exercises count per chapter, in the
    order they appear, prefixed by the chapter's number.
    """
    numbers = chapter_numbers(root)
    index: dict[str, Target] = {}
    # the toc's pages, then any other chapter: a build of a few chapters (the
    # student site's tests) still links to the rest
    docnames = toc_docnames(root)
    docnames += [f"book/{p.stem}" for p in sorted((root / "book").glob("*.md")) if f"book/{p.stem}" not in docnames]
    for docname in docnames:
        path = root / f"{docname}.md"
        if not path.is_file():
            continue
        chapter = f"{docname}.md"
        lines = path.read_text(encoding="utf-8").splitlines()
        n = numbers.get(docname)
        prefix = f"{n}." if n is not None else ""
        title = next((m["title"] for line in lines if (m := _HEADING.match(line)) and m["hashes"] == "#"), docname)
        index[f"/{docname}"] = Target(chapter, _plain_title(title))
        figures = exercises = 0
        blocks = {b.start: b for b in student.fenced_blocks(lines)}
        for i, line in enumerate(lines):
            m = _LABEL_LINE.match(line)
            if m:
                heading = next((h for h in lines[i + 1 : i + 4] if h.strip()), "")
                hm = _HEADING.match(heading)
                text = _plain_title(hm["title"]) if hm else m["label"]
                index[m["label"]] = Target(chapter, text, anchor=m["label"])
                continue
            b = blocks.get(i)
            if b is None:
                continue
            body = lines[b.start + 1 : b.end]
            if b.name in ("exercise", "exercise-start"):
                exercises += 1
                options = (o for o in map(_OPTION_LINE.match, body) if o and o["key"] == "label")
                label = next((o["value"].strip() for o in options), None)
                if label:
                    text = f"Exercise {prefix}{exercises}"
                    index[label] = Target(chapter, text, text, anchor=label)
            elif b.name == "code-cell":
                for option in body:
                    fm = _FIGURE_NAME.match(option.strip())
                    if fm:
                        figures += 1
                        text = f"Fig. {prefix}{figures}"
                        index[fm["name"]] = Target(chapter, text, text, anchor=fm["name"])
                        break
    return index


# -- MyST to what jupyterlab-myst renders on its own ------------------------------------

_INLINE = re.compile(r"(?P<code2>``.+?``)|(?P<role>\{(?P<name>ref|numref|doc)\}`(?P<body>[^`]+)`)|(?P<code1>`[^`]+`)")


def _role_link(name: str, body: str, index: dict[str, Target], chapter: str, base: str | None = None) -> str:
    m = re.match(r"^(?P<text>.*?)\s*<(?P<target>[^>]+)>$", body, re.S)
    text, target = (m["text"], m["target"]) if m else (None, body.strip())
    if name == "doc":
        base = Path(chapter).parent
        key = "/" + (target.lstrip("/") if target.startswith("/") else str((base / target).as_posix()))
        key = re.sub(r"\.(md|ipynb)$", "", key)
    else:
        key = target
    found = index.get(key)
    if found is None:
        raise ValueError(f"{chapter}: {{{name}}}`{body}` points at {target!r}, which no page of the book defines")
    if text is None:
        text = found.numbered if name == "numref" and found.numbered else found.text
    elif name == "numref" and found.numbered:
        number = found.numbered.split(" ", 1)[-1]
        text = text.replace("%s", number).replace("{number}", number)
    return f"[{text}]({found.url(base)})"


def rewrite_roles(line: str, index: dict[str, Target], chapter: str, base: str | None = None) -> str:
    """``{ref}``/``{numref}``/``{doc}`` roles as Markdown links; code spans untouched."""

    def one(m):
        if m["role"] is None:
            return m[0]
        return _role_link(m["name"], m["body"], index, chapter, base)

    return _INLINE.sub(one, line)


def _pyobject(path: Path, name: str) -> str:
    """The source of one top-level function or class (``A.b`` for a method)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    nodes, node = tree.body, None
    for part in name.split("."):
        node = next((n for n in nodes if getattr(n, "name", None) == part), None)
        if node is None:
            raise ValueError(f"literalinclude: {path.name} has no {name}")
        nodes = getattr(node, "body", [])
    lines = source.splitlines()
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    body = lines[start - 1 : node.end_lineno]
    indent = min(len(l) - len(l.lstrip()) for l in body if l.strip())
    return "\n".join(l[indent:] for l in body)


def _include(lines: list[str], block: student.Block, chapter: str, root: Path) -> list[str]:
    m = re.match(r"^\{literalinclude\}\s+(?P<path>\S+)", block.info)
    path = (root / Path(chapter).parent / m["path"]).resolve()
    options = {o["key"]: o["value"].strip() for o in map(_OPTION_LINE.match, lines[block.start + 1 : block.end]) if o}
    if "pyobject" in options:
        code = _pyobject(path, options["pyobject"])
    elif "lines" in options:
        keep = set()
        for piece in options["lines"].split(","):
            a, _, b = piece.partition("-")
            keep.update(range(int(a), int(b or a) + 1))
        code = "\n".join(l for k, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if k in keep)
    else:
        code = path.read_text(encoding="utf-8").rstrip("\n")
    language = options.get("language", "python" if path.suffix == ".py" else "")
    fence = "````" if "```" in code else "```"
    return [f"{fence}{language}", *code.splitlines(), fence]


def _inner_fence(text_lines: list[str]) -> str:
    """A colon fence longer than any colon fence inside."""
    longest = max((len(m[1]) for l in text_lines if (m := re.match(r"^\s*(:{3,})", l))), default=2)
    return ":" * max(3, longest + 1)


def _option_lines(lines: list[str], block: student.Block) -> list[str]:
    return [l.strip() for l in lines[block.start + 1 : block.end] if _OPTION_LINE.match(l)]


def convert(
    text: str, chapter: str, index: dict[str, Target], root: Path = ROOT, keep_solutions: bool = True,
    base: str | None = None,
) -> str:
    """A chapter's MyST, rewritten into MyST that renders cell by cell in JupyterLab.

    ``chapter`` is the file relative to the root (``book/07_fused_vs_separate.md``).
    With ``keep_solutions=False`` every solution is left out (student copies).
    ``base`` is the site that links point at (default: ``chapters.book_url()``).
    """
    if not keep_solutions:
        text = student.strip_solutions(text)
    lines = text.splitlines()
    blocks = student.fenced_blocks(lines)
    out: list[str] = []
    i = 0
    starts = {b.start: n for n, b in enumerate(blocks)}

    def prose(segment: list[str]) -> list[str]:
        """Lines of Markdown between blocks, with roles rewritten (code fences left alone)."""
        return [rewrite_roles(l, index, chapter, base) for l in segment]

    def body_markdown(start: int, stop: int) -> tuple[list[str], list[list[str]]]:
        """Lines ``start..stop-1`` as (Markdown, [code of each code cell])."""
        md, code = [], []
        inner = [b for b in blocks if start <= b.start and b.end < stop]
        j = start
        for b in inner:
            md += prose(lines[j : b.start])
            if b.name == "code-cell":
                code.append(student.cell_source(lines, b).split("\n"))
            elif b.name == "literalinclude":
                md += _include(lines, b, chapter, root)
            else:
                md += _block_markdown(b)
            j = b.end + 1
        md += prose(lines[j:stop])
        return md, code

    def _block_markdown(b: student.Block) -> list[str]:
        if b.name == "literalinclude":
            return _include(lines, b, chapter, root)
        if b.name is None or b.name in ("code-block", "code", "math"):
            return lines[b.start : b.end + 1]
        # Another directive: keep it, with the roles in its body rewritten. Nested
        # code fences in the body are left alone by rewrite_roles' code-span rule
        # only inline; whole fenced lines hold no roles in this book.
        return [lines[b.start]] + prose(lines[b.start + 1 : b.end]) + [lines[b.end]]

    while i < len(lines):
        n = starts.get(i)
        if n is None:
            out.append(rewrite_roles(lines[i], index, chapter, base))
            i += 1
            continue
        b = blocks[n]
        if b.name == "exercise-start":
            end = next(j for j in range(n + 1, len(blocks)) if blocks[j].name == "exercise-end")
            md, code = body_markdown(b.end + 1, blocks[end].start)
            out += _exercise(_option_lines(lines, b), md, index)
            for cell in code:
                out += ["```{code-cell} ipython3", *cell, "```", ""]
            i = blocks[end].end + 1
        elif b.name == "solution-start":
            end = next(j for j in range(n + 1, len(blocks)) if blocks[j].name == "solution-end")
            md, code = body_markdown(b.end + 1, blocks[end].start)
            for cell in code:
                md += ["", "```python", *cell, "```"]
            out += _solution(b.info.split(None, 1)[1] if " " in b.info else "", md, index)
            i = blocks[end].end + 1
        elif b.name == "solution":
            md, _ = body_markdown(b.start + 1, b.end)
            md = [l for l in md if not _OPTION_LINE.match(l)]
            out += _solution(b.info.split(None, 1)[1] if " " in b.info else "", md, index)
            i = b.end + 1
        elif b.name == "exercise":
            md, _ = body_markdown(b.start + 1, b.end)
            options = [l for l in md if _OPTION_LINE.match(l)]
            out += _exercise(options, [l for l in md if not _OPTION_LINE.match(l)], index)
            i = b.end + 1
        elif b.name == "code-cell":
            out += lines[b.start : b.end + 1]
            i = b.end + 1
        else:
            out += _block_markdown(b)
            i = b.end + 1
    return "\n".join(out) + "\n"


def _exercise(options: list[str], md: list[str], index: dict[str, Target]) -> list[str]:
    """An exercise as an admonition titled as on the page ("Exercise 7.5").

    jupyterlab-myst would number an ``{exercise}`` by its place in the
    notebook ("Exercise 4"), not by the chapter's numbering that the page and
    every link to it use.
    """
    label = next((o.split(":", 2)[2].strip() for o in options if o.strip().startswith(":label:")), "")
    target = index.get(label)
    title = target.text if target else "Exercise"
    while md and not md[0].strip():
        md = md[1:]
    fence = _inner_fence(md)
    return [f"{fence}{{admonition}} {title}", ":class: tip", *md, fence, ""]


def _solution(label: str, md: list[str], index: dict[str, Target]) -> list[str]:
    """A solution as a dropdown that starts closed, titled like the page's."""
    label = label.strip()
    target = index.get(label)
    title = f"Solution to {target.text}" if target else "Solution"
    while md and not md[0].strip():
        md = md[1:]
    fence = _inner_fence(md)
    return [f"{fence}{{dropdown}} {title}", *md, fence, ""]


# -- notebooks ---------------------------------------------------------------------------


def notebook(
    text: str, chapter: str, index: dict[str, Target], root: Path = ROOT, keep_solutions: bool = True,
    base: str | None = None, lang: str = "en",
):
    """The learner's notebook for one chapter (an nbformat NotebookNode).

    ``base`` is the English site's address (default: ``chapters.book_url()``).
    An edition's notebook (``lang`` "es", "id" or "zh_CN") has its prose from
    the chapter's catalogue, links into ``<base><lang>/``, and a first cell
    that sets ``DERIVATIONS_LANGUAGE``, so its verdicts, figures and explorers
    speak the edition's language.
    """
    import jupytext

    if lang != "en":
        text = student.translate_chapter(text, lang, Path(chapter).name, root)
        base = f"{base or chapters.book_url()}{lang}/"
    nb = jupytext.reads(convert(text, chapter, index, root, keep_solutions, base), fmt="md:myst")
    if lang != "en":
        student.translate_captions(nb, lang, Path(chapter).name, root)
        nb.cells.insert(0, student.language_cell(lang))
    nb.metadata.pop("jupytext", None)  # a notebook in its own right, not a paired copy
    # What JupyterLab writes once the kernel starts: with anything else, a copy
    # opens marked as modified although the learner changed nothing.
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": platform.python_version(),
    }
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type != "code":
            continue
        if tags & _HIDE_SOURCE:
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        if tags & _HIDE_OUTPUT:
            cell.metadata.setdefault("jupyter", {})["outputs_hidden"] = True
    return nb


def _sources_digest(nb: dict) -> str:
    """What a learner can change: the cells' types and sources, in order."""
    cells = [(c.get("cell_type"), "".join(c.get("source", ""))) for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


@dataclass
class Report:
    written: list[Path]
    unchanged: list[Path]
    kept: list[Path]  # edited by the learner, left alone
    set_aside: list[tuple[Path, Path]]


def write_copies(out: Path = OUT, root: Path = ROOT, student_copy: bool = False, fresh: bool = False,
                 chapters: list[str] | None = None, lang: str = "en") -> Report:
    """Write (or refresh) the learner's copies; never overwrite one the learner has edited.

    With ``lang`` an edition's language, the copies are that edition's
    notebooks (see :func:`notebook`).
    """
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    index = label_index(root)
    report = Report([], [], [], [])
    for name, text in student.read_chapters(root, chapters).items():
        if not student.is_notebook(text):
            continue
        nb = notebook(text, f"book/{name}", index, root, keep_solutions=not student_copy, lang=lang)
        dest = out / (Path(name).stem + ".ipynb")
        new_digest = _sources_digest(nb)
        if dest.is_file():
            current = _sources_digest(json.loads(dest.read_text(encoding="utf-8")))
            if current == new_digest:
                report.unchanged.append(dest)
                manifest[dest.name] = new_digest
                continue
            if current != manifest.get(dest.name):
                if not fresh:
                    report.kept.append(dest)
                    continue
                aside = dest.with_name(f"{dest.stem}.edited-{time.strftime('%Y%m%d-%H%M%S')}.ipynb")
                dest.rename(aside)
                report.set_aside.append((dest, aside))
        nbformat.write(nb, dest)
        manifest[dest.name] = new_digest
        report.written.append(dest)
        # after every copy: a run that stops half way must not leave copies
        # that the next run takes for the learner's edits
        _write_manifest(manifest_path, manifest)
    _write_manifest(manifest_path, manifest)
    return report


def _write_manifest(path: Path, manifest: dict) -> None:
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["copies"])
    parser.add_argument("--student", action="store_true", help="copies without solutions, in <out>/student")
    parser.add_argument("--fresh", action="store_true", help="set edited copies aside and write new ones")
    parser.add_argument("--out", type=Path, default=None, help="folder of the copies (default: lab/)")
    parser.add_argument("--language", default="en", choices=["en", *student.EDITIONS],
                        help="an edition's notebooks, in <out>/<language> (default: English, in <out>)")
    args = parser.parse_args(argv)
    out = (args.out or OUT).resolve()
    if args.language != "en":
        out = out / args.language
    if args.student:
        out = out / "student"
    report = write_copies(out, student_copy=args.student, fresh=args.fresh, lang=args.language)
    where = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"learner copies in {where}/: {len(report.written)} written, {len(report.unchanged)} up to date")
    for old, aside in report.set_aside:
        print(f"  {old.name}: your edited copy is now {aside.name}")
    if report.kept:
        print(f"  kept {len(report.kept)} copies you have edited: " + ", ".join(p.name for p in report.kept))
        print("  for a fresh copy, run `make lab FRESH=1` (your edited one is kept under a new name)")
    print(f"  links point at {chapters.book_url()} (set DERIVATIONS_BOOK_URL to change)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
