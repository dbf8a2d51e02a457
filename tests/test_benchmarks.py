"""The benchmark harness: the smoke suite end to end, and the pieces it relies on."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

# benchmarks/ is not part of the installed package: it runs from the repository root.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.competitors import STRATEGIES  # noqa: E402
from benchmarks.report import mean_ranks, score_table  # noqa: E402
from benchmarks.run import RECORD_FIELDS  # noqa: E402
from benchmarks.spaces import (  # noqa: E402
    LogUniformInteger,
    genetic_schedule,
    grid_size,
    to_grid,
    to_scipy,
)
from benchmarks.tasks import SUITES, TASKS  # noqa: E402
from sksearch._testing import make_function  # noqa: E402
from sksearch.space import Categorical, Integer, Real  # noqa: E402


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """The smoke suite run once by its command line: (output directory, records)."""
    out = tmp_path_factory.mktemp("smoke")
    subprocess.run([sys.executable, "-m", "benchmarks.run", "--suite", "smoke", "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return out, records


def test_smoke_accounts_for_every_strategy(smoke):
    # Each strategy either ran on every (task, seed) of the suite or is reported
    # unavailable with a reason: none is silently dropped.
    _, records = smoke
    jobs = {(task, seed) for task, seed, _ in SUITES["smoke"].jobs()}
    for name in STRATEGIES:
        mine = [r for r in records if r["strategy"] == name]
        if any(r["status"] == "unavailable" for r in mine):
            assert len(mine) == 1 and mine[0]["reason"]
        else:
            assert {(r["task"], r["seed"]) for r in mine} == jobs
            assert all(r["status"] == "ok" for r in mine), [r.get("error") for r in mine]
    # sklearn and sksearch's particle swarm run everywhere the tests run
    assert {"sklearn-random", "sklearn-grid", "sksearch-pso"} <= {
        r["strategy"] for r in records if r["status"] == "ok"}


def test_smoke_records_hold_the_measurements(smoke):
    _, records = smoke
    for r in (r for r in records if r["status"] == "ok"):
        assert set(RECORD_FIELDS) <= set(r)
        n_iter = SUITES["smoke"].function_n_iter
        assert r["n_iter"] == n_iter
        assert 1 <= r["n_distinct"] <= r["n_evaluated"]
        assert r["n_evaluated"] <= n_iter or r["strategy"] == "sklearn-genetic-opt"
        curve = np.array(r["curve"], dtype=float)
        assert len(curve) == r["n_evaluated"]
        assert np.all(np.diff(curve) >= 0), "best so far never decreases"
        assert curve[-1] == pytest.approx(r["best_score"])
        # score is minus the function: regret = best value found - minimum >= 0
        f = make_function(r["task"], r["seed"])
        assert r["f_min"] == f.f_min
        assert r["regret"] == pytest.approx(-r["best_score"] - f.f_min)
        assert r["regret"] > -1e-9
        for field in ("wall_time", "cpu_time", "fit_time", "score_time", "optimizer_time",
                      "refit_time"):
            assert r[field] >= 0, field
        assert r["wall_time"] >= r["fit_time"] + r["refit_time"]
        assert r["test_score"] is None  # function tasks have no held-out data


def test_smoke_search_keeps_the_sksearch_budget(smoke):
    # sksearch searches evaluate n_iter distinct candidates, never one twice.
    _, records = smoke
    for r in records:
        if r["status"] == "ok" and r["library"] == "sksearch":
            assert r["n_evaluated"] == r["n_distinct"] == r["n_iter"]


def test_smoke_report_has_a_row_per_strategy_and_the_plots(smoke):
    out, records = smoke
    report = (out / "report.md").read_text()
    ran = {r["strategy"] for r in records if r["status"] == "ok"}
    table = report.split("## Function tasks")[1].split("##")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert {row.split("|")[1].strip() for row in rows[1:]} == ran
    assert "branin" in rows[0] and "mixed" in rows[0] and "mean rank" in rows[0]
    for r in records:
        if r["status"] == "unavailable":
            assert f"`{r['strategy']}`" in report
    assert "Machine:" in report and "scikit-learn" in report
    for task in ("branin", "mixed"):
        png = out / "plots" / f"{task}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"plots/{task}.png" in report
    meta = json.loads((out / "meta.json").read_text())
    assert meta["environment"]["nproc"] >= 1 and meta["seconds"] > 0


def test_every_task_builds_a_consistent_instance():
    for name, task in TASKS.items():
        instance = task.build(0)
        params = instance.estimator.get_params()
        assert set(instance.space) <= set(params), name
        assert (instance.X_test is None) == (task.kind == "function"), name
        assert (instance.f_min is None) == (task.kind == "real"), name


def test_grid_fits_the_budget_and_keeps_every_choice():
    space = make_function("mixed", 0).space
    grid = to_grid(space, 50)
    assert 36 <= grid_size(grid) <= 50
    assert grid["kind"] == ["a", "b", "c", "d"]
    assert all(-5 <= x <= 5 for x in grid["x0"]) and len(set(grid["x0"])) == len(grid["x0"])
    # levels sit inside the range, on the log scale for a log dimension
    log_grid = to_grid({"C": Real(1e-3, 1e3, log=True), "g": Real(1e-3, 1e3, log=True)}, 9)
    assert log_grid["C"] == pytest.approx([1e-2, 1.0, 1e2])
    # an integer never gets more levels than it has values
    small = to_grid({"n": Integer(1, 3), "x": Real(0.0, 1.0)}, 30)
    assert small["n"] == [1, 2, 3] and grid_size(small) <= 30
    assert to_grid({"k": Categorical(list("abcdef"))}, 4) == {"k": list("abcd")}


@pytest.mark.parametrize("n_iter, expected", [(50, (10, 2)), (30, (6, 2)), (40, (8, 2)),
                                              (12, (4, 1))])
def test_genetic_schedule_spends_the_budget(n_iter, expected):
    population, generations = genetic_schedule(n_iter)
    assert (population, generations) == expected
    assert population * (1 + 2 * generations) == n_iter


def test_genetic_schedule_rounds_up_when_it_must():
    population, generations = genetic_schedule(23)
    assert population >= 4
    assert 23 <= population * (1 + 2 * generations) <= 27


def test_scipy_translation_keeps_bounds_and_scales():
    space = {"x": Real(-2.0, 3.0), "c": Real(1e-3, 1e3, log=True), "n": Integer(1, 5),
             "m": Integer(1, 1000, log=True), "k": Categorical(["a", None])}
    dists = to_scipy(space)
    rng = np.random.RandomState(0)
    x = dists["x"].rvs(2000, random_state=rng)
    assert x.min() >= -2 and x.max() <= 3
    c = np.log10(dists["c"].rvs(4000, random_state=rng))
    assert abs(np.median(c)) < 0.2  # log-uniform: median at 10^0
    n = dists["n"].rvs(2000, random_state=rng)
    assert set(n) == {1, 2, 3, 4, 5}
    m = dists["m"].rvs(4000, random_state=rng)
    assert m.min() >= 1 and m.max() <= 1000
    assert 0.25 < np.mean(m < 32) < 0.6  # each decade about equally likely
    assert isinstance(LogUniformInteger(1, 9).rvs(random_state=rng), int)
    assert dists["k"] == ["a", None]


def test_ranks_share_ties_and_put_failures_last():
    runs = [
        {"task": "t", "seed": 0, "strategy": "a", "status": "ok", "best_score": 1.0},
        {"task": "t", "seed": 0, "strategy": "b", "status": "ok", "best_score": 1.0},
        {"task": "t", "seed": 0, "strategy": "c", "status": "error"},
        {"task": "t", "seed": 1, "strategy": "a", "status": "ok", "best_score": 0.0},
        {"task": "t", "seed": 1, "strategy": "b", "status": "ok", "best_score": 2.0},
        {"task": "t", "seed": 1, "strategy": "c", "status": "ok", "best_score": 1.0},
    ]
    # seed 0: a and b tie for 1.5, c failed: 3; seed 1: b 1, c 2, a 3
    assert mean_ranks(runs) == {"a": 2.25, "b": 1.25, "c": 2.5}
    regrets = [{**r, "kind": "function", "regret": -r["best_score"]} if "best_score" in r
               else {**r, "kind": "function"} for r in runs]
    assert mean_ranks(regrets, "regret", lower_is_better=True) == mean_ranks(runs)
    table = score_table(regrets, ["a", "b", "c"], "function", "regret", "{:.3g}")
    assert table.splitlines()[2].startswith("| b |")  # best mean rank first


@pytest.mark.parametrize("strategy", ["sksearch-pso", "sklearn-random"])
def test_a_run_is_repeatable(strategy):
    from benchmarks.run import run_one

    first, second = (run_one("test", "mixed", strategy, 3, 10) for _ in range(2))
    assert first["status"] == "ok"
    assert first["curve"] == second["curve"]


def test_speedup_table_reports_medians_and_unavailable_searches():
    from benchmarks.speedup import speedup_table

    results = {
        "sksearch-pso": {"times": {1: [10.0, 12.0, 30.0], 2: [6.0, 5.0, 7.0]}, "same": True},
        "sksearch-ga": {"unavailable": "sksearch._genetic_search cannot be imported"},
    }
    rows = speedup_table(results).splitlines()
    assert rows[2] == "| sksearch-pso | 12.0 | 6.0 | 2.00x | yes |"
    assert rows[3].startswith("| sksearch-ga | - | - | - | unavailable: sksearch._genetic_search")


def test_evaluations_to_match_random_search():
    from benchmarks.report import evaluations_to_match

    def run(strategy, curve, status="ok"):
        return {"task": "t", "seed": 0, "strategy": strategy, "status": status, "n_iter": 4,
                "best_score": max(curve), "curve": curve}

    runs = [run("sklearn-random", [0.1, 0.5, 0.5, 0.7]), run("fast", [0.2, 0.8, 0.9, 0.9]),
            run("slow", [0.1, 0.2, 0.3, 0.4]), run("exact", [0.7, 0.7, 0.7, 0.7])]
    assert evaluations_to_match(runs) == {"sklearn-random": [4], "fast": [2], "slow": [None],
                                          "exact": [1]}


def test_versus_table_counts_wins_ties_and_losses():
    from benchmarks.report import versus_table

    def run(strategy, seed, score, status="ok"):
        return {"task": "t", "seed": seed, "strategy": strategy, "status": status,
                "best_score": score}

    runs = [run("sksearch-x", 0, 1.0), run("other", 0, 0.5),
            run("sksearch-x", 1, 2.0), run("other", 1, 2.0 + 1e-12),
            run("sksearch-x", 2, 0.0, "error"), run("other", 2, -5.0)]
    rows = versus_table(runs, ["sksearch-x", "other"]).splitlines()
    assert rows[2] == "| sksearch-x | 1/1/1 |"


def test_batch_scaling_run_times_each_proposal_round():
    from benchmarks.batch_scaling import run

    task, regret, told, seconds = run(("gp", "branin", 0, 16, 30))
    assert task == ("gp", "branin", 0, 16, 30)
    # the initial design of 10 is left out; batches of 16 wait for each other
    # (only batches of one are asked ahead): they start at 10 and 26 told
    assert told == [10, 26]
    assert len(seconds) == 2 and all(s > 0 for s in seconds)
    assert 0 <= regret < 1.0  # the final regret of the run, branin's basin found


def test_batch_time_ratio_compares_a_batch_with_as_many_single_proposals():
    from benchmarks.batch_scaling import BATCH, batch_time_ratio

    # one-point proposals from 10 to 40 told take 1 s each (2 s from 26 on);
    # a batch at 10 takes 8 s, a batch at 26 takes 16 s, the last one at 42
    # has no sequential proposals to compare with and is left out
    sequential = (list(range(10, 42)), [1.0] * 16 + [2.0] * 16)
    batch = ([10, 26, 42], [8.0, 16.0, 100.0])
    assert batch_time_ratio(sequential, batch) == pytest.approx(24.0 / (BATCH + 2 * BATCH))
    # a window cut short by the end of the sequential run is scaled to a whole batch
    assert batch_time_ratio((list(range(10, 14)), [1.0] * 4), ([10], [4.0])) == pytest.approx(
        4.0 / BATCH)


# ---------------------------------------------------------------- multi-fidelity benchmark
MF_COMPETITORS = {"optuna-hyperband": "optuna", "hpbandster-bohb": "hpbandster"}


@pytest.fixture(scope="module")
def multi_fidelity(tmp_path_factory):
    """The smoke run of the multi-fidelity benchmark on its SVC task (every
    method, one seed) and its report: (output directory, records)."""
    from benchmarks.fidelity_report import write_report
    from benchmarks.multi_fidelity import SMOKE_N_ITER, run_benchmark

    out = tmp_path_factory.mktemp("multi_fidelity")
    records = run_benchmark(out, tasks=["svc"], seeds=1, n_iter=SMOKE_N_ITER, smoke=True,
                            log=lambda line: None)
    write_report(out)
    return out, records


def _mf_run(records, method):
    found = [r for r in records if r["method"] == method]
    assert len(found) == 1, method
    return found[0]


@pytest.mark.parametrize("method", ["sklearn-random", "sklearn-halving", "sksearch-bayes-gp",
                                    "sksearch-bayes-tpe", "sksearch-pso", "sksearch-ga",
                                    "sksearch-bayes-gp-full"])
def test_multi_fidelity_smoke_runs_sklearn_and_sksearch_within_the_budget(multi_fidelity,
                                                                          method):
    _, records = multi_fidelity
    r = _mf_run(records, method)
    assert r["status"] == "ok", r.get("error")
    rows = r["rows"]
    levels = r["levels"]
    assert levels == [20, 60, 180, 540]  # sksearch's own ladder (the run checks it too)
    assert set(rows["n_resources"]) <= set(levels)
    assert r["resource_units"] == sum(rows["n_resources"]) * r["n_splits"]
    # n_iter full-resource fits: never more, and no more than a rung's worth less
    assert 0.9 * r["budget_units"] <= r["resource_units"] <= r["budget_units"]
    assert r["fit_seconds"] == pytest.approx(sum(rows["fit_time"]))
    full = [s for n, s in zip(rows["n_resources"], rows["score"]) if n == levels[-1]]
    assert r["n_full"] == len(full) >= 1
    assert r["best_score"] == max(full)
    assert 0.5 < r["test_score"] <= 1.0
    if method in ("sklearn-random", "sksearch-bayes-gp-full"):
        assert set(rows["n_resources"]) == {levels[-1]} and r["n_full"] == r["n_iter"]
    else:  # multi-fidelity: more candidates than full-resource fits, most of them cheap
        assert r["n_candidates"] > r["n_iter"]


@pytest.mark.parametrize("method", sorted(MF_COMPETITORS))
def test_multi_fidelity_smoke_runs_the_competitors_within_the_budget(multi_fidelity, method):
    _, records = multi_fidelity
    r = _mf_run(records, method)
    if r["status"] == "unavailable":
        pytest.importorskip(MF_COMPETITORS[method])  # skips: the library is missing
        pytest.fail(f"{method} is importable but was reported unavailable: {r['reason']}")
    assert r["status"] == "ok", r.get("error")
    n = r["rows"]["n_resources"]
    assert set(n) <= set(r["levels"]) and r["levels"][-1] in n
    assert r["resource_units"] <= r["budget_units"]  # the study stops before overspending
    assert r["resource_units"] >= r["budget_units"] - 2 * r["levels"][-1] * r["n_splits"]
    assert r["n_candidates"] > r["n_full"]  # cheap rungs pruned some candidates


def test_multi_fidelity_report_has_every_method_the_targets_and_plots(multi_fidelity):
    out, records = multi_fidelity
    report = (out / "report.md").read_text()
    table = report.split("### svc")[1].split("###")[0]
    rows = {line.split("|")[1].strip() for line in table.splitlines()
            if line.startswith("| ") and "---" not in line}
    assert {r["method"] for r in records if r["status"] == "ok"
            and r["method"] != "rung-correlation"} <= rows
    targets = report.split("### Targets")[1].split("###")[0]
    assert "| **sksearch-bayes-gp** | svc |" in targets
    assert "sklearn-halving" in targets and "Spearman" in report
    png = out / "plots" / "multi_fidelity_svc.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rungs = _mf_run(records, "rung-correlation")
    assert set(rungs["spearman_with_full"]) == {"20", "60", "180"}
    assert all(-1 <= v <= 1 for v in rungs["spearman_with_full"].values())


def test_multi_fidelity_benchmark_continues_from_its_cache(multi_fidelity):
    from benchmarks.multi_fidelity import SMOKE_N_ITER, run_benchmark

    out, records = multi_fidelity
    lines = []
    again = run_benchmark(out, tasks=["svc"], seeds=1, n_iter=SMOKE_N_ITER, smoke=True,
                          log=lines.append)
    assert lines[0].startswith("0 runs to do")
    assert [r["method"] for r in again] == [r["method"] for r in records]


def test_anytime_curve_reads_best_full_resource_score_against_cost():
    from benchmarks.fidelity_report import best_at, cost_to_reach, curve

    record = {"levels": [1, 3, 9], "n_splits": 2,
              "rows": {"n_resources": [1, 1, 3, 9, 9, 3], "fit_time": [1, 1, 2, 5, 5, 2],
                       "score": [0.99, 0.5, 0.7, 0.6, None, 0.95], "candidate": [0] * 6}}
    units, best = curve(record, "units")
    assert units.tolist() == [2, 4, 10, 28, 46, 52]
    assert best.tolist() == [-np.inf, -np.inf, -np.inf, 0.6, 0.6, 0.6]  # full resource only
    seconds, _ = curve(record, "seconds")
    assert seconds.tolist() == [1, 2, 4, 9, 14, 16]
    assert best_at(record, 27, "units") == -np.inf and best_at(record, 28, "units") == 0.6
    assert cost_to_reach(record, 0.6, "seconds") == 9
    assert cost_to_reach(record, 0.61, "units") == np.inf


@pytest.mark.parametrize("levels", [[9, 27, 81, 243], [2, 6, 18, 54], [100, 300, 900, 2700]])
def test_halving_candidates_spend_the_budget_and_reach_the_full_resource(levels):
    import math

    from benchmarks.fidelity_methods import halving_candidates

    def cost(n):
        total = 0
        for resource in levels:
            total, n = total + n * resource, math.ceil(n / 3)
        return total

    n = halving_candidates(levels, 30)
    assert cost(n) <= 30 * levels[-1] < cost(n + 1)
    assert 1 + math.floor(math.log(n, 3)) >= len(levels)  # scikit-learn climbs every rung


def test_bohb_iterations_cover_the_budget_with_hyperbands_brackets():
    from benchmarks.fidelity_methods import bohb_iterations

    # hpbandster's brackets s = 3, 2, 1, 0 on 4 levels (eta 3) start 27, 9, 6 and 4
    # configurations (n_0 = floor(4 / (s + 1)) * 3 ** s) and cost 4, 3, 4 and 4
    # full-resource fits
    levels = [1, 3, 9, 27]
    assert [bohb_iterations(levels, b) for b in (4, 7, 7.5, 11, 15, 15.5)] == [1, 2, 3, 3, 4, 5]


def test_drop_probability_follows_how_well_a_rung_ranks():
    from benchmarks.fidelity_report import drop_probability

    rng = np.random.default_rng(0)
    truth = rng.normal(size=400)
    same = np.c_[truth, truth, truth]  # every rung ranks as the next: never dropped
    assert drop_probability(same, 0, [1, 3, 9], n_draws=200) == 0.0
    # a rung unrelated to the next: dropped unless chance makes its 8 pairs agree
    unrelated = np.c_[truth, rng.normal(size=400), rng.normal(size=400)]
    assert 0.6 < drop_probability(unrelated, 0, [1, 3, 9], n_draws=200) < 0.9
    assert drop_probability(same[:12], 0, [1, 3, 9]) == 0.0  # too few to judge


def test_near_duplicates_are_pairs_equal_but_for_floats_within_the_tolerance():
    from benchmarks.near_duplicates import count

    params = [{"C": 1.0, "kernel": "rbf"}, {"C": 1.000001, "kernel": "rbf"},
              {"C": 1.000001, "kernel": "linear"}, {"C": 2.0, "kernel": "rbf"},
              {"C": 1.0, "kernel": "rbf", "degree": 3}]
    pairs, smallest = count(params, rtol=1e-5)
    assert pairs == 1  # the first two; the third differs in its kernel
    assert smallest == pytest.approx(1e-6, rel=1e-3)
    assert count(params, rtol=1e-7)[0] == 0


def test_performance_report_has_every_table_in_one_run(tmp_path):
    out = tmp_path / "performance.md"
    subprocess.run([sys.executable, "-m", "benchmarks.performance", "--smoke", "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    report = out.read_text()
    for title in ("## Shifted functions: median regret", "## Bayesmark-style suite",
                  "## Time per proposal", "## Near-duplicate candidates",
                  "## Batches of 16", "## Speedup of n_jobs=2"):
        assert title in report
    # what the side-by-side records say of sksearch's GP and TPE, and the GA's score
    assert "sksearch GP / best competitor (at or below 1 on" in report
    assert "sksearch TPE at or below Optuna's TPE on" in report
    assert "| sksearch-ga |" in report
    assert "| sksearch-pso |" in report and "| sklearn-random |" in report


@pytest.mark.parametrize("strategy", ["gp", "tpe"])
def test_the_constraints_benchmark_evaluates_only_feasible_points(strategy, monkeypatch):
    import benchmarks.constraints as bench
    from sksearch._testing import make_function

    loops = []

    def minimize(optimizer, function, budget):  # the benchmark's, keeping its loop
        return real(optimizer, function, budget, before_ask=loops.append)

    real = bench.minimize
    monkeypatch.setattr(bench, "minimize", minimize)
    feasible = bench.linear_cut(make_function("branin", seed=0))
    for variant in ("reject", "repair"):
        value = bench.run("branin", strategy, variant, seed=0, budget=14)
        rows = np.array([np.frombuffer(key) for key in loops[-1].scores])
        assert len(rows) == 14 and feasible(rows).all() and np.isfinite(value)
