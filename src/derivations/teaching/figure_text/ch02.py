"""Figure texts of chapter 2, The quotient rule (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-jacobian-heatmap: the softmax Jacobian with its row sums
    "row sum {s:.2f}": tr("suma de fila {s:.2f}", "jumlah baris {s:.2f}", "行之和 {s:.2f}"),
    "sum {s:.2f}": tr("suma {s:.2f}", "jumlah {s:.2f}", "行和 {s:.2f}"),
    "j (the logit that moves)": tr("j (el logit que cambia)", "j (logit yang berubah)", "j（变化的 logit）"),
    "i (the output)": tr("i (la salida)", "i (keluaran)", "i（输出）"),
    "A 4 by 4 heatmap with a value in each cell. The four diagonal cells are red, from about 0.24 for class 0 "
    "down to about 0.07 for class 2; all twelve off-diagonal cells are blue, the largest in size being -0.12 "
    "between classes 0 and 1. Beside each row its sum is printed, and every row sum is 0.00.": tr(
        "Un mapa de calor de 4 por 4 con un valor en cada celda. Las cuatro celdas de la diagonal son rojas, desde "
        "alrededor de 0.24 para la clase 0 hasta alrededor de 0.07 para la clase 2; las doce celdas fuera de la "
        "diagonal son azules, y la mayor en valor absoluto es -0.12, entre las clases 0 y 1. Junto a cada fila "
        "está impresa su suma, y todas las sumas de fila valen 0.00.",
        "Peta panas 4 kali 4 dengan satu nilai di setiap sel. Keempat sel diagonal berwarna merah, dari sekitar "
        "0.24 untuk kelas 0 turun sampai sekitar 0.07 untuk kelas 2; kedua belas sel di luar diagonal berwarna "
        "biru, dan yang nilai mutlaknya terbesar adalah -0.12, antara kelas 0 dan 1. Di samping setiap baris "
        "tercetak jumlahnya, dan setiap jumlah baris bernilai 0.00.",
        "一张 4 × 4 的热图，每个格子里都有一个数值。四个对角线格子是红色的，从类别 0 的约 0.24 递减到类别 2 的"
        "约 0.07；十二个非对角线格子全是蓝色的，其中绝对值最大的是类别 0 和 1 之间的 -0.12。每一行旁边都印着"
        "该行之和，每一行的和都是 0.00。"),
}
