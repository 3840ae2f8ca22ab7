"""The shortlist's e-mail request in headless Chromium: with ``request_target.kind: mailto``,
the request link of the shortlist opens an e-mail whose body is the coaching-request form's,
with the shortlisted coach ids, in shortlist order, as the preferences answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import expect
from test_site import goto, wait_for_search_form

from coachdir.github.prefill import mail_body, record_form_templates
from coachdir.programme import load_programme
from conftest import TODAY, click, make_programme, run_cli, serve_folder

TEAM = "coaching@phares-balises.example"
REQUEST = {
    "fr": "Demander des entretiens préalables avec ces coachs",
    "en": "Request introductory conversations with these coaches",
}
ADD = {"fr": "Présélectionner {name}", "en": "Shortlist {name}"}
PICKED = ["soren-lindqvist", "helene-dubois", "ines-carvalho"]  # the order they are added in


@pytest.fixture(scope="module")
def mailto_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_programme(tmp_path_factory.mktemp("e2e-prefill") / "prog")
    text = (root / "programme.yml").read_text("utf-8")
    text, count = re.subn(
        r"request_target:\n(  .*\n)+", f'request_target:\n  kind: mailto\n  email: "{TEAM}"\n', text
    )
    assert count == 1
    (root / "programme.yml").write_text(text, "utf-8")
    result = run_cli("build", "--root", str(root), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def mailto_server(mailto_root: Path) -> Iterator[str]:
    with serve_folder(str(mailto_root / "site")) as url:
        yield url


def _name(root: Path, cid: str) -> str:
    return str(yaml.safe_load((root / "coaches" / f"{cid}.yml").read_text("utf-8"))["name"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shortlist_request_mail_carries_the_ids_in_order_in_the_preferences(
    page: Any, mailto_root: Path, mailto_server: str, lang: str
) -> None:
    goto(page, f"{mailto_server}/{lang}/directory/")
    wait_for_search_form(page)
    for cid in PICKED:
        name = ADD[lang].replace("{name}", _name(mailto_root, cid))
        click(page.get_by_role("button", name=name, exact=True))
    link = page.get_by_role("link", name=REQUEST[lang], exact=True)
    expect(link).to_have_count(1)
    href = str(link.get_attribute("href"))
    assert len(href) < 2000, len(href)
    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", TEAM)
    body = parse_qs(parts.query)["body"][0]
    programme, _, _ = load_programme(mailto_root)
    assert programme is not None
    form = record_form_templates(programme, mailto_root)["coaching-request"]
    # the ids are the answer to the first question (preferences), in shortlist order
    label = next(e for e in form["body"] if e.get("id") == "coaches")["attributes"]["label"]
    assert body.split("\n")[:3] == [f"### {label}", "", ", ".join(PICKED)]
    assert body == mail_body(form, {"coaches": ", ".join(PICKED)})
