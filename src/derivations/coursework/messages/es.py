"""The verdicts in Spanish (es), for the es edition of the book (see :ref:`mistakes`).

``MISTAKES`` and ``HEADINGS`` are copied verbatim from the edition's
``locales/es/LC_MESSAGES/book/*.po`` (chapter 13 prints the catalogue, so its
titles and texts are translated there); ``tests/coursework/test_languages.py``
keeps them equal where the locales are at hand.
"""

#: The engine's sentences by message id (the English templates are in :mod:`.en`).
MESSAGES = {
    'passed': '✓ {name} superó los {count} casos con entradas aleatorias nuevas.',
    'passed-bug-fixed':
        '✓ Error encontrado y corregido: {name} superó los {count} casos con entradas aleatorias nuevas.',
    'not-right': '✗ {name} todavía no es correcta.',
    'not-implemented':
        '✗ {name} aún no está implementada: sustituye el `raise NotImplementedError` de la plantilla.',
    'time-limit': '✗ {name} superó el límite de tiempo: tardó más de {seconds} s en el caso {case}.',
    'time-limit-hint': '¿Hay un bucle que nunca termina? Para dar más tiempo, usa {call} o define {variable}.',
    'cases': 'Casos: {names}.',
    'on-case': 'En el caso {case}: {problem}.',
    'also-fails': 'También falla en otros {more} de los {count} casos: {names}.',
    'passes-others': 'Supera los otros {count} casos.',
    'targets': 'Objetivos: {text}.',
    'convention': 'Juzgada según la convención que sigue su pérdida: {text}.',
    'mistake-full': 'Se comporta exactamente como el error conocido [{id}] ({title}): {text}',
    'mistake-part': 'Parte del fallo coincide con el error conocido [{id}] ({title}): {text}',
    'second-problem': 'Puede que haya además un segundo problema.',
    'no-mistake': 'Ningún error del catálogo coincide. Firma: {signature}.',
    'labels-hint':
        'Si tu función recibe etiquetas enteras (N,) en lugar de filas de probabilidades, compruébala con {call}.',
    'read-why': 'Lee por qué: {where}, {url}',
    'derivation-in': 'La derivación está en {where}: {url}',
    'section-in-chapter': '«{title}», {chapter}',
    'chapter': 'capítulo {number}',
    'html-label': 'etiqueta',
    'case-separator': ', ',
    'list-separator': '; ',
    'printed-one': 'Imprimió 1 línea:',
    'printed-all': 'Imprimió {count} líneas:',
    'printed-first': 'Imprimió {count} líneas; las primeras {shown}:',
    'repeat': 'Las entradas son aleatorias; {call} repite estas mismas.',
    'raised': 'lanzó {type}: {error}',
    'exited': 'llamó a sys.exit() (SystemExit: {error})',
    'returned-none': 'devolvió None (¿falta una instrucción `return`?)',
    'returned-none-for': 'devolvió None para {name}',
    'wrong-count': 'debería devolver {count} arreglos ({names}); devolvió {what}',
    'an-array': 'un arreglo de forma {shape}',
    'an-object': 'un objeto de tipo {type}',
    'not-numbers': '{name} no es un arreglo de números ({error})',
    'not-real': '{name} no es un arreglo de números reales (su dtype es {dtype})',
    'not-float64': '{name} tiene dtype {dtype}; el ejercicio pide un arreglo float64',
    'wrong-shape': '{name} tiene forma {shape}; se esperaba {expected}',
    'non-finite': '{name} contiene {kinds} en {count} de sus {size} entradas',
    'nan-and-inf': 'NaN e inf',
    'wrong-scalar': '{name} vale {value}; se esperaba {expected}',
    'wrong-entries':
        ('{name} difiere de los valores esperados en {count} de sus {size} entradas; la peor está en'
         ' el índice {index}: se obtuvo {value}, se esperaba {expected}'),
    # los errores de check ante un argumento que no admite
    'error-unknown-exercise': 'ejercicio desconocido {exercise}; los ejercicios son: {names}',
    'error-targets-value': 'targets={targets}; los valores permitidos son {forms}',
    'error-no-targets': 'el ejercicio {exercise} no admite objetivos; quita targets=',
    'error-targets-form': 'el ejercicio {exercise} admite sus objetivos solo como {forms}, no como {targets}',
    'error-not-callable': 'check necesita la función misma, como {function} sin paréntesis; ha recibido {kind}',
    'or-separator': ' o ',
}

#: The parts of the case descriptions, by their English text with the numbers as placeholders.
CASES = {
    'C={0} > D={1}': 'C={0} > D={1}',
    'X and labels': 'X y etiquetas',
    'a coarse step': 'un paso grueso',
    'a coupled function of x with {0} entries': 'una función acoplada de x con {0} entradas',
    'a label': 'una etiqueta',
    'a single example': 'un único ejemplo',
    'a single label': 'una única etiqueta',
    'a square batch': 'un lote cuadrado',
    'all logits near {0}': 'todos los logits cerca de {0}',
    'another label and W': 'otra etiqueta y W',
    'chunk={0} (a shorter last block)': 'chunk={0} (un último bloque más corto)',
    'cross-entropy of an (N, C) = ({0}, {1}) array of logits':
        'entropía cruzada de un arreglo de logits (N, C) = ({0}, {1})',
    'float{0} W and X': 'W y X en float{0}',
    'float{0} inputs': 'entradas en float{0}',
    'float{0} large logits': 'logits grandes en float{0}',
    'float{0} logits': 'logits en float{0}',
    'float{0} logits and soft targets': 'logits y objetivos suaves en float{0}',
    'float{0} logits near {1}': 'logits en float{0} cerca de {1}',
    'float{0} p and dp': 'p y dp en float{0}',
    'float{0} rows near {1} and near {2} (maxima {3} apart)':
        'filas en float{0} cerca de {1} y cerca de {2} (máximos separados por {3})',
    'float{0} soft targets': 'objetivos suaves en float{0}',
    'float{0} x with {1} entries': 'x en float{0} con {1} entradas',
    'float{0} z and dp': 'z y dp en float{0}',
    'heavy smoothing': 'suavizado fuerte',
    'integer x with {0} entries': 'x entero con {0} entradas',
    'int{0} labels': 'etiquetas int{0}',
    'labels': 'etiquetas',
    'labels that never take the top class {0}': 'etiquetas que nunca toman la clase más alta, {0}',
    'large growing logits (up to {0})': 'logits grandes y crecientes (hasta {0})',
    'large logits': 'logits grandes',
    'large logits (|y| ~ {0})': 'logits grandes (|y| ~ {0})',
    'large logits (|z| up to {0})': 'logits grandes (|z| hasta {0})',
    'large logits (|z| ~ {0})': 'logits grandes (|z| ~ {0})',
    'logits all near {0}': 'logits todos cerca de {0}',
    'logits near +{0} ({1} - sigmoid(z) rounds to {2} in float{3})':
        'logits cerca de +{0} ({1} - sigmoid(z) se redondea a {2} en float{3})',
    'logits near {0}': 'logits cerca de {0}',
    'logits near {0} with a small spread': 'logits cerca de {0} con poca dispersión',
    'logits of {0}..{1} of both signs': 'logits de {0}..{1} de ambos signos',
    'many classes': 'muchas clases',
    'many classes and few features': 'muchas clases y pocas características',
    'many labels per row': 'muchas etiquetas por fila',
    'no regularisation': 'sin regularización',
    'no smoothing': 'sin suavizado',
    'one block wider than C': 'un solo bloque más ancho que C',
    'one class': 'una clase',
    'one class per row {0} below the row maximum': 'una clase por fila {0} por debajo del máximo de la fila',
    'one class per row {0} below the row maximum (its probability underflows to {1})':
        'una clase por fila {0} por debajo del máximo de la fila (su probabilidad se subdesborda a {1})',
    'one example': 'un ejemplo',
    'one label': 'una etiqueta',
    'one-hot target': 'objetivo one-hot',
    'one-hot targets': 'objetivos one-hot',
    'other random logits': 'otros logits aleatorios',
    'p from logits all near {0}': 'p a partir de logits todos cerca de {0}',
    'random W': 'W aleatoria',
    'random logits': 'logits aleatorios',
    'random p and dp': 'p y dp aleatorios',
    'random z and dp': 'z y dp aleatorios',
    'reg > {0}': 'reg > {0}',
    'repeated labels (two classes only)': 'etiquetas repetidas (solo dos clases)',
    'rows near {0} and near {1} (maxima {2} apart)':
        'filas cerca de {0} y cerca de {1} (máximos separados por {2})',
    'rows of scores near {0} and near {1} (maxima {2} apart)':
        'filas de puntuaciones cerca de {0} y cerca de {1} (máximos separados por {2})',
    'rows that grow left to right (the maximum rises in every block)':
        'filas que crecen de izquierda a derecha (el máximo sube en cada bloque)',
    'saturated p (exact {0}s and near{1}s)': 'p saturada ({0} exactos y casi {1})',
    'saturated rows (|z| up to {0})': 'filas saturadas (|z| hasta {0})',
    'scores all near {0}': 'puntuaciones todas cerca de {0}',
    'scores near {0} with a small spread': 'puntuaciones cerca de {0} con poca dispersión',
    'scores of {0}..{1}': 'puntuaciones de {0}..{1}',
    'several on in each row': 'varias activas en cada fila',
    'soft target': 'objetivo suave',
    'soft target summing to {0}': 'objetivo suave que suma {0}',
    'soft targets': 'objetivos suaves',
    'soft targets in ({0}, {1})': 'objetivos suaves en ({0}, {1})',
    'soft targets summing to {0}': 'objetivos suaves que suman {0}',
    'soft targets summing to {0}..{1}': 'objetivos suaves que suman {0}..{1}',
    'soft targets whose rows sum to {0}': 'objetivos suaves cuyas filas suman {0}',
    'soft targets whose rows sum to {0}..{1}': 'objetivos suaves cuyas filas suman {0}..{1}',
    'square W': 'W cuadrada',
    'square weights': 'pesos cuadrados',
    'targets summing to {0}': 'objetivos que suman {0}',
    'ten examples of ten classes': 'diez ejemplos de diez clases',
    'the labelled class {0} below the row maximum (its probability underflows to {1})':
        'la clase etiquetada {0} por debajo del máximo de la fila (su probabilidad se subdesborda a {1})',
    'the labelled class {0} scored {1} below the row maximum (its probability underflows to {2})':
        ('la clase etiquetada {0} con una puntuación {1} por debajo del máximo de la fila (su probabilidad'
         ' se subdesborda a {2})'),
    'two classes': 'dos clases',
    'z and dp of shape ({0},)': 'z y dp de forma ({0},)',
    '{0}/{1} targets': 'objetivos {0}/{1}',
}

#: The exercises' own sentences (signatures, target forms, conventions, passed messages), by their English.
TEXTS = {
    't is an (N, C) float array of non-negative target weights; rows need not sum to 1':
        't es un arreglo float (N, C) de pesos objetivo no negativos; las filas no tienen por qué sumar 1',
    't is an (N,) integer array of class labels in 0..C-1':
        't es un arreglo entero (N,) de etiquetas de clase en 0..C-1',
    'y is an (N,) integer array of class labels in 0..C-1':
        'y es un arreglo entero (N,) de etiquetas de clase en 0..C-1',
    't is a (C,) float array of non-negative target weights; it need not sum to 1':
        't es un arreglo float (C,) de pesos objetivo no negativos; no tiene por qué sumar 1',
    "t is the integer label of the example's class, in 0..C-1":
        't es la etiqueta entera de la clase del ejemplo, en 0..C-1',
    'the loss adds reg * sum(W**2) and dW adds 2 * reg * W':
        'la pérdida suma reg * sum(W**2) y dW suma 2 * reg * W',
    'the loss adds 0.5 * reg * sum(W**2) and dW adds reg * W':
        'la pérdida suma 0.5 * reg * sum(W**2) y dW suma reg * W',
    "Each row's softmax no longer depends on what the other rows of the batch hold.":
        'La softmax de cada fila ya no depende de lo que contengan las demás filas del lote.',
    'Every logit now receives the gradient that reaches it through every probability.':
        'Cada logit recibe ahora el gradiente que le llega a través de cada probabilidad.',
    'The node gives the right gradient for every batch size, N = 1 and N = C included.':
        'El nodo da el gradiente correcto para cualquier tamaño de lote, incluidos N = 1 y N = C.',
    'The label gradient is finite wherever the loss is, however small a probability gets.':
        ('El gradiente respecto a las etiquetas es finito allí donde lo es la pérdida, por pequeña que'
         ' sea una probabilidad.'),
    '`exp` no longer overflows or underflows whole rows, in float64 or in float32.':
        '`exp` ya no hace que se desborden ni se subdesborden filas enteras, ni en float64 ni en float32.',
    # The signatures, which verdicts quote when no catalogued mistake matches.
    'my_softmax(z), z of shape (N, C) -> (N, C)': 'my_softmax(z), z de forma (N, C) -> (N, C)',
    'my_softmax_jacobian(z), z of shape (C,) -> (C, C)': 'my_softmax_jacobian(z), z de forma (C,) -> (C, C)',
    'my_log_softmax(z), z of shape (N, C) -> (N, C)': 'my_log_softmax(z), z de forma (N, C) -> (N, C)',
    'my_toy_network_grads(h, W, t), h (D,), W (D, C), t (C,) -> dE/dW (D, C)':
        'my_toy_network_grads(h, W, t), h (D,), W (D, C), t (C,) -> dE/dW (D, C)',
    'my_linear_softmax_grads(X, W, b, t), X (N, D), W (C, D), b (C,), t targets -> (dW (C, D), db (C,))':
        'my_linear_softmax_grads(X, W, b, t), X (N, D), W (C, D), b (C,), t objetivos -> (dW (C, D), db (C,))',
    'my_softmax_backward(p, dp), both (N, C) -> dz (N, C)': 'my_softmax_backward(p, dp), ambos (N, C) -> dz (N, C)',
    'my_cross_entropy_grad(z, t), z (N, C) logits, t targets -> dL/dz (N, C)':
        'my_cross_entropy_grad(z, t), z logits (N, C), t objetivos -> dL/dz (N, C)',
    'my_softmax_loss(W, X, y, reg), W (D, C), X (N, D), y int (N,), reg float -> (loss, dW (D, C))':
        'my_softmax_loss(W, X, y, reg), W (D, C), X (N, D), y int (N,), reg float -> (loss, dW (D, C))',
    'my_cross_entropy(z, t), z (N, C) logits, t targets -> the mean loss, a scalar':
        'my_cross_entropy(z, t), z logits (N, C), t objetivos -> la pérdida media, un escalar',
    'my_central_difference(f, x, eps) -> float64 array shaped like x':
        'my_central_difference(f, x, eps) -> arreglo float64 con la forma de x',
    'my_label_smoothing(labels, C, eps), labels int (N,) -> (N, C)':
        'my_label_smoothing(labels, C, eps), labels int (N,) -> (N, C)',
    'my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))':
        'my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))',
    'my_chunked_logsumexp(z, chunk), z (N, C), int chunk -> (N,)':
        'my_chunked_logsumexp(z, chunk), z (N, C), int chunk -> (N,)',
    'my_softmax_delta(z, dp), logits z and upstream gradient dp of the same shape (..., C) -> dz, that shape':
        'my_softmax_delta(z, dp), logits z y gradiente de arriba dp de la misma forma (..., C) -> dz, con esa forma',
    'my_softmax_node_backward(p, dp), softmax rows p and upstream gradient dp, both (N, C) -> dz (N, C)':
        'my_softmax_node_backward(p, dp), filas de softmax p y gradiente de arriba dp, ambos (N, C) -> dz (N, C)',
    'my_softmax_loss_backward(z, t), logits z and one-hot labels t, both (N, C) -> (dz, dt), both (N, C)':
        'my_softmax_loss_backward(z, t), logits z y etiquetas one-hot t, ambos (N, C) -> (dz, dt), ambos (N, C)',
    'my_softmax_ce_grad(z, t), logits z and one-hot targets t, both (N, C) -> dL/dz (N, C)':
        'my_softmax_ce_grad(z, t), logits z y objetivos one-hot t, ambos (N, C) -> dL/dz (N, C)',
    'my_softmax_jacobians(z), logits z of shape (N, C) -> the Jacobians, shape (N, C, C)':
        'my_softmax_jacobians(z), logits z de forma (N, C) -> las jacobianas, de forma (N, C, C)',
    ('my_binary_cross_entropy(z, t), z (N, C) logits, t (N, C) targets in [0, 1] -> (loss, dz): loss summed over the C'
     ' labels and averaged over the N rows, dz (N, C)'):
        ('my_binary_cross_entropy(z, t), z logits (N, C), t objetivos (N, C) en [0, 1] -> (loss, dz): loss, la'
         ' pérdida sumada sobre las C etiquetas y promediada sobre las N filas; dz (N, C)'),
    ('my_backprop_steps(z, y), z (N, C) logits, y (N,) integer labels -> (dlogp, dp, dr, ds, de, dzs, dm, dz), each'
     ' the shape of its intermediate'):
        ('my_backprop_steps(z, y), z logits (N, C), y etiquetas enteras (N,) -> (dlogp, dp, dr, ds, de, dzs, dm, dz),'
         ' cada uno con la forma de su valor intermedio'),
}

#: The catalogue's mistakes: id -> (title, explanation in MyST), as the edition's chapter 13 words them.
MISTAKES = {
    'diagonal-only-jacobian': (
        'Jacobiana solo con la diagonal',
        ('Solo se conservaron los términos $i = j$, $p_i(1 - p_i)$, de la jacobiana de softmax; se descartaron'
         ' los términos fuera de la diagonal, $-p_i p_j$, a través de los cuales cada logit mueve cada'
         ' probabilidad.'),
    ),
    'missing-delta-term': (
        'Jacobiana sin su diagonal',
        ('La jacobiana de softmax es $\\mathrm{diag}(p) - p p^T$: la delta de Kronecker añade $p_i$ en'
         ' la diagonal, y $-p p^T$ por sí solo la omite.'),
    ),
    'sign-flip': (
        'Gradiente con el signo equivocado',
        ('El gradiente de la entropía cruzada respecto a los logits es $\\tau p - t$ (con $\\tau = \\sum_c'
         ' t_c$), no $t - p$; con el signo cambiado, el descenso del gradiente sube por la pérdida.'),
    ),
    'missing-minus': (
        'Pérdida sin su signo menos',
        ('La entropía cruzada es $-\\sum_c t_c \\log p_c$, un número positivo; sin el signo menos, la'
         ' pérdida es negativa y minimizarla empeora las predicciones.'),
    ),
    'transposed-weight-grad': (
        'Gradiente de los pesos traspuesto',
        ('$\\partial E / \\partial W$ tiene la forma de $W$, y la entrada $[i, j]$ corresponde a $w_{ij}$;'
         ' construirlo como $X^T dz$ cuando $W$ se almacena como $(C, D)$, o al revés, da su traspuesta.'),
    ),
    'wrong-axis': (
        'Normalizado sobre el lote',
        ('Softmax normaliza cada ejemplo sobre sus clases (el último eje, una fila por ejemplo), no cada'
         ' clase sobre el lote (eje 0).'),
    ),
    'missing-keepdims': (
        'Sumas de filas sin keepdims',
        ('Una suma o un máximo por filas calculado sin `keepdims=True` tiene forma $(N,)$, y al combinarlo'
         ' con un arreglo $(N, C)$ se alinea con el eje de las clases: un error de ejecución salvo que'
         ' $N = C$, y números incorrectos cuando $N = C$.'),
    ),
    'batch-size-eye': (
        'Identidad del tamaño del lote',
        ('La identidad de $p(\\delta - p)$ debe ser $C \\times C$, una fila por clase; `np.eye` del tamaño'
         ' del lote $N$ solo se difunde contra $(N, C)$ cuando $N = C$, y entonces da números incorrectos.'),
    ),
    'missing-batch-mean': (
        'Sin dividir por N',
        ('La pérdida es la media sobre los $N$ ejemplos, así que cada uno de sus gradientes lleva un'
         ' factor $1/N$; sin él, el resultado es $N$ veces demasiado grande.'),
    ),
    'double-batch-mean': (
        'Dividido por N dos veces',
        ('El $1/N$ de la media ya está dentro de $dz$; volver a promediar $dz$ sobre el lote (para el'
         ' gradiente del sesgo, por ejemplo) hace el resultado $N$ veces demasiado pequeño.'),
    ),
    'divide-by-p': (
        'Encadenado a través de -t/p',
        ('Enviar $\\partial L / \\partial p = -t/p$ a través de la jacobiana de softmax divide por probabilidade'
         's que se subdesbordan a 0 con logits grandes y da NaN; la forma fusionada $\\tau p - t$ nunca'
         ' divide.'),
    ),
    'elementwise-jacobian': (
        'Jacobiana aplicada elemento a elemento',
        ('La jacobiana de cada ejemplo, $p_i(\\delta_{ij} - p_j)$, es una matriz $C \\times C$ que se'
         ' aplica a la fila de $dp$ de ese ejemplo mediante un producto de matrices, $dz_i = p_i (dp_i'
         ' - \\sum_j p_j dp_j)$; multiplicada elemento a elemento por el gradiente $(N, C)$ da la forma'
         ' equivocada, o números incorrectos cuando $N = C$.'),
    ),
    'no-max-shift': (
        'Desbordamiento en exp',
        ('$e^z$ se desborda a inf con logits por encima de unos 709 (88 en float32), e inf / inf es NaN;'
         ' restar primero el máximo de cada fila deja el resultado igual y no puede desbordarse.'),
    ),
    'log-of-softmax': (
        'El logaritmo de softmax se subdesborda',
        ('`np.log(softmax(z))` es $-\\infty$ allí donde una probabilidad se subdesborda a 0; la log-softmax'
         ' calculada como $z - m - \\log \\sum_j e^{z_j - m}$ con $m = \\max_j z_j$ se mantiene finita.'),
    ),
    'forward-difference': (
        'Diferencia hacia delante en lugar de central',
        ('$(f(x + \\varepsilon) - f(x)) / \\varepsilon$ tiene un error proporcional a $\\varepsilon$;'
         ' la diferencia central $(f(x + \\varepsilon) - f(x - \\varepsilon)) / 2\\varepsilon$ tiene'
         ' un error proporcional a $\\varepsilon^2$.'),
    ),
    'half-step-divisor': (
        'Dividido por eps en lugar de 2 eps',
        ('Las dos evaluaciones en $x + \\varepsilon$ y $x - \\varepsilon$ distan $2\\varepsilon$, así'
         ' que dividir su diferencia por $\\varepsilon$ da el doble de la derivada.'),
    ),
    'no-restore': (
        'Perturbación no deshecha',
        ('Cada entrada debe volver a su valor original tras sus dos evaluaciones; si no, todas las entradas'
         ' posteriores se derivan en un punto desplazado.'),
    ),
    'float32-steps': (
        'Perturbado en el dtype de la entrada',
        ('Perturbar una copia de $x$ en su propio dtype redondea $x + \\varepsilon$ (float32 conserva'
         ' unas 7 cifras; un tipo entero, ninguna), así que el paso no es $\\varepsilon$; copia primero'
         ' $x$ a float64.'),
    ),
    'assumes-one-hot': (
        'Supone objetivos one-hot',
        ('$p - t$ es el gradiente solo cuando cada fila de objetivos suma 1; en general es $\\tau p -'
         ' t$ con $\\tau = \\sum_c t_c$, y una pérdida debe usar todos los pesos de los objetivos, no'
         ' solo el mayor.'),
    ),
    'smoothing-wrong-mass': (
        'Suavizado de etiquetas con la masa equivocada',
        ('Los objetivos suavizados son $(1 - \\varepsilon)\\,\\mathrm{onehot} + \\varepsilon / C$: cada'
         ' clase recibe $\\varepsilon / C$, la clase verdadera recibe además $1 - \\varepsilon$, y cada'
         ' fila suma 1.'),
    ),
    'wrong-activation-derivative': (
        'Derivada de tanh incorrecta',
        ('Con $h = \\tanh(u)$, la derivada local de la capa oculta es $1 - h^2$; omitirla, o usar $1'
         ' - h$ o $1 - u^2$, da gradientes incorrectos en la primera capa.'),
    ),
    'chunk-no-rescale': (
        'Suma acumulada sin reescalar',
        ("Cuando un bloque nuevo eleva el máximo acumulado de $m$ a $m'$, la suma acumulada, tomada respecto"
         " a $m$, debe multiplicarse por $e^{m - m'}$ antes de añadir los términos del bloque."),
    ),
    'chunk-drops-remainder': (
        'Último bloque descartado',
        ('Cuando $C$ no es múltiplo de la anchura de bloque, hay que recorrer igualmente el último bloque,'
         ' más estrecho.'),
    ),
    'batch-max-shift': (
        'Desplazamiento por el máximo de todo el lote',
        ('`z - np.max(z)` resta un único máximo para todo el lote; una fila cuyo propio máximo queda'
         ' más de unos 745 por debajo se subdesborda a ceros y da 0 / 0 = NaN, así que hay que restar'
         ' el máximo de cada fila, `np.max(z, axis=1, keepdims=True)`.'),
    ),
    'epsilon-in-log': (
        'Un épsilon dentro del logaritmo',
        ('`np.log(p + 1e-7)` oculta el $-\\infty$ de una probabilidad subdesbordada tras un número finito'
         ' incorrecto (unos 16 donde la pérdida es 800) y desplaza todo $\\log p$ pequeño; la log-softmax,'
         ' $z - m - \\log \\sum_j e^{z_j - m}$, es exacta y finita sin ningún épsilon.'),
    ),
    'sum-over-everything': (
        'Una sola suma sobre todo el lote',
        ('`np.sum(e)` sin `axis=1` suma juntas las exponenciales de todos los ejemplos, así que cada'
         ' fila se divide por el total de todo el lote y ninguna fila suma 1; normaliza cada fila por'
         ' su propia suma.'),
    ),
    'divided-by-classes': (
        'Promediado sobre las clases',
        ('La pérdida es la media sobre los $N$ ejemplos; dividir en su lugar por el número de clases'
         ' $C$ (o tomar `np.mean` de todo el arreglo $(N, C)$, que divide por $N C$) escala la pérdida'
         ' y su gradiente por un factor equivocado.'),
    ),
    'classes-from-labels': (
        'Número de clases a partir de las etiquetas',
        ('`np.max(y) + 1` es el número de clases solo cuando la clase más alta aparece en el lote; toma'
         ' $C$ de la forma de las puntuaciones o de los pesos, en la que está cada clase, aparezca o'
         ' no en el lote.'),
    ),
    'inconsistent-regularisation': (
        'La penalización y su gradiente no concuerdan',
        ('El gradiente de $\\lambda \\sum W^2$ es $2 \\lambda W$, y el de $\\frac12 \\lambda \\sum W^2$'
         ' es $\\lambda W$; emparejar la pérdida de una convención con el gradiente de la otra (u omitir'
         ' la penalización en el gradiente) hace que el gradiente sea incorrecto para la pérdida que'
         ' debe hacer descender.'),
    ),
    'log-of-sigmoid': (
        'El logaritmo de una sigmoide redondeada',
        ('`np.log(1 - sigmoid(z))` es $\\log 0 = -\\infty$ en cuanto `1 - sigmoid(z)` se redondea a 0'
         ' (desde $z = 37$ en float64, 17 en float32), y un objetivo igual a 1 da entonces `0 * -inf`,'
         ' que es NaN; escribe la pérdida a partir del logit, `np.logaddexp(0, z) - t * z`.'),
    ),
    'softplus-overflow': (
        'log(1 + exp(z)) tal cual',
        ('`np.log(1 + np.exp(z))` se desborda a $\\infty$ para $z$ por encima de unos 709, aunque la'
         ' pérdida solo vale aproximadamente $z$; `np.logaddexp(0, z)`, o $\\max(z, 0) + \\log(1 + e^{-\\lvert'
         ' z \\rvert})$ con `np.log1p`, nunca forma una exponencial grande.'),
    ),
    'softmax-for-multilabel': (
        'Softmax sobre etiquetas independientes',
        ('En un problema multietiqueta, cada etiqueta es su propio sí/no con su propia sigmoide; una'
         ' softmax sobre las etiquetas las hace competir por una única unidad de probabilidad, de modo'
         ' que dos etiquetas no pueden ser probables a la vez, y su gradiente $p - t$ no es `sigmoid(z)'
         ' - t`.'),
    ),
    'double-sigmoid-derivative': (
        'La derivada de la sigmoide aplicada dos veces',
        ('El gradiente de la entropía cruzada binaria en el logit, `sigmoid(z) - t`, ya contiene la derivada'
         ' de la sigmoide, $p(1 - p)$, que se canceló con el $1 / p$ del logaritmo; multiplicar otra'
         ' vez por ella reduce el gradiente casi a 0 justo donde la predicción es errónea con mucha confianza.'),
    ),
    'reciprocal-sign': (
        'Derivada del recíproco sin su signo menos',
        ('La derivada de $r = 1/s$ es $-1/s^2$, así que $ds = -dr/s^2$; sin el signo menos, el gradiente'
         ' a través del denominador de softmax apunta en la dirección equivocada.'),
    ),
    'one-path-into-e': (
        'Un solo camino hacia e',
        ('$e$ alimenta tanto a $p = e\\,r$ como a $s = \\sum_c e_c$, así que su gradiente suma dos contribucione'
         's, $de = dp\\,r + ds$; conservar solo la primera descarta la forma en que cada clase mueve'
         ' el denominador.'),
    ),
    'broadcast-not-summed': (
        'Gradiente difundido sin sumar',
        ('Un arreglo $(N, 1)$ que la pasada hacia delante difunde a lo largo de las clases (como $m$'
         ' o $r$) recibe el gradiente de arriba sumado sobre ese eje, `.sum(1, keepdims=True)`; si no'
         ' se suma, tiene forma $(N, C)$ y números incorrectos.'),
    ),
    'pick-whole-columns': (
        'Indexación hacia atrás por columnas enteras',
        ('La pasada hacia atrás de `logp[np.arange(N), y]` coloca `dpicked[n]` solo en la entrada $(n,'
         ' y_n)$; `dlogp[:, y]` rellena cada fila en cada etiqueta del lote.'),
    ),
}

#: The headings of the sections and chapters that verdicts point at, by label, as the edition has them.
HEADINGS = {
    'backprop-by-operation': 'Retropropagación a través de cada operación',
    'backprop-indexing': 'La pasada hacia atrás de la indexación',
    'backprop-local-derivatives': 'Una línea por valor intermedio',
    'batch-axis': 'Sobre las clases, no sobre el lote',
    'batch-keepdims': 'Un número por fila: keepdims',
    'batch-max-shift': 'El máximo de todo el lote',
    'batch-mean': 'El $1/N$ de la media',
    'bce-gradient': 'El gradiente de un logit',
    'bce-log-of-sigmoid': 'Donde falla la fórmula de los libros de texto',
    'bce-multi-label': 'Una pregunta por etiqueta',
    'bce-stable-form': 'La forma estable',
    'beyond-one-hot': 'Más allá de los objetivos one-hot',
    'broadcast-sum': 'Difusión hacia delante, suma hacia atrás',
    'classes-from-labels': 'El número de clases a partir de las etiquetas',
    'divided-by-classes': 'Promediado sobre las clases',
    'epsilon-in-log': 'Un épsilon dentro del logaritmo',
    'fused-vs-separate': 'Fusionado frente a separado',
    'gradient-checking': 'Comprobación del gradiente',
    'gradient-sign': 'Hacia dónde apunta el gradiente',
    'inconsistent-regularisation': 'Una penalización y un gradiente que no concuerdan',
    'kronecker-delta': 'La delta de Kronecker',
    'label-smoothing': 'Suavizado de etiquetas',
    'log-of-softmax': 'Logaritmo de softmax frente a log-sum-exp',
    'loss-independent-backward': 'La pasada hacia atrás de softmax sin conocer la pérdida',
    'matrix-form': 'La forma matricial',
    'mistakes': 'Un catálogo de errores',
    'numerical-stability': 'Estabilidad numérica',
    'overflow': 'El desbordamiento y el desplazamiento por el máximo',
    'puzzle': 'El enigma',
    'puzzle-wrong-step': 'El paso que descarta las demás salidas',
    'quotient-rule': 'La regla del cociente',
    'separate-node-bug': 'El nodo softmax separado',
    'sigmoid-bce': 'Sigmoide y entropía cruzada binaria',
    'soft-targets': 'Objetivos que no suman uno',
    'sum-over-everything': 'Una sola suma para todo el lote',
    'toy-network': 'La red de juguete de dos salidas',
    'training': 'Entrenamiento con datos reales',
    'two-paths-into-e': 'Dos caminos hacia e',
    'weight-gradient-shape': 'La forma de ∂E/∂W y el gradiente traspuesto',
    'what-it-costs': 'Lo que cuesta',
}
