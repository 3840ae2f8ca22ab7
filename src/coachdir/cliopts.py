"""The options that many commands share (--root, --today): declared once, parsed here."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from coachdir import dates


def parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    value = value or os.environ.get("COACHDIR_TODAY")
    if not value:
        return None
    day = dates.parse(value)
    if day is None:
        raise click.BadParameter(
            f"'{value}' is not a date from {dates.range_text()}; write YYYY-MM-DD."
        )
    return day


def root_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The programme repository (holds programme.yml and coaches/).",
    )(func)


def today_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--today",
        callback=parse_today,
        metavar="YYYY-MM-DD",
        help="Date used by date rules (default: today, or $COACHDIR_TODAY).",
    )(func)


#: the records folder under the programme root when --records is not given
RECORDS_FOLDER = "records"


def records_folder(root: Path, records_dir: Path | None) -> Path:
    """The records folder: ``--records DIR`` when given, else ``records/`` under the root."""
    return records_dir if records_dir is not None else root / RECORDS_FOLDER
