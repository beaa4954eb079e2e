"""Training softmax classifiers with the book's own gradients.

Toy and real data, softmax regression and a one-hidden-layer network, each
backward pass built from :func:`derivations.cross_entropy_grad`. Trained in
:ref:`training`.
"""

import numpy as np

from derivations.losses import cross_entropy, cross_entropy_grad
from derivations.validation import (
    as_callable,
    as_features,
    as_fraction,
    as_int,
    as_params,
    as_positive_number,
    as_tolerance,
    label_vector,
)


def toy_blobs(n_per_class=40, C=3, seed=0):
    """A small 2-D classification set: ``C`` Gaussian blobs on a circle.

    Class ``c`` is centred at angle ``2 pi c / C`` on a circle of radius 2,
    with unit-variance isotropic noise, so neighbouring classes overlap a
    little and no straight boundary separates them perfectly. The same
    ``seed`` always gives the same points (a private generator; the global
    numpy state is not touched).

    Used for the gradient-descent picture in :ref:`descent-explorer`.

    Parameters
    ----------
    n_per_class : int
        Points per class (at least 1).
    C : int
        Number of classes (at least 2).
    seed : int
        Seed of the generator.

    Returns
    -------
    X : ndarray of float64, shape (C * n_per_class, 2)
    y : ndarray of int64, shape (C * n_per_class,)
        Labels ``0 .. C-1``, grouped by class.

    Examples
    --------
    >>> X, y = toy_blobs()
    >>> X.shape, X.dtype, y.shape, y.dtype
    ((120, 2), dtype('float64'), (120,), dtype('int64'))
    >>> np.bincount(y).tolist()
    [40, 40, 40]
    >>> bool(np.array_equal(toy_blobs(seed=3)[0], toy_blobs(seed=3)[0]))
    True
    """
    n_per_class = as_int(n_per_class, "n_per_class", minimum=1)
    C = as_int(C, "C", minimum=2)
    seed = as_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(C) / C
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    y = np.repeat(np.arange(C, dtype=np.int64), n_per_class)
    X = centres[y] + rng.standard_normal((C * n_per_class, 2))
    return X, y


# --------------------------------------------------------------------------
# Data: the handwritten digits, split and standardised
# --------------------------------------------------------------------------


def train_test_split(X, y, test_fraction=0.25, seed=0):
    """Shuffle the rows of ``(X, y)`` with a seeded generator and split them.

    Used in :ref:`training`.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    test_fraction : float in (0, 1)
        Share of the rows that go to the test set (rounded to a whole row;
        both parts keep at least one row).
    seed : int

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray

    Examples
    --------
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, np.arange(10), 0.3)
    >>> X_train.shape, X_test.shape
    ((7, 2), (3, 2))
    >>> sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(10))
    True
    """
    X = as_features(X)
    N = X.shape[0]
    y = label_vector(y, N)
    test_fraction = as_fraction(test_fraction, "test_fraction", strict=True)
    if N < 2:
        raise ValueError(f"need at least 2 examples to split, got {N}")
    seed = as_int(seed, "seed", minimum=0)
    n_test = min(max(int(round(test_fraction * N)), 1), N - 1)
    order = np.random.default_rng(seed).permutation(N)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def standardize(X_train, X_test=None):
    """Scale each feature to mean 0 and deviation 1 on the training set.

    Used in :ref:`training`.

    The test set is scaled with the *training* mean and deviation, so
    that no information about it leaks into the model. A feature that is
    constant in the training set (some digit pixels are always blank) is
    only centred: dividing by its zero deviation would make NaN.

    Parameters
    ----------
    X_train : array_like, shape (N, D)
    X_test : array_like, shape (M, D), optional

    Returns
    -------
    X_train_s, X_test_s : ndarray of float64
        ``X_test_s`` is None when ``X_test`` is.
    mean, scale : ndarray of float64, shape (D,)

    Examples
    --------
    >>> X = np.array([[1.0, 5.0], [3.0, 5.0]])
    >>> Xs, _, mean, scale = standardize(X)
    >>> Xs
    array([[-1.,  0.],
           [ 1.,  0.]])
    >>> mean, scale
    (array([2., 5.]), array([1., 1.]))
    """
    X_train = as_features(X_train, "X_train")
    mean = X_train.mean(axis=0)
    scale = X_train.std(axis=0)
    scale[scale == 0] = 1.0
    Xs = (X_train - mean) / scale
    if X_test is None:
        return Xs, None, mean, scale
    X_test = as_features(X_test, "X_test")
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"X_test has {X_test.shape[1]} features "
            f"but X_train has {X_train.shape[1]}"
        )
    return Xs, (X_test - mean) / scale, mean, scale


def load_digits_split(test_fraction=0.25, seed=0):
    """The 8 x 8 handwritten digits, split into training and test sets and standardised.

    scikit-learn ships the 1797 images with the package (nothing is
    downloaded). Each row holds the 64 pixel intensities (0 .. 16) of one
    image; the labels are the digits 0 .. 9. Used in :ref:`training`.

    Parameters
    ----------
    test_fraction : float in (0, 1)
    seed : int
        Seed of the shuffle before the split.

    Returns
    -------
    X_train, X_test : ndarray of float64, shapes (N_train, 64) and (N_test, 64)
        Standardised with the training set's mean and deviation.
    y_train, y_test : ndarray of int64

    Examples
    --------
    >>> X_train, X_test, y_train, y_test = load_digits_split()
    >>> X_train.shape, X_test.shape
    ((1348, 64), (449, 64))
    >>> np.unique(y_train).tolist()
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    >>> bool(np.allclose(X_train.mean(axis=0), 0))
    True
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover - scikit-learn is in requirements.txt
        raise ImportError("load_digits_split needs scikit-learn (pip install scikit-learn)") from exc
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction, seed)
    X_train, X_test, _, _ = standardize(X_train, X_test)
    return X_train, X_test, y_train, y_test


def principal_components(X, k):
    """The ``k`` leading principal directions of the rows of ``X``.

    Computed from the SVD of the centred data; the sign of each direction
    is fixed so that its largest entry is positive, which makes the result
    reproducible across LAPACK builds. Project with
    ``(X - X.mean(axis=0)) @ V.T``.

    Used in :ref:`training` to give the unpenalised logistic-regression
    comparison a finite optimum.

    Parameters
    ----------
    X : array_like, shape (N, D)
    k : int, 1 <= k <= min(N, D)

    Returns
    -------
    V : ndarray of float64, shape (k, D)
        Orthonormal rows, by decreasing variance.

    Examples
    --------
    >>> X = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    >>> principal_components(X, 1)
    array([[1., 0.]])
    """
    X = as_features(X)
    k = as_int(k, "k", minimum=1)
    if k > min(X.shape):
        raise ValueError(f"k must be at most min(N, D) = {min(X.shape)}, got {k}")
    _, _, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    V = Vt[:k].copy()
    rows = np.arange(k)
    V *= np.sign(V[rows, np.argmax(np.abs(V), axis=1)])[:, None]
    return V


def accuracy(z, y):
    """Share of the rows of ``z`` whose largest entry sits at the label ``y``.

    Used in :ref:`training`.

    Works on logits or probabilities alike (softmax keeps the order).

    Examples
    --------
    >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), np.array([0, 1, 1]))
    0.666...
    """
    z = as_features(z, "z")
    y = label_vector(y, z.shape[0])
    return float(np.mean(np.argmax(z, axis=1) == y))


# --------------------------------------------------------------------------
# Models. Parameters travel as a dict of arrays; every backward pass starts
# from the book's dL/dz = cross_entropy_grad(z, t).
# --------------------------------------------------------------------------


def softmax_regression_init(D, C):
    """Zero weights ``W`` (C, D) and biases ``b`` (C,) for softmax regression.

    Zero is a fine start here: the loss is convex (see :ref:`beyond-one-hot`),
    so there is no symmetry to break.

    Examples
    --------
    >>> {k: v.shape for k, v in softmax_regression_init(4, 3).items()}
    {'W': (3, 4), 'b': (3,)}
    """
    D = as_int(D, "D", minimum=1)
    C = as_int(C, "C", minimum=2)
    return {"W": np.zeros((C, D)), "b": np.zeros(C)}


def softmax_regression_logits(params, X):
    """Logits ``z = X W^T + b`` of softmax regression, shape (N, C).

    Used in :ref:`training`.

    Examples
    --------
    >>> params = {"W": np.array([[1.0, 0.0], [0.0, 2.0]]), "b": np.array([0.5, 0.0])}
    >>> softmax_regression_logits(params, np.array([[1.0, 1.0]]))
    array([[1.5, 2. ]])
    """
    X = as_features(X)
    W = np.asarray(params["W"]) if isinstance(params, dict) and "W" in params else None
    if W is None or W.ndim != 2:
        raise ValueError("params must hold a 2-D weight matrix 'W' of shape (C, D)")
    C, D = W.shape
    if X.shape[1] != D:
        raise ValueError(f"X has {X.shape[1]} features but W expects {D} (W has shape {W.shape})")
    p = as_params(params, {"W": (C, D), "b": (C,)})
    return X @ p["W"].T + p["b"]


def softmax_regression_loss_grad(params, X, t):
    """Mean cross-entropy of softmax regression and its gradient.

    With ``z = X W^T + b`` and ``dz = dL/dz`` from
    :func:`~derivations.cross_entropy_grad` (which already holds the 1/N of
    the mean), the chain rule through the linear layer gives
    ``dW = dz^T X`` and ``db = sum_n dz[n]``, as derived in
    :ref:`matrix-form`.

    Parameters
    ----------
    params : dict with ``W`` (C, D) and ``b`` (C,)
    X : array_like, shape (N, D)
    t : int array (N,) of labels, or float array (N, C) of target weights

    Returns
    -------
    loss : float
    grads : dict with ``W`` and ``b``, shaped like ``params``

    Examples
    --------
    >>> params = softmax_regression_init(2, 2)
    >>> X, t = np.array([[1.0, 2.0]]), np.array([1])
    >>> loss, grads = softmax_regression_loss_grad(params, X, t)
    >>> round(loss, 6) == round(float(np.log(2)), 6)     # p = (1/2, 1/2)
    True
    >>> grads["W"]                                        # (p - t) x^T
    array([[ 0.5,  1. ],
           [-0.5, -1. ]])
    """
    z = softmax_regression_logits(params, X)
    X = np.asarray(X, dtype=np.float64)
    loss = float(cross_entropy(z, t))
    dz = cross_entropy_grad(z, t)
    return loss, {"W": dz.T @ X, "b": dz.sum(axis=0)}


def softmax_regression_l2_loss_grad(params, X, t, lam):
    """Mean cross-entropy plus the L2 penalty ``lam * ||W||^2``, and its gradient.

    The penalty is the squared Frobenius norm of the weights; the biases are
    not penalised (a bias moves a decision boundary, it does not make the
    model more confident). Its gradient ``2 lam W`` is added to the data
    gradient of :func:`softmax_regression_loss_grad`, so a gradient-descent
    step ``W <- W - lr (dW + 2 lam W)`` first shrinks the weights by the factor
    ``1 - 2 lr lam`` (weight decay). Derived in :ref:`l2-regularisation`.

    Parameters
    ----------
    params : dict with ``W`` (C, D) and ``b`` (C,)
    X : array_like, shape (N, D)
    t : int array (N,) of labels, or float array (N, C) of target weights
    lam : float
        The penalty weight, at least 0 (0 gives the unpenalised loss).
        scikit-learn's ``LogisticRegression(C=C_sklearn)`` minimises the
        same objective when ``C_sklearn = 1 / (2 lam N)``.

    Returns
    -------
    loss : float
    grads : dict with ``W`` and ``b``, shaped like ``params``

    Examples
    --------
    All logits are 0 at ``x = 0``, so the data term is ``log 2`` with no
    weight gradient, and only the penalty ``0.25 * (1 + 1)`` and its gradient
    ``2 * 0.25 * W`` are left; the bias gradient is the data term's
    ``p - t`` alone:

    >>> params = {"W": np.array([[1.0, 0.0], [0.0, -1.0]]), "b": np.zeros(2)}
    >>> loss, grads = softmax_regression_l2_loss_grad(params, np.zeros((1, 2)), np.array([0]), 0.25)
    >>> round(loss - float(np.log(2)), 12)
    0.5
    >>> grads["W"], grads["b"]
    (array([[ 0.5,  0. ],
           [ 0. , -0.5]]), array([-0.5,  0.5]))
    """
    lam = as_tolerance(lam, "lam", allow_inf=False)
    loss, grads = softmax_regression_loss_grad(params, X, t)
    W = np.asarray(params["W"], dtype=np.float64)
    penalty = float(lam) * float(np.sum(W * W))
    return loss + penalty, {"W": grads["W"] + 2.0 * lam * W, "b": grads["b"]}


def hidden_layer_init(D, H, C, seed=0):
    """Random weights for a network with one tanh hidden layer of width ``H``.

    Used in :ref:`training`.

    ``W1`` (H, D) and ``W2`` (C, H) are drawn with standard deviation
    ``1/sqrt(fan_in)``, so that every pre-activation starts with a variance
    near 1 for standardised inputs and tanh is neither saturated nor linear.
    The biases start at 0. Unlike softmax regression, the weights must not
    all start equal: hidden units that start alike get equal gradients and
    stay alike.

    Examples
    --------
    >>> params = hidden_layer_init(64, 32, 10, seed=0)
    >>> {k: v.shape for k, v in params.items()}
    {'W1': (32, 64), 'b1': (32,), 'W2': (10, 32), 'b2': (10,)}
    """
    D = as_int(D, "D", minimum=1)
    H = as_int(H, "H", minimum=1)
    C = as_int(C, "C", minimum=2)
    seed = as_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((H, D)) / np.sqrt(D),
        "b1": np.zeros(H),
        "W2": rng.standard_normal((C, H)) / np.sqrt(H),
        "b2": np.zeros(C),
    }


def _hidden_layer_shapes(params, X):
    W1, W2 = (np.asarray(params.get(k)) if isinstance(params, dict) else None for k in ("W1", "W2"))
    if W1 is None or W2 is None or W1.ndim != 2 or W2.ndim != 2:
        raise ValueError("params must hold 2-D weights 'W1' (H, D) and 'W2' (C, H)")
    (H, D), C = W1.shape, W2.shape[0]
    if X.shape[1] != D:
        raise ValueError(f"X has {X.shape[1]} features but W1 expects {D} (W1 has shape {W1.shape})")
    return {"W1": (H, D), "b1": (H,), "W2": (C, H), "b2": (C,)}


def hidden_layer_forward(params, X):
    """Forward pass: hidden ``h = tanh(u)``, ``u = X W1^T + b1``, logits ``z = h W2^T + b2``.

    Used in :ref:`training`.

    Returns
    -------
    z : ndarray, shape (N, C)
    h : ndarray, shape (N, H)
        The hidden activations, kept for the backward pass, which needs
        ``1 - h**2 = tanh'(u)``.

    Examples
    --------
    >>> params = {"W1": np.eye(2), "b1": np.zeros(2), "W2": np.array([[1.0, -1.0]]), "b2": np.zeros(1)}
    >>> z, h = hidden_layer_forward(params, np.array([[0.0, 0.0]]))
    >>> z, h
    (array([[0.]]), array([[0., 0.]]))
    """
    X = as_features(X)
    p = as_params(params, _hidden_layer_shapes(params, X))
    h = np.tanh(X @ p["W1"].T + p["b1"])
    return h @ p["W2"].T + p["b2"], h


def hidden_layer_logits(params, X):
    """Logits of the one-hidden-layer network (see :func:`hidden_layer_forward`).

    Used in :ref:`training`.
    """
    return hidden_layer_forward(params, X)[0]


def hidden_layer_loss_grad(params, X, t):
    """Mean cross-entropy of the one-hidden-layer network and its gradient.

    The backward pass, layer by layer (derived in :ref:`training`):

    * ``dz = cross_entropy_grad(z, t)``, the softmax and the loss together;
    * ``dW2 = dz^T h``, ``db2 = sum_n dz[n]``, as for softmax regression
      with the activations ``h`` in place of ``X``;
    * ``dh = dz W2``, the gradient arriving at the hidden layer;
    * ``du = dh * (1 - h**2)``, through ``h = tanh(u)``, elementwise;
    * ``dW1 = du^T X``, ``db1 = sum_n du[n]``.

    Parameters
    ----------
    params : dict
        ``W1`` (H, D), ``b1`` (H,), ``W2`` (C, H) and ``b2`` (C,).
    X : array_like, shape (N, D)
    t : int array (N,) of labels, or float array (N, C) of target weights

    Returns
    -------
    loss : float
    grads : dict shaped like ``params``

    Examples
    --------
    >>> params = hidden_layer_init(3, 4, 2, seed=1)
    >>> X, t = np.array([[0.5, -1.0, 2.0]]), np.array([1])
    >>> loss, grads = hidden_layer_loss_grad(params, X, t)
    >>> f = lambda w: hidden_layer_loss_grad({**params, "W1": w}, X, t)[0]
    >>> check_gradient(f, params["W1"], grads["W1"]).passed
    True
    """
    X = as_features(X)
    z, h = hidden_layer_forward(params, X)
    loss = float(cross_entropy(z, t))
    dz = cross_entropy_grad(z, t)
    dh = dz @ np.asarray(params["W2"])
    du = dh * (1.0 - h**2)  # through h = tanh(u)
    grads = {"W1": du.T @ X, "b1": du.sum(axis=0),
             "W2": dz.T @ h, "b2": dz.sum(axis=0)}
    return loss, grads


# --------------------------------------------------------------------------
# Optimisers
# --------------------------------------------------------------------------


def evaluate(logits_fn, params, X, y):
    """Mean cross-entropy and accuracy of a model on labelled data.

    Used in :ref:`training`.

    Parameters
    ----------
    logits_fn : callable
        ``logits_fn(params, X)`` returns the (N, C) logits, e.g.
        :func:`softmax_regression_logits`.
    params : dict
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)

    Returns
    -------
    (loss, accuracy) : tuple of float

    Examples
    --------
    >>> params = softmax_regression_init(1, 2)
    >>> evaluate(softmax_regression_logits, params, np.array([[1.0], [2.0]]), np.array([0, 1]))
    (0.693..., 0.5)
    """
    z = logits_fn(params, X)
    return float(cross_entropy(z, y)), accuracy(z, y)


def make_monitor(logits_fn, **datasets):
    """A function of ``params`` that reports loss and accuracy on named data sets.

    Used in :ref:`training`.

    Parameters
    ----------
    logits_fn : callable
        ``logits_fn(params, X)`` returns logits.
    **datasets : tuple (X, y)
        For example ``train=(X_train, y_train), test=(X_test, y_test)``.

    Returns
    -------
    callable
        ``monitor(params)`` returns ``{"train loss": ..., "train accuracy": ...,
        "test loss": ..., ...}``.

    Examples
    --------
    >>> monitor = make_monitor(softmax_regression_logits, train=(np.array([[1.0]]), np.array([0])))
    >>> monitor(softmax_regression_init(1, 2))
    {'train loss': 0.693..., 'train accuracy': 1.0}
    """
    as_callable(logits_fn, "logits_fn", "a function of (params, X)")
    for name, pair in datasets.items():
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"data set {name!r} must be a tuple (X, y)")

    def monitor(params):
        report = {}
        for name, (X, y) in datasets.items():
            report[f"{name} loss"], report[f"{name} accuracy"] = evaluate(logits_fn, params, X, y)
        return report

    return monitor


def gradient_descent(loss_grad, params, *, lr, steps, monitor=None,
                     every=1):
    """Full-batch gradient descent: ``theta <- theta - lr * grad``.

    Used in :ref:`training`.

    Every parameter array takes the step.

    Parameters
    ----------
    loss_grad : callable
        ``loss_grad(params)`` returns ``(loss, grads)`` with ``grads``
        shaped like ``params``, for example
        ``lambda P: softmax_regression_loss_grad(P, X, y)``.
    params : dict of arrays
        The starting point; it is copied, never changed in place.
    lr : float
        Step size (learning rate), positive.
    steps : int
        Number of updates.
    monitor : callable, optional
        ``monitor(params)`` returns a dict of numbers to record, e.g. from
        :func:`make_monitor`.
    every : int
        Record the monitor every ``every`` steps (and after the last one).

    Returns
    -------
    params : dict of arrays
        After the last step.
    history : dict of ndarray
        ``"loss"``: the training loss before each step and after the last
        (``steps + 1`` values); ``"step"``: the steps at which the monitor
        ran; one array per monitor key.

    Examples
    --------
    Minimise ``(w - 3)^2``, whose gradient is ``2 (w - 3)``:

    >>> fg = lambda P: (float((P["w"][0] - 3) ** 2),
    ...                 {"w": 2 * (P["w"] - 3)})
    >>> start = {"w": np.array([0.0])}
    >>> params, history = gradient_descent(fg, start, lr=0.25, steps=60)
    >>> params["w"]
    array([3.])
    >>> history["loss"][:3]
    array([9.    , 2.25  , 0.5625])
    """
    as_callable(loss_grad, "loss_grad", "a function of params")
    lr = as_positive_number(lr, "lr")
    steps = as_int(steps, "steps", minimum=0)
    every = as_int(every, "every", minimum=1)
    params = {k: np.array(v, dtype=np.float64) for k, v in as_params(params).items()}
    losses, recorded = [], {"step": []}
    for step in range(steps + 1):
        if monitor is not None and (step % every == 0 or step == steps):
            recorded["step"].append(step)
            for key, value in monitor(params).items():
                recorded.setdefault(key, []).append(value)
        loss, grads = loss_grad(params)
        if not np.isfinite(loss):
            raise ValueError(f"the loss became {loss} at step {step}; "
                             f"lr={lr} is probably too large")
        losses.append(loss)
        if step == steps:
            break
        for key in params:
            params[key] -= lr * grads[key]
    history = {"loss": np.array(losses)}
    history.update({k: np.array(v) for k, v in recorded.items()})
    return params, history


def pack(params):
    """Flatten a dict of arrays into one float64 vector (keys in order).

    Used in :ref:`beyond-one-hot`.

    Examples
    --------
    >>> pack({"W": np.array([[1.0, 2.0]]), "b": np.array([3.0])})
    array([1., 2., 3.])
    """
    return np.concatenate([np.asarray(v, dtype=np.float64).ravel() for v in params.values()])


def unpack(theta, like):
    """Inverse of :func:`pack`: cut ``theta`` into arrays shaped like ``like``.

    Used in :ref:`beyond-one-hot`.

    Examples
    --------
    >>> unpack(np.array([1.0, 2.0, 3.0]), {"W": np.zeros((1, 2)), "b": np.zeros(1)})
    {'W': array([[1., 2.]]), 'b': array([3.])}
    """
    theta = np.asarray(theta, dtype=np.float64)
    sizes = [np.asarray(v).size for v in like.values()]
    if theta.shape != (sum(sizes),):
        raise ValueError(f"theta must be a vector of length {sum(sizes)}, got shape {theta.shape}")
    out, start = {}, 0
    for (key, v), size in zip(like.items(), sizes):
        out[key] = theta[start : start + size].reshape(np.shape(v))
        start += size
    return out


def fit_softmax_regression_lbfgs(X, y, C, *, gtol=1e-10, max_iter=5000):
    """Unpenalised softmax regression fitted to convergence with L-BFGS.

    Minimises the mean cross-entropy with scipy's L-BFGS-B, fed the book's
    gradient :func:`softmax_regression_loss_grad`. The minimum is finite
    only when no linear classifier separates the classes; see
    :ref:`training`.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    C : int
        Number of classes.
    gtol : float
        Stop when the largest gradient entry is below this.
    max_iter : int

    Returns
    -------
    params : dict with ``W`` (C, D) and ``b`` (C,)
    result : scipy.optimize.OptimizeResult
        ``result.fun`` is the final loss, ``result.jac`` its gradient.

    Examples
    --------
    Two overlapping points per class; the optimum puts p = 1/2 everywhere:

    >>> X, y = np.array([[0.0], [0.0], [1.0], [1.0]]), np.array([0, 1, 0, 1])
    >>> params, result = fit_softmax_regression_lbfgs(X, y, 2)
    >>> round(float(result.fun), 9) == round(float(np.log(2)), 9)
    True
    """
    try:
        from scipy.optimize import minimize
    except ImportError as exc:  # pragma: no cover - scipy comes with scikit-learn
        raise ImportError("fit_softmax_regression_lbfgs needs scipy (pip install scipy)") from exc
    X = as_features(X)
    C = as_int(C, "C", minimum=2)
    y = label_vector(y, X.shape[0], C)
    like = softmax_regression_init(X.shape[1], C)

    def fun(theta):
        loss, grads = softmax_regression_loss_grad(unpack(theta, like), X, y)
        return loss, pack(grads)

    result = minimize(
        fun, pack(like), jac=True, method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": gtol, "ftol": 1e-15, "maxcor": 20},
    )
    return unpack(result.x, like), result
