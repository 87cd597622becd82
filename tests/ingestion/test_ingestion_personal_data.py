"""Personal data: ingest keeps only a keyed hash of customer names and no phones (issue 15.6)."""

from __future__ import annotations

import csv
import hashlib

from ingestion.contracts import CONTRACTS, ContractSettings
from ingestion.loader import load_source

HEADER = [
    "customer_id",
    "customer_name",
    "contact_phone",
    "region",
    "channel",
    "tier",
    "payment_terms_days",
]
ROWS = [
    ["C1", "Li Wei", "13800000001", "EAST", "retail", "key", "30"],
    ["C2", " Wang Fang ", "13800000002", "EAST", "retail", "gold", "30"],
]  # gold: quarantined


def _write(landing, rows):
    path = landing / "masters" / "customers.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([HEADER, *rows])


def _load(conn, landing, key):
    return load_source(
        conn, CONTRACTS["customers"], landing, settings=ContractSettings(personal_data_key=key)
    )


def test_raw_holds_a_keyed_hash_and_no_phone(conn, landing):
    _write(landing, ROWS)
    _load(conn, landing, "key-one")
    [(name, phone)] = conn.execute(
        "select customer_name, contact_phone from raw.customers"
    ).fetchall()
    assert name == hashlib.sha256(b"key-oneLi Wei").hexdigest()
    assert name != hashlib.sha256(b"Li Wei").hexdigest()  # not recoverable by hashing guesses
    assert phone is None


def test_the_hash_differs_with_the_key_and_matches_across_loads(conn, landing, tmp_path):
    import duckdb

    _write(landing, ROWS)
    _load(conn, landing, "key-one")
    first = conn.execute("select customer_name from raw.customers").fetchone()[0]
    with duckdb.connect(str(tmp_path / "other.duckdb")) as other:
        _load(other, landing, "key-two")
        second = other.execute("select customer_name from raw.customers").fetchone()[0]
    assert first != second


def test_the_quarantine_never_shows_personal_values(conn, landing):
    _write(landing, [*ROWS, ["C3", "Zhao Min,13800000003"]])  # also a malformed line
    _load(conn, landing, "key-one")
    records = " ".join(
        r[0] for r in conn.execute("select raw_record from audit.quarantine").fetchall()
    )
    assert conn.execute("select count(*) from audit.quarantine").fetchone()[0] == 2
    for secret in ("Wang Fang", "13800000002", "Zhao Min", "13800000003"):
        assert secret not in records
    assert "gold" in records  # the rest of the record stays, for the data team to fix
