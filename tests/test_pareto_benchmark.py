"""The benchmark of several objectives runs in its smoke mode (Optuna's methods only if installed)."""

import importlib.util

import numpy as np

from benchmarks import pareto_functions


def test_smoke_mode_reports_every_available_method(tmp_path):
    out = tmp_path / "pareto.md"
    results = pareto_functions.main(["--smoke", "--out", str(out)])
    methods = {method for _, method in results}
    sksearch = {"random", "sksearch-ga", "sksearch-pso", "sksearch-gp", "sksearch-tpe"}
    assert sksearch <= methods
    has_optuna = importlib.util.find_spec("optuna") is not None
    assert ({"optuna-nsga2", "optuna-tpe"} <= methods) == has_optuna
    assert "optuna-gp" not in methods  # too slow for a smoke run
    for regrets, _ in results.values():
        assert len(regrets) == 1 and np.all(np.isfinite(regrets)) and regrets[0] > 0
    text = out.read_text()
    assert all(f"| {m} |" in text for m in methods)


def test_available_drops_optuna_methods_without_optuna(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "optuna" else real(name, *a))
    assert pareto_functions.available(["random", "optuna-tpe", "optuna-gp"]) == ["random"]


def test_tuning_smoke_mode_records_every_available_method(tmp_path):
    from benchmarks import pareto_tuning

    out, path = tmp_path / "tuning.md", tmp_path / "tuning.jsonl"
    records = pareto_tuning.main(["--smoke", "--out", str(out), "--records", str(path)])
    methods = {r["method"] for r in records}
    assert {"random", *pareto_tuning.SKSEARCH} <= methods
    has_optuna = importlib.util.find_spec("optuna") is not None
    assert ({"optuna-nsga2", "optuna-tpe"} <= methods) == has_optuna
    assert "optuna-gp" not in methods  # too slow for a smoke run
    for r in records:
        values = np.array(r["values"])
        assert values.shape == (12, 2) and np.all((values[:, 0] > 0) & (values[:, 0] <= 1))
        assert np.all(values[:, 1] >= 2)  # every boosted model has at least one split
    assert len(path.read_text().splitlines()) == len(records)
    assert all(f"| {m} |" in out.read_text() for m in methods)
    assert pareto_tuning.main(["--report-from", str(path)]) == records


def test_task_hypervolume_is_normalized_by_the_stated_bounds():
    from benchmarks.pareto_tasks import make_task

    task = make_task("forest")  # score bounds (0.3, 1.0), size bounds (10, 10000)
    assert task.hypervolume([[1.0, 10.0]]) == 1.0
    assert task.hypervolume([[0.3, 5.0]]) == 0.0  # the worst score adds nothing
    assert np.isclose(task.hypervolume([[0.65, 100.0]]), 0.5 * (1 - 1 / 3))
    assert np.isclose(task.hypervolume([[0.65, 100.0], [0.65, 1e6]]), 0.5 * (1 - 1 / 3))


def test_tuning_ask_tell_methods_give_scores_and_sizes_in_order():
    from benchmarks import pareto_tuning
    from benchmarks.pareto_tasks import make_task

    task = make_task("linear")
    values = pareto_tuning.METHODS["ask-tell-ga"](task, 0, 4)
    assert values.shape == (4, 2) and len({tuple(v) for v in values}) == 4
    assert np.all((values[:, 0] > 0) & (values[:, 0] <= 1)) and np.all(values[:, 1] <= 640)
