"""The pages that ``_toc.yml`` lists, in reading order.

Shared by the build tools (student copies, assignments) and by the tests that
check every page of the built site.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_docnames(root: Path = ROOT) -> list[str]:
    """Docnames such as ``book/01_puzzle``: the root page first, no duplicates."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for key, value in node.items():
                if key != "root":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    ordered = []
    for name in names:
        name = re.sub(r"\.(md|ipynb)$", "", name)
        if name not in ordered:
            ordered.append(name)
    return ordered
