"""Figure texts of chapter 15, Sigmoid and binary cross-entropy (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # -- the loss and its gradient against the logit (fig-bce-curves) ------------------
    "logit z": tr("logit z", "logit z", "logit z"),
    "loss L(z, t)": tr("pérdida L(z, t)", "loss L(z, t)", "损失 L(z, t)"),
    "gradient sigma(z) - t": tr("gradiente sigma(z) - t", "gradien sigma(z) - t", "梯度 sigma(z) - t"),
    "Two line charts over the logit z from -6 to 6. On the left, three loss curves cross at z = 0 at a "
    "loss of about 0.69. The curve for t = 1 falls from about 6.0 at z = -6 to about 0.0025 at z = 6, the "
    "curve for t = 0 is its mirror image, and the curve for t = 0.25 has its lowest point, about 0.56, at "
    "z of about -1.1. On the right, three S-shaped gradient curves run from -t to 1 - t, so the curve for "
    "t = 1 runs from -1 to 0, the one for t = 0 from 0 to 1, and the one for t = 0.25 from -0.25 to 0.75, "
    "crossing 0 at the same z of about -1.1.": tr(
        "Dos gráficos de líneas sobre el logit z, de -6 a 6. A la izquierda, tres curvas de pérdida se "
        "cruzan en z = 0 con una pérdida de aproximadamente 0.69. La curva para t = 1 baja de "
        "aproximadamente 6.0 en z = -6 a aproximadamente 0.0025 en z = 6, la curva para t = 0 es su imagen "
        "especular, y la curva para t = 0.25 tiene su punto más bajo, aproximadamente 0.56, cerca de "
        "z = -1.1. A la derecha, tres curvas de gradiente en forma de S van de -t a 1 - t, así que la "
        "curva para t = 1 va de -1 a 0, la de t = 0 de 0 a 1, y la de t = 0.25 de -0.25 a 0.75, y cruza "
        "el 0 en el mismo z, cerca de -1.1.",
        "Dua diagram garis terhadap logit z dari -6 hingga 6. Di sebelah kiri, tiga kurva loss berpotongan "
        "di z = 0 pada loss sekitar 0.69. Kurva untuk t = 1 turun dari sekitar 6.0 pada z = -6 hingga "
        "sekitar 0.0025 pada z = 6, kurva untuk t = 0 adalah bayangan cerminnya, dan kurva untuk t = 0.25 "
        "mencapai titik terendahnya, sekitar 0.56, pada z sekitar -1.1. Di sebelah kanan, tiga kurva "
        "gradien berbentuk S bergerak dari -t hingga 1 - t, sehingga kurva untuk t = 1 bergerak dari -1 "
        "hingga 0, kurva untuk t = 0 dari 0 hingga 1, dan kurva untuk t = 0.25 dari -0.25 hingga 0.75 "
        "serta memotong 0 pada z yang sama, sekitar -1.1.",
        "两幅折线图，横轴是 logit z，从 -6 到 6。左图中，三条损失曲线在 z = 0 处相交，损失约为 0.69。"
        "t = 1 的曲线从 z = -6 处的约 6.0 下降到 z = 6 处的约 0.0025，t = 0 的曲线是它的镜像，"
        "t = 0.25 的曲线在 z 约为 -1.1 处取得最低点，约 0.56。右图中，三条 S 形的梯度曲线从 -t 变到 "
        "1 - t，因此 t = 1 的曲线从 -1 变到 0，t = 0 的曲线从 0 变到 1，t = 0.25 的曲线从 -0.25 变到 "
        "0.75，并在同一个 z（约 -1.1）处穿过 0。",
    ),
    # -- the error of the textbook and the stable form (fig-bce-accuracy) --------------
    "textbook, {name}": tr("fórmula de libro, {name}", "rumus buku teks, {name}", "教科书公式，{name}"),
    "stable, {name}": tr("forma estable, {name}", "bentuk stabil, {name}", "稳定形式，{name}"),
    "logit z (target t = 0)": tr("logit z (objetivo t = 0)", "logit z (target t = 0)", "logit z（目标 t = 0）"),
    "error in ulps": tr("error en ulps", "galat dalam ulp", "误差（ulp）"),
    "A chart of the error in ulps on a logarithmic scale against the logit z. The stable form stays at or "
    "below 1 ulp in both precisions across the whole range. The textbook formula is wrong in every digit "
    "for large negative z, about 4.5e15 ulps in float64 and 8.4e6 in float32, where the tiny loss comes "
    "out as 0; its error falls towards z = 0 and rises again, and its loss is infinite from z = 37 in "
    "float64 and from z = 17 in float32.": tr(
        "Un gráfico del error en ulps, en escala logarítmica, frente al logit z. La forma estable se "
        "mantiene en 1 ulp o menos en ambas precisiones en todo el intervalo. La fórmula de los libros de "
        "texto falla en todas las cifras para z grandes y negativos, con unos 4.5e15 ulps en float64 y "
        "8.4e6 en float32, donde la pérdida diminuta sale como 0; su error baja hacia z = 0 y vuelve a "
        "subir, y su pérdida es infinita a partir de z = 37 en float64 y de z = 17 en float32.",
        "Diagram galat dalam ulp pada skala logaritmik terhadap logit z. Bentuk yang stabil tetap pada atau "
        "di bawah 1 ulp dalam kedua presisi di seluruh rentang. Rumus buku teks salah di setiap digit untuk "
        "z negatif yang besar, sekitar 4.5e15 ulp dalam float64 dan 8.4e6 dalam float32, karena loss yang "
        "sangat kecil keluar sebagai 0; galatnya turun menuju z = 0 lalu naik lagi, dan loss-nya tak "
        "hingga mulai dari z = 37 dalam float64 dan dari z = 17 dalam float32.",
        "一幅以对数刻度表示误差（ulp）与 logit z 关系的图。稳定形式在两种精度下、在整个范围内都不超过 1 ulp。"
        "对于很大的负 z，教科书公式的每一位都是错的：在 float64 中误差约为 4.5e15 ulp，在 float32 中约为 "
        "8.4e6 ulp，因为极小的损失被算成了 0；它的误差在接近 z = 0 时下降，随后又上升；在 float64 中从 "
        "z = 37 起、在 float32 中从 z = 17 起，它的损失为无穷大。",
    ),
}
