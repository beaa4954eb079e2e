"""Figure texts of chapter 11, Training a classifier (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-digits: twenty of the digits
    "Two rows of ten small, blocky grey-scale images of handwritten digits 0 to 9, each labelled with its digit. "
    "The digits are recognisable but coarse, drawn with only 8 by 8 pixels.": tr(
        "Dos filas de diez imágenes pequeñas y pixeladas, en escala de grises, de dígitos manuscritos del 0 al "
        "9, cada una rotulada con su dígito. Los dígitos se reconocen, pero son toscos: están dibujados con solo "
        "8 por 8 píxeles.",
        "Dua baris berisi sepuluh gambar kecil berpiksel kasar dalam skala abu-abu, berupa digit tulisan tangan "
        "0 hingga 9, masing-masing diberi keterangan digitnya. Digit-digit itu dapat dikenali tetapi kasar, "
        "karena digambar hanya dengan 8 kali 8 piksel.",
        "两行各十幅小而粗糙的灰度图像，内容是手写数字 0 到 9，每幅都标有其数字。这些数字可以辨认，但很粗糙，"
        "只用了 8 × 8 个像素。"),
    # fig-training-curves: loss and accuracy of the two models during training
    "softmax regression, train": tr(
        "regresión softmax, entrenamiento", "regresi softmax, pelatihan", "softmax 回归，训练集"),
    "softmax regression, test": tr("regresión softmax, prueba", "regresi softmax, uji", "softmax 回归，测试集"),
    "{h} hidden units, train": tr(
        "{h} unidades ocultas, entrenamiento", "{h} unit tersembunyi, pelatihan", "{h} 个隐藏单元，训练集"),
    "{h} hidden units, test": tr("{h} unidades ocultas, prueba", "{h} unit tersembunyi, uji", "{h} 个隐藏单元，测试集"),
    "step": tr("paso", "langkah", "步数"),
    "accuracy": tr("exactitud", "akurasi", "准确率"),
    "Two line charts against the gradient-descent step from 0 to 500. Left, the loss on a log scale falls from "
    "2.3 for both models; the network's training loss ends lowest, near 0.014, softmax regression's near 0.07, "
    "and both test losses level off between 0.1 and 0.15, above the training losses. Right, accuracy rises "
    "quickly above 0.9; training accuracy reaches about 0.99 to 1.0 and test accuracy settles near 0.96 for both "
    "models.": tr(
        "Dos gráficos de líneas en función del paso del descenso del gradiente, de 0 a 500. A la izquierda, la "
        "pérdida, en escala logarítmica, baja desde 2.3 en los dos modelos; la pérdida de entrenamiento de la "
        "red termina la más baja, cerca de 0.014, la de la regresión softmax cerca de 0.07, y las dos pérdidas "
        "de prueba se estabilizan entre 0.1 y 0.15, por encima de las pérdidas de entrenamiento. A la derecha, "
        "la exactitud sube rápidamente por encima de 0.9; la exactitud de entrenamiento llega a valores de entre "
        "0.99 y 1.0, y la de prueba se asienta cerca de 0.96 en los dos modelos.",
        "Dua diagram garis terhadap langkah penurunan gradien dari 0 hingga 500. Di kiri, loss pada skala log "
        "turun dari 2.3 untuk kedua model; loss pelatihan jaringan berakhir paling rendah, sekitar 0.014, loss "
        "regresi softmax sekitar 0.07, dan kedua loss uji mendatar di antara 0.1 dan 0.15, di atas loss "
        "pelatihan. Di kanan, akurasi naik dengan cepat hingga di atas 0.9; akurasi pelatihan mencapai sekitar "
        "0.99 hingga 1.0 dan akurasi uji menetap di sekitar 0.96 untuk kedua model.",
        "两幅以梯度下降步数（0 到 500）为横轴的折线图。左图中，对数坐标下的损失对两个模型都从 2.3 开始下降；"
        "网络的训练损失最终最低，约为 0.014，softmax 回归的约为 0.07，两条测试损失都在 0.1 到 0.15 之间趋于"
        "平稳，高于训练损失。右图中，准确率很快升到 0.9 以上；训练准确率达到约 0.99 到 1.0，两个模型的测试"
        "准确率都稳定在 0.96 附近。"),
    # fig-l2-norms: the weight and gradient norms without and with the L2 penalty
    "|gradient|": tr("|gradiente|", "|gradien|", "|梯度|"),
    "Two line charts against the gradient-descent step, up to {last}. Left, on a logarithmic step axis, the "
    "weight norm without the penalty keeps rising, from {w0_500:.1f} at step 500 to {w0:.1f} at the end, bending "
    "upward with no sign of levelling off; with lambda = 0.01 it rises to {w1:.2f} within the first few hundred "
    "steps and stays flat. Right, on a logarithmic scale, the gradient norm without the penalty falls slowly, to "
    "{g0:.0e}; with the penalty it falls along a nearly straight line to {g1:.0e}.": tr(
        "Dos gráficos de líneas en función del paso del descenso del gradiente, hasta {last}. A la izquierda, "
        "con un eje de pasos logarítmico, la norma de los pesos sin la penalización no deja de crecer, de "
        "{w0_500:.1f} en el paso 500 a {w0:.1f} al final, curvándose hacia arriba sin señal de estabilizarse; "
        "con lambda = 0.01 sube hasta {w1:.2f} en los primeros cientos de pasos y se mantiene plana. A la "
        "derecha, en escala logarítmica, la norma del gradiente sin la penalización baja lentamente, hasta "
        "{g0:.0e}; con la penalización baja por una línea casi recta hasta {g1:.0e}.",
        "Dua diagram garis terhadap langkah penurunan gradien, hingga {last}. Di kiri, pada sumbu langkah "
        "logaritmik, norma bobot tanpa penalti terus naik, dari {w0_500:.1f} pada langkah 500 menjadi {w0:.1f} "
        "di akhir, melengkung ke atas tanpa tanda-tanda akan mendatar; dengan lambda = 0.01 norma itu naik "
        "hingga {w1:.2f} dalam beberapa ratus langkah pertama lalu tetap datar. Di kanan, pada skala "
        "logaritmik, norma gradien tanpa penalti turun perlahan, hingga {g0:.0e}; dengan penalti norma itu "
        "turun mengikuti garis yang hampir lurus hingga {g1:.0e}.",
        "两幅以梯度下降步数为横轴的折线图，步数最多到 {last}。左图的步数轴为对数坐标，不带惩罚时权重范数不断"
        "上升，从第 500 步的 {w0_500:.1f} 升到最后的 {w0:.1f}，曲线向上弯曲，没有任何趋于平稳的迹象；取 "
        "lambda = 0.01 时，它在最初几百步内升到 {w1:.2f}，之后保持平坦。右图为对数坐标，不带惩罚时梯度范数"
        "缓慢下降，降到 {g0:.0e}；带惩罚时它沿一条近乎笔直的线降到 {g1:.0e}。"),
    # fig-descent-regions: the decision regions of the toy set during gradient descent
    "after {n} step": tr("tras {n} paso", "setelah {n} langkah", "{n} 步之后"),
    "after {n} steps": tr("tras {n} pasos", "setelah {n} langkah", "{n} 步之后"),
    "Three panels of the same 120 points in three colours, blobs at the corners of a triangle, over coloured "
    "regions. After 1 step the three regions already point at the three blobs, with boundaries meeting near the "
    "origin; the colours are faint at the centre and deepen only far out. After 5 steps the boundaries have "
    "barely moved and the colours are stronger; after 200 steps the colours are deep everywhere except in a thin "
    "band along the boundaries, where the blobs overlap and a few points lie on the wrong side. Below, a loss "
    "curve falls steeply from 1.10 over the first ten steps and flattens near 0.16 by step 200.": tr(
        "Tres paneles con los mismos 120 puntos en tres colores, nubes en los vértices de un triángulo, sobre "
        "regiones coloreadas. Tras 1 paso, las tres regiones ya apuntan a las tres nubes, con fronteras que se "
        "encuentran cerca del origen; los colores son tenues en el centro y solo se intensifican lejos de él. "
        "Tras 5 pasos, las fronteras apenas se han movido y los colores son más fuertes; tras 200 pasos, los "
        "colores son intensos en todas partes salvo en una franja estrecha a lo largo de las fronteras, donde "
        "las nubes se solapan y unos pocos puntos quedan en el lado equivocado. Debajo, una curva de pérdida "
        "baja con fuerza desde 1.10 durante los diez primeros pasos y se aplana cerca de 0.16 hacia el paso "
        "200.",
        "Tiga panel berisi 120 titik yang sama dalam tiga warna, berupa gumpalan di sudut-sudut sebuah segitiga, "
        "di atas daerah-daerah berwarna. Setelah 1 langkah, ketiga daerah sudah mengarah ke ketiga gumpalan, "
        "dengan batas-batas yang bertemu di dekat titik asal; warnanya pudar di tengah dan baru menjadi pekat "
        "jauh di luar. Setelah 5 langkah, batas-batasnya hampir tidak bergeser dan warnanya lebih kuat; setelah "
        "200 langkah, warnanya pekat di mana-mana kecuali pada pita tipis di sepanjang batas, tempat "
        "gumpalan-gumpalan itu bertumpang tindih dan beberapa titik berada di sisi yang salah. Di bawah, kurva "
        "loss turun tajam dari 1.10 selama sepuluh langkah pertama dan mendatar di sekitar 0.16 pada langkah "
        "200.",
        "三个面板，画的是同样的 120 个点，分三种颜色，成团地位于一个三角形的三个角上，底下是着色的区域。"
        "经过 1 步后，三个区域已经分别指向三个点团，边界在原点附近相交；颜色在中心很淡，只在远处才变深。"
        "经过 5 步后，边界几乎没有移动，颜色更深了；经过 200 步后，除了沿边界的一条窄带（那里点团相互重叠，"
        "有少数点落在错误的一侧）之外，各处颜色都很深。下方的损失曲线在前十步从 1.10 急剧下降，到第 200 步"
        "时在 0.16 附近趋于平缓。"),
}
