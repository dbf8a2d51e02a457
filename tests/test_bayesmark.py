"""The Bayesmark-style suite: its problems, its normalized score, its re-runs."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

# benchmarks/ is not part of the installed package: it runs from the repository root.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bayesmark import (  # noqa: E402
    REFERENCE,
    drop_runs,
    mean_scores,
    normalized_scores,
    report_markdown,
)
from benchmarks.bayesmark_tasks import N_SPLITS, PROBLEMS, SPLIT_SEED  # noqa: E402
from benchmarks.competitors import STRATEGIES  # noqa: E402
from benchmarks.tasks import SUITES, TASKS  # noqa: E402


def _run(task, strategy, seed, best):
    return {"task": task, "strategy": strategy, "seed": seed, "status": "ok",
            "best_score": best, "n_iter": 64, "wall_time": 1.0}


def test_suite_is_nine_problems_with_64_evaluations_and_3_seeds():
    suite = SUITES["bayesmark"]
    assert len(suite.reals) == 9 and suite.real_n_iter == 64 and suite.real_seeds == 3
    assert all(TASKS[name].kind == "real" for name in suite.reals)


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_problem_is_5_fold_over_its_estimators_parameters(name):
    instance = TASKS[name].build(1)
    assert set(instance.space) <= set(instance.estimator.get_params())
    assert instance.cv.get_n_splits() == N_SPLITS
    assert len(instance.X_train) == len(instance.y_train) > 4 * len(instance.X_test) - 4


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_every_seed_of_a_problem_tunes_the_same_objective(name):
    one, two = TASKS[name].build(1), TASKS[name].build(2)
    for part in ("X_train", "y_train", "X_test", "y_test"):
        assert np.array_equal(getattr(one, part), getattr(two, part)), part
    assert [test.tolist() for _, test in one.cv.split(one.X_train, one.y_train)] == \
        [test.tolist() for _, test in two.cv.split(two.X_train, two.y_train)]
    params = one.estimator.get_params()
    assert params == two.estimator.get_params()
    if "random_state" in params:
        assert params["random_state"] == SPLIT_SEED
    assert one.scoring == two.scoring and one.space == two.space


@pytest.mark.parametrize("strategy", ["sksearch-bayes-gp", "sklearn-random"])
def test_the_runs_seed_still_draws_the_search(strategy):
    instance = TASKS["bm_knn_digits"].build(0)
    runs = [STRATEGIES[strategy].run(instance, 6, seed).scores for seed in (1, 2)]
    assert runs[0] != runs[1]


def test_every_strategy_of_the_suite_is_a_benchmark_strategy():
    from benchmarks.bayesmark import STRATEGIES as SUITE_STRATEGIES

    assert REFERENCE in SUITE_STRATEGIES and set(SUITE_STRATEGIES) <= set(STRATEGIES)


def test_normalized_score_is_0_at_the_random_median_and_100_at_the_best_run():
    records = [_run("p", REFERENCE, s, b) for s, b in enumerate([0.5, 0.6, 0.7])]
    records += [_run("p", "a", s, b) for s, b in enumerate([0.8, 1.0, 0.9])]
    records += [_run("p", "b", s, b) for s, b in enumerate([0.55, 0.6, 0.4])]
    records.append({"task": "p", "strategy": "c", "seed": 0, "status": "error"})
    scores = normalized_scores(records)["p"]
    assert scores[REFERENCE] == pytest.approx([0.0, -25.0, 25.0])
    assert scores["a"] == pytest.approx([75.0, 50.0, 100.0])  # median 0.9 of 0.6..1.0
    assert scores["b"] == pytest.approx([-12.5, -50.0, 0.0])
    assert "c" not in scores


def test_mean_is_over_problems_and_leaves_out_a_strategy_missing_one():
    records = [_run(p, REFERENCE, 0, 0.0) for p in "pq"]
    records += [_run("p", "a", 0, 1.0), _run("q", "a", 0, 0.5), _run("q", "b", 0, 2.0)]
    means = mean_scores(normalized_scores(records))
    assert means == pytest.approx({REFERENCE: 0.0, "a": (100 + 25) / 2})


def test_problem_where_nothing_beats_random_is_left_out():
    records = [_run("p", REFERENCE, 0, 1.0), _run("p", "a", 0, 1.0)]
    assert normalized_scores(records) == {}


def test_report_ranks_strategies_by_mean_score_and_names_the_unavailable():
    records = [_run("p", REFERENCE, 0, 0.0), _run("p", "a", 0, 1.0),
               {"task": None, "strategy": "z", "seed": None, "status": "unavailable"}]
    text = report_markdown(records, {"seconds": 120})
    rows = [line for line in text.splitlines() if line.startswith(("| a |", f"| {REFERENCE} |"))]
    assert rows[0].startswith("| a | 100.0 | 1.00 |")
    assert rows[1].startswith(f"| {REFERENCE} | 0.0 | 2.00 |")
    assert "Unavailable: z." in text and "2.0 min" in text


def test_redo_drops_only_the_named_strategies_runs(tmp_path):
    path = tmp_path / "results.jsonl"
    records = [_run("p", name, 0, 1.0) for name in ("sksearch-ga", "optuna-tpe", "sksearch-pso")]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    drop_runs(path, ["sksearch-ga", "sksearch-pso"])
    kept = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["strategy"] for r in kept] == ["optuna-tpe"]
