"""Property-based tests of the space: round trips, bounds and types for random spaces."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sksearch.space import Categorical, Integer, Real, Space

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(1e-6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def reals(draw):
    if draw(st.booleans()):
        low = draw(positive)
        high = draw(positive.filter(lambda h: h > low * (1 + 1e-9)))
        return Real(low, high, log=True)
    low = draw(finite)
    high = draw(finite.filter(lambda h: h > low + 1e-9 * max(1, abs(low))))
    return Real(low, high)


@st.composite
def integers(draw):
    if draw(st.booleans()):
        low = draw(st.integers(1, 10**5))
        return Integer(low, draw(st.integers(low + 1, low + 10**6)), log=True)
    low = draw(st.integers(-(10**6), 10**6))
    return Integer(low, draw(st.integers(low + 1, low + 10**6)))


scales = st.floats(1e-3, 1e3)


@st.composite
def priors(draw):
    """A Real or Integer with a scipy.stats prior, bounded or not."""
    kind = draw(st.sampled_from(["norm", "expon", "beta", "poisson", "binom", "geom", "values"]))
    if kind == "norm":
        return Real(prior=stats.norm(draw(finite), draw(scales)))
    if kind == "expon":
        return Real(prior=stats.expon(scale=draw(scales)))
    if kind == "beta":
        return Real(prior=stats.beta(draw(st.floats(0.2, 20)), draw(st.floats(0.2, 20))))
    if kind == "poisson":
        return Integer(prior=stats.poisson(draw(st.floats(0.1, 1e4))))
    if kind == "binom":
        return Integer(prior=stats.binom(draw(st.integers(1, 500)), draw(st.floats(0.01, 0.99))))
    if kind == "geom":
        return Integer(prior=stats.geom(draw(st.floats(0.01, 0.99))))
    xk = draw(st.lists(st.integers(-1000, 1000), min_size=1, max_size=8, unique=True))
    pk = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=len(xk), max_size=len(xk))))
    return Integer(prior=stats.rv_discrete(values=(xk, pk / pk.sum())))


choices = st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(), st.booleans()),
                   min_size=1, max_size=6, unique_by=repr)
dimensions = st.one_of(reals(), integers(), choices.map(Categorical), priors())
names = st.text("abcdefgh_", min_size=1, max_size=6)
subspaces = st.dictionaries(names, dimensions, min_size=1, max_size=5)
spaces = st.one_of(subspaces, st.lists(subspaces, min_size=1, max_size=3, unique_by=repr))


def _contains(dim, value):
    if isinstance(dim, Real):
        return type(value) is float and dim.low <= value <= dim.high
    if isinstance(dim, Integer):
        return type(value) is int and dim.low <= value <= dim.high
    return any(value is c or repr(value) == repr(c) for c in dim.choices)


@settings(max_examples=150, deadline=None)
@given(spaces, st.integers(0, 2**32 - 1))
def test_decoded_candidates_lie_in_their_subspace_with_the_right_types(param_distributions, seed):
    space = Space(param_distributions)
    X = space.sample(8, random_state=seed)
    assert X.shape == (8, space.layout.n_dims)
    for params in space.decode(X):
        matching = [sub for sub in space.subspaces if set(sub) == set(params)]
        assert matching
        assert any(all(_contains(sub[k], v) for k, v in params.items()) for sub in matching)


@settings(max_examples=150, deadline=None)
@given(spaces, st.integers(0, 2**32 - 1))
def test_encode_decode_round_trip(param_distributions, seed):
    space = Space(param_distributions)
    params = space.decode(space.sample(6, random_state=seed))
    again = space.decode(space.encode(params))
    for p, q in zip(params, again):
        assert p.keys() == q.keys()
        for key in p:
            if isinstance(p[key], float):
                # a quantile far in a tail comes back within 1e-7 (the CDF is flat there)
                assert math.isclose(p[key], q[key], rel_tol=1e-7, abs_tol=1e-7)
            else:
                assert repr(p[key]) == repr(q[key])


@settings(max_examples=150, deadline=None)
@given(spaces, st.integers(0, 2**32 - 1))
def test_snap_is_idempotent_and_keeps_the_candidate(param_distributions, seed):
    space = Space(param_distributions)
    X = space.sample(6, random_state=seed, method="lhs")
    snapped = space.layout.snap(X)
    np.testing.assert_array_equal(space.layout.snap(snapped), snapped)
    assert ((snapped >= 0) & (snapped <= 1)).all()
    assert repr(space.decode(snapped)) == repr(space.decode(X))
