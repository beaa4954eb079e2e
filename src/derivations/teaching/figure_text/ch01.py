"""Figure texts of chapter 1, The puzzle (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-puzzle-weight-grads: dE/dW three ways
    "diagonal-only (the question)": tr(
        "solo diagonal (la pregunta)", "hanya diagonal (pertanyaan)", "只保留对角线（提问的公式）"),
    "finite differences": tr("diferencias finitas", "beda hingga", "有限差分"),
    "class j": tr("clase j", "kelas j", "类别 j"),
    "input unit d": tr("unidad de entrada d", "unit masukan d", "输入单元 d"),
    "Three heatmaps of 3 rows (input units d) by 4 columns (classes j), each cell labelled with its value. In the "
    "left map, the diagonal-only gradient, only column 2 is coloured; columns 0, 1 and 3 are all zero. The middle "
    "map (finite differences) and the right map (correct formula) are identical, with non-zero entries in every "
    "column, whose signs follow the sign of h_d.": tr(
        "Tres mapas de calor de 3 filas (unidades de entrada d) por 4 columnas (clases j), con su valor escrito en "
        "cada celda. En el mapa de la izquierda, el del gradiente solo diagonal, únicamente la columna 2 tiene "
        "color; las columnas 0, 1 y 3 son todas cero. El mapa central (diferencias finitas) y el de la derecha "
        "(la fórmula correcta) son idénticos, con entradas distintas de cero en todas las columnas, cuyos signos "
        "siguen el signo de h_d.",
        "Tiga peta panas berukuran 3 baris (unit masukan d) kali 4 kolom (kelas j), dengan nilai tertulis di "
        "setiap sel. Pada peta kiri, yaitu gradien yang hanya diagonal, hanya kolom 2 yang berwarna; kolom 0, 1, "
        "dan 3 semuanya nol. Peta tengah (beda hingga) dan peta kanan (rumus yang benar) identik, dengan entri "
        "tak nol di setiap kolom, yang tandanya mengikuti tanda h_d.",
        "三张热图，每张 3 行（输入单元 d）乘 4 列（类别 j），每个格子里都标有它的值。左图是只保留对角线的梯度，"
        "只有第 2 列有颜色；第 0、1、3 列全为零。中图（有限差分）与右图（正确的公式）完全相同，每一列都有非零"
        "元素，其符号与 h_d 的符号一致。"),
    # fig-puzzle-bars: o, the correct gradient and the diagonal-only one, for z = (2, 1, 0.1)
    "correct: o sum(t) - t": tr("correcto: o sum(t) - t", "benar: o sum(t) - t", "正确：o sum(t) - t"),
    "diagonal-only: -t (1 - o)": tr(
        "solo diagonal: -t (1 - o)", "hanya diagonal: -t (1 - o)", "只保留对角线：-t (1 - o)"),
    "class {j} (target)": tr("clase {j} (objetivo)", "kelas {j} (target)", "类别 {j}（目标）"),
    "class {j}\n(target)": tr("clase {j}\n(objetivo)", "kelas {j}\n(target)", "类别 {j}\n（目标）"),
    "A grouped bar chart over three classes. For class 0 the probability bar is about 0.66 and both gradient "
    "bars reach about -0.34. For classes 1 and 2 the probability bars are about 0.24 and 0.10, the correct "
    "gradient bars are positive with the same heights, and the diagonal-only gradient bars are absent because "
    "they are zero.": tr(
        "Un diagrama de barras agrupadas sobre tres clases. Para la clase 0, la barra de probabilidad mide "
        "alrededor de 0.66 y las dos barras de gradiente llegan a alrededor de -0.34. Para las clases 1 y 2, las "
        "barras de probabilidad miden alrededor de 0.24 y 0.10, las del gradiente correcto son positivas y de la "
        "misma altura, y las del gradiente solo diagonal no aparecen porque valen cero.",
        "Diagram batang berkelompok untuk tiga kelas. Untuk kelas 0, batang probabilitas sekitar 0.66 dan kedua "
        "batang gradien mencapai sekitar -0.34. Untuk kelas 1 dan 2, batang probabilitas sekitar 0.24 dan 0.10, "
        "batang gradien yang benar bernilai positif dengan tinggi yang sama, dan batang gradien yang hanya "
        "diagonal tidak tampak karena nilainya nol.",
        "一张分组柱状图，共三个类别。对于类别 0，概率柱约为 0.66，两根梯度柱都达到约 -0.34。对于类别 1 和 2，"
        "概率柱约为 0.24 和 0.10，正确梯度的柱为正，高度与概率柱相同，而只保留对角线的梯度柱没有出现，因为它们"
        "为零。"),
}
