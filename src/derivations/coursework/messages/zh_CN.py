"""The verdicts in Simplified Chinese (zh_CN), for the zh_CN edition of the book (see :ref:`mistakes`).

``MISTAKES`` and ``HEADINGS`` are copied verbatim from the edition's
``locales/zh_CN/LC_MESSAGES/book/*.po`` (chapter 13 prints the catalogue, so its
titles and texts are translated there); ``tests/coursework/test_languages.py``
keeps them equal where the locales are at hand.
"""

#: The engine's sentences by message id (the English templates are in :mod:`.en`).
MESSAGES = {
    'passed': '✓ {name} 在全新的随机输入上通过了全部 {count} 个用例。',
    'passed-bug-fixed': '✓ 已找到并修复错误：{name} 在全新的随机输入上通过了全部 {count} 个用例。',
    'not-right': '✗ {name} 还不正确。',
    'not-implemented': '✗ {name} 尚未实现：请替换桩函数中的 `raise NotImplementedError`。',
    'time-limit': '✗ {name} 超出了时间限制：在用例“{case}”上运行了超过 {seconds} 秒。',
    'time-limit-hint': '是否有永不结束的循环？如需更多时间，请使用 {call} 或设置 {variable}。',
    'cases': '用例：{names}。',
    'on-case': '在用例“{case}”上：{problem}。',
    'also-fails': '在全部 {count} 个用例中，它还在另外 {more} 个用例上失败：{names}。',
    'passes-others': '它通过了其余 {count} 个用例。',
    'targets': '目标：{text}。',
    'convention': '按照其损失所遵循的约定来评判：{text}。',
    'mistake-full': '它的表现与已知错误 [{id}]（{title}）完全一致：{text}',
    'mistake-part': '部分失败与已知错误 [{id}]（{title}）相符：{text}',
    'second-problem': '可能还存在第二个问题。',
    'no-mistake': '没有与之相符的已收录错误。函数签名：{signature}。',
    'labels-hint': '如果你的函数接收的是整数标签 (N,) 而不是概率行，请用 {call} 来检查。',
    'read-why': '原因详见：{where}，{url}',
    'derivation-in': '推导见{where}：{url}',
    'section-in-chapter': '“{title}”，{chapter}',
    'chapter': '第 {number} 章',
    'html-label': '标签',
    'case-separator': '，',
    'list-separator': '；',
    'printed-one': '它打印了 1 行：',
    'printed-all': '它打印了 {count} 行：',
    'printed-first': '它打印了 {count} 行；前 {shown} 行为：',
    'repeat': '输入是随机的；{call} 可以重现这一组输入。',
    'raised': '它抛出了 {type}：{error}',
    'exited': '它调用了 sys.exit()（SystemExit：{error}）',
    'returned-none': '它返回了 None（是不是缺少 `return` 语句？）',
    'returned-none-for': '它为 {name} 返回了 None',
    'wrong-count': '它应当返回 {count} 个数组（{names}）；实际返回的是{what}',
    'an-array': '形状为 {shape} 的数组',
    'an-object': '{type} 类型的对象',
    'not-numbers': '{name} 不是数值数组（{error}）',
    'not-real': '{name} 不是实数数组（其 dtype 为 {dtype}）',
    'not-float64': '{name} 的 dtype 为 {dtype}；本练习要求 float64 数组',
    'wrong-shape': '{name} 的形状为 {shape}；应为 {expected}',
    'non-finite': '{name} 的 {size} 个元素中有 {count} 个是 {kinds}',
    'nan-and-inf': 'NaN 和 inf',
    'wrong-scalar': '{name} 为 {value}；应为 {expected}',
    'wrong-entries':
        ('{name} 的 {size} 个元素中有 {count} 个与期望值不同；相差最大的位于索引 {index}：得到 {value}，应为'
         ' {expected}'),
    # check 遇到无法接受的参数时给出的错误
    'error-unknown-exercise': '未知的练习 {exercise}；可用的练习有：{names}',
    'error-targets-value': 'targets={targets}；允许的取值为 {forms}',
    'error-no-targets': '练习 {exercise} 不接受目标；请去掉 targets=',
    'error-targets-form': '练习 {exercise} 的目标只能以 {forms} 的形式给出，不能是 {targets}',
    'error-not-callable': 'check 需要的是函数本身，例如不带括号的 {function}；收到的是 {kind}',
    'or-separator': ' 或 ',
}

#: The parts of the case descriptions, by their English text with the numbers as placeholders.
CASES = {
    'C={0} > D={1}': 'C={0} > D={1}',
    'X and labels': 'X 和标签',
    'a coarse step': '较粗的步长',
    'a coupled function of x with {0} entries': 'x 的一个各元素相互耦合的函数，x 有 {0} 个元素',
    'a label': '一个标签',
    'a single example': '单个样本',
    'a single label': '单个标签',
    'a square batch': '方形批量',
    'all logits near {0}': '所有 logit 都在 {0} 附近',
    'another label and W': '另一个标签和 W',
    'chunk={0} (a shorter last block)': 'chunk={0}（最后一块较短）',
    'cross-entropy of an (N, C) = ({0}, {1}) array of logits': '(N, C) = ({0}, {1}) 的 logit 数组的交叉熵',
    'float{0} W and X': 'float{0} 的 W 和 X',
    'float{0} inputs': 'float{0} 输入',
    'float{0} large logits': 'float{0} 的大 logit',
    'float{0} logits': 'float{0} logit',
    'float{0} logits and soft targets': 'float{0} 的 logit 和软目标',
    'float{0} logits near {1}': '{1} 附近的 float{0} logit',
    'float{0} p and dp': 'float{0} 的 p 和 dp',
    'float{0} rows near {1} and near {2} (maxima {3} apart)':
        'float{0} 的行分别在 {1} 和 {2} 附近（最大值相差 {3}）',
    'float{0} soft targets': 'float{0} 软目标',
    'float{0} x with {1} entries': '有 {1} 个元素的 float{0} x',
    'float{0} z and dp': 'float{0} 的 z 和 dp',
    'heavy smoothing': '强平滑',
    'integer x with {0} entries': '有 {0} 个元素的整数 x',
    'int{0} labels': 'int{0} 标签',
    'labels': '标签',
    'labels that never take the top class {0}': '从不取最高类别 {0} 的标签',
    'large growing logits (up to {0})': '逐渐增大的大 logit（最大到 {0}）',
    'large logits': '大 logit',
    'large logits (|y| ~ {0})': '大 logit（|y| ~ {0}）',
    'large logits (|z| up to {0})': '大 logit（|z| 最大到 {0}）',
    'large logits (|z| ~ {0})': '大 logit（|z| ~ {0}）',
    'logits all near {0}': 'logit 全都在 {0} 附近',
    'logits near +{0} ({1} - sigmoid(z) rounds to {2} in float{3})':
        'logit 在 +{0} 附近（在 float{3} 中 {1} - sigmoid(z) 舍入为 {2}）',
    'logits near {0}': '{0} 附近的 logit',
    'logits near {0} with a small spread': '{0} 附近、分布较窄的 logit',
    'logits of {0}..{1} of both signs': '正负皆有、大小为 {0}..{1} 的 logit',
    'many classes': '多个类别',
    'many classes and few features': '类别多而特征少',
    'many labels per row': '每行多个标签',
    'no regularisation': '无正则化',
    'no smoothing': '无平滑',
    'one block wider than C': '一个比 C 更宽的块',
    'one class': '一个类别',
    'one class per row {0} below the row maximum': '每行有一个类别比该行最大值低 {0}',
    'one class per row {0} below the row maximum (its probability underflows to {1})':
        '每行有一个类别比该行最大值低 {0}（其概率下溢为 {1}）',
    'one example': '一个样本',
    'one label': '一个标签',
    'one-hot target': '独热目标',
    'one-hot targets': '独热目标',
    'other random logits': '另一组随机 logit',
    'p from logits all near {0}': '由全都在 {0} 附近的 logit 得到的 p',
    'random W': '随机 W',
    'random logits': '随机 logit',
    'random p and dp': '随机的 p 和 dp',
    'random z and dp': '随机的 z 和 dp',
    'reg > {0}': 'reg > {0}',
    'repeated labels (two classes only)': '重复的标签（只有两个类别）',
    'rows near {0} and near {1} (maxima {2} apart)': '行分别在 {0} 和 {1} 附近（最大值相差 {2}）',
    'rows of scores near {0} and near {1} (maxima {2} apart)': '分数行分别在 {0} 和 {1} 附近（最大值相差 {2}）',
    'rows that grow left to right (the maximum rises in every block)':
        '从左到右递增的行（每一块的最大值都在升高）',
    'saturated p (exact {0}s and near{1}s)': '饱和的 p（恰为 {0} 和接近 {1} 的值）',
    'saturated rows (|z| up to {0})': '饱和的行（|z| 最大到 {0}）',
    'scores all near {0}': '分数全都在 {0} 附近',
    'scores near {0} with a small spread': '{0} 附近、分布较窄的分数',
    'scores of {0}..{1}': '大小为 {0}..{1} 的分数',
    'several on in each row': '每行有多个为 1',
    'soft target': '软目标',
    'soft target summing to {0}': '和为 {0} 的软目标',
    'soft targets': '软目标',
    'soft targets in ({0}, {1})': '取值在 ({0}, {1}) 内的软目标',
    'soft targets summing to {0}': '和为 {0} 的软目标',
    'soft targets summing to {0}..{1}': '和为 {0}..{1} 的软目标',
    'soft targets whose rows sum to {0}': '各行之和为 {0} 的软目标',
    'soft targets whose rows sum to {0}..{1}': '各行之和为 {0}..{1} 的软目标',
    'square W': '方形 W',
    'square weights': '方形权重',
    'targets summing to {0}': '和为 {0} 的目标',
    'ten examples of ten classes': '十个类别的十个样本',
    'the labelled class {0} below the row maximum (its probability underflows to {1})':
        '标签所指的类别比该行最大值低 {0}（其概率下溢为 {1}）',
    'the labelled class {0} scored {1} below the row maximum (its probability underflows to {2})':
        '标签所指的类别 {0} 的分数比该行最大值低 {1}（其概率下溢为 {2}）',
    'two classes': '两个类别',
    'z and dp of shape ({0},)': '形状为 ({0},) 的 z 和 dp',
    '{0}/{1} targets': '{0}/{1} 目标',
}

#: The exercises' own sentences (signatures, target forms, conventions, passed messages), by their English.
TEXTS = {
    't is an (N, C) float array of non-negative target weights; rows need not sum to 1':
        't 是由非负目标权重组成的 (N, C) 浮点数组；各行之和不必为 1',
    't is an (N,) integer array of class labels in 0..C-1': 't 是取值在 0..C-1 内的类别标签组成的 (N,) 整数数组',
    'y is an (N,) integer array of class labels in 0..C-1': 'y 是取值在 0..C-1 内的类别标签组成的 (N,) 整数数组',
    't is a (C,) float array of non-negative target weights; it need not sum to 1':
        't 是由非负目标权重组成的 (C,) 浮点数组；其和不必为 1',
    "t is the integer label of the example's class, in 0..C-1": 't 是该样本所属类别的整数标签，取值在 0..C-1 内',
    'the loss adds reg * sum(W**2) and dW adds 2 * reg * W': '损失加上 reg * sum(W**2)，dW 加上 2 * reg * W',
    'the loss adds 0.5 * reg * sum(W**2) and dW adds reg * W': '损失加上 0.5 * reg * sum(W**2)，dW 加上 reg * W',
    "Each row's softmax no longer depends on what the other rows of the batch hold.":
        '每一行的 softmax 不再依赖于批量中其他行的内容。',
    'Every logit now receives the gradient that reaches it through every probability.':
        '现在每个 logit 都能收到经由每个概率传到它的梯度。',
    'The node gives the right gradient for every batch size, N = 1 and N = C included.':
        '对任意批量大小（包括 N = 1 和 N = C），这个节点都给出正确的梯度。',
    'The label gradient is finite wherever the loss is, however small a probability gets.':
        '无论概率变得多小，只要损失有限，对标签的梯度就是有限的。',
    '`exp` no longer overflows or underflows whole rows, in float64 or in float32.':
        '无论在 float64 还是 float32 中，`exp` 都不会再让整行上溢或下溢。',
    # The signatures, which verdicts quote when no catalogued mistake matches.
    'my_softmax(z), z of shape (N, C) -> (N, C)': 'my_softmax(z)，z 的形状为 (N, C) -> (N, C)',
    'my_softmax_jacobian(z), z of shape (C,) -> (C, C)': 'my_softmax_jacobian(z)，z 的形状为 (C,) -> (C, C)',
    'my_log_softmax(z), z of shape (N, C) -> (N, C)': 'my_log_softmax(z)，z 的形状为 (N, C) -> (N, C)',
    'my_toy_network_grads(h, W, t), h (D,), W (D, C), t (C,) -> dE/dW (D, C)':
        'my_toy_network_grads(h, W, t)，h (D,)，W (D, C)，t (C,) -> dE/dW (D, C)',
    'my_linear_softmax_grads(X, W, b, t), X (N, D), W (C, D), b (C,), t targets -> (dW (C, D), db (C,))':
        'my_linear_softmax_grads(X, W, b, t)，X (N, D)，W (C, D)，b (C,)，t 为目标 -> (dW (C, D), db (C,))',
    'my_softmax_backward(p, dp), both (N, C) -> dz (N, C)': 'my_softmax_backward(p, dp)，形状都是 (N, C) -> dz (N, C)',
    'my_cross_entropy_grad(z, t), z (N, C) logits, t targets -> dL/dz (N, C)':
        'my_cross_entropy_grad(z, t)，z 为 (N, C) 的 logit，t 为目标 -> dL/dz (N, C)',
    'my_softmax_loss(W, X, y, reg), W (D, C), X (N, D), y int (N,), reg float -> (loss, dW (D, C))':
        'my_softmax_loss(W, X, y, reg)，W (D, C)，X (N, D)，y int (N,)，reg float -> (loss, dW (D, C))',
    'my_cross_entropy(z, t), z (N, C) logits, t targets -> the mean loss, a scalar':
        'my_cross_entropy(z, t)，z 为 (N, C) 的 logit，t 为目标 -> 平均损失（一个标量）',
    'my_central_difference(f, x, eps) -> float64 array shaped like x':
        'my_central_difference(f, x, eps) -> 形状与 x 相同的 float64 数组',
    'my_label_smoothing(labels, C, eps), labels int (N,) -> (N, C)':
        'my_label_smoothing(labels, C, eps)，labels int (N,) -> (N, C)',
    'my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))':
        'my_hidden_layer_grads(X, W1, b1, W2, b2, t) -> (dW1 (H, D), db1 (H,), dW2 (C, H), db2 (C,))',
    'my_chunked_logsumexp(z, chunk), z (N, C), int chunk -> (N,)':
        'my_chunked_logsumexp(z, chunk)，z (N, C)，int chunk -> (N,)',
    'my_softmax_delta(z, dp), logits z and upstream gradient dp of the same shape (..., C) -> dz, that shape':
        'my_softmax_delta(z, dp)，形状同为 (..., C) 的 logit z 和上游梯度 dp -> 形状与之相同的 dz',
    'my_softmax_node_backward(p, dp), softmax rows p and upstream gradient dp, both (N, C) -> dz (N, C)':
        'my_softmax_node_backward(p, dp)，softmax 行 p 和上游梯度 dp，形状都是 (N, C) -> dz (N, C)',
    'my_softmax_loss_backward(z, t), logits z and one-hot labels t, both (N, C) -> (dz, dt), both (N, C)':
        'my_softmax_loss_backward(z, t)，logit z 和独热标签 t，形状都是 (N, C) -> (dz, dt)，形状都是 (N, C)',
    'my_softmax_ce_grad(z, t), logits z and one-hot targets t, both (N, C) -> dL/dz (N, C)':
        'my_softmax_ce_grad(z, t)，logit z 和独热目标 t，形状都是 (N, C) -> dL/dz (N, C)',
    'my_softmax_jacobians(z), logits z of shape (N, C) -> the Jacobians, shape (N, C, C)':
        'my_softmax_jacobians(z)，形状为 (N, C) 的 logit z -> 每一行的雅可比矩阵，形状为 (N, C, C)',
    ('my_binary_cross_entropy(z, t), z (N, C) logits, t (N, C) targets in [0, 1] -> (loss, dz): loss summed over the C'
     ' labels and averaged over the N rows, dz (N, C)'):
        ('my_binary_cross_entropy(z, t)，z 为 (N, C) 的 logit，t 为 (N, C) 的目标，取值在 [0, 1] 内'
         ' -> (loss, dz)：loss 为在 C 个标签上求和、在 N 行上求平均的损失，dz (N, C)'),
    ('my_backprop_steps(z, y), z (N, C) logits, y (N,) integer labels -> (dlogp, dp, dr, ds, de, dzs, dm, dz), each'
     ' the shape of its intermediate'):
        ('my_backprop_steps(z, y)，z 为 (N, C) 的 logit，y 为 (N,) 的整数标签'
         ' -> (dlogp, dp, dr, ds, de, dzs, dm, dz)，每一项的形状都与其中间结果相同'),
}

#: The catalogue's mistakes: id -> (title, explanation in MyST), as the edition's chapter 13 words them.
MISTAKES = {
    'diagonal-only-jacobian': (
        '只保留对角线的雅可比矩阵',
        ('只保留了 softmax 雅可比矩阵中 $i = j$ 的项 $p_i(1 - p_i)$；而非对角项 $-p_i p_j$ 被丢掉了，正是通过它'
         '们，每个 logit 都会影响每个概率。'),
    ),
    'missing-delta-term': (
        '缺少对角线的雅可比矩阵',
        ('softmax 的雅可比矩阵是 $\\mathrm{diag}(p) - p p^T$：克罗内克δ在对角线上加上 $p_i$，只有 $-p'
         ' p^T$ 就漏掉了它。'),
    ),
    'sign-flip': (
        '符号错误的梯度',
        ('交叉熵关于 logit 的梯度是 $\\tau p - t$（其中 $\\tau = \\sum_c t_c$），而不是 $t - p$；符号反了，梯度'
         '下降就会让损失上升。'),
    ),
    'missing-minus': (
        '缺少负号的损失',
        '交叉熵是 $-\\sum_c t_c \\log p_c$，是一个正数；没有负号，损失就是负的，最小化它会让预测变差。',
    ),
    'transposed-weight-grad': (
        '转置了的权重梯度',
        ('$\\partial E / \\partial W$ 的形状与 $W$ 相同，第 $[i, j]$ 个元素对应 $w_{ij}$；当 $W$ 以 $(C,'
         ' D)$ 存储时却按 $X^T dz$ 构造它（或者反过来），得到的是它的转置。'),
    ),
    'wrong-axis': (
        '沿批量归一化',
        ('softmax 对每个样本在其各类别上归一化（最后一个轴，每个样本一行），而不是对每个类别在整个批量上归一化（'
         '轴 0）。'),
    ),
    'missing-keepdims': (
        '行和没有 keepdims',
        ('不带 `keepdims=True` 求出的行和或最大值形状为 $(N,)$，把它与 $(N, C)$ 数组组合时，它会与类别轴对齐：除'
         '非 $N = C$，否则报错；当 $N = C$ 时则得到错误的数值。'),
    ),
    'batch-size-eye': (
        '批量大小的单位矩阵',
        ('$p(\\delta - p)$ 中的单位矩阵必须是 $C \\times C$ 的，每个类别一行；以批量大小 $N$ 构造的 `np.eye`'
         ' 只有在 $N = C$ 时才能与 $(N, C)$ 广播，而那时给出的数值是错的。'),
    ),
    'missing-batch-mean': (
        '没有除以 N',
        '损失是 $N$ 个样本上的平均值，所以它的每个梯度都带有因子 $1/N$；没有这个因子，结果会大 $N$ 倍。',
    ),
    'double-batch-mean': (
        '除以了两次 N',
        ('平均值中的 $1/N$ 已经包含在 $dz$ 里了；再对 $dz$ 在批量上求平均（比如为了求偏置的梯度），结果就会小'
         ' $N$ 倍。'),
    ),
    'divide-by-p': (
        '通过 -t/p 链式传递',
        ('把 $\\partial L / \\partial p = -t/p$ 送入 softmax 的雅可比矩阵，就要除以概率，而在 logit 很大时这些概'
         '率会下溢为 0，结果是 NaN；融合形式 $\\tau p - t$ 从不做除法。'),
    ),
    'elementwise-jacobian': (
        '逐元素地应用雅可比矩阵',
        ('每个样本的雅可比矩阵 $p_i(\\delta_{ij} - p_j)$ 是一个 $C \\times C$ 矩阵，要通过矩阵乘积作用在该样本的'
         '那一行 $dp$ 上：$dz_i = p_i (dp_i - \\sum_j p_j dp_j)$；若把它与 $(N, C)$ 的梯度逐元素相乘，得到的形状'
         '是错的，当 $N = C$ 时则数值是错的。'),
    ),
    'no-max-shift': (
        'exp 上溢',
        ('当 logit 大于约 709（float32 中为 88）时，$e^z$ 会上溢为 inf，而 inf / inf 是 NaN；先减去每行的最大值'
         '，结果不变，而且不会上溢。'),
    ),
    'log-of-softmax': (
        'softmax 取对数会下溢',
        ('只要某个概率下溢为 0，`np.log(softmax(z))` 在该处就是 $-\\infty$；按 $z - m - \\log \\sum_j'
         ' e^{z_j - m}$（其中 $m = \\max_j z_j$）计算的 log-softmax 则始终是有限的。'),
    ),
    'forward-difference': (
        '用前向差分代替中心差分',
        ('$(f(x + \\varepsilon) - f(x)) / \\varepsilon$ 的误差与 $\\varepsilon$ 成正比；中心差分 $(f(x'
         ' + \\varepsilon) - f(x - \\varepsilon)) / 2\\varepsilon$ 的误差与 $\\varepsilon^2$ 成正比。'),
    ),
    'half-step-divisor': (
        '除以 eps 而不是 2 eps',
        ('在 $x + \\varepsilon$ 和 $x - \\varepsilon$ 处的两次求值相距 $2\\varepsilon$，所以把它们的差除以'
         ' $\\varepsilon$ 会得到两倍的导数。'),
    ),
    'no-restore': (
        '扰动没有撤销',
        '每个元素在两次求值之后都必须恢复为原来的值；否则之后的每个元素都是在一个偏移了的点上求导。',
    ),
    'float32-steps': (
        '按输入的 dtype 施加扰动',
        ('在 $x$ 自己的 dtype 中扰动它的副本，会对 $x + \\varepsilon$ 进行舍入（float32 大约保留 7 位有效数字，'
         '整数类型一位都不保留），所以步长并不是 $\\varepsilon$；应先把 $x$ 复制为 float64。'),
    ),
    'assumes-one-hot': (
        '假定目标是独热的',
        ('只有当每个目标行之和为 1 时，$p - t$ 才是梯度；一般情况下梯度是 $\\tau p - t$，其中 $\\tau'
         ' = \\sum_c t_c$，而且损失必须用到每一个目标权重，而不只是最大的那个。'),
    ),
    'smoothing-wrong-mass': (
        '标签平滑的质量分配错误',
        ('平滑后的目标是 $(1 - \\varepsilon)\\,\\mathrm{onehot} + \\varepsilon / C$：每个类别得到 $\\varepsilon'
         ' / C$，真实类别在此之上再得到 $1 - \\varepsilon$，每行之和为 1。'),
    ),
    'wrong-activation-derivative': (
        'tanh 的导数错误',
        ('设 $h = \\tanh(u)$，隐藏层的局部导数是 $1 - h^2$；漏掉它，或者用成 $1 - h$ 或 $1 - u^2$，都会得到错误'
         '的第一层梯度。'),
    ),
    'chunk-no-rescale': (
        '累积和没有重新缩放',
        ("当一个新块把累积最大值从 $m$ 提高到 $m'$ 时，相对于 $m$ 计算的累积和必须先乘以 $e^{m - m'}$，再加上该"
         '块的各项。'),
    ),
    'chunk-drops-remainder': (
        '丢掉了最后一块',
        '当 $C$ 不是块宽度的整数倍时，最后那个较窄的块仍然必须扫描。',
    ),
    'batch-max-shift': (
        '在整个批量上做最大值平移',
        ('`z - np.max(z)` 对整个批量减去同一个最大值；如果某一行自己的最大值比它低约 745 以上，该行就会整体下溢'
         '为 0，得到 0 / 0 = NaN，所以应减去每行自己的最大值 `np.max(z, axis=1, keepdims=True)`。'),
    ),
    'epsilon-in-log': (
        '对数里加一个 epsilon',
        ('`np.log(p + 1e-7)` 把下溢的概率对应的 $-\\infty$ 掩盖在一个错误的有限数之后（损失本应为 800'
         ' 时，它大约给出 16），还会让每个很小的 $\\log p$ 产生偏移；log-softmax，即 $z - m - \\log \\sum_j'
         ' e^{z_j - m}$，不需要任何 epsilon，就既精确又有限。'),
    ),
    'sum-over-everything': (
        '在整个批量上只求一次和',
        ('不带 `axis=1` 的 `np.sum(e)` 会把所有样本的指数加在一起，于是每一行都除以了整个批量的总和，没有一行的'
         '和为 1；应该用每行自己的和来归一化该行。'),
    ),
    'divided-by-classes': (
        '在类别上求平均',
        ('损失是 $N$ 个样本上的平均值；改为除以类别数 $C$（或者对整个 $(N, C)$ 数组取 `np.mean`，那会除以'
         ' $N C$），会用错误的因子缩放损失及其梯度。'),
    ),
    'classes-from-labels': (
        '从标签推出类别数',
        ('只有当最大的类别出现在批量中时，`np.max(y) + 1` 才是类别数；应该从分数或权重的形状中取 $C$，不论某个类'
         '别是否出现在批量中，它们都包含每一个类别。'),
    ),
    'inconsistent-regularisation': (
        '惩罚项与其梯度不一致',
        ('$\\lambda \\sum W^2$ 的梯度是 $2 \\lambda W$，$\\frac12 \\lambda \\sum W^2$ 的梯度是 $\\lambda'
         ' W$；把一种约定的损失与另一种约定的梯度搭配在一起（或者在梯度中漏掉惩罚项），得到的梯度对于它本该使之'
         '下降的损失来说就是错的。'),
    ),
    'log-of-sigmoid': (
        '对舍入后的 sigmoid 取对数',
        ('一旦 `1 - sigmoid(z)` 舍入为 0（float64 中从 $z = 37$ 起，float32 中从 17 起），`np.log(1 -'
         ' sigmoid(z))` 就是 $\\log 0 = -\\infty$，此时目标为 1 会得到 `0 * -inf`，即 NaN；应该从 logit'
         ' 写出损失：`np.logaddexp(0, z) - t * z`。'),
    ),
    'softplus-overflow': (
        '原样计算 log(1 + exp(z))',
        ('当 $z$ 大于约 709 时，`np.log(1 + np.exp(z))` 会上溢为 $\\infty$，尽管损失只有约 $z$；`np.logaddexp(0,'
         ' z)`，或者用 `np.log1p` 计算的 $\\max(z, 0) + \\log(1 + e^{-\\lvert z \\rvert})$，都不会构造出很大的指'
         '数。'),
    ),
    'softmax-for-multilabel': (
        '在相互独立的标签上用 softmax',
        ('在多标签问题中，每个标签都是自己的是/否判断，各有自己的 sigmoid；在这些标签上用 softmax 会让它们争夺同'
         '一份单位概率，于是两个标签不可能同时很可能成立，而且它的梯度 $p - t$ 也不是 `sigmoid(z) - t`。'),
    ),
    'double-sigmoid-derivative': (
        'sigmoid 的导数乘了两次',
        ('二元交叉熵在 logit 处的梯度 `sigmoid(z) - t` 已经包含了 sigmoid 的导数 $p(1 - p)$，它与对数带来的'
         ' $1 / p$ 相互抵消了；再乘一次，梯度就会恰好在预测自信地出错的地方缩小到几乎为 0。'),
    ),
    'reciprocal-sign': (
        '倒数的导数缺少负号',
        '$r = 1/s$ 的导数是 $-1/s^2$，所以 $ds = -dr/s^2$；没有负号，经过 softmax 分母的梯度方向就反了。',
    ),
    'one-path-into-e': (
        '进入 e 的只有一条路径',
        ('$e$ 同时输入到 $p = e\\,r$ 和 $s = \\sum_c e_c$，所以它的梯度是两部分贡献之和：$de = dp\\,r'
         ' + ds$；只保留第一部分，就丢掉了每个类别通过分母产生的影响。'),
    ),
    'broadcast-not-summed': (
        '广播的梯度没有求和',
        ('前向传播中沿类别广播的 $(N, 1)$ 数组（例如 $m$ 或 $r$），得到的是上游梯度在该轴上的和 `.sum(1,'
         ' keepdims=True)`；不求和的话，它的形状是 $(N, C)$，数值也是错的。'),
    ),
    'pick-whole-columns': (
        '按整列做索引的反向传播',
        ('`logp[np.arange(N), y]` 的反向传播只把 `dpicked[n]` 放在 $(n, y_n)$ 这个元素上；`dlogp[:, y]`'
         ' 则会在每一行中填满批量里出现的每一个标签位置。'),
    ),
}

#: The headings of the sections and chapters that verdicts point at, by label, as the edition has them.
HEADINGS = {
    'backprop-by-operation': '逐个运算的反向传播',
    'backprop-indexing': '索引的反向传播',
    'backprop-local-derivatives': '每个中间结果一行',
    'batch-axis': '沿类别归一化，而不是沿批量',
    'batch-keepdims': '每行一个数：keepdims',
    'batch-max-shift': '整个批量的最大值',
    'batch-mean': '均值中的 $1/N$',
    'bce-gradient': '单个 logit 的梯度',
    'bce-log-of-sigmoid': '教科书公式在哪里失效',
    'bce-multi-label': '每个标签一个问题',
    'bce-stable-form': '稳定形式',
    'beyond-one-hot': '超越独热目标',
    'broadcast-sum': '前向广播，反向求和',
    'classes-from-labels': '从标签推出类别数',
    'divided-by-classes': '在类别上求平均',
    'epsilon-in-log': '对数里的 epsilon',
    'fused-vs-separate': '融合与分离',
    'gradient-checking': '梯度检验',
    'gradient-sign': '梯度指向哪个方向',
    'inconsistent-regularisation': '不一致的惩罚项及其梯度',
    'kronecker-delta': '克罗内克δ',
    'label-smoothing': '标签平滑',
    'log-of-softmax': 'softmax 的对数与 log-sum-exp',
    'loss-independent-backward': '不知道损失函数时的 softmax 反向传播',
    'matrix-form': '矩阵形式',
    'mistakes': '错误目录',
    'numerical-stability': '数值稳定性',
    'overflow': '上溢与减去最大值的平移',
    'puzzle': '问题的提出',
    'puzzle-wrong-step': '丢掉其他输出的那一步',
    'quotient-rule': '商法则',
    'separate-node-bug': '分离的 softmax 节点',
    'sigmoid-bce': 'sigmoid 与二元交叉熵',
    'soft-targets': '和不为 1 的目标',
    'sum-over-everything': '整个批量只求一次和',
    'toy-network': '两输出的玩具网络',
    'training': '在真实数据上训练',
    'two-paths-into-e': '进入 e 的两条路径',
    'weight-gradient-shape': '∂E/∂W 的形状，以及转置了的梯度',
    'what-it-costs': '代价几何',
}
