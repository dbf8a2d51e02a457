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
