"""Allow ``python -m coachdir``."""

from __future__ import annotations

from coachdir.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
