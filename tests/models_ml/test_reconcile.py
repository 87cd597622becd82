"""The sparse least-squares reconciliation equals sktime's Reconciler."""

import numpy as np
import pandas as pd
import pytest

from models_ml.reconcile import reconcile_sparse, reconcile_with_sktime, tree_nodes


@pytest.mark.parametrize("method", ["bu", "ols", "wls_str"])
def test_sparse_solver_matches_sktime(method):
    rng = np.random.default_rng(3)
    bottom = pd.DataFrame(
        {
            "product_line": ["P", "P", "P", "Q", "Q", "R"],
            "sku": ["A", "A", "B", "C", "D", "E"],
            "region_channel": [
                "EAST|retail",
                "WEST|retail",
                "EAST|retail",
                "EAST|online",
                "EAST|online",
                "WEST|online",
            ],
        }
    )
    nodes, s = tree_nodes(bottom)
    base = rng.uniform(10, 100, size=(len(nodes), 4))
    ours = reconcile_sparse(base, s, method)
    theirs = reconcile_with_sktime(base, nodes, method)
    assert np.allclose(ours, theirs, atol=1e-6)
    full = s @ ours  # every parent is the sum of its children
    assert np.allclose(full[0], ours.sum(axis=0))
