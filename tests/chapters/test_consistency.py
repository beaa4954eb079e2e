"""Claims that chapters make in two places, or in prose and in a measurement, agree.

Each test here covers one contradiction found in a read of the book: prose
against a figure measured while the page is built, a solution against the
statement it solves, a count against the list it counts, a cross-reference
against the section it points at, and internal file names that leaked into
the prose. Where a claim is about numbers, the numbers are recomputed here
(finite differences, closed forms, brute force, a fresh measurement) rather
than read back from the chapter.

Tests that read the built site use the ``built_site`` fixture
(tests/conftest.py): set ``DERIVATIONS_SITE`` to an existing build to reuse it.
"""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from bs4 import BeautifulSoup

from derivations import cross_entropy_grad, relative_error, softmax, softmax_backward
from derivations.coursework.catalogue import MISTAKES, wrong_implementations
from derivations.teaching.jacobians import elementwise_delta, jvp_batched
from derivations.teaching.nodes import mse_loss_grad
from derivations.teaching.roofline import (
    ROOF_BARS,
    best_times,
    exp_ceiling,
    fractions,
    peak_memory,
    roof_alt,
    roof_kernels,
    roof_paragraph,
    share_in_words,
    timing_alt,
)
from tools.book_toc import toc_docnames

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"


def chapter(name: str) -> str:
    return (BOOK / name).read_text(encoding="utf-8")


_CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```\s*$", re.S | re.M)


def prose(name: str) -> str:
    """A chapter without its code cells, whitespace collapsed."""
    return re.sub(r"\s+", " ", _CODE_CELL.sub(" ", chapter(name)))


def code_cells(name: str) -> list[str]:
    return [m.group(0) for m in _CODE_CELL.finditer(chapter(name))]


def percentages(text: str) -> list[float]:
    return [float(x) / 100 for x in re.findall(r"(\d+)%", text)]


def _soup(site: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


# --- chapter 12: words written from the measurement ----------------------------------


@pytest.mark.parametrize(
    "fraction, words",
    [
        (0.47, "about half"), (0.54, "about half"), (0.26, "about a quarter"),
        (0.66, "about two thirds"), (0.34, "about a third"), (0.05, "under a tenth"),
        (0.99, "about the speed of the copy"), (1.3, "faster than the copy"),
    ],
)
def test_share_in_words_names_the_nearest_fraction(fraction, words):
    assert share_in_words(fraction) == words


def _seconds(readable, fast, fresh, ce_readable, ce_fast, ce_fresh, exp):
    """best_times-shaped seconds that give these fractions of the copy."""
    s = {"copy_vjp": 0.01, "copy_cross_entropy": 0.0067}
    for name, f in [("vjp_readable", readable), ("vjp_fast", fast), ("vjp_fresh", fresh)]:
        s[name] = s["copy_vjp"] / f
    for name, f in [("cross_entropy_readable", ce_readable), ("cross_entropy_fast", ce_fast),
                    ("cross_entropy_fresh", ce_fresh), ("cross_entropy_exp", exp)]:
        s[name] = s["copy_cross_entropy"] / f
    return s


@pytest.mark.parametrize(
    "measured",
    [
        (0.47, 0.69, 0.68, 0.08, 0.42, 0.41, 0.54),  # the measurement the old prose contradicted
        (0.26, 0.72, 0.50, 0.01, 0.44, 0.31, 0.66),  # the shape of the make-bench runs
        (0.34, 0.60, 0.59, 0.15, 0.30, 0.29, 0.35),
    ],
)
def test_roof_text_quotes_the_measured_fractions(measured):
    seconds = _seconds(*measured)
    roof = fractions(seconds)
    alt, paragraph = roof_alt(roof), roof_paragraph(seconds, 128, 50257, 4)
    # every bar, in order, at its measured value and in the right words
    assert percentages(alt) == pytest.approx([round(roof[k], 2) for k, _ in ROOF_BARS], abs=0.006)
    for name, _ in ROOF_BARS:
        assert share_in_words(roof[name]) in alt
    readable = measured[0]
    assert f"readable product reached {readable:.0%} of that speed, {share_in_words(readable)}" in paragraph
    # the comparison with the third that counting passes allows follows the number
    if readable < 0.30:
        assert "less than the third" in paragraph
    elif readable <= 0.37:
        assert "close to the third" in paragraph
    else:
        assert "more than the third" in paragraph
    # a new array: "cost little" only when it did
    assert ("cost little" in paragraph) == (measured[2] >= 0.9 * measured[1])
    copy_gbs = 3 * 128 * 50257 * 4 / seconds["copy_vjp"] / 1e9
    assert f"the copy moved {copy_gbs:.0f} GB/s" in paragraph
    ceiling = exp_ceiling(roof)
    assert f"reached {measured[6]:.0%} of the copy's speed" in ceiling
    assert f"{measured[4] / measured[6]:.0%} of what `exp` alone did" in ceiling


def test_roof_text_agrees_with_a_fresh_measurement():
    """The measurement the chapter draws, made here: text and numbers from one run."""
    seconds = best_times(roof_kernels(128, 50257, np.float32, fresh=True, exp=True), repeats=2)
    roof = fractions(seconds)
    assert set(roof) == {k for k, _ in ROOF_BARS}
    alt = roof_alt(roof)
    assert percentages(alt) == pytest.approx([round(roof[k], 2) for k, _ in ROOF_BARS], abs=0.006)
    assert f"{roof['vjp_readable']:.0%}" in roof_paragraph(seconds, 128, 50257, 4)


def test_timing_alt_reports_the_measured_floor_and_where_the_product_rises():
    sizes = 2 ** np.arange(3, 21)
    floor = 23e-6
    vjp = list(np.maximum(floor, floor * sizes / 8192))  # flat until 8192, then slope 1
    loops = list(1e-9 * sizes[:5] ** 2)
    text = timing_alt(sizes, {"Jacobian by loops": loops, "vector-Jacobian product": vjp})
    assert "stays near 23 microseconds until 16,384 classes" in text
    assert "stops at 128 classes" in text
    assert text.count("slope of about 2.0") == 1 and "slope of about 1.0" in text


def test_chapter_12_figures_take_their_alt_text_from_the_cell():
    cells = code_cells("12_cost.md")
    figure_cells = [c for c in cells if ":  figure:" in c]
    names = {re.search(r":    name: (\S+)", c).group(1) for c in figure_cells}
    assert names == {"fig-cost-time", "fig-cost-memory", "fig-cost-roof", "fig-cost-scaling", "fig-cost-vocab"}
    for cell in figure_cells:
        assert ":    alt:" not in cell, "fixed alt text can contradict what the cell measures"
        # drawn for both themes and for phones, with the alt text written from the data
        assert "show_figure(draw, " in cell
    roof_cell = next(c for c in figure_cells if "fig-cost-roof" in c)
    assert "roof_alt(roof, lang=lang)" in roof_cell


def test_chapter_12_prose_quotes_no_figure_measurement_by_hand():
    text = prose("12_cost.md")
    for phrase in ("about a quarter", "about two thirds", "at most a third", "(about a quarter)",
                   "too big for the processor's caches", "two to five times", "as in the figure above"):
        assert phrase not in text, phrase
    # sentences that refer to the figures carry no hand-written percentages
    for sentence in re.split(r"(?<=[.;])\s", text):
        for ref in ("figure above", "fig-cost-roof"):
            if ref in sentence:
                tail = sentence[sentence.index(ref):]
                assert not re.search(r"\d+\s?%", tail), sentence


def test_batched_jacobian_peak_is_two_arrays():
    # ex-what-it-costs-2 asks why twice and not three times: the measured premise
    rng = np.random.default_rng(12)
    for C in (64, 128):
        P = softmax(rng.normal(size=(64, C))).astype(np.float32)
        dP = rng.normal(size=(64, C)).astype(np.float32)
        ratio = peak_memory(lambda: jvp_batched(P, dP)) / (64 * C * C * 4)
        assert 1.9 < ratio < 2.2


def test_chapter_12_exercise_arithmetic():
    C, N = 50257, 512
    # ex-what-it-costs-1
    assert 2 * C / 3 == pytest.approx(33_500, rel=0.001)
    assert N * 2 * C**2 == pytest.approx(2.6e12, rel=0.02)
    assert N * 2 * C**2 / 1e10 == pytest.approx(260, rel=0.02)
    assert N * 3 * C == pytest.approx(7.7e7, rel=0.01)
    # ex-what-it-costs-3, and the memory time that ex-1 now quotes
    least = 3 * N * C * 4
    assert least == pytest.approx(309e6, rel=0.001)
    assert least / 37e9 == pytest.approx(8.3e-3, rel=0.01)
    assert 3 * least / 37e9 == pytest.approx(25e-3, rel=0.01)
    # ex-what-it-costs-2 and the figure of the batched Jacobian's memory
    assert math.sqrt(24 * 2**30 / 2048) == pytest.approx(3547, abs=1)
    assert N * C**2 * 4 / 2**40 == pytest.approx(4.7, abs=0.05)
    solution = prose("12_cost.md")
    assert "at a few milliseconds" not in solution
    assert "about 8 ms at a copy bandwidth of 37 GB/s" in solution


def test_chapter_12_speed_targets_match_the_speed_test():
    speed_test = ROOT / "tests" / "benchmarks" / "test_bench_targets.py"
    spec = importlib.util.spec_from_file_location("bench_targets", speed_test)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    text = prose("12_cost.md")
    one, two = bench.ONE_THREAD_TARGETS, bench.TWO_THREAD_TARGETS
    vjp, ce = one["vjp_fast"], one["cross_entropy_fast"]
    assert f"fast product to at least {vjp:.0%} of the copy" in text
    assert f"cross-entropy to at least {ce:.0%}" in text
    assert f"to {bench.EXP_SHARE:.0%} of what `np.exp` reaches in the same run" in text
    # the exp-share target applies exactly where min(ce, share * exp) < ce
    assert f"cannot reach {ce / bench.EXP_SHARE:.0%}" in text
    flat = " ".join(text.split())
    assert f"product to {one['vjp_fresh']:.0%} and `cross_entropy_grad` to {one['cross_entropy_grad']:.0%}" in flat
    assert (f"the targets are {two['vjp_fast']:.0%} for the product and {two['cross_entropy_fast']:.0%} "
            "for the fused cross-entropy") in flat
    assert f"at least {bench.MIN_SPEEDUP:g} times as fast as one" in flat


def test_chapter_12_roof_figure_and_paragraph_agree_on_the_site(built_site):
    soup = _soup(built_site, "book/12_cost")
    figure = soup.find(id="fig-cost-roof")
    assert figure is not None
    alt = figure.find("img")["alt"]
    bars = percentages(alt)
    assert len(bars) == len(ROOF_BARS)
    paragraph = next(p.get_text(" ") for p in soup.find_all("p") if "When this page was built" in p.get_text())
    readable = re.search(r"readable product reached (\d+)%", paragraph).group(1)
    assert float(readable) / 100 == bars[0]
    assert share_in_words(bars[0]) in paragraph
    for img in soup.select("article img"):
        assert img.get("alt", "").strip(), "every figure has alt text"


# --- chapter 10: where the shortcut p - t leads ----------------------------------------


def _descend(grad, z, steps=20000, lr=0.5):
    for _ in range(steps):
        z = z - lr * grad(z)
    return softmax(z)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shortcut_settles_at_t_plus_constant_not_t_over_tau(seed):
    rng = np.random.default_rng(seed)
    C = 4
    t = rng.uniform(0.6, 1.0, C)  # tau = 2.4 to 4, and t + (1 - tau)/C stays positive
    t *= 2.0 / t.sum()  # tau = 2, as in ex-beyond-one-hot-1
    z = rng.normal(size=C)
    shortcut = _descend(lambda v: softmax(v) - t, z)
    expected = t + (1 - t.sum()) / C  # = t - 1/C for tau = 2
    assert np.allclose(shortcut, expected, atol=1e-6)
    assert np.allclose(expected, t - 1 / C)
    true = _descend(lambda v: cross_entropy_grad(v, t), z)
    assert np.allclose(true, t / t.sum(), atol=1e-6)
    assert not np.allclose(shortcut, t / t.sum(), atol=1e-2)


def test_shortcut_on_the_chapters_votes_goes_to_the_edge():
    t = np.array([2.0, 1.0, 0.0])
    z = np.random.default_rng(10).standard_normal(3)
    shortcut = _descend(lambda v: softmax(v) - t, z)
    assert np.allclose(shortcut, [1.0, 0.0, 0.0], atol=1e-3)
    assert np.allclose(t + (1 - t.sum()) / 3, [4 / 3, 1 / 3, -2 / 3])
    text = prose("10_beyond_one_hot.md")
    assert "toward $p = t$" not in text
    assert "$(4/3, 1/3, -2/3)$" in text
    assert "$t - \\tfrac1C \\mathbf 1$ (a vector that sums to 1), not toward $t/\\tau$" in text


def test_chapter_10_computes_the_per_example_losses_once():
    source = chapter("10_beyond_one_hot.md")
    assert source.count("ell = -np.log(softmax(Z)[np.arange(N), y])") == 1


# --- chapter 6: the two-class error of the elementwise backward ---------------------------


def _two_class_error(z, t):
    p = softmax(z)
    dp = mse_loss_grad(p, t)
    return relative_error(elementwise_delta(z) * dp, softmax_backward(p, dp))


def test_two_class_error_is_half_exactly_when_the_target_sums_to_one():
    rng = np.random.default_rng(64)
    for _ in range(100):
        z = rng.normal(scale=4.0, size=(1, 2))
        a = rng.uniform()
        # to rounding: p1 + p2 and t1 + t2 are 1 only to the last bit
        assert _two_class_error(z, np.array([[a, 1 - a]])) == pytest.approx(0.5, abs=1e-6)
    off = []
    for _ in range(100):
        z = rng.normal(scale=4.0, size=(1, 2))
        t = rng.uniform(size=(1, 2))
        t *= rng.choice([0.3, 1.7, 2.5]) / t.sum()
        off.append(_two_class_error(z, t))
    assert np.mean(np.abs(np.array(off) - 0.5) > 1e-3) > 0.9
    assert "With two classes and a target that sums to 1" in prose("06_backward_any_loss.md")


# --- chapter 7, exercise 2: steepest descent that keeps t a distribution --------------------


def test_label_gradient_step_keeps_the_target_non_negative():
    p = np.array([0.7, 0.2, 0.1])
    g = -np.log(p)
    assert np.allclose(g, [0.357, 1.609, 2.303], atol=5e-4)
    assert g.mean() == pytest.approx(1.423, abs=5e-4)
    plane = -(g - g.mean())
    assert np.allclose(plane, [1.066, -0.187, -0.880], atol=5e-4)
    assert plane[1] < 0  # the sum-zero step alone would take t_2 = 0 below zero
    # brute force over unit directions with d1, d2 >= 0 and d3 = -(d1 + d2)
    angles = np.linspace(0, np.pi / 2, 20001)
    d12 = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    d = np.column_stack([d12, -d12.sum(axis=1)])
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    rates = d @ g
    best = d[rates.argmin()]
    assert np.allclose(best, np.array([1, 0, -1]) / np.sqrt(2), atol=1e-4)
    assert -rates.min() == pytest.approx(1.376, abs=5e-4)
    text = prose("07_fused_vs_separate.md")
    assert "none below zero" in text
    assert "$d = (1, 0, -1)/\\sqrt 2$" in text and "1.376" in text


# --- the introduction's count ------------------------------------------------------------


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def test_introduction_counts_the_derivations_it_lists():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "The derivation")
    files = [c["file"] for c in part["chapters"]]
    derivations = [f for f in files if not f.endswith("01_puzzle")]  # the puzzle derives it wrongly
    text = prose("00_introduction.md")
    m = re.search(r"derives the gradient (\w+) ways, following the classic explanations: (.*?)\. ", text)
    assert m, "the sentence that counts the derivations"
    listed = re.split(r", and |, ", m.group(2))
    assert _NUMBERS[m.group(1)] == len(listed) == len(derivations) == 4
    assert "five ways" not in text


# --- chapter 9 -------------------------------------------------------------------------------


def test_a_central_difference_straddles_a_kink_with_probability_two_eps_times_density():
    rng = np.random.default_rng(91)
    h = rng.standard_normal(2_000_000)
    relu = lambda x: np.maximum(x, 0.0)
    for eps in (1e-3, 1e-2):
        central = (relu(h + eps) - relu(h - eps)) / (2 * eps)
        share = np.mean(np.abs(central - (h > 0)) > 1e-6)
        density = 1 / np.sqrt(2 * np.pi)
        assert share == pytest.approx(2 * eps * density, rel=0.1)
    assert "about $2\\varepsilon$ times the density" in prose("09_gradient_checking.md")


def test_gradient_check_catalogue_names_each_wrong_implementation_apart():
    labels = [f"{w.mistake}: {w.fn.__doc__.split(':')[0].rstrip('.')}"
              for w in wrong_implementations("cross_entropy_grad")]
    assert len(labels) == len(set(labels))
    flips = [w for w in wrong_implementations("cross_entropy_grad") if w.mistake == "sign-flip"]
    assert len(flips) == 2  # the prose explains why sign-flip is listed twice
    assert "is listed twice because the catalogue holds two ways" in prose("09_gradient_checking.md")
    # and they differ exactly when the targets do not sum to 1
    z = np.random.default_rng(3).normal(size=(4, 5))
    onehot = np.eye(5)[[0, 1, 2, 3]]
    soft = np.random.default_rng(4).uniform(size=(4, 5))
    assert np.allclose(flips[0].fn(z, onehot), flips[1].fn(z, onehot))
    assert not np.allclose(flips[0].fn(z, soft), flips[1].fn(z, soft))


def test_gradient_check_figure_takes_its_alt_text_from_the_data():
    cell = next(c for c in code_cells("09_gradient_checking.md") if "fig-gradcheck-v" in c)
    assert ":    alt:" not in cell and "show_figure(draw, (" in cell


def test_gradient_check_figure_alt_matches_the_printed_minima(built_site):
    soup = _soup(built_site, "book/09_gradient_checking")
    alt = soup.find(id="fig-gradcheck-v").find("img")["alt"]
    printed = re.sub(r"\s+", " ", soup.get_text(" "))
    for dtype in ("float64", "float32"):
        block = re.search(dtype + r": central best at eps = (\S+) .*? error (\S+) "
                          r"forward best at eps = (\S+) .*? error (\S+)", printed)
        assert block, dtype
        c_eps, c_err, f_eps, f_err = block.groups()
        assert f"about {c_err} near eps = {c_eps}" in alt
        assert f"about {f_err} near eps = {f_eps}" in alt


# --- cross-references ------------------------------------------------------------------------


def section_text(chapter_file: str, label: str) -> str:
    """From ``(label)=`` to the next heading of the same or a higher level, code included."""
    lines = (ROOT / chapter_file).read_text(encoding="utf-8").splitlines()
    start = lines.index(f"({label})=")
    level = len(lines[start + 1]) - len(lines[start + 1].lstrip("#"))
    assert level > 0, f"({label})= is not followed by a heading"
    body, fenced = [], False
    for line in lines[start + 2 :]:
        if line.startswith("```"):
            fenced = not fenced if line.strip() == "```" or not fenced else fenced
        elif not fenced and re.match(r"#{1,%d} " % level, line):
            break
        body.append(line)
    return "\n".join(body)


def test_missing_keepdims_points_at_a_section_about_keepdims():
    m = MISTAKES["missing-keepdims"]
    text = section_text(m.chapter, m.label)
    assert "keepdims" in text
    # and the section shows both failures the catalogue names
    assert "expect_error(ValueError)" in text and "N = C" in text


def test_tau_o_minus_t_references_land_on_its_derivation():
    derivation = section_text("book/03_kronecker_delta.md", "gradient-any-target")
    assert r"\tau\, o_j - t_j" in derivation
    for name in ("04_toy_network.md", "05_matrix_form.md"):
        source = chapter(name)
        assert "{ref}`gradient-any-target`" in source
        assert "{ref}`gradient-sign`" not in source


def test_chapter_3_promises_only_what_the_book_covers():
    text = prose("03_kronecker_delta.md").lower()
    for promise in ("several correct classes", "multi-label", "multilabel", "sigmoid"):
        assert promise not in text


# --- internal names in the prose -------------------------------------------------------------

# The instructors' page is about the project's files (where the student copies
# are written, which tests prove the graders), so it may name them; no other
# page should.
_PROJECT_PAGES = {"book/14_instructors"}
_INTERNAL = re.compile(r"tests/|\btest_\w+\.py|/work/|_build\b|site-packages|\.venv\b")


def _reader_pages():
    return [n for n in toc_docnames(ROOT) if n not in _PROJECT_PAGES]


@pytest.mark.parametrize("docname", _reader_pages())
def test_chapter_sources_name_no_internal_files(docname):
    source = ROOT / f"{docname}.md"
    found = _INTERNAL.findall(source.read_text(encoding="utf-8"))
    assert not found, f"{docname}: {found}"


def test_built_pages_show_no_internal_names(built_site):
    leaks = []
    # a page missing from the build is test_book_build's to report
    for name in [n for n in _reader_pages() if (built_site / f"{n}.html").is_file()]:
        text = _soup(built_site, name).select_one("article") or _soup(built_site, name)
        for hit in set(_INTERNAL.findall(text.get_text(" "))):
            leaks.append(f"{name}: {hit}")
    assert not leaks, leaks
