"""``fit`` checks every parameter, the strategy's included, before any side effect:
a refused search leaves the directory of its checkpoint as it was and fits nothing."""

import os

import pytest
from sklearn.datasets import load_iris

from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.space import Real

from conftest import CountingLogistic

X, Y = load_iris(return_X_y=True)
SPACE = {"C": Real(0.01, 10.0, log=True)}

#: A strategy parameter of each search that it refuses (the GA's and the swarm's
#: pass the declared constraints: only their optimizer refuses them), and the
#: words of the refusal.
STRATEGY_REFUSALS = [
    (GeneticSearchCV, {"population_size": 4, "elitism": 4}, "elitism"),
    (GeneticSearchCV, {"population_size": 1}, "population_size"),
    (PSOSearchCV, {"n_particles": 1}, "n_particles"),
    (BayesSearchCV, {"xi": -1.0}, "xi"),
    (BayesSearchCV, {"surrogate": "tpe", "batch_size": 0}, "batch_size"),
]

#: Parameters of the engine that every search refuses.
ENGINE_REFUSALS = [
    ({"resource": "no_such_parameter"}, "no_such_parameter"),
    ({"resource": "n_samples", "min_resources": 100, "max_resources": 50}, "min_resources"),
    ({"initial_candidates": [{"C": 100.0}]}, "initial_candidates"),
    ({"initial_candidates": []}, "initial_candidates"),
]


def _refused_leaves_nothing(tmp_path, make, kwargs, match):
    path = tmp_path / "journal.jsonl"
    before = sorted(os.listdir(tmp_path))
    CountingLogistic.n_fits = 0
    search = make(CountingLogistic(), SPACE, n_iter=6, cv=3, random_state=0,
                  checkpoint=str(path), **kwargs)
    with pytest.raises((ValueError, TypeError), match=match):
        search.fit(X, Y)
    assert sorted(os.listdir(tmp_path)) == before  # no journal, no other file
    assert CountingLogistic.n_fits == 0


@pytest.mark.parametrize("cls, kwargs, match", STRATEGY_REFUSALS,
                         ids=[f"{c.__name__}-{'-'.join(k)}" for c, k, _ in STRATEGY_REFUSALS])
def test_a_refused_strategy_parameter_leaves_no_file(tmp_path, cls, kwargs, match):
    _refused_leaves_nothing(tmp_path, cls, kwargs, match)


@pytest.mark.parametrize("kwargs, match", ENGINE_REFUSALS,
                         ids=["-".join(k) for k, _ in ENGINE_REFUSALS])
def test_a_refused_engine_parameter_leaves_no_file(tmp_path, make_search, kwargs, match):
    _refused_leaves_nothing(tmp_path, make_search, kwargs, match)


def test_an_existing_journal_of_another_search_is_refused_unchanged(tmp_path, make_search):
    path = tmp_path / "journal.jsonl"
    make_search(CountingLogistic(), SPACE, n_iter=4, cv=3, random_state=0,
                checkpoint=str(path)).fit(X, Y)
    written = path.read_bytes()
    CountingLogistic.n_fits = 0
    other = make_search(CountingLogistic(C=2.0), SPACE, n_iter=4, cv=3, random_state=0,
                        checkpoint=str(path))
    with pytest.raises(ValueError, match="written by another search"):
        other.fit(X, Y)
    assert path.read_bytes() == written and CountingLogistic.n_fits == 0
