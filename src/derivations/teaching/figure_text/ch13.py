"""Figure texts of chapter 13, A catalogue of mistakes (see :mod:`derivations.teaching.figure_text`).

The grid's rows are named by the mistakes' ids and the reference wrong
implementations' function names (code, the same in every language), and its
columns by the check's case descriptions, whose translations are those of
the verdicts (:func:`derivations.coursework.messages.case_name`); only the
one short form that no case description has is here.
"""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # -- where each wrong gradient fails (fig-mistakes-fingerprints) -------------------
    "soft targets {sums}": tr("objetivos suaves {sums}", "target lunak {sums}", "软目标 {sums}"),
    "{k}: {name}": tr("{k}: {name}", "{k}: {name}", "{k}：{name}"),
    "inputs\n{key}": tr("entradas\n{key}", "masukan\n{key}", "输入\n{key}"),
    "{symbol} right": tr("{symbol} correcto", "{symbol} benar", "{symbol} 正确"),
    "{symbol} wrong": tr("{symbol} erróneo", "{symbol} salah", "{symbol} 错误"),
    "{symbol} non-finite": tr("{symbol} no finito", "{symbol} tidak berhingga", "{symbol} 非有限值"),
    "{symbol} raises": tr("{symbol} excepción", "{symbol} eksepsi", "{symbol} 抛出异常"),
    "Where each wrong gradient fails": tr(
        "Dónde falla cada gradiente erróneo", "Di mana setiap gradien yang keliru gagal", "每个错误梯度在哪里出错"),
    "A grid with one row per catalogued wrong implementation of the cross-entropy gradient and one "
    "column per input of the check. Cells are coloured as right, wrong, non-finite or raising. The "
    "one-hot-only formula is right on the one-hot and two-class columns and wrong elsewhere; the missing "
    "1/N is right only on the single-example and one-class columns; the division by C is right on the "
    "square batch; the missing max shift gives NaN on the large logits, the logits near 1000 and the "
    "logits near -800, and the division by p gives NaN where a probability underflows, on the large "
    "logits and on the class 800 below its row's maximum; both are right everywhere else.": tr(
        "Una cuadrícula con una fila por cada implementación errónea del catálogo para el gradiente de la "
        "entropía cruzada y una columna por cada entrada de la comprobación. Cada celda lleva el color de "
        "su resultado: correcto, erróneo, no finito o una excepción. La fórmula que solo vale para "
        "objetivos one-hot es correcta en las columnas de objetivos one-hot y de dos clases, y errónea en "
        "las demás; la que omite el 1/N solo es correcta en las columnas de un único ejemplo y de una "
        "clase; la división por C es correcta en el lote cuadrado; la falta del desplazamiento por el "
        "máximo da NaN con los logits grandes, los logits cerca de 1000 y los logits cerca de -800, y la "
        "división por p da NaN donde una probabilidad se subdesborda, con los logits grandes y con la "
        "clase 800 por debajo del máximo de su fila; las dos son correctas en todas las demás entradas.",
        "Sebuah kisi dengan satu baris untuk setiap implementasi keliru dalam katalog untuk gradien "
        "entropi silang dan satu kolom untuk setiap masukan pemeriksaan. Warna setiap sel menunjukkan "
        "hasilnya: benar, salah, tidak berhingga, atau memunculkan eksepsi. Rumus yang hanya berlaku untuk "
        "target one-hot benar pada kolom target one-hot dan kolom dua kelas, dan salah di kolom lainnya; "
        "implementasi tanpa 1/N hanya benar pada kolom satu contoh dan kolom satu kelas; pembagian dengan "
        "C benar pada batch persegi; tanpa pergeseran maksimum, hasilnya NaN pada logit besar, logit di "
        "sekitar 1000, dan logit di sekitar -800, dan pembagian dengan p menghasilkan NaN di tempat "
        "probabilitas mengalami underflow, yaitu pada logit besar dan pada kelas yang 800 di bawah "
        "maksimum barisnya; keduanya benar di semua masukan lainnya.",
        "一个网格：每一行是交叉熵梯度的一个已收录的错误实现，每一列是检验的一个输入。单元格的颜色表示结果：正确、错误、"
        "非有限值或抛出异常。只适用于独热目标的公式在独热目标列和两个类别的列上正确，在其他列上错误；缺少 1/N "
        "的实现只在单个样本列和单个类别列上正确；除以 C 的实现在方形批量上正确；缺少最大值平移的实现在大 logit、"
        "1000 附近的 logit 和 -800 附近的 logit 上给出 NaN；除以 p 的实现在概率下溢之处给出 NaN，即在大 "
        "logit 上和比所在行最大值低 800 的类别上；这两者在其余输入上都正确。",
    ),
}
