"""Which level forecasts a product line and the total: their nodes added up, or themselves.

Middle-out forecasts product line x region nodes and adds them up. That is the best
forecast of a product line or of the company only when the nodes' errors cancel; a
series summed over regions can be smoother, or show a season or trend the nodes
blur, and then its own forecast is better. So each product line and the total is
also forecast directly (the same candidates, seasonal naive among them, selected on
the same rolling origins), and per product line, then for the total, the backtest
decides: if the direct forecast's lag 1..6 absolute error beats the sum of its
children's, the children are scaled to it (top-down by their own forecast's
proportions, per month), else the sum stands (bottom-up). The backtest forecasts
are scaled the same way, so the intervals are calibrated on the forecast used.

Why not MinT (sktime ``Reconciler``, hierarchicalforecast): MinT needs every node's
in-sample residual covariance, which the rolling-origin backtest gives only as 12
origins for 41 series (the shrunk covariance is then mostly its diagonal, i.e. WLS),
and as a weighted average it can only pull the total part-way to a better direct
forecast; a per-node choice measured on the backtest is simpler and can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models_ml.config import CycleConfig
from models_ml.middle_out import NodeForecast, NodePanel, forecast_series

BOTTOM_UP = "sum_of_nodes"


@dataclass(frozen=True)
class LevelChoice:
    """Per product line and for the total: ``sum_of_nodes`` or ``<model>@<level>``."""

    product_line: pd.Series
    total: str


def _grid(cv: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backtest frame -> (forecast, actual) arrays of shape series x cutoffs x horizons."""
    cutoffs = np.sort(cv["cutoff"].unique()).astype(np.int64)
    h = int(cv["horizon"].max()) if len(cv) else 0
    fc, y = np.full((n, len(cutoffs), h), np.nan), np.full((n, len(cutoffs), h), np.nan)
    if len(cv):
        c = np.searchsorted(cutoffs, cv["cutoff"].to_numpy().astype(np.int64))
        idx = (cv["unique_id"].to_numpy().astype(np.int64), c, cv["horizon"].to_numpy() - 1)
        fc[idx], y[idx] = cv["forecast"].to_numpy(), cv["y"].to_numpy()
    return fc, y, cutoffs


def _sum_rows(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum the rows of ``values`` (first axis) by group, NaN if any member is NaN."""
    out = np.zeros((n_groups, *values.shape[1:]))
    np.add.at(out, groups, values)
    return out


def _scale(child: np.ndarray, parent_of: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Children scaled so they add up to ``target`` of their parent (zero sums stay zero)."""
    total = _sum_rows(child, parent_of, target.shape[0])
    factor = np.where(total > 0, target / np.where(total > 0, total, 1.0), 1.0)
    scaled: np.ndarray = child * factor[parent_of]
    return scaled


def _choose(children_sum_fc: np.ndarray, direct_fc: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Per parent: True where the direct forecast's backtest absolute error is lower."""
    ok = ~np.isnan(children_sum_fc) & ~np.isnan(direct_fc) & ~np.isnan(actual)
    axes = tuple(range(1, actual.ndim))
    err_sum = np.where(ok, np.abs(children_sum_fc - actual), 0.0).sum(axis=axes)
    err_direct = np.where(ok, np.abs(direct_fc - actual), 0.0).sum(axis=axes)
    direct: np.ndarray = ok.any(axis=axes) & ok.all(axis=axes) & (err_direct < err_sum)
    return direct


def select_levels(
    nodes: NodePanel, node: NodeForecast, cycle_col: int, config: CycleConfig
) -> tuple[NodeForecast, LevelChoice]:
    """Node forecasts and backtest, reconciled to the level each product line and the total chose."""
    pl_codes, pl_names = pd.factorize(nodes.keys["product_line"])
    pl_codes = pl_codes.astype(np.int64)
    n_nodes, n_pl = len(nodes.keys), len(pl_names)
    pl_y = _sum_rows(nodes.y, pl_codes, n_pl)
    upper = forecast_series(np.vstack([pl_y, pl_y.sum(axis=0, keepdims=True)]), cycle_col, config)
    node_fc, node_y, cutoffs = _grid(node.cv, n_nodes)
    up_fc, up_y, up_cutoffs = _grid(upper.cv, n_pl + 1)
    if (
        len(cutoffs) == 0
        or not np.array_equal(cutoffs, up_cutoffs)
        or node_fc.shape != (n_nodes, len(cutoffs), up_fc.shape[2])
    ):
        choice = LevelChoice(pd.Series(BOTTOM_UP, index=pl_names), BOTTOM_UP)
        return node, choice
    # product lines: direct or the sum of their nodes, in the backtest and the forecast
    pl_sum_fc = _sum_rows(node_fc, pl_codes, n_pl)
    pl_direct = _choose(pl_sum_fc, up_fc[:n_pl], up_y[:n_pl])
    pl_bt = np.where(pl_direct[:, None, None], up_fc[:n_pl], pl_sum_fc)
    pl_now = np.where(
        pl_direct[:, None], upper.forecast[:n_pl], _sum_rows(node.forecast, pl_codes, n_pl)
    )
    # the total: direct or the sum of the product lines as just chosen
    total_direct = bool(_choose(pl_bt.sum(axis=0, keepdims=True), up_fc[n_pl:], up_y[n_pl:])[0])
    if total_direct:
        pl_bt = _scale(pl_bt, np.zeros(n_pl, dtype=np.int64), up_fc[n_pl:])
        pl_now = _scale(pl_now, np.zeros(n_pl, dtype=np.int64), upper.forecast[n_pl:])
    bt = _scale(node_fc, pl_codes, pl_bt)
    forecast = _scale(node.forecast, pl_codes, pl_now)
    cv = node.cv.copy()
    c = np.searchsorted(cutoffs, cv["cutoff"].to_numpy().astype(np.int64))
    cv["forecast"] = bt[
        cv["unique_id"].to_numpy().astype(np.int64), c, cv["horizon"].to_numpy() - 1
    ]
    labels = np.where(pl_direct, upper.model[:n_pl] + "@product_line", BOTTOM_UP)
    choice = LevelChoice(
        pd.Series(labels, index=pl_names),
        f"{upper.model[n_pl]}@total" if total_direct else BOTTOM_UP,
    )
    return NodeForecast(np.clip(forecast, 0.0, None), node.model, cv), choice
