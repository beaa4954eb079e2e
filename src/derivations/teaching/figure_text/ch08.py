"""Figure texts of chapter 8, Numerical stability (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

# "logit gap g (true class below the other)" and "loss" are in ch07 and common
TEXTS = {
    # fig-log-of-softmax: -log(softmax) against log-sum-exp
    "infinite": tr("infinito", "tak hingga", "无穷大"),
    "A line chart with the gap g from 0 to 900 on the x axis and the loss from 0 to 1000 on the y axis. Both "
    "log-sum-exp curves and both log-of-softmax curves follow the diagonal line loss = g at first. The float32 "
    "log-of-softmax curve jumps to the top edge, marked infinity, at g = 104, and the float64 one at g = 745. The "
    "log-sum-exp curves stay on the diagonal up to 900.": tr(
        "Un gráfico de líneas con la distancia g de 0 a 900 en el eje x y la pérdida de 0 a 1000 en el eje y. Las "
        "dos curvas de log-sum-exp y las dos del logaritmo de softmax siguen al principio la diagonal "
        "pérdida = g. La curva de float32 del logaritmo de softmax salta al borde superior, marcado como "
        "infinito, en g = 104, y la de float64 en g = 745. Las curvas de log-sum-exp se mantienen sobre la "
        "diagonal hasta 900.",
        "Diagram garis dengan celah g dari 0 hingga 900 pada sumbu x dan loss dari 0 hingga 1000 pada sumbu y. "
        "Kedua kurva log-sum-exp dan kedua kurva log dari softmax mula-mula mengikuti garis diagonal loss = g. "
        "Kurva log dari softmax untuk float32 melompat ke tepi atas, yang ditandai tak hingga, pada g = 104, dan "
        "kurva untuk float64 pada g = 745. Kurva log-sum-exp tetap berada pada diagonal hingga 900.",
        "一张折线图，横轴为差距 g，从 0 到 900，纵轴为损失，从 0 到 1000。两条 log-sum-exp 曲线和两条对 "
        "softmax 取对数的曲线起初都沿对角线“损失 = g”延伸。float32 下对 softmax 取对数的曲线在 g = 104 处跳到"
        "标为无穷大的上边缘，float64 下的则在 g = 745 处跳上去。两条 log-sum-exp 曲线一直停留在对角线上，直到 "
        "900。"),
    # fig-float-precision: relative error of the loss and of p - 1 for a confident correct prediction
    "loss log(1 + e^-g)": tr("pérdida log(1 + e^-g)", "loss log(1 + e^-g)", "损失 log(1 + e^-g)"),
    "gradient p - 1 of the true class": tr(
        "gradiente p - 1 de la clase verdadera", "gradien p - 1 kelas yang benar", "真实类别的梯度 p - 1"),
    "gap g (true class above the other)": tr(
        "distancia g (la clase verdadera, por encima)", "celah g (kelas yang benar di atas yang lain)",
        "差距 g（真实类别高于另一个类别）"),
    "relative error (capped at 1)": tr(
        "error relativo (con tope en 1)", "galat relatif (dibatasi pada 1)", "相对误差（上限为 1）"),
    "Two panels with the gap g from 0 to 45 on the x axis and the relative error on a logarithmic y axis from "
    "1e-17 to 2. In both panels the float32 points start between 1e-8 and 1e-6 and climb along a straight band "
    "to the cap of 1 by g = 16.6, where a dotted vertical line is drawn, and stay there. The float64 points "
    "start near 1e-16 and reach the cap by g = 36.7, also marked by a dotted line.": tr(
        "Dos paneles con la distancia g de 0 a 45 en el eje x y el error relativo en un eje y logarítmico de 1e-17 "
        "a 2. En ambos paneles, los puntos de float32 empiezan entre 1e-8 y 1e-6 y suben a lo largo de una banda "
        "recta hasta el tope de 1, al que llegan como muy tarde en g = 16.6, donde hay una línea vertical "
        "punteada, y se quedan ahí. Los puntos de float64 empiezan cerca de 1e-16 y alcanzan el tope como muy "
        "tarde en g = 36.7, también marcado con una línea punteada.",
        "Dua panel dengan celah g dari 0 hingga 45 pada sumbu x dan galat relatif pada sumbu y logaritmik dari "
        "1e-17 hingga 2. Di kedua panel, titik-titik float32 bermula di antara 1e-8 dan 1e-6 lalu naik menyusuri "
        "pita lurus hingga batas atas 1 paling lambat pada g = 16.6, tempat sebuah garis vertikal titik-titik "
        "digambar, dan tetap di sana. Titik-titik float64 bermula di dekat 1e-16 dan mencapai batas atas paling "
        "lambat pada g = 36.7, yang juga ditandai dengan garis titik-titik.",
        "两个子图，横轴为差距 g，从 0 到 45，纵轴为对数刻度的相对误差，从 1e-17 到 2。在两个子图中，float32 "
        "的点都从 1e-8 到 1e-6 之间开始，沿一条笔直的带状区域上升，最迟在 g = 16.6 处达到上限 1（那里画有一条"
        "竖直点线），之后一直停在上限。float64 的点从 1e-16 附近开始，最迟在 g = 36.7 处达到上限，那里同样标有"
        "一条点线。"),
    # fig-fused-stability: the fused gradient against the separate route in float32
    "fused: p - t": tr("fusionada: p - t", "terfusi: p - t", "融合：p - t"),
    "separate: -t/p, then the Jacobian": tr(
        "separada: -t/p y\ndespués la jacobiana", "terpisah: -t/p, lalu Jacobian", "分离：先 -t/p，再乘雅可比矩阵"),
    "separate route\ngives NaN": tr(
        "la ruta\nseparada\nda NaN", "jalur\nterpisah\nmemberi NaN", "分离路线\n得到 NaN"),
    "logit gap g (true class below the other), float32": tr(
        "distancia de logits g\n(la clase verdadera, por debajo), float32",
        "celah logit g (kelas yang benar\nlebih rendah), float32",
        "logit 差距 g（真实类别低于另一个类别），float32"),
    "dL/dz of the true class": tr("dL/dz de la clase verdadera", "dL/dz kelas yang benar", "真实类别的 dL/dz"),
    "A chart with the logit gap g from 0 to 120 on the x axis and the computed gradient on the y axis from -1.1 "
    "to -0.4. The fused curve starts at -0.5 and approaches -1 by g = 5, then stays at -1 up to 120. The "
    "separate curve lies on it up to g = 88.7 and stops there. A grey band from 88.7 to 120 is labelled "
    "\"separate route gives NaN\".": tr(
        "Un gráfico con la distancia de logits g de 0 a 120 en el eje x y el gradiente calculado en el eje y de "
        "-1.1 a -0.4. La curva fusionada empieza en -0.5 y se acerca a -1 hacia g = 5; después se queda en -1 "
        "hasta 120. La curva separada coincide con ella hasta g = 88.7 y se interrumpe ahí. Una banda gris de "
        "88.7 a 120 lleva la etiqueta \"la ruta separada da NaN\".",
        "Diagram dengan celah logit g dari 0 hingga 120 pada sumbu x dan gradien hasil hitungan pada sumbu y dari "
        "-1.1 hingga -0.4. Kurva terfusi bermula di -0.5 dan mendekati -1 pada g = 5, lalu tetap di -1 hingga 120. "
        "Kurva terpisah berimpit dengannya hingga g = 88.7 dan berhenti di sana. Sebuah pita abu-abu dari 88.7 "
        "hingga 120 diberi label \"jalur terpisah memberi NaN\".",
        "一张图，横轴为 logit 差距 g，从 0 到 120，纵轴为计算出的梯度，从 -1.1 到 -0.4。融合曲线从 -0.5 开始，"
        "到 g = 5 时已接近 -1，此后一直保持在 -1，直到 120。分离曲线在 g = 88.7 之前与它重合，并在那里中断。从 "
        "88.7 到 120 有一条灰色带，标注为“分离路线得到 NaN”。"),
}
