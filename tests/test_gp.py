"""The Gaussian-process surrogate against scikit-learn's, and its gradients."""

import numpy as np
import pytest
from scipy import stats
from scipy.optimize import approx_fprime
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern

from sksearch.optimizers.surrogates._gp import (
    ONE_HOT_PRIOR_SHIFT,
    GaussianProcess,
    _length_scale_prior,
    _negative_log_likelihood,
)
from sksearch.optimizers.surrogates._warping import yeo_johnson

LENGTH_SCALE = np.array([0.3, 0.5, 2.0])
SIGNAL_VARIANCE, NOISE = 1.3, 0.01


def _data(n=15, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 3))
    y = 3.0 + np.sin(5 * X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.standard_normal(n)
    return X, y


def _fixed_gp(X, y):
    gp = GaussianProcess()
    gp.theta_ = np.log(np.r_[LENGTH_SCALE, SIGNAL_VARIANCE, NOISE])
    return gp.fit(X, y, optimize=False)


def _sklearn_gp(X, y):
    # alpha is added to the diagonal of the normalized training covariance,
    # as our noise term is: the two models are the same.
    # optimizer=None keeps the kernel's hyperparameters where they start
    kernel = ConstantKernel(SIGNAL_VARIANCE) * Matern(LENGTH_SCALE, nu=2.5)
    return GaussianProcessRegressor(kernel, alpha=NOISE, normalize_y=True, optimizer=None).fit(X, y)


def test_prediction_matches_sklearn():
    X, y = _data()
    X_test = np.random.default_rng(1).random((20, 3))
    mean, std = _fixed_gp(X, y).predict(X_test, return_std=True)
    expected_mean, expected_std = _sklearn_gp(X, y).predict(X_test, return_std=True)
    np.testing.assert_allclose(mean, expected_mean, rtol=0, atol=1e-8)
    np.testing.assert_allclose(std, expected_std, rtol=0, atol=1e-8)


def test_log_marginal_likelihood_matches_sklearn():
    X, y = _data()
    gp, reference = _fixed_gp(X, y), _sklearn_gp(X, y)
    assert gp.log_marginal_likelihood_value_ == pytest.approx(
        reference.log_marginal_likelihood_value_, abs=1e-7)
    # another point of hyperparameter space; sklearn orders theta (log C, log l...)
    theta = np.log([0.2, 0.7, 1.1, 0.6, NOISE])
    assert gp.log_marginal_likelihood(theta) == pytest.approx(
        reference.log_marginal_likelihood(np.log([0.6, 0.2, 0.7, 1.1])), abs=1e-7)


def test_likelihood_gradient_matches_finite_differences():
    X, y = _data()
    z = (y - y.mean()) / y.std()
    theta = np.log([0.3, 0.5, 2.0, 1.3, 0.01])
    value = lambda t: _negative_log_likelihood(t, X, z)[0]  # noqa: E731
    gradient = _negative_log_likelihood(theta, X, z)[1]
    np.testing.assert_allclose(gradient, approx_fprime(theta, value, 1e-7), rtol=1e-4, atol=1e-5)


def test_prediction_gradients_match_finite_differences():
    X, y = _data()
    gp = _fixed_gp(X, y)
    X_test = np.random.default_rng(2).random((6, 3))
    _, _, dmean, dstd = gp.predict(X_test, return_grad=True)
    step = 1e-6
    for j in range(3):
        shifted = X_test.copy()
        shifted[:, j] += step
        mean_hi, std_hi = gp.predict(shifted, return_std=True)
        shifted[:, j] -= 2 * step
        mean_lo, std_lo = gp.predict(shifted, return_std=True)
        np.testing.assert_allclose(dmean[:, j], (mean_hi - mean_lo) / (2 * step), atol=1e-5)
        np.testing.assert_allclose(dstd[:, j], (std_hi - std_lo) / (2 * step), atol=1e-5)


def test_fit_finds_the_relevant_input_and_the_noise():
    # y depends on x0 only, with noise of standard deviation 0.05
    rng = np.random.default_rng(0)
    X = rng.random((60, 2))
    y = np.sin(6 * X[:, 0]) + 0.05 * rng.standard_normal(60)
    gp = GaussianProcess(random_state=0).fit(X, y)
    # the length scales' prior keeps the irrelevant one near the cube's size
    assert gp.length_scale_[1] > 5 * gp.length_scale_[0]
    assert gp.length_scale_[1] > 1.0
    noise_std = np.sqrt(gp.noise_) * y.std()
    assert 0.025 < noise_std < 0.1
    start = np.log(np.r_[0.5, 0.5, 1.0, 1e-3])
    assert gp.log_marginal_likelihood_value_ > gp.log_marginal_likelihood(start) + 10


def test_length_scale_prior_gradient_matches_finite_differences():
    theta = np.log([0.3, 0.5, 2.0, 7.0, 1.3, 0.01])
    for categorical in (None, np.array([False, False, True, True])):
        value = lambda t: _length_scale_prior(t, categorical)[0]  # noqa: E731
        gradient = _length_scale_prior(theta, categorical)[1]
        np.testing.assert_allclose(gradient, approx_fprime(theta, value, 1e-7),
                                   rtol=1e-5, atol=1e-6)
    # one-hot columns: a log-normal centred on sqrt(2) + log(d) / 2 + the shift,
    # ordered ones unchanged
    d, mask = 4, np.array([False, False, True, True])
    centre = np.sqrt(2) + np.log(d) / 2 + ONE_HOT_PRIOR_SHIFT
    at_centre = np.r_[np.log([0.3, 0.5]), centre, centre, 0.0, 0.0]
    assert _length_scale_prior(at_centre, mask)[1][2:4] == pytest.approx([0.0, 0.0])
    assert _length_scale_prior(at_centre, mask)[1][:2] == pytest.approx(
        _length_scale_prior(at_centre)[1][:2])


def _three_choices(seed):
    # a score whose shape in x is the same for the three choices of a
    # categorical (one-hot columns 1 to 3), shifted by a constant per choice;
    # the last choice is seen at 3 points, the others at 8
    rng = np.random.default_rng(seed)
    x = rng.random(19)
    choice = np.r_[np.repeat([0, 1], 8), [2, 2, 2]]
    X = np.column_stack([x] + [choice == c for c in range(3)]).astype(float)
    return X, np.sin(6 * x) + 0.3 * choice


def test_categorical_columns_share_what_the_other_choices_taught():
    x_test = np.linspace(0, 1, 41)
    X_test = np.column_stack([x_test, np.zeros(41), np.zeros(41), np.ones(41)])
    truth = np.sin(6 * x_test) + 0.6
    ratios = []
    for seed in range(4):
        X, y = _three_choices(seed)
        errors = [np.sqrt(np.mean((GaussianProcess(categorical=categorical, random_state=0)
                                   .fit(X, y).predict(X_test) - truth) ** 2))
                  for categorical in (None, [False, True, True, True])]
        ratios.append(errors[1] / errors[0])
    # the one-hot prior lets the little-seen choice borrow the others' shape
    assert max(ratios) < 0.7
    assert np.mean(ratios) < 0.5


def test_categorical_choices_that_differ_are_told_apart():
    # sin for one choice, cos for the other, 12 points each: the long prior
    # must not blur them
    rng = np.random.default_rng(0)
    x, choice = rng.random(24), np.repeat([0, 1], 12)
    X = np.column_stack([x, choice == 0, choice == 1]).astype(float)
    score = lambda x, c: np.where(c == 0, np.sin(6 * x), np.cos(6 * x))  # noqa: E731
    gp = GaussianProcess(categorical=[False, True, True], random_state=0).fit(X, score(x, choice))
    x_test = np.linspace(0, 1, 41)
    for c in (0, 1):
        X_test = np.column_stack([x_test, np.full(41, c == 0), np.full(41, c == 1)])
        error = np.sqrt(np.mean((gp.predict(X_test) - score(x_test, c)) ** 2))
        assert error < 0.05


def test_refit_is_warm_started_and_deterministic():
    X, y = _data(30)
    a = GaussianProcess(random_state=3).fit(X[:25], y[:25]).fit(X, y)
    b = GaussianProcess(random_state=3).fit(X[:25], y[:25]).fit(X, y)
    np.testing.assert_array_equal(a.theta_, b.theta_)


def test_conditioning_on_the_mean_keeps_the_mean_and_removes_the_uncertainty():
    X, y = _data()
    gp = _fixed_gp(X, y)
    x = np.array([[0.5, 0.5, 0.5]])
    mean = gp.predict(x)
    fantasy = gp.condition_on(x, mean)
    new_mean, new_std = fantasy.predict(x, return_std=True)
    assert new_mean[0] == pytest.approx(mean[0], abs=1e-9)
    # only the noise is left: its standard deviation, in units of y
    assert new_std[0] < np.sqrt(NOISE) * y.std() < gp.predict(x, return_std=True)[1][0]
    # the original model is untouched
    assert len(gp.X_train_) == len(X)


def test_conditioning_grows_the_factor_as_a_refit_would():
    X, y = _data()
    gp = _fixed_gp(X, y)
    new_X = np.random.default_rng(3).random((2, 3))
    new_y = np.array([3.5, 2.5])
    grown = gp.condition_on(new_X[:1], new_y[:1]).condition_on(new_X[1:], new_y[1:])
    refit = _fixed_gp(X, y)
    refit.X_train_, refit._z = grown.X_train_, grown._z
    refit._condition()
    X_test = np.random.default_rng(4).random((10, 3))
    for a, b in zip(grown.predict(X_test, return_std=True), refit.predict(X_test, return_std=True)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)


def test_repeated_rows_do_not_break_the_factorization():
    X, y = _data()
    gp = GaussianProcess(random_state=0).fit(np.vstack([X, X[:3]]), np.r_[y, y[:3]])
    twice = gp.condition_on(X[:2], gp.predict(X[:2]))
    assert np.all(np.isfinite(twice.predict(X, return_std=True)[1]))


def test_yeo_johnson_keeps_the_order_and_its_jacobian_is_exact():
    y = -np.logspace(-2, 3, 30) + np.random.default_rng(0).normal(0, 1e-3, 30)
    warped, log_jacobian, exponent = yeo_johnson(y)
    np.testing.assert_array_equal(np.argsort(warped), np.argsort(y))
    assert exponent > 1  # a long lower tail is pulled in
    np.testing.assert_array_equal(yeo_johnson(y, exponent)[0], warped)
    # d warped / d y = psi'(u) / std(y), psi' by central differences
    u, step = (y - y.mean()) / y.std(), 1e-6
    psi = lambda v: stats.yeojohnson(v, exponent)  # noqa: E731
    slope = (psi(u + step) - psi(u - step)) / (2 * step)
    assert log_jacobian == pytest.approx(np.sum(np.log(slope / y.std())), rel=1e-6)
