"""Start coachdir: ``python -m coachdir`` and the ``coachdir`` console script."""

from __future__ import annotations

import sys


def run() -> None:
    """Load the command line and run it. A Ctrl-C while it is still loading (its imports take
    a moment on a slow machine) is "Interrupted." with exit 130 too, never a traceback."""
    try:
        from coachdir.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
    main()


if __name__ == "__main__":  # pragma: no cover
    run()
