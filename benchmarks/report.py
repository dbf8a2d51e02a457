"""The benchmark report: markdown tables, convergence plots and the machine it ran on.

Reads only the records of :mod:`benchmarks.run` (one dict per run), so a
report can be rebuilt from a ``results.jsonl`` at any time::

    python -m benchmarks.report benchmarks/out/quick

Quality is the best mean CV score a search found. On function tasks it is
shown as the regret, the best value found minus the function's minimum
(lower is better; 0 is the optimum). Ranks are taken per (task, seed) among
the strategies that ran, ties sharing their mean rank and a failed run
ranked last, then averaged.
"""

import datetime
import json
import os
import platform
import subprocess
import sys
from collections import defaultdict
from importlib import metadata
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

#: Distributions whose versions the report states.
LIBRARIES = ("sksearch", "numpy", "scipy", "scikit-learn", "joblib", "scikit-optimize",
             "optuna", "optuna-integration", "sklearn-genetic-opt", "deap", "nevergrad",
             "matplotlib")


def environment():
    """The machine, the date and the library versions, as a dict."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = _module_version(name)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gb": _ram_gb(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": versions,
        **_git_state(),
    }


def _git_state():
    """The commit of sksearch the run used, and its files changed since that commit."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", "sksearch"], cwd=root,
                                 capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    return {"commit": commit, "uncommitted": [line[3:] for line in changed.splitlines()]}


def write_report(records, out, meta):
    """Write ``report.md`` and ``plots/*.png`` for ``records`` into directory ``out``."""
    out = Path(out)
    runs = [r for r in records if r["status"] != "unavailable"]
    plots = convergence_plots(runs, out / "plots")
    text = report_markdown(records, meta, plots={k: p.relative_to(out) for k, p in plots.items()})
    (out / "report.md").write_text(text)
    return text


def report_markdown(records, meta, plots=None):
    """The report as markdown text."""
    runs = [r for r in records if r["status"] != "unavailable"]
    strategies = sorted(dict.fromkeys(r["strategy"] for r in runs), key=_order)
    env = meta["environment"]
    lines = [
        f"# Benchmark: suite `{meta['suite']}`",
        "",
        f"{env['date']}; {meta['seconds'] / 60:.1f} min wall with {meta['jobs']} "
        "search(es) at a time; every search with `n_jobs=1` and one BLAS thread. "
        f"Load average {_load(meta, 'start')} at the start, {_load(meta, 'end')} at the end "
        "(the machine is shared: wall times carry the load, CPU times much less).",
        "",
        machine_markdown(env),
        "",
    ]
    unavailable = [r for r in records if r["status"] == "unavailable"]
    if unavailable:
        lines += ["**Not run** (library missing or broken):", ""]
        lines += [f"- `{r['strategy']}`: {r['reason']}" for r in unavailable] + [""]
    errors = [r for r in runs if r["status"] == "error"]
    if errors:
        lines += [f"**Failed runs** ({len(errors)}; ranked last):", ""]
        lines += [f"- `{r['strategy']}` on {r['task']} seed {r['seed']}: "
                  f"`{r['error'].splitlines()[-1][:200]}`" for r in errors[:20]] + [""]
    for kind, title, field, fmt in [
        ("function", "Function tasks: regret (best value found - minimum; lower is better)",
         "regret", "{:.3g}"),
        ("real", "Real tasks: best mean CV score (higher is better)", "best_score", "{:.4f}"),
        ("real", "Real tasks: held-out test score of `best_estimator_` (higher is better)",
         "test_score", "{:.4f}"),
    ]:
        table = score_table(runs, strategies, kind, field, fmt)
        if table:
            budget = sorted({r["n_iter"] for r in runs if r.get("kind") == kind})
            seeds = len({r["seed"] for r in runs if r.get("kind") == kind})
            lines += [f"## {title}", "",
                      f"Median [interquartile range] over {seeds} seed(s), n_iter={budget}; "
                      "mean rank over tasks and seeds.", "", table, ""]
    if runs:
        lines += ["## Overall mean rank (best CV score, every task and seed)", "",
                  rank_table(runs, strategies), ""]
        versus = versus_table(runs, strategies)
        if versus:
            lines += ["## sksearch against each other strategy", "",
                      "Wins/ties/losses of each sksearch search over the (task, seed) pairs, "
                      "by best mean CV score (a tie: equal to 1e-9 relative).", "",
                      versus, ""]
        matched = match_table(runs, strategies)
        if matched:
            lines += [f"## Evaluations to match random search ({REFERENCE})", "",
                      "For each task and seed: how many evaluations a strategy needs to reach "
                      f"the best CV score that `{REFERENCE}` finds with the whole budget: "
                      "median over tasks and seeds, a run that never reaches it counting as "
                      "infinitely many (*never* when that is the median); *reached* counts "
                      "the runs that get there.", "",
                      matched, ""]
        lines += ["## Time", "", time_table(runs, strategies), "", _TIME_NOTE, ""]
    if plots:
        lines += ["## Convergence (median best so far, band: interquartile range)", ""]
        lines += [f"![{task}]({path.as_posix()})" for task, path in plots.items()] + [""]
    return "\n".join(lines)


_TIME_NOTE = (
    "Times are medians per run, in seconds. *CPU* is the process time of the run "
    "(one process: time other processes take from it does not count). *fits* is the "
    "time in `fit` and scoring over all folds (from `cv_results_`, Optuna's trial attributes or "
    "sklearn-genetic-opt's logbook); *optimizer* is the strategy's own proposing and "
    "learning (ask/tell timed by a proxy for sksearch, nevergrad and scikit-optimize; "
    "every sampler call for Optuna; search time minus time in `evaluate` for "
    "sklearn-genetic-opt; drawing the same candidates again for random and grid "
    "search); *other* is wall - fits - refit - optimizer (dispatch, cloning, "
    "bookkeeping)."
)


def _load(meta, when):
    values = meta.get("load_average", {}).get(when)
    return "/".join(f"{v:.1f}" for v in values) if values else "unknown"


def machine_markdown(env):
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    text = (f"Machine: {env['nproc']} CPUs ({env['cpu']}), {env['ram_gb']} GB RAM, "
            f"Python {env['python']}, {env['platform']}.  \nVersions: {versions}.")
    if env.get("commit"):
        text += f"  \nsksearch at commit {env['commit']}"
        changed = env.get("uncommitted")
        text += f", with uncommitted changes to {', '.join(changed)}." if changed else "."
    return text


def score_table(runs, strategies, kind, field, fmt):
    """Markdown table: strategies x tasks of median [q1, q3] of ``field``, plus mean rank."""
    runs = [r for r in runs if r.get("kind") == kind]
    tasks = list(dict.fromkeys(r["task"] for r in runs))
    if not tasks:
        return ""
    lower_is_better = field == "regret"
    ranks = mean_ranks(runs, field, lower_is_better)
    header = "| strategy | " + " | ".join(tasks) + " | mean rank |"
    lines = [header, "|" + "---|" * (len(tasks) + 2)]
    for name in sorted(strategies, key=lambda s: ranks.get(s, np.inf)):
        cells = []
        for task in tasks:
            values = [r[field] for r in runs if r["task"] == task and r["strategy"] == name
                      and r["status"] == "ok" and r[field] is not None]
            if values:
                q1, med, q3 = np.percentile(values, [25, 50, 75])
                cells.append(f"{fmt.format(med)} [{fmt.format(q1)}, {fmt.format(q3)}]")
            else:
                cells.append("-")
        rank = f"{ranks[name]:.2f}" if name in ranks else "-"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {rank} |")
    return "\n".join(lines)


def mean_ranks(runs, field="best_score", lower_is_better=False):
    """Strategy -> rank averaged over (task, seed) groups; failed runs rank last."""
    groups = defaultdict(dict)
    for r in runs:
        value = r.get(field) if r["status"] == "ok" else None
        worst = np.inf if lower_is_better else -np.inf
        value = worst if value is None else value
        groups[(r["task"], r["seed"])][r["strategy"]] = value if lower_is_better else -value
    ranks = defaultdict(list)
    for group in groups.values():
        names = list(group)
        for name, rank in zip(names, rankdata([group[n] for n in names])):
            ranks[name].append(rank)
    return {name: float(np.mean(values)) for name, values in ranks.items()}


def rank_table(runs, strategies):
    """Markdown table of the mean rank by best CV score, per task kind and overall."""
    kinds = [k for k in ("function", "real") if any(r.get("kind") == k for r in runs)]
    by_kind = {k: mean_ranks([r for r in runs if r.get("kind") == k]) for k in kinds}
    overall = mean_ranks(runs)
    lines = ["| strategy | " + " | ".join(f"{k} tasks" for k in kinds) + " | all |",
             "|" + "---|" * (len(kinds) + 2)]
    for name in sorted(strategies, key=lambda s: overall.get(s, np.inf)):
        cells = [f"{by_kind[k][name]:.2f}" if name in by_kind[k] else "-" for k in kinds]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {overall.get(name, np.nan):.2f} |")
    return "\n".join(lines)


def versus_table(runs, strategies):
    """Markdown table: sksearch strategies (rows) against the others: wins/ties/losses."""
    ours = [s for s in strategies if s.startswith("sksearch")]
    others = [s for s in strategies if not s.startswith("sksearch")]
    if not ours or not others:
        return ""
    best = defaultdict(dict)
    for r in runs:
        ok = r["status"] == "ok" and r["best_score"] is not None
        best[(r["task"], r["seed"])][r["strategy"]] = r["best_score"] if ok else -np.inf
    lines = ["| sksearch | " + " | ".join(others) + " |", "|" + "---|" * (len(others) + 1)]
    for mine in ours:
        cells = []
        for other in others:
            pairs = [(g[mine], g[other]) for g in best.values() if mine in g and other in g]
            tied = [a == b or bool(np.isclose(a, b, rtol=1e-9, atol=1e-12)) for a, b in pairs]
            wins = sum(a > b and not tie for (a, b), tie in zip(pairs, tied))
            cells.append(f"{wins}/{sum(tied)}/{len(pairs) - wins - sum(tied)}")
        lines.append(f"| {mine} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: The strategy whose final best score the others race to (the usual baseline).
REFERENCE = "sklearn-random"


def evaluations_to_match(runs, reference=REFERENCE):
    """Strategy -> list over (task, seed) of the evaluations needed to reach the
    reference's final best score (``None``: never reached within the budget)."""
    targets = {(r["task"], r["seed"]): r["best_score"] for r in runs
               if r["strategy"] == reference and r["status"] == "ok"}
    needed = defaultdict(list)
    for r in runs:
        target = targets.get((r["task"], r["seed"]))
        if target is None:
            continue
        curve = [-np.inf if c is None else c for c in r.get("curve") or []][: r["n_iter"]]
        hits = [i for i, c in enumerate(curve) if c >= target]
        needed[r["strategy"]].append(hits[0] + 1 if r["status"] == "ok" and hits else None)
    return needed


def match_table(runs, strategies):
    """Markdown table of :func:`evaluations_to_match`, per task kind."""
    kinds = [k for k in ("function", "real") if any(r.get("kind") == k for r in runs)]
    per_kind = {k: evaluations_to_match([r for r in runs if r.get("kind") == k]) for k in kinds}
    if not any(per_kind.values()):
        return ""
    budgets = {k: sorted({r["n_iter"] for r in runs if r.get("kind") == k}) for k in kinds}
    lines = ["| strategy | " + " | ".join(f"{k} tasks (n_iter={budgets[k]})" for k in kinds)
             + " |", "|" + "---|" * (len(kinds) + 1)]
    for name in strategies:
        cells = []
        for kind in kinds:
            values = per_kind[kind].get(name, [])
            if not values:
                cells.append("-")
                continue
            median = np.median([np.inf if v is None else v for v in values])
            median = f"{median:.0f}" if np.isfinite(median) else "never"
            reached = sum(v is not None for v in values)
            cells.append(f"{median} (reached {reached}/{len(values)})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def time_table(runs, strategies):
    """Markdown table of median times per run, function and real tasks apart."""
    columns = [("function", "optimizer_time", "function: optimizer"),
               ("function", "cpu_time", "function: CPU"),
               ("function", "wall_time", "function: wall"),
               ("real", "wall_time", "real: wall"),
               ("real", "cpu_time", "real: CPU"),
               ("real", "fits", "real: fits"),
               ("real", "optimizer_time", "real: optimizer"),
               ("real", "other_time", "real: other")]
    columns = [c for c in columns if any(r.get("kind") == c[0] for r in runs)]
    lines = ["| strategy | " + " | ".join(c[2] for c in columns) + " |",
             "|" + "---|" * (len(columns) + 1)]
    for name in strategies:
        cells = []
        for kind, field, _ in columns:
            values = [r["fit_time"] + r["score_time"] if field == "fits" else r[field]
                      for r in runs if r["strategy"] == name and r.get("kind") == kind
                      and r["status"] == "ok"]
            cells.append(f"{np.median(values):.3g}" if values else "-")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def convergence_plots(runs, directory):
    """One PNG per task: median best-so-far curve of each strategy with its IQR band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    strategies = sorted(dict.fromkeys(r["strategy"] for r in runs), key=_order)
    paths = {}
    for task in dict.fromkeys(r["task"] for r in runs):
        ok = [r for r in runs if r["task"] == task and r["status"] == "ok"]
        if not ok:
            continue
        is_function = ok[0]["kind"] == "function"
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for name in strategies:
            curves = [_curve(r, is_function) for r in ok if r["strategy"] == name]
            if not curves:
                continue
            q1, med, q3 = np.nanpercentile(np.array(curves), [25, 50, 75], axis=0)
            x = np.arange(1, len(med) + 1)
            ours = name.startswith("sksearch")
            color = COLORS.get(name, "silver")
            ax.plot(x, med, "-" if ours else "--", color=color, label=name, lw=2 if ours else 1.2)
            ax.fill_between(x, q1, q3, color=color, alpha=0.08, lw=0)
        if is_function:
            ax.set_yscale("log")
            ax.set_ylabel("regret (best value found - minimum)")
        else:
            ax.set_ylabel("best mean CV score")
        ax.set_xlabel("evaluations")
        ax.set_title(f"{task} ({len({r['seed'] for r in ok})} seeds)")
        ax.legend(fontsize=7, ncol=2)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        paths[task] = directory / f"{task}.png"
        fig.savefig(paths[task], dpi=90)
        plt.close(fig)
    return paths


#: One colour per strategy in every plot: sksearch in solid lines, the others dashed.
COLORS = {
    "sksearch-pso": "tab:blue", "sksearch-ga": "tab:orange", "sksearch-bayes-gp": "tab:green",
    "sksearch-bayes-tpe": "tab:red", "sklearn-random": "dimgray", "sklearn-grid": "black",
    "skopt-bayes": "tab:purple", "optuna-tpe": "tab:brown", "sklearn-genetic-opt": "tab:pink",
    "nevergrad-pso": "tab:olive", "nevergrad-de": "tab:cyan", "nevergrad-ngopt": "navy",
}


def _order(name):
    return (list(COLORS).index(name) if name in COLORS else len(COLORS), name)


def _curve(record, is_function):
    """Best so far over ``n_iter`` evaluations (the last value carried on, NaN before any)."""
    curve = np.array([np.nan if c is None else c for c in record["curve"]], dtype=float)
    curve = curve[: record["n_iter"]]
    if len(curve) < record["n_iter"]:
        last = curve[-1] if len(curve) else np.nan
        curve = np.concatenate([curve, np.full(record["n_iter"] - len(curve), last)])
    if is_function:
        # regret, floored so that an exact hit stays on a log axis
        return np.maximum(-curve - record["f_min"], 1e-9)
    return curve


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _ram_gb():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _module_version(name):
    try:
        module = __import__(name.replace("-", "_"))
    except Exception:
        return None
    return getattr(module, "__version__", None)


def main(argv=None):
    directory = Path((argv or sys.argv[1:])[0])
    records = [json.loads(line) for line in (directory / "results.jsonl").read_text().splitlines()
               if line.strip()]
    meta = json.loads((directory / "meta.json").read_text())
    write_report(records, directory, meta)
    print(directory / "report.md")


if __name__ == "__main__":
    main()
