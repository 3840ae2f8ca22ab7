"""The command line: parse arguments, call the library, print, exit. Nothing else prints.

`app` holds the command group and the one place where errors become exit codes; the commands
are registered by the modules beside it, one module per side of a programme.
"""

from __future__ import annotations

from coachdir.cli import calendar, directory, github, indicators, records, reports
from coachdir.cli.app import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, cli, main

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "calendar",
    "cli",
    "directory",
    "github",
    "indicators",
    "main",
    "records",
    "reports",
]
