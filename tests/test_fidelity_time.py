"""The time-to-result benchmark: its fit timing, its continuing competitors and its smoke run."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.neural_network import MLPClassifier

from benchmarks.fit_timing import LEDGER, attribute, params_key, timed

COMPETITORS = {"optuna-hyperband-warm": "optuna", "smac-multifidelity": "smac"}
LIBRARY_SEARCHES = ["sklearn-random", "sklearn-halving", "sksearch-bayes-gp",
                    "sksearch-bayes-tpe", "sksearch-pso", "sksearch-ga"]


@pytest.fixture
def ledger():
    LEDGER.clear()
    yield LEDGER
    LEDGER.clear()


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=120, n_features=6, random_state=0)


# ---------------------------------------------------------------- fit timing
@pytest.mark.parametrize("estimator, resource, first, second", [
    (HistGradientBoostingClassifier(max_iter=5, early_stopping=False), "max_iter", 5, 12),
    (RandomForestClassifier(n_estimators=4, random_state=0), "n_estimators", 4, 10),
])
def test_a_warm_started_fit_counts_only_what_it_added(ledger, data, estimator, resource,
                                                      first, second):
    model = timed(estimator, ["max_depth"] if "n_est" in resource else ["learning_rate"],
                  resource)
    assert model.get_params() == estimator.get_params()
    assert type(clone(model)) is type(model) and isinstance(model, type(estimator))
    model.fit(*data)
    model.set_params(warm_start=True, **{resource: second}).fit(*data)
    assert [f.units for f in ledger] == [first, second - first]
    assert all(f.cpu >= 0 and f.n_samples == 120 for f in ledger)
    clone(model).fit(*data)  # a clone starts from zero again
    assert ledger[-1].units == second


def test_an_mlp_counts_its_epochs_and_one_per_partial_fit(ledger, data):
    model = timed(MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0),
                  ["alpha"], "max_iter")
    model.fit(*data)
    model.partial_fit(*data)
    model.partial_fit(*data)
    assert [f.units for f in ledger] == [3, 1, 1]
    assert model.timed_units_ == 5


def test_attribute_gives_each_row_its_own_folds_and_leaves_out_the_refit(ledger, data):
    X, y = data
    names = ["learning_rate"]
    for rate, n in [(0.1, 80), (0.2, 80), (0.1, 80), (0.1, 80), (0.2, 80), (0.2, 80),
                    (0.3, 80), (0.1, 120)]:
        timed(HistGradientBoostingClassifier(max_iter=2, learning_rate=rate), names,
              "max_iter").fit(X[:n], y[:n])
    cpu = [f.cpu for f in ledger]
    rows = [(params_key({"learning_rate": 0.1}, names), 6),
            (params_key({"learning_rate": 0.2}, names), 6)]
    row_cpu, units, unclaimed = attribute(rows, 3, refit_samples=120)
    assert row_cpu == [cpu[0] + cpu[2] + cpu[3], cpu[1] + cpu[4] + cpu[5]]
    assert units == [6, 6]
    assert unclaimed == cpu[6]  # the 0.3 fit no row claims; the last fit is the refit


# ---------------------------------------------------------------- continuation
@pytest.mark.parametrize("task", ["boosting", "forest"])
def test_a_continued_model_scores_as_one_fitted_at_once_and_costs_the_difference(task):
    from benchmarks.fidelity_time import TASKS
    from benchmarks.fidelity_time_methods import ContinuingEvaluator

    instance, fidelity = TASKS[task].instance(smoke=True)
    params = {"max_depth": 6} if task == "forest" else {"learning_rate": 0.1}
    grown = ContinuingEvaluator(instance, fidelity, 0, TASKS[task].grow)
    grown(params, 0, candidate=0)
    assert grown.fits(2, n_iter=1, candidate=0)  # (27 - 3) x 3 units of a budget of 27 x 3
    top = grown(params, 2, candidate=0)
    direct = ContinuingEvaluator(instance, fidelity, 0, TASKS[task].grow)
    assert top == pytest.approx(direct(params, 2, candidate=0), abs=1e-12)
    assert grown.run.units == [3 * 3, (27 - 3) * 3] and direct.run.units == [27 * 3]
    assert not direct.fits(0, n_iter=1, candidate=1)  # the budget of one full fit is spent


def test_reuse_fits_variants_appear_when_the_search_takes_the_parameter(monkeypatch):
    from sksearch import BayesSearchCV

    from benchmarks import fidelity_time_methods as ftm

    class Reusing(BayesSearchCV):
        def __init__(self, estimator, param_distributions=None, *, reuse_fits=False, **kw):
            super().__init__(estimator, param_distributions, **kw)
            self.reuse_fits = reuse_fits

    assert ftm.takes_reuse_fits(Reusing)
    with_reuse = {"sksearch-bayes-gp": (Reusing, {})}
    monkeypatch.setattr(ftm, "SKSEARCH", with_reuse)
    assert {"sksearch-bayes-gp", "sksearch-bayes-gp+reuse"} <= set(ftm.methods(None))
    monkeypatch.setattr(ftm, "SKSEARCH", {"sksearch-bayes-gp": (BayesSearchCV, {})})
    assert {"sksearch-bayes-gp", "sksearch-bayes-gp+reuse"} <= set(ftm.methods(None))

    class Refitting:  # a search of an engine without fit reuse
        def __init__(self, estimator, param_distributions=None, *, n_iter=10):
            self.estimator, self.n_iter = estimator, n_iter

    assert not ftm.takes_reuse_fits(Refitting)
    monkeypatch.setattr(ftm, "SKSEARCH", {"sksearch-bayes-gp": (Refitting, {})})
    assert "sksearch-bayes-gp+reuse" not in ftm.methods(None)


# ---------------------------------------------------------------- the smoke run
@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    from benchmarks.fidelity_time import CATALOG, SMOKE_N_ITER
    from benchmarks.fidelity_time_report import write_report
    from benchmarks.multi_fidelity import run_benchmark

    out = tmp_path_factory.mktemp("fidelity_time")
    records = run_benchmark(out, tasks=["boosting"], seeds=1, n_iter=SMOKE_N_ITER, smoke=True,
                            rungs=False, catalog=CATALOG, log=lambda line: None)
    return records, write_report(out).read_text()


def _one(records, method):
    found = [r for r in records if r["method"] == method]
    assert len(found) == 1, method
    return found[0]


@pytest.mark.parametrize("method", LIBRARY_SEARCHES)
def test_smoke_times_every_fold_fit_of_the_library_searches(smoke, method):
    r = _one(smoke[0], method)
    assert r["status"] == "ok", r.get("error")
    rows = r["rows"]
    assert r["levels"] == [3, 9, 27] and set(rows["n_resources"]) <= set(r["levels"])
    # they refit every rung from zero: the units trained are the nominal ones
    assert rows["units"] == [n * 3 for n in rows["n_resources"]]
    assert r["resource_units"] == r["nominal_units"] <= r["budget_units"]
    assert r["info"]["cpu_unclaimed"] == 0.0  # every fit belongs to a row, or is the refit
    assert all(c > 0 for c in rows["fit_time"])
    assert r["fit_seconds"] == pytest.approx(sum(rows["fit_time"]))
    assert r["best_score"] is not None and 0.5 < r["test_score"] <= 1.0


@pytest.mark.parametrize("method", sorted(COMPETITORS))
def test_smoke_competitors_continue_their_models_within_the_budget(smoke, method):
    r = _one(smoke[0], method)
    if r["status"] == "unavailable":
        pytest.importorskip(COMPETITORS[method])  # skips: the library is missing
        pytest.fail(f"{method} is importable but was reported unavailable: {r['reason']}")
    assert r["status"] == "ok", r.get("error")
    rows = r["rows"]
    assert r["resource_units"] == sum(rows["units"]) <= r["budget_units"]
    held, continued = {}, 0
    for candidate, n, units in zip(rows["candidate"], rows["n_resources"], rows["units"]):
        assert units == (n - held.get(candidate, 0)) * 3  # a rung trains only what it adds
        continued += candidate in held
        held[candidate] = n
    assert continued >= 1 and r["resource_units"] < r["nominal_units"]
    assert r["levels"][-1] in rows["n_resources"] and r["n_candidates"] > r["n_full"]


def test_smoke_report_reads_every_method_at_the_checkpoints(smoke):
    records, report = smoke
    table = report.split("### boosting")[1]
    assert "| method | 1/9 R | 1/3 R | 2/3 R | 1 R | reach | test |" in table
    rows = {line.split("|")[1].strip().strip("*") for line in table.splitlines()
            if line.startswith("| ") and "---" not in line}
    assert {r["method"] for r in records if r["status"] == "ok"} <= rows
    assert ("`sksearch-bayes-gp` against the best other method at each point: 1/9 R:"
            in table)
    assert "| trained / nominal |" in table


def test_the_report_cell_is_the_median_best_within_the_cpu_spent():
    from benchmarks.fidelity_time_report import CHECKPOINTS, checkpoint_scores, reach

    def run(method, seed, cpu, scores):
        return {"method": method, "seed": seed, "levels": [1, 3], "n_splits": 1,
                "fit_seconds": float(sum(cpu)), "best_score": max(scores),
                "rows": {"n_resources": [3] * len(cpu), "fit_time": cpu, "score": scores}}

    runs = [run("sklearn-random", s, [3.0, 3.0, 3.0], [0.5, best, 0.6])
            for s, best in enumerate([0.70, 0.71, 0.72])] + [run("other", 0, [1.0, 8.0], [0.8, 0.9])]
    assert [a / b for a, b in CHECKPOINTS] == pytest.approx([1 / 9, 1 / 3, 2 / 3, 1])
    assert checkpoint_scores(runs, "sklearn-random") == [-np.inf, 0.5, 0.71, 0.71]
    assert checkpoint_scores(runs, "other") == [0.8, 0.8, 0.8, 0.9]
    assert reach(runs, "other") == 1.0  # 0.8 >= random's median final best, 0.71
    assert reach(runs, "sklearn-random") == 6.0


def test_rung_costs_tell_fits_from_zero_from_continued_ones():
    from benchmarks.fidelity_time_report import rung_costs

    def run(method, n, cpu, units, candidate):
        return {"method": method, "levels": [1, 3], "n_splits": 1,
                "rows": {"n_resources": n, "fit_time": cpu, "units": units,
                         "candidate": candidate}}

    runs = [run("sklearn-random", [3, 3], [6.0, 6.0], [3, 3], [0, 1]),
            run("sklearn-halving", [1, 1, 3], [1.0, 1.0, 6.0], [1, 1, 3], [0, 1, 1]),
            run("optuna-hyperband-warm", [1, 3], [1.0, 8.0], [1, 2], [0, 0])]
    text = rung_costs(runs)
    # from zero: rung 1 costs 1 s of a 6 s full fit; continued: 4 s a unit against 2 s
    assert "1: 0.17 (0.33)" in text and "costs 2.00 x a full fit's CPU per unit" in text
