"""The formats of the files that leave the records repository, shared by the code that writes
them (coachdir.indicators) and the site that reads them (coachdir.site, which never imports
records code): the long CSV form of a published indicators release."""

from __future__ import annotations

import csv
import io
from typing import Any

__all__ = ["release_csv"]


def release_csv(data: dict[str, Any]) -> str:
    """The long form ``table,row,column,value`` of a validated file, as ``coachdir indicators``
    writes it beside the JSON (a hidden figure is ``<T``, a range ``lo-hi``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    hidden = f"<{data['threshold']}"
    for table in data["tables"]:
        rows = [v["id"] for v in table["rows"]["values"]]
        found: list[tuple[str, str, dict[str, Any]]] = []
        if table["columns"] is None:
            found += [(r, "", line[0]) for r, line in zip(rows, table["cells"], strict=True)]
        else:
            cols = [v["id"] for v in table["columns"]["values"]]
            for r, line in zip(rows, table["cells"], strict=True):
                found += [(r, c, cell) for c, cell in zip(cols, line, strict=True)]
            found += [(r, "total", c) for r, c in zip(rows, table["row_totals"], strict=True)]
            found += [
                ("total", c, cell) for c, cell in zip(cols, table["column_totals"], strict=True)
            ]
        found.append(("total", "" if table["columns"] is None else "total", table["total"]))
        for row, column, cell in found:
            if "suppressed" in cell:
                value = hidden
            elif "range" in cell:
                value = f"{cell['range'][0]}-{cell['range'][1]}"
            else:
                value = str(cell["value"])
            writer.writerow([table["id"], row, column, value])
    return out.getvalue()
