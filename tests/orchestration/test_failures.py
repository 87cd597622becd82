"""The console line of a failed step names the real error, not Dagster's wrapper."""

import dagster as dg

from orchestration.failures import failure_lines


@dg.asset
def broken_asset() -> None:
    raise KeyError("test.sop.some_test")


def test_an_unexpected_error_is_named_by_its_innermost_cause():
    result = dg.materialize([broken_asset], raise_on_error=False)
    [line] = failure_lines(result)
    assert line == "broken_asset failed: KeyError: 'test.sop.some_test'"
