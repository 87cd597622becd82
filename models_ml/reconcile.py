"""Hierarchical reconciliation: total -> product line -> sku -> sku x region x channel.

Small hierarchies go through sktime's own ``Reconciler``. Its summation and
projection matrices are dense (nodes x nodes), so large ones use the same
least-squares projection solved with conjugate gradients on the sparse
summation matrix; a test checks both give the same numbers. Non-negativity is
restored by clipping the bottom level and summing up again, so every parent is
exactly the sum of its children. Region and region x channel totals are sums
of the reconciled bottom level, hence coherent too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import LinearOperator, cg
from sktime.transformations.hierarchical.reconcile import Reconciler

TOTAL = "__total"
TREE = ["product_line", "sku", "region_channel"]


def tree_nodes(bottom: pd.DataFrame) -> tuple[pd.DataFrame, sparse.csr_matrix]:
    """All nodes of the tree (aggregates first) and the sparse summation matrix S."""
    b = bottom[TREE].reset_index(drop=True)
    levels = [
        pd.DataFrame({"product_line": [TOTAL], "sku": [TOTAL], "region_channel": [TOTAL]}),
        b[["product_line"]].drop_duplicates().assign(sku=TOTAL, region_channel=TOTAL),
        b[["product_line", "sku"]].drop_duplicates().assign(region_channel=TOTAL),
    ]
    aggregates = pd.concat(levels, ignore_index=True)
    nodes = pd.concat([aggregates, b], ignore_index=True)
    n_agg, n_bottom = len(aggregates), len(b)
    pos = {tuple(r): i for i, r in enumerate(aggregates.itertuples(index=False))}
    rows = [
        np.zeros(n_bottom, dtype=np.int64),
        np.array([pos[(pl, TOTAL, TOTAL)] for pl in b["product_line"]]),
        np.array([pos[(pl, s, TOTAL)] for pl, s in zip(b["product_line"], b["sku"], strict=True)]),
        n_agg + np.arange(n_bottom),
    ]
    data_rows = np.concatenate(rows)
    cols = np.tile(np.arange(n_bottom), len(rows))
    s = sparse.csr_matrix((np.ones(len(cols)), (data_rows, cols)), shape=(len(nodes), n_bottom))
    return nodes, s


def reconcile_sparse(base: np.ndarray, s: sparse.csr_matrix, method: str) -> np.ndarray:
    """Reconciled bottom level (bottom x periods) from base forecasts of all nodes."""
    n_bottom = s.shape[1]
    if method == "bu":
        bottom: np.ndarray = base[-n_bottom:]
        return bottom
    if method == "ols":
        weight = np.ones(s.shape[0])
    elif method == "wls_str":
        # sktime 1.2's convention: G = (S'WS)^-1 S'W with W = diag(S 1), so a node
        # weighs as many bottom series as it sums (fpp3 uses W^-1 instead);
        # followed here so both paths give the same numbers
        weight = np.asarray(s.sum(axis=1)).ravel()
    else:
        raise ValueError(f"unknown reconciliation method {method!r}")
    st_w = s.T.multiply(weight[None, :]).tocsr()
    operator = LinearOperator((n_bottom, n_bottom), matvec=lambda x: st_w @ (s @ x))
    out = np.empty((n_bottom, base.shape[1]))
    for t in range(base.shape[1]):
        rhs = st_w @ base[:, t]
        sol, info = cg(
            operator, rhs, x0=base[-n_bottom:, t], rtol=1e-12, atol=0.0, maxiter=10 * n_bottom
        )
        if info != 0:
            raise RuntimeError("reconciliation solver did not converge")
        out[:, t] = sol
    return out


def reconcile_with_sktime(base: np.ndarray, nodes: pd.DataFrame, method: str) -> np.ndarray:
    """Reconciled bottom level through sktime's ``Reconciler`` (small hierarchies)."""
    n_periods = base.shape[1]
    index = pd.MultiIndex.from_arrays(
        [np.repeat(nodes[c].to_numpy(), n_periods) for c in TREE]
        + [np.tile(np.arange(n_periods), len(nodes))],
        names=[*TREE, "period"],
    )
    frame = pd.DataFrame({"p50": base.ravel()}, index=index).sort_index()
    out = Reconciler(method=method).fit_transform(frame)
    bottom_mask = nodes["region_channel"] != TOTAL
    bottom = nodes[bottom_mask]
    key = pd.MultiIndex.from_arrays(
        [np.repeat(bottom[c].to_numpy(), n_periods) for c in TREE]
        + [np.tile(np.arange(n_periods), len(bottom))]
    )
    reconciled: np.ndarray = out["p50"].reindex(key).to_numpy().reshape(len(bottom), n_periods)
    return reconciled


def reconcile(
    base: np.ndarray, nodes: pd.DataFrame, s: sparse.csr_matrix, method: str, max_sktime_nodes: int
) -> np.ndarray:
    """Reconciled bottom level, sktime's Reconciler when small, sparse solver when large."""
    if len(nodes) <= max_sktime_nodes:
        return reconcile_with_sktime(base, nodes, method)
    return reconcile_sparse(base, s, method)


def hierarchy_frame(bottom: pd.DataFrame, value: str = "p50") -> pd.DataFrame:
    """Sums of the bottom level at total, product line, sku, region and region x channel."""
    keys = ["cycle_month", "target_month"]
    specs = {
        "total": [],
        "product_line": ["product_line"],
        "sku": ["product_line", "sku"],
        "region": ["region"],
        "region_channel": ["region", "channel"],
    }
    frames: list[pd.DataFrame] = []
    for level, cols in specs.items():
        agg = bottom.groupby([*keys, *cols], as_index=False, sort=True)[[value]].sum()
        agg.insert(0, "level", level)
        frames.append(agg)
    out = pd.concat(frames, ignore_index=True)
    return out[
        ["level", "cycle_month", "product_line", "sku", "region", "channel", "target_month", value]
    ]
