"""Distributions searched in their quantile space: a uniform point of the cube is a draw.

For each family, values decoded from uniform cube coordinates are compared
with the distribution's own ``rvs`` (what ``RandomizedSearchCV`` samples):
a two-sample Kolmogorov-Smirnov test for continuous ones, a chi-square test
of the counts for discrete ones, seeded, on 4,000 points, at the 1% level.
Each test also shows it can fail: searching the support uniformly, as
sksearch did before, is rejected.
"""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.base import BaseEstimator
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.space import _priors
from sksearch.space import Categorical, Integer, Real, Space

N = 4000
LEVEL = 0.01


def decoded(value, n=N, seed=0):
    """Values of ``n`` uniform cube points of a space holding only ``value`` (a list)."""
    space = Space({"p": value})
    return [p["p"] for p in space.decode(space.sample(n, random_state=seed))]


CONTINUOUS = [
    stats.norm(0, 1),
    stats.norm(loc=3, scale=0.01),
    stats.expon(scale=100),
    stats.lognorm(1.5),
    stats.gamma(2, scale=3),
    stats.beta(2, 8),
    stats.beta(0.5, 0.5),
    stats.truncnorm(-1, 2),
    stats.t(3),
    stats.cauchy(),
    stats.halfnorm(),
    stats.weibull_min(1.5),
    stats.triang(0.2),
    stats.uniform(1, 4),
    stats.loguniform(1e-3, 1e3),
    stats.loguniform(1, 100, loc=1),
    stats.norm,  # not frozen: its defaults, as RandomizedSearchCV draws it
    stats.rv_histogram(np.histogram(np.random.default_rng(0).gamma(2, size=300), bins=12)),
]


@pytest.mark.parametrize("dist", CONTINUOUS, ids=_priors.describe)
def test_continuous_prior_decodes_uniform_points_to_its_draws(dist):
    values = decoded(dist)
    reference = dist.rvs(size=N, random_state=np.random.RandomState(1))
    assert stats.kstest(values, reference).pvalue > LEVEL
    assert np.all(np.isfinite(values))


@pytest.mark.parametrize("dist", [stats.beta(2, 8), stats.truncnorm(-1, 2), stats.expon()],
                         ids=_priors.describe)
def test_uniform_over_the_support_would_be_rejected(dist):
    # the test above has the power to see a dropped prior
    low, high = dist.ppf([_priors.TAIL, 1 - _priors.TAIL])
    uniform = low + np.random.default_rng(0).random(N) * (high - low)
    reference = dist.rvs(size=N, random_state=np.random.RandomState(1))
    assert stats.kstest(uniform, reference).pvalue < 1e-6


DISCRETE = [
    stats.randint(2, 9),
    stats.poisson(3),
    stats.poisson(250),
    stats.binom(20, 0.3),
    stats.geom(0.2),
    stats.nbinom(5, 0.4),
    stats.bernoulli(0.3),
    stats.hypergeom(20, 7, 12),
    stats.betabinom(10, 2, 3),
    stats.dlaplace(0.8),
    stats.zipf(3),
    stats.logser(0.6),
    stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5])),
    stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5])).freeze(loc=2),
]


def chi_square_pvalue(values, reference):
    """Chi-square test that two samples come from one discrete distribution."""
    support = np.union1d(values, reference)
    counts = np.array([[np.sum(values == k), np.sum(reference == k)] for k in support])
    # merge rare values (expected count under 5) into one cell
    rare = counts.sum(axis=1) < 10
    if rare.any():
        counts = np.vstack([counts[~rare], counts[rare].sum(axis=0)])
    counts = counts[counts.sum(axis=1) > 0]
    if len(counts) < 2:
        return 1.0
    return stats.chi2_contingency(counts).pvalue


@pytest.mark.parametrize("dist", DISCRETE, ids=_priors.describe)
def test_discrete_prior_decodes_uniform_points_to_its_draws(dist):
    values = decoded(dist)
    reference = dist.rvs(size=N, random_state=np.random.RandomState(1))
    assert chi_square_pvalue(np.array(values), reference) > LEVEL
    assert all(type(v) is int for v in values)


@pytest.mark.parametrize("dist", [stats.poisson(3), stats.binom(20, 0.3)],
                         ids=_priors.describe)
def test_equal_integer_bins_would_be_rejected(dist):
    low, high = dist.ppf([_priors.TAIL, 1 - _priors.TAIL]).astype(int)
    uniform = Integer(int(low), int(high)).decode(np.random.default_rng(0).random(N))
    reference = dist.rvs(size=N, random_state=np.random.RandomState(1))
    assert chi_square_pvalue(np.array(uniform), reference) < 1e-6


def test_bins_of_a_discrete_prior_are_its_cdf_steps():
    dim = Integer(prior=stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5])))
    group = Space({"k": dim}).layout.groups[0]
    np.testing.assert_allclose(group.edges, [0.0, 0.2, 0.5, 1.0])
    assert dim.decode([0.0, 0.19, 0.21, 0.49, 0.51, 1.0]) == [1, 1, 5, 5, 10, 10]
    np.testing.assert_allclose(dim.encode([1, 5, 10]), [0.1, 0.35, 0.75])


def test_unbounded_discrete_support_is_not_finite():
    assert Space({"k": stats.poisson(3)}).size == np.inf
    assert Space({"k": stats.binom(20, 0.3)}).size == 21
    assert Space({"k": stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5]))}).size == 3


def test_unbounded_continuous_support_stays_finite_at_the_ends_of_the_cube():
    tail = _priors.TAIL
    for dist, ends in ((stats.norm(0, 1), [tail, 1 - tail]), (stats.cauchy(), [tail, 1 - tail]),
                       (stats.expon(scale=100), [0.0, 1 - tail])):
        values = Real(prior=dist).decode([0.0, 1.0])
        np.testing.assert_allclose(values, dist.ppf(ends))
        assert np.all(np.isfinite(values))


def test_uniform_loguniform_and_randint_decode_exactly_as_plain_bounds():
    u = np.random.default_rng(0).random(200)
    assert Real(prior=stats.uniform(1, 4)).decode(u) == Real(1.0, 5.0).decode(u)
    log = Real(prior=stats.loguniform(1e-3, 1e1))
    assert log == Real(1e-3, 1e1, log=True)
    assert log.decode(u) == Real(1e-3, 1e1, log=True).decode(u)
    assert Integer(prior=stats.randint(2, 9)).decode(u) == Integer(2, 8).decode(u)
    # and they are the quantiles of those distributions
    np.testing.assert_allclose(log.decode(u), stats.loguniform(1e-3, 1e1).ppf(u), rtol=1e-12)


def test_truncnorm_and_beta_priors_are_honoured():
    beta = Real(prior=stats.beta(2, 8))
    assert beta.decode([0.5]) == pytest.approx([stats.beta(2, 8).median()], rel=1e-9)
    assert (beta.low, beta.high) == (0.0, 1.0)
    trunc = Real(prior=stats.truncnorm(-1, 2, loc=5, scale=2))
    assert trunc.decode([0.0, 1.0]) == pytest.approx([3.0, 9.0])
    assert trunc.decode([0.5]) == pytest.approx([stats.truncnorm(-1, 2, loc=5, scale=2).median()])


def test_quantile_dimensions_round_trip():
    u = np.linspace(0, 1, 101)
    for dim in (Real(prior=stats.norm(3, 2)), Real(prior=stats.expon(scale=100)),
                Real(prior=stats.beta(2, 8))):
        np.testing.assert_allclose(dim.encode(dim.decode(u)), u, atol=1e-9)
    dim = Integer(prior=stats.poisson(3))
    values = dim.decode(u)
    assert dim.decode(dim.encode(values)) == values


def test_reprs_say_what_each_dimension_is():
    space = Space({
        "a": stats.norm(0, 1), "b": stats.expon(scale=100), "c": stats.poisson(3),
        "d": stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5])), "e": stats.norm,
        "f": stats.uniform(1, 4), "g": stats.loguniform(1e-3, 1e1), "h": stats.randint(2, 9),
    })
    assert {k: repr(v) for k, v in space.subspaces[0].items()} == {
        "a": "Real(prior=norm(0, 1))",
        "b": "Real(prior=expon(scale=100))",
        "c": "Integer(prior=poisson(3))",
        "d": "Integer(prior=rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5])))",
        "e": "Real(prior=norm())",
        "f": "Real(1.0, 5.0)",
        "g": "Real(0.001, 10.0, log=True)",
        "h": "Integer(2, 8)",
    }


def test_a_single_valued_distribution_is_a_constant():
    space = Space({"k": stats.randint(5, 6), "x": Real(0, 1)})
    assert space.subspaces[0]["k"] == Integer(5, 5)
    assert space.layout.n_dims == 1
    assert space.decode([[0.3]]) == [{"k": 5, "x": 0.3}]
    assert Space({"k": stats.rv_discrete(values=([3], [1.0]))}).decode(np.zeros((1, 0))) == [
        {"k": 3}]


# ---------------------------------------------------------------- objects with only rvs
class LogNormalSampler:
    """A continuous sampler that is not a scipy distribution."""

    def rvs(self, random_state=None):
        return float(np.exp(random_state.normal(0.0, 1.0)))


class DiceSampler:
    """A discrete sampler: a loaded die."""

    def rvs(self, random_state=None):
        return int(random_state.choice([1, 2, 3, 6], p=[0.1, 0.2, 0.3, 0.4]))


def test_continuous_sampler_gets_an_empirical_quantile_dimension():
    sampler = LogNormalSampler()
    dim = Space({"x": sampler}).subspaces[0]["x"]
    assert isinstance(dim, Real)
    assert repr(dim).startswith("Real(prior=empirical(") and "n_draws=4096" in repr(dim)
    rng = np.random.RandomState(7)
    reference = [sampler.rvs(random_state=rng) for _ in range(N)]
    assert stats.kstest(decoded(sampler), reference).pvalue > LEVEL


def test_discrete_sampler_gets_its_values_with_their_frequencies():
    sampler = DiceSampler()
    dim = Space({"k": sampler}).subspaces[0]["k"]
    assert isinstance(dim, Integer) and dim.n_levels == 4
    assert Space({"k": sampler}).size == 4
    rng = np.random.RandomState(7)
    reference = np.array([sampler.rvs(random_state=rng) for _ in range(N)])
    assert chi_square_pvalue(np.array(decoded(sampler)), reference) > LEVEL


def test_sampler_dimension_is_deterministic():
    first, second = Space({"x": LogNormalSampler()}), Space({"x": LogNormalSampler()})
    u = np.linspace(0, 1, 50)[:, None]
    assert first.decode(u) == second.decode(u)


def test_sampler_that_ignores_random_state_is_refused():
    class Global:
        def rvs(self, random_state=None):
            return float(np.random.random())

    with pytest.raises(ValueError, match=r"\['x'\].*does not repeat its draws"):
        Space({"x": Global()})


def test_sampler_of_non_numbers_is_refused():
    class Words:
        def rvs(self, random_state=None):
            return ["a", "b"][random_state.randint(2)]

    with pytest.raises(ValueError, match=r"\['k'\].*draws 'a'.*list"):
        Space({"k": Words()})


def test_range_and_arrays_are_choices():
    space = Space({"n": range(2, 10, 2), "c": np.array([0.1, 1.0])})
    assert space.subspaces[0]["n"] == Categorical([2, 4, 6, 8])
    assert space.size == 8


# ---------------------------------------------------------------- through the searches
class Probe(BaseEstimator):
    """Scores ``-(x - 0.3)^2``: a fit costs nothing, so a batch can be large."""

    def __init__(self, x=0.5):
        self.x = x

    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def score(self, X, y=None):
        return -((self.x - 0.3) ** 2)


@pytest.mark.parametrize("search_class, size", [
    (BayesSearchCV, {"n_initial_points": 60}),
    (PSOSearchCV, {"n_particles": 60}),
    (GeneticSearchCV, {"population_size": 60}),
], ids=lambda v: getattr(v, "__name__", ""))
def test_initial_design_of_every_search_is_a_sample_of_the_prior(search_class, size):
    X = np.zeros((20, 1))
    search = search_class(Probe(), {"x": stats.beta(2, 8)}, n_iter=60, cv=2, random_state=0,
                          **size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # one batch: no step of the strategy
        search.fit(X)
    first = [p["x"] for p, i in zip(search.cv_results_["params"],
                                    search.cv_results_["iteration"]) if i == 0]
    assert len(first) == 60
    assert stats.kstest(first, stats.beta(2, 8).cdf).pvalue > LEVEL
    assert stats.kstest(first, "uniform").pvalue < 1e-6


def test_scikit_learns_own_example_runs_in_every_search(make_search):
    # the param_distributions of RandomizedSearchCV's documentation
    X, y = load_iris(return_X_y=True)
    space = {"C": stats.expon(scale=100), "gamma": stats.expon(scale=0.1),
             "kernel": ["rbf"], "class_weight": ["balanced", None]}
    search = make_search(SVC(), space, n_iter=6, cv=3, random_state=0).fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert all(0 <= p["C"] <= stats.expon(scale=100).ppf(1 - _priors.TAIL)
               for p in search.cv_results_["params"])
    assert search.best_score_ > 0.9
