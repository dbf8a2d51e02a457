"""The Gaussian process (:mod:`._gp`), its output warping (:mod:`._warping`)
and the acquisition functions (:mod:`._acquisition`) that model-based
optimizers use; numpy and scipy only."""
