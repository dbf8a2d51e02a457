"""What a script written for another tuner meets in sksearch, and what to write instead.

scikit-optimize, Optuna, sklearn-genetic-opt, hyperopt and tune-sklearn name
some things differently. Their keywords get a ``TypeError`` that names each
unknown keyword with its sksearch equivalent (:func:`unknown_keyword_error`);
scikit-optimize's ``fit(X, y, callback=f)`` is refused before any fit
(:func:`check_fit_keywords`); their fitted attributes raise an
``AttributeError`` that says what to read instead (:class:`OtherTunersAttributes`).
"""

import difflib
import inspect

_BATCH_CALLBACKS = "batch_callbacks (called after each batch with a SearchState; True stops)"
_RESOURCE = ("resource='n_samples' or resource='<estimator parameter>' (brackets of successive "
             "halving stop poor candidates early)")
_SEARCH_CLASS = ("the search class: BayesSearchCV(surrogate='tpe') for TPE, "
                 "BayesSearchCV(surrogate='gp'), GeneticSearchCV or PSOSearchCV")
_INITIAL = "initial_candidates (a list of parameter dicts evaluated first)"

#: Keywords of scikit-optimize, Optuna, sklearn-genetic-opt, hyperopt and
#: tune-sklearn mapped to what sksearch calls them (or what to do instead).
OTHER_TUNERS_NAMES = {
    # scikit-optimize
    "search_spaces": "param_distributions (scikit-optimize's search_spaces)",
    "n_points": "batch_size of BayesSearchCV (scikit-optimize's n_points)",
    "optimizer_kwargs": "the search's own keywords, e.g. BayesSearchCV(n_initial_points=..., "
                        "acquisition=...)",
    "fit_params": "passed to fit: search.fit(X, y, **fit_params)",
    "iid": "not needed: scikit-learn dropped iid, and scores are the mean over the folds",
    "acq_func": "acquisition of BayesSearchCV ('ei', 'pi' or 'ucb')",
    "n_initial_points": "n_initial_points of BayesSearchCV",
    "n_random_starts": "n_initial_points of BayesSearchCV",
    "n_calls": "n_iter (the number of distinct candidates)",
    "x0": _INITIAL,
    "space_constraint": ("constraints=[f] with f(params) -> bool on the dict of parameters "
                         "(scikit-optimize's space_constraint takes a list of values)"),
    # Optuna
    "n_trials": "n_iter (Optuna's n_trials)",
    "timeout": "max_time (seconds)",
    "enable_pruning": _RESOURCE,
    "pruner": _RESOURCE,
    "max_iter": ("max_resources, with resource= the estimator's parameter that counts its "
                 "epochs or iterations (OptunaSearchCV's max_iter caps the partial_fit epochs "
                 "of a pruned trial, as sksearch does not call partial_fit), while the estimator's "
                 "own max_iter is set on the estimator or searched in param_distributions"),
    "subsample": ("resource='n_samples' (candidates are first evaluated on a share of each "
                  "training fold), or fit on a subsample of X yourself"),
    "study": ("checkpoint= (a journal of the search that a later fit resumes), with the "
              "search class choosing the sampler"),
    "sampler": _SEARCH_CLASS,
    "n_startup_trials": "n_initial_points of BayesSearchCV",
    "constraints_func": ("constraints=[...]: callables params -> bool, True where feasible, "
                         "judged before a fit, or outcome constraints such as 'fit_time <= 2' "
                         "(Optuna's constraints_func returns values <= 0 where feasible)"),
    "catch": "error_score (a number scores a failed fit, 'raise' raises its error)",
    "callbacks": _BATCH_CALLBACKS + ", or search.set_callbacks(...) for scikit-learn "
                                    "callbacks such as ProgressBar",
    "callback": _BATCH_CALLBACKS,
    # sklearn-genetic-opt
    "param_grid": "param_distributions (a GridSearchCV param_grid is valid as is)",
    "generations": "n_iter: sksearch counts candidates, about population_size x generations",
    "population_size": "GeneticSearchCV(population_size=...) or PSOSearchCV(n_particles=...)",
    "n_particles": "PSOSearchCV(n_particles=...) or GeneticSearchCV(population_size=...)",
    "mutation_probability": "mutation_rate of GeneticSearchCV",
    "crossover_probability": "crossover_rate of GeneticSearchCV",
    "elitism_size": "elitism of GeneticSearchCV",
    "warm_start_configs": _INITIAL,
    "keep_top_k": "cv_results_ (every candidate, ranked by rank_test_score)",
    "criteria": "scoring (sksearch maximizes the score: for a loss use a 'neg_...' scorer)",
    "algorithm": "GeneticSearchCV's own parameters (selection, crossover, elitism)",
    "use_cache": "not needed: no candidate is fitted twice",
    "log_config": "batch_callbacks=[sksearch.mlflow.MLflowLogger(...)]",
    # hyperopt
    "max_evals": "n_iter (hyperopt's max_evals)",
    "algo": _SEARCH_CLASS,
    "trials": "cv_results_ after fit, and checkpoint= keeps a journal that a later fit resumes",
    "rstate": "random_state",
    "points_to_evaluate": _INITIAL,
    # tune-sklearn and others
    "param_distributions_list": "param_distributions (a list of dicts)",
    "search_optimization": _SEARCH_CLASS,
    "early_stopping": _RESOURCE,
    "time_budget_s": "max_time (seconds)",
    "max_iters": "max_resources (with resource=)",
    "min_budget": "min_resources", "max_budget": "max_resources", "eta": "factor",
    "min_resource": "min_resources", "max_resource": "max_resources",
    "reduction_factor": "factor",
}


def unknown_keyword_error(search, names):
    """The TypeError for the keywords ``names`` that ``search``'s class does not take.

    It names every one of them, each with its sksearch equivalent when
    another tuner uses that name, or the valid name it looks like.

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sksearch import BayesSearchCV
    >>> BayesSearchCV(SVC(), {"C": [1, 2]}, n_trials=20, timeout=60)
    Traceback (most recent call last):
    ...
    TypeError: BayesSearchCV() got unexpected keyword arguments 'n_trials' and 'timeout'. \
In sksearch 'n_trials' is n_iter (Optuna's n_trials); 'timeout' is max_time (seconds). \
BayesSearchCV takes: ...
    """
    cls = type(search).__name__
    valid = [v for v in inspect.signature(type(search).__init__).parameters if v != "self"]
    quoted = [repr(name) for name in names]
    if len(quoted) == 1:
        message = f"{cls}() got an unexpected keyword argument {quoted[0]}."
    else:
        listed = ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
        message = f"{cls}() got unexpected keyword arguments {listed}."
    hints = [f"{q} {_hint(name, valid)}" for q, name in zip(quoted, names)
             if _hint(name, valid)]
    if hints:
        message += f" In sksearch {'; '.join(hints)}."
    return TypeError(f"{message} {cls} takes: {', '.join(sorted(valid))}.")


def _hint(name, valid):
    if name in OTHER_TUNERS_NAMES:
        return f"is {OTHER_TUNERS_NAMES[name]}"
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.8)
    return f"looks like {close[0]!r}" if close else ""


def check_fit_keywords(search, params):
    """Refuse, before any fit, ``fit`` keywords that belong to another tuner's ``fit``.

    scikit-optimize's ``fit(X, y, callback=f)`` is the search's callback;
    sksearch would pass it to every fit of the estimator, which fails. It is
    kept when the estimator's ``fit`` names a ``callback`` parameter, or
    takes ``**kwargs`` and is not one of scikit-learn's estimators (whose
    ``**params`` are routed metadata, never a callback).
    """
    if "callback" not in params or _fit_takes(search.estimator, "callback"):
        return
    raise TypeError(
        f"{type(search).__name__}.fit() got callback={params['callback']!r}, which "
        f"{type(search.estimator).__name__}.fit does not take, so every fit would fail. "
        f"scikit-optimize's fit(callback=...) is sksearch's {_BATCH_CALLBACKS}: write "
        f"{type(search).__name__}(..., batch_callbacks=[...]) (a callback receives a "
        "SearchState, not an OptimizeResult)")


def _fit_takes(estimator, name):
    try:
        parameters = inspect.signature(estimator.fit).parameters
    except (TypeError, ValueError, AttributeError):
        return True  # cannot tell: the estimator decides
    if name in parameters:
        return True
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    return takes_any and not type(estimator).__module__.startswith("sklearn.")


class _Moved:
    """A fitted attribute of another tuner: reading it says what to read instead.

    A data descriptor, so that it never hides other attributes' errors (a
    ``__getattr__`` would also catch the AttributeError of, say, an
    unavailable ``predict_proba``), and a value assigned under its name
    (by a subclass) is kept and read as usual.
    """

    def __init__(self, hint):
        self.hint = hint

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, search, owner=None):
        if search is None:
            return self
        try:
            return search.__dict__[self.name]
        except KeyError:
            raise AttributeError(
                f"{type(search).__name__!r} object has no attribute {self.name!r}: "
                f"{self.hint}", name=self.name, obj=search) from None

    def __set__(self, search, value):
        search.__dict__[self.name] = value

    def __delete__(self, search):
        try:
            del search.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


_RESULTS = ("every candidate with its scores is in cv_results_ (params, mean_test_score, "
            "rank_test_score, iteration), the best in best_params_, best_score_ and "
            "best_index_")


class OtherTunersAttributes:
    """Fitted attributes of other tuners' searches, answered with the sksearch ones."""

    optimizer_results_ = _Moved(f"that is scikit-optimize's; {_RESULTS}")
    total_iterations = _Moved(
        "that is scikit-optimize's; in sksearch n_iter is the number of distinct candidates, "
        "and len(search.cv_results_['params']) the number evaluated")
    study_ = _Moved(f"that is Optuna's; {_RESULTS}; checkpoint= keeps a journal of them "
                    "that a later fit resumes")
    trials_ = _Moved(f"that is Optuna's; {_RESULTS}")
    n_trials_ = _Moved("that is Optuna's; the number of candidates evaluated is "
                       "len(search.cv_results_['params'])")
    best_trial_ = _Moved("that is Optuna's; read best_params_, best_score_ and best_index_ "
                         "(the best candidate's row of cv_results_)")
    trials_dataframe = _Moved("that is Optuna's; pandas.DataFrame(search.cv_results_) is "
                              "the table of candidates")
    logbook = _Moved(f"that is sklearn-genetic-opt's; {_RESULTS}")
    history = _Moved(f"that is sklearn-genetic-opt's; {_RESULTS}")
    hof = _Moved("that is sklearn-genetic-opt's; best_params_, and cv_results_ ranked by "
                 "rank_test_score")
