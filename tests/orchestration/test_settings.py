"""Company settings: a company's own platform.yml, validated when it is read."""

from __future__ import annotations

import pytest
import yaml

from orchestration.settings import (
    clear_settings_cache,
    company_settings,
    forecast_cycle_config,
    validate_company,
)


def _home(tmp_path, company: dict):
    (tmp_path / "platform.yml").write_text(yaml.safe_dump({"company": company}), encoding="utf-8")
    clear_settings_cache()
    return tmp_path


def test_a_company_writes_only_what_differs(tmp_path):
    home = _home(tmp_path, {"name": "Acme Tools Inc.", "currency": "USD"})
    settings = company_settings(home)
    assert (settings["name"], settings["currency"]) == ("Acme Tools Inc.", "USD")
    assert settings["holiday_calendar"] == "chinese"  # the default, not written by the company


def test_the_holiday_calendar_reaches_the_forecast_config(tmp_path):
    home = _home(tmp_path, {"holiday_calendar": "none"})
    assert forecast_cycle_config(home).holiday_calendar == "none"
    clear_settings_cache()
    assert forecast_cycle_config(tmp_path / "elsewhere").holiday_calendar == "chinese"


@pytest.mark.parametrize(
    ("company", "pattern"),
    [
        (
            {"currency": "DOLLAR"},
            r"platform\.yml: company\.currency: unknown currency 'DOLLAR'; allowed: an ISO 4217 code",
        ),
        ({"currency": "usd"}, r"company\.currency: unknown currency 'usd'; did you mean 'USD'\?"),
        ({"currency": None}, r"company\.currency: unknown currency None"),
        (
            {"holiday_calendar": "us_federal"},
            r"platform\.yml: company\.holiday_calendar: unknown calendar 'us_federal'; "
            r"allowed: \['chinese', 'none'\]",
        ),
        ({"holiday_calendar": ["chinese"]}, r"company\.holiday_calendar: unknown calendar"),
        ({"name": 42}, r"platform\.yml: company\.name: expected text"),
    ],
)
def test_a_bad_value_is_refused_when_the_settings_are_read(tmp_path, company, pattern):
    home = _home(tmp_path, company)
    with pytest.raises(ValueError, match=pattern):
        company_settings(home)
    with pytest.raises(ValueError, match=pattern):
        forecast_cycle_config(home)


def test_validate_company_accepts_every_iso_code_and_calendar():
    for currency in ("CNY", "USD", "EUR", "JPY", "GBP", "BRL"):
        for calendar in ("chinese", "none"):
            settings = {"name": "X", "currency": currency, "holiday_calendar": calendar}
            assert validate_company(settings) is settings
    with pytest.raises(ValueError, match="platform.yml company: expected a mapping"):
        validate_company(None)


@pytest.mark.parametrize(
    "own, expected",
    [
        ({"report": {"lang": "english"}}, "report.lang: Input should be 'zh' or 'en'"),
        ({"reprot": {"lang": "en"}}, "reprot: unknown key (misspelt?)"),
        ({"forecast": {"models": ["Prophet"]}}, "unknown model(s) ['Prophet']; allowed: ["),
        (
            {"company": {"currency": "usd"}},
            "company.currency: unknown currency 'usd'; did you mean",
        ),
        (
            {"sources": {"provided": ["products"]}},
            "sources.provided: ['customers', 'order_lines'] must",
        ),
        (
            {"schedules": {"timezone": "Mars/Base"}},
            "schedules.timezone: unknown timezone 'Mars/Base'",
        ),
        (
            {"schedules": {"daily_cron": "every day"}},
            "schedules.daily_cron: 'every day' is not a cron",
        ),
        ({"forecast": {"engine": "dask"}}, "forecast.engine: Input should be 'local' or 'spark'"),
        ({"spark": {"master": "localhost:7077"}}, "spark.master: 'localhost:7077' is not a Spark"),
    ],
)
def test_the_whole_file_is_checked_when_read_naming_file_key_and_allowed(tmp_path, own, expected):
    from orchestration.settings import platform_settings
    from orchestration.settings_schema import SettingsError

    (tmp_path / "platform.yml").write_text(yaml.safe_dump(own), encoding="utf-8")
    clear_settings_cache()
    with pytest.raises(SettingsError) as error:
        platform_settings(tmp_path)
    assert str(error.value).startswith(f"{tmp_path / 'platform.yml'}: ")
    assert expected in str(error.value)


def test_sop_stops_at_once_on_a_bad_setting(tmp_path, capsys, monkeypatch):
    from orchestration.cli import main

    monkeypatch.setenv("SOP_HOME", str(tmp_path))  # sop sets it: restored after the test
    (tmp_path / "platform.yml").write_text("report: {lang: english}\n", encoding="utf-8")
    assert main(["status", "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "report.lang: Input should be 'zh' or 'en'" in err


def test_the_forecast_engine_and_the_spark_master_come_from_the_settings(tmp_path):
    from orchestration.settings import forecast_engine_settings

    clear_settings_cache()
    assert forecast_engine_settings(tmp_path)["engine"] == "local"
    own = {
        "forecast": {"engine": "spark"},
        "spark": {
            "master": "sc://cluster.example:15002/;token=x",
            "staging_dir": "/mnt/shared/sop",
            "conf": {"a.b": True},
        },
    }
    (tmp_path / "platform.yml").write_text(yaml.safe_dump(own), encoding="utf-8")
    clear_settings_cache()
    settings = forecast_engine_settings(tmp_path)
    assert settings == {
        "engine": "spark",
        "master": "sc://cluster.example:15002/;token=x",
        "partitions": 8,
        "driver_model": False,
        "staging_dir": "/mnt/shared/sop",
        "conf": {"a.b": "true"},
    }
