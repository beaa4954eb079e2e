"""The one compiled piece of the package: the softmax VJP in C (src/derivations/compiled.c).

Everything else about the package is in pyproject.toml. The extension is
optional: where no C compiler is available the install still succeeds, and
derivations.compiled falls back to the numpy kernel (same results to
rounding, about 10-25% slower; see the chapter "What it costs").
"""

import sys

from setuptools import Extension, setup

# -O3 without -ffast-math: the compiler vectorises but may not reorder sums,
# so a row's result never depends on the block or thread it ran in.
flags = [] if sys.platform == "win32" else ["-O3", "-fno-math-errno", "-fno-trapping-math"]

setup(
    ext_modules=[
        Extension(
            "derivations._compiled",
            ["src/derivations/compiled.c"],
            depends=["src/derivations/compiled_rows.h"],
            extra_compile_args=flags,
            optional=True,
        )
    ]
)
