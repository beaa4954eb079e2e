"""Figure texts of chapter 9, Gradient checking (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # fig-gradcheck-v: the V-shaped error curves of finite differences against the step
    "forward, {dtype}": tr("hacia delante, {dtype}", "beda maju, {dtype}", "前向差分，{dtype}"),
    "central, {dtype}": tr("central, {dtype}", "beda pusat, {dtype}", "中心差分，{dtype}"),
    r"step $\varepsilon$": tr(r"paso $\varepsilon$", r"langkah $\varepsilon$", r"步长 $\varepsilon$"),
    "relative error of the derivative": tr(
        "error relativo de la derivada", "galat relatif turunan", "导数的相对误差"),
    "A log-log plot of relative error (1e-12 to 10) against step size eps (1e-12 to 1). Four V-shaped curves, "
    "forward and central differences in float64 and float32. The float32 curves stay flat at an error of 1 for "
    "steps up to about {flat:.0e} and reach their lowest points at about {f32c_err:.0e} near eps = {f32c_eps:.0e} "
    "(central) and about {f32f_err:.0e} near eps = {f32f_eps:.0e} (forward). The central float64 curve reaches "
    "its lowest error at about {f64c_err:.0e} near eps = {f64c_eps:.0e}; the forward float64 curve bottoms out "
    "at about {f64f_err:.0e} near eps = {f64f_eps:.0e}. Right of each minimum the curves fall as eps shrinks, "
    "the central ones twice as steeply.": tr(
        "Un gráfico log-log del error relativo (de 1e-12 a 10) frente al tamaño del paso eps (de 1e-12 a 1). "
        "Cuatro curvas en forma de V: las diferencias hacia delante y centrales en float64 y en float32. Las "
        "curvas de float32 se mantienen planas en un error de 1 para pasos de hasta alrededor de {flat:.0e} y "
        "alcanzan sus puntos más bajos en torno a {f32c_err:.0e} cerca de eps = {f32c_eps:.0e} (central) y en "
        "torno a {f32f_err:.0e} cerca de eps = {f32f_eps:.0e} (hacia delante). La curva central de float64 "
        "alcanza su error más bajo en torno a {f64c_err:.0e} cerca de eps = {f64c_eps:.0e}; la curva hacia "
        "delante de float64 toca fondo en torno a {f64f_err:.0e} cerca de eps = {f64f_eps:.0e}. A la derecha "
        "de cada mínimo las curvas bajan a medida que eps se reduce, las centrales con el doble de pendiente.",
        "Plot log-log galat relatif (1e-12 hingga 10) terhadap ukuran langkah eps (1e-12 hingga 1). Empat "
        "kurva berbentuk V, yaitu beda maju dan beda pusat dalam float64 dan float32. Kurva float32 tetap datar "
        "pada galat 1 untuk langkah hingga sekitar {flat:.0e} dan mencapai titik terendahnya di sekitar "
        "{f32c_err:.0e} dekat eps = {f32c_eps:.0e} (pusat) dan sekitar {f32f_err:.0e} dekat eps = "
        "{f32f_eps:.0e} (maju). Kurva pusat float64 mencapai galat terendahnya di sekitar {f64c_err:.0e} dekat "
        "eps = {f64c_eps:.0e}; kurva maju float64 mencapai dasarnya di sekitar {f64f_err:.0e} dekat eps = "
        "{f64f_eps:.0e}. Di kanan setiap minimum, kurva-kurva itu turun ketika eps mengecil, dan kurva pusat "
        "turun dua kali lebih curam.",
        "相对误差（1e-12 到 10）对步长 eps（1e-12 到 1）的双对数图。图中有四条 V 形曲线，分别是 float64 和 "
        "float32 下的前向差分与中心差分。float32 的曲线在步长不超过约 {flat:.0e} 时平坦地停留在误差 1 处，"
        "其最低点分别约为 {f32c_err:.0e}，位于 eps = {f32c_eps:.0e} 附近（中心差分），以及约为 "
        "{f32f_err:.0e}，位于 eps = {f32f_eps:.0e} 附近（前向差分）。float64 的中心差分曲线的最低误差约为 "
        "{f64c_err:.0e}，位于 eps = {f64c_eps:.0e} 附近；float64 的前向差分曲线的谷底约为 {f64f_err:.0e}，"
        "位于 eps = {f64f_eps:.0e} 附近。在每个最小值右侧，曲线随 eps 缩小而下降，中心差分曲线的下降陡度是"
        "前向差分的两倍。"),
    # fig-gradcheck-kink: the central difference across a ReLU's kink
    "loss along h": tr("pérdida a lo largo de h", "loss sepanjang h", "沿 h 的损失"),
    "central difference (secant)": tr(
        "diferencia central (secante)", "beda pusat (garis potong)", "中心差分（割线）"),
    "slope from the left: 0": tr("pendiente por la izquierda: 0", "kemiringan dari kiri: 0", "左侧斜率：0"),
    "slope from the right: {slope:.2f}": tr(
        "pendiente por la derecha: {slope:.2f}", "kemiringan dari kanan: {slope:.2f}", "右侧斜率：{slope:.2f}"),
    "pre-activation h of one ReLU unit": tr(
        "preactivación h de una unidad ReLU", "praaktivasi h dari satu unit ReLU", "某个 ReLU 单元的预激活值 h"),
    "A curve that is flat for h below 0 and rises along a straight-looking slope for h above 0, with a corner at "
    "0. A dashed secant line joins the curve at h = -0.3 and h = 0.3; it is less steep than the right-hand branch "
    "and steeper than the flat left-hand branch. Two short solid segments at the corner show the left slope "
    "(flat) and the right slope.": tr(
        "Una curva plana para h por debajo de 0 que sube por una pendiente de aspecto recto para h por encima "
        "de 0, con un punto anguloso en 0. Una secante discontinua une la curva en h = -0.3 y h = 0.3; es menos "
        "empinada que la rama derecha y más que la rama izquierda, que es plana. Dos segmentos cortos continuos "
        "en el punto anguloso muestran la pendiente por la izquierda (plana) y la pendiente por la derecha.",
        "Sebuah kurva yang datar untuk h di bawah 0 dan naik sepanjang kemiringan yang tampak lurus untuk h di "
        "atas 0, dengan titik patah di 0. Garis potong putus-putus menghubungkan kurva di h = -0.3 dan h = 0.3; "
        "garis itu kurang curam dibandingkan cabang kanan dan lebih curam dibandingkan cabang kiri yang datar. "
        "Dua ruas pendek bergaris utuh di titik patah menunjukkan kemiringan kiri (datar) dan kemiringan kanan.",
        "一条曲线：h 小于 0 时平坦，h 大于 0 时沿一段看似笔直的斜坡上升，在 0 处有一个折点。一条虚线割线在 "
        "h = -0.3 和 h = 0.3 处与曲线相交；它比右侧分支平缓，比平坦的左侧分支陡。折点处的两条短实线段分别表示"
        "左侧斜率（平坦）和右侧斜率。"),
}
