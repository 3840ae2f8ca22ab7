"""E-mail prefill, end to end: the site's request button, the shortlist's address and the
coach's "log a session" / "end the coaching" links open e-mails whose body is the record
form's, in GitHub's rendered format. Unedited, `coachdir intake` refuses it naming the
question to answer; filled in as a person would, it becomes a valid record change."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from coachdir.github.issueform import FormError, parse_body
from coachdir.github.prefill import (
    IDS_MARKER,
    mail_body,
    record_form_templates,
    render_body,
)
from coachdir.loader import load_file
from coachdir.model.coach import build_coaches
from coachdir.programme import load_programme
from coachdir.records.pseudonym import client_code
from coachdir.site.render import Renderer, request_url
from coachdir.validation.engine import validate
from conftest import ROOT, TODAY, copy_programme, run_cli

KEY = "test-key-for-prefill-at-least-32-bytes-long"
ENV = {"COACHDIR_PSEUDONYM_KEY": KEY}
TEAM = "coaching@phares-balises.example"
SENDER = "staff.member@phares-balises.example"
MAILTO = f'request_target:\n  kind: mailto\n  email: "{TEAM}"\n'


def _mailto_programme(dest: Path) -> Path:
    prog = copy_programme(dest)
    text = (prog / "programme.yml").read_text("utf-8")
    text, count = re.subn(r"request_target:\n(  .*\n)+", MAILTO, text)
    assert count == 1
    (prog / "programme.yml").write_text(text, "utf-8")
    shutil.copy(ROOT / "mkdocs.yml", prog / "mkdocs.yml")
    return prog


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample programme with e-mail requests, rendered; plus a copy of the demo records."""
    prog = _mailto_programme(tmp_path_factory.mktemp("prefill") / "prog")
    report = validate(prog, today=date.fromisoformat(TODAY), full=True)
    assert report.ok, report.problems
    assert report.programme is not None
    coaches = build_coaches(report.profiles, report.programme, TODAY)
    build = prog.parent / "build"
    Renderer(prog, report.programme, coaches).render(build)
    return prog, build


@pytest.fixture
def repo(built: tuple[Path, Path], tmp_path: Path) -> Path:
    prog = tmp_path / "prog"
    shutil.copytree(built[0], prog)
    shutil.copytree(ROOT / "records", prog / "records")
    return prog


def _page(build: Path, lang: str, cid: str) -> BeautifulSoup:
    path = build / "fragments" / lang / "coaches" / f"{cid}.html"
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def _mail(href: str) -> tuple[str, str, str]:
    """(address, subject, body) of a mailto link, decoded as a mail client does."""
    parts = urlsplit(href)
    assert parts.scheme == "mailto"
    query = parse_qs(parts.query, keep_blank_values=True)
    assert sorted(query) == ["body", "subject"]
    return unquote(parts.path), query["subject"][0], query["body"][0]


def _link(build: Path, lang: str, cid: str, css: str, text: str | None = None) -> str:
    found = [a for a in _page(build, lang, cid).select(css) if text in (None, a.get_text())]
    assert len(found) == 1, css
    return str(found[0]["href"])


def _fill(body: str, answers: dict[str, str]) -> str:
    """What a person does: write each answer (under the heading starting with a key of
    ``answers``) on the empty line the e-mail leaves for it, after the hint lines (or in place
    of `_No response_` in a body as GitHub renders it), and tick the boxes."""
    out: list[str] = []
    pending: str | None = None
    for line in body.split("\n"):
        if line.startswith("### "):
            if pending is not None:
                out.extend([pending, ""])
            pending = next((a for h, a in answers.items() if line[4:].startswith(h)), None)
        elif line == "_No response_" and pending is not None:
            line, pending = pending, None
        out.append(line.replace("- [ ] ", "- [X] ", 1))
    if pending is not None:
        out.extend([pending, ""])
    return "\n".join(out)


def _option(form: dict[str, Any], fid: str, ident: str) -> str:
    element = next(e for e in form["body"] if e.get("id") == fid)
    return next(o for o in element["attributes"]["options"] if o.endswith(f"[{ident}]"))


def _forms() -> dict[str, Any]:
    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    return dict(record_form_templates(programme, ROOT))


def _intake(repo: Path, form: str, body: str, sender: str) -> tuple[int, str]:
    body_file = repo.parent / f"{form}.eml.txt"
    # a mail client may send CRLF line endings
    body_file.write_bytes(body.replace("\n", "\r\n").encode("utf-8"))
    comment = repo.parent / "comment.md"
    result = run_cli(
        "intake", "--records", "records", "--form", form, "--body", str(body_file),
        "--sender", sender, "--comment", str(comment), cwd=repo, env=ENV,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    return result.returncode, comment.read_text("utf-8")


def _engagement_with(repo: Path, state: str) -> tuple[str, dict[str, Any]]:
    for path in sorted((repo / "records" / "engagements").glob("*.yml")):
        data = load_file(str(path)).data or {}
        if data["history"][-1]["state"] == state and data.get("coach"):
            return path.stem, data
    raise AssertionError(state)


def _required(label: str) -> str:
    return f'"{label}" is required but has no answer. Send your e-mail again and answer it'


# --------------------------------------------------------------------------- render_body


@pytest.mark.parametrize("name", ["coaching-request", "session-log", "end-of-association"])
def test_render_body_reads_back_through_the_parser(name: str) -> None:
    form = _forms()[name]
    questions = [e for e in form["body"] if e["type"] != "markdown"]
    answers: dict[str, Any] = {}
    for element in questions:
        attributes = element["attributes"]
        if element["type"] == "checkboxes":
            answers[element["id"]] = [o["label"] for o in attributes["options"]]
        elif element["type"] == "dropdown":
            answers[element["id"]] = attributes["options"][-1]
        else:
            answers[element["id"]] = "2026-0001"
    body = render_body(form, answers)
    assert body.startswith("### ")  # nothing before the first heading: the parser refuses it
    assert parse_body(form, body) == answers
    # unanswered: every question is there, `_No response_` or unticked
    empty = render_body(form)
    assert empty.count("\n### ") + 1 == len(questions)
    assert "_No response_" in empty


# --------------------------------------------------------------------------- request


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_request_button_mail_is_the_request_form_with_the_coach_id(
    built: tuple[Path, Path], lang: str
) -> None:
    _, build = built
    address, subject, body = _mail(_link(build, lang, "helene-dubois", "a.cd-request__button"))
    assert address == TEAM
    assert "~" in subject
    assert body == mail_body(_forms()["coaching-request"], {"coaches": "helene-dubois"})


def test_request_mail_unedited_is_refused_then_filled_in_is_accepted(
    built: tuple[Path, Path], repo: Path
) -> None:
    _, _, body = _mail(_link(built[1], "en", "helene-dubois", "a.cd-request__button"))
    code, comment = _intake(repo, "coaching-request", body, SENDER)
    assert code == 1
    assert _required("Type d'accompagnement / Kind of support") in comment

    form = _forms()["coaching-request"]
    filled = _fill(
        body,
        {
            "Type d": _option(form, "offer", "coaching"),
            "Sujet": _option(form, "expertise", "new-role"),
            "Langue": _option(form, "language", "fr"),
            "Statut": _option(form, "contract_type", "civil-servant"),
            "Promotion": _option(form, "cohort", "cohort-2026"),
            "Code": "U12/U7/U3",
            "Vous dirigez": _option(form, "manages_unit", "no"),
            "Accompagnement": _option(form, "kind", "individual"),
            "À l'initiative": _option(form, "initiated_by", "self"),
        },
    )
    before = set((repo / "records" / "engagements").iterdir())
    code, comment = _intake(repo, "coaching-request", filled, SENDER)
    assert code == 0, comment
    (new,) = set((repo / "records" / "engagements").iterdir()) - before
    data = load_file(str(new)).data or {}
    assert data["preferences"] == ["helene-dubois"]
    assert data["client"] == client_code(SENDER, KEY.encode())
    assert SENDER not in new.read_text("utf-8")


def test_shortlist_address_puts_the_ids_in_order_as_the_preferences(
    built: tuple[Path, Path], repo: Path
) -> None:
    data = json.loads((built[1] / "fr" / "assets" / "coaches.json").read_text("utf-8"))
    request = data["request"]
    assert request["marker"] == IDS_MARKER and request["href"].count(IDS_MARKER) == 1
    ids = ["yann-caradec", "helene-dubois"]
    # what directory.js does: encodeURIComponent(ids.join(', ')) where the marker is
    href = request["href"].replace(IDS_MARKER, "yann-caradec%2C%20helene-dubois")
    form = _forms()["coaching-request"]
    assert _mail(href)[2] == mail_body(form, {"coaches": ", ".join(ids)})


def test_request_mail_for_three_longest_ids_stays_under_2000_characters(
    built: tuple[Path, Path],
) -> None:
    programme, _, _ = load_programme(built[0])
    assert programme is not None
    longest = sorted((p.stem for p in (ROOT / "coaches").glob("*.yml")), key=len)[-3:]
    forms = record_form_templates(programme, built[0])
    for lang in ("fr", "en"):
        href = request_url(programme, longest, lang, forms)
        assert len(href) < 2000, len(href)
        assert _mail(href)[2].split("\n")[2] == ", ".join(longest)


# --------------------------------------------------------------------------- coach links


def _coach_email(repo: Path, coach: str) -> str:
    data = load_file(str(repo / "coaches" / f"{coach}.yml")).data or {}
    return str(data["contact"]["email"])


def test_session_log_mail_unedited_is_refused_then_filled_in_is_recorded(
    built: tuple[Path, Path], repo: Path
) -> None:
    engagement, data = _engagement_with(repo, "active")
    coach = str(data["coach"])
    address, subject, body = _mail(
        _link(built[1], "fr", coach, ".cd-for-coach a", "Enregistrer une séance")
    )
    assert address == TEAM and "~" in subject
    assert body == mail_body(_forms()["session-log"])
    code, comment = _intake(repo, "session-log", body, _coach_email(repo, coach))
    assert code == 1
    assert _required("Référence de l'accompagnement / Engagement reference") in comment

    form = _forms()["session-log"]
    filled = _fill(
        body,
        {
            "Référence": engagement,
            "Date": TODAY,
            "Durée": "45",
            "Statut": _option(form, "status", "held"),
        },
    )
    code, comment = _intake(repo, "session-log", filled, _coach_email(repo, coach))
    assert code == 0, comment
    after = load_file(str(repo / "records" / "engagements" / f"{engagement}.yml")).data or {}
    assert after["sessions"][-1] == {
        "date": TODAY, "minutes": 45, "kind": "session", "status": "held"
    }  # fmt: skip


def test_end_of_association_mail_unedited_is_refused_then_filled_in_is_recorded(
    built: tuple[Path, Path], repo: Path
) -> None:
    engagement, data = _engagement_with(repo, "active")
    coach = str(data["coach"])
    address, _, body = _mail(_link(built[1], "en", coach, ".cd-for-coach a", "End the coaching"))
    assert address == TEAM
    assert body == mail_body(_forms()["end-of-association"])
    code, comment = _intake(repo, "end-of-association", body, _coach_email(repo, coach))
    assert code == 1
    assert _required("Référence de l'accompagnement / Engagement reference") in comment

    form = _forms()["end-of-association"]
    filled = _fill(body, {"Référence": engagement, "Motif": _option(form, "reason", "mismatch")})
    code, comment = _intake(repo, "end-of-association", filled, _coach_email(repo, coach))
    assert code == 0, comment
    after = load_file(str(repo / "records" / "engagements" / f"{engagement}.yml")).data or {}
    assert after["history"][-1] == {"state": "ended", "date": TODAY, "reason": "mismatch"}
    assert "satisfaction" not in after  # the optional answer left empty


def test_request_mail_answered_with_bare_ids_is_accepted(
    built: tuple[Path, Path], repo: Path
) -> None:
    """Nobody sees the dropdowns in an e-mail: answers typed as the option ids (as the
    README tells the sender) are read as those options."""
    _, _, body = _mail(_link(built[1], "en", "helene-dubois", "a.cd-request__button"))
    filled = _fill(
        body,
        {
            "Type d": "coaching",
            "Sujet": "[new-role]",
            "Langue": "FR",
            "Statut": "civil-servant",
            "Promotion": "cohort-2026",
            "Code": "U12/U7/U3",
            "Vous dirigez": "no",
            "Accompagnement": "individual",
            "À l'initiative": "self",
        },
    )
    code, comment = _intake(repo, "coaching-request", filled, SENDER)
    assert code == 0, comment


def test_bare_ids_are_read_only_in_a_body_typed_by_hand() -> None:
    """A body GitHub rendered always holds the option's whole text: there an id alone is an
    edit outside the form, and refused."""
    form = _forms()["coaching-request"]
    body = _fill(render_body(form, {"coaches": "helene-dubois"}), {"Type d": "coaching"})
    with pytest.raises(FormError, match=r'"Type d.accompagnement / Kind of support" is not one'):
        parse_body(form, body)
    with pytest.raises(FormError, match=r'"Sujet .*" is required'):  # offer read, next one
        parse_body(form, body, typed=True)
