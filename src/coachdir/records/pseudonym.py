"""Pseudonymous client codes: a keyed hash of the requester's identity, never reversible
without the key.

``client_code(identity, key)`` is ``"C-"`` + the first 10 characters of the RFC 4648 base32
encoding (upper case, no padding) of HMAC-SHA256(key, normalised identity), where the identity
(a GitHub login or an e-mail address) is normalised by NFKC, zero-width characters removed,
lower-cased and stripped. The same person gets the same code however they write the case of
their login or address; lower-casing (not case-folding) keeps ``straße@x.de`` and
``strasse@x.de``, two different mailboxes, apart.
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
#: the shortest key accepted from the environment, in bytes (HMAC-SHA256's own output size)
MIN_KEY_BYTES = 32
#: characters that are invisible and would give one address two codes
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise(identity: str) -> str:
    """NFKC, zero-width characters removed, lower-cased, surrounding white space stripped."""
    return unicodedata.normalize("NFKC", identity).translate(_ZERO_WIDTH).lower().strip()


def client_code(identity: str, key: bytes) -> str:
    """The client code of ``identity`` under ``key``."""
    if not key:
        raise ValueError("the pseudonym key is empty")
    digest = hmac.new(key, normalise(identity).encode("utf-8"), hashlib.sha256).digest()
    return "C-" + base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]


def key_from_environment(environ: Mapping[str, str] | None = None) -> bytes:
    """The real key from ``COACHDIR_PSEUDONYM_KEY``; a UsageError (that never shows the
    value) when it is missing, shorter than 32 bytes, or has white space around it (a pasted
    trailing newline would silently change every new code)."""
    value = (os.environ if environ is None else environ).get(KEY_VARIABLE, "")
    if not value.strip():
        raise UsageError(
            f"the environment variable {KEY_VARIABLE} is not set: client codes need the "
            "programme's pseudonym key (a repository secret); set it and run the command again"
        )
    if value != value.strip():
        raise UsageError(
            f"the environment variable {KEY_VARIABLE} starts or ends with white space (a "
            "pasted line break?): remove it from the secret, since it would change every new "
            "client code"
        )
    key = value.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise UsageError(
            f"the environment variable {KEY_VARIABLE} is shorter than {MIN_KEY_BYTES} bytes: "
            "generate a new key with python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))' and store it as the secret"
        )
    return key
