"""The explorers speak the reader's language, in a real browser (the widget harness).

Every edition of the book reuses the one state embedded by the English
build, so the page picks the language: an explorer made with ``language=``
(or given it later) speaks that; otherwise one on a page whose ``<html
lang>`` is ``es``, ``id`` or ``zh-CN`` speaks the edition's language;
otherwise it speaks its ``language`` default (``DERIVATIONS_LANGUAGE``, else
English), which is what JupyterLab, an English page, shows.

The expected words below are written here from the book's glossary, not
read from ``derivations.widgets.messages``. Needs no book build: the
explorers run in tests/widget_harness/ with a stand-in for the widget model.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from derivations.widgets import DescentExplorer, JacobianExplorer, LogitsExplorer, ToyNetworkExplorer

HARNESS = Path(__file__).resolve().parent.parent / "widget_harness"
EXPLORERS = {
    "logits": (LogitsExplorer, ".dx-logits"),
    "jacobian": (JacobianExplorer, ".dx-jacobian"),
    "toy_network": (ToyNetworkExplorer, ".dx-toy"),
    "descent": (DescentExplorer, ".dx-descent"),
}
# the page's <html lang> of each edition, and the trait's name for it
EDITIONS = {"es": "es", "id": "id", "zh-CN": "zh_CN"}

# What each explorer shows, per language: words of its visible labels, an
# attribute a screen reader reads (selector, attribute, words), and words
# of the announcement after the change `poke` makes. ENGLISH holds words
# that must not be left on a translated page.
SHOWN = {
    "logits": {
        "en": ["Temperature", "Label smoothing", "Loss", "diagonal-only"],
        "es": ["Temperatura", "Suavizado de etiquetas", "Pérdida", "solo la diagonal", "clase 0 (one-hot)"],
        "id": ["Suhu", "Penghalusan label", "Loss", "hanya diagonal", "kelas 0 (one-hot)"],
        "zh_CN": ["温度", "标签平滑", "损失", "只保留对角线", "类别 0（独热）"],
    },
    "jacobian": {
        "en": ["Classes", "row sum", "Jacobian"],
        "es": ["Clases", "suma de la fila", "La jacobiana de softmax", "probabilidades"],
        "id": ["Kelas", "jumlah baris", "Jacobian softmax", "probabilitas"],
        "zh_CN": ["类别数", "行和", "雅可比矩阵", "概率"],
    },
    "toy_network": {
        "en": ["Hidden units", "Weights", "Path via"],
        "es": ["Unidades ocultas", "Pesos", "Camino por", "Suma", "nodo"],
        "id": ["Unit tersembunyi", "Bobot", "Jalur melalui", "Jumlah", "simpul"],
        "zh_CN": ["隐藏单元", "权重", "的路径", "总和", "节点"],
    },
    "descent": {
        "en": ["Step", "Run", "Reset", "Learning rate", "accuracy"],
        "es": ["Paso", "Ejecutar", "Reiniciar", "Tasa de aprendizaje", "exactitud", "pérdida de entrenamiento"],
        "id": ["Langkah", "Jalankan", "Atur ulang", "Laju pembelajaran", "akurasi", "loss pelatihan"],
        "zh_CN": ["单步", "运行", "重置", "学习率", "准确率", "训练损失"],
    },
}
ENGLISH = {
    "logits": ["Temperature", "Label smoothing", "diagonal-only", "probability"],
    "jacobian": ["row sum", "Classes", "probabilities"],
    "toy_network": ["Hidden units", "Weights", "Path via", "Forward values"],
    "descent": ["Learning rate", "accuracy", "Reset", "training loss"],
}
ARIA = {
    "logits": ("input[name='z0']", "aria-valuetext",
               {"es": "probabilidad", "id": "probabilitas", "zh_CN": "概率", "en": "probability"}),
    "jacobian": ("input[name='z1']", "aria-valuetext",
                 {"es": "probabilidad", "id": "probabilitas", "zh_CN": "概率", "en": "probability"}),
    "toy_network": ("svg.dx-graph", "aria-label",
                    {"es": "Grafo computacional", "id": "Graf komputasi", "zh_CN": "计算图",
                     "en": "Computational graph"}),
    "descent": ("canvas.dx-regions", "aria-label",
                {"es": "Los puntos de datos", "id": "Titik-titik data", "zh_CN": "数据点", "en": "The data points"}),
}
SAID = {
    "logits": {"es": ["temperatura 2.00", "pérdida"], "id": ["suhu 2.00", "probabilitas terbesar", "loss"],
               "zh_CN": ["温度 2.00", "最大概率", "损失"], "en": ["temperature 2.00", "loss"]},
    "jacobian": {"es": ["z1 = 2.0", "entrada diagonal", "cada fila suma 0"],
                 "id": ["z1 = 2.0", "entri diagonal", "jumlah setiap baris 0"],
                 "zh_CN": ["z1 = 2.0", "对角元素", "每一行之和都为 0"],
                 "en": ["diagonal entry", "every row sums to 0"]},
    "toy_network": {"es": ["h1 = 2.00", "pérdida", "gradiente de w21"], "id": ["h1 = 2.00", "gradien untuk w21"],
                    "zh_CN": ["h1 = 2.00", "损失", "w21 的梯度"], "en": ["h1 = 2.00", "gradient for w21"]},
    "descent": {"es": ["En el paso 1", "pérdida", "exactitud"], "id": ["Pada langkah 1", "loss", "akurasi"],
                "zh_CN": ["当前：第 1 步", "损失", "准确率"], "en": ["At step 1", "accuracy"]},
}


def poke(page, key, root):
    """One change a reader makes, which the live region then announces."""
    if key == "logits":
        set_range(page, f"{root} input[name='temperature']", "2")
    elif key == "jacobian":
        set_range(page, f"{root} input[name='z1']", "2")
    elif key == "toy_network":
        page.fill(f"{root} input[name='h1']", "2")
    else:
        page.click(f"{root} button[name='step']")


def set_range(page, selector, value):
    page.eval_on_selector(selector, "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }",
                          value)


@pytest.fixture(scope="module")
def harness_url(tmp_path_factory, serve):
    """The harness, and for each explorer its state made four ways: the
    default; with ``language=`` each edition's language; and with the
    default taken from ``DERIVATIONS_LANGUAGE=id`` (a default, not a choice)."""
    folder = tmp_path_factory.mktemp("widget-harness-languages")
    for f in HARNESS.iterdir():
        shutil.copy(f, folder / f.name)
    saved = os.environ.pop("DERIVATIONS_LANGUAGE", None)
    try:
        for key, (cls, _) in EXPLORERS.items():
            state = cls().get_state()
            (folder / f"{key}.js").write_text(state.pop("_esm"))
            (folder / f"{key}.css").write_text(state.pop("_css"))
            (folder / f"{key}.state.json").write_text(json.dumps(state))
            for lang in EDITIONS.values():
                made = cls(language=lang).get_state()
                (folder / f"{key}-{lang}.state.json").write_text(json.dumps(_plain(made)))
            os.environ["DERIVATIONS_LANGUAGE"] = "id"
            (folder / f"{key}-env-id.state.json").write_text(json.dumps(_plain(cls().get_state())))
            del os.environ["DERIVATIONS_LANGUAGE"]
    finally:
        os.environ.pop("DERIVATIONS_LANGUAGE", None)
        if saved is not None:
            os.environ["DERIVATIONS_LANGUAGE"] = saved
    with serve(folder) as url:
        yield url


def _plain(state):
    return {k: v for k, v in state.items() if k not in ("_esm", "_css")}


@pytest.fixture
def harness(browser, harness_url, harness_pages):
    """``open_(key, lang=None, state=None)``: the harness page of one explorer."""
    with harness_pages(browser, harness_url) as page:

        def open_(key, lang=None, state=None):
            query = f"w={key}" + (f"&lang={lang}" if lang else "") + (f"&state={state}" if state else "")
            page.goto(f"{harness_url}index.html?{query}")
            page.wait_for_selector("body[data-ready='1']")
            page.wait_for_selector(f"{EXPLORERS[key][1]} output", state="attached")
            return page

        yield open_


def check_speaks(page, key, lang):
    """The explorer's labels, a screen reader's attribute and an announcement are in `lang`."""
    root = EXPLORERS[key][1]
    text = page.eval_on_selector(root, "e => e.innerText + ' ' + [...e.querySelectorAll('option')]"
                                       ".map(o => o.textContent).join(' ')")
    for words in SHOWN[key][lang]:
        assert words in text, f"{key} in {lang}: {words!r} not shown"
    if lang != "en":
        for words in ENGLISH[key]:
            assert words not in text, f"{key} in {lang}: English {words!r} left on the page"
    selector, attribute, expected = ARIA[key]
    assert expected[lang] in (page.get_attribute(f"{root} {selector}", attribute) or "")
    bcp47 = {"zh_CN": "zh-CN"}.get(lang, lang)
    assert page.get_attribute(root, "lang") == bcp47
    poke(page, key, root)
    page.wait_for_function(
        "sel => (document.querySelector(sel).textContent || '').length > 0", arg=f"{root} .dx-live", timeout=5_000)
    said = page.text_content(f"{root} .dx-live")
    for words in SAID[key][lang]:
        assert words in said, f"{key} in {lang}: {words!r} not in the announcement {said!r}"
    assert page.errors == []


@pytest.mark.parametrize("key", EXPLORERS)
@pytest.mark.parametrize("page_lang", EDITIONS)
def test_explorer_speaks_the_editions_language(harness, key, page_lang):
    # the English build's state, on an edition's page
    page = harness(key, lang=page_lang)
    check_speaks(page, key, EDITIONS[page_lang])


@pytest.mark.parametrize("key", EXPLORERS)
@pytest.mark.parametrize("lang", EDITIONS.values())
def test_language_given_in_python_wins_over_an_english_page(harness, key, lang):
    # JupyterLab: the page is English, the explorer was made with language=...
    page = harness(key, state=f"{key}-{lang}")
    check_speaks(page, key, lang)


@pytest.mark.parametrize("key", EXPLORERS)
def test_a_chosen_language_wins_over_the_editions(harness, key):
    page = harness(key, lang="es", state=f"{key}-zh_CN")
    check_speaks(page, key, "zh_CN")


@pytest.mark.parametrize("key", EXPLORERS)
def test_the_default_from_the_environment(harness, key):
    # DERIVATIONS_LANGUAGE=id is a default: an English page (JupyterLab) shows it ...
    check_speaks(harness(key, state=f"{key}-env-id"), key, "id")
    # ... the Spanish edition shows its own language
    check_speaks(harness(key, lang="es", state=f"{key}-env-id"), key, "es")


@pytest.mark.parametrize("key", EXPLORERS)
def test_english_by_default_and_other_page_languages(harness, key):
    check_speaks(harness(key), key, "en")
    check_speaks(harness(key, lang="fr"), key, "en")


@pytest.mark.parametrize("key", EXPLORERS)
def test_a_language_set_from_the_kernel_redraws_the_explorer(harness, key):
    page = harness(key)
    page.evaluate("""() => {
        const m = window.harness.model;
        m.set("_language_explicit", true);
        m.set("language", "es");
    }""")
    root = EXPLORERS[key][1]
    page.wait_for_selector(f"{root}[lang='es']")
    assert page.locator(root).count() == 1
    check_speaks(page, key, "es")
