"""E-mail intake accepts what a person writes, as their mail client sends it: answers by id or
label, every problem in one refusal worded for an e-mail, wrapped, flowed and quoted-printable
text, a whole pasted message (its From: and Date:), a signature, a quoted reply, NFD text; the
received day dates the record; the sender is exactly one address; a refusal is printed once.
Every test goes through the real command line into records that then validate."""

from __future__ import annotations

import functools
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdir.github.issueform import FormError, parse_body
from coachdir.github.mailtext import read_mail, sender_address
from coachdir.github.prefill import HINT_WIDTH, hint_lines, mail_body, record_form_templates
from coachdir.loader import load_file
from coachdir.problems import UsageError
from coachdir.programme import load_programme
from coachdir.records.pseudonym import client_code
from conftest import ROOT, TODAY, copy_programme, run_cli

KEY = "test-key-for-mail-intake-at-least-32-bytes"
ENV = {"COACHDIR_PSEUDONYM_KEY": KEY}
SENDER = "staff.member@phares-balises.example"
MAIL = Path(__file__).parent / "fixtures" / "mail"
MARKER = "zorglub"
NATURAL = {
    "Type d": "Coaching individuel",
    "Sujet": "Prise de poste",
    "Langue": "English",
    "Statut": "Fonctionnaire",
    "Promotion": "2026-2027 cohort",
    "Code": "U12/U7/U3",
    "Vous dirigez": "Non",
    "Accompagnement": "Individual",
    "À l'initiative": "Myself",
}
EXPECTED = {
    "offer": "coaching",
    "expertise": "new-role",
    "language": "en",
    "contract_type": "civil-servant",
    "cohort": "cohort-2026",
    "unit": "U12/U7/U3",
    "manages_unit": False,
    "kind": "individual",
    "initiated_by": "self",
    "preferences": ["helene-dubois"],
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    return prog


def _forms() -> dict[str, Any]:
    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    return dict(record_form_templates(programme, ROOT))


def _fill(body: str, answers: dict[str, str]) -> str:
    """What a person does with the prefilled e-mail: each answer on the empty line under its
    question (the heading starting with a key of ``answers``), the boxes ticked."""
    out: list[str] = []
    pending: str | None = None
    for line in body.split("\n"):
        if line.startswith("### "):
            if pending is not None:
                out.extend([pending, ""])
            pending = next((a for h, a in answers.items() if line[4:].startswith(h)), None)
        out.append(line.replace("- [ ] ", "- [X] ", 1))
    if pending is not None:
        out.extend([pending, ""])
    return "\n".join(out)


def _request(**over: str) -> str:
    body = mail_body(_forms()["coaching-request"], {"coaches": "helene-dubois"})
    return _fill(body, {**NATURAL, **over})


def _run(repo: Path, form: str, text: str | bytes, *args: str) -> tuple[int, str, str, str]:
    body = repo.parent / "mail.txt"
    body.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    comment = repo.parent / "comment.md"
    comment.unlink(missing_ok=True)
    result = run_cli(
        "intake", "--records", "records", "--form", form, "--body", str(body), *args,
        "--comment", str(comment), cwd=repo, env=ENV,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    written = comment.read_text("utf-8") if comment.exists() else ""
    return result.returncode, written, result.stdout, result.stderr


def _new_engagement(repo: Path, before: set[Path]) -> dict[str, Any]:
    (new,) = set((repo / "records" / "engagements").iterdir()) - before
    data = load_file(str(new)).data
    assert isinstance(data, dict)
    return data


def _engagements(repo: Path) -> set[Path]:
    return set((repo / "records" / "engagements").iterdir())


def _validates(repo: Path) -> None:
    result = run_cli("validate", "--records", "records", cwd=repo)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stdout.splitlines() if "records/" in line and "error" in line]
    assert errors == [], result.stdout


def _accepted(repo: Path, text: str | bytes, *args: str) -> dict[str, Any]:
    before = _engagements(repo)
    code, comment, out, err = _run(repo, "coaching-request", text, *args)
    assert code == 0, comment + out + err
    data = _new_engagement(repo, before)
    _validates(repo)
    return data


def _subset(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in EXPECTED}


# --------------------------------------------------------------------------- 1. answers


def test_natural_answers_in_an_e_mail_make_a_valid_request(repo: Path) -> None:
    """ "English", "Myself", "2026-2027 cohort": labels in either language, any case."""
    data = _accepted(repo, _request(), "--sender", SENDER)
    assert _subset(data) == EXPECTED
    assert data["client"] == client_code(SENDER, KEY.encode())


@pytest.mark.parametrize(
    ("question", "answer", "field", "value"),
    [
        ("Langue", "ANGLAIS", "language", "en"),
        ("Langue", "  english. ", "language", "en"),
        ("Langue", "Anglais / English", "language", "en"),
        ("Langue", "Anglais / English [en]", "language", "en"),
        ("Langue", "[en]", "language", "en"),
        ("Langue", "francais (canada)", "language", "fr-CA"),
        ("Promotion", "promotion 2025-2026", "cohort", "cohort-2025"),
        ("Promotion", "Cohort 2026", "cohort", "cohort-2026"),
        ("À l'initiative", "moi meme", "initiated_by", "self"),
        ("À l'initiative", "My manager!", "initiated_by", "manager"),
        ("Accompagnement", "D'équipe (toute l'unité, avec sa ou son responsable)", "kind", "team"),
        ("Statut", "Agent contractuel ou agente contractuelle", "contract_type", "contract-staff"),
    ],
)
def test_choice_answers_by_id_or_label_ignoring_case_accents_and_punctuation(
    repo: Path, question: str, answer: str, field: str, value: str
) -> None:
    over = {question: answer}
    if field == "kind":
        over["Vous dirigez"] = "Oui"  # a team engagement is asked by the unit's manager
    data = _accepted(repo, _request(**over), "--sender", SENDER)
    assert data[field] == value


def test_plan_completed_ends_an_engagement_by_e_mail(repo: Path) -> None:
    engagement, data = _active(repo)
    coach_email = _coach_email(repo, data["coach"])
    form = _forms()["end-of-association"]
    body = _fill(mail_body(form), {"Référence": engagement, "Motif": "Plan completed"})
    code, comment, _, _ = _run(repo, "end-of-association", body, "--sender", coach_email)
    assert code == 0, comment
    after = load_file(str(repo / "records" / "engagements" / f"{engagement}.yml")).data or {}
    assert after["history"][-1] == {"state": "completed", "date": TODAY}
    _validates(repo)


@pytest.mark.parametrize("answer", ["English, French", "Français / English", "fr en"])
def test_an_answer_naming_two_options_is_refused(repo: Path, answer: str) -> None:
    before = _engagements(repo)
    code, comment, _, _ = _run(
        repo, "coaching-request", _request(Langue=answer), "--sender", SENDER
    )
    assert code == 1
    assert "Langue souhaitée / Preferred language" in comment
    assert "fr, en, de, es, br, no, ar, fr-CA" in comment  # the options, not the answer
    assert _engagements(repo) == before


def test_a_github_body_stays_strict() -> None:
    """A body GitHub rendered holds the whole option text: there a label alone is an edit."""
    form = _forms()["coaching-request"]
    body = _request()
    with pytest.raises(FormError, match="not one of the options of the form"):
        parse_body(form, body)
    assert parse_body(form, body, typed=True)["language"] == "Anglais / English [en]"


# --------------------------------------------------------------------------- 1. one refusal


def test_one_refusal_lists_every_problem_worded_for_an_e_mail(repo: Path) -> None:
    body = _request(
        Langue=f"{MARKER} klingon",
        Promotion=f"{MARKER} 1999",
        Code=f"{MARKER} Jean",
        **{"À l'initiative": f"{MARKER}?"},
    )
    body = body.replace("- [X] ", "- [ ] ")  # and the consent left unticked
    before = _engagements(repo)
    code, comment, out, err = _run(repo, "coaching-request", body, "--sender", SENDER)
    assert code == 1
    rows = [line for line in comment.splitlines() if line.startswith("| ") and "---" not in line]
    named = [row.split(" | ")[0].lstrip("| ") for row in rows[1:]]
    assert named == [
        "Langue souhaitée / Preferred language",
        "Promotion / Cohort",
        "Code de votre unité / Your unit code",
        "À l'initiative de / Initiated by",
        "Consentement et confidentialité / Consent and confidentiality",
    ]
    assert "fr, en, de, es, br, no, ar, fr-CA" in comment
    assert "cohort-2025, cohort-2026" in comment
    assert "self, manager, programme" in comment
    assert "5 réponses ne sont pas valides / 5 answers are not valid" in comment
    for text in (comment, out, err):
        assert MARKER not in text and "Jean" not in text and "klingon" not in text
        assert "from the form" not in text.casefold()
    assert "issue" not in comment.casefold()
    assert "e-mail" in comment
    assert _engagements(repo) == before


def test_an_unedited_e_mail_names_every_question_to_answer(repo: Path) -> None:
    body = mail_body(_forms()["coaching-request"], {"coaches": "helene-dubois"})
    code, comment, _, _ = _run(repo, "coaching-request", body, "--sender", SENDER)
    assert code == 1
    for label in ("Type d'accompagnement / Kind of support", "À l'initiative de / Initiated by"):
        assert f'"{label}" is required but has no answer. Send your e-mail again' in comment
    assert comment.count("is required but has no answer") == 9  # every unanswered question


# --------------------------------------------------------------------------- 1. prefill hints


@pytest.mark.parametrize("name", ["coaching-request", "session-log", "end-of-association"])
def test_the_e_mail_says_under_each_dropdown_which_answers_it_takes(name: str) -> None:
    form = _forms()[name]
    body = mail_body(form).split("\n")
    for element in form["body"]:
        if element.get("type") != "dropdown":
            continue
        at = body.index(f"### {element['attributes']['label']}")
        hints = hint_lines(element)
        assert body[at + 1 : at + 1 + len(hints)] == hints
        assert all(line.startswith("~ ") and len(line) <= HINT_WIDTH for line in hints)
        listed = " ".join(hints).replace("~", "").replace(",", " ").split()
        assert listed == [
            o.rsplit("[", 1)[-1].rstrip("]") for o in element["attributes"]["options"]
        ]
    # the parser of an e-mail skips the hints: the unedited body is refused for no answer only
    with pytest.raises(FormError) as caught:
        parse_body(form, mail_body(form), typed=True)
    for error in caught.value.errors:
        assert "required but has no answer" in error.message or "must be ticked" in error.message


# --------------------------------------------------------------------------- 1. mail clients


def test_hard_wrapped_at_72_columns_the_consent_and_headings_included(repo: Path) -> None:
    import textwrap

    lines: list[str] = []
    for line in _request(Accompagnement="Individuel / Individual [individual]").split("\n"):
        lines.extend(textwrap.wrap(line, 72, break_on_hyphens=False) or [""])
    assert any(line.startswith("### Accompagnement") and len(line) < 73 for line in lines)
    assert sum(1 for line in lines if "J'accepte" in line or "confidential" in line) >= 2
    data = _accepted(repo, "\n".join(lines), "--sender", SENDER)
    assert _subset(data) == EXPECTED


def test_quoted_printable_leftovers_of_a_copied_source(repo: Path) -> None:
    import quopri

    encoded = quopri.encodestring(_request().encode("utf-8")).decode("ascii")
    assert "=\n" in encoded and "=C3=A9" in encoded  # soft breaks and escaped accents
    data = _accepted(repo, encoded, "--sender", SENDER)
    assert _subset(data) == EXPECTED


def test_read_mail_undoes_flowed_signature_and_quote() -> None:
    flowed = (
        "From: A <a@x.example>\nDate: Fri, 20 Nov 2026 23:30:00 -0500\n"
        "Content-Type: text/plain; charset=UTF-8; format=flowed\n\n"
        "### Heading that is \nlong\n\n answer\n\n-- \nA. Person\n"
    )
    mail = read_mail(flowed)
    assert mail.body == "### Heading that is long\n\nanswer\n"
    assert (str(mail.sent), mail.sender) == ("2026-11-20", "a@x.example")  # sender's own day
    reply = "### A\n\nyes\n\nOn Mon, 1 Dec 2026, Team <t@x.example> wrote:\n> ### A\n>\n> no\n"
    assert read_mail(reply).body == "### A\n\nyes"
    inside = "Le 1 déc. 2026 à 10:00, Team <t@x.example> a écrit :\n\n> ### A\n>\n> yes\n"
    assert read_mail(inside).body == "\n### A\n\nyes\n"
    qp = "### Caf=C3=A9 =3D ok\n\nline that is cut=\n here\n"
    assert read_mail(qp).body == "### Café = ok\n\nline that is cut here\n"
    plain = "### A = B\n\nanswer\n"  # an "=" that is no escape: left as it is
    assert read_mail(plain).body == plain


@pytest.mark.parametrize(
    ("fixture", "sent"),
    [
        ("outlook-request.eml", "2026-11-19"),
        ("thunderbird-request.eml", "2026-11-20"),
        ("gmail-reply-request.eml", "2026-11-21"),
        ("apple-mail-reply-request.eml", "2026-11-21"),
    ],
)
def test_real_client_messages_become_valid_requests(repo: Path, fixture: str, sent: str) -> None:
    """The whole message as each client sends it, pasted by the team with its headers: no
    --sender (the From: header gives it), dated by its Date: header."""
    raw = (MAIL / fixture).read_bytes()
    data = _accepted(repo, raw)
    assert data["client"] == client_code(SENDER, KEY.encode())
    assert data["history"] == [{"state": "requested", "date": sent}]
    assert data["preferences"] == ["helene-dubois"] and data["unit"] == "U12/U7/U3"
    assert (data["offer"], data["contract_type"], data["cohort"]) == (
        "coaching",
        "civil-servant",
        "cohort-2026",
    )
    text = "\n".join(p.read_text("utf-8") for p in (repo / "records").rglob("*.yml"))
    assert "Camille" not in text and SENDER not in text


def test_each_client_fixture_shows_how_it_writes() -> None:
    """The fixtures hold what makes each client's output hard: checked, so that they stay so."""
    outlook = (MAIL / "outlook-request.eml").read_bytes()
    assert b"\r\n" in outlook and b"quoted-printable" in outlook and b"=C3=A9" in outlook
    assert max(len(line) for line in outlook.split(b"\r\n")) <= 100
    thunderbird = (MAIL / "thunderbird-request.eml").read_bytes().decode("utf-8")
    assert "format=flowed" in thunderbird and "team \r\nengagement" in thunderbird
    assert "\r\n-- \r\n" in thunderbird
    gmail = (MAIL / "gmail-reply-request.eml").read_bytes().decode("ascii")
    assert "multipart/alternative" in gmail and "\r\n> " in gmail and "wrote:" in gmail
    apple = (MAIL / "apple-mail-reply-request.eml").read_text("ascii")
    assert "Apple Mail" in apple and "=CC=81" in apple  # a combining accent: NFD text
    assert "> ###" in apple


# --------------------------------------------------------------------------- 1. Unicode


def test_nfd_headings_and_answers_match_as_nfc(repo: Path) -> None:
    body = unicodedata.normalize("NFD", _request(Sujet="Évolution professionnelle"))
    assert body != unicodedata.normalize("NFC", body)
    data = _accepted(repo, body, "--sender", SENDER)
    assert data["expertise"] == "career" and data["language"] == "en"


def test_nfd_heading_in_a_github_body_is_read_as_its_question() -> None:
    form = _forms()["coaching-request"]
    from coachdir.github.prefill import render_body

    answers = {"coaches": "helene-dubois", "language": "Français / French [fr]"}
    body = unicodedata.normalize("NFD", render_body(form, answers))
    with pytest.raises(FormError) as caught:
        parse_body(form, body)
    assert caught.value.field == "offer"  # the first unanswered question, not a heading error
    assert "is required" in caught.value.message


# --------------------------------------------------------------------------- 2. received


def test_received_dates_the_request(repo: Path) -> None:
    data = _accepted(repo, _request(), "--sender", SENDER, "--received", "2026-11-18")
    assert data["history"] == [{"state": "requested", "date": "2026-11-18"}]


def test_received_dates_the_end(repo: Path) -> None:
    engagement, data = _active(repo, before="2026-11-20")
    form = _forms()["end-of-association"]
    body = _fill(mail_body(form), {"Référence": engagement, "Motif": "Mismatch"})
    code, comment, _, _ = _run(
        repo, "end-of-association", body, "--sender", _coach_email(repo, data["coach"]),
        "--received", "2026-11-20",
    )  # fmt: skip
    assert code == 0, comment
    after = load_file(str(repo / "records" / "engagements" / f"{engagement}.yml")).data or {}
    assert after["history"][-1] == {"state": "ended", "date": "2026-11-20", "reason": "mismatch"}


@pytest.mark.parametrize(
    "args",
    [
        ("--sender", SENDER, "--received", "2026-11-23"),
        ("--sender", SENDER, "--received", "2026-12-01", "--today", "2026-11-30"),
    ],
)
def test_a_received_day_after_today_is_refused(repo: Path, args: tuple[str, ...]) -> None:
    before = _engagements(repo)
    code, _, out, err = _run(repo, "coaching-request", _request(), *args)
    assert code == 2 and "after today" in err, out + err
    assert _engagements(repo) == before


def test_a_pasted_date_after_today_is_refused(repo: Path) -> None:
    raw = (MAIL / "thunderbird-request.eml").read_bytes()
    raw = raw.replace(b"Fri, 20 Nov 2026", b"Fri, 27 Nov 2026")
    code, _, out, err = _run(repo, "coaching-request", raw)
    assert code == 2 and "after today" in err, out + err


def test_received_that_contradicts_the_pasted_date_is_refused(repo: Path) -> None:
    raw = (MAIL / "thunderbird-request.eml").read_bytes()
    code, _, _, err = _run(repo, "coaching-request", raw, "--received", "2026-11-01")
    assert code == 2 and "Date:" in err


def test_received_is_not_for_a_github_form(repo: Path) -> None:
    code, _, _, err = _run(
        repo, "coaching-request", _request(), "--author", "x", "--received", "2026-11-20"
    )
    assert code == 2 and "--received" in err


# --------------------------------------------------------------------------- 4.2 sender


@pytest.mark.parametrize(
    "written",
    [
        SENDER,
        f"Camille Martin <{SENDER}>",
        f"<{SENDER}>",
        f"mailto:{SENDER}",
        f"  {SENDER}  ",
        f'"Martin, Camille" <{SENDER}>',
    ],
)
def test_sender_forms_give_the_same_client_code(repo: Path, written: str) -> None:
    data = _accepted(repo, _request(), "--sender", written)
    assert data["client"] == client_code(SENDER, KEY.encode())


@pytest.mark.parametrize(
    "written",
    [
        " ",
        "",
        f"not an address {MARKER}",
        f"{MARKER}@one.example, other@two.example",
        f"{MARKER}@one.example other@two.example",
        f"Jean {MARKER} <{MARKER}@one.example> <b@two.example>",
        f"@{MARKER}.example",
        f'"{MARKER} x"@one.example',
    ],
)
def test_a_sender_that_is_not_one_address_is_refused(repo: Path, written: str) -> None:
    before = _engagements(repo)
    code, comment, out, err = _run(repo, "coaching-request", _request(), "--sender", written)
    assert code == 2, out + err
    assert "not exactly one e-mail address" in err
    assert MARKER not in out + err + comment and "Jean" not in err
    assert _engagements(repo) == before
    with pytest.raises(UsageError):
        sender_address(written)


def test_a_sender_that_contradicts_the_pasted_from_is_refused(repo: Path) -> None:
    raw = (MAIL / "outlook-request.eml").read_bytes()
    code, _, out, err = _run(repo, "coaching-request", raw, "--sender", "someone@else.example")
    assert code == 2 and "From:" in err
    assert "someone" not in out + err and SENDER not in out + err


# --------------------------------------------------------------------------- 5. printed once


def test_a_refusal_is_printed_once(repo: Path) -> None:
    """Without --comment the comment goes to the terminal; the same refusals are not printed
    a second time as problems on stderr."""
    body = repo.parent / "mail.txt"
    body.write_text(_request(Langue="klingon"), "utf-8")
    result = run_cli(
        "intake", "--records", "records", "--form", "coaching-request", "--body", str(body),
        "--sender", SENDER, cwd=repo, env=ENV,
    )  # fmt: skip
    assert result.returncode == 1
    both = result.stdout + result.stderr
    assert both.count("not exactly one of its options") == 1, both
    assert "not exactly one of its options" in result.stdout
    # with --comment, the comment goes to the file and the log still says why
    code, comment, out, err = _run(repo, "coaching-request", _request(Langue="klingon"),
                                   "--sender", SENDER)  # fmt: skip
    assert code == 1 and "Preferred language" in comment and "Preferred language" in err
    assert "Preferred language" not in out


# --------------------------------------------------------------------------- helpers


def _active(repo: Path, before: str = TODAY) -> tuple[str, dict[str, Any]]:
    for path in sorted((repo / "records" / "engagements").glob("*.yml")):
        data = load_file(str(path)).data or {}
        last = data["history"][-1]
        later = any(str(s["date"]) >= before for s in data.get("sessions", []))
        open_before = last["state"] == "active" and str(last["date"]) < before
        if open_before and data.get("coach") and not later:
            return path.stem, data
    raise AssertionError("no active engagement")


def _coach_email(repo: Path, coach: str) -> str:
    data = load_file(str(repo / "coaches" / f"{coach}.yml")).data or {}
    return str(data["contact"]["email"])


def test_a_refusal_of_a_github_body_is_printed_once(repo: Path) -> None:
    from coachdir.github.prefill import render_body

    body = repo.parent / "issue.md"
    body.write_text(render_body(_forms()["coaching-request"], {"coaches": "helene-dubois"}))
    result = run_cli(
        "intake", "--records", "records", "--form", "coaching-request", "--body", str(body),
        "--author", "someone", cwd=repo, env=ENV,
    )  # fmt: skip
    assert result.returncode == 1
    both = result.stdout + result.stderr
    assert both.count('"Type d\'accompagnement / Kind of support" is required') == 1, both


def test_a_pasted_from_that_is_a_name_only_needs_sender(repo: Path) -> None:
    """A copy of what a client displays may hold "From: Camille Martin" and no address."""
    raw = (MAIL / "outlook-request.eml").read_bytes()
    raw = raw.replace(
        b"From: Camille Martin <staff.member@phares-balises.example>", b"From: Camille Martin"
    )
    code, _, out, err = _run(repo, "coaching-request", raw)
    assert code == 2 and "From:" in err and "Camille" not in out + err
    data = _accepted(repo, raw, "--sender", SENDER.upper())
    assert data["history"] == [{"state": "requested", "date": "2026-11-19"}]


def test_sender_matches_the_pasted_from_whatever_its_case(repo: Path) -> None:
    raw = (MAIL / "outlook-request.eml").read_bytes()
    _accepted(repo, raw, "--sender", f"Camille <{SENDER.upper()}>")


def test_record_intake_refuses_a_received_day_after_today(repo: Path) -> None:
    from datetime import date

    from coachdir.records.intake import Requester, record_intake

    programme, _, _ = load_programme(repo)
    assert programme is not None
    with pytest.raises(UsageError, match="after today"):
        record_intake(
            repo, programme, repo / "records", "coaching-request", _request(),
            who=Requester(email=SENDER), key=KEY.encode(), today=date(2026, 11, 22),
            received=date(2026, 11, 23),
        )  # fmt: skip


def test_a_github_body_with_several_problems_reports_them_all() -> None:
    from coachdir.github.prefill import render_body

    form = _forms()["coaching-request"]
    body = render_body(form, {"coaches": "helene-dubois", "language": "Klingon [tlh]"})
    with pytest.raises(FormError) as caught:
        parse_body(form, body)
    fields = [e.field for e in caught.value.errors]
    assert fields[:2] == ["offer", "expertise"] and "language" in fields and "consent" in fields
    assert all("Create the request again from the form" in e.message for e in caught.value.errors)


@functools.cache
def _dropdowns() -> list[tuple[str, list[str]]]:
    out = []
    for name, form in _forms().items():
        for element in form["body"]:
            if element.get("type") == "dropdown":
                out.append((f"{name}:{element['id']}", list(element["attributes"]["options"])))
    return out


@given(data=st.data())
@settings(max_examples=200, deadline=None)
def test_any_spelling_of_an_id_or_a_label_names_its_option(data: st.DataObject) -> None:
    """Property: for every option of every record dropdown, its id, either half of its label
    or its whole text, re-cased, with accents decomposed or dropped and punctuation or spaces
    added or removed, names that option and no other."""
    from coachdir.github.typedbody import typed_option

    _, options = data.draw(st.sampled_from(_dropdowns()))
    option = data.draw(st.sampled_from(options))
    ident = option.rsplit("[", 1)[1].rstrip("]") if option.endswith("]") else option
    label = option.rsplit(" [", 1)[0]
    name = data.draw(st.sampled_from([ident, option, label, *label.split(" / ")]))
    if not any(
        name.casefold() == other.rsplit(" [", 1)[0].split(" / ")[0].casefold()
        for other in options
        if other != option
    ):
        flip = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
        spelt = "".join(c.upper() if f else c.lower() for c, f in zip(name, flip, strict=True))
        form = data.draw(st.sampled_from(["NFC", "NFD"]))
        if data.draw(st.booleans()):
            spelt = "".join(
                c for c in unicodedata.normalize("NFD", spelt) if not unicodedata.combining(c)
            )
        spelt = unicodedata.normalize(form, spelt)
        spelt = data.draw(st.sampled_from(["", " ", "  ", "\t"])) + spelt
        spelt += data.draw(st.sampled_from(["", ".", " !", " ;", "  "]))
        assert typed_option(options, spelt) == option, (option, spelt)


def test_a_long_list_of_valid_answers_is_not_cut_in_the_comment() -> None:
    from coachdir.github.intakeparts import Row, result_comment

    answers = ", ".join(f"option-{n:02d}" for n in range(60))  # a large vocabulary
    row = Row("Entity", None, f"answer with one of: {answers}", "form.value", "Send it again.")
    assert "option-59" in result_comment("coaching-request", False, "Refused", [row])


def test_sender_and_received_are_refused_for_coach_forms(repo: Path) -> None:
    for extra in (("--sender", SENDER), ("--received", "2026-11-20")):
        code, _, _, err = _run(repo, "coach-registration", "### x\n", "--author", "x", *extra)
        assert code == 2 and "record forms" in err


def test_a_pasted_message_without_content_type_keeps_its_accents() -> None:
    """A message pasted with its From: and Date: lines but no Content-Type: its text is the
    UTF-8 that was pasted, not us-ascii (the headings' é once came out garbled, so every
    heading after the first accented one was refused)."""
    pasted = (
        "From: Jeanne <jeanne@phares-balises.example>\n"
        "Date: Mon, 30 Nov 2026 09:12:00 +0100\n"
        "Subject: Demande\n\n"
        "### Code de votre unité / Your unit code\n\nU2/U12/U905\n"
    )
    mail = read_mail(pasted)
    assert mail.body.startswith("### Code de votre unité / Your unit code\n")
    assert mail.sender == "jeanne@phares-balises.example"
    assert mail.sent is not None and mail.sent.isoformat() == "2026-11-30"
