"""Figure texts of chapter 7, Fused versus separate (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-fused-detour: the separate route's -t/p against the fused p - t
    "separate: loss node sends |-t/p| for the true class": tr(
        "separada: el nodo de pérdida envía\n|-t/p| para la clase verdadera",
        "terpisah: simpul loss mengirim\n|-t/p| untuk kelas yang benar",
        "分离：损失节点对真实类别\n传下 |-t/p|"),
    "fused: |p - t| for the true class": tr(
        "fusionada: |p - t|\npara la clase verdadera", "terfusi: |p - t|\nuntuk kelas yang benar",
        "融合：真实类别的 |p - t|"),
    "largest float32": tr("máximo de float32", "float32 terbesar", "float32 的最大值"),
    "logit gap g (true class below the other)": tr(
        "distancia de logits g\n(la clase verdadera, por debajo)",
        "celah logit g (kelas yang benar lebih rendah)", "logit 差距 g（真实类别低于另一个类别）"),
    "size of the gradient": tr("tamaño del gradiente", "besar gradien", "梯度的大小"),
    "A chart with the logit gap g from 0 to 100 on the x axis and the size of a gradient on a logarithmic y axis. "
    "The separate route's intermediate gradient is a straight rising line from 2 at g = 0 to about 1e43 at "
    "g = 100, crossing the dotted float32 maximum near g = 89. The fused gradient is a flat line, 0.5 at g = 0 "
    "and 1 from g = 5 on.": tr(
        "Un gráfico con la distancia de logits g de 0 a 100 en el eje x y el tamaño de un gradiente en un eje y "
        "logarítmico. El gradiente intermedio de la ruta separada es una recta ascendente que va de 2 en g = 0 a "
        "alrededor de 1e43 en g = 100 y cruza la línea punteada del máximo de float32 cerca de g = 89. El "
        "gradiente fusionado es una línea plana: 0.5 en g = 0 y 1 a partir de g = 5.",
        "Diagram dengan celah logit g dari 0 hingga 100 pada sumbu x dan besar gradien pada sumbu y logaritmik. "
        "Gradien antara dari jalur terpisah berupa garis lurus yang naik dari 2 pada g = 0 hingga sekitar 1e43 "
        "pada g = 100, dan memotong garis titik-titik nilai maksimum float32 di dekat g = 89. Gradien terfusi "
        "berupa garis datar, 0.5 pada g = 0 dan 1 mulai dari g = 5.",
        "一张图，横轴为 logit 差距 g，从 0 到 100，纵轴为对数刻度的梯度大小。分离路线的中间梯度是一条笔直上升"
        "的线，从 g = 0 处的 2 升到 g = 100 处的约 1e43，并在 g = 89 附近越过表示 float32 最大值的点线。融合"
        "梯度是一条平线，g = 0 时为 0.5，从 g = 5 起为 1。"),
    # fig-separate-node: the separate softmax node against central differences
    "buggy node (eye of N)": tr(
        "nodo defectuoso (eye de N)", "simpul ber-bug (eye berukuran N)", "有 bug 的节点（N 阶单位矩阵）"),
    "correct node, loss sends (p - t)/N": tr(
        "nodo correcto, la pérdida envía (p - t)/N", "simpul benar, loss mengirim (p - t)/N",
        "正确的节点，损失传下 (p - t)/N"),
    "repaired: loss sends -t/(Np), node per row": tr(
        "reparado: la pérdida envía -t/(Np), nodo por fila", "diperbaiki: loss mengirim -t/(Np), simpul per baris",
        "修复后：损失传下 -t/(Np)，节点逐行计算"),
    "relative error vs\nfinite differences": tr(
        "error relativo frente a\ndiferencias finitas", "galat relatif terhadap\nbeda hingga",
        "相对于有限差分的\n相对误差"),
    "A grouped bar chart on a logarithmic scale from 1e-11 to 10. For batch sizes 1, 10 and 32 there are three "
    "bars each. The buggy node's bars reach about 0.3 and 1 and, for N = 32, are replaced by the label "
    "\"ValueError\". The bars for the student's loss node reach about 1 for every batch size. The repaired pair's "
    "bars stay near 1e-9.": tr(
        "Un diagrama de barras agrupadas en escala logarítmica de 1e-11 a 10. Para los tamaños de lote 1, 10 y 32 "
        "hay tres barras en cada caso. Las barras del nodo defectuoso llegan a alrededor de 0.3 y 1 y, para "
        "N = 32, las sustituye la etiqueta \"ValueError\". Las barras del nodo de pérdida del estudiante llegan a "
        "alrededor de 1 para cualquier tamaño de lote. Las barras del par reparado se quedan cerca de 1e-9.",
        "Diagram batang berkelompok pada skala logaritmik dari 1e-11 hingga 10. Untuk ukuran batch 1, 10, dan 32 "
        "masing-masing ada tiga batang. Batang simpul yang ber-bug mencapai sekitar 0.3 dan 1 dan, untuk N = 32, "
        "digantikan oleh label \"ValueError\". Batang untuk simpul loss milik sang mahasiswa mencapai sekitar 1 "
        "untuk setiap ukuran batch. Batang pasangan yang telah diperbaiki tetap di dekat 1e-9.",
        "一张对数刻度的分组柱状图，范围从 1e-11 到 10。批量大小为 1、10 和 32 时各有三根柱。有 bug 的节点的柱"
        "分别达到约 0.3 和 1，在 N = 32 时则被标签“ValueError”取代。学生的损失节点对应的柱在每种批量大小下都"
        "达到约 1。修复后的这对节点的柱停留在 1e-9 附近。"),
    # fig-batch-mean: the weight gradient with and without the mean's 1/N
    "mean over the batch (1/N once)": tr(
        "media sobre el lote (1/N una vez)", "rata-rata atas batch (1/N sekali)", "对批量取均值（只乘一次 1/N）"),
    "1/N missing (a sum)": tr("sin el 1/N (una suma)", "tanpa 1/N (berupa jumlah)", "缺少 1/N（求和）"),
    "N times the expected gradient": tr(
        "N veces el gradiente esperado", "N kali gradien harapan", "期望梯度的 N 倍"),
    "batch size N": tr("tamaño de lote N", "ukuran batch N", "批量大小 N"),
    "norm of dL/dW": tr("norma de dL/dW", "norma dL/dW", "dL/dW 的范数"),
    "A log-log chart of gradient size against batch size. The curve with the 1/N starts near 5 at batch size 1 "
    "and falls to about 0.6, where it levels off from a few hundred examples on. The curve without it starts at "
    "the same point and climbs, slowly at first and then parallel to the dotted slope-one line, to about 600 at "
    "batch size 1024.": tr(
        "Un gráfico log-log del tamaño del gradiente frente al tamaño de lote. La curva con el 1/N empieza cerca "
        "de 5 con tamaño de lote 1 y baja hasta alrededor de 0.6, donde se estabiliza a partir de unos cientos de "
        "ejemplos. La curva sin él empieza en el mismo punto y sube, lentamente al principio y luego en paralelo "
        "a la recta punteada de pendiente uno, hasta alrededor de 600 con tamaño de lote 1024.",
        "Diagram log-log besar gradien terhadap ukuran batch. Kurva dengan 1/N bermula di dekat 5 pada ukuran "
        "batch 1 dan turun hingga sekitar 0.6, lalu mendatar mulai dari beberapa ratus contoh. Kurva tanpanya "
        "bermula di titik yang sama dan naik, mula-mula perlahan lalu sejajar dengan garis titik-titik "
        "berkemiringan satu, hingga sekitar 600 pada ukuran batch 1024.",
        "一张双对数坐标图，展示梯度大小随批量大小的变化。带 1/N 的曲线在批量大小为 1 时约为 5，随后下降到约 "
        "0.6，并从几百个样本起趋于平稳。不带它的曲线从同一点出发并不断上升，起初缓慢，随后与斜率为一的点线平行，"
        "在批量大小为 1024 时达到约 600。"),
}
