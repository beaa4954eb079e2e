"""Figure texts of chapter 10, Beyond one-hot targets (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr


def _formula(text):
    """A name that is a formula of code names: the same in every edition, broken into lines for all three."""
    return tr(text, text, text)


TEXTS = {
    # fig-smoothing-rows: the smoothed target row as intended and as four slips build it. The names on
    # the axis come wrapped at about 22 characters a line (under the groups, or beside them on a phone);
    # each language breaks its own lines.
    "intended: (1 - eps)\nonehot + eps / C": tr(
        "prevista: (1 - eps)\nonehot + eps / C", "yang dimaksud:\n(1 - eps) onehot\n+ eps / C",
        "预期：(1 - eps)\nonehot + eps / C"),
    "1 - eps on the true\nclass, eps / C on the\nothers only": tr(
        "1 - eps en la clase\nreal, eps / C solo\nen las demás",
        "1 - eps di kelas\nbenar, eps / C hanya\ndi kelas lain",
        "真实类别取 1 - eps，\n仅其余类别取 eps / C"),
    "eps spread over the C\n- 1 other classes": tr(
        "eps repartido entre\nlas otras C - 1 clases", "eps dibagi ke\nC - 1 kelas lain",
        "eps 分给其余\nC - 1 个类别"),
    # the formulas keep their terms whole on a line (the English wrap splits them), so that
    # neighbouring names do not run into each other
    "(1 - eps / C) onehot +\neps / C": _formula("(1 - eps / C)\nonehot + eps / C"),
    "(1 - eps) onehot + eps": _formula("(1 - eps)\nonehot + eps"),
    # on two lines, so that neighbouring groups' notes stay apart
    "mass {mass:.2f}": tr("masa\n{mass:.2f}", "massa\n{mass:.2f}", "质量\n{mass:.2f}"),
    "target weight": tr("peso de objetivo", "bobot target", "目标权重"),
    "Five groups of five bars, one group per way of building the smoothed target, each bar one class. The "
    "intended row has 0.84 on class 2 and 0.04 elsewhere, mass 1. The variants have 0.8 and 0.04 (mass 0.96), "
    "0.8 and 0.05 (mass 1), 1.0 and 0.04 (mass 1.16), and 1.0 and 0.2 (mass 1.8).": tr(
        "Cinco grupos de cinco barras, un grupo por cada forma de construir el objetivo suavizado, y cada barra "
        "una clase. La fila prevista tiene 0.84 en la clase 2 y 0.04 en las demás, con masa 1. Las variantes "
        "tienen 0.8 y 0.04 (masa 0.96), 0.8 y 0.05 (masa 1), 1.0 y 0.04 (masa 1.16), y 1.0 y 0.2 (masa 1.8).",
        "Lima kelompok berisi lima batang, satu kelompok untuk setiap cara membangun target yang dihaluskan, "
        "dan setiap batang mewakili satu kelas. Baris yang dimaksudkan bernilai 0.84 pada kelas 2 dan 0.04 di "
        "tempat lain, dengan massa 1. Varian-variannya bernilai 0.8 dan 0.04 (massa 0.96), 0.8 dan 0.05 "
        "(massa 1), 1.0 dan 0.04 (massa 1.16), serta 1.0 dan 0.2 (massa 1.8).",
        "五组柱子，每组五根，每组对应构造平滑目标的一种方式，每根柱子对应一个类别。预期的行在类别 2 上为 0.84，"
        "其余为 0.04，质量为 1。各变体分别为 0.8 和 0.04（质量 0.96）、0.8 和 0.05（质量 1）、1.0 和 0.04"
        "（质量 1.16），以及 1.0 和 0.2（质量 1.8）。"),
    # fig-flat-direction: the loss along a random direction and along the shift that changes nothing
    "random direction": tr("dirección aleatoria", "arah acak", "随机方向"),
    "same shift for every class": tr(  # two lines, clear of the curve on a phone
        "mismo desplazamiento\nen todas las clases", "pergeseran yang sama\nuntuk setiap kelas",
        "所有类别相同的平移"),
    "distance s along the direction": tr(
        "distancia s a lo largo de la dirección", "jarak s sepanjang arah", "沿该方向的距离 s"),
    "mean cross-entropy": tr("entropía cruzada media", "rata-rata entropi silang", "平均交叉熵"),
    "Two curves of loss against distance s from -3 to 3. The random direction gives a convex, U-shaped curve "
    "with its lowest point, about 0.9, near s = -1.5, rising to about 1.8 at s = 3. The shift direction gives a "
    "horizontal dashed line at the starting loss, about 1.05.": tr(
        "Dos curvas de la pérdida frente a la distancia s, de -3 a 3. La dirección aleatoria da una curva "
        "convexa en forma de U, con su punto más bajo, de unos 0.9, cerca de s = -1.5, y que sube hasta unos "
        "1.8 en s = 3. La dirección del desplazamiento da una línea horizontal discontinua en la pérdida "
        "inicial, de unos 1.05.",
        "Dua kurva loss terhadap jarak s dari -3 hingga 3. Arah acak menghasilkan kurva konveks berbentuk U "
        "dengan titik terendah sekitar 0.9 di dekat s = -1.5, yang naik hingga sekitar 1.8 di s = 3. Arah "
        "pergeseran menghasilkan garis putus-putus mendatar pada loss awal, sekitar 1.05.",
        "两条损失随距离 s（从 -3 到 3）变化的曲线。随机方向给出一条凸的 U 形曲线，其最低点约为 0.9，位于 "
        "s = -1.5 附近，在 s = 3 处升至约 1.8。平移方向给出一条位于初始损失（约 1.05）处的水平虚线。"),
}
