"""The book's editions in other languages, kept in sync with gettext.

``make locales`` extracts every page's messages with Sphinx's gettext builder
(through Jupyter Book's custom builder) and updates
``locales/<lang>/LC_MESSAGES/book/<page>.po`` with sphinx-intl. A paragraph
whose English changes comes back fuzzy or untranslated, and
``tests/test_locales.py`` fails until its translation is brought up to date.

``make book`` builds English into ``_build/html`` and each edition into
``_build/html/<lang>/``: one site, the same page names in every language. The
editions reuse the English build's execution cache, so each chapter runs once.

Usage::

    python tools/locales.py extract       # the .pot files, then update the .po files
    python tools/locales.py build es id   # build those editions into _build/html/<lang>/
    python tools/locales.py stats         # msgfmt --statistics for every catalogue
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
LOCALES = ROOT / "locales"
SITE = BUILD / "html"
VENV_BIN = Path(sys.executable).parent

ENGLISH = "en"
# Each edition: its name in its own language, the title of the book, and the
# language Sphinx's search index uses (zh segments words with jieba).
EDITIONS = {
    "es": {"name": "Español", "title": "Softmax, entropía cruzada y el gradiente entre ambas"},
    "id": {"name": "Bahasa Indonesia", "title": "Softmax, entropi silang, dan gradien di antara keduanya"},
    "zh_CN": {"name": "简体中文", "title": "Softmax、交叉熵与二者之间的梯度"},
}
LANGUAGES = (ENGLISH, *EDITIONS)
LANGUAGE_NAMES = {ENGLISH: "English", **{k: v["name"] for k, v in EDITIONS.items()}}
# The <html lang> of each edition (BCP 47, as browsers and screen readers expect).
HTML_LANG = {ENGLISH: "en", "es": "es", "id": "id", "zh_CN": "zh-CN"}
BUILD_FLAGS = ["-W", "-n", "--keep-going"]
# The outputs the gettext builder reads, best first (as the HTML builder's).
GETTEXT_OUTPUTS = ("application/vnd.jupyter.widget-view+json", "text/html", "image/svg+xml", "image/png",
                   "text/markdown", "text/latex", "text/plain")


def edition_dir(lang: str, editions: Path | None = None) -> Path:
    """Where an edition's build lives before it is copied into the site."""
    return (editions or BUILD / "editions") / lang


def write_config(lang: str, editions: Path | None = None, cache: Path | None = None) -> Path:
    """The book's ``_config.yml`` for one edition, written next to its build.

    Only the language, the title and the base URL change. The execution
    cache is the English build's (``cache``), so no chapter runs again.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["language"] = "en" if lang == "gettext" else lang
    if lang == "gettext":
        # myst-nb has no output priorities for gettext: give it the HTML
        # builders', so the catalogues hold what the pages show, and not the
        # Markdown form of a verdict, which the package words in each language.
        sphinx_config["nb_mime_priority_overrides"] = [
            ["gettext", mime, rank] for rank, mime in enumerate(GETTEXT_OUTPUTS, 1)]
    sphinx_config["locale_dirs"] = [str(LOCALES)]
    config["execute"]["cache"] = str(cache or BUILD / ".jupyter_cache")
    if lang in EDITIONS:
        config["title"] = EDITIONS[lang]["title"]
        config["html"]["baseurl"] = config["html"]["baseurl"].rstrip("/") + f"/{lang}/"
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in config["sphinx"]["local_extensions"].items()
    }
    out = edition_dir(lang, editions)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "_config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _jupyter_book(lang: str, *builder: str, strict: bool = True, editions=None, cache=None, capture=False):
    config = write_config(lang, editions, cache)
    cmd = [str(VENV_BIN / "jupyter-book"), "build", str(ROOT), "--config", str(config),
           "--toc", str(ROOT / "_toc.yml"), "--path-output", str(edition_dir(lang, editions)),
           *(BUILD_FLAGS if strict else []), *builder]
    return subprocess.run(cmd, check=not capture, cwd=ROOT, capture_output=capture, text=True)


def extract_pot(editions: Path | None = None, cache: Path | None = None) -> Path:
    """Extract the English pages' messages; returns the folder of .pot files.

    Not strict: the gettext builder cannot resolve the links to other pages'
    .html files that the cells' Markdown output holds (the HTML builds, which
    are strict, resolve them).
    """
    _jupyter_book("gettext", "--builder", "custom", "--custom-builder", "gettext", strict=False,
                  editions=editions, cache=cache)
    return edition_dir("gettext", editions) / "_build" / "gettext"


def extract(languages=tuple(EDITIONS)) -> None:
    """Extract the messages (.pot) and update each language's catalogues (.po).

    A sentence whose numbers alone changed (a timing, a random case's size)
    keeps its translation with the new numbers (:func:`renumber`), rather
    than coming back fuzzy.
    """
    before = {lang: {path: _by_shape(path) for path in catalogues(lang)} for lang in languages}
    pot = extract_pot()
    cmd = [str(VENV_BIN / "sphinx-intl"), "update", "-p", str(pot), "-d", str(LOCALES), "-w", "79"]
    for lang in languages:
        cmd += ["-l", lang]
    subprocess.run(cmd, check=True, cwd=ROOT)
    for lang in languages:
        for path in catalogues(lang):
            carry_numbers_over(path, before[lang].get(path, {}))
            tidy(path)


def _by_shape(path: Path) -> dict[str, tuple[str, str]]:
    return {number_shape(m.id): (m.id, m.string) for m in read_catalogue(path)
            if m.id and m.string and not m.fuzzy}


def carry_numbers_over(path: Path, old: dict[str, tuple[str, str]]) -> int:
    """Translate again each message of ``path`` that differs from one in ``old`` only in its numbers."""
    from babel.messages.pofile import write_po

    catalog, changed = read_catalogue(path), 0
    for message in catalog:
        if not message.id or (message.string and not message.fuzzy):
            continue
        if number_shape(message.id) in old:
            message.string = renumber(*old[number_shape(message.id)], message.id)
            message.flags.discard("fuzzy")
            changed += 1
    if changed:
        with open(path, "wb") as f:
            write_po(f, catalog, width=79)
    return changed


HEADER_FIELDS = {
    "Project-Id-Version": "softmax-gradient",
    "Last-Translator": "The derivations authors",
    "Language-Team": "The derivations authors",
}


# babel marks a message that merely contains "%" or "{" as a format string,
# and msgfmt --check then holds the translation to the same "directives"
# ("97% of" reads as "% o"). No message of the book is a format string.
_FORMAT_FLAGS = re.compile(r"^#,(.*)$", re.M)


def _drop_format_flags(text: str) -> str:
    def keep(m):
        flags = [f.strip() for f in m.group(1).split(",")]
        flags = [f for f in flags if not f.endswith("-format")]
        return "#, " + ", ".join(flags) if flags else "\0"
    return re.sub(r"^\0\n", "", _FORMAT_FLAGS.sub(keep, text), flags=re.M)


def tidy(path: Path) -> None:
    """Tidy one catalogue after sphinx-intl: its header, no format flags, no obsolete messages.

    The header is not a message: its fuzzy flag and placeholder comments
    go, the fields sphinx-intl leaves at placeholders are filled, and the
    revision date follows the template's, so that a catalogue changes only
    when its messages do.
    """
    text = _drop_format_flags(path.read_text(encoding="utf-8"))
    # everything above the header entry is comments (sphinx-intl's placeholders)
    sep = 'msgid ""\nmsgstr ""\n'
    rest = text.partition(sep)[2]
    fields, _, messages = rest.partition("\n\n")
    # a message the English no longer has (sphinx-intl keeps it as "#~"): git remembers it
    blocks = [b for b in messages.split("\n\n") if b.strip()
              and not any(line.startswith("#~") for line in b.splitlines())]
    messages = "\n\n".join(blocks) + "\n"
    created = re.search(r'"POT-Creation-Date: ([^\\]*)\\n"', fields)
    values = dict(HEADER_FIELDS, **({"PO-Revision-Date": created.group(1)} if created else {}))
    for key, value in values.items():
        line = f'"{key}: {value}\\n"'
        fields = re.sub(rf'"{key}: [^\\]*\\n"', lambda _: line, fields)
    path.write_text("# One page of the book, translated; see tools/locales.py.\n" + sep.lstrip("\n")
                    + fields + "\n\n" + messages, encoding="utf-8")


def build(lang: str, site: Path = SITE, editions: Path | None = None, cache: Path | None = None) -> Path:
    """Build one edition strictly and copy it into ``<site>/<lang>/``.

    ``editions`` is where the editions' builds are kept (``_build/editions``)
    and ``cache`` the English build's execution cache.
    """
    run = _jupyter_book(lang, editions=editions, cache=cache, capture=True)
    if run.returncode:
        tail = "\n".join((run.stdout + run.stderr).splitlines()[-80:])
        raise RuntimeError(f"the strict build of the {lang} edition failed:\n{tail}")
    target = site / lang
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(edition_dir(lang, editions) / "_build" / "html", target)
    return target


def build_all(site: Path = SITE, editions: Path | None = None, cache: Path | None = None, jobs: int = 3,
              languages=tuple(EDITIONS)):
    """Build the editions ``languages``, all three at once.

    On two cores that keeps both busy to the end: two at a time left one
    idle while the third edition built alone.
    """
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(lambda lang: build(lang, site, editions, cache), languages))


def catalogues(lang: str) -> list[Path]:
    """Every .po file of one language."""
    return sorted((LOCALES / lang / "LC_MESSAGES").rglob("*.po"))


def statistics(path: Path) -> dict[str, int]:
    """``msgfmt --statistics`` of one catalogue, as counts of each kind."""
    run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True)
    if run.returncode:
        raise ValueError(f"msgfmt rejects {path}: {run.stderr.strip()}")
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", run.stderr.splitlines()[-1]):
        counts[kind] = int(number)
    return counts


# -- what a translation must keep -------------------------------------------

_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
_ROLE = re.compile(r"(?<!`)\{(\w+(?::\w+)?)\}`([^`]*)`")  # not `{role}` quoted as code
_CODE = re.compile(r"(?<![}`])`([^`]+)`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _role_targets(text: str) -> list[tuple[str, str]]:
    """Each role's name and target: ``{ref}`words <label>``` keeps ``label``."""
    out = []
    for name, body in _ROLE.findall(text):
        m = re.search(r"<([^<>]+)>\s*$", body)
        out.append((name, m.group(1) if m else body))
    return sorted(out)


def kept_parts(text: str) -> dict[str, list]:
    """The parts of a message that every translation keeps as they are.

    Maths, code, the targets of cross-references and roles, and link
    addresses: a translation that changes one of them breaks an equation,
    a label or a link.

    >>> kept_parts("See {ref}`the proof <proof>`, $p - t$ and `np.exp`.")["roles"]
    [('ref', 'proof')]
    """
    text = " ".join(text.split())  # a line break in the source is a space
    no_roles = _ROLE.sub(" ", _MATH.sub(" ", text))
    return {
        "maths": sorted(_MATH.findall(text)),
        "roles": _role_targets(_MATH.sub(" ", text)),
        "code": sorted(_CODE.findall(no_roles)),
        "links": sorted(_LINK.findall(no_roles)),
    }


def message_problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation changed that it must keep (see :func:`kept_parts`)."""
    if not msgstr:
        return []
    mine, theirs = kept_parts(msgid), kept_parts(msgstr)
    problems = []
    for kind in mine:
        if mine[kind] != theirs[kind]:
            lost = [x for x in mine[kind] if x not in theirs[kind]]
            added = [x for x in theirs[kind] if x not in mine[kind]]
            problems.append(f"{kind} differ: missing {lost}, not in the English {added}")
    return problems


def glossary(lang: str) -> list[dict]:
    """The edition's glossary: ``locales/<lang>/glossary.yml``."""
    return yaml.safe_load((LOCALES / lang / "glossary.yml").read_text(encoding="utf-8"))["terms"]


def _visible_text(role: re.Match) -> str:
    """A role's own words: ``{ref}`the proof <proof>``` shows "the proof"; ``{ref}`proof``` shows none of its own."""
    m = re.match(r"(.*?)\s*<[^<>]+>\s*$", role.group(2), re.S)
    return f" {m.group(1)} " if m else " "


def _prose(text: str) -> str:
    """The words of a message, without maths, code or labels."""
    words = _CODE.sub(" ", _ROLE.sub(_visible_text, _MATH.sub(" ", text)))
    return re.sub(r"<https?://[^>]+>", " ", _LINK.sub("]", words))


def glossary_misses(lang: str, msgid: str, msgstr: str, terms=None) -> list[str]:
    """The glossary terms whose English is in ``msgid`` but whose translation is not in ``msgstr``.

    A message kept as it is in English (a title, a name) is exempt.
    """
    if not msgstr or msgstr == msgid:
        return []
    english, translated = _prose(msgid), _prose(msgstr).lower()
    misses = []
    for term in terms if terms is not None else glossary(lang):
        if re.search(term["en"], english, re.I) and not any(f.lower() in translated for f in term["forms"]):
            misses.append(f"{term['en']!r} should be one of {term['forms']}")
    return misses


# -- numbers that change from build to build ---------------------------------

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def number_shape(text: str) -> str:
    """A message with its numbers taken out.

    Some of what cells print holds numbers that change from build to build:
    timings, and the sizes of a self-check's random cases. Two messages of
    the same shape are the same sentence, and one translation serves both.

    >>> number_shape("N=4, C=5: took 15.1 ms") == number_shape("N=2, C=7: took 9.8 ms")
    True
    """
    return _NUMBER.sub("#", text)


def renumber(msgid: str, msgstr: str, text: str) -> str:
    """The translation ``msgstr`` of ``msgid``, with the numbers of ``text`` (same shape) put in.

    Each number of ``msgid`` in the translation becomes the number at the
    same place in ``text``; where one value occurs more than once, its
    occurrences are taken in order.

    >>> renumber("N=4, C=5: 15.1 ms", "N=4、C=5：15.1 毫秒", "N=2, C=7: 9.8 ms")
    'N=2、C=7：9.8 毫秒'
    """
    old, new = _NUMBER.findall(msgid), _NUMBER.findall(text)
    if number_shape(msgid) != number_shape(text) or len(old) != len(new):
        raise ValueError("renumber: the text is not the same sentence as the message")
    replacements = {}
    for a, b in zip(old, new):
        replacements.setdefault(a, []).append(b)
    seen = {}

    def swap(m):
        value = m.group(0)
        if value not in replacements:
            return value
        k = seen.get(value, 0)
        seen[value] = k + 1
        choices = replacements[value]
        return choices[min(k, len(choices) - 1)]

    return _NUMBER.sub(swap, msgstr)


def read_catalogue(path: Path):
    """The messages of one .po file (babel's reader)."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return read_po(f)


def check(lang: str, paths=None) -> list[str]:
    """Every problem in one language's catalogues: kept parts and glossary terms."""
    terms = glossary(lang)
    problems = []
    for path in paths or catalogues(lang):
        for message in read_catalogue(Path(path)):
            if not message.id or not message.string:
                continue
            where = f"{Path(path).name}: {message.id[:60]!r}"
            problems += [f"{where}: {p}" for p in message_problems(message.id, message.string)]
            problems += [f"{where}: {p}" for p in glossary_misses(lang, message.id, message.string, terms)]
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract")
    b = sub.add_parser("build")
    b.add_argument("languages", nargs="*", default=list(EDITIONS))
    b.add_argument("--jobs", type=int, default=3)
    sub.add_parser("stats")
    c = sub.add_parser("check")
    c.add_argument("language", choices=list(EDITIONS))
    c.add_argument("paths", nargs="*")
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = check(args.language, args.paths)
        print("\n".join(problems) or "no problems")
        return 1 if problems else 0
    if args.command == "extract":
        extract()
    elif args.command == "build":
        for target in build_all(jobs=args.jobs, languages=args.languages):
            print(f"built {target.relative_to(ROOT)}")
    else:
        for lang in EDITIONS:
            total = {"translated": 0, "fuzzy": 0, "untranslated": 0}
            for path in catalogues(lang):
                for k, v in statistics(path).items():
                    total[k] += v
            print(lang, total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
