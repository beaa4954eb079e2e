"""Figure texts of chapter 4, The two-output toy network (see :mod:`derivations.teaching.figure_text`).

Also the legend of :func:`derivations.teaching.graph_figure.draw_toy_network`.
"""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # draw_toy_network's legend: the highlighted paths from L back to a weight
    "path {n}": tr("camino {n}", "jalur {n}", "路径 {n}"),
    "on both paths": tr("común a ambos", "di kedua jalur", "两条路径共用"),
    "shared": tr("arista compartida", "sisi bersama", "共用的边"),
    # fig-toy-graph: the graph with both paths from L to w21 highlighted
    "A layered graph. On the left a column of nine nodes, the weights w11, w21, w31, the inputs h1, h2, h3 and "
    "the weights w12, w22, w32, with arrows into y1 and y2. Each of y1 and y2 has arrows to both o1 and o2, which "
    "both point to L. The edge w21 to y1 is black and thick; y1 to o1 and o1 to L are orange; y1 to o2 and o2 to "
    "L are blue; all other edges are thin and grey.": tr(
        "Un grafo por capas. A la izquierda, una columna de nueve nodos: los pesos w11, w21, w31, las entradas "
        "h1, h2, h3 y los pesos w12, w22, w32, con flechas hacia y1 y hacia y2. Tanto y1 como y2 tienen flechas "
        "hacia o1 y hacia o2, que a su vez apuntan ambos a L. La arista de w21 a y1 es negra y gruesa; las de y1 "
        "a o1 y de o1 a L son naranjas; las de y1 a o2 y de o2 a L son azules; todas las demás aristas son finas "
        "y grises.",
        "Sebuah graf berlapis. Di sebelah kiri ada satu kolom berisi sembilan simpul, yaitu bobot w11, w21, w31, "
        "masukan h1, h2, h3, dan bobot w12, w22, w32, dengan panah menuju y1 dan y2. Masing-masing y1 dan y2 "
        "memiliki panah ke o1 dan ke o2, dan keduanya menunjuk ke L. Sisi dari w21 ke y1 berwarna hitam dan "
        "tebal; sisi y1 ke o1 dan o1 ke L berwarna jingga; sisi y1 ke o2 dan o2 ke L berwarna biru; semua sisi "
        "lainnya tipis dan berwarna abu-abu.",
        "一张分层的图。左边是一列九个节点：权重 w11、w21、w31，输入 h1、h2、h3，以及权重 w12、w22、w32，"
        "它们用箭头连到 y1 和 y2。y1 和 y2 各自都有箭头指向 o1 和 o2，而 o1 和 o2 都指向 L。从 w21 到 y1 "
        "的边是黑色粗线；y1 到 o1、o1 到 L 的边是橙色的；y1 到 o2、o2 到 L 的边是蓝色的；其余的边都是灰色细线。"),
    # fig-toy-graph-values: the same graph with the example's numbers on it
    "The computational graph of the toy network annotated with numbers. The weight w21 has value 0.60 and its "
    "edge to y1 is labelled 1.50 (the input h2). y1 is 1.30 and y2 is -0.55; o1 is 0.86 and o2 is 0.14; L is "
    "2.00. The edge y1 to o1 carries 0.12 and o1 to L carries 0.00; the edge y1 to o2 carries -0.12 and o2 to L "
    "carries -7.36. A box at the bottom right reads dL/dw21 = (0.00) + (1.30) = 1.30.": tr(
        "El grafo computacional de la red de juguete, anotado con números. El peso w21 vale 0.60 y su arista "
        "hacia y1 lleva la etiqueta 1.50 (la entrada h2). y1 vale 1.30, y2 vale -0.55; o1 vale 0.86, o2 vale "
        "0.14; L vale 2.00. La arista de y1 a o1 transporta 0.12 y la de o1 a L, 0.00; la arista de y1 a o2 "
        "transporta -0.12 y la de o2 a L, -7.36. Un recuadro abajo a la derecha dice dL/dw21 = (0.00) + (1.30) "
        "= 1.30.",
        "Graf komputasi jaringan mainan yang diberi keterangan bilangan. Bobot w21 bernilai 0.60 dan sisinya ke "
        "y1 berlabel 1.50 (masukan h2). y1 bernilai 1.30 dan y2 bernilai -0.55; o1 bernilai 0.86 dan o2 bernilai "
        "0.14; L bernilai 2.00. Sisi y1 ke o1 membawa 0.12 dan sisi o1 ke L membawa 0.00; sisi y1 ke o2 membawa "
        "-0.12 dan sisi o2 ke L membawa -7.36. Sebuah kotak di kanan bawah bertuliskan dL/dw21 = (0.00) + (1.30) "
        "= 1.30.",
        "标上了数值的玩具网络计算图。权重 w21 的值为 0.60，它到 y1 的边标为 1.50（即输入 h2）。y1 为 1.30，"
        "y2 为 -0.55；o1 为 0.86，o2 为 0.14；L 为 2.00。y1 到 o1 的边传递 0.12，o1 到 L 的边传递 0.00；"
        "y1 到 o2 的边传递 -0.12，o2 到 L 的边传递 -7.36。右下角的方框写着 dL/dw21 = (0.00) + (1.30) = 1.30。"),
}
