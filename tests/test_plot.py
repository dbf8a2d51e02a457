import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import (  # noqa: E402
    MinMaxScaler,
    PowerTransformer,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)
from sklearn.svm import SVC  # noqa: E402

from sksearch.plot import (  # noqa: E402
    best_so_far,
    plot_convergence,
    plot_pair,
    plot_pareto,
    plot_scores,
)
from sksearch.space import Integer, Real  # noqa: E402

X, Y = load_iris(return_X_y=True)
SPACE = {"C": Real(1e-2, 1e2, log=True), "gamma": Real(1e-3, 1e1, log=True),
         "kernel": ["rbf", "sigmoid"]}


@pytest.fixture(scope="module")
def fitted(request):
    from conftest import RandomSearch

    ours = RandomSearch(SVC(), SPACE, n_iter=10, cv=3, random_state=0).fit(X, Y)
    grid = GridSearchCV(SVC(), {"C": [0.01, 1.0, 100.0], "kernel": ["rbf", "linear"]},
                        cv=3).fit(X, Y)
    return ours, grid


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_best_so_far_is_the_running_maximum_ignoring_failures():
    class Fake:
        cv_results_ = {"mean_test_score": np.array([np.nan, 0.5, 0.4, np.nan, 0.9, 0.1])}
        refit = True

    np.testing.assert_array_equal(best_so_far(Fake()), [np.nan, 0.5, 0.5, 0.5, 0.9, 0.9])


def test_convergence_draws_one_step_line_per_search(fitted):
    ours, grid = fitted
    ax = plot_convergence(ours, grid, labels=["ours", "grid"], scale="score")
    assert [line.get_label() for line in ax.lines] == ["ours", "grid"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), best_so_far(ours))
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(1, 7))
    assert ax.get_legend() is not None
    assert ax.get_ylabel() == "best mean test score so far"
    ax = plot_convergence(ours, grid)
    best = max(np.nanmax(best_so_far(ours)), np.nanmax(best_so_far(grid)))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), best - best_so_far(grid))
    with pytest.raises(ValueError, match="1 labels for 2 searches"):
        plot_convergence(ours, grid, labels=["one"])
    with pytest.raises(ValueError, match="scale must be 'regret' or 'score', got 'log'"):
        plot_convergence(ours, scale="log")


def test_scores_per_parameter_use_log_axes_for_log_dimensions(fitted):
    ours, _ = fitted
    axes = plot_scores(ours)
    assert [ax.get_xlabel() for ax in axes] == ["C", "gamma", "kernel"]
    assert [ax.get_xscale() for ax in axes] == ["log", "log", "linear"]
    assert [t.get_text() for t in axes[2].get_xticklabels()] == ["rbf", "sigmoid"]
    offsets = axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], [p["C"] for p in ours.cv_results_["params"]])
    np.testing.assert_allclose(offsets[:, 1], ours.cv_results_["mean_test_score"])
    with pytest.raises(ValueError, match="'nu' is not a searched parameter"):
        plot_scores(ours, params=["nu"])


def test_scores_of_a_grid_over_decades_use_a_log_axis(fitted):
    _, grid = fitted
    axes = plot_scores(grid, params=["C"])
    assert axes[0].get_xscale() == "log"


def test_pair_view_colors_each_candidate_by_score(fitted):
    ours, _ = fitted
    ax = plot_pair(ours, "C", "gamma")
    points = ax.collections[0]
    np.testing.assert_allclose(points.get_array(), ours.cv_results_["mean_test_score"])
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert len(ax.figure.axes) == 2  # the plot and its colorbar


def test_pair_view_of_a_union_keeps_candidates_that_have_both():
    from conftest import RandomSearch

    space = [{"kernel": ["linear"], "C": Real(0.01, 10, log=True)},
             {"kernel": ["rbf"], "C": Real(0.01, 10, log=True), "gamma": Integer(1, 5)}]
    search = RandomSearch(SVC(), space, n_iter=12, cv=3, random_state=0).fit(X, Y)
    ax = plot_pair(search, "C", "gamma")
    n_rbf = sum("gamma" in p for p in search.cv_results_["params"])
    assert len(ax.collections[0].get_offsets()) == n_rbf > 0


def _searched(scores, params=None, scoring=None):
    """A fitted search as the plots see it: ``cv_results_`` and its settings."""
    class Search:
        refit = True

    search = Search()
    search.scoring = scoring
    search.cv_results_ = {
        "mean_test_score": np.asarray(scores, dtype=float),
        "params": params if params is not None else [{"C": 1.0}] * len(scores),
    }
    return search


def _overlap(a, b, pad=0.0):
    return a.x0 < b.x1 + pad and b.x0 < a.x1 + pad and a.y0 < b.y1 + pad and b.y0 < a.y1 + pad


def test_convergence_keeps_close_searches_apart_when_one_is_far_behind():
    good = _searched([0.90, 0.95, 0.97, 0.97, 0.97, 0.97])
    close = _searched([0.92, 0.94, 0.96, 0.96, 0.96, 0.96])
    bad = _searched([0.05, 0.10, 0.20, 0.30, 0.40, 0.50])
    ax = plot_convergence(good, close, bad, labels=["good", "close", "bad"])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.07, 0.02, 0, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(ax.lines[2].get_ydata()[-1], 0.47)
    assert ax.get_yscale() == "symlog"
    assert ax.get_ylabel() == "gap to the best mean test score seen"
    ax.figure.draw_without_rendering()
    to_pixels = ax.transData.transform
    height = ax.bbox.height
    final = [to_pixels((6, line.get_ydata()[-1]))[1] for line in ax.lines]
    # 0.01 apart out of a range of 0.92: still a tenth of the axes apart
    assert final[1] - final[0] > 0.1 * height
    assert all(ax.bbox.y0 - 1 <= y <= ax.bbox.y1 + 1 for y in final)


def test_convergence_with_failed_candidates():
    all_failed = _searched([np.nan, np.nan])
    failed_first = _searched([np.nan, np.nan, 0.6, 0.8])
    ax = plot_convergence(all_failed, failed_first, _searched([0.7, 0.9]))
    assert np.isnan(ax.lines[0].get_ydata()).all()
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [np.nan, np.nan, 0.3, 0.1])
    np.testing.assert_allclose(ax.lines[2].get_ydata(), [0.2, 0.0], atol=1e-12)


def test_convergence_x_ticks_are_whole_candidates():
    ax = plot_convergence(_searched([0.5, 0.6, 0.7]))
    ax.figure.draw_without_rendering()
    low, high = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if low <= t <= high]
    assert len(ticks) >= 2
    assert all(float(t).is_integer() for t in ticks)


def test_convergence_names_each_search_metric():
    accuracy = _searched([0.5, 0.7], scoring="accuracy")
    auc = _searched([0.6, 0.8], scoring="roc_auc")
    ax = plot_convergence(accuracy, auc, labels=["a", "b"])
    assert [line.get_label() for line in ax.lines] == ["a (accuracy)", "b (roc_auc)"]
    assert "accuracy" not in ax.get_ylabel()
    # each is measured against the best of its own metric
    assert ax.lines[0].get_ydata()[-1] == 0 and ax.lines[1].get_ydata()[-1] == 0
    ax = plot_convergence(accuracy, scale="score")
    assert ax.get_ylabel() == "best mean test accuracy so far"
    multi = _searched([0.5, 0.7])
    multi.refit = "f1"
    multi.cv_results_["mean_test_f1"] = multi.cv_results_.pop("mean_test_score")
    ax = plot_convergence(multi, accuracy)
    assert [line.get_label() for line in ax.lines] == ["Search (f1)", "Search (accuracy)"]


def test_scores_of_a_union_draw_every_candidate():
    from conftest import RandomSearch

    space = [{"kernel": ["linear"], "C": Real(0.01, 10, log=True)},
             {"kernel": ["rbf"], "C": Real(0.01, 10, log=True), "gamma": Real(1e-3, 1e1, log=True)}]
    search = RandomSearch(SVC(), space, n_iter=12, cv=3, random_state=0).fit(X, Y)
    params = search.cv_results_["params"]
    n_rbf = sum(p["kernel"] == "rbf" for p in params)
    assert 0 < n_rbf < 12
    axes = plot_scores(search)
    assert [ax.get_xlabel() for ax in axes] == ["kernel", "C", f"gamma ({n_rbf} of 12 candidates)"]
    kernel = axes[0].collections[0].get_offsets()
    assert len(kernel) == 12 and np.isfinite(kernel).all()
    assert [t.get_text() for t in axes[0].get_xticklabels()] == ["linear", "rbf"]
    np.testing.assert_array_equal(kernel[:, 0], [p["kernel"] == "rbf" for p in params])
    gamma = axes[2].collections[0].get_offsets()
    assert len(gamma) == n_rbf and np.isfinite(gamma).all()


def test_score_panels_do_not_overlap():
    from conftest import RandomSearch

    search = RandomSearch(SVC(), SPACE, n_iter=10, cv=3, random_state=0).fit(X, Y)
    axes = plot_scores(search)
    figure = axes[0].figure
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in axes]
    for left, right in zip(boxes, boxes[1:]):
        assert not _overlap(left, right), (left, right)
    assert axes[0].get_ylabel() == "mean test score"


def test_long_category_labels_do_not_collide():
    scalers = [StandardScaler(with_mean=False), MinMaxScaler(feature_range=(-1, 1)),
               RobustScaler(quantile_range=(10.0, 90.0)), QuantileTransformer(n_quantiles=20),
               PowerTransformer(method="box-cox", standardize=False), "passthrough"]
    pipeline = Pipeline([("scaler", StandardScaler()), ("svc", SVC())])
    search = GridSearchCV(pipeline, {"scaler": scalers, "svc__C": [0.1, 10.0]}, cv=3).fit(X, Y)
    axes = plot_scores(search, params=["scaler", "svc__C"])
    figure = axes[0].figure
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    labels = [t for t in axes[0].get_xticklabels() if t.get_text()]
    assert len(labels) == len(scalers)
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), (a, b)
    # each label still tells its category
    shown = [t.get_text().replace("\n", " ") for t in labels]
    names = sorted(s if isinstance(s, str) else repr(s) for s in scalers)
    assert shown[-1] == "passthrough"
    assert all(text.startswith(name.split("(")[0]) for text, name in zip(shown, names))
    boxes = [ax.get_tightbbox(renderer) for ax in axes]
    assert not _overlap(*boxes)


def _close_searches():
    """Three searches that end 0.005 apart after starting 0.4 below."""
    return [_searched(end - 0.4 * 0.6 ** np.arange(30), scoring="accuracy")
            for end in (0.955, 0.96, 0.965)]


def test_convergence_gives_each_search_its_own_colour_marker_and_line_style():
    ax = plot_convergence(*_close_searches(), scale="score")
    lines = ax.lines
    assert len({matplotlib.colors.to_hex(line.get_color()) for line in lines}) == 3
    assert len({line.get_marker() for line in lines}) == 3
    assert len({line.get_linestyle() for line in lines}) == 3
    # markers spaced along each line, at other candidates than the next line's
    spacings = [line.get_markevery() for line in lines]
    assert all(step > 1 and 30 // step <= 10 for _, step in spacings)
    assert len({start for start, _ in spacings}) == 3
    legend = ax.get_legend().get_lines()
    assert [handle.get_marker() for handle in legend] == [line.get_marker() for line in lines]


def test_convergence_score_axis_zooms_to_where_the_best_scores_differ():
    searches = _close_searches()
    ax = plot_convergence(*searches, scale="score")
    low, high = ax.get_ylim()
    finals = [best_so_far(s)[-1] for s in searches]
    assert low < min(finals) and high > max(finals)
    # the 0.01 between the final scores takes a fair part of the axis, not 1/90 of 0.1-1.0
    assert (max(finals) - min(finals)) / (high - low) > 0.2
    assert low > 0.8  # the first candidates (from 0.56) are left below


def test_convergence_score_axis_never_cuts_off_a_final_value():
    behind = _searched(np.linspace(0.3, 0.6, 30), scoring="accuracy")
    ax = plot_convergence(*_close_searches(), behind, scale="score")
    low, high = ax.get_ylim()
    assert low < 0.6 and high > 0.965
    single = plot_convergence(_searched([0.7, 0.7, 0.7]), scale="score")
    low, high = single.get_ylim()
    assert low < 0.7 < high


def test_convergence_has_a_title_and_names_the_metric():
    multi = _searched(np.linspace(0.5, 0.9, 5))
    multi.refit = "f1"
    multi.scoring = ["accuracy", "f1"]
    multi.cv_results_["mean_test_f1"] = multi.cv_results_.pop("mean_test_score")
    multi.cv_results_["mean_test_accuracy"] = np.linspace(0.9, 0.1, 5)
    ax = plot_convergence(multi, scale="score")
    assert ax.get_ylabel() == "best mean test f1 so far"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.linspace(0.5, 0.9, 5))
    assert ax.get_title() == "Convergence of 1 search (mean test f1)"
    ax = plot_convergence(*_close_searches())
    assert ax.get_ylabel() == "gap to the best mean test accuracy seen"
    assert ax.get_title() == "Convergence of 3 searches (mean test accuracy)"


def test_a_multi_metric_search_without_refit_metric_is_drawn_by_its_first_metric():
    search = _searched([0.5, 0.7])
    search.refit = False
    search.cv_results_ = {"mean_test_recall": np.array([0.2, 0.1]),
                          "mean_test_precision": np.array([0.5, 0.7]), "params": [{}, {}]}
    np.testing.assert_array_equal(best_so_far(search), [0.2, 0.2])


def test_plots_read_only_public_results():
    import ast
    import inspect

    import sksearch.plot._reading
    import sksearch.plot

    for module in (sksearch.plot, sksearch.plot._reading):
        tree = ast.parse(inspect.getsource(module))
        imported = [node.module or "" for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom)]
        # public names only (sksearch.base is the public reader of results)
        private = [name for name in imported if "engine" in name
                   or (name.startswith("_") and name not in ("_axes", "_reading"))]
        assert not private, module


def _pareto_ranks(values, senses):
    """Non-dominated sorting of the rows of ``values``: 1 = not dominated, 2 = once 1 is removed."""
    signed = values * np.where(np.array(senses) == "maximize", 1.0, -1.0)
    ranks = np.zeros(len(values), dtype=int)
    rank = 0
    while (ranks == 0).any():
        rank += 1
        left = np.flatnonzero(ranks == 0)
        for i in left:
            others = signed[left]
            if not ((others >= signed[i]).all(axis=1) & (others > signed[i]).any(axis=1)).any():
                ranks[i] = rank
    return ranks


def _front_and_others(ax):
    front, = ax.lines
    others, *refit = ax.collections
    return front.get_xydata(), others.get_offsets(), refit


def test_pareto_of_a_stand_in_draws_candidates_front_and_refit_choice():
    class Search:
        objectives = {"accuracy": "maximize", "fit_time": "minimize"}
        best_index_ = 2
        pareto_front_ = [4, 0, 2]  # the rank-1 rows at the full resource

    search = Search()
    search.cv_results_ = {
        "mean_test_accuracy": np.array([0.90, 0.99, 0.95, np.nan, 0.97, 0.85, 0.93]),
        "mean_fit_time": np.array([0.1, 0.05, 0.2, 0.3, 0.5, 0.4, 0.3]),
        "rank_pareto": np.array([1, 1, 1, 3, 1, 2, 2]),
        "n_resources": np.array([9, 3, 9, 9, 9, 9, 9]),  # row 1 is at a lower rung
        "params": [{}] * 7,
    }
    ax = plot_pareto(search)
    front, others, (refit,) = _front_and_others(ax)
    np.testing.assert_array_equal(front, [[0.90, 0.1], [0.95, 0.2], [0.97, 0.5]])
    # the failed row 3 and the lower rung's row 1 are not drawn
    np.testing.assert_array_equal(others, [[0.85, 0.4], [0.93, 0.3]])
    np.testing.assert_array_equal(refit.get_offsets(), [[0.95, 0.2]])
    assert ax.get_xlabel() == "mean test accuracy (maximized)"
    assert ax.get_ylabel() == "mean fit time in s (minimized)"
    assert ax.get_title() == "Pareto front: 3 of 5 candidates"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Pareto front (3)", "other candidates (2)", "refit choice (candidate 2)"]
    # the axes swapped, and without a refit choice
    del Search.best_index_
    ax = plot_pareto(search, objectives=["fit_time", "accuracy"])
    front, _, refit = _front_and_others(ax)
    np.testing.assert_array_equal(front, [[0.1, 0.90], [0.2, 0.95], [0.5, 0.97]])
    assert refit == [] and ax.get_xlabel() == "mean fit time in s (minimized)"


def test_pareto_of_a_multi_metric_randomized_search():
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import RandomizedSearchCV
    from sklearn.tree import DecisionTreeClassifier

    X, y = load_breast_cancer(return_X_y=True)
    space = {"max_depth": range(1, 8), "min_samples_leaf": range(1, 60),
             "class_weight": [None, {0: 1, 1: 5}, {0: 5, 1: 1}]}
    search = RandomizedSearchCV(DecisionTreeClassifier(random_state=0), space, n_iter=20, cv=3,
                                scoring=["precision", "recall"], refit="recall",
                                random_state=0).fit(X, y)
    results = search.cv_results_
    search.objectives = {"precision": "maximize", "recall": "maximize"}
    values = np.column_stack([results["mean_test_precision"], results["mean_test_recall"]])
    results["rank_pareto"] = _pareto_ranks(values, ["maximize", "maximize"])
    on_front = results["rank_pareto"] == 1
    assert 2 <= on_front.sum() < 20

    ax = plot_pareto(search)
    front, others, (refit,) = _front_and_others(ax)
    order = np.argsort(values[on_front, 0], kind="stable")
    np.testing.assert_array_equal(front, values[on_front][order])
    assert (np.diff(front[:, 0]) >= 0).all()
    assert len(others) == 20 - on_front.sum()
    np.testing.assert_array_equal(refit.get_offsets(), [values[search.best_index_]])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("mean test precision (maximized)",
                                                  "mean test recall (maximized)")


def test_pareto_refuses_a_search_without_several_objectives(fitted):
    ours, grid = fitted
    with pytest.raises(ValueError, match="plot_pareto needs a search with several objectives.*"
                                         "this GridSearchCV has objectives=None"):
        plot_pareto(grid)

    class Three:
        objectives = {"accuracy": "maximize", "recall": "maximize", "fit_time": "minimize"}
        cv_results_ = {"mean_test_accuracy": [0.9], "mean_test_recall": [0.8],
                       "mean_fit_time": [0.1], "rank_pareto": [1], "params": [{}]}

    with pytest.raises(ValueError, match=r"has 3 objectives .*pass objectives=\[x, y\]"):
        plot_pareto(Three())
    with pytest.raises(ValueError, match="objectives must name two of the search's objectives"):
        plot_pareto(Three(), objectives=["accuracy", "f1"])
    ax = plot_pareto(Three(), objectives=["recall", "fit_time"])
    assert ax.get_xlabel() == "mean test recall (maximized)"
    Three.objectives = {"accuracy": "maximize"}
    with pytest.raises(ValueError, match="several objectives"):
        plot_pareto(Three())
    Three.objectives = {"accuracy": "maximize", "recall": "maximize"}
    del Three.cv_results_["rank_pareto"]
    with pytest.raises(ValueError, match=r"no cv_results_\['rank_pareto'\]"):
        plot_pareto(Three())
