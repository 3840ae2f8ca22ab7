"""The manual and the sample pages tell the truth about starting a programme and about the
request: README's "Start a programme" commands run as printed in a scratch folder, and the
pages init copies describe the real e-mail request (the prefilled e-mail, no free text, the
unit code), naming the site's own button."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n### {title}\n")
    end = README.index("\n### ", start + 1)
    return README[start:end]


def test_start_a_programme_commands_run_as_printed(tmp_path: Path) -> None:
    block = re.search(r"```sh\n(.*?)```", _section("Start a programme"), re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    commands = [c for c in commands if c]
    assert len(commands) >= 2 and all(c.startswith("coachdir init") for c in commands)
    for command in commands:
        args = shlex.split(command)[1:]
        result = subprocess.run(
            [sys.executable, "-m", "coachdir", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (command, result.stderr)
    records = tmp_path / shlex.split(commands[1])[3]  # coachdir init --records DIR ...
    assert (records / ".github" / "ISSUE_TEMPLATE" / "coaching-request.yml").is_file()


@pytest.mark.parametrize(
    "title", ["Start a programme", "Why coaching requests belong in a restricted repository"]
)
def test_no_stale_promise_of_a_later_version(title: str) -> None:
    text = " ".join(_section(title).split())
    assert "later version" not in text and "does not write it yet" not in text


def _strings() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(
        (ROOT / "src/coachdir/site/templates/strings.yml").read_text(encoding="utf-8")
    )
    return {key: value for key, value in data.items() if isinstance(value, dict)}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", ["how-it-works.md", "for-clients.md"])
def test_pages_describe_the_email_request(lang: str, page: str) -> None:
    text = " ".join((ROOT / "content" / lang / page).read_text(encoding="utf-8").split())
    free = {"fr": "aucun texte libre", "en": "no free text"}[lang]
    unit = {"fr": "code de votre unité", "en": "unit code"}[lang]
    assert free in text and unit in text and "U12/U7/U3" in text
    assert "e-mail" in text
    for stale in ("request form", "formulaire de demande", "Describe your goal",
                  "Décrivez votre objectif", "general terms", "termes généraux"):  # fmt: skip
        assert stale not in text, stale
    if page == "how-it-works.md":
        assert _strings()["shortlist_request"][lang] in text
        # the e-mail leaves an empty line for each answer under its `~` lines of possible
        # answers (github/prefill.mail_body): the page says so, not GitHub's "_No response_"
        assert "`~`" in text and "_No response_" not in text
