"""Figure texts of chapter 16, Backprop through every operation (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-elementary-graph: the nine steps as a computational graph, with each intermediate's shape
    "scalar": tr("escalar", "skalar", "标量"),
    "A left-to-right chain of labelled boxes, z, zs, e, p, logp, picked and L on the lower row and m, s and r on "
    "the upper row. z feeds m and zs; m feeds zs through a dashed arrow; zs feeds e; e feeds p and s through two "
    "orange arrows; s feeds r; r feeds p through a dashed arrow; then p feeds logp, logp feeds picked and picked "
    "feeds L. Each box shows its shape, (N, C), (N, 1), (N,) or a scalar.": tr(
        "Una cadena de cajas etiquetadas que va de izquierda a derecha: z, zs, e, p, logp, picked y L en la fila "
        "inferior, y m, s y r en la fila superior. z alimenta a m y a zs; m alimenta a zs mediante una flecha "
        "discontinua; zs alimenta a e; e alimenta a p y a s mediante dos flechas naranjas; s alimenta a r; r "
        "alimenta a p mediante una flecha discontinua; después p alimenta a logp, logp alimenta a picked y "
        "picked alimenta a L. Cada caja muestra su forma: (N, C), (N, 1), (N,) o un escalar.",
        "Rantai kotak berlabel dari kiri ke kanan: z, zs, e, p, logp, picked, dan L di baris bawah, serta m, s, "
        "dan r di baris atas. z menjadi masukan bagi m dan zs; m menjadi masukan bagi zs melalui panah "
        "putus-putus; zs menjadi masukan bagi e; e menjadi masukan bagi p dan s melalui dua panah jingga; s "
        "menjadi masukan bagi r; r menjadi masukan bagi p melalui panah putus-putus; lalu p menjadi masukan bagi "
        "logp, logp bagi picked, dan picked bagi L. Setiap kotak menampilkan bentuknya, (N, C), (N, 1), (N,), "
        "atau sebuah skalar.",
        "一条从左到右、由带标签的方框组成的链：下面一行是 z、zs、e、p、logp、picked 和 L，上面一行是 m、s 和 r。"
        "z 输入到 m 和 zs；m 通过一条虚线箭头输入到 zs；zs 输入到 e；e 通过两条橙色箭头输入到 p 和 s；"
        "s 输入到 r；r 通过一条虚线箭头输入到 p；然后 p 输入到 logp，logp 输入到 picked，picked 输入到 L。"
        "每个方框都标出了它的形状：(N, C)、(N, 1)、(N,) 或标量。"),
}
