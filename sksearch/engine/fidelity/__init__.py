"""Multi-fidelity: the resource and its ladder (:mod:`._resources`), and the
brackets of successive halving (:mod:`._brackets`, pure arithmetic) that the
bracket schedule (:mod:`._schedule`) runs."""
