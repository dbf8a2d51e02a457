"""Tests of the Keras wrappers, on the digits bundled with scikit-learn.

Networks are tiny and train for a few epochs on a few hundred samples: the
tests check the wrapper's contract, not how well a network can do.
"""

import doctest
import importlib
import os
import pickle
import pkgutil
import subprocess
import sys
import warnings

import joblib
import keras
import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.datasets import load_digits, make_regression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_set_params, estimator_checks_generator

import sksearch.keras
from sksearch import BayesSearchCV, GeneticSearchCV, PSOSearchCV
from sksearch.keras._process import quiet_tensorflow
from sksearch.keras import KerasClassifier, KerasRegressor

NAMES = np.array(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
)


def dense_net(
    n_features_in, n_classes, n_layers=1, units=16, activation="relu", dropout=0.0
):
    layers = [keras.Input((n_features_in,))]
    for _ in range(n_layers):
        layers += [keras.layers.Dense(units, activation=activation)]
        layers += [keras.layers.Dropout(dropout)]
    layers += [keras.layers.Dense(n_classes, activation="softmax")]
    return keras.Sequential(layers)


def conv_net(input_shape, n_classes, filters=4, kernel_size=3, dropout=0.0, units=16):
    return keras.Sequential(
        [
            keras.Input(input_shape),
            keras.layers.Conv2D(filters, kernel_size, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )


def binary_net(n_features_in, units=8):
    return keras.Sequential(
        [
            keras.Input((n_features_in,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def dense_regressor(n_features_in, n_outputs, units=16):
    return keras.Sequential(
        [
            keras.Input((n_features_in,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(n_outputs),
        ]
    )


def compiled_net(n_features_in, n_classes, units=8):
    model = dense_net(n_features_in, n_classes, units=units)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


def eager_classifier(n_features_in, n_classes, units=8):
    # The estimator checks fit a few hundred models on tiny data, where
    # tracing a graph costs more than training: run those eagerly.
    model = dense_net(n_features_in, n_classes, units=units)
    model.compile("adam", "sparse_categorical_crossentropy", run_eagerly=True)
    return model


def eager_regressor(n_features_in, n_outputs, units=8):
    model = dense_regressor(n_features_in, n_outputs, units=units)
    model.compile("adam", "mean_squared_error", run_eagerly=True)
    return model


@pytest.fixture(scope="module")
def digits():
    """400 training and 200 held-out digits, pixels scaled to [0, 1]."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    return X[:400], y[:400], X[400:600], y[400:600]


def images(X):
    return X.reshape(-1, 8, 8, 1)


# ---------------------------------------------------------------- parameters


def test_build_function_keywords_are_parameters():
    clf = KerasClassifier(dense_net, units=32, epochs=2)
    params = clf.get_params()
    assert params["units"] == 32
    assert params["n_layers"] == 1  # the build function's default
    assert params["epochs"] == 2
    assert params["learning_rate"] is None  # the optimizer's default
    assert "n_features_in" not in params and "n_classes" not in params
    clf.set_params(units=64, activation="tanh", learning_rate=0.01)
    assert clf.get_params()["units"] == 64
    assert clf.get_params()["learning_rate"] == 0.01
    assert clone(clf).get_params() == clf.get_params()


def test_new_build_function_changes_the_parameters(digits):
    X, y, _, _ = digits
    # clone() passes every default of dense_net to the new estimator.
    clf = clone(KerasClassifier(dense_net, units=8, learning_rate=0.01, epochs=1))
    clf.set_params(model=conv_net, filters=2)
    params = clf.get_params()
    assert params["filters"] == 2 and params["units"] == 8
    assert params["learning_rate"] == 0.01
    assert "n_layers" not in params and "activation" not in params
    assert clf.fit(images(X), y).model_.layers[0].filters == 2


@pytest.mark.parametrize("Estimator", [KerasClassifier, KerasRegressor])
def test_unknown_parameter_lists_valid_names(Estimator, digits):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match=r"\['unitz'\].*Valid names are.*'units'"):
        Estimator(dense_net).set_params(unitz=8)
    with pytest.raises(ValueError, match=r"\['unitz'\].*Valid names are.*'units'"):
        Estimator(dense_net, unitz=8).fit(X, y)


def test_refused_set_params_changes_nothing():
    clf = KerasClassifier(dense_net, units=8)
    with pytest.raises(ValueError, match=r"\['unitz'\]"):
        clf.set_params(model=conv_net, filters=2, unitz=3)
    assert clf.model is dense_net
    assert clf.get_params()["units"] == 8 and clf.get_params()["n_layers"] == 1
    assert "filters" not in clf.get_params()


def test_model_that_is_not_a_function_is_refused_by_fit(digits):
    X, y, _, _ = digits
    clf = KerasClassifier(dense_net, units=8).set_params(model=None, units=4)
    assert clf.get_params()["units"] == 4
    with pytest.raises(ValueError, match="'model' parameter of KerasClassifier must be a callable"):
        clf.fit(X, y)


@pytest.mark.parametrize("Estimator, build", [(KerasClassifier, eager_classifier),
                                              (KerasRegressor, eager_regressor)])
def test_set_params_passes_scikit_learns_check_without_warnings(Estimator, build):
    # The check sets every parameter, the build function included, to -inf,
    # inf and None, and warns if one is refused or a refusal changed anything.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_set_params(Estimator.__name__, Estimator(build, epochs=1, random_state=0))


@pytest.mark.parametrize(
    "name, value, plain",
    [("model__units", 8, "units"), ("optimizer__learning_rate", 0.01, "learning_rate"),
     ("model__learning_rate", 0.01, "learning_rate")],
)
def test_scikeras_prefixes_name_the_plain_parameter(name, value, plain, digits):
    X, y, _, _ = digits
    hint = rf"'{name}': parameters have no routing prefix here, use the plain name '{plain}'"
    with pytest.raises(ValueError, match=hint):
        KerasClassifier(dense_net, epochs=1, **{name: value}).fit(X, y)
    with pytest.raises(ValueError, match=hint):
        KerasClassifier(dense_net).set_params(**{name: value})
    search = GridSearchCV(KerasClassifier(dense_net, epochs=1), {name: [value]}, cv=2,
                          error_score="raise")
    with pytest.raises(ValueError, match=hint):
        search.fit(X, y)


def test_scikeras_prefixes_are_refused_even_by_a_build_function_taking_any_keyword(digits):
    X, y, _, _ = digits

    def flexible(n_features_in, n_classes, **options):
        return dense_net(n_features_in, n_classes, **options)

    with pytest.raises(ValueError, match="use the plain name 'units'"):
        KerasClassifier(flexible, model__units=8, epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="only learning_rate is passed to the optimizer"):
        KerasClassifier(dense_net, optimizer__momentum=0.9).fit(X, y)
    with pytest.raises(ValueError, match="build function dense_net has no keyword 'unitz'"):
        KerasClassifier(dense_net).set_params(model__unitz=8)
    with pytest.raises(ValueError, match="not routed by prefix here; set callbacks itself"):
        KerasClassifier(dense_net).set_params(callbacks__patience=3)


def test_missing_hyperparameter_is_named(digits):
    X, y, _, _ = digits

    def needs_units(n_features_in, n_classes, units):
        return dense_net(n_features_in, n_classes, units=units)

    clf = KerasClassifier(needs_units)
    assert clf.get_params()["units"] is None
    with pytest.raises(ValueError, match="needs 'units': pass units=... to"):
        clf.fit(X, y)
    assert clf.set_params(units=4).fit(X, y).model_.layers[0].units == 4


def test_build_function_taking_any_keyword(digits):
    X, y, _, _ = digits

    def flexible(n_features_in, n_classes, **options):
        return dense_net(n_features_in, n_classes, **options)

    clf = KerasClassifier(flexible, units=4, epochs=1).set_params(activation="tanh")
    assert clf.get_params()["activation"] == "tanh"
    dense = clf.fit(X, y).model_.layers[0]
    assert (dense.units, dense.activation.__name__) == (4, "tanh")


def test_build_function_must_return_a_model(digits):
    X, y, _, _ = digits
    with pytest.raises(TypeError, match="must return a keras.Model, got list"):
        KerasClassifier(lambda: []).fit(X, y)


# ------------------------------------------------------------------- compile


@pytest.mark.parametrize(
    "optimizer", ["sgd", keras.optimizers.SGD, keras.optimizers.SGD(momentum=0.5)]
)
def test_uncompiled_model_gets_the_optimizer_and_learning_rate(optimizer, digits):
    X, y, _, _ = digits
    clf = KerasClassifier(dense_net, optimizer=optimizer, learning_rate=0.05, epochs=1)
    clf.fit(X, y)
    assert isinstance(clf.model_.optimizer, keras.optimizers.SGD)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.05)
    assert clf.model_.optimizer is not optimizer


@pytest.mark.parametrize(
    "Estimator, build, target, loss",
    [
        (KerasClassifier, binary_net, "binary", "binary_crossentropy"),
        (KerasClassifier, dense_net, "binary", "sparse_categorical_crossentropy"),
        (KerasClassifier, dense_net, "multiclass", "sparse_categorical_crossentropy"),
        (KerasRegressor, dense_regressor, "continuous", "mean_squared_error"),
    ],
)
def test_loss_is_chosen_from_the_model_and_target(Estimator, build, target, loss, digits):
    X, y, X_test, _ = digits
    y = {"binary": y % 2, "multiclass": y, "continuous": y / 9}[target]
    estimator = Estimator(build, epochs=1).fit(X, y)
    assert estimator.model_.loss == loss
    assert estimator.predict(X_test).shape == (len(X_test),)


def test_output_layer_must_match_the_classes(digits):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match="1 outputs for 10 classes"):
        KerasClassifier(binary_net).fit(X, y)


def test_compiled_model_is_kept(digits):
    X, y, _, _ = digits
    clf = KerasClassifier(compiled_net, epochs=1).fit(X, y)
    assert isinstance(clf.model_.optimizer, keras.optimizers.SGD)
    with pytest.raises(ValueError, match="learning_rate=0.1 would be unused"):
        KerasClassifier(compiled_net, learning_rate=0.1).fit(X, y)


# -------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "labels",
    [NAMES[:2], NAMES, np.array([3, 7, 10, 12, 20, 21, 30, 31, 40, 99])],
    ids=["binary-strings", "multiclass-strings", "non-contiguous-integers"],
)
def test_any_labels(labels, digits):
    X, y, X_test, y_test = digits
    keep, keep_test = y < len(labels), y_test < len(labels)
    clf = KerasClassifier(dense_net, epochs=8, learning_rate=0.02, random_state=0)
    clf.fit(X[keep], labels[y[keep]])
    assert list(clf.classes_) == sorted(labels)
    proba = clf.predict_proba(X_test[keep_test])
    assert proba.shape == (keep_test.sum(), len(labels))
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert set(clf.predict(X_test)) <= set(labels)
    assert clf.score(X_test[keep_test], labels[y_test[keep_test]]) > 0.6


def test_class_weight_is_sample_weight_by_label(digits):
    X, y, X_test, _ = digits
    labels = NAMES[y]
    weight_of = {name: 1.0 + i for i, name in enumerate(NAMES)}
    weights = np.array([weight_of[name] for name in labels])
    clf = KerasClassifier(dense_net, epochs=2, random_state=0)
    by_class = clone(clf).set_params(class_weight=weight_of).fit(X, labels)
    by_sample = clone(clf).fit(X, labels, sample_weight=weights)
    unweighted = clone(clf).fit(X, labels)
    np.testing.assert_allclose(
        by_class.predict_proba(X_test), by_sample.predict_proba(X_test), rtol=1e-5
    )
    assert not np.allclose(by_class.predict_proba(X_test), unweighted.predict_proba(X_test))
    balanced = clone(clf).set_params(class_weight="balanced").fit(X[y < 2], y[y < 2])
    assert list(balanced.classes_) == [0, 1]


# ------------------------------------------------------------------- fitting


def test_early_stopping_inside_cross_validation(digits):
    X, y, _, _ = digits
    # An improvement of 1000 never comes: training stops after patience + 1 epochs.
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e3, patience=1)
    clf = KerasClassifier(
        dense_net, epochs=50, validation_split=0.2, callbacks=[stop], metrics=["accuracy"]
    )
    search = GridSearchCV(clf, {"units": [8]}, cv=2).fit(X, y)
    history = search.best_estimator_.history_
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["loss"]) == 2
    assert stop.model is None  # the parameter was copied, not used


def test_same_seed_same_predictions(digits):
    X, y, X_test, _ = digits
    dense = KerasClassifier(dense_net, epochs=2, dropout=0.2, random_state=3)
    first = clone(dense).fit(X, y).predict_proba(X_test)
    np.testing.assert_array_equal(clone(dense).fit(X, y).predict_proba(X_test), first)
    other_seed = dense.set_params(random_state=4).fit(X, y).predict_proba(X_test)
    assert not np.allclose(first, other_seed)
    conv = KerasClassifier(conv_net, epochs=2, dropout=0.2, random_state=3)
    first = clone(conv).fit(images(X), y).predict_proba(images(X_test))
    second = clone(conv).fit(images(X), y).predict_proba(images(X_test))
    np.testing.assert_array_equal(first, second)


def test_regressor():
    X, y = make_regression(
        n_samples=300, n_features=5, n_targets=2, noise=1, random_state=0
    )
    X, y = X.astype(np.float32), y / np.abs(y).max()
    reg = KerasRegressor(dense_regressor, epochs=20, learning_rate=0.02, random_state=0)
    assert reg.fit(X[:200], y[:200]).predict(X[200:]).shape == (100, 2)
    assert reg.score(X[200:], y[200:]) > 0.8
    assert reg.fit(X[:200], y[:200, 0]).predict(X[200:]).shape == (100,)
    assert reg.n_outputs_ == 1


def test_importing_the_wrappers_does_not_import_keras():
    script = (
        "import sys, sksearch, sksearch.keras\n"
        "assert not {'keras', 'tensorflow'} & set(sys.modules), 'keras was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_docstring_examples_run():
    # The wrappers live in private submodules: the finder, which keeps only the
    # objects defined in the module it is given, is given each of them.
    names = [info.name for info in pkgutil.iter_modules(sksearch.keras.__path__,
                                                        "sksearch.keras.")]
    modules = [sksearch.keras, *map(importlib.import_module, names)]
    tests = [test for module in modules for test in doctest.DocTestFinder().find(module)
             if test.examples]
    assert {test.name.rsplit(".", 1)[-1] for test in tests} >= {"KerasClassifier",
                                                                  "KerasRegressor"}
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0 and results.attempted >= 10


# ---------------------------------------------------------- pickle and clone


def test_pickle_and_clone_before_and_after_fit(digits):
    X, y, X_test, _ = digits
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=2)
    clf = KerasClassifier(dense_net, units=8, epochs=2, callbacks=[stop], random_state=0)
    restored = pickle.loads(pickle.dumps(clf))
    assert restored.get_params().keys() == clf.get_params().keys()
    assert restored.units == 8

    clf.fit(X, NAMES[y])
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X_test), clf.predict_proba(X_test))
    assert restored.history_ == clf.history_
    unfitted = clone(clf)
    assert not hasattr(unfitted, "model_")
    assert unfitted.get_params()["units"] == 8


def test_best_estimator_loads_in_a_fresh_process(digits, tmp_path):
    X, y, X_test, _ = digits
    search = RandomizedSearchCV(
        KerasClassifier(dense_net, epochs=2, random_state=0),
        {"units": [8, 16], "learning_rate": loguniform(1e-3, 1e-1)},
        n_iter=2,
        cv=2,
        random_state=0,
    ).fit(X, NAMES[y])
    model, data, proba = (tmp_path / name for name in ("best.joblib", "X.npy", "proba.npy"))
    joblib.dump(search.best_estimator_, model)
    np.save(data, X_test)
    script = (
        "import sys, joblib, numpy as np\n"
        "model, data, proba = sys.argv[1:]\n"
        "np.save(proba, joblib.load(model).predict_proba(np.load(data)))\n"
    )
    # The build function is pickled by reference: its module must be importable.
    here = os.path.dirname(__file__)
    path = [here, os.path.dirname(here), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    command = [sys.executable, "-c", script, str(model), str(data), str(proba)]
    subprocess.run(command, check=True, env=env, timeout=120)
    expected = search.best_estimator_.predict_proba(X_test)
    np.testing.assert_allclose(np.load(proba), expected, rtol=1e-6)


# --------------------------------------------------------- search machinery


def test_inside_a_pipeline(digits):
    X, y, X_test, y_test = digits
    net = KerasClassifier(dense_net, epochs=3, learning_rate=0.02, random_state=0)
    pipe = make_pipeline(StandardScaler(), net)
    search = GridSearchCV(pipe, {"kerasclassifier__units": [8, 16]}, cv=2).fit(X, y)
    assert search.best_params_["kerasclassifier__units"] in (8, 16)
    assert search.score(X_test, y_test) > 0.5


def _intraop_threads(estimator, X, y):
    return float(os.environ["TF_NUM_INTRAOP_THREADS"])


def _omp_threads(estimator, X, y):
    return float(os.environ["OMP_NUM_THREADS"])


def _process(estimator, X, y):
    return float(os.getpid())


def test_parallel_workers_limit_tensorflow_threads(digits):
    X, y, _, _ = digits
    scoring = {"accuracy": "accuracy", "intraop": _intraop_threads, "omp": _omp_threads}
    scoring["process"] = _process
    search = GridSearchCV(
        KerasClassifier(dense_net, epochs=2, learning_rate=0.02),
        {"units": [8, 16]},
        cv=2,
        n_jobs=2,
        scoring=scoring,
        refit=False,
    ).fit(X, y)
    results = search.cv_results_
    # joblib gives each of the 2 workers its share of the cores as OMP_NUM_THREADS.
    assert np.all(results["mean_test_omp"] * 2 <= max(joblib.cpu_count(), 2))
    np.testing.assert_array_equal(results["mean_test_intraop"], results["mean_test_omp"])
    assert os.getpid() not in results["split0_test_process"]
    assert np.all(results["mean_test_accuracy"] > 0.2)


QUIET_SEARCH = """
from sklearn.datasets import load_iris
from sksearch import BayesSearchCV
from sksearch.keras import KerasClassifier


def build(n_features_in, n_classes, units=8):
    import keras

    return keras.Sequential([keras.Input((n_features_in,)),
                             keras.layers.Dense(units, activation="relu"),
                             keras.layers.Dense(n_classes, activation="softmax")])


if __name__ == "__main__":
    X, y = load_iris(return_X_y=True)
    net = KerasClassifier(build, epochs=1, random_state=0)
    search = BayesSearchCV(net, {"units": [4, 8, 16, 32, 64]}, n_iter=4, cv=3, n_jobs=2,
                           random_state=0).fit(X, y)
    print("best", search.best_params_)
"""
# What TensorFlow writes at start-up (oneDNN, CPU instructions, absl) and when a
# worker traces a new model again and again.
TENSORFLOW_NOISE = ("oneDNN", "cpu_feature_guard", "absl::", "retracing", "WARNING:tensorflow")


def test_parallel_search_is_quiet(tmp_path):
    # 12 fits on 2 workers: each worker starts TensorFlow and traces 6 models.
    script = tmp_path / "quiet_search.py"
    script.write_text(QUIET_SEARCH)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.dirname(__file__)),
                                        env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("best {'units': ")
    noise = [line for line in proc.stderr.splitlines()
             if any(word in line for word in TENSORFLOW_NOISE)]
    assert noise == [], proc.stderr[-3000:]


def test_tensorflow_warnings_are_dropped_only_in_quiet_calls():
    import logging

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("tensorflow")
    logger.addHandler(handler)
    level = logger.level  # another library's logging set-up (SMAC's) may have changed it
    logger.setLevel(logging.WARNING)
    try:
        with quiet_tensorflow(0):
            logger.warning("quiet: retracing")
            logger.error("quiet: an error")
        with quiet_tensorflow(1):
            logger.warning("verbose: retracing")
        logger.warning("outside: retracing")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert [r.getMessage() for r in records] == [
        "quiet: an error", "verbose: retracing", "outside: retracing"]


SEARCHES = {
    "pso": PSOSearchCV,
    "genetic": GeneticSearchCV,
    "bayes": BayesSearchCV,
}
NETS = {
    "dense": (
        dense_net,
        lambda X: X,
        {
            "n_layers": [1, 2],
            "units": [16, 32],
            "activation": ["relu", "tanh"],
            "dropout": [0.0, 0.2],
            "learning_rate": loguniform(3e-3, 3e-2),
        },
    ),
    "conv": (
        conv_net,
        images,
        {
            "filters": [4, 8],
            "kernel_size": [2, 3],
            "dropout": [0.0, 0.2],
            "units": [16, 32],
            "learning_rate": loguniform(3e-3, 3e-2),
        },
    ),
}


@pytest.mark.parametrize("net", sorted(NETS))
@pytest.mark.parametrize("search", sorted(SEARCHES))
def test_searches_tune_networks(search, net, digits):
    X, y, X_test, y_test = digits
    build, shape, space = NETS[net]
    clf = KerasClassifier(build, epochs=4, batch_size=32, random_state=0)
    tuned = SEARCHES[search](clf, space, n_iter=4, cv=2, random_state=0)
    tuned.fit(shape(X), NAMES[y])
    assert len(tuned.cv_results_["params"]) == 4
    assert tuned.best_params_.keys() == space.keys()
    assert tuned.best_estimator_.get_params()["units"] == tuned.best_params_["units"]
    assert tuned.score(shape(X_test), NAMES[y_test]) > 0.5


@pytest.mark.parametrize("search", ["bayes", "pso"])
def test_epochs_as_the_resource_of_a_multi_fidelity_search(search, digits):
    X, y, X_test, y_test = digits
    clf = KerasClassifier(dense_net, epochs=9, batch_size=32, random_state=0)
    space = {"units": [8, 16, 32], "learning_rate": loguniform(3e-3, 3e-2)}
    tuned = SEARCHES[search](clf, space, n_iter=3, cv=2, random_state=0, resource="epochs",
                             min_resources=1)
    tuned.fit(X, NAMES[y])
    results = tuned.cv_results_
    assert tuned.n_resources_ == [1, 3, 9]
    assert [p["epochs"] for p in results["params"]] == list(results["n_resources"])
    assert len(set(results["n_resources"])) >= 2  # cheap rungs, then the full one
    assert np.sum(results["n_resources"]) <= 3 * 9
    assert tuned.best_params_["epochs"] == 9
    assert tuned.best_estimator_.get_params()["epochs"] == 9
    assert tuned.score(X_test, NAMES[y_test]) > 0.5


# ------------------------------------------------ scikit-learn's own checks

# Checks that cannot apply to these wrappers, and why.
NOT_APPLICABLE = {
    "check_no_attributes_set_in_init": (
        "the build function's hyperparameters are stored as attributes by "
        "design (the **params of __init__); the check only knows named arguments"
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        "minibatch gradient descent: a sample of weight 2 is not two copies "
        "of it spread over shuffled batches"
    ),
}


@pytest.mark.parametrize("make", [
    lambda: KerasClassifier(eager_classifier, epochs=1, random_state=0),
    lambda: KerasRegressor(eager_regressor, epochs=1, random_state=0),
], ids=["classifier", "regressor"])
def test_predictions_do_not_depend_on_order_or_subset(make):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    est = make().fit(X, y)
    methods = [m for m in ("predict", "predict_proba") if hasattr(est, m)]
    order = rng.permutation(len(X))
    for method in methods:
        whole = getattr(est, method)(X)
        np.testing.assert_allclose(getattr(est, method)(X[order]), whole[order],
                                   rtol=1e-5, atol=1e-6, err_msg=method)
        np.testing.assert_allclose(getattr(est, method)(X[:7]), whole[:7],
                                   rtol=1e-5, atol=1e-6, err_msg=method)


# These compare predictions of differently ordered or sized batches at float64
# precision (1e-9, 1e-7); TensorFlow's float32 kernels vectorize over the whole
# batch, so a row's last bit depends on where it falls (1 ulp, 3e-8 to 2e-7
# measured on Dense and softmax outputs). Whether they pass is a matter of
# rounding, not of the wrapper: they are left out of the parametrization, and
# test_predictions_do_not_depend_on_order_or_subset checks the same property at
# float32 precision.
DECIDED_BY_ROUNDING = {"check_methods_sample_order_invariance", "check_methods_subset_invariance"}


def _name(value):
    """A test id: a check's function name, an estimator's class name."""
    return getattr(getattr(value, "func", value), "__name__", type(value).__name__)


def _estimator_checks():
    """scikit-learn's checks of both wrappers (strict xfail for NOT_APPLICABLE), those
    DECIDED_BY_ROUNDING left out."""
    for estimator in (KerasClassifier(eager_classifier, epochs=1, random_state=0),
                      KerasRegressor(eager_regressor, epochs=1, random_state=0)):
        for item in estimator_checks_generator(estimator, expected_failed_checks=NOT_APPLICABLE,
                                               mark="xfail", xfail_strict=True):
            _, check = getattr(item, "values", item)
            if _name(check) not in DECIDED_BY_ROUNDING:
                yield item


@pytest.mark.parametrize("estimator, check", list(_estimator_checks()), ids=_name)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_fits_leave_no_optimizer_graphs_behind(digits):
    # A long search fits hundreds of networks in each worker process: graphs
    # kept per fit add up until joblib restarts the worker with a warning.
    import gc

    from tensorflow.python.framework.func_graph import FuncGraph

    X, y, _, _ = digits

    def graphs():
        gc.collect()
        return sum(isinstance(o, FuncGraph) for o in gc.get_objects())

    KerasClassifier(dense_net, epochs=1, random_state=0).fit(X, y)
    before = graphs()
    for _ in range(3):
        KerasClassifier(dense_net, epochs=1, random_state=0).fit(X, y)
    assert graphs() - before <= 3  # one training step per fit, none per optimizer variable


def test_warm_start_trains_on_and_a_search_over_epochs_continues_its_networks(digits):
    from sklearn.model_selection import KFold

    X, y = digits[0][:200], digits[1][:200]
    clf = KerasClassifier(dense_net, epochs=9, units=8, random_state=0)
    cv = KFold(2, shuffle=True, random_state=0)
    search = BayesSearchCV(clf, {"units": [4, 8, 16, 32]}, n_iter=2, cv=cv, random_state=0,
                           resource="epochs", min_resources=1, refit=False).fit(X, y)
    results = search.cv_results_
    continued = np.flatnonzero(results["continued_from"] > 0)
    assert len(continued)
    for i in continued:
        units = results["params"][i]["units"]
        chain = [int(r) for j, r in enumerate(results["n_resources"])
                 if results["params"][j]["units"] == units and j <= i]
        for k, (train, test) in enumerate(cv.split(X, y)):
            model = clone(clf).set_params(units=units, epochs=chain[0])
            model.fit(X[train], y[train])
            for epochs in chain[1:]:
                model.set_params(warm_start=True, epochs=epochs).fit(X[train], y[train])
            assert len(model.history_["loss"]) == chain[-1]
            assert results[f"split{k}_test_score"][i] == pytest.approx(
                model.score(X[test], y[test]))


def test_a_subclass_of_a_wrapper_defined_elsewhere_continues_its_epochs():
    from sksearch.engine.fidelity._continuation import how_it_continues
    from sksearch.keras import KerasClassifier, KerasRegressor

    class Timed(KerasClassifier):  # a user's subclass, in a module of theirs
        pass

    assert Timed.__module__ != "sksearch.keras"
    assert how_it_continues(Timed(model=None), "epochs") == "total"
    assert how_it_continues(make_pipeline(StandardScaler(), Timed(model=None)),
                            "timed__epochs") == "total"
    assert how_it_continues(KerasRegressor(model=None), "epochs") == "total"
