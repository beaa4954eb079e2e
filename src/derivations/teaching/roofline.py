"""Measuring kernels against the memory-bandwidth roof, as in :ref:`what-it-costs`.

A kernel that reads its inputs once and writes its output once can go no
faster than copying the same number of bytes. So each kernel is timed
together with ``np.copyto`` of as many bytes as it must move at the least,
in the same run, and reported as a fraction of that copy's speed: a ratio,
which survives a change of machine far better than a time does.

The machine this runs on may be busy with other work. Every timing here is
the *best* of several repetitions, taken in turns (kernel A, kernel B, copy,
A, B, copy, ...) so that a slow moment hurts all of them alike, and the
best repetition is the one least disturbed. The clock is the process's CPU
time (all its threads, system time included), not the wall clock: time
spent waiting while another program has the core is not the kernel's, and
on a shared two-core machine it can be most of the wall time. BLAS is held
to one thread while timing: every kernel here is single-threaded, and idle
BLAS workers that spin after a threaded call would be charged to whatever
kernel runs next.
"""

import time
import tracemalloc

import numpy as np

from derivations.kernels import (
    cross_entropy_readable,
    for_each_block,
    get_threads,
    one_blas_thread,
    release_idle,
    set_threads,
    softmax_vjp_readable,
)
from derivations.losses import cross_entropy_grad, cross_entropy_with_grad
from derivations.softmax import softmax, softmax_backward
from derivations.teaching.figure_text import say
from derivations.validation import as_int


def best_times(kernels, repeats=7, warmup=1, clock=None, inner=2, threads=1):
    """Best time of each kernel, run in turns, by CPU time on one thread.

    Used in :ref:`what-it-costs`.

    Parameters
    ----------
    kernels : dict of str to callable
        Callables with no arguments.
    repeats : int
        Timed rounds; each round runs every kernel once.
    warmup : int
        Untimed rounds first (page faults, caches, lazy imports).
    clock : callable, optional
        Returns seconds. By default the process's CPU time when
        ``threads == 1`` and the wall clock (``time.perf_counter``)
        otherwise: CPU time adds up the time of every thread, which is
        what a parallel kernel saves, not its duration.
    inner : int
        Calls of a kernel in a row within a round, each timed: the first
        may find the caches full of the previous kernel's data, which
        matters for kernels of a few microseconds.
    threads : int or None
        The package's thread count while timing (:func:`~derivations.set_threads`);
        None leaves the current setting.

    Returns
    -------
    dict of str to float, seconds

    Examples
    --------
    >>> t = best_times({"sum": lambda: sum(range(1000))}, repeats=3)
    >>> 0 < t["sum"] < 1
    True
    """
    repeats = as_int(repeats, "repeats", minimum=1)
    best = {name: float("inf") for name in kernels}
    previous = set_threads(threads) if threads is not None else None
    if clock is None:
        clock = time.process_time if get_threads() == 1 else time.perf_counter
    try:
        return _best_times(kernels, repeats, warmup, clock, inner, best)
    finally:
        if threads is not None:
            set_threads(previous)


def _best_times(kernels, repeats, warmup, clock, inner, best):
    with one_blas_thread():
        for _ in range(warmup):
            for fn in kernels.values():
                fn()
        for _ in range(repeats):
            for name, fn in kernels.items():
                for _ in range(inner):
                    start = clock()
                    fn()
                    best[name] = min(best[name], clock() - start)
    return best


#: Bytes per piece of a copy shared out to several threads.
COPY_PIECE = 1 << 22


def copy_kernel(nbytes):
    """A callable that copies ``nbytes // 2`` bytes: ``nbytes`` of memory traffic.

    Used in :ref:`what-it-costs`.

    A copy reads every byte once and writes it once, so its traffic is
    twice its size. This is the roof: the speed of moving bytes with nothing
    else to do. It runs on as many threads as the kernels do when it is
    called (:func:`~derivations.get_threads`): one ``np.copyto`` on one
    thread, pieces of :data:`COPY_PIECE` bytes shared out to the threads
    otherwise, so a kernel is always compared with a copy on as many cores.

    Examples
    --------
    >>> copy = copy_kernel(8_000)
    >>> copy()
    """
    n = max(1, int(nbytes) // 2)
    src = np.ones(n, dtype=np.uint8)
    dst = np.zeros(n, dtype=np.uint8)
    pieces = -(-n // COPY_PIECE)

    def piece(i, _):
        part = slice(i * COPY_PIECE, (i + 1) * COPY_PIECE)
        np.copyto(dst[part], src[part])

    def copy():
        if get_threads() == 1:
            np.copyto(dst, src)
        else:
            for_each_block(piece, pieces, n)

    return copy


def traffic_bytes(kernel, N, C, itemsize):
    """The least memory traffic of ``kernel`` on an (N, C) problem, in bytes.

    Used in :ref:`what-it-costs`.

    * ``"vjp"``: read ``p`` and ``dp``, write ``dz``: ``3 N C`` floats.
    * ``"cross_entropy"`` (with its gradient): read ``z`` and N int64
      targets, write ``dz``: ``2 N C`` floats and ``N`` integers.

    Examples
    --------
    >>> traffic_bytes("vjp", 512, 50257, 4)          # about 309 MB
    308779008
    """
    if kernel == "vjp":
        return 3 * N * C * itemsize
    if kernel == "cross_entropy":
        return 2 * N * C * itemsize + 8 * N
    raise ValueError(f"unknown kernel {kernel!r}; expected 'vjp' or 'cross_entropy'")


def roof_kernels(N, C, dtype=np.float32, seed=0, fresh=False, exp=False, grad=False):
    """The kernels that chapter 12 times against the copy (:data:`ROOF_BARS`), on one set of inputs.

    Used in :ref:`what-it-costs`.

    Random logits ``3 * normal`` of shape (N, C), one integer label per row,
    ``p = softmax(z)`` and a random upstream gradient ``dp``. The readable
    kernels allocate as they go; the fast ones write into a preallocated
    output, as the copy does. With ``fresh=True`` the fast ones are also
    included returning a new array (``*_fresh``), in memory that the
    previous call's dropped result gave back; ``grad=True`` adds
    ``cross_entropy_grad``, which returns a new array too. With ``exp=True``,
    ``cross_entropy_exp`` is ``np.exp(z)`` alone: it moves the bytes of the
    cross-entropy, so it bounds what a kernel built on numpy's ``exp`` can
    reach. Each ``copy_<kind>`` moves the least traffic of kernel ``<kind>``.

    Returns
    -------
    dict of str to callable
    """
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    z = (3 * rng.standard_normal((N, C))).astype(dtype)
    labels = rng.integers(0, C, size=N)
    p = softmax(z)
    dp = rng.standard_normal((N, C)).astype(dtype)
    out = np.empty_like(z)
    kernels = {
        "vjp_readable": lambda: softmax_vjp_readable(p, dp),
        "vjp_fast": lambda: softmax_backward(p, dp, out=out),
        "copy_vjp": copy_kernel(traffic_bytes("vjp", N, C, dtype.itemsize)),
        "cross_entropy_readable": lambda: cross_entropy_readable(z, labels),
        "cross_entropy_fast": lambda: cross_entropy_with_grad(z, labels, out=out),
        "copy_cross_entropy": copy_kernel(traffic_bytes("cross_entropy", N, C, dtype.itemsize)),
    }
    if fresh:
        kernels["vjp_fresh"] = lambda: softmax_backward(p, dp)
        kernels["cross_entropy_fresh"] = lambda: cross_entropy_with_grad(z, labels)
    if grad:
        kernels["cross_entropy_grad"] = lambda: cross_entropy_grad(z, labels)
    if exp:
        # in the kernels' row blocks, shared out to as many threads as they use
        blocks = [slice(i, i + 8) for i in range(0, N, 8)]

        def exp_alone():
            for_each_block(lambda i, _: np.exp(z[blocks[i]], out=out[blocks[i]]), len(blocks), z.size)

        kernels["cross_entropy_exp"] = exp_alone
    return kernels


def fractions(seconds):
    """Each kernel's speed as a fraction of its copy's, from :func:`best_times`.

    Used in :ref:`what-it-costs`.

    A kernel named ``<kind>_<variant>`` is compared with ``copy_<kind>``,
    which moved the same number of bytes: the fraction is
    ``copy time / kernel time``.

    Examples
    --------
    >>> fractions({"vjp_fast": 0.02, "copy_vjp": 0.01})
    {'vjp_fast': 0.5}
    """
    out = {}
    for name, t in seconds.items():
        if not name.startswith("copy_"):
            kind = name.rsplit("_", 1)[0]
            out[name] = seconds["copy_" + kind] / t
    return out


def peak_memory(fn):
    """Peak bytes allocated while ``fn()`` runs, by :mod:`tracemalloc`.

    Used in :ref:`what-it-costs`.

    numpy reports its array buffers to tracemalloc, so this counts every
    array a kernel makes, temporaries and its result included, beyond what
    was allocated before. It is deterministic, unlike a time. The memory of
    dropped results that the package keeps to hand out again
    (:func:`~derivations.kernels.new_array`) is released first: a result
    that reused it would otherwise not count.

    Examples
    --------
    >>> peak_memory(lambda: np.ones(1_000_000)) >= 8_000_000
    True
    """
    release_idle()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if not was_tracing:
            tracemalloc.stop()


# -- words for measured numbers ------------------------------------------------------
#
# :ref:`what-it-costs` measures its kernels while the page is built, and a
# shared machine moves the numbers from one build to the next. Every sentence
# and alt text that describes those measurements is written from them by the
# functions below, so the words cannot disagree with the bars. Each takes
# ``lang`` (English by default) and writes every piece through
# :func:`~derivations.teaching.figure_text.say`, whose Spanish, Indonesian and
# Chinese versions are in :mod:`derivations.teaching.figure_text.ch12`.

#: The bars of the copy-roof figure, in order: (kernel name, label). The
#: labels are English figure texts (``style.say(label)`` draws them).
ROOF_BARS = [
    ("vjp_readable", "softmax backward: readable"),
    ("vjp_fast", "softmax backward: fast, out="),
    ("vjp_fresh", "softmax backward: fast, new array"),
    ("cross_entropy_readable", "cross-entropy + grad: readable"),
    ("cross_entropy_fast", "cross-entropy + grad: fast, out="),
    ("cross_entropy_fresh", "cross-entropy + grad: fast, new array"),
    ("cross_entropy_exp", "np.exp(z) alone"),
]

_FRACTIONS = [
    (1 / 10, "about a tenth"), (1 / 5, "about a fifth"), (1 / 4, "about a quarter"),
    (1 / 3, "about a third"), (2 / 5, "about two fifths"), (1 / 2, "about half"),
    (3 / 5, "about three fifths"), (2 / 3, "about two thirds"), (3 / 4, "about three quarters"),
    (4 / 5, "about four fifths"), (9 / 10, "about nine tenths"),
]


def _sentences(parts, lang):
    """Sentences one after another: a space between them, none in Chinese."""
    return ("" if lang == "zh_CN" else " ").join(parts)


def share_in_words(fraction, lang="en"):
    """A measured fraction of the copy's speed in words, from the nearest familiar fraction.

    Used in :ref:`what-it-costs`.

    Examples
    --------
    >>> share_in_words(0.47), share_in_words(0.54), share_in_words(0.26)
    ('about half', 'about half', 'about a quarter')
    >>> share_in_words(0.05), share_in_words(1.0), share_in_words(1.2)
    ('under a tenth', 'about the speed of the copy', 'faster than the copy')
    >>> share_in_words(0.66, lang="es"), share_in_words(0.05, lang="id"), share_in_words(1.2, lang="zh_CN")
    ('aproximadamente dos tercios', 'kurang dari sepersepuluh', '比复制还快')
    """
    # judge the percentage the page prints beside the words, so that the two
    # always agree (0.549 prints as 55%, and is worded as 55% is)
    fraction = round(float(fraction), 2)
    if fraction < 0.075:
        return say("under a tenth", lang)
    if fraction > 1.05:
        return say("faster than the copy", lang)
    if fraction >= 0.95:
        return say("about the speed of the copy", lang)
    return say(min(_FRACTIONS, key=lambda fw: abs(fw[0] - fraction))[1], lang)


def roof_alt(roof, lang="en"):
    """Alt text for the copy-roof bar chart, from the fractions it draws.

    Used in :ref:`what-it-costs`.

    Examples
    --------
    >>> roof = dict(zip([k for k, _ in ROOF_BARS], [0.47, 0.69, 0.68, 0.08, 0.42, 0.41, 0.54]))
    >>> print(roof_alt(roof))  # doctest: +NORMALIZE_WHITESPACE
    A horizontal bar chart of seven kernels' speeds as fractions of the copy's, with a
    line at 1.0 for the copy itself. Softmax backward: readable 47% (about half), fast
    into an existing array 69% (about two thirds), fast returning a new array 68% (about
    two thirds). Cross-entropy with its gradient: readable 8% (about a tenth), fast into
    an existing array 42% (about two fifths), fast returning a new array 41% (about two
    fifths). np.exp alone over the same bytes: 54% (about half).
    >>> print(roof_alt(roof, lang="zh_CN"))  # doctest: +NORMALIZE_WHITESPACE
    水平条形图，显示七个内核的速度与复制速度之比，并在 1.0 处有一条代表复制本身的竖线。softmax
    反向传播：易读版 47%（约一半），写入已有数组的快速版 69%（约三分之二），返回新数组的快速版
    68%（约三分之二）。交叉熵及其梯度：易读版 8%（约十分之一），写入已有数组的快速版
    42%（约五分之二），返回新数组的快速版 41%（约五分之二）。单独的 np.exp 处理同样的字节：54%（约一半）。
    """
    def bar(name):
        return say("{share:.0%} ({words})", lang, share=roof[name], words=share_in_words(roof[name], lang))

    return say(
        "A horizontal bar chart of seven kernels' speeds as fractions of the copy's, with a line at 1.0 for the copy itself. Softmax backward: readable {vjp_readable}, fast into an existing array {vjp_fast}, fast returning a new array {vjp_fresh}. Cross-entropy with its gradient: readable {ce_readable}, fast into an existing array {ce_fast}, fast returning a new array {ce_fresh}. np.exp alone over the same bytes: {exp}.",  # noqa: E501
        lang,
        vjp_readable=bar("vjp_readable"), vjp_fast=bar("vjp_fast"), vjp_fresh=bar("vjp_fresh"),
        ce_readable=bar("cross_entropy_readable"), ce_fast=bar("cross_entropy_fast"),
        ce_fresh=bar("cross_entropy_fresh"), exp=bar("cross_entropy_exp"),
    )


def roof_paragraph(seconds, N, C, itemsize, lang="en"):
    """What the copy-roof measurement found, as a paragraph of Markdown in ``lang``.

    Used in :ref:`what-it-costs`.

    ``seconds`` is the :func:`best_times` of :func:`roof_kernels` with
    ``fresh=True, exp=True`` on an (N, C) problem of ``itemsize``-byte floats.
    The readable product is compared with the third of the copy's speed that
    counting its passes over main memory allows (three times the least
    traffic); whether it lands below, near or above that bound is read off
    the measurement.

    Examples
    --------
    >>> s = {"copy_vjp": 0.01, "vjp_readable": 0.0213, "vjp_fast": 0.0145, "vjp_fresh": 0.0147,
    ...      "copy_cross_entropy": 0.0067, "cross_entropy_readable": 0.08,
    ...      "cross_entropy_fast": 0.016, "cross_entropy_fresh": 0.0163, "cross_entropy_exp": 0.0124}
    >>> text = roof_paragraph(s, 128, 50257, 4)
    >>> "47% of that speed, about half" in text and "more than the third" in text
    True
    >>> print(roof_paragraph(s, 128, 50257, 4, lang="es"))  # doctest: +NORMALIZE_WHITESPACE
    Al construir esta página, la copia movió 8 GB/s. El producto legible alcanzó el 47% de esa
    velocidad, aproximadamente la mitad: más que el tercio de la velocidad de la copia que
    permitiría el recuento de sus pasadas por la memoria principal (el tercer ejercicio más abajo).
    Parte del tráfico de sus temporales debió de quedarse en la caché del procesador: con 26 MB, un
    arreglo no es mucho mayor que la caché de último nivel de un procesador grande, y el recuento
    supone que cada pasada llega hasta la memoria principal. El producto rápido alcanzó el 69%
    escribiendo en un arreglo existente y el 68% devolviendo uno nuevo; aquí un arreglo nuevo costó
    poco, porque la memoria que había liberado la llamada anterior pudo entregarse de nuevo. La
    entropía cruzada legible alcanzó el 8%; la rápida, el 42% (el 41% con un arreglo nuevo), y
    np.exp por sí solo, el 54%.
    """
    roof = fractions(seconds)
    bandwidth = traffic_bytes("vjp", N, C, itemsize) / seconds["copy_vjp"] / 1e9
    array_mb = N * C * itemsize / 1e6
    readable = roof["vjp_readable"]
    words = share_in_words(readable, lang)
    if readable < 0.30:
        measured = say(
            "The readable product reached {readable:.0%} of that speed, {words}: less than the third of the copy's speed that counting its passes over main memory allows (the third exercise below): its temporaries are also fresh memory, which the operating system provides page by page.",  # noqa: E501
            lang, readable=readable, words=words)
    elif readable <= 0.37:
        measured = say(
            "The readable product reached {readable:.0%} of that speed, {words}: close to the third of the copy's speed that counting its passes over main memory allows (the third exercise below).",  # noqa: E501
            lang, readable=readable, words=words)
    else:
        measured = say(
            "The readable product reached {readable:.0%} of that speed, {words}: more than the third of the copy's speed that counting its passes over main memory would allow (the third exercise below). Part of the traffic of its temporaries must have stayed in the processor's cache: at {array_mb:.0f} MB an array is not much bigger than the last-level cache of a large processor, and the count assumes that every pass goes all the way to main memory.",  # noqa: E501
            lang, readable=readable, words=words, array_mb=array_mb)
    fast, fresh = roof["vjp_fast"], roof["vjp_fresh"]
    if fresh >= 0.9 * fast:
        new_array = say(
            "The fast product reached {fast:.0%} writing into an existing array and {fresh:.0%} returning a new one; a new array cost little here, since memory that the previous call released could be handed out again.",  # noqa: E501
            lang, fast=fast, fresh=fresh)
    else:
        new_array = say(
            "The fast product reached {fast:.0%} writing into an existing array and {fresh:.0%} returning a new one; the new array cost {cost:.0%} of the speed.",  # noqa: E501
            lang, fast=fast, fresh=fresh, cost=1 - fresh / fast)
    return _sentences([
        say("When this page was built, the copy moved {bandwidth:.0f} GB/s.", lang, bandwidth=bandwidth),
        measured,
        new_array,
        say("The readable cross-entropy reached {readable:.0%}, the fast one {fast:.0%} ({fresh:.0%} with a new array), and np.exp alone {exp:.0%}.",  # noqa: E501
            lang, readable=roof["cross_entropy_readable"], fast=roof["cross_entropy_fast"],
            fresh=roof["cross_entropy_fresh"], exp=roof["cross_entropy_exp"]),
    ], lang)


def exp_ceiling(roof, lang="en"):
    """The sentence on numpy's exp as the fused cross-entropy's ceiling, from the measurement, in ``lang``.

    Used in :ref:`what-it-costs`.

    Examples
    --------
    >>> print(exp_ceiling({"cross_entropy_exp": 0.54, "cross_entropy_fast": 0.42}))
    ... # doctest: +NORMALIZE_WHITESPACE
    `exp` itself is the ceiling: numpy's `exp` over the same bytes reached 54% of the
    copy's speed when this page was built, about half, and no kernel that calls it once
    per entry can do better (the compiled loop's own `exp` is about as fast); the fused
    kernel reached 78% of what `exp` alone did.
    >>> print(exp_ceiling({"cross_entropy_exp": 0.54, "cross_entropy_fast": 0.70}, lang="zh_CN"))
    ... # doctest: +NORMALIZE_WHITESPACE
    `exp` 本身就是上限：构建本页时，numpy 的 `exp` 处理同样字节数的速度达到了复制速度的
    54%，约一半，而任何对每个元素调用它一次的内核都不可能做得更好（编译循环自带的 `exp`
    速度大致相同）；融合内核测得的速度是单独的 numpy `exp` 的 1.30 倍，这是它的编译循环凭借自带的
    `exp`（见上文）才做到的。
    """
    exp, fused = roof["cross_entropy_exp"], roof["cross_entropy_fast"]
    words = share_in_words(exp, lang)
    if fused <= 1.05 * exp:
        return say(
            "`exp` itself is the ceiling: numpy's `exp` over the same bytes reached {exp:.0%} of the copy's speed when this page was built, {words}, and no kernel that calls it once per entry can do better (the compiled loop's own `exp` is about as fast); the fused kernel reached {ratio:.0%} of what `exp` alone did.",  # noqa: E501
            lang, exp=exp, words=words, ratio=fused / exp)
    return say(
        "`exp` itself is the ceiling: numpy's `exp` over the same bytes reached {exp:.0%} of the copy's speed when this page was built, {words}, and no kernel that calls it once per entry can do better (the compiled loop's own `exp` is about as fast); the fused kernel measured {ratio:.2f} times numpy's `exp` alone, which its compiled loop, with an `exp` of its own (above), can do.",  # noqa: E501
        lang, exp=exp, words=words, ratio=fused / exp)


def _slope(sizes, times, points=4):
    """Least-squares slope of log(time) against log(size) over the last ``points``."""
    return np.polyfit(np.log(sizes[-points:]), np.log(times[-points:]), 1)[0]


def timing_alt(sizes, seconds, lang="en"):
    """Alt text for the plot of time per row against the number of classes, in ``lang``.

    Used in :ref:`what-it-costs`.

    ``seconds`` maps each route to its times, one per entry of ``sizes`` until
    the route stops; the route names are English figure texts (outside
    English each must have its versions). Slopes are least-squares fits on
    log-log axes over each route's last four points; the vector-Jacobian
    product's floor is the median of its first five times, and its rise
    starts at the first size where it takes twice that.

    Examples
    --------
    >>> sizes = 2 ** np.arange(3, 11)
    >>> t = {"loops": list(1e-6 * sizes[:5] ** 2.0),
    ...      "vector-Jacobian product": list(np.maximum(2e-5, 1e-8 * sizes))}
    >>> print(timing_alt(sizes, t))  # doctest: +NORMALIZE_WHITESPACE
    A log-log plot of seconds per row against the number of classes, from 8 to 1,024.
    The route “loops” stops at 128 classes; over its last points it rises with a slope of
    about 2.0.
    The vector-Jacobian product stays near 20 microseconds up to 1,024 classes.
    >>> t = {"Jacobian by loops": list(1e-6 * sizes[:5] ** 2.0),
    ...      "vector-Jacobian product": list(np.maximum(2e-5, 1e-7 * sizes))}
    >>> print(timing_alt(sizes, t, lang="es"))  # doctest: +NORMALIZE_WHITESPACE
    Un gráfico log-log de los segundos por fila frente al número de clases, de 8 a 1,024. La ruta
    “jacobiana con bucles” se detiene en 128 clases; en sus últimos puntos sube con una pendiente de
    aproximadamente 2.0. El producto vector-jacobiana se mantiene cerca de 20 microsegundos hasta
    256 clases y luego sube, con una pendiente de aproximadamente 0.8 en sus últimos puntos, hasta
    0.1 ms con 1,024 clases.
    """
    sizes = np.asarray(sizes)
    parts = [say("A log-log plot of seconds per row against the number of classes, from {first:,} to {last:,}.",
                 lang, first=sizes[0], last=sizes[-1])]
    vjp = "vector-Jacobian product"
    for name, ts in seconds.items():
        if name == vjp:
            continue
        n = len(ts)
        parts.append(say(
            "The route “{name}” stops at {n:,} classes; over its last points it rises with a slope of about {slope:.1f}.",  # noqa: E501
            lang, name=say(name, lang), n=sizes[n - 1], slope=_slope(sizes[:n], ts)))
    ts = np.asarray(seconds[vjp])
    floor = np.median(ts[:5])
    rising = np.nonzero(ts > 2 * floor)[0]
    if rising.size == 0:
        parts.append(say("The vector-Jacobian product stays near {floor:.0f} microseconds up to {n:,} classes.",
                         lang, floor=floor * 1e6, n=sizes[len(ts) - 1]))
    else:
        k = max(rising[0], 1)
        parts.append(say(
            "The vector-Jacobian product stays near {floor:.0f} microseconds until {k:,} classes and then rises, with a slope of about {slope:.1f} over its last points, to {ms:.1f} ms at {n:,} classes.",  # noqa: E501
            lang, floor=floor * 1e6, k=sizes[k - 1], slope=_slope(sizes[: len(ts)], ts), ms=ts[-1] * 1e3,
            n=sizes[len(ts) - 1]))
    return _sentences(parts, lang)


# --------------------------------------------------------------------------
# The recorded run of ``make bench`` that chapter 12 quotes
# --------------------------------------------------------------------------

#: Where the package keeps the run of ``make bench`` that chapter 12 quotes
#: (``make bench-record`` writes it).
RECORDED_BENCH = "data/bench_results.json"


def recorded_bench():
    """The recorded ``make bench`` results (see :data:`RECORDED_BENCH`).

    Used in :ref:`what-it-costs`.
    """
    import json
    from importlib import resources

    return json.loads(resources.files("derivations").joinpath(RECORDED_BENCH).read_text(encoding="utf-8"))


def _record(results, kernel, dtype, N, C):
    for r in results["records"]:
        if (r["kernel"], r["dtype"], r["N"], r["C"]) == (kernel, dtype, N, C):
            return r
    raise KeyError(f"no {kernel} {dtype} N={N} C={C} in the recorded bench")


def bench_paragraph(results, N=512, C=50_257):
    """What the recorded bench measured at the scale of a language model's output layer, in words.

    Used in :ref:`what-it-costs`.

    Every number comes from ``results`` (the JSON of ``make bench``).

    Examples
    --------
    >>> rec = lambda k, d, f: {"kernel": k, "dtype": d, "N": 2, "C": 3, "fraction": f, "copy_GBps": 30.0}
    >>> res = {"machine": {"cpu": "X", "cores": 2, "python": "3.11", "numpy": "2.4"}, "clock": "t",
    ...        "records": [rec(k, d, f) for d in ("float32", "float64") for k, f in
    ...                    [("vjp_readable", .3), ("vjp_fast", .7), ("vjp_fresh", .5),
    ...                     ("ce_readable", .02), ("ce_fast", .4), ("ce_fresh", .3)]]}
    >>> print(bench_paragraph(res, N=2, C=3))  # doctest: +ELLIPSIS
    At the scale of a language model's output layer, a recorded run of `make bench` measured ...
    """
    m = results["machine"]
    share = {(k, d): _record(results, k, d, N, C)["fraction"]
             for k in ("vjp_readable", "vjp_fast", "vjp_fresh", "ce_readable", "ce_fast", "ce_fresh")
             for d in ("float32", "float64")}
    copy = sorted({round(_record(results, "vjp_fast", d, N, C)["copy_GBps"]) for d in ("float32", "float64")})
    copy_text = f"{copy[0]} GB/s" if len(copy) == 1 else f"{copy[0]} to {copy[-1]} GB/s"
    pct = lambda k, d: f"{share[k, d]:.0%}"  # noqa: E731
    text = (
        "At the scale of a language model's output layer, a recorded run of `make bench` "
        f"measured the following on the machine this book was built on ({m['cpu']}, "
        f"{m['cores']} cores, Python {m['python']}, numpy {m['numpy']}, shared with other "
        f"work); the copy moved {copy_text}. For $N = {N}$ rows of $C = {C:,}$ classes in "
        f"float32, the readable product reached {pct('vjp_readable', 'float32')} of the "
        f"copy's bandwidth, and the fast one {pct('vjp_fast', 'float32')} writing into an "
        f"existing array, {pct('vjp_fresh', 'float32')} returning a new one. The fast "
        f"cross-entropy with its gradient reached {pct('ce_fast', 'float32')} "
        f"({pct('ce_fresh', 'float32')} with a new array), the readable one "
        f"{pct('ce_readable', 'float32')}. In float64 the fast kernels reached "
        f"{pct('vjp_fast', 'float64')} and {pct('ce_fast', 'float64')}, the readable "
        f"cross-entropy {pct('ce_readable', 'float64')}."
    )
    if min(share["ce_readable", d] for d in ("float32", "float64")) < 0.05:
        text += (
            " The readable cross-entropy allocates five fresh arrays of the size of the logits "
            "per call, and the operating system hands out such memory a page at a time, "
            "which is why it falls so far behind at this size."
        )
    return text.replace("$C = 50,257$", "$C = 50{,}257$")


def c_kernel_table(results):
    """The C loops of ``make bench`` as a Markdown table of speed-ups, and a sentence of times.

    Used in :ref:`what-it-costs`.

    Columns: the O(C^2) loop vectorised over scalar (what the "22 times"
    claim compares), the scalar O(C) loop over the vectorised O(C^2) one,
    and the scalar O(C) loop over the scalar O(C^2) one.
    """
    c = results["c_kernels"]
    if "skipped" in c:
        return f"(The recorded run skipped the C kernels: {c['skipped']}.)"
    lines = [
        "| $C$ | O($C^2$), vectorised over scalar | O($C$) scalar over O($C^2$) vectorised "
        "| O($C$) scalar over O($C^2$) scalar |",
        "|---|---|---|---|",
    ]

    def times(x):
        return f"{x:.2g}×" if x < 10 else f"{x:,.0f}×"

    for row in c["rows"]:
        s = row["seconds"]
        q_scalar, q_simd, lin = s["quadratic_factored_scalar"], s["quadratic_factored_simd"], s["linear_scalar"]
        lines.append(f"| {row['C']:,} | {times(q_scalar / q_simd)} | {times(q_simd / lin)} | {times(q_scalar / lin)} |")
    big = c["rows"][-1]
    s = big["seconds"]
    lines += [
        "",
        f"For one row of {big['C']:,} classes the vectorised O($C^2$) loop took "
        f"{s['quadratic_factored_simd']:.2g} s, the scalar O($C$) loop "
        f"{s['linear_scalar'] * 1e6:.0f} µs, and the package's `softmax_backward`, Python overhead "
        f"included, {s['softmax_backward'] * 1e6:.0f} µs (compiled by {c['compiler']}).",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Threads, peers, fresh memory and scaling in the recorded run
# --------------------------------------------------------------------------


def scaling_fit(scaling, kernel):
    """The log-log slope of time against N*C, and where ``kernel`` leaves the cache.

    Used in :ref:`what-it-costs`.

    ``scaling`` is the ``"scaling"`` part of the bench JSON. The slope is a
    least-squares fit of log(time) on log(N*C) over every point. The cache
    point is read off the last-level cache size: ``last_in_cache`` is the
    largest working set (bytes read and written) at most that size,
    ``first_beyond`` the smallest above it, with the time per entry (ns) of
    each.

    Examples
    --------
    >>> pts = [{"NC": n, "seconds": {"vjp_fast": n * (1e-9 if 12 * n <= 2**20 else 2e-9)},
    ...         "working_set": {"vjp_fast": 12 * n}} for n in (2**14, 2**16, 2**18)]
    >>> fit = scaling_fit({"cache_bytes": 2**20, "points": pts}, "vjp_fast")
    >>> round(fit["slope"], 2), fit["ns_in_cache"], fit["ns_beyond"]
    (1.25, 1.0, 2.0)
    """
    pts = scaling["points"]
    nc = np.array([p["NC"] for p in pts], dtype=float)
    t = np.array([p["seconds"][kernel] for p in pts])
    ws = np.array([p["working_set"][kernel] for p in pts])
    slope = float(np.polyfit(np.log(nc), np.log(t), 1)[0])
    cache = scaling["cache_bytes"]
    below, above = np.flatnonzero(ws <= cache), np.flatnonzero(ws > cache)
    fit = {"slope": slope, "cache_bytes": cache}
    if below.size:
        i = below[-1]
        fit.update(last_in_cache=int(ws[i]), ns_in_cache=float(t[i] / nc[i] * 1e9), nc_in_cache=int(nc[i]))
    if above.size:
        j = above[0]
        fit.update(first_beyond=int(ws[j]), ns_beyond=float(t[j] / nc[j] * 1e9), nc_beyond=int(nc[j]))
    return fit


#: The rows of chapter 12's table of threads and peers: (kernel, label).
PEER_ROWS = [
    ("vjp_fast", "softmax backward, out="),
    ("vjp_fresh", "softmax backward, new array"),
    ("vjp_os", "softmax backward, fresh memory every call"),
    ("torch_vjp", "PyTorch `_softmax_backward_data`"),
    ("jax_vjp", "JAX, jitted $p(dp - \\langle p, dp\\rangle)$"),
    ("ce_fast", "cross-entropy + grad, out="),
    ("ce_fresh", "cross-entropy + grad, new array"),
    ("ce_grad", "`cross_entropy_grad`, new array"),
    ("ce_os", "`cross_entropy_grad`, fresh memory every call"),
    ("ce_exp", "`np.exp(z)` alone"),
    ("torch_ce", "PyTorch cross-entropy, forward and backward"),
    ("jax_ce", "JAX `value_and_grad`, jitted"),
]


def peers_table(results):
    """Chapter 12's table: each kernel's share of the copy roof on 1 thread and on all cores.

    Used in :ref:`what-it-costs`.
    """
    t = results["threads"]
    cols = t["rows"]
    head = "| kernel | " + " | ".join(f"{r['threads']} thread{'s' if r['threads'] > 1 else ''}" for r in cols) + " |"
    lines = [head, "|---|" + "---|" * len(cols)]
    for k, label in PEER_ROWS:
        if all(k not in r["fraction"] for r in cols):
            continue
        cells = [f"{r['fraction'][k]:.2f}" if k in r["fraction"] else "–" for r in cols]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: The speed targets of :ref:`what-it-costs`, as shares of a copy on as many
#: threads at N = 512, C = 50,257, float32 (``make bench`` prints them as
#: pass/miss; ``tests/benchmarks/test_bench_targets.py`` asserts the one-thread ones and
#: reports the two-thread ones, not yet met, as an expected failure).
SPEED_TARGETS = {
    1: {"vjp_fast": 0.50, "vjp_fresh": 0.65, "ce_fast": 0.35, "ce_grad": 0.40},
    2: {"vjp_fast": 0.75, "ce_fast": 0.50},
}
_TARGET_NAMES = {
    "vjp_fast": "the product with `out=`", "vjp_fresh": "the product returning a new array",
    "ce_fast": "the fused cross-entropy with `out=`", "ce_grad": "`cross_entropy_grad`",
}


def _share(got, target):
    """``got`` as a percentage, with a decimal when whole percents would round it onto ``target``."""
    if f"{got:.0%}" == f"{target:.0%}" and got != target:
        # rounded down, so that a share just below its target never reads as the target
        return f"{np.floor(got * 1000) / 10:.1f}%"
    return f"{got:.0%}"


def targets_paragraph(results):
    """Which of :data:`SPEED_TARGETS` the recorded run met, and which it missed, in words.

    Used in :ref:`what-it-costs`.

    Examples
    --------
    >>> run = {"threads": {"rows": [
    ...     {"threads": 1, "fraction": {"vjp_fast": 0.7, "vjp_fresh": 0.7, "ce_fast": 0.5, "ce_grad": 0.5}},
    ...     {"threads": 2, "fraction": {"vjp_fast": 0.6, "ce_fast": 0.5}}]}}
    >>> import textwrap
    >>> print(textwrap.fill(targets_paragraph(run), 100))
    In the recorded run every target on one thread was met. On two threads the fused cross-entropy with
    `out=` met its 50% (50%); the product with `out=` missed its 75%, at 60%.
    """
    rows = {r["threads"]: r["fraction"] for r in results["threads"]["rows"]}
    parts = []
    for T, label in ((1, "one thread"), (2, "two threads")):
        if T not in rows:
            continue
        met = [(k, v) for k, v in SPEED_TARGETS[T].items() if rows[T][k] >= v]
        missed = [(k, v) for k, v in SPEED_TARGETS[T].items() if rows[T][k] < v]
        if not missed:
            parts.append(f"every target on {label} was met")
            continue
        bits = [f"{_TARGET_NAMES[k]} met its {v:.0%} ({_share(rows[T][k], v)})" for k, v in met]
        bits += [f"{_TARGET_NAMES[k]} missed its {v:.0%}, at {_share(rows[T][k], v)}" for k, v in missed]
        parts.append(f"On {label} " + "; ".join(bits))
    first, *rest = parts
    out = "In the recorded run " + first + "." if first.startswith("every") else first + "."
    return " ".join([out] + [p[0].upper() + p[1:] + "." for p in rest])


def peers_paragraph(results):
    """What the table of threads and peers shows, in words, from the same numbers.

    Used in :ref:`what-it-costs`.
    """
    t = results["threads"]
    one = t["rows"][0]["fraction"]
    many = t["rows"][-1]
    T, f = many["threads"], many["fraction"]
    s1 = t["rows"][0]["seconds"]
    parts = [
        f"At $N = {t['N']}$, $C = {t['C']:,}$ in float32, on one thread, the product reached "
        f"{one['vjp_fast']:.0%} of the copy's bandwidth with `out=` and {one['vjp_fresh']:.0%} returning "
        f"a new array; with fresh memory from the operating system on every call it reached "
        f"{one['vjp_os']:.0%}. `cross_entropy_grad` reached {one['ce_grad']:.0%} "
        f"({one['ce_os']:.0%} with fresh memory every call), and `np.exp` alone {one['ce_exp']:.0%}."
    ]
    if T > 1:
        parts.append(
            f" On {T} threads, against a copy on {T} threads, the product reached {f['vjp_fast']:.0%} "
            f"and the fused cross-entropy {f['ce_fast']:.0%}; the {T}-thread copy moved "
            f"{s1['copy_vjp'] / many['seconds']['copy_vjp']:.2f} times as fast as the one-thread copy."
        )
    peers = [(k, n) for k, n in (("torch", "PyTorch"), ("jax", "JAX")) if f"{k}_vjp" in one]
    for k, name in peers:
        parts.append(
            f" {name} reached {one[k + '_vjp']:.0%} for the product and {one[k + '_ce']:.0%} for "
            f"cross-entropy forward and backward on one thread"
            + (f", {f[k + '_vjp']:.0%} and {f[k + '_ce']:.0%} on {T}." if T > 1 else ".")
        )
    missing = [note for key, note in t["peers"].items() if "not installed" in note]
    if missing:
        parts.append(" " + "; ".join(missing) + ".")
    return "".join(parts).replace("$C = 50,257$", "$C = 50{,}257$")


def faults_paragraph(results):
    """What a fresh output array cost in the recorded run: page faults and time, in words.

    Used in :ref:`what-it-costs`.
    """
    f = results["page_faults"]
    c = f["cases"]
    fresh, reuse = c["np.empty + fill"], c["fill of an existing array"]
    text = (
        f"Filling a new ({f['N']}, {f['C']:,}) float32 array of {f['bytes'] / 1e6:.0f} MB took "
        f"{fresh['seconds'] * 1e3:.1f} ms of CPU time and {fresh['minor_faults']:,} minor page faults; "
        f"filling an existing one took {reuse['seconds'] * 1e3:.1f} ms and {reuse['minor_faults']:,} faults."
    )
    small = c.get("np.empty + fill, 4 KiB pages")
    if small:
        text += (
            f" Without huge pages (numpy asks the kernel for 2 MiB pages with `madvise`; this machine's "
            f"setting is `{f['transparent_hugepage']}`) the same took {small['seconds'] * 1e3:.1f} ms and "
            f"{small['minor_faults']:,} faults, one per 4 KiB page."
        )
    text += (
        f" `softmax_backward` took {c['softmax_backward, fresh memory']['seconds'] * 1e3:.1f} ms with fresh "
        f"memory ({c['softmax_backward, fresh memory']['minor_faults']:,} faults), "
        f"{c['softmax_backward, memory used again']['seconds'] * 1e3:.1f} ms in memory used again "
        f"({c['softmax_backward, memory used again']['minor_faults']:,}), and "
        f"{c['softmax_backward, out=']['seconds'] * 1e3:.1f} ms with `out=`."
    )
    return text


def linear_paragraph(results):
    """linear_cross_entropy's recorded times and workspace, in words.

    Used in :ref:`what-it-costs`.
    """
    lin = results["linear_cross_entropy"]
    s = lin["seconds"]
    text = (
        f"At $N = {lin['N']}$, $V = {lin['V']:,}$, $d = {lin['d']}$ in float32 on {lin['threads']} "
        f"threads, `linear_cross_entropy` (its default block of {lin['block_bytes'] / 2**20:.0f} MiB) took "
        f"{s['linear_cross_entropy'] * 1e3:.0f} ms and the route through the logits "
        f"{s['through_logits'] * 1e3:.0f} ms"
    )
    if "torch_chunked" in s:
        text += f"; PyTorch's autograd over chunks of rows took {s['torch_chunked'] * 1e3:.0f} ms"
    text += (
        f". Its workspace beyond `dh` and `dW` peaked at {lin['workspace_bytes'] / 2**20:.1f} MiB, "
        f"against {lin['peak_bytes']['through_logits'] / 2**20:.0f} MiB for the route through the logits."
    )
    return text.replace("$V = 32,768$", "$V = 32{,}768$")


def scaling_alt(results, lang="en"):
    """Alt text for the figure of time against N*C, from the recorded numbers, in ``lang``.

    Used in :ref:`what-it-costs`.

    Examples
    --------
    >>> pts = [{"NC": n, "seconds": {k: n * (1e-9 if 12 * n <= 2**20 else 2e-9) for k in ("vjp_fast", "ce_fast")},
    ...         "working_set": {"vjp_fast": 12 * n, "ce_fast": 8 * n}} for n in (2**14, 2**16, 2**18)]
    >>> run = {"scaling": {"C": 2**14, "cache_bytes": 2**20, "points": pts}}
    >>> print(scaling_alt(run, lang="zh_CN"))  # doctest: +NORMALIZE_WHITESPACE
    双对数坐标图：softmax 反向传播和融合交叉熵的秒数与 N·C 的关系，N·C 从 16,384 到 262,144 个元素（C =
    16,384，单线程）。反向传播随 N·C 上升，拟合斜率为 1.25；工作集为 0.8 MiB 时（在 1 MiB
    的末级缓存之内）每个元素耗时 1.00 ns，工作集为 3.0 MiB 时（超出缓存）耗时 2.00 ns。交叉熵随 N·C
    上升，拟合斜率为 1.25；工作集为 0.5 MiB 时（在 1 MiB 的末级缓存之内）每个元素耗时 1.00 ns，工作集为 2.0
    MiB 时（超出缓存）耗时 2.00 ns。
    """
    s = results["scaling"]
    nc = [p["NC"] for p in s["points"]]
    parts = [say(
        "A log-log plot of seconds against N·C, from {first:,} to {last:,} entries (C = {C:,}, one thread), for the softmax backward pass and the fused cross-entropy.",  # noqa: E501
        lang, first=nc[0], last=nc[-1], C=s["C"])]
    for k, name in (("vjp_fast", "The backward pass"), ("ce_fast", "The cross-entropy")):
        fit = scaling_fit(s, k)
        if "ns_in_cache" in fit and "ns_beyond" in fit:
            parts.append(say(
                "{name} rises with a fitted slope of {slope:.2f}; it takes {ns_in:.2f} ns per entry at a working set of {ws_in:.1f} MiB, inside the {cache:.0f} MiB last-level cache, and {ns_out:.2f} ns at {ws_out:.1f} MiB, beyond it.",  # noqa: E501
                lang, name=say(name, lang), slope=fit["slope"],
                ns_in=fit["ns_in_cache"], ws_in=fit["last_in_cache"] / 2**20, cache=s["cache_bytes"] / 2**20,
                ns_out=fit["ns_beyond"], ws_out=fit["first_beyond"] / 2**20))
        else:
            parts.append(say("{name} rises with a fitted slope of {slope:.2f}.", lang,
                             name=say(name, lang), slope=fit["slope"]))
    return _sentences(parts, lang)


def live_measurement(text):
    """Show a paragraph whose very words follow this build's measurements, in every edition's language.

    Used in :ref:`what-it-costs`. No catalogue can hold a sentence that says
    "about half" in one build and "about two thirds" in the next, so the
    package writes it: ``text`` is a function of the language,
    ``text(lang) -> str`` (or a string, English in every edition). In a
    notebook (one language, :func:`derivations.editions.languages`) the
    paragraph is plain Markdown in that language. When the book is built
    (``DERIVATIONS_EVERY_LANGUAGE=1``) it is one MyST div per language, of
    classes ``edition-text lang-<lang> live-measurement``
    (:func:`derivations.editions.markdown_in_languages`): each edition keeps
    its own, and the catalogues leave ``live-measurement`` divs out
    (``tools/book_editions.py``).

    Returns
    -------
    IPython.display.Markdown

    Examples
    --------
    >>> import os
    >>> every = os.environ.pop("DERIVATIONS_EVERY_LANGUAGE", None)
    >>> live_measurement("The copy moved 15 GB/s.").data
    'The copy moved 15 GB/s.'
    >>> live_measurement(lambda lang: share_in_words(0.5, lang=lang)).data
    'about half'
    >>> os.environ["DERIVATIONS_EVERY_LANGUAGE"] = "1"
    >>> print(live_measurement(lambda lang: share_in_words(0.5, lang=lang)).data)
    :::{div} edition-text lang-en live-measurement
    about half
    :::
    <BLANKLINE>
    :::{div} edition-text lang-es live-measurement
    aproximadamente la mitad
    :::
    <BLANKLINE>
    :::{div} edition-text lang-id live-measurement
    sekitar separuh
    :::
    <BLANKLINE>
    :::{div} edition-text lang-zh-cn live-measurement
    约一半
    :::
    >>> live_measurement("The copy moved 15 GB/s.").data
    ':::{div} live-measurement\\nThe copy moved 15 GB/s.\\n:::'
    >>> _ = os.environ.pop("DERIVATIONS_EVERY_LANGUAGE") if every is None else os.environ.update(
    ...     DERIVATIONS_EVERY_LANGUAGE=every)
    """
    from IPython.display import Markdown

    from derivations import editions

    langs = editions.languages(editions.language())
    if isinstance(text, str):  # English in every edition
        return Markdown(text if len(langs) == 1 else f":::{{div}} live-measurement\n{text}\n:::")
    return Markdown(editions.markdown_in_languages({lang: text(lang) for lang in langs}, "live-measurement"))
