"""Figure texts of chapter 5, The matrix form (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-matrix-outer: dE/dW as the outer product of dE/dz and the input p
    "input $p^\\top$": tr("entrada $p^\\top$", "masukan $p^\\top$", "输入 $p^\\top$"),
    "input $p^\\top$ (1 × D)": tr(
        "entrada $p^\\top$ (1 × D)", "masukan $p^\\top$ (1 × D)", "输入 $p^\\top$（1 × D）"),
    # Indonesian on two lines: "masukan 1masukan 2" would run together under the phone's narrow matrix
    "input {j}": tr("entrada {j}", "masukan\n{j}", "输入 {j}"),
    "A 4 by 3 heatmap of the weight gradient with its values written in the cells, flanked on the left by a 4 "
    "by 1 column holding the logit gradient 0.39, 0.18, -0.84 and 0.28, and on top by a 1 by 3 row holding the "
    "input 1.50, -0.50 and 2.00. Row 3 (class 3, the only negative logit gradient) is blue in columns 1 and 3 "
    "and red in column 2; the other rows have the opposite pattern, red, blue, red, fainter where the values "
    "are small.": tr(
        "Un mapa de calor de 4 por 3 del gradiente de los pesos, con sus valores escritos en las celdas, "
        "acompañado a la izquierda por una columna de 4 por 1 con el gradiente de los logits, 0.39, 0.18, -0.84 "
        "y 0.28, y arriba por una fila de 1 por 3 con la entrada, 1.50, -0.50 y 2.00. La fila 3 (clase 3, el "
        "único gradiente de logit negativo) es azul en las columnas 1 y 3 y roja en la columna 2; las demás "
        "filas tienen el patrón opuesto, rojo, azul, rojo, más tenue donde los valores son pequeños.",
        "Peta panas 4 kali 3 dari gradien bobot, dengan nilainya tertulis di dalam sel, diapit di sebelah kiri "
        "oleh kolom 4 kali 1 yang memuat gradien logit 0.39, 0.18, -0.84, dan 0.28, dan di atasnya oleh baris 1 "
        "kali 3 yang memuat masukan 1.50, -0.50, dan 2.00. Baris 3 (kelas 3, satu-satunya gradien logit yang "
        "negatif) berwarna biru di kolom 1 dan 3 dan merah di kolom 2; baris lainnya berpola sebaliknya, merah, "
        "biru, merah, lebih pudar di tempat nilainya kecil.",
        "一张 4 × 3 的权重梯度热图，格子里写着各自的值；左侧是一个 4 × 1 的列，存放 logit 的梯度 0.39、0.18、"
        "-0.84 和 0.28；上方是一个 1 × 3 的行，存放输入 1.50、-0.50 和 2.00。第 3 行（类别 3，唯一为负的 "
        "logit 梯度）在第 1 列和第 3 列为蓝色，在第 2 列为红色；其余各行的模式正好相反，依次为红、蓝、红，"
        "数值小的地方颜色较淡。"),
}
