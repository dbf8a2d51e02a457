"""Hypervolume of sksearch's strategies with several objectives, against Optuna's.

Every method gets the same budget of evaluations on the same shifted
instances of :mod:`benchmarks.pareto_problems` (one per seed) and reports
its median hypervolume regret over the seeds: the ideal hypervolume (of
the true front, for the problem's reference point) minus the hypervolume
of the points it evaluated; lower is better. Compared: uniform random
sampling, sksearch's genetic algorithm (NSGA-II), particle swarm (MOPSO),
Gaussian process (ParEGO) and TPE (MOTPE), and Optuna's ``NSGAIISampler``,
``TPESampler`` and ``GPSampler`` (needs torch) when Optuna is installed.

Run from the repository root (single thread)::

    OMP_NUM_THREADS=1 python -m benchmarks.pareto_functions --out benchmarks/results/pareto_functions.md
    python -m benchmarks.pareto_functions --smoke      # seconds
"""

import argparse
import time

import numpy as np

from sksearch.optimizers import (BayesianOptimizer, GeneticAlgorithm, ParticleSwarm,
                                 RandomSampler, TreeParzenEstimator)

from .pareto_problems import PROBLEMS, make_problem, run

N_INITIAL_POINTS = 10


def _sksearch(build):
    def method(problem, seed, budget):
        optimizer = build(problem.layout, problem.n_objectives, seed, budget)
        return run(optimizer, problem, budget)
    return method


def optuna_sampler(name, seed):
    """Optuna's sampler ``name`` ("nsga2", "tpe": MOTPE, or "gp") as every benchmark of
    several objectives configures it."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True,
                                          n_startup_trials=N_INITIAL_POINTS)
    return optuna.samplers.GPSampler(seed=seed, n_startup_trials=N_INITIAL_POINTS)


def _optuna(sampler_name):
    def method(problem, seed, budget):
        import optuna

        study = optuna.create_study(directions=["minimize"] * problem.n_objectives,
                                    sampler=optuna_sampler(sampler_name, seed))

        def objective(trial):
            x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(problem.n_dims)]
            return tuple(problem.on_cube(np.array([x]))[0])

        study.optimize(objective, n_trials=budget)
        return np.array([t.values for t in study.trials])
    return method


#: ``build(layout, n_objectives, seed, budget)`` of each sksearch optimizer compared.
OPTIMIZERS = {
    "random": lambda layout, m, seed, budget: RandomSampler(
        layout, random_state=seed, n_objectives=m),
    "sksearch-ga": lambda layout, m, seed, budget: GeneticAlgorithm(
        layout, n_iter=budget, random_state=seed, n_objectives=m),
    "sksearch-pso": lambda layout, m, seed, budget: ParticleSwarm(
        layout, n_iter=budget, random_state=seed, n_objectives=m),
    "sksearch-gp": lambda layout, m, seed, budget: BayesianOptimizer(
        layout, n_initial_points=N_INITIAL_POINTS, random_state=seed, n_objectives=m),
    "sksearch-tpe": lambda layout, m, seed, budget: TreeParzenEstimator(
        layout, n_initial_points=N_INITIAL_POINTS, random_state=seed, n_objectives=m),
}
METHODS = {
    **{name: _sksearch(build) for name, build in OPTIMIZERS.items()},
    "optuna-nsga2": _optuna("nsga2"),
    "optuna-tpe": _optuna("tpe"),
    "optuna-gp": _optuna("gp"),
}


def available(methods):
    """The ``methods`` whose library is installed (Optuna's, and torch for its GP)."""
    import importlib.util

    have = {name: importlib.util.find_spec(name) is not None for name in ("optuna", "torch")}
    return [m for m in methods if not m.startswith("optuna")
            or (have["optuna"] and (m != "optuna-gp" or have["torch"]))]


def benchmark(problems, methods, seeds, budget):
    """``{(problem, method): (regrets per seed, seconds)}``."""
    results = {}
    for name in problems:
        for method in methods:
            start, regrets = time.perf_counter(), []
            for seed in seeds:
                problem = make_problem(name, seed)
                F = METHODS[method](problem, seed, budget)
                regrets.append(problem.ideal_hypervolume - problem.hypervolume(F))
            results[name, method] = (regrets, time.perf_counter() - start)
            print(f"{name:6s} {method:13s} median regret {np.median(regrets):.4f} "
                  f"({time.perf_counter() - start:.1f} s)", flush=True)
    return results


def table(results, problems, methods, seeds, budget):
    """A markdown table: median regret (and seconds per run) per problem and method."""
    lines = [f"Median hypervolume regret (ideal minus found; lower is better) over "
             f"{len(seeds)} shifted instances, {budget} evaluations each; seconds per run "
             "in parentheses; best per problem in bold.", "",
             "| method | " + " | ".join(problems) + " |",
             "|---" * (len(problems) + 1) + "|"]
    best = {p: min(np.median(results[p, m][0]) for m in methods) for p in problems}
    for method in methods:
        cells = []
        for p in problems:
            regrets, seconds = results[p, method]
            value = f"{np.median(regrets):.4f}"
            value = f"**{value}**" if np.median(regrets) == best[p] else value
            cells.append(f"{value} ({seconds / len(seeds):.1f})")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def argument_parser(doc, seeds, budget, problems, methods, smoke):
    """The options of a benchmark of several objectives: ``--seeds``, ``--budget``,
    ``--problems`` (or ``--tasks``: the first of ``problems``), ``--methods`` and
    ``--smoke`` (what it runs: ``smoke``)."""
    (flag, names), = problems.items()
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--budget", type=int, default=budget)
    parser.add_argument(f"--{flag}", nargs="+", default=list(names), choices=list(names))
    parser.add_argument("--methods", nargs="+", default=list(methods), choices=list(methods))
    parser.add_argument("--smoke", action="store_true", help=smoke)
    return parser


def main(argv=None):
    parser = argument_parser(__doc__, 5, 60, {"problems": PROBLEMS}, METHODS,
                             "one seed, 16 evaluations, ZDT1, no Optuna GP: seconds")
    parser.add_argument("--out", help="write the table to this markdown file")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.budget, args.problems = 1, 16, ["zdt1"]
        args.methods = [m for m in args.methods if m != "optuna-gp"]
    methods, seeds = available(args.methods), range(args.seeds)
    results = benchmark(args.problems, methods, seeds, args.budget)
    text = table(results, args.problems, methods, seeds, args.budget)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write("# Several objectives: shifted ZDT1, ZDT2, DTLZ2\n\n" + text + "\n"
                    "Reproduce: `OMP_NUM_THREADS=1 python -m benchmarks.pareto_functions "
                    f"--seeds {args.seeds} --budget {args.budget} --out <file>`.\n")
    return results


if __name__ == "__main__":
    main()
