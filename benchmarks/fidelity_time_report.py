"""The time-to-result report, from the records of :mod:`benchmarks.fidelity_time`::

    python -m benchmarks.fidelity_time --report-only --out DIR

All costs are CPU seconds inside ``fit`` (``fit CPU``) or resource units
trained; ``R`` is full-fidelity random search's median total fit CPU on the
task. The anytime curves are :func:`benchmarks.fidelity_report.curve`'s.
"""

import json
from pathlib import Path

import numpy as np

from .fidelity_report import best_at, cost_to_reach, total
from .fidelity_time_methods import DEFAULT, REFERENCE, SKSEARCH
from .report import machine_markdown

#: Methods whose evaluator keeps and continues a candidate's fold models.
CONTINUING = ("optuna-hyperband-warm", "smac-multifidelity")
#: Fractions of R at which the anytime curves are read.
CHECKPOINTS = ((1, 9), (1, 3), (2, 3), (1, 1))


def write_report(out, path=None):
    """Write the report of ``out/results.jsonl`` to ``path`` (default ``out/report.md``);
    return its path."""
    out = Path(out)
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()
               if line.strip()]
    meta = json.loads((out / "meta.json").read_text()) if (out / "meta.json").exists() else {}
    path = Path(path) if path else out / "report.md"
    path.write_text(report_markdown(records, meta))
    return path


def report_markdown(records, meta):
    runs = [r for r in records if r["status"] == "ok"]
    lines = []
    env = meta.get("environment")
    if env:
        lines += [f"{env['date']}; {meta.get('seconds', 0) / 60:.0f} min of runs; "
                  f"`{meta.get('command', '')}`.", "", machine_markdown(env), ""]
    seen = set()
    for r in records:
        if r["status"] != "ok" and (r["method"], r["status"]) not in seen:
            seen.add((r["method"], r["status"]))
            why = r.get("reason") or r.get("error", "").splitlines()[-1][:200]
            lines.append(f"- `{r['method']}` {r['status']} on {r['task']}: `{why}`")
    for task in dict.fromkeys(r["task"] for r in runs):
        mine = [r for r in runs if r["task"] == task]
        if not any(r["method"] == REFERENCE for r in mine):
            lines += [f"### {task}", "", f"(no `{REFERENCE}` run: nothing to measure against)"]
            continue
        lines += [f"### {task}", "", anytime_table(mine), "", versus_default(mine), "",
                  diagnostics_table(mine), "", rung_costs(mine), ""]
    return "\n".join(lines)


def _methods(runs):
    names = list(dict.fromkeys(r["method"] for r in runs))
    return sorted(names, key=lambda m: (m.startswith("sksearch"), names.index(m)))


def _seeds(runs, method):
    return [r for r in runs if r["method"] == method]


def reference_cpu(runs):
    return float(np.median([total(r, "seconds") for r in _seeds(runs, REFERENCE)]))


def checkpoint_scores(runs, method):
    """Median over seeds of the best full-resource CV score at each checkpoint of R."""
    budget = reference_cpu(runs)
    return [float(np.median([best_at(r, budget * a / b, "seconds") for r in _seeds(runs, method)]))
            for a, b in CHECKPOINTS]


def reach(runs, method):
    """Median fit CPU to first reach random search's median final best (inf: never)."""
    target = np.median([r["best_score"] for r in _seeds(runs, REFERENCE)])
    return float(np.median([cost_to_reach(r, target, "seconds") for r in _seeds(runs, method)]))


def anytime_table(runs):
    first = runs[0]
    budget = reference_cpu(runs)
    target = np.median([r["best_score"] for r in _seeds(runs, REFERENCE)])
    lines = [
        f"Ladder {first['levels']} ({first['resource']}), {first['n_iter']} full-resource fits "
        f"x {first['n_splits']} folds, {len({r['seed'] for r in runs})} seeds. R = "
        f"{budget:.1f} CPU s (random search's median total fit CPU); its median final best "
        f"{target:.4f}. Cells: median best full-resource mean CV score once the method has "
        "spent that much fit CPU (- : no full-resource score yet); *reach*: median fit CPU to "
        "first reach random search's median final best, in R; *test*: median held-out score "
        "of the chosen candidate; *units*: resource units trained / budget.", "",
        "| method | " + " | ".join(_label(a, b) for a, b in CHECKPOINTS)
        + " | reach | test | fit CPU s | units |",
        "|---|" + "---|" * (len(CHECKPOINTS) + 4)]
    for method in _methods(runs):
        own = _seeds(runs, method)
        cells = [_score(s) for s in checkpoint_scores(runs, method)]
        needed = reach(runs, method)
        units = np.median([r["resource_units"] / r["budget_units"] for r in own])
        name = f"**{method}**" if method == DEFAULT else method
        lines.append(f"| {name} | " + " | ".join(cells)
                     + f" | {_reach(needed, budget)} | "
                     f"{np.median([r['test_score'] for r in own]):.4f} | "
                     f"{np.median([total(r, 'seconds') for r in own]):.1f} | {units:.2f} |")
    return "\n".join(lines)


def versus_default(runs):
    """The default sksearch search against the best other method at each checkpoint."""
    if not _seeds(runs, DEFAULT):
        return f"(no `{DEFAULT}` run)"
    others = [m for m in _methods(runs) if not m.startswith("sksearch")]
    ours = checkpoint_scores(runs, DEFAULT)
    theirs = {m: checkpoint_scores(runs, m) for m in others}
    parts = []
    for j, (a, b) in enumerate(CHECKPOINTS):
        best = max(others, key=lambda m: theirs[m][j])
        parts.append(f"{_label(a, b)}: {_score(ours[j])} vs {_score(theirs[best][j])} "
                     f"(`{best}`)")
    return f"`{DEFAULT}` against the best other method at each point: " + "; ".join(parts) + "."


def diagnostics_table(runs):
    """Where the CPU goes: medians over seeds of each method's trace."""
    budget = reference_cpu(runs)
    per_unit = np.median([total(r, "seconds") / total(r, "units")
                          for r in _seeds(runs, REFERENCE)])
    lines = [
        "Traces (medians over seeds): *first full* = fit CPU before the first full-resource "
        "score, in R; *full by R/3* = full-resource scores held once R/3 is spent; *CPU below "
        "full* / *units below full* = shares of fit CPU and of units trained spent under the "
        "full resource (cheap rungs that are not cheap in seconds when CPU > units); "
        "*trained / nominal* = units trained over the rungs' nominal units (1.00: every rung "
        "trained from zero); *CPU per unit* = fit CPU per unit trained over random search's; "
        "*unclaimed* = fit CPU no evaluation claimed (the final refit aside).", "",
        "| method | first full | full by R/3 | CPU below full | units below full | "
        "trained / nominal | CPU per unit | unclaimed s |", "|---|---|---|---|---|---|---|---|"]
    for method in _methods(runs):
        rows = [_trace(r, budget) for r in _seeds(runs, method)]
        med = np.median(np.array(rows, dtype=float), axis=0)
        cpu_unit = np.median([total(r, "seconds") / total(r, "units")
                              for r in _seeds(runs, method)]) / per_unit
        unclaimed = np.median([r["info"].get("cpu_unclaimed", 0.0)
                               for r in _seeds(runs, method)])
        lines.append(f"| {method} | {_reach(med[0] * budget, budget)} | {med[1]:.0f} | "
                     f"{med[2]:.2f} | {med[3]:.2f} | {med[4]:.2f} | {cpu_unit:.2f} | "
                     f"{unclaimed:.2f} |")
    return "\n".join(lines)


def rung_costs(runs):
    """What a fit costs at each rung, against its share of the resource."""
    levels, k = runs[0]["levels"], runs[0]["n_splits"]
    fresh, grown = {level: [] for level in levels}, []
    for r in runs:
        for n, cpu, units, continued in _rows(r):
            if continued and units > 0:
                grown.append(cpu / units)
            elif not continued:
                fresh[n].append(cpu / k)
    full = np.median(fresh[levels[-1]]) if fresh[levels[-1]] else np.nan
    cells = [f"{level}: {np.median(fresh[level]) / full:.2f} ({level / levels[-1]:.2f})"
             for level in levels[:-1] if fresh[level]]
    text = ("Median fit CPU of one fold fit from zero at each rung, over every method's rows, "
            "relative to a full-resource one (the rung's resource share in brackets): "
            + ", ".join(cells) + ".")
    if grown:
        text += (f" A continued fit costs {np.median(grown) / (full / levels[-1]):.2f} x a "
                 "full fit's CPU per unit for each unit it adds (median over the continued "
                 "rows).")
    return text


def _rows(record):
    """(resource, CPU, units, continued) of each row: a row continues a model when its
    candidate was evaluated before in a run that keeps models (and, for sksearch's
    ``+reuse``, trained fewer units than its resource)."""
    rows, k, seen = record["rows"], record["n_splits"], set()
    units = rows.get("units") or [n * k for n in rows["n_resources"]]
    keeps = record["method"] in CONTINUING or record["method"].endswith("+reuse")
    out = []
    for n, cpu, u, c in zip(rows["n_resources"], rows["fit_time"], units, rows["candidate"]):
        continued = keeps and c in seen and (record["method"] in CONTINUING or u < n * k)
        out.append((n, cpu, u, continued))
        seen.add(c)
    return out


def _trace(record, budget):
    rows = record["rows"]
    n = np.array(rows["n_resources"])
    cpu = np.array(rows["fit_time"], dtype=float)
    units = np.array(rows.get("units") or n * record["n_splits"], dtype=float)
    done = np.array([s is not None for s in rows["score"]])
    full = (n == record["levels"][-1]) & done
    spent, below = np.cumsum(cpu), n < record["levels"][-1]
    first = spent[np.flatnonzero(full)[0]] / budget if full.any() else np.inf
    return [first, int(np.sum(full & (spent <= budget / 3))),
            cpu[below].sum() / cpu.sum(), units[below].sum() / units.sum(),
            units.sum() / (n.sum() * record["n_splits"])]


def _score(value):
    return "-" if not np.isfinite(value) else f"{value:.4f}"


def _reach(cpu, budget):
    return "never" if not np.isfinite(cpu) else f"{cpu / budget:.2f}"


def _label(a, b):
    return "1 R" if a == b else f"{a}/{b} R"
