"""Planning library: the sequential steps of the S&OP plans that SQL expresses poorly.

Pure functions on pandas frames, no database and no Dagster: the dbt Python
models in ``dbt_project/models/marts/supply`` call them, and the tests hit
them directly on small hand-made cases.
"""

from planning.policy import safety_stock, service_level_z, sigma_from_interval
from planning.supply import ALLOCATION_COLUMNS, plan_production

__all__ = [
    "ALLOCATION_COLUMNS",
    "plan_production",
    "safety_stock",
    "service_level_z",
    "sigma_from_interval",
]
