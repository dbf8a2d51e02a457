"""What a user passes in: the shared parameters' text and signature (:mod:`._docs`),
the checks of the data, fit parameters, scoring and estimator before any fit
(:mod:`._checks`), other tuners' keywords and spellings (:mod:`._other_tuners`),
and numeric constraints that refuse a bool (:mod:`._no_bools`)."""
