"""The compiled pieces of the package: the softmax VJP and the cross-entropy's rows in C.

Everything else about the package is in pyproject.toml. The sources are
src/derivations/compiled.c and the two headers it includes. Both extensions
are optional: where no C compiler is available (or it does not know a flag)
the install still succeeds, and derivations.compiled falls back to the numpy
kernels (the same results to rounding, slower; see the chapter "What it
costs").

* ``_compiled``: for any processor, with the compiler's default SIMD.
* ``_compiled_v4``: for x86-64 processors with AVX-512 (x86-64-v4), used
  only where the processor has it. Its float32 exp is as fast as numpy's,
  which the default build's (SSE2 only) is not, so only this build's
  cross-entropy is used.
"""

import platform
import sys

from setuptools import Extension, setup

SOURCES = ["src/derivations/compiled.c"]
HEADERS = ["src/derivations/compiled_rows.h", "src/derivations/compiled_ce.h"]
# -O3 without -ffast-math: the compiler vectorises but may not reorder sums,
# so a row's result never depends on the block or thread it ran in.
flags = [] if sys.platform == "win32" else ["-O3", "-fno-math-errno", "-fno-trapping-math"]

extensions = [Extension("derivations._compiled", SOURCES, depends=HEADERS, extra_compile_args=flags, optional=True)]
if sys.platform != "win32" and platform.machine().lower() in ("x86_64", "amd64"):
    extensions.append(
        Extension("derivations._compiled_v4", SOURCES, depends=HEADERS,
                  extra_compile_args=flags + ["-march=x86-64-v4"], optional=True)
    )

setup(ext_modules=extensions)
