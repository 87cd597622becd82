"""One bad line never drops a CSV or swallows good rows: every physical line is loaded or quarantined."""

from __future__ import annotations

import pytest
from ingestion_files import ORDER_LINES_HEADER, load_masters, order_line, scalar

from ingestion.contracts import CONTRACTS
from ingestion.lines import needs_line_pass
from ingestion.loader import load_source

ORDER_LINES = CONTRACTS["order_lines"]
FILE = "sales/order_lines/order_lines_2024-03-01.csv"


def _write(landing, lines: list[bytes], newline: bytes = b"\n") -> None:
    path = landing / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(newline.join([ORDER_LINES_HEADER.encode(), *lines]) + newline)


def _good(n: int) -> bytes:
    return order_line(f"SO-{n}", 1).encode()


def _outcome(conn):
    loaded = [
        r[0] for r in conn.execute("select _row_number from raw.order_lines order by 1").fetchall()
    ]
    bad = conn.execute("select row_number, reason from audit.quarantine order by 1").fetchall()
    return loaded, bad


def _assert_every_line_accounted(conn, result, n_lines: int) -> tuple[list, list]:
    loaded, bad = _outcome(conn)
    numbers = loaded + [r for r, _ in bad]
    assert result.rows_read == n_lines == len(loaded) + len(bad)
    assert sorted(numbers) == list(range(1, n_lines + 1))  # distinct, the file's own lines
    assert all(reason for _, reason in bad)
    return loaded, bad


@pytest.mark.parametrize(
    "bad_line",
    [
        pytest.param(_good(6) + b"\r", id="crlf-line-in-lf-file"),
        pytest.param(
            b"SO-6,1,2024-03-01,2024-12-31,C1,P\r1,5,10.00,0.1,9.00", id="bare-cr-in-field"
        ),
    ],
)
def test_a_carriage_return_quarantines_only_its_line(conn, landing, bad_line):
    load_masters(conn, landing)
    lines = [_good(n) for n in range(1, 6)] + [bad_line] + [_good(n) for n in range(7, 11)]
    _write(landing, lines)
    result = load_source(conn, ORDER_LINES, landing)
    loaded, bad = _assert_every_line_accounted(conn, result, 10)
    if b"P\r1" in bad_line:
        assert [r for r, _ in bad] == [6] and "carriage return" in bad[0][1]
    else:  # a CRLF-terminated line is a normal line
        assert len(loaded) == 10


@pytest.mark.parametrize(
    "bad_line",
    [
        b'SO-5,1,2024-03-01,2024-12-31,C1,"P1,5,10.00,0.1,9.00',
        b'SO-5,1,2024-03-01,2024-12-31,","C1",",P1,5,10.00,0.1,9.00',  # even quotes, bad quoting
    ],
    ids=["unterminated", "text-after-closing-quote"],
)
def test_an_unterminated_quote_swallows_no_following_line(conn, landing, bad_line):
    load_masters(conn, landing)
    lines = [_good(n) for n in range(1, 5)]
    lines.append(bad_line)
    lines += [_good(n) for n in range(6, 12)]
    _write(landing, lines)
    result = load_source(conn, ORDER_LINES, landing)
    loaded, bad = _assert_every_line_accounted(conn, result, 11)
    assert [r for r, _ in bad] == [5] and "quot" in bad[0][1]
    assert scalar(conn, "select count(*) from audit.load_ledger where rows_read = 11") == 1


def test_quoted_commas_blank_lines_and_field_count_errors_keep_their_numbers(conn, landing):
    load_masters(conn, landing)
    lines = [
        _good(1),
        b"",
        b'"SO-2",1,2024-03-01,2024-12-31,"C1","P1",5,10.00,0.1,9.00',
        b"SO-3,1,too,few",
        _good(4) + b',"extra, field"',
        _good(5),
    ]
    _write(landing, lines, newline=b"\r\n")
    result = load_source(conn, ORDER_LINES, landing)
    loaded, bad = _outcome(conn)
    assert result.rows_read == 5  # the blank line is no record, but keeps its number
    assert loaded == [1, 3, 6]
    assert [r for r, _ in bad] == [4, 5] and all("malformed row" in r for _, r in bad)
    raw = scalar(conn, "select raw_record from audit.quarantine where row_number = 4")
    assert raw == '{"csv_line":"SO-3,1,too,few"}'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a,b\n1,2\n3,4\n", False),
        (b"a,b\r\n1,2\r\n3,4", False),
        (b"a,b\n1,2\r\n3,4\n", True),
        (b'a,b\n1,"2"\n', True),
        (b"a,b\n1,2\n\n3,4\n", True),
        (b"a,b\n1,2\r3,4\n", True),
    ],
)
def test_only_files_duckdb_could_misread_take_the_line_pass(tmp_path, content, expected):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    assert needs_line_pass(path) is expected
