"""The indicators pages' bodies: the main page (method note, the latest year and the latest
quarter in full, then links to one page per earlier release) and one page per earlier release.
Each release links its CSV, written by the build from the same validated file as the page."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from coachdir.site.indicators import (
    Release,
    Strings,
    all_hidden,
    chart_html,
    esc,
    every_cell,
    number_text,
    plain_figure,
    release_label,
    summary,
    table_html,
)

METHOD_ID = "cd-ind-method"


def csv_name(release: Release) -> str:
    """The CSV's file name in the site's ``indicators/`` folder."""
    return f"{release.release}.csv"


def method_html(releases: Sequence[Release], lang: str, t: Strings) -> str:
    latest = releases[0]
    threshold = plain_figure(latest.threshold, "count", lang)
    text = t["ind_method"].replace("{t}", threshold)
    rounding = ""
    if latest.rounding is not None:
        rounded = t["ind_method_rounding"].replace("{base}", str(latest.rounding))
        rounding = f"\n<p>{esc(rounded)}</p>"
    paragraphs = "".join(f"\n<p>{esc(p.strip())}</p>" for p in text.split("\n") if p.strip())
    return (
        f'<section class="cd-ind-method" aria-labelledby="{METHOD_ID}">\n'
        f'<h2 id="{METHOD_ID}">{esc(t["ind_method_title"])}</h2>'
        f"{paragraphs}{rounding}\n</section>"
    )


def _size(release: Release, lang: str, t: Strings) -> str:
    kilobytes = number_text(len(release.csv.encode("utf-8")) / 1000, 1, lang)
    return t["ind_size_kb"].replace("{n}", kilobytes)


def release_html(
    release: Release,
    lang: str,
    t: Strings,
    format_date: Callable[[str], str],
    *,
    folder: str,
    method: str,
) -> str:
    """One release in full: its period, its CSV and method links, then each table.
    ``folder`` leads to the site's ``indicators/`` folder, ``method`` to the method note."""
    rid = f"cd-ind-{release.release}"
    period = (
        t["ind_period"]
        .replace("{start}", format_date(release.start))
        .replace("{end}", format_date(release.end))
    )
    download = t["ind_csv"].replace("{size}", _size(release, lang, t))
    name = csv_name(release)
    out = [f'<section class="cd-ind-release" aria-labelledby="{esc(rid)}">']
    out.append(f'<h2 id="{esc(rid)}">{esc(release_label(release, t))}</h2>')
    out.append(f'<p class="cd-ind-period">{esc(period)}</p>')
    out.append(
        '<ul class="cd-ind-links">'
        f'<li><a href="{esc(folder + name)}" download="{esc(name)}" type="text/csv">'
        f"{esc(download)}</a></li>"
        f'<li><a href="{esc(method)}">{esc(t["ind_method_link"])}</a></li></ul>'
    )
    for table in release.tables:
        tid = f"{rid}-{table.id}"
        title = table.title[lang]
        caption = f"{title} ({period})"
        text = summary(table, release.threshold, lang, t)
        out.append(f'<section class="cd-ind-table" aria-labelledby="{esc(tid)}-title">')
        out.append(f'<h3 id="{esc(tid)}-title">{esc(title)}</h3>')
        out.append(f'<p class="cd-ind-summary" id="{esc(tid)}-summary">{esc(text)}</p>')
        out.append('<div class="cd-ind-body">')
        if not all_hidden(table):  # a chart of hidden bars says nothing the sentence does not
            labelled = f"{tid}-title {tid}-summary"
            out.append(chart_html(table, release.threshold, lang, t, labelled))
        out.append(
            f'<div class="cd-table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        )
        out.append(table_html(table, release, lang, t, caption))
        out.append("</div>")
        if any(c.suppressed for c in every_cell(table)):  # what "hidden" means, by the table
            key = "ind_legend_count" if table.kind == "count" else "ind_legend_rate"
            legend = t[key].format(t=release.threshold)
            out.append(f'<p class="cd-ind-legend">{esc(legend)}</p>')
        out.append("</div>\n</section>")
    out.append("</section>")
    return "\n".join(out)


def page_html(
    shown: Sequence[Release],
    earlier: Sequence[Release],
    lang: str,
    t: Strings,
    format_date: Callable[[str], str],
) -> str:
    """The main page: intro, method note, the releases ``shown`` in full, then a list of links
    to the page of each ``earlier`` release (``indicators/<release>/``)."""
    out = ['<div class="cd-indicators">', f"<p>{esc(t['ind_intro'])}</p>"]
    if not shown:
        out.append(f"<p>{esc(t['ind_none'])}</p>\n</div>\n")
        return "\n".join(out)
    out.append(method_html(shown, lang, t))
    for release in shown:
        out.append(release_html(release, lang, t, format_date, folder="", method=f"#{METHOD_ID}"))
    if earlier:
        out.append('<section class="cd-ind-earlier" aria-labelledby="cd-ind-earlier">')
        out.append(f'<h2 id="cd-ind-earlier">{esc(t["ind_earlier"])}</h2>\n<ul>')
        for release in earlier:
            period = (
                t["ind_period"]
                .replace("{start}", format_date(release.start))
                .replace("{end}", format_date(release.end))
            )
            out.append(
                f'<li><a href="{esc(release.release)}/">{esc(release_label(release, t))}</a> '
                f"({esc(period)})</li>"
            )
        out.append("</ul>\n</section>")
    out.append("</div>\n")
    return "\n".join(out)


def release_page_html(
    release: Release, lang: str, t: Strings, format_date: Callable[[str], str]
) -> str:
    """The page of one earlier release (``indicators/<release>/``)."""
    back = f'<p><a href="../">{esc(t["ind_back"])}</a></p>'
    body = release_html(release, lang, t, format_date, folder="../", method=f"../#{METHOD_ID}")
    return f'<div class="cd-indicators">\n{back}\n{body}\n</div>\n'
