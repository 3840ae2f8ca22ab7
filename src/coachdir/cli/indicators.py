"""``coachdir indicators``: the published indicators of one release, from the records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from coachdir.cli.app import cli
from coachdir.cli.records import existing_records_folder, records_option, valid_records
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option


@cli.command()
@_root_option
@records_option
@_today_option
@click.option(
    "--release",
    metavar="YYYY-Qn|YYYY",
    default=None,
    help="The period to publish (default: the last complete quarter before today).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder of the releases (default: indicators/ in --root).",
)
def indicators(
    root: Path,
    records_dir: Path | None,
    today: date | None,
    release: str | None,
    out: Path | None,
) -> None:
    """Write indicators/<release>.json and .csv: the manifest's tables for one period, with
    every count of fewer than T people hidden, and audited with every earlier release."""
    # imported here, not at the top, for start-up time: only this command loads them
    from coachdir.indicators.manifest import last_complete_quarter
    from coachdir.indicators.measures import observations, scheme_observations
    from coachdir.indicators.release import publish
    from coachdir.records.measures import scheme_inputs

    folder = existing_records_folder(root, records_dir)
    today = today or date.today()
    report, records = valid_records(root, folder, today)
    units = report.programme.entity_units()
    obs = observations((e for _, e in records.engagements), units)
    groups = report.offerings.groups if report.offerings is not None else []
    obs += scheme_observations(*scheme_inputs(report.programme, records, groups), units)
    summary = publish(
        report.programme,
        obs,
        release or last_complete_quarter(today),
        today,
        out if out is not None else root / "indicators",
    )
    if summary.unchanged:
        click.echo(
            f"{summary.json_path} and {summary.csv_path.name} are already published, "
            "unchanged; nothing written."
        )
        return
    click.echo(
        f"Wrote {summary.json_path} and {summary.csv_path.name}: {summary.tables} tables, "
        f"{summary.hidden} of {summary.cells} cells suppressed ({summary.unsafe} below the "
        "threshold, the others to protect them)."
    )
