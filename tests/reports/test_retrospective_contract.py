"""The input contract: a broken frame fails at render time, naming the frame and the column."""

from __future__ import annotations

import dataclasses

import pytest

from reports.contract import REQUIRED_COLUMNS, RetrospectiveInputError, validate_inputs
from reports.retrospective import RetrospectiveInputs, render_retrospective


def test_sample_inputs_satisfy_the_contract(inputs):
    validate_inputs(inputs)


@pytest.mark.parametrize(
    ("frame", "column"),
    [(frame, column) for frame, columns in REQUIRED_COLUMNS.items() for column in columns],
)
def test_missing_column_names_frame_and_column(inputs, month, frame, column):
    broken = dataclasses.replace(inputs, **{frame: getattr(inputs, frame).drop(columns=column)})
    with pytest.raises(RetrospectiveInputError, match=rf"{frame} is missing .*\b{column}\b"):
        render_retrospective(broken, month, "en")


def test_unknown_likely_cause_is_rejected(inputs, month):
    deviations = inputs.deviations.copy()
    deviations.loc[0, "likely_cause"] = "bad_weather"
    broken = dataclasses.replace(inputs, deviations=deviations)
    with pytest.raises(RetrospectiveInputError, match="likely_cause.*bad_weather"):
        render_retrospective(broken, month, "zh")


def test_effects_that_do_not_add_up_are_rejected(inputs, month):
    deviations = inputs.deviations.copy()
    deviations.loc[3, "mix_effect"] += 1.0
    broken = dataclasses.replace(inputs, deviations=deviations)
    with pytest.raises(RetrospectiveInputError, match="price \\+ volume \\+ mix"):
        render_retrospective(broken, month, "zh")


def test_non_numeric_value_is_rejected(inputs, month):
    kpis = inputs.kpis.astype({"value": str})
    with pytest.raises(RetrospectiveInputError, match="kpis.value must be numeric"):
        render_retrospective(dataclasses.replace(inputs, kpis=kpis), month, "en")


def test_budget_month_without_opex_is_rejected(inputs, month):
    budget = inputs.budget_variance
    budget = budget[budget["measure"] != "opex"]
    with pytest.raises(RetrospectiveInputError, match="no opex row for 2026-10"):
        render_retrospective(dataclasses.replace(inputs, budget_variance=budget), month, "en")


def test_not_a_dataframe_is_rejected(inputs, month):
    broken = dataclasses.replace(inputs, alerts=[])
    with pytest.raises(RetrospectiveInputError, match="alerts must be a pandas DataFrame"):
        render_retrospective(broken, month, "en")


def test_unknown_language_is_rejected(inputs, month):
    with pytest.raises(ValueError, match="lang must be one of"):
        render_retrospective(inputs, month, "fr")


def test_contract_docstring_lists_every_required_column():
    doc = RetrospectiveInputs.__doc__
    for frame, columns in REQUIRED_COLUMNS.items():
        assert frame in doc
        for column in columns:
            assert column in doc, f"{frame}.{column} is not documented"


def test_pandas_missing_values_are_missing():
    import pandas as pd

    from reports.formatting import is_missing

    assert is_missing(pd.NA) and is_missing(None) and is_missing(float("nan"))
    assert not is_missing(0) and not is_missing("x")
