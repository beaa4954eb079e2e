"""Figure texts of chapter 12, What it costs (see :mod:`derivations.teaching.figure_text`).

Besides the words in the chapter's figures and their alt text, this holds the
pieces of the chapter's two measured paragraphs, written by
:func:`~derivations.teaching.roofline.roof_paragraph` and
:func:`~derivations.teaching.roofline.exp_ceiling`: their words follow this
build's measurements ("about half", "about two thirds"), so no gettext
catalogue can hold them, and :func:`~derivations.teaching.roofline.live_measurement`
shows them in every edition's language.
"""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    # -- the time per row against the number of classes (fig-cost-time) ---------------
    "Jacobian by loops": tr("jacobiana con bucles", "Jacobian dengan perulangan", "用循环构造雅可比矩阵"),
    "diag(p) - p pᵀ": tr("diag(p) - p pᵀ", "diag(p) - p pᵀ", "diag(p) - p pᵀ"),
    "batched einsum": tr("einsum por lotes", "einsum per batch", "批量 einsum"),
    "vector-Jacobian product": tr("producto vector-jacobiana", "perkalian vektor-Jacobian", "向量-雅可比积"),
    "slope {k}": tr("pendiente {k}", "kemiringan {k}", "斜率 {k}"),
    "classes C": tr("clases C", "kelas C", "类别数 C"),
    "seconds per row": tr("segundos por fila", "detik per baris", "每行秒数"),
    "A log-log plot of seconds per row against the number of classes, from {first:,} to {last:,}.": tr(
        "Un gráfico log-log de los segundos por fila frente al número de clases, de {first:,} a {last:,}.",
        "Plot log-log detik per baris terhadap banyaknya kelas, dari {first:,} hingga {last:,}.",
        "双对数坐标图：每行所需秒数与类别数的关系，类别数从 {first:,} 到 {last:,}。",
    ),
    "The route \u201c{name}\u201d stops at {n:,} classes; over its last points it rises with a "
    "slope of about {slope:.1f}.": tr(
        "La ruta “{name}” se detiene en {n:,} clases; en sus últimos puntos sube con una pendiente de "
        "aproximadamente {slope:.1f}.",
        "Cara “{name}” berhenti pada {n:,} kelas; pada titik-titik terakhirnya, waktunya naik dengan "
        "kemiringan sekitar {slope:.1f}.",
        "方法“{name}”止于 {n:,} 个类别；在最后几个点上，它以约 {slope:.1f} 的斜率上升。",
    ),
    "The vector-Jacobian product stays near {floor:.0f} microseconds up to {n:,} classes.": tr(
        "El producto vector-jacobiana se mantiene cerca de {floor:.0f} microsegundos hasta {n:,} clases.",
        "Perkalian vektor-Jacobian tetap di sekitar {floor:.0f} mikrodetik hingga {n:,} kelas.",
        "向量-雅可比积直到 {n:,} 个类别都保持在约 {floor:.0f} 微秒。",
    ),
    "The vector-Jacobian product stays near {floor:.0f} microseconds until {k:,} classes and then "
    "rises, with a slope of about {slope:.1f} over its last points, to {ms:.1f} ms at {n:,} classes.": tr(
        "El producto vector-jacobiana se mantiene cerca de {floor:.0f} microsegundos hasta {k:,} clases "
        "y luego sube, con una pendiente de aproximadamente {slope:.1f} en sus últimos puntos, hasta "
        "{ms:.1f} ms con {n:,} clases.",
        "Perkalian vektor-Jacobian tetap di sekitar {floor:.0f} mikrodetik hingga {k:,} kelas, lalu naik, "
        "dengan kemiringan sekitar {slope:.1f} pada titik-titik terakhirnya, hingga {ms:.1f} ms pada "
        "{n:,} kelas.",
        "向量-雅可比积直到 {k:,} 个类别都保持在约 {floor:.0f} 微秒，之后上升，在最后几个点上斜率约为 "
        "{slope:.1f}，到 {n:,} 个类别时达到 {ms:.1f} ms。",
    ),
    # -- the memory of the batched Jacobian (fig-cost-memory) --------------------------
    "bytes of N Jacobians (float32)": tr(
        "bytes de N jacobianas (float32)", "byte N Jacobian (float32)", "N 个雅可比矩阵的字节数（float32）"),
    "A log-log plot of bytes against classes from 10 to 100,000, with four straight lines of slope two "
    "for batch sizes {sizes} and {last}. A horizontal dotted line at 24 GiB crosses them at about "
    "{crossings} and {last_crossing:,.0f} classes; a vertical line marks 50,257 classes.": tr(
        "Un gráfico log-log de bytes frente a clases, de 10 a 100,000, con cuatro rectas de pendiente dos "
        "para los tamaños de lote {sizes} y {last}. Una línea punteada horizontal en 24 GiB las corta en "
        "unas {crossings} y {last_crossing:,.0f} clases; una línea vertical marca 50,257 clases.",
        "Plot log-log byte terhadap kelas dari 10 hingga 100,000, dengan empat garis lurus berkemiringan "
        "dua untuk ukuran batch {sizes} dan {last}. Garis titik-titik mendatar pada 24 GiB memotongnya "
        "pada sekitar {crossings} dan {last_crossing:,.0f} kelas; sebuah garis tegak menandai 50,257 kelas.",
        "双对数坐标图：字节数与类别数的关系，类别数从 10 到 100,000；四条斜率为二的直线分别对应批量大小 "
        "{sizes} 和 {last}。24 GiB 处的水平虚线与它们相交于约 {crossings} 和 {last_crossing:,.0f} "
        "个类别处；一条竖线标出 50,257 个类别。",
    ),
    # -- the copy roof (fig-cost-roof) -------------------------------------------------
    "softmax backward: readable": tr(
        "softmax hacia atrás: legible", "lintasan mundur softmax: mudah dibaca", "softmax 反向传播：易读版"),
    "softmax backward: fast, out=": tr(
        "softmax hacia atrás: rápida, out=", "lintasan mundur softmax: cepat, out=", "softmax 反向传播：快速版，out="),
    "softmax backward: fast, new array": tr(
        "softmax hacia atrás: rápida, arreglo nuevo", "lintasan mundur softmax: cepat, array baru",
        "softmax 反向传播：快速版，新数组"),
    "cross-entropy + grad: readable": tr(
        "entropía cruzada + gradiente: legible", "entropi silang + gradien: mudah dibaca", "交叉熵 + 梯度：易读版"),
    "cross-entropy + grad: fast, out=": tr(
        "entropía cruzada + gradiente: rápida, out=", "entropi silang + gradien: cepat, out=",
        "交叉熵 + 梯度：快速版，out="),
    "cross-entropy + grad: fast, new array": tr(
        "entropía cruzada + gradiente:\nrápida, arreglo nuevo", "entropi silang + gradien: cepat, array baru",
        "交叉熵 + 梯度：快速版，新数组"),
    "np.exp(z) alone": tr("np.exp(z) por sí solo", "np.exp(z) saja", "仅 np.exp(z)"),
    "share of np.copyto's bandwidth": tr(
        "fracción del ancho de banda de np.copyto", "pecahan bandwidth np.copyto", "占 np.copyto 带宽的比例"),
    "fraction of np.copyto bandwidth (same bytes, same run)": tr(
        "fracción del ancho de banda de np.copyto\n(mismos bytes, misma ejecución)",
        "pecahan bandwidth np.copyto (byte sama, eksekusi sama)",
        "占 np.copyto 带宽的比例（相同字节数，同一次运行）"),
    "{share:.0%} ({words})": tr("{share:.0%} ({words})", "{share:.0%} ({words})", "{share:.0%}（{words}）"),
    "A horizontal bar chart of seven kernels' speeds as fractions of the copy's, with a line at 1.0 for "
    "the copy itself. Softmax backward: readable {vjp_readable}, fast into an existing array {vjp_fast}, "
    "fast returning a new array {vjp_fresh}. Cross-entropy with its gradient: readable {ce_readable}, "
    "fast into an existing array {ce_fast}, fast returning a new array {ce_fresh}. np.exp alone over "
    "the same bytes: {exp}.": tr(
        "Un diagrama de barras horizontales con la velocidad de siete kernels como fracción de la de la "
        "copia, y una línea en 1.0 que representa la propia copia. Pasada hacia atrás de softmax: la "
        "versión legible, {vjp_readable}; la rápida que escribe en un arreglo existente, {vjp_fast}; la "
        "rápida que devuelve un arreglo nuevo, {vjp_fresh}. Entropía cruzada con su gradiente: la versión "
        "legible, {ce_readable}; la rápida que escribe en un arreglo existente, {ce_fast}; la rápida que "
        "devuelve un arreglo nuevo, {ce_fresh}. np.exp por sí solo sobre los mismos bytes: {exp}.",
        "Diagram batang horizontal berisi kecepatan tujuh kernel sebagai pecahan dari kecepatan "
        "penyalinan, dengan garis di 1.0 untuk penyalinan itu sendiri. Lintasan mundur softmax: versi "
        "mudah dibaca {vjp_readable}, versi cepat yang menulis ke array yang sudah ada {vjp_fast}, versi "
        "cepat yang mengembalikan array baru {vjp_fresh}. Entropi silang beserta gradiennya: versi mudah "
        "dibaca {ce_readable}, versi cepat yang menulis ke array yang sudah ada {ce_fast}, versi cepat "
        "yang mengembalikan array baru {ce_fresh}. np.exp saja atas byte yang sama: {exp}.",
        "水平条形图，显示七个内核的速度与复制速度之比，并在 1.0 处有一条代表复制本身的竖线。softmax "
        "反向传播：易读版 {vjp_readable}，写入已有数组的快速版 {vjp_fast}，返回新数组的快速版 "
        "{vjp_fresh}。交叉熵及其梯度：易读版 {ce_readable}，写入已有数组的快速版 {ce_fast}，"
        "返回新数组的快速版 {ce_fresh}。单独的 np.exp 处理同样的字节：{exp}。",
    ),
    # -- a measured share of the copy's speed in words (share_in_words) ----------------
    "under a tenth": tr("menos de un décimo", "kurang dari sepersepuluh", "不到十分之一"),
    "faster than the copy": tr("más veloz que la copia", "lebih cepat daripada penyalinan", "比复制还快"),
    "about the speed of the copy": tr(
        "aproximadamente la velocidad de la copia", "kira-kira secepat penyalinan", "与复制速度相当"),
    "about a tenth": tr("aproximadamente un décimo", "sekitar sepersepuluh", "约十分之一"),
    "about a fifth": tr("aproximadamente un quinto", "sekitar seperlima", "约五分之一"),
    "about a quarter": tr("aproximadamente un cuarto", "sekitar seperempat", "约四分之一"),
    "about a third": tr("aproximadamente un tercio", "sekitar sepertiga", "约三分之一"),
    "about two fifths": tr("aproximadamente dos quintos", "sekitar dua perlima", "约五分之二"),
    "about half": tr("aproximadamente la mitad", "sekitar separuh", "约一半"),
    "about three fifths": tr("aproximadamente tres quintos", "sekitar tiga perlima", "约五分之三"),
    "about two thirds": tr("aproximadamente dos tercios", "sekitar dua pertiga", "约三分之二"),
    "about three quarters": tr("aproximadamente tres cuartos", "sekitar tiga perempat", "约四分之三"),
    "about four fifths": tr("aproximadamente cuatro quintos", "sekitar empat perlima", "约五分之四"),
    "about nine tenths": tr("aproximadamente nueve décimos", "sekitar sembilan persepuluh", "约十分之九"),
    # -- the measured paragraph after the copy roof (roof_paragraph) --------------------
    "When this page was built, the copy moved {bandwidth:.0f} GB/s.": tr(
        "Al construir esta página, la copia movió {bandwidth:.0f} GB/s.",
        "Saat halaman ini dibangun, penyalinan memindahkan {bandwidth:.0f} GB/s.",
        "构建本页时，复制的速度是 {bandwidth:.0f} GB/s。",
    ),
    "The readable product reached {readable:.0%} of that speed, {words}: less than the third of the "
    "copy's speed that counting its passes over main memory allows (the third exercise below): its "
    "temporaries are also fresh memory, which the operating system provides page by page.": tr(
        "El producto legible alcanzó el {readable:.0%} de esa velocidad, {words}: menos que el tercio de "
        "la velocidad de la copia que permite el recuento de sus pasadas por la memoria principal (el "
        "tercer ejercicio más abajo), porque sus temporales son además memoria nueva, que el sistema "
        "operativo proporciona página a página.",
        "Perkalian yang mudah dibaca mencapai {readable:.0%} dari kecepatan tersebut, {words}: kurang dari "
        "sepertiga kecepatan penyalinan yang diizinkan oleh hitungan lintasannya atas memori utama "
        "(latihan ketiga di bawah), karena array sementaranya juga merupakan memori baru, yang disediakan "
        "sistem operasi halaman demi halaman.",
        "易读的向量-雅可比积达到了该速度的 {readable:.0%}，{words}：这低于按其对主存的遍历次数计算所允许的"
        "复制速度的三分之一（见下面的第三个练习），因为它的临时数组也是新内存，要由操作系统一页一页地提供。",
    ),
    "The readable product reached {readable:.0%} of that speed, {words}: close to the third of the "
    "copy's speed that counting its passes over main memory allows (the third exercise below).": tr(
        "El producto legible alcanzó el {readable:.0%} de esa velocidad, {words}: cerca del tercio de la "
        "velocidad de la copia que permite el recuento de sus pasadas por la memoria principal (el tercer "
        "ejercicio más abajo).",
        "Perkalian yang mudah dibaca mencapai {readable:.0%} dari kecepatan tersebut, {words}: mendekati "
        "sepertiga kecepatan penyalinan yang diizinkan oleh hitungan lintasannya atas memori utama "
        "(latihan ketiga di bawah).",
        "易读的向量-雅可比积达到了该速度的 {readable:.0%}，{words}：接近按其对主存的遍历次数计算所允许的"
        "复制速度的三分之一（见下面的第三个练习）。",
    ),
    "The readable product reached {readable:.0%} of that speed, {words}: more than the third of the "
    "copy's speed that counting its passes over main memory would allow (the third exercise below). "
    "Part of the traffic of its temporaries must have stayed in the processor's cache: at {array_mb:.0f} "
    "MB an array is not much bigger than the last-level cache of a large processor, and the count "
    "assumes that every pass goes all the way to main memory.": tr(
        "El producto legible alcanzó el {readable:.0%} de esa velocidad, {words}: más que el tercio de la "
        "velocidad de la copia que permitiría el recuento de sus pasadas por la memoria principal (el "
        "tercer ejercicio más abajo). Parte del tráfico de sus temporales debió de quedarse en la caché "
        "del procesador: con {array_mb:.0f} MB, un arreglo no es mucho mayor que la caché de último nivel "
        "de un procesador grande, y el recuento supone que cada pasada llega hasta la memoria principal.",
        "Perkalian yang mudah dibaca mencapai {readable:.0%} dari kecepatan tersebut, {words}: lebih dari "
        "sepertiga kecepatan penyalinan yang diizinkan oleh hitungan lintasannya atas memori utama "
        "(latihan ketiga di bawah). Sebagian lalu lintas array sementaranya pasti tetap berada di cache "
        "prosesor: dengan ukuran {array_mb:.0f} MB, satu array tidak jauh lebih besar daripada cache "
        "tingkat terakhir sebuah prosesor besar, dan hitungan tadi mengasumsikan bahwa setiap lintasan "
        "berjalan sampai ke memori utama.",
        "易读的向量-雅可比积达到了该速度的 {readable:.0%}，{words}：这比按其对主存的遍历次数计算所允许的"
        "复制速度的三分之一要高（见下面的第三个练习）。它的临时数组的部分流量一定留在了处理器的缓存中："
        "{array_mb:.0f} MB 的数组并不比大型处理器的末级缓存大多少，而上述计数假定每次遍历都一直到达主存。",
    ),
    "The fast product reached {fast:.0%} writing into an existing array and {fresh:.0%} returning a new "
    "one; a new array cost little here, since memory that the previous call released could be handed "
    "out again.": tr(
        "El producto rápido alcanzó el {fast:.0%} escribiendo en un arreglo existente y el {fresh:.0%} "
        "devolviendo uno nuevo; aquí un arreglo nuevo costó poco, porque la memoria que había liberado "
        "la llamada anterior pudo entregarse de nuevo.",
        "Perkalian versi cepat mencapai {fast:.0%} saat menulis ke array yang sudah ada dan {fresh:.0%} "
        "saat mengembalikan array baru; di sini array baru hanya memakan sedikit biaya, karena memori "
        "yang dilepaskan oleh pemanggilan sebelumnya dapat diberikan lagi.",
        "快速的向量-雅可比积在写入已有数组时达到 {fast:.0%}，返回新数组时达到 {fresh:.0%}；"
        "在这里新数组的代价很小，因为上一次调用释放的内存可以再次分配出去。",
    ),
    "The fast product reached {fast:.0%} writing into an existing array and {fresh:.0%} returning a new "
    "one; the new array cost {cost:.0%} of the speed.": tr(
        "El producto rápido alcanzó el {fast:.0%} escribiendo en un arreglo existente y el {fresh:.0%} "
        "devolviendo uno nuevo; el arreglo nuevo costó el {cost:.0%} de la velocidad.",
        "Perkalian versi cepat mencapai {fast:.0%} saat menulis ke array yang sudah ada dan {fresh:.0%} "
        "saat mengembalikan array baru; array baru tersebut menghabiskan {cost:.0%} kecepatan.",
        "快速的向量-雅可比积在写入已有数组时达到 {fast:.0%}，返回新数组时达到 {fresh:.0%}；"
        "新数组使速度损失了 {cost:.0%}。",
    ),
    "The readable cross-entropy reached {readable:.0%}, the fast one {fast:.0%} ({fresh:.0%} with a new "
    "array), and np.exp alone {exp:.0%}.": tr(
        "La entropía cruzada legible alcanzó el {readable:.0%}; la rápida, el {fast:.0%} (el {fresh:.0%} "
        "con un arreglo nuevo), y np.exp por sí solo, el {exp:.0%}.",
        "Entropi silang yang mudah dibaca mencapai {readable:.0%}, versi cepatnya {fast:.0%} ({fresh:.0%} "
        "dengan array baru), dan np.exp saja {exp:.0%}.",
        "易读的交叉熵达到 {readable:.0%}，快速的达到 {fast:.0%}（返回新数组时为 {fresh:.0%}），"
        "而单独的 np.exp 达到 {exp:.0%}。",
    ),
    # -- the measured sentence on exp as the ceiling (exp_ceiling) ----------------------
    "`exp` itself is the ceiling: numpy's `exp` over the same bytes reached {exp:.0%} of the copy's "
    "speed when this page was built, {words}, and no kernel that calls it once per entry can do better "
    "(the compiled loop's own `exp` is about as fast); the fused kernel reached {ratio:.0%} of what "
    "`exp` alone did.": tr(
        "La propia `exp` es el techo: la `exp` de numpy sobre los mismos bytes alcanzó el {exp:.0%} de la "
        "velocidad de la copia al construir esta página, {words}, y ningún kernel que la llame una vez "
        "por entrada puede hacerlo mejor (la `exp` propia del bucle compilado es más o menos igual de "
        "rápida); el kernel fusionado alcanzó el {ratio:.0%} de lo que logró `exp` por sí sola.",
        "`exp` itu sendiri adalah plafonnya: `exp` milik numpy atas byte yang sama mencapai {exp:.0%} dari "
        "kecepatan penyalinan saat halaman ini dibangun, {words}, dan tidak ada kernel yang memanggilnya "
        "sekali per entri yang dapat berbuat lebih baik (`exp` milik perulangan terkompilasi kira-kira "
        "sama cepatnya); kernel terfusi mencapai {ratio:.0%} dari kecepatan `exp` saja.",
        "`exp` 本身就是上限：构建本页时，numpy 的 `exp` 处理同样字节数的速度达到了复制速度的 {exp:.0%}，"
        "{words}，而任何对每个元素调用它一次的内核都不可能做得更好（编译循环自带的 `exp` 速度大致相同）；"
        "融合内核达到了单独 `exp` 速度的 {ratio:.0%}。",
    ),
    "`exp` itself is the ceiling: numpy's `exp` over the same bytes reached {exp:.0%} of the copy's "
    "speed when this page was built, {words}, and no kernel that calls it once per entry can do better "
    "(the compiled loop's own `exp` is about as fast); the fused kernel measured {ratio:.2f} times "
    "numpy's `exp` alone, which its compiled loop, with an `exp` of its own (above), can do.": tr(
        "La propia `exp` es el techo: la `exp` de numpy sobre los mismos bytes alcanzó el {exp:.0%} de la "
        "velocidad de la copia al construir esta página, {words}, y ningún kernel que la llame una vez "
        "por entrada puede hacerlo mejor (la `exp` propia del bucle compilado es más o menos igual de "
        "rápida); el kernel fusionado midió {ratio:.2f} veces la velocidad de la `exp` de numpy por sí "
        "sola, algo que su bucle compilado, con una `exp` propia (véase arriba), sí puede lograr.",
        "`exp` itu sendiri adalah plafonnya: `exp` milik numpy atas byte yang sama mencapai {exp:.0%} dari "
        "kecepatan penyalinan saat halaman ini dibangun, {words}, dan tidak ada kernel yang memanggilnya "
        "sekali per entri yang dapat berbuat lebih baik (`exp` milik perulangan terkompilasi kira-kira "
        "sama cepatnya); kecepatan kernel terfusi terukur {ratio:.2f} kali kecepatan `exp` milik numpy "
        "saja, hal yang dapat dicapai perulangan terkompilasinya karena memiliki `exp` sendiri (lihat di "
        "atas).",
        "`exp` 本身就是上限：构建本页时，numpy 的 `exp` 处理同样字节数的速度达到了复制速度的 {exp:.0%}，"
        "{words}，而任何对每个元素调用它一次的内核都不可能做得更好（编译循环自带的 `exp` 速度大致相同）；"
        "融合内核测得的速度是单独的 numpy `exp` 的 {ratio:.2f} 倍，这是它的编译循环凭借自带的 `exp`"
        "（见上文）才做到的。",
    ),
    # -- time against N*C in the recorded run (fig-cost-scaling) -----------------------
    "softmax backward (slope {slope:.2f})": tr(
        "softmax hacia atrás\n(pendiente {slope:.2f})", "lintasan mundur softmax\n(kemiringan {slope:.2f})",
        "softmax 反向传播（斜率 {slope:.2f}）"),
    "cross-entropy + grad (slope {slope:.2f})": tr(
        "entropía cruzada + gradiente\n(pendiente {slope:.2f})", "entropi silang + gradien\n(kemiringan {slope:.2f})",
        "交叉熵 + 梯度（斜率 {slope:.2f}）"),
    "N·C, entries": tr("N·C, entradas", "N·C, entri", "N·C（元素数）"),
    "seconds": tr("segundos", "detik", "秒"),
    "A log-log plot of seconds against N·C, from {first:,} to {last:,} entries (C = {C:,}, one thread), "
    "for the softmax backward pass and the fused cross-entropy.": tr(
        "Un gráfico log-log de los segundos frente a N·C, de {first:,} a {last:,} entradas (C = {C:,}, un "
        "hilo), para la pasada hacia atrás de softmax y la entropía cruzada fusionada.",
        "Plot log-log detik terhadap N·C, dari {first:,} hingga {last:,} entri (C = {C:,}, satu thread), "
        "untuk lintasan mundur softmax dan entropi silang terfusi.",
        "双对数坐标图：softmax 反向传播和融合交叉熵的秒数与 N·C 的关系，N·C 从 {first:,} 到 {last:,} "
        "个元素（C = {C:,}，单线程）。",
    ),
    "The backward pass": tr("La pasada hacia atrás", "Lintasan mundur", "反向传播"),
    "The cross-entropy": tr("La entropía cruzada", "Entropi silang", "交叉熵"),
    "{name} rises with a fitted slope of {slope:.2f}.": tr(
        "{name} sube con una pendiente ajustada de {slope:.2f}.",
        "{name} naik dengan kemiringan hasil pencocokan {slope:.2f}.",
        "{name}随 N·C 上升，拟合斜率为 {slope:.2f}。",
    ),
    "{name} rises with a fitted slope of {slope:.2f}; it takes {ns_in:.2f} ns per entry at a working set "
    "of {ws_in:.1f} MiB, inside the {cache:.0f} MiB last-level cache, and {ns_out:.2f} ns at {ws_out:.1f} "
    "MiB, beyond it.": tr(
        "{name} sube con una pendiente ajustada de {slope:.2f}; tarda {ns_in:.2f} ns por entrada con un "
        "conjunto de trabajo de {ws_in:.1f} MiB, dentro de la caché de último nivel de {cache:.0f} MiB, y "
        "{ns_out:.2f} ns con {ws_out:.1f} MiB, fuera de ella.",
        "{name} naik dengan kemiringan hasil pencocokan {slope:.2f}; waktunya {ns_in:.2f} ns per entri "
        "pada himpunan kerja {ws_in:.1f} MiB, di dalam cache tingkat terakhir sebesar {cache:.0f} MiB, dan "
        "{ns_out:.2f} ns pada {ws_out:.1f} MiB, di luarnya.",
        "{name}随 N·C 上升，拟合斜率为 {slope:.2f}；工作集为 {ws_in:.1f} MiB 时（在 {cache:.0f} MiB "
        "的末级缓存之内）每个元素耗时 {ns_in:.2f} ns，工作集为 {ws_out:.1f} MiB 时（超出缓存）耗时 "
        "{ns_out:.2f} ns。",
    ),
    # -- peak memory against the size of the logits (fig-cost-vocab) -------------------
    "through the (N, V) logits": tr(
        "a través de los logits (N, V)", "melalui logit (N, V)", "经由 (N, V) 的 logit"),
    "linear_cross_entropy,\n1024 words per block": tr(
        "linear_cross_entropy,\n1024 palabras por bloque", "linear_cross_entropy,\n1024 kata per blok",
        "linear_cross_entropy，\n每块 1024 个词"),
    "linear_cross_entropy, 1024 words per block": tr(
        "linear_cross_entropy, 1024 palabras por bloque", "linear_cross_entropy, 1024 kata per blok",
        "linear_cross_entropy，每块 1024 个词"),
    "N·V, millions of logits": tr("N·V, millones de logits", "N·V, juta logit", "N·V（百万个 logit）"),
    "peak memory (MiB)": tr("pico de memoria (MiB)", "memori puncak (MiB)", "峰值内存（MiB）"),
    "A plot of peak memory in MiB against N times V, from {nv0:.1f} to {nv1:.1f} million logits. The "
    "route through the logits rises from {t0:.0f} to {t1:.0f} MiB; the chunked route rises slowly, from "
    "{c0:.1f} to {c1:.1f} MiB.": tr(
        "Un gráfico del pico de memoria en MiB frente a N por V, de {nv0:.1f} a {nv1:.1f} millones de "
        "logits. La ruta a través de los logits sube de {t0:.0f} a {t1:.0f} MiB; la ruta por bloques sube "
        "despacio, de {c0:.1f} a {c1:.1f} MiB.",
        "Plot memori puncak dalam MiB terhadap N kali V, dari {nv0:.1f} hingga {nv1:.1f} juta logit. Cara "
        "melalui logit naik dari {t0:.0f} hingga {t1:.0f} MiB; cara per blok naik perlahan, dari {c0:.1f} "
        "hingga {c1:.1f} MiB.",
        "峰值内存（MiB）与 N 乘以 V 的关系图，N·V 从 {nv0:.1f} 到 {nv1:.1f}（以百万个 logit 计）。经由 logit "
        "的方法从 {t0:.0f} MiB 升到 {t1:.0f} MiB；分块的方法上升缓慢，从 {c0:.1f} MiB 升到 {c1:.1f} MiB。",
    ),
}
