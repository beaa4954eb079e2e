"""The chapters' companions: code that a chapter shows, runs or draws.

These modules are not the library's API (that is :mod:`derivations`); each
serves the chapters its docstring names: Jacobians built three ways
(:mod:`.jacobians`), the loss nodes of chapter 6 (:mod:`.nodes`), the
linear and two-layer networks (:mod:`.network`), the toy network's graph
(:mod:`.graph_figure`), training (:mod:`.training`), the cost model
(:mod:`.roofline`), backprop by operation (:mod:`.elementary`), accuracy
against 50-digit references (:mod:`.accuracy`), error demos (:mod:`.demos`)
and the figures (:mod:`.figures`).
"""
