"""The group join request (issue 15): the e-mail the group page prefills, answered as a person
does, and the same form filed on GitHub, become a membership in state ``requested``; a request
for a group the directory does not have, or from someone in the facilitator's line, is refused
with nothing written and nothing typed echoed."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from coachdir.github.groupforms import group_join_form
from coachdir.github.prefill import mail_body
from coachdir.loader import load_file
from coachdir.programme import load_programme
from coachdir.records.pseudonym import client_code
from coachdir.site.offerings_pages import join_url
from conftest import ROOT, TODAY, copy_programme, run_cli
from test_records_intake import ENV, KEY, MARKER, _body, _option

FORM = "group-join"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    return prog


def _intake(repo: Path, body: str, *who: str) -> tuple[int, str]:
    body_file = repo.parent / "body.md"
    body_file.write_bytes(body.encode("utf-8"))
    comment = repo.parent / "comment.md"
    result = run_cli(
        "intake", "--records", "records", "--form", FORM, "--body", str(body_file),
        *who, "--comment", str(comment), cwd=repo, env=ENV,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    assert MARKER not in result.stdout + result.stderr
    return result.returncode, comment.read_text("utf-8")


def _memberships(repo: Path) -> list[Path]:
    return sorted((repo / "records" / "groups").rglob("G-*.yml"))


def _mail_from_the_page(unit: str) -> str:
    """The body of the group page's mailto link, answered under each question as a person
    types it in their mail client (an option id, the unit code, yes/no, the box ticked)."""
    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    link = urlsplit(join_url(programme, "codev-brest-2027", "fr", "subject"))
    body = unquote(parse_qs(link.query)["body"][0])
    assert body == mail_body(group_join_form(programme), {"group": "codev-brest-2027"})
    answers = {"Statut": "civil-servant", "Code de votre": unit, "Vous dirigez": "non"}
    out = []
    lines = body.split("\n")
    for i, line in enumerate(lines):
        out.append(line)
        if line.startswith("### "):
            for start, answer in answers.items():
                if line.startswith(f"### {start}"):
                    hint = i + 1 < len(lines) and lines[i + 1].startswith("~")
                    out.append((lines[i + 1] + "\n" if hint else "") + "\n" + answer)
                    if hint:
                        lines[i + 1] = ""
    text = "\n".join(x for x in out)
    return text.replace("- [ ] Je respecterai", "- [X] Je respecterai")


def test_the_e_mail_from_the_group_page_becomes_a_requested_membership(repo: Path) -> None:
    before = _memberships(repo)
    code, comment = _intake(repo, _mail_from_the_page("U2/U12/U905"), "--sender", MARKER)
    assert code == 0, comment
    new = sorted(set(_memberships(repo)) - set(before))
    assert [p.parent.name for p in new] == ["codev-brest-2027"]
    data = load_file(str(new[0])).data or {}
    assert data["history"] == [{"state": "requested", "date": TODAY}]
    assert data["client"] == client_code(MARKER, KEY.encode())
    assert data["unit"] == "U2/U12/U905" and data["manages_unit"] is False
    assert new[0].stem in comment and MARKER not in new[0].read_text("utf-8")
    assert (
        new[0]
        .read_text("utf-8")
        .startswith(
            "# yaml-language-server: $schema=../../../schemas/group-membership.schema.json\n"
        )
    )
    result = run_cli("validate", "--records", "records", cwd=repo)
    assert [line for line in result.stdout.splitlines() if "error:" in line] == []


def test_the_form_filed_on_github_becomes_a_membership(repo: Path) -> None:
    body = _body(
        FORM,
        {
            "group": "codev-brest-2027",
            "contract_type": _option(FORM, "contract_type", "contract-staff"),
            "unit": "U2/U12/U906",
            "manages_unit": _option(FORM, "manages_unit", "no"),
        },
    )
    code, comment = _intake(repo, body, "--author", "someone")
    assert code == 0, comment


def test_an_unknown_group_is_refused_without_echo(repo: Path) -> None:
    before = sorted((repo / "records").rglob("*"))
    body = _body(
        FORM,
        {
            "group": f"zorglub {MARKER}",
            "contract_type": _option(FORM, "contract_type", "civil-servant"),
            "unit": "U2/U12/U905",
            "manages_unit": _option(FORM, "manages_unit", "no"),
        },
    )
    code, comment = _intake(repo, body, "--author", "someone")
    assert code == 1
    assert "zorglub" not in comment and MARKER not in comment
    assert "not the id of a group" in comment
    assert sorted((repo / "records").rglob("*")) == before


def test_someone_in_the_facilitators_line_is_caught_when_accepted(repo: Path) -> None:
    """A request holds no place, so it is recorded; the line rules judge the members who hold
    one: accepting it is an error at the membership."""
    units = load_file(str(repo / "records" / "coach-units.yml")).data or {}
    lead = units["coaches"]["camille-tremblay"]["unit"]  # a facilitator of codev-brest-2027
    before = _memberships(repo)
    body = _body(
        FORM,
        {
            "group": "codev-brest-2027",
            "contract_type": _option(FORM, "contract_type", "civil-servant"),
            "unit": lead,
            "manages_unit": _option(FORM, "manages_unit", "yes"),
        },
    )
    code, comment = _intake(repo, body, "--author", "someone")
    assert code == 0, comment
    (new,) = sorted(set(_memberships(repo)) - set(before))
    text = new.read_text("utf-8")
    new.write_text(text + f'  - state: "accepted"\n    date: "{TODAY}"\n', "utf-8")
    result = run_cli("validate", "--records", "records", cwd=repo)
    assert result.returncode == 1
    assert f"{new.relative_to(repo)}:" in result.stdout
    assert "[group.facilitator-line]" in result.stdout
