"""The shifted test functions of sksearch._testing: their optimum is where they say."""

import numpy as np
import pytest
from scipy.optimize import minimize as scipy_minimize

from sksearch._testing import FUNCTIONS, make_function
from sksearch.space import Real

REAL_ONLY = [name for name in FUNCTIONS if name != "mixed"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_optimum_is_reached_at_argmin_and_nowhere_lower(name):
    for seed in range(3):
        f = make_function(name, seed)
        assert f(f.argmin) == pytest.approx(f.f_min, abs=1e-9)
        X = f.layout.random(500, np.random.default_rng(seed))
        assert f.on_cube(X).min() > f.f_min


@pytest.mark.parametrize("name", REAL_ONLY)
def test_argmin_is_a_local_minimum(name):
    # a local search started next to argmin finds nothing lower
    f = make_function(name, 0)
    names = list(f.space)
    low = np.array([f.space[k].low for k in names])
    high = np.array([f.space[k].high for k in names])
    start = np.array([f.argmin[k] for k in names])
    start = np.clip(start + 0.01 * (high - low), low, high)
    result = scipy_minimize(lambda x: f(dict(zip(names, x))), start, method="L-BFGS-B",
                            bounds=list(zip(low, high)))
    assert result.fun > f.f_min - 1e-9
    assert result.fun < f.f_min + 1e-3


@pytest.mark.parametrize("name", ["ackley", "levy", "hartmann6"])
def test_the_optimum_moves_with_the_seed(name):
    a, b = make_function(name, 0), make_function(name, 1)
    assert a.argmin != b.argmin
    assert a.f_min == b.f_min


@pytest.mark.parametrize("name, dim", [("ackley", 12), ("levy", 3), ("rosenbrock", 10)])
def test_dimension(name, dim):
    f = make_function(name, 0, dim=dim)
    assert len(f.space) == dim
    assert all(isinstance(d, Real) for d in f.space.values())
    assert f(f.argmin) == pytest.approx(f.f_min, abs=1e-9)
