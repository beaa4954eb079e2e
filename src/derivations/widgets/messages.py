"""Every word the explorers show or say, in the four languages of the book.

The explorers of :ref:`puzzle-explorer`, :ref:`jacobian-explorer`,
:ref:`toy-network-explorer` and :ref:`descent-explorer` are embedded once,
in the English build, and every edition (Spanish, Indonesian, Simplified
Chinese) reuses that state; so the page itself picks the language, and it
needs every translation at hand. This table travels to the page with the
widget state (the read-only synced trait ``_messages``, only the groups an
explorer uses), and the ES modules hold no words of their own.

``MESSAGES[id][lang]`` is a template: ``{name}`` placeholders are filled by
the page (numbers keep the decimal point, as the book does); a template
may hold the small HTML the explorers already used (``<var>``, ``<sub>``,
``<sup>``), and maths stays as it is. The id's part before the dot is its
group: ``common`` or one explorer.
"""

import os
import re

from derivations.validation import LANGUAGE_VARIABLE, LANGUAGES, InvalidTrait, InvalidTraitType, shown

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _m(en, es, id_, zh_CN):
    return {"en": en, "es": es, "id": id_, "zh_CN": zh_CN}


def _same(text):
    # maths only: the same in every language
    return _m(text, text, text, text)


MESSAGES = {
    # ---- shared by several explorers
    "common.class": _m("class", "clase", "kelas", "类别"),
    "common.classes_label": _m("Classes <var>C</var>", "Clases <var>C</var>", "Kelas <var>C</var>",
                               "类别数 <var>C</var>"),
    "common.logit_valuetext": _m("{z}, probability {p}", "{z}, probabilidad {p}", "{z}, probabilitas {p}",
                                 "{z}，概率 {p}"),
    # ---- the logits explorer
    "logits.say_z": _m("z{j} = {z}: p{j} = {p}", "z{j} = {z}: p{j} = {p}", "z{j} = {z}: p{j} = {p}",
                       "z{j} = {z}：p{j} = {p}"),
    "logits.say_soft_target": _m(
        "soft target t{j} = {t}: targets sum to {sum}",
        "objetivo suave t{j} = {t}: los objetivos suman {sum}",
        "target lunak t{j} = {t}: jumlah target {sum}",
        "软目标 t{j} = {t}：目标之和为 {sum}"),
    "logits.say_temperature": _m(
        "temperature {T}: largest p{j} = {p}",
        "temperatura {T}: probabilidad mayor p{j} = {p}",
        "suhu {T}: probabilitas terbesar p{j} = {p}",
        "温度 {T}：最大概率 p{j} = {p}"),
    "logits.say_label_smoothing": _m("label smoothing {eps}", "suavizado de etiquetas {eps}",
                                     "penghalusan label {eps}", "标签平滑 {eps}"),
    "logits.say_target": _m("target class {k}: p{k} = {p}", "clase objetivo {k}: p{k} = {p}",
                            "kelas target {k}: p{k} = {p}", "目标类别 {k}：p{k} = {p}"),
    "logits.say_classes": _m("{C} classes: largest p{j} = {p}", "{C} clases: probabilidad mayor p{j} = {p}",
                             "{C} kelas: probabilitas terbesar p{j} = {p}", "{C} 个类别：最大概率 p{j} = {p}"),
    "logits.say_kernel": _m("largest p{j} = {p}", "probabilidad mayor p{j} = {p}", "probabilitas terbesar p{j} = {p}",
                            "最大概率 p{j} = {p}"),
    "logits.say_loss": _m("{change}, loss {loss}", "{change}, pérdida {loss}", "{change}, loss {loss}",
                          "{change}，损失 {loss}"),
    "logits.soft": _m("soft target", "objetivo suave", "target lunak", "软目标"),
    "logits.target_label": _m("Target", "Objetivo", "Target", "目标"),
    "logits.temperature_label": _m("Temperature <var>T</var>", "Temperatura <var>T</var>", "Suhu <var>T</var>",
                                   "温度 <var>T</var>"),
    "logits.smoothing_label": _m("Label smoothing <var>ε</var>", "Suavizado de etiquetas <var>ε</var>",
                                 "Penghalusan label <var>ε</var>", "标签平滑 <var>ε</var>"),
    "logits.chart_label": _m(
        "Bar charts of the softmax probabilities and of the two gradients for each class",
        "Gráficos de barras de las probabilidades softmax y de los dos gradientes de cada clase",
        "Diagram batang probabilitas softmax dan kedua gradien untuk setiap kelas",
        "每个类别的 softmax 概率及两种梯度的柱状图"),
    "logits.legend_p": _m("probability <var>p</var>", "probabilidad <var>p</var>", "probabilitas <var>p</var>",
                          "概率 <var>p</var>"),
    "logits.legend_t": _m("target <var>t′</var>", "objetivo <var>t′</var>", "target <var>t′</var>",
                          "目标 <var>t′</var>"),
    "logits.legend_grad": _m("correct ∂L/∂z", "∂L/∂z correcto", "∂L/∂z yang benar", "正确的 ∂L/∂z"),
    "logits.diag": _m("diagonal-only", "solo la diagonal", "hanya diagonal", "只保留对角线"),
    "logits.note": _m(
        "Diagonal-only keeps ∂p<sub>j</sub>/∂z<sub>j</sub> = p<sub>j</sub>(1 − p<sub>j</sub>) and drops every "
        "−p<sub>i</sub>p<sub>j</sub>: it is 0 for each class without target mass, so no wrong class is ever "
        "pushed down.",
        "La versión de solo la diagonal conserva ∂p<sub>j</sub>/∂z<sub>j</sub> = p<sub>j</sub>(1 − p<sub>j</sub>) "
        "y descarta todos los −p<sub>i</sub>p<sub>j</sub>: vale 0 en cada clase sin masa en el objetivo, así que "
        "nunca empuja hacia abajo una clase equivocada.",
        "Versi hanya-diagonal mempertahankan ∂p<sub>j</sub>/∂z<sub>j</sub> = p<sub>j</sub>(1 − p<sub>j</sub>) "
        "dan membuang setiap −p<sub>i</sub>p<sub>j</sub>: nilainya 0 untuk setiap kelas tanpa massa target, "
        "sehingga kelas yang salah tidak pernah didorong turun.",
        "只保留对角线的梯度保留 ∂p<sub>j</sub>/∂z<sub>j</sub> = p<sub>j</sub>(1 − p<sub>j</sub>)，丢掉了所有 "
        "−p<sub>i</sub>p<sub>j</sub> 项：目标中没有概率质量的类别，它都为 0，因此错误的类别永远不会被压低。"),
    "logits.caption": _m(
        "Per class: probability, target after smoothing, and the two gradients",
        "Por clase: probabilidad, objetivo tras el suavizado y los dos gradientes",
        "Per kelas: probabilitas, target setelah penghalusan, dan kedua gradien",
        "各类别的概率、平滑后的目标及两种梯度"),
    "logits.loss_line": _m("Loss <var>L</var> = {loss}", "Pérdida <var>L</var> = {loss}",
                           "Loss <var>L</var> = {loss}", "损失 <var>L</var> = {loss}"),
    "logits.legend_z": _m("Logits <var>z</var>", "Logits <var>z</var>", "Logit <var>z</var>", "logit <var>z</var>"),
    "logits.legend_soft": _m(
        "Soft target <var>t</var> (need not sum to 1)",
        "Objetivo suave <var>t</var> (no tiene por qué sumar 1)",
        "Target lunak <var>t</var> (jumlahnya tidak harus 1)",
        "软目标 <var>t</var>（和不必为 1）"),
    "logits.option_class": _m("class {j} (one-hot)", "clase {j} (one-hot)", "kelas {j} (one-hot)",
                              "类别 {j}（独热）"),
    "logits.axis_p": _m("softmax p and target t′", "softmax p y objetivo t′", "softmax p dan target t′",
                        "softmax p 与目标 t′"),
    "logits.axis_grad": _m("∂L/∂z: correct and diagonal-only", "∂L/∂z: correcto y solo la diagonal",
                           "∂L/∂z: yang benar dan hanya diagonal", "∂L/∂z：正确的与只保留对角线的"),
    # ---- the Jacobian explorer
    "jacobian.say_entry": _m("p{j} = {p}, diagonal entry J{j},{j} = {d}", "p{j} = {p}, entrada diagonal J{j},{j} = {d}",
                             "p{j} = {p}, entri diagonal J{j},{j} = {d}", "p{j} = {p}，对角元素 J{j},{j} = {d}"),
    "jacobian.say_z": _m("z{j} = {z}: {entry}; every row sums to 0", "z{j} = {z}: {entry}; cada fila suma 0",
                         "z{j} = {z}: {entry}; jumlah setiap baris 0", "z{j} = {z}：{entry}；每一行之和都为 0"),
    "jacobian.say_kernel": _m("{C} classes, largest probability {entry}", "{C} clases, probabilidad mayor {entry}",
                              "{C} kelas, probabilitas terbesar {entry}", "{C} 个类别，最大概率 {entry}"),
    "jacobian.caption": _m(
        "The softmax Jacobian <var>J</var> = diag(<var>p</var>) − <var>p p</var><sup>T</sup> and its row sums",
        "La jacobiana de softmax <var>J</var> = diag(<var>p</var>) − <var>p p</var><sup>T</sup> y las sumas de "
        "sus filas",
        "Jacobian softmax <var>J</var> = diag(<var>p</var>) − <var>p p</var><sup>T</sup> dan jumlah tiap barisnya",
        "softmax 的雅可比矩阵 <var>J</var> = diag(<var>p</var>) − <var>p p</var><sup>T</sup> 及其各行之和"),
    "jacobian.note": _m(
        "Entry (<var>i</var>, <var>j</var>) is ∂p<sub>i</sub>/∂z<sub>j</sub> = p<sub>i</sub>(δ<sub>ij</sub> − "
        "p<sub>j</sub>): positive on the diagonal (warm), negative off it (cool). Each row sums to 0: adding one "
        "constant to every logit leaves softmax unchanged.",
        "La entrada (<var>i</var>, <var>j</var>) es ∂p<sub>i</sub>/∂z<sub>j</sub> = p<sub>i</sub>(δ<sub>ij</sub> − "
        "p<sub>j</sub>): positiva en la diagonal (colores cálidos), negativa fuera de ella (colores fríos). Cada "
        "fila suma 0: sumar una misma constante a todos los logits no cambia softmax.",
        "Entri (<var>i</var>, <var>j</var>) adalah ∂p<sub>i</sub>/∂z<sub>j</sub> = p<sub>i</sub>(δ<sub>ij</sub> − "
        "p<sub>j</sub>): positif pada diagonal (warna hangat), negatif di luar diagonal (warna dingin). Jumlah "
        "setiap baris 0: menambahkan konstanta yang sama ke setiap logit tidak mengubah softmax.",
        "第 (<var>i</var>, <var>j</var>) 个元素为 ∂p<sub>i</sub>/∂z<sub>j</sub> = p<sub>i</sub>(δ<sub>ij</sub> − "
        "p<sub>j</sub>)：对角线上为正（暖色），对角线外为负（冷色）。每一行之和都为 0：给所有 logit 加上同一个"
        "常数，softmax 不变。"),
    "jacobian.legend": _m("Logits <var>z</var> and probabilities <var>p</var>",
                          "Logits <var>z</var> y probabilidades <var>p</var>",
                          "Logit <var>z</var> dan probabilitas <var>p</var>", "logit <var>z</var> 与概率 <var>p</var>"),
    "jacobian.row_sum": _m("row sum", "suma de la fila", "jumlah baris", "行和"),
    # ---- the toy-network explorer
    "toy.say": _m("o1 = {o}, loss {loss}, gradient for w{i}{j} {g}",
                  "o1 = {o}, pérdida {loss}, gradiente de w{i}{j} {g}",
                  "o1 = {o}, loss {loss}, gradien untuk w{i}{j} {g}", "o1 = {o}，损失 {loss}，w{i}{j} 的梯度 {g}"),
    "toy.say_field": _m("{name} = {value}: {state}", "{name} = {value}: {state}", "{name} = {value}: {state}",
                        "{name} = {value}：{state}"),
    "toy.legend_h": _m("Hidden units <var>h</var>", "Unidades ocultas <var>h</var>", "Unit tersembunyi <var>h</var>",
                       "隐藏单元 <var>h</var>"),
    "toy.legend_w": _m(
        "Weights <var>w</var><sub>ij</sub> (from <var>h</var><sub>i</sub> to <var>y</var><sub>j</sub>)",
        "Pesos <var>w</var><sub>ij</sub> (de <var>h</var><sub>i</sub> a <var>y</var><sub>j</sub>)",
        "Bobot <var>w</var><sub>ij</sub> (dari <var>h</var><sub>i</sub> ke <var>y</var><sub>j</sub>)",
        "权重 <var>w</var><sub>ij</sub>（从 <var>h</var><sub>i</sub> 到 <var>y</var><sub>j</sub>）"),
    "toy.legend_t": _m("Target <var>t</var>", "Objetivo <var>t</var>", "Target <var>t</var>", "目标 <var>t</var>"),
    "toy.graph_label": _m(
        "Computational graph from h through the weights w to y, o and the loss L, with each edge's value and "
        "gradient; the two paths from L back to w21 are highlighted",
        "Grafo computacional de h, a través de los pesos w, hasta y, o y la pérdida L, con el valor y el "
        "gradiente de cada arista; los dos caminos de L de vuelta a w21 están resaltados",
        "Graf komputasi dari h melalui bobot w ke y, o, dan loss L, dengan nilai dan gradien setiap sisi; dua "
        "jalur dari L kembali ke w21 disorot",
        "从 h 经权重 w 到 y、o 和损失 L 的计算图，每条边标有其值和梯度；从 L 回到 w21 的两条路径已高亮"),
    "toy.legend_value": _m("value (on y→o edges: ∂o/∂y)", "valor (en las aristas y→o: ∂o/∂y)",
                           "nilai (pada sisi y→o: ∂o/∂y)", "值（y→o 边上为 ∂o/∂y）"),
    "toy.legend_grad": _m("gradient ∂L/∂· flowing back", "gradiente ∂L/∂· que fluye hacia atrás",
                          "gradien ∂L/∂· yang mengalir balik", "反向流动的梯度 ∂L/∂·"),
    "toy.legend_path": _m("the two paths to <var>w</var>₂₁", "los dos caminos hasta <var>w</var>₂₁",
                          "dua jalur ke <var>w</var>₂₁", "通往 <var>w</var>₂₁ 的两条路径"),
    "toy.path": _m("Path via <var>o</var>{k}: {formula} = {value}", "Camino por <var>o</var>{k}: {formula} = {value}",
                   "Jalur melalui <var>o</var>{k}: {formula} = {value}",
                   "经 <var>o</var>{k} 的路径：{formula} = {value}"),
    "toy.sum": _m("Sum: ∂L/∂w₂₁ = {sum}{sep}{closed_form}", "Suma: ∂L/∂w₂₁ = {sum}{sep}{closed_form}",
                  "Jumlah: ∂L/∂w₂₁ = {sum}{sep}{closed_form}", "总和：∂L/∂w₂₁ = {sum}{sep}{closed_form}"),
    "toy.note": _m(
        "The diagonal-only derivation keeps only the path through o₁: −t₁(1 − o₁)h₂ = {value}. It drops the "
        "path through o₂, t₂o₁h₂, which vanishes only when t₂ = 0.",
        "La derivación de solo la diagonal conserva únicamente el camino por o₁: −t₁(1 − o₁)h₂ = {value}. "
        "Descarta el camino por o₂, t₂o₁h₂, que solo se anula cuando t₂ = 0.",
        "Derivasi hanya-diagonal hanya mempertahankan jalur melalui o₁: −t₁(1 − o₁)h₂ = {value}. Jalur melalui "
        "o₂, t₂o₁h₂, dibuang, padahal jalur itu hanya lenyap bila t₂ = 0.",
        "只保留对角线的推导只留下了经 o₁ 的路径：−t₁(1 − o₁)h₂ = {value}。它丢掉了经 o₂ 的路径 t₂o₁h₂，"
        "而这条路径只有在 t₂ = 0 时才为零。"),
    "toy.grad_caption": _m("∂L/∂w for every weight, and the diagonal-only version",
                           "∂L/∂w de cada peso y su versión de solo la diagonal",
                           "∂L/∂w untuk setiap bobot, beserta versi hanya-diagonal",
                           "每个权重的 ∂L/∂w 及其只保留对角线的版本"),
    "toy.diag_head": _m("diag-only {ij}", "solo diag. {ij}", "hanya diag. {ij}", "只保留对角线 {ij}"),
    "toy.node_caption": _m("Forward values and their gradients", "Valores hacia delante y sus gradientes",
                           "Nilai maju dan gradiennya", "前向传播的值及其梯度"),
    "toy.node": _m("node", "nodo", "simpul", "节点"),
    "toy.value": _m("value", "valor", "nilai", "值"),
    "toy.node_grad": _m("∂L/∂node", "∂L/∂nodo", "∂L/∂simpul", "∂L/∂节点"),
    # ---- the descent explorer
    "descent.say_diverged": _m(
        "Step {steps}: the loss overflowed, the descent diverged",
        "Paso {steps}: la pérdida se desbordó, el descenso divergió",
        "Langkah {steps}: loss mengalami overflow, penurunan gradien divergen",
        "第 {steps} 步：损失上溢，梯度下降发散了"),
    "descent.say_where": _m("step {steps}, loss {loss}, accuracy {accuracy}",
                            "paso {steps}, pérdida {loss}, exactitud {accuracy}",
                            "langkah {steps}, loss {loss}, akurasi {accuracy}",
                            "第 {steps} 步，损失 {loss}，准确率 {accuracy}"),
    "descent.say_lr": _m("learning rate {lr} at {where}", "tasa de aprendizaje {lr} en el {where}",
                         "laju pembelajaran {lr} pada {where}", "学习率 {lr}，{where}"),
    "descent.say_at": _m("At {where}", "En el {where}", "Pada {where}", "当前：{where}"),
    "descent.step": _m("Step", "Paso", "Langkah", "单步"),
    "descent.run": _m("Run", "Ejecutar", "Jalankan", "运行"),
    "descent.pause": _m("Pause", "Pausa", "Jeda", "暂停"),
    "descent.reset": _m("Reset", "Reiniciar", "Atur ulang", "重置"),
    "descent.lr_label": _m("Learning rate <var>η</var>", "Tasa de aprendizaje <var>η</var>",
                           "Laju pembelajaran <var>η</var>", "学习率 <var>η</var>"),
    "descent.steps_out": _m("Step {steps}", "Paso {steps}", "Langkah {steps}", "第 {steps} 步"),
    "descent.loss_out": _m("loss {loss}", "pérdida {loss}", "loss {loss}", "损失 {loss}"),
    "descent.accuracy_out": _m("accuracy {accuracy}", "exactitud {accuracy}", "akurasi {accuracy}",
                               "准确率 {accuracy}"),
    "descent.legend_class": _m("class {c}", "clase {c}", "kelas {c}", "类别 {c}"),
    "descent.regions_label": _m(
        "The data points, one colour and marker shape per class, over the plane coloured by the class the "
        "model predicts there",
        "Los puntos de datos, con un color y una forma de marcador por clase, sobre el plano coloreado según la "
        "clase que el modelo predice en cada lugar",
        "Titik-titik data, satu warna dan bentuk penanda per kelas, di atas bidang yang diwarnai menurut kelas "
        "yang diprediksi model di sana",
        "数据点（每个类别一种颜色和标记形状），背景平面按模型在该处预测的类别着色"),
    "descent.curve_label": _m("The training loss after each gradient step",
                              "La pérdida de entrenamiento tras cada paso de gradiente",
                              "Loss pelatihan setelah setiap langkah gradien", "每个梯度步之后的训练损失"),
    "descent.params_caption": _m(
        "Parameters: one row of <var>W</var> and one bias per class",
        "Parámetros: una fila de <var>W</var> y un sesgo por clase",
        "Parameter: satu baris <var>W</var> dan satu bias per kelas",
        "参数：每个类别对应 <var>W</var> 的一行和一个偏置"),
    "descent.diverged_note": _m(
        "At step {steps} the loss overflowed float64: the descent diverged. W and b show their last finite "
        "values; lower the learning rate η and press Reset.",
        "En el paso {steps} la pérdida desbordó float64: el descenso divergió. W y b muestran sus últimos "
        "valores finitos; baja la tasa de aprendizaje η y pulsa Reiniciar.",
        "Pada langkah {steps} loss mengalami overflow dalam float64: penurunan gradien divergen. W dan b menunjukkan "
        "nilai hingga terakhirnya; turunkan laju pembelajaran η lalu tekan Atur ulang.",
        "第 {steps} 步时损失在 float64 中上溢：梯度下降发散了。W 和 b 显示的是最后的有限值；"
        "请调低学习率 η，然后按“重置”。"),
    "descent.overflow": _m("↑ overflow: diverged", "↑ desbordamiento: divergió", "↑ overflow: divergen",
                           "↑ 上溢：发散"),
    "descent.training_loss": _m("training loss", "pérdida de entrenamiento", "loss pelatihan", "训练损失"),
    "descent.axis_step": _m("step {n}", "paso {n}", "langkah {n}", "第 {n} 步"),
}


def placeholders(template):
    """The names of a template's ``{name}`` placeholders, as a set: what the
    page fills in the explorers' words (see :ref:`puzzle-explorer`).

    Examples
    --------
    >>> sorted(placeholders("z{j} = {z}: p{j} = {p}"))
    ['j', 'p', 'z']
    """
    return set(_PLACEHOLDER.findall(template))


def messages_for(groups):
    """The part of :data:`MESSAGES` whose ids are in ``groups`` (and ``common``):
    what one explorer of :ref:`puzzle-explorer` and the other chapters sends.

    Examples
    --------
    >>> table = messages_for(["jacobian"])
    >>> table["jacobian.row_sum"]["es"], "logits.soft" in table, "common.class" in table
    ('suma de la fila', False, True)
    """
    wanted = {"common", *groups}
    return {key: dict(text) for key, text in MESSAGES.items() if key.split(".", 1)[0] in wanted}


def as_language(value, name="language"):
    """``value`` if it is one of :data:`LANGUAGES`, else a clear error: the
    language the explorers of :ref:`puzzle-explorer` speak.

    Examples
    --------
    >>> as_language("zh_CN")
    'zh_CN'
    >>> as_language("fr")
    Traceback (most recent call last):
    ...
    derivations.validation.InvalidTrait: language must be one of 'en', 'es', 'id', 'zh_CN', got 'fr'
    """
    allowed = ", ".join(map(repr, LANGUAGES))
    if not isinstance(value, str):
        raise InvalidTraitType(f"{name} must be a string, one of {allowed}, got {shown(value)}")
    if value not in LANGUAGES:
        raise InvalidTrait(f"{name} must be one of {allowed}, got {shown(value)}")
    return value


def default_language():
    """The explorers' default ``language``: ``DERIVATIONS_LANGUAGE``, else English
    (see :ref:`puzzle-explorer`).

    An unknown value is an error, not a quiet fall back to English.

    Examples
    --------
    >>> default_language() in LANGUAGES
    True
    """
    value = os.environ.get(LANGUAGE_VARIABLE, "").strip()
    if not value:
        return "en"
    return as_language(value, f"the environment variable {LANGUAGE_VARIABLE}")
