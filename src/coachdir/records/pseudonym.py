"""Pseudonymous client codes: a keyed hash of the requester's identity, never reversible
without the key.

``client_code(identity, key)`` is ``"C-"`` + the first 10 characters of the RFC 4648 base32
encoding (upper case, no padding) of HMAC-SHA256(key, normalised identity), where the identity
(a GitHub login or an e-mail address) is normalised by NFKC, casefold and strip. The same
person gets the same code however they write their login or address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Mapping

from coachdir.problems import UsageError

#: where the real key comes from (a repository secret; never in a file, never logged)
KEY_VARIABLE = "COACHDIR_PSEUDONYM_KEY"
#: the documented key of the demo records (records/README.md). Never use it for real records.
DEMO_KEY = b"coachdir-demo-key-not-secret"
#: the form of every client code
CODE_PATTERN = re.compile(r"^C-[A-Z2-7]{10}$")
CODE_LENGTH = 10


def normalise(identity: str) -> str:
    """NFKC, then casefold, then strip surrounding white space."""
    return unicodedata.normalize("NFKC", identity).casefold().strip()


def client_code(identity: str, key: bytes) -> str:
    """The client code of ``identity`` under ``key``."""
    if not key:
        raise ValueError("the pseudonym key is empty")
    digest = hmac.new(key, normalise(identity).encode("utf-8"), hashlib.sha256).digest()
    return "C-" + base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]


def key_from_environment(environ: Mapping[str, str] | None = None) -> bytes:
    """The real key from ``COACHDIR_PSEUDONYM_KEY``; a UsageError (that never shows the
    value) when it is missing or empty."""
    value = (os.environ if environ is None else environ).get(KEY_VARIABLE, "")
    if not value.strip():
        raise UsageError(
            f"the environment variable {KEY_VARIABLE} is not set: client codes need the "
            "programme's pseudonym key (a repository secret); set it and run the command again"
        )
    return value.encode("utf-8")
