"""The multi-fidelity benchmark's report: tables, the issue's targets, where
sksearch loses, and anytime plots, from the records of
:mod:`benchmarks.multi_fidelity` only::

    python -m benchmarks.multi_fidelity --report-only --out DIR

Costs are counted two ways: fit seconds (the ``fit`` time of every
evaluation, summed over the folds; the machine's load changes them) and
resource units (the resource of every evaluation times the folds; nothing
changes them). The anytime curve of a run is its best full-resource mean CV
score after each evaluation, against either cumulative cost.
"""

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from sksearch.engine.fidelity._brackets import MIN_AGREEMENT, MIN_PAIRS, Bracket, Brackets

from .fidelity_methods import COMPETITORS, FACTOR, METHODS, REFERENCE, SKSEARCH_MF
from .report import machine_markdown

BY = ("units", "seconds")


# ---------------------------------------------------------------- curves
def curve(record, by):
    """(cumulative cost, best full-resource score so far) after each evaluation;
    ``-inf`` before the first full-resource one."""
    rows = record["rows"]
    n = np.array(rows["n_resources"], dtype=float)
    if by == "units":  # the units trained when the run counted them (continued models)
        cost = np.cumsum(rows["units"] if rows.get("units") else n * record["n_splits"])
    else:
        cost = np.cumsum(rows["fit_time"])
    score = np.array([np.nan if s is None else s for s in rows["score"]], dtype=float)
    full = (n == record["levels"][-1]) & np.isfinite(score)
    best = np.maximum.accumulate(np.where(full, score, -np.inf))
    return cost, best


def best_at(record, cost, by):
    """The best full-resource score found within ``cost`` (``-inf``: none yet)."""
    costs, best = curve(record, by)
    within = np.flatnonzero(costs <= cost * (1 + 1e-9))
    return best[within[-1]] if len(within) else -np.inf


def cost_to_reach(record, target, by):
    """The cumulative cost at which the best full-resource score first reaches
    ``target`` (``inf``: never)."""
    costs, best = curve(record, by)
    hits = np.flatnonzero(best >= target - 1e-12)
    return costs[hits[0]] if len(hits) else np.inf


def total(record, by):
    return record["resource_units"] if by == "units" else record["fit_seconds"]


# ---------------------------------------------------------------- report
def write_report(out):
    """Write ``report.md`` and ``plots/*.png`` in ``out`` from its ``results.jsonl``."""
    out = Path(out)
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()
               if line.strip()]
    meta = json.loads((out / "meta.json").read_text()) if (out / "meta.json").exists() else {}
    plots = anytime_plots(records, out / "plots")
    text = report_markdown(records, meta, {k: p.relative_to(out) for k, p in plots.items()})
    (out / "report.md").write_text(text)
    return out / "report.md"


def report_markdown(records, meta, plots=None):
    runs = [r for r in records if r["status"] == "ok" and r["method"] in METHODS]
    tasks = list(dict.fromkeys(r["task"] for r in runs))
    lines = []
    env = meta.get("environment")
    if env:
        lines += [f"{env['date']}; {meta.get('seconds', 0) / 60:.0f} min of runs; "
                  f"`{meta.get('command', '')}`.", "", machine_markdown(env), ""]
    for r in records:
        if r["status"] == "unavailable" and r["seed"] == 0 and r["task"] == tasks[:1][0]:
            lines.append(f"- `{r['method']}` not run: {r['reason']}")
    errors = [r for r in records if r["status"] == "error"]
    lines += [f"- `{r['method']}` failed on {r['task']} seed {r['seed']}: "
              f"`{r['error'].splitlines()[-1][:200]}`" for r in errors[:10]]
    for task in tasks:
        lines += [f"### {task}", "", summary_table(runs, task), ""]
    lines += ["### Targets", "", targets_markdown(runs, tasks), ""]
    lines += ["### Where the multi-fidelity searches spend and lose", "",
              diagnostics_table(runs, tasks), "", rung_table(records), ""]
    if plots:
        lines += [f"![{task}]({path.as_posix()})" for task, path in plots.items()] + [""]
    return "\n".join(lines)


def _order(name):
    return list(METHODS).index(name) if name in METHODS else len(METHODS)


def _median(values):
    values = [v for v in values if v is not None]
    return float(np.median(values)) if values else np.nan


def summary_table(runs, task):
    """Per method: median [IQR] best CV, median test score, fit seconds, resource units."""
    mine = [r for r in runs if r["task"] == task]
    budget = mine[0]["budget_units"]
    lines = [f"Budget {mine[0]['n_iter']} full-resource fits x {mine[0]['n_splits']} folds = "
             f"{budget} resource units; ladder {mine[0]['levels']} ({mine[0]['resource']}). "
             f"Medians over {len({r['seed'] for r in mine})} seeds.", "",
             "| method | best CV [IQR] | test | fit s | resource units | full-resource evals "
             "| candidates | wall s |", "|---|---|---|---|---|---|---|---|"]
    for name in sorted({r["method"] for r in mine}, key=_order):
        own = [r for r in mine if r["method"] == name]
        best = [r["best_score"] for r in own if r["best_score"] is not None]
        q1, med, q3 = np.percentile(best, [25, 50, 75]) if best else (np.nan,) * 3
        units = _median([r["resource_units"] for r in own])
        test = _median([r["test_score"] for r in own])
        lines.append(
            f"| {name} | {med:.4f} [{q1:.4f}, {q3:.4f}] | {test:.4f}"
            f" | {_median([r['fit_seconds'] for r in own]):.1f} | {units:.0f} "
            f"({units / budget:.2f}) | {_median([r['n_full'] for r in own]):.0f} | "
            f"{_median([r['n_candidates'] for r in own]):.0f} | "
            f"{_median([r['wall_time'] for r in own]):.1f} |")
    return "\n".join(lines)


def targets(runs, task, method):
    """The issue's three targets for ``method`` on ``task``, as numbers and yes/no."""
    reference = [r for r in runs if r["task"] == task and r["method"] == REFERENCE]
    own = [r for r in runs if r["task"] == task and r["method"] == method]
    if not reference or not own:
        return None
    target = _median([r["best_score"] for r in reference])
    result = {"target": target}
    for by in BY:  # (a) the cost to reach random search's median final best
        reach = float(np.median([cost_to_reach(r, target, by) for r in own]))
        result[f"reach_{by}"] = reach / _median([total(r, by) for r in reference])
    result["a"] = all(result[f"reach_{by}"] <= 1 / 3 for by in BY)
    lucky = max(r["best_score"] for r in reference)  # (b) random search's luckiest seed
    result.update(median_best=_median([r["best_score"] for r in own]), lucky=lucky)
    result["b"] = result["median_best"] >= lucky
    result["c"] = {}  # (c) pairwise at equal cost, seed by seed
    for other in COMPETITORS:
        theirs = {r["seed"]: r for r in runs if r["task"] == task and r["method"] == other}
        pairs = [(r, theirs[r["seed"]]) for r in own if r["seed"] in theirs]
        if not pairs:
            continue
        cells = {}
        for by in BY:
            a = [best_at(m, min(total(m, by), total(o, by)), by) for m, o in pairs]
            b = [best_at(o, min(total(m, by), total(o, by)), by) for m, o in pairs]
            cells[by] = (float(np.median(a)), float(np.median(b)))
        cells["win"] = all(cells[by][0] > cells[by][1] for by in BY)
        result["c"][other] = cells
    return result


def targets_markdown(runs, tasks):
    ours = [m for m in SKSEARCH_MF if any(r["method"] == m for r in runs)]
    if not ours:
        return "(no sksearch multi-fidelity run)"
    best = best_sksearch(runs, tasks)
    lines = [
        f"Default search: `{ours[0]}`; best sksearch multi-fidelity search (mean rank of the "
        f"median best CV score over the tasks, among all methods): `{best}`.", "",
        "(a) cost to first reach `sklearn-random`'s median final best CV score (median over "
        "seeds; *inf*: most seeds never reach it), as a fraction of random search's median "
        "total cost, in resource units / fit seconds; met if both <= 1/3. "
        "(b) median final best CV score >= random search's best seed. "
        "(c) median best full-resource CV score at equal cost (seed by seed, both runs cut at "
        "the cheaper run's total cost) against each competitor, units / seconds; met if "
        "higher in both.", "",
        "| method | task | (a) reach cost units / s | (b) median best vs luckiest random "
        "| (c) " + " | ".join(f"vs {o}" for o in COMPETITORS) + " |",
        "|---|---|---|---|" + "---|" * len(COMPETITORS)]
    for method in ours:
        for task in tasks:
            t = targets(runs, task, method)
            if t is None:
                continue
            cells = [f"{_yes(t['a'])} {_ratio(t['reach_units'])} / {_ratio(t['reach_seconds'])}",
                     f"{_yes(t['b'])} {t['median_best']:.4f} vs {t['lucky']:.4f}"]
            for other in COMPETITORS:
                c = t["c"].get(other)
                cells.append("-" if c is None else
                             f"{_yes(c['win'])} {c['units'][0]:.4f}/{c['units'][1]:.4f}, "
                             f"{c['seconds'][0]:.4f}/{c['seconds'][1]:.4f}")
            name = f"**{method}**" if method in (ours[0], best) else method
            lines.append(f"| {name} | {task} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def best_sksearch(runs, tasks):
    """The sksearch multi-fidelity search with the best mean rank of median best CV score."""
    ranks = defaultdict(list)
    for task in tasks:
        medians = {m: _median([r["best_score"] for r in runs
                               if r["task"] == task and r["method"] == m])
                   for m in {r["method"] for r in runs if r["task"] == task}}
        order = sorted(medians, key=lambda m: -medians[m])
        for m in medians:
            ranks[m].append(order.index(m) + 1)
    ours = [m for m in SKSEARCH_MF if m in ranks]
    return min(ours, key=lambda m: (np.mean(ranks[m]), _order(m)))


def _yes(flag):
    return "yes" if flag else "no"


def _ratio(value):
    return "inf" if not np.isfinite(value) else f"{value:.2f}"


def diagnostics_table(runs, tasks):
    """Per task and multi-fidelity method: where the budget went and where the best came from."""
    lines = [
        "Per run, medians over seeds: *evals per rung* (candidates evaluated at each "
        "level of the ladder), *units below full* (share of the resource units spent under "
        "the full resource) against *seconds below full* (the same share of fit seconds: the "
        "difference is what fixed per-fit costs add to cheap rungs), *budget used* (resource "
        "units / budget), *best from* (for each seed, the lowest rung at which the finally "
        "chosen candidate was first evaluated), *full-resource scores* (median mean CV score "
        "of the full-resource evaluations: how good the promoted candidates are), and dropped "
        "rungs (sksearch: resources dropped, in how many seeds, corrected agreement).", "",
        "| task | method | evals per rung | units below full | seconds below full | "
        "budget used | best from | full-resource scores | dropped rungs |",
        "|---|---|---|---|---|---|---|---|---|"]
    for task in tasks:
        for name in (REFERENCE, *COMPETITORS, *SKSEARCH_MF):
            own = [r for r in runs if r["task"] == task and r["method"] == name]
            if not own:
                continue
            levels = own[0]["levels"]
            per_rung, below_u, below_s, used, origin, full_scores = [], [], [], [], Counter(), []
            for r in own:
                n = np.array(r["rows"]["n_resources"])
                fit = np.array(r["rows"]["fit_time"])
                score = np.array([np.nan if s is None else s for s in r["rows"]["score"]])
                per_rung.append([int(np.sum(n == level)) for level in levels])
                below_u.append(float(np.sum(n[n < levels[-1]]) / np.sum(n)))
                below_s.append(float(np.sum(fit[n < levels[-1]]) / np.sum(fit)))
                used.append(r["resource_units"] / r["budget_units"])
                origin[_best_origin(r)] += 1
                full_scores.extend(score[(n == levels[-1]) & np.isfinite(score)].tolist())
            dropped = Counter()
            agreements = defaultdict(list)
            for r in own:
                for d in r["info"].get("dropped_rungs_", []):
                    key = tuple(d["resources"])
                    dropped[key] += 1
                    agreements[key].append(d["agreement"])
            drops = "; ".join(f"{list(k)} in {v}/{len(own)} (agreement "
                              f"{np.median(agreements[k]):.2f})" for k, v in dropped.items())
            rungs = "/".join(f"{v:.0f}" for v in np.median(per_rung, axis=0))
            origins = ", ".join(f"{k}: {v}" for k, v in sorted(origin.items()))
            lines.append(
                f"| {task} | {name} | {rungs} | {np.median(below_u):.2f} | "
                f"{np.median(below_s):.2f} | {np.median(used):.2f} | {origins} | "
                f"{_median(full_scores):.4f} | {drops or '-'} |")
    return "\n".join(lines)


def _best_origin(record):
    """The lowest resource at which the run's best full-resource candidate was evaluated."""
    rows = record["rows"]
    top = record["levels"][-1]
    full = [i for i, n in enumerate(rows["n_resources"])
            if n == top and rows["score"][i] is not None]
    if not full:
        return None
    best = rows["candidate"][max(full, key=lambda i: rows["score"][i])]
    return min(n for n, c in zip(rows["n_resources"], rows["candidate"]) if c == best)


def rung_table(records):
    rungs = [r for r in records if r["method"] == "rung-correlation" and r["status"] == "ok"]
    if not rungs:
        return ""
    lines = ["Rank agreement of the rungs, measured on the mean CV scores of "
             f"{rungs[0]['n_iter']} random candidates cross-validated at every rung (seed 0): "
             "Spearman correlation of each rung with the full resource and with the next rung; "
             "*P(drop)*: how often sksearch's rule (corrected agreement below "
             f"{MIN_AGREEMENT} on {MIN_PAIRS} promoted pairs) drops the rung when "
             f"{FACTOR * MIN_PAIRS} of these candidates, drawn at random, enter it and the best "
             f"{MIN_PAIRS} go on to the next (1000 draws); and the fit seconds of each rung "
             "relative to the full resource (its resource share in brackets).", "",
             "| task | rung | Spearman with full | with next rung | P(drop) | "
             "fit seconds / full |", "|---|---|---|---|---|---|"]
    for r in rungs:
        levels, scores = r["levels"], np.array(r["scores"], dtype=float)
        scores = scores[np.all(np.isfinite(scores), axis=1)]
        seconds = r["fit_seconds_per_rung"]
        for k, level in enumerate(levels[:-1]):
            rho_next = spearmanr(scores[:, k], scores[:, k + 1])[0]
            lines.append(f"| {r['task']} | {level} of {levels[-1]} | "
                         f"{r['spearman_with_full'][str(level)]:.2f} | {rho_next:.2f} | "
                         f"{drop_probability(scores, k, levels):.2f} | "
                         f"{seconds[k] / seconds[-1]:.2f} ({level / levels[-1]:.2f}) |")
    return "\n".join(lines)


def drop_probability(scores, k, levels, n_draws=1000, seed=0):
    """How often sksearch's rule drops rung ``k`` on a bracket of ``FACTOR * MIN_PAIRS``
    candidates drawn from the rows of ``scores`` (candidates x rungs), the best
    ``MIN_PAIRS`` of them promoted to rung ``k + 1`` (0 when there are too few rows)."""
    m = min(MIN_PAIRS, len(scores) // FACTOR)
    if m < MIN_PAIRS:
        return 0.0
    rng = np.random.default_rng(seed)
    drops = 0
    for _ in range(n_draws):
        rows = rng.choice(len(scores), size=FACTOR * m, replace=False)
        low, high = scores[rows, k], np.full(FACTOR * m, np.nan)
        promoted = Brackets.promote(low, m)
        high[promoted] = scores[rows[promoted], k + 1]
        brackets = Brackets(levels, FACTOR)
        brackets.learn(Bracket([k, k + 1], [FACTOR * m, m]), [low, high])
        drops += bool(brackets.dropped)
    return drops / n_draws


# ---------------------------------------------------------------- plots
#: Line style per method: sksearch solid, the others dashed.
COLORS = {"sklearn-random": "dimgray", "sklearn-halving": "black",
          "optuna-hyperband": "tab:brown", "hpbandster-bohb": "tab:purple",
          "sksearch-bayes-gp": "tab:green", "sksearch-bayes-tpe": "tab:red",
          "sksearch-pso": "tab:blue", "sksearch-ga": "tab:orange",
          "sksearch-bayes-gp-full": "tab:olive"}


def anytime_plots(records, directory):
    """One PNG per task: median best full-resource CV score against resource units
    (as full-resource fits per fold) and against fit seconds; dotted, random
    search's median final best and a third of its median cost (target (a))."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    runs = [r for r in records if r["status"] == "ok" and r["method"] in METHODS]
    paths = {}
    for task in dict.fromkeys(r["task"] for r in runs):
        mine = [r for r in runs if r["task"] == task]
        per_fit = mine[0]["levels"][-1] * mine[0]["n_splits"]
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
        for ax, by in zip(axes, BY):
            grid = np.linspace(0, max(total(r, by) for r in mine), 300)[1:]
            for name in sorted({r["method"] for r in mine}, key=_order):
                own = [r for r in mine if r["method"] == name]
                values = np.array([[best_at(r, c, by) for c in grid] for r in own])
                median = np.median(values, axis=0)
                shown = np.isfinite(median)
                x = grid / per_fit if by == "units" else grid
                ax.plot(x[shown], median[shown], "-" if name.startswith("sksearch") else "--",
                        color=COLORS.get(name, "silver"), label=name,
                        lw=2 if name.startswith("sksearch") else 1.3)
            reference = [r for r in mine if r["method"] == REFERENCE]
            if reference:  # target (a): random search's median final best, at 1/3 of its cost
                ax.axhline(_median([r["best_score"] for r in reference]), color="dimgray",
                           ls=":", lw=1)
                third = _median([total(r, by) for r in reference]) / 3
                ax.axvline(third / per_fit if by == "units" else third, color="dimgray",
                           ls=":", lw=1)
            ax.set_xlabel("resource spent, in full-resource fits" if by == "units"
                          else "cumulative fit seconds (all folds)")
            ax.grid(alpha=0.3)
        axes[0].set_ylabel("best full-resource mean CV score (median over seeds)")
        axes[0].legend(fontsize=7)
        low = np.percentile([r["best_score"] for r in mine if r["best_score"] is not None], 5)
        high = max(r["best_score"] for r in mine if r["best_score"] is not None)
        axes[0].set_ylim(low - 0.2 * (high - low), high + 0.05 * (high - low))
        fig.suptitle(f"{task}: anytime best CV score ({len({r['seed'] for r in mine})} seeds)")
        fig.tight_layout()
        paths[task] = directory / f"multi_fidelity_{task}.png"
        fig.savefig(paths[task], dpi=80)
        plt.close(fig)
    return paths


if __name__ == "__main__":
    print(write_report(Path(sys.argv[1])))
