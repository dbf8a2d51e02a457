"""Property-based tests of the space: round trips, bounds and types for random spaces."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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


choices = st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(), st.booleans()),
                   min_size=1, max_size=6, unique_by=repr)
dimensions = st.one_of(reals(), integers(), choices.map(Categorical))
names = st.text("abcdefgh_", min_size=1, max_size=6)
subspaces = st.dictionaries(names, dimensions, min_size=1, max_size=5)
spaces = st.one_of(subspaces, st.lists(subspaces, min_size=1, max_size=3))


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
                assert math.isclose(p[key], q[key], rel_tol=1e-9, abs_tol=1e-9)
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
