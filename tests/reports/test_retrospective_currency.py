"""The company's currency and name: amounts, axes and header come from the caller, not the demo."""

from __future__ import annotations

import json
import re

import pytest

from reports.formatting import money, money_short
from reports.i18n import Labels
from reports.retrospective import render_retrospective, write_retrospective

COMPANY = "Acme Tools Inc."


@pytest.fixture(scope="module")
def usd(inputs, month) -> dict[str, str]:
    """The sample report of a USD company, in both languages."""
    return {
        lang: render_retrospective(inputs, month, lang, company=COMPANY, currency="USD")
        for lang in ("zh", "en")
    }


def _summary(html: str) -> str:
    return html.split('<ul class="summary">')[1].split("</ul>")[0]


def _axis_titles(html: str) -> set[str]:
    return {json.loads(f'"{t}"') for t in re.findall(r'"title":\{"text":"([^"]*)"', html)}


def _tick_texts(html: str) -> list[str]:
    return [
        t
        for group in re.findall(r'"ticktext":\[([^\]]*)\]', html)
        for t in json.loads(f"[{group}]")
    ]


def test_a_usd_company_shows_no_trace_of_cny(usd):
    for lang, html in usd.items():
        for mark in ("¥", "CNY", "元", "人民币"):
            assert mark not in html, f"{lang}: {mark!r} in a USD report"


def test_usd_amounts_carry_the_dollar_sign_in_both_languages(usd):
    zh, en = _summary(usd["zh"]), _summary(usd["en"])
    assert re.search(r"本月净收入US\$\d+(\.\d)?万", zh), zh
    assert re.search(r"Net revenue \$\d+(\.\d+)?M,", en), en
    assert re.search(r"较计划[+−]US\$[\d.]+万", zh)
    assert re.search(r"[+−]\$[\d.]+[KM] against plan", en)
    tables_zh = usd["zh"].split('id="deviations"')[1].split("</table>")[0]
    assert "US$" in tables_zh and "万" in tables_zh
    tables_en = usd["en"].split('id="deviations"')[1].split("</table>")[0]
    assert re.search(r">[+−]?\$[\d.]+[KM]?<", tables_en)


def test_money_axes_name_the_currency_and_ticks_use_its_symbol(usd):
    assert {"差异(USD)", "金额(USD)"} <= _axis_titles(usd["zh"])
    assert {"Variance (USD)", "Amount (USD)"} <= _axis_titles(usd["en"])
    zh_ticks = [t for t in _tick_texts(usd["zh"]) if "$" in t]
    en_ticks = [t for t in _tick_texts(usd["en"]) if "$" in t]
    assert zh_ticks and all(re.fullmatch(r"−?US\$[\d.]+(万|亿)?", t) for t in zh_ticks), zh_ticks
    assert en_ticks and all(re.fullmatch(r"−?\$[\d.]+[KMB]?", t) for t in en_ticks), en_ticks


def test_the_header_shows_the_company_name_given(usd, inputs, month):
    assert f"<b>公司</b>{COMPANY}" in usd["zh"]
    assert f"<b>Company</b>{COMPANY}" in usd["en"]
    nameless = render_retrospective(inputs, month, "en", currency="USD")
    assert "<b>Company</b>" not in nameless


def test_a_cny_company_reads_in_yuan_symbols(inputs, month):
    zh = render_retrospective(inputs, month, "zh", currency="CNY")
    en = render_retrospective(inputs, month, "en", currency="CNY")
    assert re.search(r"本月净收入¥\d+(\.\d)?万", _summary(zh))
    assert {"差异(CNY)", "金额(CNY)"} <= _axis_titles(zh)
    assert re.search(r"Net revenue CN¥\d+(\.\d+)?M,", _summary(en))
    assert "$" not in _summary(zh) + _summary(en)


def test_without_a_currency_amounts_have_no_symbol(rendered):
    assert re.search(r"本月净收入\d+(\.\d)?万,", _summary(rendered["zh"]))
    assert re.search(r"Net revenue \d+(\.\d+)?M,", _summary(rendered["en"]))
    assert {"差异", "金额"} <= _axis_titles(rendered["zh"])


def test_write_retrospective_passes_the_currency_through(tmp_path, inputs, month):
    path = write_retrospective(inputs, month, tmp_path, "en", company=COMPANY, currency="EUR")
    html = path.read_text(encoding="utf-8")
    assert "€" in _summary(html) and "Amount (EUR)" in _axis_titles(html)


@pytest.mark.parametrize(
    ("lang", "currency", "value", "signed", "expected"),
    [
        ("zh", "USD", 11_295_678.0, False, "US$1129.6万"),
        ("zh", "USD", 123_456_789.0, False, "US$1.23亿"),
        ("zh", "EUR", -4_321.0, True, "−€4321"),
        ("zh", "CNY", 424_123.0, True, "+¥42.4万"),
        ("zh", "CNY", 99_999_999.0, False, "¥1亿"),
        ("zh", "USD", 9_999.6, False, "US$1万"),
        ("en", "USD", 11_295_678.0, False, "$11.3M"),
        ("en", "USD", 424_123.0, True, "+$424.1K"),
        ("en", "USD", 2_345_678_901.0, False, "$2.35B"),
        ("en", "USD", 999.6, False, "$1K"),
        ("en", "GBP", -523.4, True, "−£523"),
        ("en", "CNY", 1_234_567.0, False, "CN¥1.23M"),
        ("en", None, 1_234_567.0, False, "1.23M"),
        ("zh", None, 1_234_567.0, False, "123.5万"),
    ],
)
def test_money_formats_in_the_currency_and_language(lang, currency, value, signed, expected):
    assert money(value, Labels(lang, currency), signed=signed) == expected


def test_money_short_drops_trailing_zeros():
    assert [money_short(v, Labels("zh", "USD")) for v in (0, 8e6, 1.25e8, -5e5)] == [
        "US$0",
        "US$800万",
        "US$1.25亿",
        "−US$50万",
    ]
    assert [money_short(v, Labels("en", "USD")) for v in (0, 8e6, 1.25e8, -2.5e5)] == [
        "$0",
        "$8M",
        "$125M",
        "−$250K",
    ]


def test_an_unknown_currency_is_refused():
    with pytest.raises(ValueError, match=r"ISO 4217.*'XYZ'"):
        Labels("en", "XYZ")
    with pytest.raises(ValueError, match=r"ISO 4217.*'usd'"):
        Labels("zh", "usd")
