"""Run a benchmark suite: every strategy on every task and seed, then the report.

Usage (from the repository root)::

    python -m benchmarks.run --suite smoke            # < 1 minute, part of the tests
    python -m benchmarks.run --suite quick            # a few minutes
    python -m benchmarks.run --suite full --jobs 2 --out benchmarks/results

Each (task, strategy, seed) run is one JSON line of ``results.jsonl`` in the
output directory (default ``benchmarks/out/<suite>``), followed by
``report.md`` (tables) and ``plots/*.png`` (convergence). A strategy whose
library is missing is reported as unavailable, never silently dropped.
Every search runs with ``n_jobs=1`` and BLAS/OpenMP limited to one thread;
``--jobs 2`` runs two searches at a time in separate processes.
"""

import argparse
import dataclasses
import json
import multiprocessing
import os
import sys
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
from sklearn.metrics import check_scoring

from .competitors import STRATEGIES
from .report import environment, write_report
from .tasks import SUITES, TASKS

#: Fields of every record of a finished run (tests check them).
RECORD_FIELDS = (
    "suite", "task", "kind", "strategy", "library", "seed", "n_iter", "status",
    "n_evaluated", "n_distinct", "best_score", "f_min", "regret", "test_score", "curve",
    "wall_time", "cpu_time", "fit_time", "score_time", "refit_time", "optimizer_time",
    "optimizer_time_how", "other_time", "stop_reason",
)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", choices=sorted(SUITES), default="smoke")
    parser.add_argument("--out", type=Path, help="output directory "
                        "(default: benchmarks/out/<suite>)")
    parser.add_argument("--strategies", help="comma-separated names (default: all): "
                        + ", ".join(STRATEGIES))
    parser.add_argument("--tasks", help="comma-separated task names (default: the suite's)")
    parser.add_argument("--jobs", type=int, default=1, choices=(1, 2),
                        help="searches run at the same time, one process each")
    parser.add_argument("--seeds", type=int, help="seeds per task (default: the suite's)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the records already in results.jsonl and run the rest")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).parent / "out" / args.suite
    names = _pick(args.strategies, STRATEGIES)
    tasks = _pick(args.tasks, TASKS) if args.tasks else None
    run_suite(args.suite, out, names, tasks=tasks, jobs=args.jobs, resume=args.resume,
              seeds=args.seeds)


def run_suite(suite_name, out, strategies=None, *, tasks=None, jobs=1, resume=False,
              seeds=None, log=print):
    """Run ``suite_name`` into directory ``out``; return the records.

    ``seeds`` replaces the suite's number of seeds per task (seeds
    ``0 .. seeds - 1``; with ``resume``, the runs already there are kept).
    """
    suite = SUITES[suite_name]
    if seeds is not None:
        suite = dataclasses.replace(suite, function_seeds=seeds, real_seeds=seeds)
    strategies = list(strategies or STRATEGIES)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.jsonl"
    records = [r for r in (_read(path) if resume and path.exists() else [])
               if r["status"] == "ok"]  # a resumed suite runs failed runs again
    done = {(r["task"], r["strategy"], r["seed"]) for r in records}
    with path.open("w") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")
    earlier = 0.0  # wall time of the interrupted attempts of a resumed suite
    if resume and (out / "meta.json").exists():
        earlier = json.loads((out / "meta.json").read_text()).get("seconds", 0.0)
    meta = {"suite": suite_name, "strategies": strategies, "jobs": jobs, "seconds": earlier,
            "load_average": {"start": os.getloadavg(), "end": None},
            "environment": environment()}
    started = time.time()

    available = []
    for name in strategies:
        reason = STRATEGIES[name].unavailable()
        if reason is None:
            available.append(name)
        else:
            log(f"{name}: unavailable: {reason}")
            records.append(_append(path, {"suite": suite_name, "task": None, "strategy": name,
                                          "library": STRATEGIES[name].library, "seed": None,
                                          "status": "unavailable", "reason": reason}))
    todo = [(suite_name, task, name, seed, n_iter)
            for task, seed, n_iter in suite.jobs() if tasks is None or task in tasks
            for name in available if (task, name, seed) not in done]
    # the longest runs first, so that two workers finish together
    todo.sort(key=lambda job: (job[2] != "skopt-bayes", TASKS[job[1]].kind != "real"))
    log(f"suite {suite_name}: {len(todo)} runs of {len(available)} strategies, {jobs} at a time")
    for i, record in enumerate(_execute(todo, jobs), 1):
        records.append(_append(path, record))
        log(_describe(record, i, len(todo)))
        _write_meta(out, meta, earlier + time.time() - started)
    _write_meta(out, meta, earlier + time.time() - started)
    elapsed = meta["seconds"]
    write_report(records, out, meta)
    log(f"suite {suite_name} done in {elapsed / 60:.1f} min: {out / 'report.md'}")
    return records


def run_one(suite_name, task_name, strategy_name, seed, n_iter):
    """One search: the record of ``strategy_name`` on ``task_name`` with ``seed``."""
    from threadpoolctl import threadpool_limits

    task, strategy = TASKS[task_name], STRATEGIES[strategy_name]
    record = {"suite": suite_name, "task": task_name, "kind": task.kind,
              "strategy": strategy_name, "library": strategy.library, "seed": seed,
              "n_iter": n_iter, "optimizer_time_how": strategy.optimizer_time_how}
    instance = task.build(seed)
    cpu_start = time.process_time()
    try:
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trace = strategy.run(instance, n_iter, seed)
            test_score = None
            if instance.X_test is not None:
                scorer = check_scoring(trace.best_estimator, instance.scoring)
                test_score = float(scorer(trace.best_estimator, instance.X_test,
                                          instance.y_test))
    except Exception as exc:  # a failing strategy is a result, not a crash
        lines = traceback.format_exception_only(type(exc), exc)
        return {**record, "status": "error", "error": "".join(lines).strip()[-2000:]}
    cpu_time = time.process_time() - cpu_start
    scores = np.asarray(trace.scores, dtype=float)
    curve = np.fmax.accumulate(np.where(np.isnan(scores), -np.inf, scores)).tolist()
    best = float(np.nanmax(scores)) if np.any(np.isfinite(scores)) else None
    own = trace.fit_time + trace.score_time + trace.refit_time + trace.optimizer_time
    return {
        **record,
        "status": "ok",
        "n_evaluated": len(scores),
        "n_distinct": trace.n_distinct,
        "best_score": best,
        "f_min": instance.f_min,
        "regret": None if instance.f_min is None or best is None else -best - instance.f_min,
        "test_score": test_score,
        "curve": [c if np.isfinite(c) else None for c in curve],
        "wall_time": trace.wall_time,
        "cpu_time": cpu_time,
        "fit_time": trace.fit_time,
        "score_time": trace.score_time,
        "refit_time": trace.refit_time,
        "optimizer_time": trace.optimizer_time,
        "other_time": trace.wall_time - own,
        "stop_reason": trace.stop_reason,
    }


def _execute(todo, jobs):
    if jobs == 1:
        for job in todo:
            yield run_one(*job)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(run_one, *job) for job in todo]
        for future in as_completed(futures):
            yield future.result()


def _write_meta(out, meta, seconds):
    meta.update(seconds=seconds)
    meta["load_average"]["end"] = os.getloadavg()
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")


def _append(path, record):
    with path.open("a") as f:
        f.write(json.dumps(record) + "\n")
    return record


def _read(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _pick(text, known):
    if text is None:
        return list(known)
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        sys.exit(f"unknown names {unknown}; known: {', '.join(known)}")
    return names


def _describe(record, i, n):
    head = f"[{i}/{n}] {record['task']} {record['strategy']} seed={record['seed']}"
    if record["status"] != "ok":
        return f"{head}: {record['status']}: {record.get('error', '')[-300:]}"
    return (f"{head}: best {record['best_score']:.6g} in {record['n_evaluated']} evaluations, "
            f"{record['wall_time']:.1f}s (optimizer {record['optimizer_time']:.2f}s)")


if __name__ == "__main__":
    main()
