"""The verdicts in Indonesian (id), for the id edition of the book (see :ref:`mistakes`).

``MISTAKES`` and ``HEADINGS`` are copied verbatim from the edition's
``locales/id/LC_MESSAGES/book/*.po`` (chapter 13 prints the catalogue, so its
titles and texts are translated there); ``tests/coursework/test_languages.py``
keeps them equal where the locales are at hand.
"""

#: The engine's sentences by message id (the English templates are in :mod:`.en`).
MESSAGES = {
    'passed': '✓ {name} lolos di semua {count} kasus dengan masukan acak yang baru.',
    'passed-bug-fixed':
        '✓ Bug ditemukan dan diperbaiki: {name} lolos di semua {count} kasus dengan masukan acak yang baru.',
    'not-right': '✗ {name} belum benar.',
    'not-implemented': '✗ {name} belum diimplementasikan: ganti `raise NotImplementedError` di kerangkanya.',
    'time-limit': '✗ {name} melewati batas waktu: berjalan lebih dari {seconds} s pada kasus {case}.',
    'time-limit-hint':
        'Adakah perulangan yang tidak pernah berhenti? Untuk memberi waktu lebih, gunakan {call} atau atur {variable}.',
    'cases': 'Kasus: {names}.',
    'on-case': 'Pada kasus {case}: {problem}.',
    'also-fails': 'Fungsi ini juga gagal pada {more} kasus lain dari {count} kasus: {names}.',
    'passes-others': 'Fungsi ini lolos di {count} kasus lainnya.',
    'targets': 'Target: {text}.',
    'convention': 'Dinilai menurut konvensi yang diikuti loss-nya: {text}.',
    'mistake-full': 'Perilakunya persis seperti kesalahan yang dikenal [{id}] ({title}): {text}',
    'mistake-part': 'Sebagian kegagalannya cocok dengan kesalahan yang dikenal [{id}] ({title}): {text}',
    'second-problem': 'Mungkin ada masalah kedua juga.',
    'no-mistake': 'Tidak ada kesalahan dalam katalog yang cocok. Signature fungsi: {signature}.',
    'labels-hint':
        'Jika fungsi Anda menerima label bilangan bulat (N,), bukan baris probabilitas, periksa dengan {call}.',
    'read-why': 'Baca alasannya: {where}, {url}',
    'derivation-in': 'Derivasinya ada di {where}: {url}',
    'section-in-chapter': '"{title}", {chapter}',
    'chapter': 'bab {number}',
    'html-label': 'label',
    'case-separator': ', ',
    'list-separator': '; ',
    'printed-one': 'Fungsi ini mencetak 1 baris:',
    'printed-all': 'Fungsi ini mencetak {count} baris:',
    'printed-first': 'Fungsi ini mencetak {count} baris; {shown} baris pertama:',
    'repeat': 'Masukannya acak; {call} mengulang masukan yang sama ini.',
    'raised': 'fungsi ini memunculkan {type}: {error}',
    'exited': 'fungsi ini memanggil sys.exit() (SystemExit: {error})',
    'returned-none': 'fungsi ini mengembalikan None (apakah pernyataan `return` terlewat?)',
    'returned-none-for': 'fungsi ini mengembalikan None untuk {name}',
    'wrong-count': 'fungsi ini seharusnya mengembalikan {count} array ({names}); yang dikembalikan {what}',
    'an-array': 'array berbentuk {shape}',
    'an-object': 'objek bertipe {type}',
    'not-numbers': '{name} bukan array bilangan ({error})',
    'not-real': '{name} bukan array bilangan real (dtype-nya {dtype})',
    'not-float64': '{name} ber-dtype {dtype}; latihan ini meminta array float64',
    'wrong-shape': '{name} berbentuk {shape}; seharusnya {expected}',
    'non-finite': '{name} berisi {kinds} di {count} dari {size} entri',
    'nan-and-inf': 'NaN dan inf',
    'wrong-scalar': '{name} bernilai {value}; seharusnya {expected}',
    'wrong-entries':
        ('{name} berbeda dari nilai yang diharapkan di {count} dari {size} entri; yang terburuk di indeks'
         ' {index}: didapat {value}, seharusnya {expected}'),
    # galat check untuk argumen yang tidak dapat diterimanya
    'error-unknown-exercise': 'latihan {exercise} tidak dikenal; latihan yang ada: {names}',
    'error-targets-value': 'targets={targets}; nilai yang diperbolehkan adalah {forms}',
    'error-no-targets': 'latihan {exercise} tidak menerima target; hapus targets=',
    'error-targets-form': 'latihan {exercise} hanya menerima targetnya sebagai {forms}, bukan {targets}',
    'error-not-callable': ('check memerlukan fungsinya sendiri, seperti {function} tanpa tanda kurung; '
                           'yang diterima adalah {kind}'),
    'or-separator': ' atau ',
}

#: The parts of the case descriptions, by their English text with the numbers as placeholders.
CASES = {
    'C={0} > D={1}': 'C={0} > D={1}',
    'X and labels': 'X dan label',
    'a coarse step': 'langkah yang kasar',
    'a coupled function of x with {0} entries': 'fungsi x yang saling terkait dengan {0} entri',
    'a label': 'satu label',
    'a single example': 'satu contoh saja',
    'a single label': 'satu label saja',
    'a square batch': 'batch persegi',
    'all logits near {0}': 'semua logit di sekitar {0}',
    'another label and W': 'label lain dan W',
    'chunk={0} (a shorter last block)': 'chunk={0} (blok terakhir lebih pendek)',
    'cross-entropy of an (N, C) = ({0}, {1}) array of logits':
        'entropi silang dari array logit (N, C) = ({0}, {1})',
    'float{0} W and X': 'W dan X float{0}',
    'float{0} inputs': 'masukan float{0}',
    'float{0} large logits': 'logit besar float{0}',
    'float{0} logits': 'logit float{0}',
    'float{0} logits and soft targets': 'logit dan target lunak float{0}',
    'float{0} logits near {1}': 'logit float{0} di sekitar {1}',
    'float{0} p and dp': 'p dan dp float{0}',
    'float{0} rows near {1} and near {2} (maxima {3} apart)':
        'baris float{0} di sekitar {1} dan di sekitar {2} (maksimumnya berjarak {3})',
    'float{0} soft targets': 'target lunak float{0}',
    'float{0} x with {1} entries': 'x float{0} dengan {1} entri',
    'float{0} z and dp': 'z dan dp float{0}',
    'heavy smoothing': 'penghalusan yang kuat',
    'integer x with {0} entries': 'x bilangan bulat dengan {0} entri',
    'int{0} labels': 'label int{0}',
    'labels': 'label',
    'labels that never take the top class {0}': 'label yang tidak pernah mengambil kelas teratas {0}',
    'large growing logits (up to {0})': 'logit besar yang terus naik (hingga {0})',
    'large logits': 'logit besar',
    'large logits (|y| ~ {0})': 'logit besar (|y| ~ {0})',
    'large logits (|z| up to {0})': 'logit besar (|z| hingga {0})',
    'large logits (|z| ~ {0})': 'logit besar (|z| ~ {0})',
    'logits all near {0}': 'logit semuanya di sekitar {0}',
    'logits near +{0} ({1} - sigmoid(z) rounds to {2} in float{3})':
        'logit di sekitar +{0} ({1} - sigmoid(z) dibulatkan menjadi {2} dalam float{3})',
    'logits near {0}': 'logit di sekitar {0}',
    'logits near {0} with a small spread': 'logit di sekitar {0} dengan sebaran kecil',
    'logits of {0}..{1} of both signs': 'logit {0}..{1} bertanda positif dan negatif',
    'many classes': 'banyak kelas',
    'many classes and few features': 'banyak kelas dan sedikit fitur',
    'many labels per row': 'banyak label per baris',
    'no regularisation': 'tanpa regularisasi',
    'no smoothing': 'tanpa penghalusan',
    'one block wider than C': 'satu blok yang lebih lebar dari C',
    'one class': 'satu kelas',
    'one class per row {0} below the row maximum': 'satu kelas per baris {0} di bawah maksimum barisnya',
    'one class per row {0} below the row maximum (its probability underflows to {1})':
        'satu kelas per baris {0} di bawah maksimum barisnya (probabilitasnya underflow menjadi {1})',
    'one example': 'satu contoh',
    'one label': 'satu label',
    'one-hot target': 'target one-hot',
    'one-hot targets': 'target one-hot',
    'other random logits': 'logit acak lainnya',
    'p from logits all near {0}': 'p dari logit yang semuanya di sekitar {0}',
    'random W': 'W acak',
    'random logits': 'logit acak',
    'random p and dp': 'p dan dp acak',
    'random z and dp': 'z dan dp acak',
    'reg > {0}': 'reg > {0}',
    'repeated labels (two classes only)': 'label berulang (hanya dua kelas)',
    'rows near {0} and near {1} (maxima {2} apart)':
        'baris di sekitar {0} dan di sekitar {1} (maksimumnya berjarak {2})',
    'rows of scores near {0} and near {1} (maxima {2} apart)':
        'baris skor di sekitar {0} dan di sekitar {1} (maksimumnya berjarak {2})',
    'rows that grow left to right (the maximum rises in every block)':
        'baris yang naik dari kiri ke kanan (maksimumnya naik di setiap blok)',
    'saturated p (exact {0}s and near{1}s)': 'p jenuh ({0} persis dan hampir {1})',
    'saturated rows (|z| up to {0})': 'baris jenuh (|z| hingga {0})',
    'scores all near {0}': 'skor semuanya di sekitar {0}',
    'scores near {0} with a small spread': 'skor di sekitar {0} dengan sebaran kecil',
    'scores of {0}..{1}': 'skor {0}..{1}',
    'several on in each row': 'beberapa aktif di setiap baris',
    'soft target': 'target lunak',
    'soft target summing to {0}': 'target lunak berjumlah {0}',
    'soft targets': 'target lunak',
    'soft targets in ({0}, {1})': 'target lunak dalam ({0}, {1})',
    'soft targets summing to {0}': 'target lunak berjumlah {0}',
    'soft targets summing to {0}..{1}': 'target lunak berjumlah {0}..{1}',
    'soft targets whose rows sum to {0}': 'target lunak yang barisnya berjumlah {0}',
    'soft targets whose rows sum to {0}..{1}': 'target lunak yang barisnya berjumlah {0}..{1}',
    'square W': 'W persegi',
    'square weights': 'bobot persegi',
    'targets summing to {0}': 'target berjumlah {0}',
    'ten examples of ten classes': 'sepuluh contoh dari sepuluh kelas',
    'the labelled class {0} below the row maximum (its probability underflows to {1})':
        'kelas berlabel {0} di bawah maksimum barisnya (probabilitasnya underflow menjadi {1})',
    'the labelled class {0} scored {1} below the row maximum (its probability underflows to {2})':
        'kelas berlabel {0} dengan skor {1} di bawah maksimum barisnya (probabilitasnya underflow menjadi {2})',
    'two classes': 'dua kelas',
    'z and dp of shape ({0},)': 'z dan dp berbentuk ({0},)',
    '{0}/{1} targets': 'target {0}/{1}',
}

#: The exercises' own sentences (signatures, target forms, conventions, passed messages), by their English.
TEXTS = {
    't is an (N, C) float array of non-negative target weights; rows need not sum to 1':
        't adalah array float (N, C) berisi bobot target non-negatif; barisnya tidak harus berjumlah 1',
    't is an (N,) integer array of class labels in 0..C-1':
        't adalah array bilangan bulat (N,) berisi label kelas dalam 0..C-1',
    'y is an (N,) integer array of class labels in 0..C-1':
        'y adalah array bilangan bulat (N,) berisi label kelas dalam 0..C-1',
    't is a (C,) float array of non-negative target weights; it need not sum to 1':
        't adalah array float (C,) berisi bobot target non-negatif; jumlahnya tidak harus 1',
    "t is the integer label of the example's class, in 0..C-1":
        't adalah label bilangan bulat dari kelas contoh itu, dalam 0..C-1',
    'the loss adds reg * sum(W**2) and dW adds 2 * reg * W':
        'loss ditambah reg * sum(W**2) dan dW ditambah 2 * reg * W',
    'the loss adds 0.5 * reg * sum(W**2) and dW adds reg * W':
        'loss ditambah 0.5 * reg * sum(W**2) dan dW ditambah reg * W',
    "Each row's softmax no longer depends on what the other rows of the batch hold.":
        'Softmax setiap baris tidak lagi bergantung pada isi baris-baris lain dalam batch.',
    'Every logit now receives the gradient that reaches it through every probability.':
        'Setiap logit kini menerima gradien yang sampai kepadanya melalui setiap probabilitas.',
    'The node gives the right gradient for every batch size, N = 1 and N = C included.':
        'Simpul ini memberikan gradien yang benar untuk setiap ukuran batch, termasuk N = 1 dan N = C.',
    'The label gradient is finite wherever the loss is, however small a probability gets.':
        'Gradien terhadap label berhingga di mana pun loss-nya berhingga, sekecil apa pun probabilitasnya.',
    '`exp` no longer overflows or underflows whole rows, in float64 or in float32.':
        '`exp` tidak lagi overflow atau underflow di seluruh baris, baik dalam float64 maupun float32.',
    # The signatures, which verdicts quote when no catalogued mistake matches.
    'my_softmax(z), z of shape (N, C) -> (N, C)': 'my_softmax(z), z berbentuk (N, C) -> (N, C)',
    'my_softmax_jacobian(z), z of shape (C,) -> (C, C)': 'my_softmax_jacobian(z), z berbentuk (C,) -> (C, C)',
    'my_log_softmax(z), z of shape (N, C) -> (N, C)': 'my_log_softmax(z), z berbentuk (N, C) -> (N, C)',
    'my_toy_network_grads(h, W, t), h (D,), W (D, C), t (C,) -> dE/dW (D, C)':
        'my_toy_network_grads(h, W, t), h (D,), W (D, C), t (C,) -> dE/dW (D, C)',
    'my_linear_softmax_grads(X, W, b, t), X (N, D), W (C, D), b (C,), t targets -> (dW (C, D), db (C,))':
        'my_linear_softmax_grads(X, W, b, t), X (N, D), W (C, D), b (C,), t target -> (dW (C, D), db (C,))',
    'my_softmax_backward(p, dp), both (N, C) -> dz (N, C)': 'my_softmax_backward(p, dp), keduanya (N, C) -> dz (N, C)',
    'my_cross_entropy_grad(z, t), z (N, C) logits, t targets -> dL/dz (N, C)':
        'my_cross_entropy_grad(z, t), z logit (N, C), t target -> dL/dz (N, C)',
    'my_softmax_loss(W, X, y, reg), W (D, C), X (N, D), y int (N,), reg float -> (loss, dW (D, C))':
        'my_softmax_loss(W, X, y, reg), W (D, C), X (N, D), y int (N,), reg float -> (loss, dW (D, C))',
    'my_cross_entropy(z, t), z (N, C) logits, t targets -> the mean loss, a scalar':
        'my_cross_entropy(z, t), z logit (N, C), t target -> rata-rata loss, sebuah skalar',
    'my_central_difference(f, x, eps) -> float64 array shaped like x':
        'my_central_difference(f, x, eps) -> array float64 berbentuk seperti x',
    'my_label_smoothing(labels, C, eps), labels int (N,) -> (N, C)':
        'my_label_smoothing(labels, C, eps), labels int (N,) -> (N, C)',
    'my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))':
        'my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))',
    'my_chunked_logsumexp(z, chunk), z (N, C), int chunk -> (N,)':
        'my_chunked_logsumexp(z, chunk), z (N, C), int chunk -> (N,)',
    'my_softmax_delta(z, dp), logits z and upstream gradient dp of the same shape (..., C) -> dz, that shape':
        ('my_softmax_delta(z, dp), logit z dan gradien dari hulu dp dengan bentuk yang sama (..., C) -> dz, dengan'
         ' bentuk itu'),
    'my_softmax_node_backward(p, dp), softmax rows p and upstream gradient dp, both (N, C) -> dz (N, C)':
        'my_softmax_node_backward(p, dp), baris-baris softmax p dan gradien dari hulu dp, keduanya (N, C) -> dz (N, C)',
    'my_softmax_loss_backward(z, t), logits z and one-hot labels t, both (N, C) -> (dz, dt), both (N, C)':
        'my_softmax_loss_backward(z, t), logit z dan label one-hot t, keduanya (N, C) -> (dz, dt), keduanya (N, C)',
    'my_softmax_ce_grad(z, t), logits z and one-hot targets t, both (N, C) -> dL/dz (N, C)':
        'my_softmax_ce_grad(z, t), logit z dan target one-hot t, keduanya (N, C) -> dL/dz (N, C)',
    'my_softmax_jacobians(z), logits z of shape (N, C) -> the Jacobians, shape (N, C, C)':
        'my_softmax_jacobians(z), logit z berbentuk (N, C) -> Jacobian setiap baris, berbentuk (N, C, C)',
    ('my_binary_cross_entropy(z, t), z (N, C) logits, t (N, C) targets in [0, 1] -> (loss, dz): loss summed over the C'
     ' labels and averaged over the N rows, dz (N, C)'):
        ('my_binary_cross_entropy(z, t), z logit (N, C), t target (N, C) dalam [0, 1] -> (loss, dz): loss yang'
         ' dijumlahkan atas C label dan dirata-ratakan atas N baris, dz (N, C)'),
    ('my_backprop_steps(z, y), z (N, C) logits, y (N,) integer labels -> (dlogp, dp, dr, ds, de, dzs, dm, dz), each'
     ' the shape of its intermediate'):
        ('my_backprop_steps(z, y), z logit (N, C), y label bilangan bulat (N,) -> (dlogp, dp, dr, ds, de, dzs, dm,'
         ' dz), masing-masing berbentuk sama dengan nilai antaranya'),
}

#: The catalogue's mistakes: id -> (title, explanation in MyST), as the edition's chapter 13 words them.
MISTAKES = {
    'diagonal-only-jacobian': (
        'Jacobian yang hanya diagonal',
        ('Hanya suku $i = j$, yaitu $p_i(1 - p_i)$, dari Jacobian softmax yang dipertahankan; suku-suku'
         ' di luar diagonal $-p_i p_j$, yang membuat setiap logit menggerakkan setiap probabilitas, dibuang.'),
    ),
    'missing-delta-term': (
        'Jacobian tanpa diagonalnya',
        ('Jacobian softmax adalah $\\mathrm{diag}(p) - p p^T$: delta Kronecker menambahkan $p_i$ pada'
         ' diagonal, dan $-p p^T$ saja tidak memuatnya.'),
    ),
    'sign-flip': (
        'Gradien dengan tanda yang salah',
        ('Gradien entropi silang terhadap logit adalah $\\tau p - t$ (dengan $\\tau = \\sum_c t_c$),'
         ' bukan $t - p$; jika tandanya terbalik, penurunan gradien justru mendaki loss.'),
    ),
    'missing-minus': (
        'Loss tanpa tanda minusnya',
        ('Entropi silang adalah $-\\sum_c t_c \\log p_c$, sebuah bilangan positif; tanpa tanda minus,'
         ' loss bernilai negatif dan meminimumkannya justru memperburuk prediksi.'),
    ),
    'transposed-weight-grad': (
        'Gradien bobot tertranspos',
        ('$\\partial E / \\partial W$ berbentuk sama dengan $W$, dengan entri $[i, j]$ milik $w_{ij}$;'
         ' membangunnya sebagai $X^T dz$ ketika $W$ disimpan sebagai $(C, D)$, atau sebaliknya, menghasilkan'
         ' transposnya.'),
    ),
    'wrong-axis': (
        'Dinormalisasi atas batch',
        ('Softmax menormalisasi setiap contoh atas kelas-kelasnya (sumbu terakhir, satu baris per contoh),'
         ' bukan setiap kelas atas batch (sumbu 0).'),
    ),
    'missing-keepdims': (
        'Jumlah baris tanpa keepdims',
        ('Jumlah atau maksimum baris yang diambil tanpa `keepdims=True` berbentuk $(N,)$, dan menggabungkannya'
         ' dengan array $(N, C)$ menyejajarkannya dengan sumbu kelas: galat kecuali $N = C$, dan angka'
         ' yang salah ketika $N = C$.'),
    ),
    'batch-size-eye': (
        'Identitas seukuran batch',
        ('Matriks identitas dalam $p(\\delta - p)$ harus berukuran $C \\times C$, satu baris per kelas;'
         ' `np.eye` seukuran batch $N$ hanya dapat di-broadcast terhadap $(N, C)$ ketika $N = C$, dan'
         ' saat itu pun menghasilkan angka yang salah.'),
    ),
    'missing-batch-mean': (
        'Tanpa pembagian dengan N',
        ('Loss adalah rata-rata atas $N$ contoh, sehingga setiap gradiennya membawa faktor $1/N$; tanpa'
         ' faktor itu, hasilnya $N$ kali terlalu besar.'),
    ),
    'double-batch-mean': (
        'Dibagi dengan N dua kali',
        ('Faktor $1/N$ dari rata-rata sudah ada di dalam $dz$; merata-ratakan $dz$ atas batch sekali'
         ' lagi (misalnya untuk gradien bias) membuat hasilnya $N$ kali terlalu kecil.'),
    ),
    'divide-by-p': (
        'Dirantai melalui -t/p',
        ('Mengirimkan $\\partial L / \\partial p = -t/p$ melalui Jacobian softmax berarti membagi dengan'
         ' probabilitas yang mengalami underflow menjadi 0 pada logit besar dan menghasilkan NaN; bentuk'
         ' terfusi $\\tau p - t$ tidak pernah membagi.'),
    ),
    'elementwise-jacobian': (
        'Jacobian diterapkan per elemen',
        ('Jacobian setiap contoh, $p_i(\\delta_{ij} - p_j)$, adalah matriks $C \\times C$ yang diterapkan'
         ' pada baris $dp$ milik contoh tersebut melalui perkalian matriks, $dz_i = p_i (dp_i - \\sum_j'
         ' p_j dp_j)$; jika dikalikan per elemen dengan gradien $(N, C)$, hasilnya berbentuk salah, atau'
         ' berisi angka yang salah ketika $N = C$.'),
    ),
    'no-max-shift': (
        'Overflow pada exp',
        ('$e^z$ mengalami overflow menjadi inf untuk logit di atas sekitar 709 (88 dalam float32), dan'
         ' inf / inf adalah NaN; mengurangkan maksimum setiap baris terlebih dahulu tidak mengubah hasil'
         ' dan tidak mungkin mengalami overflow.'),
    ),
    'log-of-softmax': (
        'Log dari softmax mengalami underflow',
        ('`np.log(softmax(z))` bernilai $-\\infty$ di mana pun sebuah probabilitas mengalami underflow'
         ' menjadi 0; log-softmax yang dihitung sebagai $z - m - \\log \\sum_j e^{z_j - m}$ dengan $m'
         ' = \\max_j z_j$ tetap bernilai hingga.'),
    ),
    'forward-difference': (
        'Beda maju alih-alih beda pusat',
        ('$(f(x + \\varepsilon) - f(x)) / \\varepsilon$ memiliki galat yang sebanding dengan $\\varepsilon$;'
         ' beda pusat $(f(x + \\varepsilon) - f(x - \\varepsilon)) / 2\\varepsilon$ memiliki galat yang'
         ' sebanding dengan $\\varepsilon^2$.'),
    ),
    'half-step-divisor': (
        'Dibagi dengan eps alih-alih 2 eps',
        ('Dua evaluasi pada $x + \\varepsilon$ dan $x - \\varepsilon$ berjarak $2\\varepsilon$, sehingga'
         ' membagi selisihnya dengan $\\varepsilon$ menghasilkan dua kali turunannya.'),
    ),
    'no-restore': (
        'Gangguan tidak dikembalikan',
        ('Setiap entri harus dikembalikan ke nilai aslinya setelah kedua evaluasinya; jika tidak, setiap'
         ' entri berikutnya diturunkan pada titik yang sudah bergeser.'),
    ),
    'float32-steps': (
        'Diganggu dalam dtype masukan',
        ('Mengganggu salinan $x$ dalam dtype-nya sendiri membulatkan $x + \\varepsilon$ (float32 menyimpan'
         ' sekitar 7 digit, tipe bilangan bulat tidak menyimpan satu pun), sehingga langkahnya bukan'
         ' $\\varepsilon$; salin $x$ ke float64 terlebih dahulu.'),
    ),
    'assumes-one-hot': (
        'Mengasumsikan target one-hot',
        ('$p - t$ merupakan gradien hanya jika setiap baris target berjumlah 1; secara umum gradiennya'
         ' adalah $\\tau p - t$ dengan $\\tau = \\sum_c t_c$, dan sebuah loss harus memakai setiap bobot'
         ' target, bukan hanya yang terbesar.'),
    ),
    'smoothing-wrong-mass': (
        'Penghalusan label dengan massa yang salah',
        ('Target yang dihaluskan adalah $(1 - \\varepsilon)\\,\\mathrm{onehot} + \\varepsilon / C$: setiap'
         ' kelas mendapat $\\varepsilon / C$, kelas yang benar mendapat tambahan $1 - \\varepsilon$,'
         ' dan setiap baris berjumlah 1.'),
    ),
    'wrong-activation-derivative': (
        'Turunan tanh yang salah',
        ('Dengan $h = \\tanh(u)$, turunan lokal lapisan tersembunyi adalah $1 - h^2$; menghilangkannya,'
         ' atau memakai $1 - h$ atau $1 - u^2$, menghasilkan gradien lapisan pertama yang salah.'),
    ),
    'chunk-no-rescale': (
        'Jumlah berjalan tidak diskalakan ulang',
        ("Ketika sebuah blok baru menaikkan maksimum berjalan dari $m$ menjadi $m'$, jumlah berjalan,"
         " yang relatif terhadap $m$, harus dikalikan dengan $e^{m - m'}$ sebelum suku-suku blok tersebut"
         ' ditambahkan.'),
    ),
    'chunk-drops-remainder': (
        'Blok terakhir terlewat',
        'Ketika $C$ bukan kelipatan lebar blok, blok terakhir yang lebih sempit tetap harus dipindai.',
    ),
    'batch-max-shift': (
        'Pergeseran maksimum atas seluruh batch',
        ('`z - np.max(z)` mengurangkan satu maksimum untuk seluruh batch; baris yang maksimumnya sendiri'
         ' berada lebih dari sekitar 745 di bawahnya mengalami underflow menjadi nol semua dan menghasilkan'
         ' 0 / 0 = NaN, jadi kurangkan maksimum setiap baris, `np.max(z, axis=1, keepdims=True)`.'),
    ),
    'epsilon-in-log': (
        'Sebuah epsilon di dalam log',
        ('`np.log(p + 1e-7)` menyembunyikan $-\\infty$ dari probabilitas yang mengalami underflow di'
         ' balik bilangan hingga yang salah (sekitar 16 padahal loss-nya 800) dan menggeser setiap $\\log'
         ' p$ yang kecil; log-softmax, $z - m - \\log \\sum_j e^{z_j - m}$, bersifat eksak dan bernilai'
         ' hingga tanpa epsilon apa pun.'),
    ),
    'sum-over-everything': (
        'Satu jumlah atas seluruh batch',
        ('`np.sum(e)` tanpa `axis=1` menjumlahkan eksponensial semua contoh sekaligus, sehingga setiap'
         ' baris dibagi dengan total seluruh batch dan tidak ada baris yang berjumlah 1; normalisasikan'
         ' setiap baris dengan jumlahnya sendiri.'),
    ),
    'divided-by-classes': (
        'Dirata-ratakan atas kelas',
        ('Loss adalah rata-rata atas $N$ contoh; membaginya dengan banyaknya kelas $C$ sebagai gantinya'
         ' (atau mengambil `np.mean` dari seluruh array $(N, C)$, yang membagi dengan $N C$) menskalakan'
         ' loss dan gradiennya dengan faktor yang salah.'),
    ),
    'classes-from-labels': (
        'Banyaknya kelas dari label',
        ('`np.max(y) + 1` sama dengan banyaknya kelas hanya jika kelas teratas muncul dalam batch; ambil'
         ' $C$ dari bentuk skor atau bobot, yang memuat setiap kelas, ada atau tidaknya kelas itu dalam'
         ' batch.'),
    ),
    'inconsistent-regularisation': (
        'Penalti dan gradiennya tidak sepadan',
        ('Gradien dari $\\lambda \\sum W^2$ adalah $2 \\lambda W$, sedangkan gradien dari $\\frac12 \\lambda'
         ' \\sum W^2$ adalah $\\lambda W$; memasangkan loss dari satu konvensi dengan gradien dari konvensi'
         ' lainnya (atau tidak menyertakan penalti dalam gradien) membuat gradien salah untuk loss yang'
         ' hendak diturunkannya.'),
    ),
    'log-of-sigmoid': (
        'Logaritma dari sigmoid yang sudah dibulatkan',
        ('`np.log(1 - sigmoid(z))` bernilai $\\log 0 = -\\infty$ begitu `1 - sigmoid(z)` dibulatkan menjadi'
         ' 0 (mulai $z = 37$ dalam float64, 17 dalam float32), dan target bernilai 1 lalu menghasilkan'
         ' `0 * -inf`, yaitu NaN; tuliskan loss dari logit, `np.logaddexp(0, z) - t * z`.'),
    ),
    'softplus-overflow': (
        'log(1 + exp(z)) apa adanya',
        ('`np.log(1 + np.exp(z))` mengalami overflow menjadi $\\infty$ untuk $z$ di atas sekitar 709,'
         ' padahal loss-nya hanya sekitar $z$; `np.logaddexp(0, z)`, atau $\\max(z, 0) + \\log(1 + e^{-\\lvert'
         ' z \\rvert})$ dengan `np.log1p`, tidak pernah membentuk eksponensial yang besar.'),
    ),
    'softmax-for-multilabel': (
        'Softmax atas label-label yang independen',
        ('Dalam masalah multi-label, setiap label adalah pilihan ya/tidak tersendiri dengan sigmoid-nya'
         ' sendiri; softmax atas label-label tersebut membuat mereka bersaing memperebutkan satu satuan'
         ' probabilitas, sehingga dua label tidak dapat sama-sama mungkin, dan gradiennya $p - t$ bukan'
         ' `sigmoid(z) - t`.'),
    ),
    'double-sigmoid-derivative': (
        'Turunan sigmoid diterapkan dua kali',
        ('Gradien entropi silang biner terhadap logit, `sigmoid(z) - t`, sudah memuat turunan sigmoid'
         ' $p(1 - p)$, yang saling meniadakan dengan $1 / p$ dari logaritma; mengalikannya sekali lagi'
         ' menyusutkan gradien hingga hampir 0 justru ketika prediksi salah dengan penuh keyakinan.'),
    ),
    'reciprocal-sign': (
        'Turunan kebalikan tanpa tanda minusnya',
        ('Turunan dari $r = 1/s$ adalah $-1/s^2$, sehingga $ds = -dr/s^2$; tanpa tanda minus, gradien'
         ' melalui penyebut softmax menunjuk ke arah yang salah.'),
    ),
    'one-path-into-e': (
        'Hanya satu jalur menuju e',
        ('$e$ mengalir ke $p = e\\,r$ dan juga ke $s = \\sum_c e_c$, sehingga gradiennya menjumlahkan'
         ' dua kontribusi, $de = dp\\,r + ds$; mempertahankan hanya kontribusi pertama membuang cara'
         ' setiap kelas menggerakkan penyebut.'),
    ),
    'broadcast-not-summed': (
        'Gradien yang di-broadcast tidak dijumlahkan',
        ('Array $(N, 1)$ yang di-broadcast oleh lintasan maju ke seluruh kelas (seperti $m$ atau $r$)'
         ' mendapat gradien dari hulu yang dijumlahkan atas sumbu tersebut, `.sum(1, keepdims=True)`;'
         ' jika tidak dijumlahkan, bentuknya $(N, C)$ dan angkanya salah.'),
    ),
    'pick-whole-columns': (
        'Pengindeksan mundur dengan kolom utuh',
        ('Lintasan mundur dari `logp[np.arange(N), y]` menempatkan `dpicked[n]` hanya pada entri $(n,'
         ' y_n)$; `dlogp[:, y]` mengisi setiap baris pada setiap label dalam batch.'),
    ),
}

#: The headings of the sections and chapters that verdicts point at, by label, as the edition has them.
HEADINGS = {
    'backprop-by-operation': 'Propagasi balik melalui setiap operasi',
    'backprop-indexing': 'Lintasan mundur dari pengindeksan',
    'backprop-local-derivatives': 'Satu baris per nilai antara',
    'batch-axis': 'Atas kelas, bukan atas batch',
    'batch-keepdims': 'Satu bilangan per baris: keepdims',
    'batch-max-shift': 'Maksimum seluruh batch',
    'batch-mean': '$1/N$ dari rata-rata',
    'bce-gradient': 'Gradien terhadap satu logit',
    'bce-log-of-sigmoid': 'Di mana rumus buku teks gagal',
    'bce-multi-label': 'Satu pertanyaan per label',
    'bce-stable-form': 'Bentuk yang stabil',
    'beyond-one-hot': 'Melampaui target one-hot',
    'broadcast-sum': 'Broadcast di lintasan maju, penjumlahan di lintasan mundur',
    'classes-from-labels': 'Banyaknya kelas dari label',
    'divided-by-classes': 'Dirata-ratakan atas kelas',
    'epsilon-in-log': 'Sebuah epsilon di dalam log',
    'fused-vs-separate': 'Terfusi versus terpisah',
    'gradient-checking': 'Pemeriksaan gradien',
    'gradient-sign': 'Ke mana arah gradien',
    'inconsistent-regularisation': 'Penalti dan gradiennya yang tidak sepadan',
    'kronecker-delta': 'Delta Kronecker',
    'label-smoothing': 'Penghalusan label',
    'log-of-softmax': 'Log dari softmax versus log-sum-exp',
    'loss-independent-backward': 'Lintasan mundur softmax tanpa mengetahui loss-nya',
    'matrix-form': 'Bentuk matriks',
    'mistakes': 'Katalog kesalahan',
    'numerical-stability': 'Stabilitas numerik',
    'overflow': 'Overflow dan pergeseran dengan nilai maksimum',
    'puzzle': 'Teka-teki',
    'puzzle-wrong-step': 'Langkah yang membuang keluaran-keluaran lainnya',
    'quotient-rule': 'Aturan hasil bagi',
    'separate-node-bug': 'Simpul softmax yang terpisah',
    'sigmoid-bce': 'Sigmoid dan entropi silang biner',
    'soft-targets': 'Target yang tidak berjumlah satu',
    'sum-over-everything': 'Satu jumlah untuk seluruh batch',
    'toy-network': 'Jaringan mainan dengan dua keluaran',
    'training': 'Pelatihan pada data nyata',
    'two-paths-into-e': 'Dua jalur menuju e',
    'weight-gradient-shape': 'Bentuk ∂E/∂W, dan gradien yang tertranspos',
    'what-it-costs': 'Berapa biayanya',
}
