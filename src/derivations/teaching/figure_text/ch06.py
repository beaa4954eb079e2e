"""Figure texts of chapter 6, Softmax backward without knowing the loss.

See :mod:`derivations.teaching.figure_text`.
"""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-delta-error: relative error of the elementwise "delta" backward pass
    "spread of the logits (standard deviation)": tr(
        "dispersión de logits (desviación estándar)", "sebaran logit (simpangan baku)",
        "logit 的离散程度（标准差）"),
    "relative error of the\nelementwise backward": tr(
        "error relativo de la pasada\nhacia atrás elemento a elemento", "galat relatif lintasan\nmundur per elemen",
        "逐元素反向传播的\n相对误差"),
    "A line chart with the logit spread on a logarithmic x axis from 0.01 to 10 and the relative error on a "
    "logarithmic y axis. Three curves, for 2, 10 and 100 classes. The two-class curve stays flat at 0.5 for every "
    "spread. The 10- and 100-class curves start flat on their dashed 1/C lines at 0.1 and 0.01 and rise toward 1 "
    "once the spread passes about 0.3.": tr(
        "Un gráfico de líneas con la dispersión de los logits en un eje x logarítmico de 0.01 a 10 y el error "
        "relativo en un eje y logarítmico. Tres curvas, para 2, 10 y 100 clases. La curva de dos clases se "
        "mantiene plana en 0.5 para cualquier dispersión. Las curvas de 10 y 100 clases empiezan planas sobre sus "
        "líneas discontinuas 1/C, en 0.1 y 0.01, y suben hacia 1 en cuanto la dispersión pasa de alrededor de 0.3.",
        "Diagram garis dengan sebaran logit pada sumbu x logaritmik dari 0.01 hingga 10 dan galat relatif pada "
        "sumbu y logaritmik. Ada tiga kurva, untuk 2, 10, dan 100 kelas. Kurva dua kelas tetap datar di 0.5 untuk "
        "setiap sebaran. Kurva 10 dan 100 kelas mula-mula datar pada garis putus-putus 1/C masing-masing, di 0.1 "
        "dan 0.01, lalu naik menuju 1 begitu sebaran melewati sekitar 0.3.",
        "一张折线图，横轴为对数刻度的 logit 离散程度，从 0.01 到 10，纵轴为对数刻度的相对误差。共三条曲线，分别"
        "对应 2、10 和 100 个类别。两个类别的曲线在所有离散程度下都平稳地保持在 0.5。10 个和 100 个类别的曲线"
        "起初平稳地落在各自的 1/C 虚线上，即 0.1 和 0.01，当离散程度超过约 0.3 后便向 1 攀升。"),
    # fig-batch-axis: softmax over the classes and over the batch
    "softmax over classes (axis=-1)": tr(
        "softmax sobre las clases (axis=-1)", "softmax atas kelas (axis=-1)", "沿类别做 softmax（axis=-1）"),
    "softmax over the batch (axis=0)": tr(
        "softmax sobre el lote (axis=0)", "softmax atas batch (axis=0)", "沿批量做 softmax（axis=0）"),
    "class": tr("clase", "kelas", "类别"),
    "example": tr("ejemplo", "contoh", "样本"),
    "Two heatmaps of 4 rows (examples) by 3 columns (classes) with the probability printed in each cell. On the "
    "left every row sum, printed beside the row, is 1.00. On the right the columns sum to 1 instead and the row "
    "sums are 0.77, 0.83, 1.21 and 0.19.": tr(
        "Dos mapas de calor de 4 filas (ejemplos) por 3 columnas (clases), con la probabilidad escrita en cada "
        "celda. A la izquierda, cada suma de fila, escrita junto a la fila, es 1.00. A la derecha son las columnas "
        "las que suman 1, y las sumas de las filas son 0.77, 0.83, 1.21 y 0.19.",
        "Dua peta panas berukuran 4 baris (contoh) kali 3 kolom (kelas), dengan probabilitas tertulis di setiap "
        "sel. Di kiri, setiap jumlah baris, yang tertulis di samping barisnya, bernilai 1.00. Di kanan, justru "
        "kolomnya yang berjumlah 1, dan jumlah barisnya adalah 0.77, 0.83, 1.21, dan 0.19.",
        "两张热图，每张 4 行（样本）乘 3 列（类别），每个格子里都标有概率。左图中，写在每行旁边的行之和都是 "
        "1.00。右图中则是各列之和为 1，各行之和分别为 0.77、0.83、1.21 和 0.19。"),
}
