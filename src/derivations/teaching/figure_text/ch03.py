"""Figure texts of chapter 3, The Kronecker delta (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-gradient-sign: the loss along o - t and along the sign-flipped t - o
    "correct: g = o - t": tr("correcto: g = o - t", "benar: g = o - t", "正确：g = o - t"),
    "sign-flipped: g = t - o": tr(
        "signo invertido: g = t - o", "tanda terbalik: g = t - o", "符号相反：g = t - o"),
    "step size eta": tr("tamaño del paso eta", "ukuran langkah eta", "步长 eta"),
    "loss E(z - eta g)": tr("pérdida E(z - eta g)", "loss E(z - eta g)", "损失 E(z - eta g)"),
    "A line chart with the step size eta on the x axis from 0 to 3 and the loss on the y axis. Both lines start "
    "at the same loss of about 2.55. The line for the correct gradient o - t falls steadily, to about 0.2 at eta "
    "equal to 3. The line for the flipped gradient t - o rises steadily, to about 6.7.": tr(
        "Un gráfico de líneas con el tamaño del paso eta en el eje x, de 0 a 3, y la pérdida en el eje y. Las dos "
        "líneas parten de la misma pérdida, de alrededor de 2.55. La línea del gradiente correcto o - t baja de "
        "forma constante, hasta alrededor de 0.2 con eta igual a 3. La línea del gradiente de signo invertido "
        "t - o sube de forma constante, hasta alrededor de 6.7.",
        "Diagram garis dengan ukuran langkah eta pada sumbu x dari 0 sampai 3 dan loss pada sumbu y. Kedua garis "
        "berawal dari loss yang sama, sekitar 2.55. Garis untuk gradien yang benar o - t terus turun, sampai "
        "sekitar 0.2 pada eta sama dengan 3. Garis untuk gradien yang tandanya terbalik t - o terus naik, sampai "
        "sekitar 6.7.",
        "一张折线图，横轴是步长 eta，从 0 到 3，纵轴是损失。两条线都从约 2.55 的同一损失出发。正确梯度 o - t "
        "的线稳步下降，在 eta 等于 3 时降到约 0.2。符号相反的梯度 t - o 的线稳步上升，升到约 6.7。"),
}
