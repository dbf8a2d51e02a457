import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from sksearch.plot import best_so_far, plot_convergence, plot_pair, plot_scores  # noqa: E402
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
    ax = plot_convergence(ours, grid, labels=["ours", "grid"])
    assert [line.get_label() for line in ax.lines] == ["ours", "grid"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), best_so_far(ours))
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(1, 7))
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="1 labels for 2 searches"):
        plot_convergence(ours, grid, labels=["one"])


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
