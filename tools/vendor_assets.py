"""Copy the front-end files the book serves itself into a built site.

The published book must not fetch anything from another server: MathJax,
require.js, the Jupyter widget manager and anywidget's front end all come
from the site. They are installed by ``npm ci`` from ``package-lock.json``
into ``node_modules/`` (never committed) and copied from there into
``<site>/_vendor/`` at build time, together with ``site/widgets-shim.js``.

They are kept out of the book's ``_static/`` on purpose: Jupyter Book 1.x
links every ``.js``/``.css`` file it finds under ``_static/`` into every page.

Run by the book's Sphinx extension (``tools/book_site.py``) on every HTML
build; it can also be run by hand::

    python tools/vendor_assets.py _build/html
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
SHIM = ROOT / "site" / "widgets-shim.js"

#: Folder of the built site that receives the files.
VENDOR_DIR = "_vendor"

# Files the widget manager's CSS refers to (icon fonts), named by webpack hash.
_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")


@dataclass(frozen=True)
class Asset:
    """One npm package and which of its files the site serves.

    ``copies`` maps a path inside the package to a path inside ``_vendor/``;
    a directory is copied whole.
    """

    package: str
    copies: tuple[tuple[str, str], ...]


ASSETS = (
    Asset(
        "mathjax",
        (
            # TeX input, CommonHTML output, the menu; the rest is loaded on demand
            # (TeX extensions, accessibility) from the folders next to it.
            ("es5/tex-chtml.js", "mathjax/tex-chtml.js"),
            ("es5/input", "mathjax/input"),
            ("es5/output/chtml", "mathjax/output/chtml"),
            ("es5/ui", "mathjax/ui"),
            ("es5/a11y", "mathjax/a11y"),
            ("es5/sre", "mathjax/sre"),
            ("es5/adaptors", "mathjax/adaptors"),
            ("LICENSE", "mathjax/LICENSE"),
        ),
    ),
    Asset("requirejs", (("require.js", "require.js"),)),
    Asset(
        "@jupyter-widgets/html-manager",
        (
            ("dist/embed-amd.js", "html-manager/embed-amd.js"),
            ("dist/embed.js.LICENSE.txt", "html-manager/LICENSE.txt"),
            # the hashed font files are added by _font_copies()
        ),
    ),
    Asset(
        "anywidget",
        (
            ("dist/index.js", "anywidget/index.js"),
            ("LICENSE", "anywidget/LICENSE"),
        ),
    ),
)


class VendorError(RuntimeError):
    """The npm packages are missing or are not the versions the lockfile pins."""


def pinned_versions(root: Path = ROOT) -> dict[str, str]:
    """Versions of the vendored packages as ``package-lock.json`` pins them."""
    lock_path = root / "package-lock.json"
    if not lock_path.is_file():
        raise VendorError(f"{lock_path} is missing; it pins the site's front-end files.")
    packages = json.loads(lock_path.read_text(encoding="utf-8"))["packages"]
    versions = {}
    for asset in ASSETS:
        entry = packages.get(f"node_modules/{asset.package}")
        if entry is None:
            raise VendorError(f"package-lock.json does not pin {asset.package!r}.")
        versions[asset.package] = entry["version"]
    return versions


def check_installed(node_modules: Path = NODE_MODULES, root: Path = ROOT) -> None:
    """Raise VendorError unless node_modules holds exactly the pinned versions."""
    hint = "Run `npm ci` in the repository root (`make book` and `make test` do)."
    for package, version in pinned_versions(root).items():
        manifest = node_modules / package / "package.json"
        if not manifest.is_file():
            raise VendorError(f"npm package {package!r} is not installed in {node_modules}. {hint}")
        installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        if installed != version:
            raise VendorError(
                f"npm package {package!r} is {installed} in {node_modules}, "
                f"but package-lock.json pins {version}. {hint}"
            )


def _font_copies(node_modules: Path) -> list[tuple[Path, str]]:
    dist = node_modules / "@jupyter-widgets/html-manager/dist"
    return [
        (path, f"html-manager/{path.name}")
        for path in sorted(dist.iterdir())
        if path.suffix in _FONT_SUFFIXES
    ]


def planned_copies(node_modules: Path = NODE_MODULES) -> list[tuple[Path, str]]:
    """Every (source, destination inside ``_vendor/``) pair, shim included."""
    pairs = [
        (node_modules / asset.package / src, dest)
        for asset in ASSETS
        for src, dest in asset.copies
    ]
    pairs += _font_copies(node_modules)
    pairs.append((SHIM, "widgets-shim.js"))
    return pairs


def vendor(site_dir: Path, node_modules: Path = NODE_MODULES) -> Path:
    """Copy the front-end files into ``site_dir/_vendor`` and return that folder.

    Files already there and identical in size and age are left alone, so a
    rebuild does not rewrite megabytes of MathJax.
    """
    check_installed(node_modules)
    target = Path(site_dir) / VENDOR_DIR
    for src, dest in planned_copies(node_modules):
        if not src.exists():
            raise VendorError(f"{src} is missing from the npm package; was it installed with `npm ci`?")
        out = target / dest
        if src.is_dir():
            shutil.copytree(src, out, dirs_exist_ok=True, copy_function=_copy_if_changed)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            _copy_if_changed(src, out)
    return target


def _copy_if_changed(src, dest) -> None:
    src, dest = Path(src), Path(dest)
    if dest.exists():
        a, b = src.stat(), dest.stat()
        if a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime):
            return
    shutil.copy2(src, dest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, help="built HTML folder, e.g. _build/html")
    args = parser.parse_args(argv)
    try:
        target = vendor(args.site_dir)
    except VendorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"front-end files copied into {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
