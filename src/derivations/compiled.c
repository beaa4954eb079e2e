/*
 * The softmax VJP, dz = p * (dp - <p, dp>), one row at a time in one
 * compiled pass: the row's dot product, then dz from the row while it is
 * still in the core's cache. The loops are in compiled_rows.h, included
 * once per float type. The cross-entropy's rows, for float32 logits and
 * integer targets, are in compiled_ce.h. derivations/compiled.py loads this library with
 * ctypes; the book's chapter "What it costs" measures it.
 *
 * Why C at all: numpy can only do this in three passes over each block of
 * rows (the dot products, a subtraction, a multiplication), and every pass
 * over a block costs time even in cache. Here the subtraction and the
 * multiplication are one loop, and the dot product is the only other.
 *
 * Built with plain -O3 (no -ffast-math): the compiler may not reorder the
 * sums, so the result of a row depends only on that row, never on the block
 * or the thread it ran in. The dot product keeps LANES separate partial
 * sums, which the compiler turns into SIMD registers without reordering
 * anything, over chunks of CHUNK entries; each chunk's total is added into
 * a double, so a long row loses no more accuracy than numpy's pairwise sum.
 * NaN and infinities propagate into the row's dot product, which the caller
 * checks.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define CHUNK 1024

#define T float
#define LANES 16
#define ROWS vjp_rows_float32
#define DOT dot_float32
#include "compiled_rows.h"
#undef T
#undef LANES
#undef ROWS
#undef DOT

#define T double
#define LANES 8
#define ROWS vjp_rows_float64
#define DOT dot_float64
#include "compiled_rows.h"

#include "compiled_ce.h"

/* An empty module, so that the library is also an importable extension:
   setuptools builds it (twice, as _compiled and _compiled_v4), and
   importlib finds its file. Only the init function's name differs. */
#ifndef MODULE_NAME
#define MODULE_NAME "_compiled"
#endif

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, MODULE_NAME,
    "The compiled kernels; loaded with ctypes by derivations.compiled.", -1, NULL,
};

PyMODINIT_FUNC PyInit__compiled(void) { return PyModule_Create(&module); }
PyMODINIT_FUNC PyInit__compiled_v4(void) { return PyModule_Create(&module); }
