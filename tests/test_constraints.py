"""``constraints=``: an infeasible candidate is never fitted, a bad constraint is refused
before any fit, and outcome constraints mark rows that are then never best."""

import json
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris

from sksearch.engine.inputs import _constraints
from sksearch.optimizers import BayesianOptimizer, ParticleSwarm, RandomSampler
from sksearch.optimizers._constrained import Constrained
from sksearch.space import Integer, Real, Space

from conftest import SEARCHES, CountingLogistic, RandomSearch
import test_kill_resume  # its test, run with the constraint (not collected here again)
from test_plan import _refused_leaves_nothing

X, Y = load_iris(return_X_y=True)
SPACE = {"C": Real(1e-3, 1e3, log=True), "tol": Real(1e-5, 1e-1, log=True)}


def below_one_hundredth(p):
    """Feasible on about a third of SPACE (log10 C + log10 tol < -2)."""
    return p["C"] * p["tol"] < 0.01


class LoggedLogistic(CountingLogistic):
    """A logistic regression that appends the parameters of every fit to the file ``log``
    (fits run in other processes with n_jobs=2)."""

    def __init__(self, C=1.0, tol=1e-4, log=None):
        super().__init__(C=C, tol=tol)
        self.log = log

    def fit(self, X, y):
        with open(self.log, "a") as f:
            f.write(json.dumps({"C": self.C, "tol": self.tol}) + "\n")
        return super().fit(X, y)


def fitted(log):
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


# ---------------------------------------------------------------- never fitted
@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_no_infeasible_candidate_is_fitted_and_n_iter_counts_feasible_ones(tmp_path, name):
    cls, extra = SEARCHES[name]
    log = tmp_path / "fits.log"
    search = cls(LoggedLogistic(log=str(log)), SPACE, n_iter=14, cv=3, random_state=0,
                 refit=False, constraints=[below_one_hundredth], **extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, Y)
    params = search.cv_results_["params"]
    assert len(params) == 14 and search.stop_reason_ == "n_iter"
    assert all(below_one_hundredth(p) for p in params)
    fits = fitted(log)
    assert len(fits) == 14 * 3 and all(below_one_hundredth(p) for p in fits)


def test_a_finite_space_is_evaluated_on_its_feasible_candidates_only(tmp_path):
    log = tmp_path / "fits.log"
    space = {"C": [0.01, 0.1, 1.0, 10.0, 100.0], "tol": [1e-4, 1e-3, 1e-2, 1e-1]}
    cls, extra = SEARCHES["pso"]
    # 20 candidates, more than n_iter; their 10 feasible ones are fewer: evaluated completely
    search = cls(LoggedLogistic(log=str(log)), space, n_iter=12, cv=3, random_state=0,
                 refit=False, constraints=[lambda p: p["C"] * p["tol"] < 0.005], **extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, Y)
    expected = {(c, t) for c in space["C"] for t in space["tol"] if c * t < 0.005}
    assert len(expected) == 10
    assert {(p["C"], p["tol"]) for p in search.cv_results_["params"]} == expected
    assert len(search.cv_results_["params"]) == 10
    assert search.stop_reason_ == "space_exhausted"
    assert {(p["C"], p["tol"]) for p in fitted(log)} == expected and len(fitted(log)) == 30


def test_parameter_constraints_hold_in_every_rung_of_a_multi_fidelity_search(tmp_path):
    log = tmp_path / "fits.log"
    cls, extra = SEARCHES["bayes-tpe"]
    search = cls(LoggedLogistic(log=str(log)), SPACE, n_iter=6, cv=3, random_state=0,
                 refit=False, resource="n_samples", min_resources=30, factor=2,
                 constraints=[below_one_hundredth], **extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, Y)
    assert len(set(search.cv_results_["n_resources"])) >= 2
    assert all(below_one_hundredth(p) for p in search.cv_results_["params"])
    assert fitted(log) and all(below_one_hundredth(p) for p in fitted(log))


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_a_constraint_that_always_holds_changes_nothing(name):
    cls, extra = SEARCHES[name]
    runs = [cls(CountingLogistic(), SPACE, n_iter=10, cv=3, random_state=3, refit=False,
                constraints=constraints, **extra).fit(X, Y).cv_results_
            for constraints in (None, [lambda p: True])]
    assert runs[0]["params"] == runs[1]["params"]
    assert runs[0]["mean_test_score"].tolist() == runs[1]["mean_test_score"].tolist()


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_n_jobs_1_and_2_give_the_same_results(name):
    cls, extra = SEARCHES[name]
    runs = [cls(CountingLogistic(), SPACE, n_iter=10, cv=3, random_state=1, refit=False,
                n_jobs=n_jobs, constraints=[below_one_hundredth], **extra).fit(X, Y).cv_results_
            for n_jobs in (1, 2)]
    assert runs[0]["params"] == runs[1]["params"]
    assert runs[0]["mean_test_score"].tolist() == runs[1]["mean_test_score"].tolist()
    assert runs[0]["iteration"].tolist() == runs[1]["iteration"].tolist()


@pytest.mark.parametrize("name", ["bayes-gp", "genetic"])
def test_sigkill_then_resume_equals_an_uninterrupted_constrained_run(tmp_path, monkeypatch,
                                                                      name):
    monkeypatch.setenv("CONSTRAINED", "1")
    test_kill_resume.test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path, name, "")
    resumed = json.loads((tmp_path / "r.json").read_text())
    assert all(below_one_hundredth(p) for p in resumed["params"])


def test_a_journal_is_not_resumed_under_other_constraints(tmp_path):
    path = tmp_path / "journal.jsonl"
    cls, extra = SEARCHES["random"]
    cls(CountingLogistic(), SPACE, n_iter=4, cv=3, random_state=0, checkpoint=str(path),
        constraints=[below_one_hundredth], **extra).fit(X, Y)
    other = cls(CountingLogistic(), SPACE, n_iter=4, cv=3, random_state=0,
                checkpoint=str(path), constraints=[lambda p: p["C"] < 1.0], **extra)
    with pytest.raises(ValueError, match="written by another search"):
        other.fit(X, Y)


# ---------------------------------------------------------------- refused before any fit
REFUSALS = [
    ({"constraints": [lambda p: False]}, r"0 of 2000 points .*constraints\[0\] \(<lambda>\) "
                                         r"rejects 100\.0%"),
    ({"constraints": [lambda p: p["C"] < 0.1, lambda p: p["C"] > 1.0]},
     r"constraints\[1\] \(<lambda>\) rejects .*constraints\[0\]"),
    ({"constraints": [3]}, r"constraints\[0\] = 3 is neither .*lambda p:"),
    ({"constraints": ["score => 0.9"]}, r"'score => 0.9' is not an outcome constraint.*"
                                        r"'score >= 0.8'"),
    ({"constraints": ["score >= high"]}, r"'score >= high' is not an outcome constraint"),
    ({"constraints": ["accuracy >= 0.9"]}, r"'accuracy' is neither a metric.*'score'"),
    ({"constraints": [lambda p: p["gamma"] > 1]}, r"constraints\[0\] \(<lambda>\) raised "
                                                  r"KeyError: 'gamma' on the candidate"),
    ({"constraints": [lambda p: int(p["C"] > 1)]},
     r"returned [01] \(int\) on the candidate \{.C.: "),
    ({"constraints": [lambda p: p["C"] > 1.0], "initial_candidates": [{"C": 0.5}]},
     r"initial_candidates\[0\] = \{'C': 0.5\} breaks constraints\[0\]"),
    ({"constraints": ["score >= 0.9"], "resource": "n_samples"},
     r"'score >= 0.9' cannot be judged with resource='n_samples'"),
    ({"constraints": "score >= 0.9"}, r"constraints='score >= 0.9' is not a list; write "
                                       r"constraints=\['score >= 0.9'\]"),
    ({"constraints": below_one_hundredth}, r"constraints=<function below_one_hundredth.*write "
                                           r"constraints=\[below_one_hundredth\]"),
    ({"constraints": {"C": 1}}, r"'constraints' parameter"),
]


@pytest.mark.parametrize("kwargs, match", REFUSALS, ids=[m[:24] for _, m in REFUSALS])
def test_a_bad_constraint_is_refused_before_any_fit_and_leaves_no_file(tmp_path, kwargs,
                                                                        match):
    cls, extra = SEARCHES["bayes-gp"]

    def make(*args, **more):
        return cls(*args, **{**extra, **more})

    _refused_leaves_nothing(tmp_path, make, kwargs, match)


def test_a_tiny_feasible_fraction_is_refused_with_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(_constraints, "MIN_FEASIBLE_FRACTION", 0.5)  # a third is "tiny" now
    cls, extra = SEARCHES["random"]

    def make(*args, **more):
        return cls(*args, **{**extra, **more})

    _refused_leaves_nothing(tmp_path, make, {"constraints": [lambda p: p["C"] < 0.1]},
                            r"constraints: [0-9]+ of 2000 points .*\(3[0-9]\.[0-9]+%; "
                            r"constraints\[0\] \(<lambda>\) rejects 6")


# ---------------------------------------------------------------- outcome constraints
def test_outcome_constraints_mark_rows_that_are_never_best(tmp_path):
    cls, extra = SEARCHES["bayes-tpe"]
    path = tmp_path / "journal.jsonl"

    def search():
        return cls(CountingLogistic(), SPACE, n_iter=12, cv=3, random_state=0,
                   checkpoint=str(path), constraints=["score <= 0.95"], **extra)

    first = search().fit(X, Y)
    results = first.cv_results_
    scores = results["mean_test_score"]
    assert results["feasible"].tolist() == (scores <= 0.95).tolist()
    assert scores.max() > 0.95 and results["feasible"].any()  # the best score breaks it
    assert results["feasible"][first.best_index_]
    assert first.best_score_ == scores[results["feasible"]].max()
    CountingLogistic.n_fits = 0
    replayed = search().fit(X, Y)  # from the journal: the same marks
    assert CountingLogistic.n_fits == 1  # the refit only
    assert replayed.cv_results_["feasible"].tolist() == results["feasible"].tolist()
    assert replayed.best_index_ == first.best_index_


def test_without_any_feasible_row_best_is_chosen_among_all_with_a_warning():
    cls, extra = SEARCHES["random"]
    search = cls(CountingLogistic(), SPACE, n_iter=4, cv=3, random_state=0,
                 constraints=["fit_time < 0"], **extra)
    with pytest.warns(UserWarning, match="none of the 4 candidates evaluated meets"):
        search.fit(X, Y)
    assert not search.cv_results_["feasible"].any()
    assert search.best_index_ == int(np.argmax(search.cv_results_["mean_test_score"]))


def test_a_metric_of_several_names_an_outcome_constraint():
    cls, extra = SEARCHES["random"]
    search = cls(CountingLogistic(), SPACE, n_iter=8, cv=3, random_state=0,
                 scoring={"acc": "accuracy", "f1": "f1_macro"}, refit="acc",
                 constraints=["f1 < 0.9", below_one_hundredth], **extra).fit(X, Y)
    results = search.cv_results_
    assert results["feasible"].tolist() == (results["mean_test_f1"] < 0.9).tolist()
    assert all(below_one_hundredth(p) for p in results["params"])


class RecordingSampler(RandomSampler):
    """Uniform draws that keep every score told (in ``told``, class-wide)."""

    told = []

    def tell(self, X, y):
        super().tell(X, y)
        type(self).told.extend(np.asarray(y, dtype=float).tolist())


class RecordingSearch(RandomSearch):
    def _make_optimizer(self, layout, random_state, budget):
        return RecordingSampler(layout, batch_size=self.batch_size, random_state=random_state)


def test_a_row_breaking_an_outcome_constraint_is_told_as_a_failure():
    RecordingSampler.told = []
    search = RecordingSearch(CountingLogistic(), SPACE, n_iter=16, cv=3, random_state=0,
                             refit=False, constraints=["score <= 0.95"]).fit(X, Y)
    results = search.cv_results_
    scores, feasible = results["mean_test_score"], results["feasible"]
    told = np.array(RecordingSampler.told)
    assert len(told) == 12  # the batch that reaches the budget is not told
    assert (~feasible[:12]).any() and feasible[:12].any()
    for i in range(12):  # the worst feasible score of the batches told so far
        worst = scores[:(i // 4 + 1) * 4][feasible[:(i // 4 + 1) * 4]].min()
        assert told[i] == (scores[i] if feasible[i] else worst)


# ---------------------------------------------------------------- the optimizer side
def test_repair_keeps_the_pending_batches_of_a_model_asked_ahead():
    space = Space({"x": Real(0.0, 1.0), "y": Real(0.0, 1.0), "n": Integer(1, 5)})
    corner = lambda X: np.array([p["x"] + p["y"] < 0.3 and p["n"] != 3  # noqa: E731
                                 for p in space.decode(X)])
    inner = BayesianOptimizer(space.layout, n_initial_points=5, batch_size=1, random_state=0)
    opt = Constrained(inner, corner, random_state=1)
    assert opt.asks_ahead and opt.flexible_batch
    first = opt.ask()
    opt.tell(first, -first[:, 0])
    ahead = [opt.ask()]
    for _ in range(6):
        ahead.append(opt.ask())  # asked while the one before is evaluated
        told = ahead.pop(0)
        opt.tell(told, -told[:, 0])
        assert len(inner.pending) == 1  # only the batch asked ahead
    for X in [first, *ahead]:
        assert corner(X).all()
    assert len(inner.X_) == 5 + 6


def test_a_sampler_is_given_fresh_feasible_draws():
    space = Space({"x": Real(0.0, 1.0)})
    low = lambda X: space.layout.snap(X)[:, 0] < 0.1  # noqa: E731
    opt = Constrained(RandomSampler(space.layout, batch_size=20, random_state=0), low,
                      random_state=0)
    X = opt.ask()
    assert X.shape == (20, 1) and low(X).all() and len(np.unique(X)) == 20


def test_a_swarm_is_told_its_own_positions_and_the_worst_score_where_replaced():
    space = Space({"x": Real(0.0, 1.0)})
    swarm = ParticleSwarm(space.layout, n_particles=4, random_state=0)
    opt = Constrained(swarm, lambda X: np.asarray(X)[:, 0] < 0.5, random_state=0)
    swarm.known.feasible = None  # as if its own repair had failed: the wrapper replaces
    X = opt.ask()
    assert (X[:, 0] < 0.5).all()
    opt.tell(X, np.arange(4.0))
    broken = swarm.position_[:, 0] >= 0.5
    assert broken.any()  # its own positions, the infeasible ones among them
    assert (swarm.best_score_[broken] == 0.0).all()  # told the worst score


def test_a_model_whose_proposal_is_replaced_is_told_its_own_point_and_keeps_no_pending():
    space = Space({"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)})
    inner = BayesianOptimizer(space.layout, n_initial_points=6, batch_size=1, random_state=0)
    opt = Constrained(inner, lambda X: np.asarray(X)[:, 0] < 0.3, random_state=0)
    inner.known.feasible = None  # its design and proposals ignore the constraint
    worst, replaced = np.inf, 0
    for _ in range(5):
        X = opt.ask()
        assert (X[:, 0] < 0.3).all()
        worst = min(worst, (-X[:, 1]).min())
        before = len(inner.y_)
        opt.tell(X, -X[:, 1])
        assert len(inner.pending) == 0
        own = inner.X_[before:][:, 0] >= 0.3  # its own infeasible points: told the worst
        assert (inner.y_[before:][own] == worst).all()
        replaced += own.sum()
    assert replaced > 0
