"""The records commands (availability, indicators, activity, hours, contract) validate the
programme with its records, then use those same loaded records: a large records folder is
read once, not twice (it was most of each indicators run's time and memory)."""

from __future__ import annotations

from datetime import date

import pytest

from coachdir.cli import records as cli_records
from coachdir.records import check, files
from conftest import ROOT, TODAY


def test_valid_records_reads_the_records_folder_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = files.load_records

    def counted(*args: object, **kwargs: object) -> files.Records:
        calls.append("load")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(check, "load_records", counted)
    monkeypatch.setattr(files, "load_records", counted)  # what valid_records would import
    report, records = cli_records.valid_records(ROOT, ROOT / "records", date.fromisoformat(TODAY))
    assert calls == ["load"]
    assert records is report.records and records.files > 60
