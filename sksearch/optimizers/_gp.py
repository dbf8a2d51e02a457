"""Gaussian-process regression on the unit cube: the surrogate of Bayesian optimization.

One kernel, chosen for what hyperparameter scores look like: Matérn 5/2
(twice differentiable, less smooth than the squared exponential) with one
length scale per cube column (automatic relevance determination), a signal
variance and a noise variance. The targets are standardized; the kernel's
hyperparameters maximize the log marginal likelihood (Rasmussen & Williams,
2006, eq. 5.8) plus a weak prior on the length scales, with the analytic
gradient (eq. 5.9) and L-BFGS-B, started from the previous fit and, every few
fits, from the best of many random hyperparameters.
"""

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.optimize import minimize

SQRT5 = np.sqrt(5.0)
# Bounds of the hyperparameters, for inputs in [0, 1] and standardized targets.
LENGTH_SCALE_BOUNDS = (1e-2, 1e2)
SIGNAL_VARIANCE_BOUNDS = (5e-2, 2e1)
# The noise floor is low so that a deterministic score is interpolated to the
# precision an optimum needs; noisy scores (cross-validation) raise it by likelihood.
NOISE_BOUNDS = (1e-9, 1.0)
# Random hyperparameters screened for the restarts of the likelihood maximization.
N_SCREENED = 20
# Relative decrease of the objective below which L-BFGS-B stops: 1e-4 nats on
# a likelihood of ~100 nats changes no prediction; tighter ends in failed line
# searches on a nearly flat likelihood (many wasted evaluations).
LIKELIHOOD_FTOL = 1e-6
# Added to the diagonal so that the Cholesky factor exists for duplicate rows.
_JITTER = 1e-10


class GaussianProcess:
    """Gaussian-process regressor with an ARD Matérn 5/2 kernel and Gaussian noise.

    The covariance of two inputs at scaled distance
    ``r = sqrt(sum_j (x_j - x'_j)^2 / l_j^2)`` is
    ``k(r) = s2 (1 + sqrt(5) r + 5 r^2 / 3) exp(-sqrt(5) r)``
    (Rasmussen & Williams, 2006, eq. 4.17), plus ``noise`` on the diagonal of
    the training covariance. ``s2`` and ``noise`` are on the scale of the
    standardized targets.

    Parameters
    ----------
    n_restarts : int, default=2
        Random starting points of the likelihood maximization, besides the
        previous fit's hyperparameters (or a default guess on the first fit).
    restart_every : int, default=5
        The random starts are tried on the first fit and every
        ``restart_every`` fits; the other fits only polish the previous
        hyperparameters, which change little when a few points are added.
    max_iter : int, default=100
        L-BFGS-B iterations per start.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the restarts.

    Attributes
    ----------
    length_scale_ : ndarray of shape (n_dims,)
    signal_variance_ : float
    noise_ : float
    log_marginal_likelihood_value_ : float
        At the fitted hyperparameters, for the standardized targets.

    Examples
    --------
    >>> import numpy as np
    >>> from sksearch.optimizers._gp import GaussianProcess
    >>> X = np.linspace(0, 1, 8)[:, None]
    >>> gp = GaussianProcess(random_state=0).fit(X, np.sin(6 * X[:, 0]))
    >>> mean, std = gp.predict([[0.5]], return_std=True)
    >>> bool(abs(mean[0] - np.sin(3.0)) < 0.05 and std[0] < 0.05)
    True
    """

    def __init__(self, *, n_restarts=2, restart_every=5, max_iter=100, random_state=None):
        self.n_restarts = n_restarts
        self.restart_every = restart_every
        self._n_fits = 0
        self.max_iter = max_iter
        self.rng = np.random.default_rng(random_state)
        self.theta_ = None

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, optimize=True):
        """Standardize ``y``, fit the hyperparameters (if ``optimize``), condition on the data."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        y = np.asarray(y, dtype=float).ravel()
        self.y_mean_ = y.mean()
        self.y_std_ = y.std() if y.std() > 0 else 1.0
        self.X_train_ = X
        self._z = (y - self.y_mean_) / self.y_std_
        n_dims = X.shape[1]
        if self.theta_ is None or len(self.theta_) != n_dims + 2:
            self.theta_ = np.log(np.r_[np.full(n_dims, 0.5), 1.0, 1e-3])
        if optimize:
            self.theta_ = self._maximize_likelihood(X, self._z)
        self._condition()
        self.log_marginal_likelihood_value_ = self.log_marginal_likelihood()
        return self

    def condition_on(self, X, y):
        """A copy that also knows ``(X, y)``, with the same hyperparameters and scaling.

        Used for fantasies: a batch's pending points told their predicted
        value (kriging believer) shrink the uncertainty around them.
        """
        new = object.__new__(GaussianProcess)
        new.__dict__.update(self.__dict__)
        new.X_train_ = np.vstack([self.X_train_, np.atleast_2d(X)])
        z = (np.asarray(y, dtype=float).ravel() - self.y_mean_) / self.y_std_
        new._z = np.r_[self._z, z]
        new._condition()
        return new

    def _condition(self):
        K = self._covariance(self.X_train_, self.X_train_, self.theta_)
        K[np.diag_indices_from(K)] += np.exp(self.theta_[-1])
        jitter = _JITTER
        while True:  # nearly equal rows: more jitter until the factor exists
            try:
                self._L = cholesky(K + jitter * np.eye(len(K)), lower=True)
                break
            except np.linalg.LinAlgError:
                if jitter > 1e-3:
                    raise
                jitter *= 100.0
        self._alpha = cho_solve((self._L, True), self._z)

    def _maximize_likelihood(self, X, z):
        sq_diff = _squared_differences(X)
        bounds = np.log([LENGTH_SCALE_BOUNDS] * X.shape[1]
                        + [SIGNAL_VARIANCE_BOUNDS, NOISE_BOUNDS])
        starts = [np.clip(self.theta_, bounds[:, 0], bounds[:, 1])]
        restart = self._n_fits % self.restart_every == 0
        self._n_fits += 1
        if restart and self.n_restarts > 0:
            # screen many random hyperparameters by their likelihood alone (no
            # gradient: cheap) and start L-BFGS-B from the best few
            n_dims = X.shape[1]
            screened = np.column_stack([
                self.rng.uniform(np.log(0.05), np.log(2.0), (N_SCREENED, n_dims)),
                np.log(self.rng.uniform(0.5, 2.0, N_SCREENED)),
                self.rng.uniform(np.log(1e-6), np.log(1e-1), N_SCREENED),
            ])
            values = [_negative_log_likelihood(t, sq_diff, z, gradient=False)
                      + _length_scale_prior(t)[0] for t in screened]
            starts.extend(screened[np.argsort(values, kind="stable")[: self.n_restarts]])
        best, best_value = starts[0], np.inf
        for theta in starts:
            try:
                result = minimize(_negative_log_posterior, theta, args=(sq_diff, z), jac=True,
                                  method="L-BFGS-B", bounds=bounds,
                                  options={"maxiter": self.max_iter, "ftol": LIKELIHOOD_FTOL})
            except np.linalg.LinAlgError:
                continue
            if np.isfinite(result.fun) and result.fun < best_value:
                best, best_value = result.x, result.fun
        return best

    # ------------------------------------------------------------------ predict
    @property
    def length_scale_(self):
        return np.exp(self.theta_[:-2])

    @property
    def signal_variance_(self):
        return float(np.exp(self.theta_[-2]))

    @property
    def noise_(self):
        return float(np.exp(self.theta_[-1]))

    def predict(self, X, return_std=False, return_grad=False):
        """Posterior mean (and standard deviation) of the noise-free function at ``X``.

        With ``return_grad``, also the gradients of the mean and of the
        standard deviation with respect to ``X``, each of shape ``X.shape``.
        The returned values are on the scale of the training targets.
        """
        X = np.atleast_2d(np.asarray(X, dtype=float))
        k, dk = self._cross_covariance(X, return_grad)
        mean = k @ self._alpha * self.y_std_ + self.y_mean_
        if not (return_std or return_grad):
            return mean
        v = solve_triangular(self._L, k.T, lower=True)
        var = np.maximum(self.signal_variance_ - np.einsum("ij,ij->j", v, v), 1e-12)
        std = np.sqrt(var) * self.y_std_
        if not return_grad:
            return mean, std
        # dk has shape (m, n, d): d k(x_i, X_a) / d x_ij
        w = solve_triangular(self._L, v, lower=True, trans="T").T  # K^-1 k per row, (m, n)
        dmean = np.einsum("mnd,n->md", dk, self._alpha) * self.y_std_
        dvar = -2.0 * np.einsum("mnd,mn->md", dk, w)
        dstd = dvar / (2.0 * np.sqrt(var))[:, None] * self.y_std_
        return mean, std, dmean, dstd

    def _cross_covariance(self, X, return_grad):
        scale, s2 = self.length_scale_, self.signal_variance_
        if not return_grad:
            # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b: matrix products for many rows
            A, B = X / scale, self.X_train_ / scale
            r2 = (A * A).sum(axis=1)[:, None] + (B * B).sum(axis=1) - 2.0 * A @ B.T
            r = np.sqrt(np.maximum(r2, 0.0))
            return s2 * (1.0 + SQRT5 * r + 5.0 / 3.0 * r2.clip(0.0)) * np.exp(-SQRT5 * r), None
        diff = (X[:, None, :] - self.X_train_[None, :, :]) / scale
        r = np.sqrt(np.einsum("mnd,mnd->mn", diff, diff))
        decay = np.exp(-SQRT5 * r)
        k = s2 * (1.0 + SQRT5 * r + 5.0 / 3.0 * r**2) * decay
        # d k / d x_j = -s2 * 5/3 (1 + sqrt5 r) exp(-sqrt5 r) (x_j - x'_j) / l_j^2
        factor = -s2 * 5.0 / 3.0 * (1.0 + SQRT5 * r) * decay
        return k, factor[:, :, None] * diff / scale

    @staticmethod
    def _covariance(A, B, theta):
        diff = (A[:, None, :] - B[None, :, :]) / np.exp(theta[:-2])
        r = np.sqrt(np.einsum("mnd,mnd->mn", diff, diff))
        return np.exp(theta[-2]) * (1.0 + SQRT5 * r + 5.0 / 3.0 * r**2) * np.exp(-SQRT5 * r)

    def log_marginal_likelihood(self, theta=None):
        """Log marginal likelihood of the standardized training targets.

        ``theta`` is the log of (length scales..., signal variance, noise);
        default: the fitted hyperparameters.
        """
        theta = self.theta_ if theta is None else np.asarray(theta, dtype=float)
        return -_negative_log_likelihood(theta, _squared_differences(self.X_train_), self._z)[0]


def _squared_differences(X):
    """``(x_aj - x_bj)^2`` for every pair of rows, as an array of shape (n * n, d)."""
    diff = X[:, None, :] - X[None, :, :]
    return (diff * diff).reshape(-1, X.shape[1])


def _negative_log_likelihood(theta, sq_diff, z, gradient=True):
    """Negative log marginal likelihood and its gradient in ``theta`` (R&W eqs. 5.8, 5.9).

    With ``gradient=False``, the value only.
    """
    n = len(z)
    inv_l2 = np.exp(-2.0 * theta[:-2])
    s2, noise = np.exp(theta[-2]), np.exp(theta[-1])
    r = np.sqrt(np.maximum(sq_diff @ inv_l2, 0.0)).reshape(n, n)
    decay = np.exp(-SQRT5 * r)
    K_f = s2 * (1.0 + SQRT5 * r + 5.0 / 3.0 * r**2) * decay
    K = K_f.copy()
    K[np.diag_indices(n)] += noise + _JITTER
    try:
        L = cholesky(K, lower=True)
    except np.linalg.LinAlgError:
        return (np.inf, np.zeros_like(theta)) if gradient else np.inf
    alpha = cho_solve((L, True), z)
    value = 0.5 * z @ alpha + np.log(np.diag(L)).sum() + 0.5 * n * np.log(2 * np.pi)
    if not gradient:
        return value
    # d(-log p)/d theta = -0.5 tr((alpha alpha^T - K^-1) dK/d theta)
    W = np.outer(alpha, alpha) - cho_solve((L, True), np.eye(n))
    # d K / d log l_j = s2 * 5/3 (1 + sqrt5 r) exp(-sqrt5 r) (x_j - x'_j)^2 / l_j^2
    G = W * (s2 * 5.0 / 3.0 * (1.0 + SQRT5 * r) * decay)
    grad = np.empty_like(theta)
    grad[:-2] = -0.5 * (G.reshape(-1) @ sq_diff) * inv_l2
    grad[-2] = -0.5 * np.sum(W * K_f)
    grad[-1] = -0.5 * noise * np.trace(W)
    return value, grad



def _negative_log_posterior(theta, sq_diff, z):
    """Negative log likelihood plus the length scales' negative log prior, and its gradient."""
    value, grad = _negative_log_likelihood(theta, sq_diff, z)
    prior, prior_grad = _length_scale_prior(theta)
    return value + prior, grad + prior_grad


def _length_scale_prior(theta):
    """Negative log prior of the length scales and its gradient in ``theta``.

    Each length scale ``l`` has a Gamma(3, 6) prior (mode 1/3 of the cube;
    BoTorch's ``SingleTaskGP`` default up to version 0.11): weak inside the
    cube, it stops a length scale from growing far beyond it on little data,
    which would make the model sure that a parameter does not matter. In
    ``log l`` the negative log density is ``6 l - 3 log l`` (Jacobian
    included) up to a constant.
    """
    log_l = theta[:-2]
    length_scale = np.exp(log_l)
    grad = np.zeros_like(theta)
    grad[:-2] = 6.0 * length_scale - 3.0
    return np.sum(6.0 * length_scale - 3.0 * log_l), grad
