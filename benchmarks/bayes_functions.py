"""Regret of sksearch's Bayesian optimizers on the shifted test functions.

Every method gets the same budget of evaluations on the same shifted
instances of :mod:`sksearch._testing` (one instance per seed) and reports
its median regret (best value found minus the optimum) over the seeds.
Compared: uniform random sampling, sksearch's Gaussian process and TPE,
scikit-optimize's GP ``Optimizer`` (its ``gp_minimize`` defaults, with a
Latin hypercube of the same size as ours), Optuna's ``TPESampler`` (univariate and
multivariate) and ``GPSampler`` (needs torch), and
nevergrad's ``NGOpt``. The libraries that are not installed are skipped.
It then times one proposal (``ask`` then ``tell``) after 100 observations.

Run from the repository root::

    python -m benchmarks.bayes_functions --jobs 2        # 10 seeds, 50 evaluations
    python -m benchmarks.bayes_functions --seeds 1 --budget 15 --functions branin \
        --methods random gp tpe --no-timing              # a smoke test of seconds

The competitors come from the benchmark environment (scikit-optimize,
Optuna, nevergrad); scikit-optimize takes about an hour of the full run on
two cores, so ``--cache runs.jsonl`` keeps finished runs across invocations.
"""

import argparse
import json
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from sksearch._testing import FUNCTIONS as ALL_FUNCTIONS
from sksearch._testing import make_function, minimize
from sksearch.optimizers._bayes import BayesianOptimizer
from sksearch.optimizers._random import RandomSampler
from sksearch.optimizers._tpe import TreeParzenEstimator
from sksearch.space import Integer, Real

FUNCTIONS = ("branin", "sphere", "log_scale", "mixed", "styblinski_tang", "rosenbrock",
             "hartmann6", "ackley", "levy")
N_INITIAL_POINTS = 10


# ---------------------------------------------------------------- sksearch
# Each method returns the values of the function at the points it evaluated.
def random_search(f, seed, budget):
    return _run(RandomSampler(f.layout, random_state=seed), f, budget)


def sksearch_gp(f, seed, budget):
    opt = BayesianOptimizer(f.layout, n_initial_points=N_INITIAL_POINTS, random_state=seed)
    return _run(opt, f, budget)


def sksearch_tpe(f, seed, budget):
    opt = TreeParzenEstimator(f.layout, n_initial_points=N_INITIAL_POINTS, random_state=seed)
    return _run(opt, f, budget)


def _run(optimizer, f, budget):
    """The best value so far after each evaluation, the loop being the search engine's."""
    return minimize(optimizer, f, budget) + f.f_min


# ---------------------------------------------------------------- other libraries
def skopt_gp(f, seed, budget):
    import skopt

    names, dims = [], []
    for name, d in f.space.items():
        names.append(name)
        if isinstance(d, Real):
            dims.append(skopt.space.Real(d.low, d.high,
                                         prior="log-uniform" if d.log else "uniform"))
        elif isinstance(d, Integer):
            dims.append(skopt.space.Integer(d.low, d.high))
        else:
            dims.append(skopt.space.Categorical(list(d.choices)))
    opt = skopt.Optimizer(dims, base_estimator="GP", n_initial_points=N_INITIAL_POINTS,
                          initial_point_generator="lhs", random_state=seed)
    values = []
    for _ in range(budget):
        x = opt.ask()
        values.append(f(dict(zip(names, x))))
        opt.tell(x, values[-1])
    return values


def optuna_tpe(f, seed, budget, multivariate=False):
    import optuna

    sampler = optuna.samplers.TPESampler(n_startup_trials=N_INITIAL_POINTS, seed=seed,
                                         multivariate=multivariate)
    return _optuna(f, budget, sampler)


def optuna_tpe_multivariate(f, seed, budget):
    return optuna_tpe(f, seed, budget, multivariate=True)


def optuna_gp(f, seed, budget):
    import optuna
    import torch

    torch.set_num_threads(1)
    sampler = optuna.samplers.GPSampler(n_startup_trials=N_INITIAL_POINTS, seed=seed,
                                        deterministic_objective=True)
    return _optuna(f, budget, sampler)


def _optuna(f, budget, sampler):
    """The values of ``budget`` trials of an Optuna study driven by ``sampler``."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial):
        params = {}
        for name, d in f.space.items():
            if isinstance(d, Real):
                params[name] = trial.suggest_float(name, d.low, d.high, log=d.log)
            elif isinstance(d, Integer):
                params[name] = trial.suggest_int(name, d.low, d.high, log=d.log)
            else:
                params[name] = trial.suggest_categorical(name, list(d.choices))
        return f(params)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # multivariate TPE and GPSampler are "experimental"
        study = optuna.create_study(sampler=sampler)
        study.optimize(objective, n_trials=budget)
    return [t.value for t in study.trials]


def nevergrad_ngopt(f, seed, budget):
    import nevergrad as ng

    params = {}
    for name, d in f.space.items():
        if isinstance(d, Real):
            params[name] = (ng.p.Log(lower=d.low, upper=d.high) if d.log
                            else ng.p.Scalar(lower=d.low, upper=d.high))
        elif isinstance(d, Integer):
            params[name] = ng.p.Scalar(lower=d.low, upper=d.high).set_integer_casting()
        else:
            params[name] = ng.p.Choice(list(d.choices))
    parametrization = ng.p.Dict(**params)
    parametrization.random_state = np.random.RandomState(seed)
    opt = ng.optimizers.NGOpt(parametrization=parametrization, budget=budget)
    values = []
    for _ in range(budget):
        candidate = opt.ask()
        values.append(f(candidate.value))
        opt.tell(candidate, values[-1])
    return values


METHODS = {
    "random": random_search,
    "gp": sksearch_gp,
    "tpe": sksearch_tpe,
    "skopt-gp": skopt_gp,
    "optuna-tpe": optuna_tpe,
    "optuna-tpe-mv": optuna_tpe_multivariate,
    "optuna-gp": optuna_gp,
    "ngopt": nevergrad_ngopt,
}
LIBRARY = {"skopt-gp": ("skopt",), "optuna-tpe": ("optuna",), "optuna-tpe-mv": ("optuna",),
           "optuna-gp": ("optuna", "torch"), "ngopt": ("nevergrad",)}


def available(method):
    try:
        for module in LIBRARY.get(method, ()):
            __import__(module)
    except ImportError:
        return False
    return True


def function(spec, seed):
    """The shifted instance ``seed`` of ``"name"`` or ``"name:dimension"``."""
    name, _, dim = spec.partition(":")
    return make_function(name, seed, dim=int(dim) if dim else None)


def function_spec(text):
    """Argument type of ``--functions``: a known name, with an optional ``:dimension``."""
    name, _, dim = text.partition(":")
    if name not in ALL_FUNCTIONS or (dim and not dim.isdigit()):
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected one of {ALL_FUNCTIONS}, optionally followed by "
            f"':dimension' (e.g. 'levy:20')")
    return text


def regret(task):
    method, spec, seed, budget = task
    f = function(spec, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the libraries' convergence chatter
        values = METHODS[method](f, seed, budget)
    assert len(values) == budget, (method, len(values))
    return task, min(values) - f.f_min


# ---------------------------------------------------------------- time per proposal
def time_per_proposal(method, name="sphere", n_observations=100, repeats=10):
    """Median seconds of one ask + tell with ``n_observations`` points told."""
    f = make_function(name, 0)
    X = f.layout.random(n_observations, np.random.default_rng(0))
    y = -f.on_cube(X)
    times = []
    for r in range(repeats):
        if method == "skopt-gp":
            import skopt

            space = [skopt.space.Real(d.low, d.high) for d in f.space.values()]
            opt = skopt.Optimizer(space, base_estimator="GP", n_initial_points=1,
                                  random_state=r)
            points = [list(p.values()) for p in f._space.decode(X)]
            opt.tell(points, list(-y))
            start = time.perf_counter()
            x = opt.ask()
            opt.tell(x, f(dict(zip(f.space, x))))
        else:
            cls = BayesianOptimizer if method == "gp" else TreeParzenEstimator
            opt = cls(f.layout, n_initial_points=1, random_state=r)
            opt.ask()
            opt.tell(X, y)
            x = opt.ask()  # a first fit from scratch, then a warm-started one is timed
            opt.tell(x, -f.on_cube(x))
            start = time.perf_counter()
            x = opt.ask()
            opt.tell(x, -f.on_cube(x))
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def _read_cache(path):
    if path is None or not path.exists():
        return {}
    records = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {tuple(r["task"]): r["regret"] for r in records}


def argument_parser(description, budget, methods):
    """The options of a run over seeds, functions and methods: ``--seeds``,
    ``--budget``, ``--functions``, ``--methods`` (``methods``, all by default), ``--jobs``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budget", type=int, default=budget)
    parser.add_argument("--functions", nargs="+", default=list(FUNCTIONS), type=function_spec,
                        help="names, each with an optional ':dimension' (e.g. rosenbrock:10)")
    parser.add_argument("--methods", nargs="+", default=list(methods), choices=list(methods))
    parser.add_argument("--jobs", type=int, default=1, help="processes running the runs")
    return parser


def main(argv=None):
    parser = argument_parser(__doc__.splitlines()[0], 50, METHODS)
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--cache", type=Path, default=None,
                        help="JSON-lines file of finished runs, reused as they are and "
                        "appended to (delete it after changing an optimizer)")
    args = parser.parse_args(argv)

    methods = [m for m in args.methods if available(m)]
    skipped = sorted(set(args.methods) - set(methods))
    if skipped:
        print(f"not installed, skipped: {', '.join(skipped)}")
    tasks = [(m, name, seed, args.budget) for name in args.functions for m in methods
             for seed in range(args.seeds)]
    results = {}
    cached = _read_cache(args.cache)
    todo = []
    for task in tasks:
        if task in cached:
            results.setdefault((task[1], task[0]), []).append(cached[task])
        else:
            todo.append(task)
    with ProcessPoolExecutor(args.jobs) as pool:
        for future in as_completed([pool.submit(regret, task) for task in todo]):
            task, value = future.result()
            results.setdefault((task[1], task[0]), []).append(value)
            if args.cache is not None:
                with args.cache.open("a") as f:
                    f.write(json.dumps({"task": task, "regret": value}) + "\n")

    print(f"\nmedian regret after {args.budget} evaluations over {args.seeds} seeds "
          f"(initial design: {N_INITIAL_POINTS} points)")
    print(f"{'function':<16}" + "".join(f"{m:>14}" for m in methods))
    for name in args.functions:
        row = "".join(f"{np.median(results[name, m]):>14.3g}" for m in methods)
        print(f"{name:<16}{row}")

    if not args.no_timing:
        print("\nseconds per proposal (ask + tell) after 100 observations, sphere 4-d")
        for m in ("gp", "tpe", "skopt-gp"):
            if m in methods:
                print(f"{m:<16}{time_per_proposal(m):>14.4f}")


if __name__ == "__main__":
    main()
