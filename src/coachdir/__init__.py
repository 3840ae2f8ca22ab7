"""coachdir: a docs-as-code coaching and mentoring programme."""

from __future__ import annotations

__version__ = "0.1.0"
