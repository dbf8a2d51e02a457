"""What a user passes in: the shared parameters' text and signature (:mod:`._docs`),
other tuners' keywords and spellings (:mod:`._other_tuners`), and numeric
constraints that refuse a bool (:mod:`._no_bools`)."""
