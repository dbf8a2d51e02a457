"""Warm starts: known settings evaluated first, or an earlier search's results reused.

``initial_candidates`` is either a list of parameter dicts (evaluated as the
first batch, then told to the optimizer) or a fitted sksearch search whose
candidates and per-split scores are reused without fitting anything, when
it was fitted on the same data, folds, estimator and scoring.
"""

from collections.abc import Mapping

import numpy as np

#: Fingerprint fields that must match for an earlier search's scores to be reused.
REUSE_FIELDS = ("estimator", "estimator_params", "scoring", "objective", "error_score",
                "return_train_score", "cv", "data", "fit_params")


def initial_batch(initial_candidates, space, header, splits, full=None):
    """The cube points of the warm start, and their records when they are reused.

    Parameters
    ----------
    initial_candidates : list of dict, fitted search or None
    space : Space
    header : dict
        The fingerprint of the fit being run.
    splits : list of (train, test)
    full : dict, default=None
        What a full-resource evaluation of this search is: ``{"n_samples":
        n}`` and the estimator's parameters (a multi-fidelity search's
        resource at its ``max_resources``). Only the rows an earlier
        multi-fidelity search evaluated at this are reused.

    Returns
    -------
    X : ndarray of shape (n, n_dims) or None
    candidates : list of dict or None
        The parameter dicts as given: they are fitted as they are (their
        cube points may decode to values a rounding away).
    records : list of dict or None
        Per-split records (candidate-major) of an earlier search, or None
        when the candidates are to be evaluated.
    """
    if initial_candidates is None:
        return None, None, None
    if hasattr(initial_candidates, "cv_results_") or hasattr(initial_candidates, "fit"):
        return _reused(initial_candidates, space, header, splits, full or {})
    candidates = list(initial_candidates)
    if not candidates:
        raise ValueError("initial_candidates is empty: give parameter dicts, or None")
    candidates = [dict(c) if isinstance(c, Mapping) else c for c in candidates]
    return _encode(candidates, space, "initial_candidates"), candidates, None


def _encode(candidates, space, where):
    rows = []
    for i, params in enumerate(candidates):
        if not isinstance(params, Mapping):
            raise TypeError(f"{where}[{i}] must be a dict of parameters, got {params!r}")
        try:
            rows.append(space.encode([dict(params)])[0])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"{where}[{i}] = {dict(params)!r} is not a candidate of param_distributions: "
                f"{exc}"
            ) from None
    return np.array(rows)


def _reused(search, space, header, splits, full):
    name = type(search).__name__
    other = getattr(search, "_fingerprint", None)
    if other is None or not hasattr(search, "cv_results_"):
        raise ValueError(
            f"initial_candidates={name}(...) can be reused only once it is fitted, and only "
            "if it is an sksearch search (its results are bound to its data and folds); "
            "pass its candidates as a list of dicts to evaluate them again: "
            "initial_candidates=search.cv_results_['params']"
        )
    for whose, fingerprint in (("its", other), ("this search's", header)):
        for param, why in fingerprint.get("unidentifiable", {}).items():
            if param.split("[")[0] in REUSE_FIELDS:
                raise ValueError(
                    f"initial_candidates: the results of {name} cannot be reused: {whose} "
                    f"{param} cannot be identified ({why}), so whether its scores are "
                    "comparable cannot be told. Pass its candidates as a list of dicts to "
                    "evaluate them again: initial_candidates=search.cv_results_['params']"
                )
    for field in REUSE_FIELDS:
        if other.get(field) != header.get(field):
            raise ValueError(
                f"initial_candidates: the results of {name} cannot be reused: its {field} "
                "differs from this search's (the scores would not be comparable). Pass its "
                "candidates as a list of dicts to evaluate them again: "
                "initial_candidates=search.cv_results_['params']"
            )
    results = search.cv_results_
    kept, params = _full_resource_rows(search, full)
    X = _encode(params, space, "initial_candidates (the earlier search's params)")
    metrics = sorted(k[len("mean_test_"):] for k in results if k.startswith("mean_test_"))
    records = []
    for i in kept:
        for k, (_, test) in enumerate(splits):
            test_scores = {m: float(results[f"split{k}_test_{m}"][i]) for m in metrics}
            record = {"test_scores": test_scores, "n_test_samples": len(test),
                      "fit_time": float(results["mean_fit_time"][i]),
                      "score_time": float(results["mean_score_time"][i]),
                      "fit_error": None}
            if header["return_train_score"]:
                record["train_scores"] = {m: float(results[f"split{k}_train_{m}"][i])
                                          for m in metrics}
            if not all(np.isfinite(v) for v in test_scores.values()):
                record["fit_error"] = f"the candidate failed or scored {test_scores} in {name}"
            if metrics == ["score"]:
                record = {**record, "test_scores": test_scores["score"]}
                if "train_scores" in record:
                    record["train_scores"] = record["train_scores"]["score"]
            records.append(record)
    return X, params, records


def _full_resource_rows(search, full):
    """Rows of an earlier search evaluated as this one evaluates at full cost, and
    their parameters (without the earlier search's resource)."""
    results = search.cv_results_
    rows = list(range(len(results["params"])))
    if "n_resources" not in results:
        return rows, list(results["params"])
    name, top = search.resource, search.max_resources_
    if full.get(name) != top:
        raise ValueError(
            f"initial_candidates: the results of {type(search).__name__} were evaluated at "
            f"most at {name}={top}, and this search evaluates candidates at "
            f"{name}={full.get(name)}; they are not comparable. Pass its candidates as a "
            "list of dicts to evaluate them again."
        )
    rows = [i for i in rows if results["n_resources"][i] == top]
    params = [{k: v for k, v in results["params"][i].items() if k != name} for i in rows]
    return rows, params
