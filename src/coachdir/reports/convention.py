"""The tripartite convention of one immersion period (``coachdir convention``): the agent, the
employing administration and the host sign it (décret n° 2016-1732 as amended by décret
n° 2022-1043, art. 12 to 13-2; service-public.fr F36642). A printable, self-contained HTML page
in French or English, and its PDF, with the contract's machinery (``reports.contract``).

It states the functions observed, the place, the duration and the dates, from the directory's
offer and the record. The parties appear as roles: the names and the signatures are blank lines
filled in by hand, and the agent's pseudonymous code and unit are not printed. What coachdir
has not verified (costs, insurance) is left blank for the HR office.
"""

from __future__ import annotations

from typing import Any

from coachdir.offerings.immersions import ImmersionOffer
from coachdir.programme import Programme
from coachdir.records.immersions import ImmersionRecord
from coachdir.reports.contract import LANGUAGES, _environment

__all__ = ["LANGUAGES", "convention_context", "convention_html"]


def convention_context(
    record: ImmersionRecord, offer: ImmersionOffer, programme: Programme, lang: str
) -> dict[str, Any]:
    """What the template needs: codes, numbers, dates, settings and the offer's texts (escaped
    by the template)."""
    days = sorted(set(record.days))
    return {
        "lang": lang,
        "id": record.id,
        "programme": programme.name(lang),
        "organisation": programme.organisation(lang),
        "title": offer.title[lang],
        "host": offer.host[lang],
        "unit": offer.unit[lang],
        "contact_role": offer.contact_role[lang],
        "functions": [f[lang] for f in offer.functions],
        "location": offer.location,
        "days": days,
        "count": len(days),
        "first": days[0],
        "last": days[-1],
    }


def convention_html(
    record: ImmersionRecord, offer: ImmersionOffer, programme: Programme, lang: str
) -> str:
    """The convention page in ``lang`` (``fr`` or ``en``)."""
    template = _environment().get_template(f"convention.{lang}.html.j2")
    return template.render(**convention_context(record, offer, programme, lang))
