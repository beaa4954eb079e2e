"""Training softmax classifiers with the book's own gradients.

Toy and real data, softmax regression and a one-hidden-layer network, each
backward pass built from :func:`derivations.cross_entropy_grad`. Trained in
:ref:`training`.
"""

import numpy as np


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


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
    n_per_class = _check_int(n_per_class, "n_per_class", 1)
    C = _check_int(C, "C", 2)
    seed = _check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(C) / C
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    y = np.repeat(np.arange(C, dtype=np.int64), n_per_class)
    X = centres[y] + rng.standard_normal((C * n_per_class, 2))
    return X, y
