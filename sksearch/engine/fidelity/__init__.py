"""Multi-fidelity: the resource and its ladder (:mod:`._resources`), the
brackets of successive halving (:mod:`._brackets`, pure arithmetic), the
schedule that runs them through the loop (:mod:`._schedule`) and fit reuse
across rungs (:mod:`._continuation`)."""
