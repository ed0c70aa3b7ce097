"""What a key's name says about its value (DESIGN.md Semantics, Secrets).

A name is split on `_`, `.` and `-` (so `db.password` and `api-key` read like `DB_PASSWORD`
and `API_KEY`). Its verdict is graded: `strong` (SECRET, PASSWORD, PASSWD or PRIVATE_KEY in
any segment: nobody names a public value that), `weak` (a last segment such as KEY, TOKEN,
DSN or SALT: usually a secret, sometimes a public id; AUTH_TOKEN, ACCESS_TOKEN, API_TOKEN,
REFRESH_TOKEN and CLIENT_SECRET are strong, also under a browser prefix), `near` (one edit from a strong word,
`NEXTAUTH_SECERT`, `SMTP_PASWORD`), or nothing. Names public by design (`*_PUBLISHABLE_KEY`,
`*_ANON_KEY`, ...) and the process variables PWD and OLDPWD are nothing.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from drift.platform.suggest import NearMisses

STRONG, WEAK, NEAR = "strong", "weak", "near"

_SEPARATORS = re.compile(r"[_.\-]+")
_STRONG_WORDS = frozenset({"SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD"})
_SUFFIXES = frozenset(
    {
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "KEY",
        "APIKEY",
        "API_KEY",
        "ACCESS_KEY",
        "PRIVATE_KEY",
        "SIGNING_KEY",
        "CREDENTIALS",
        "DSN",
        "SALT",
        "COOKIE_SECRET",
    }
)
#: Under a browser prefix these words only suggest a secret (public widget keys, ids).
_PUBLIC_PREFIX_WEAK = frozenset({"KEY", "TOKEN", "ID", "APIKEY", "API_KEY", "DSN"})
#: Compounds that name a credential under any prefix, a browser one included.
_STRONG_PAIRS = frozenset({"PRIVATE_KEY", "AUTH_TOKEN", "ACCESS_TOKEN", "API_TOKEN", "REFRESH_TOKEN", "CLIENT_SECRET"})
#: The first words of those: a name without one has no strong pair to look for.
_PAIR_FIRSTS = frozenset(pair.partition("_")[0] for pair in _STRONG_PAIRS)
#: Words that say a key switches or counts something: with a flag or a number for a value it
#: is a setting, whatever else its name holds (`DISABLE_EMAIL_PASSWORD_SIGNUP=false`,
#: `PASSWORD_RESET_DISABLED=0`, `PASSWORD_MIN_LENGTH=12`).
_SETTING_ANYWHERE = frozenset(
    {"ENABLE", "ENABLED", "DISABLE", "DISABLED", "ALLOW", "USE", "IS", "HAS", "SKIP", "FORCE"}
)
_SETTING_LAST = frozenset(
    {"COUNT", "TTL", "MS", "SECONDS", "SECS", "MINUTES", "MINS", "HOURS", "DAYS", "TIMEOUT", "LENGTH", "LEN", "MAX",
     "MIN", "LIMIT", "SIZE", "RETRIES", "ATTEMPTS", "EXPIRY", "EXPIRES", "AGE", "ROUNDS", "ITERATIONS", "REQUIRED",
     "INTERVAL", "WINDOW", "DELAY", "ENABLED", "DISABLED", "LIFETIME", "DURATION", "VERSION", "MODE", "STRATEGY",
     "POLICY", "ALGORITHM", "ALG", "BYTES", "BITS"}
)  # fmt: skip
_PUBLIC_BY_DESIGN = frozenset({"PUBLISHABLE_KEY", "ANON_KEY", "PUBLIC_KEY", "SITE_KEY"})
_PROCESS_NAMES = frozenset({"PWD", "OLDPWD"})
#: Real words one edit from a strong word that are not secrets.
_NOT_NEAR = frozenset({"PASSED", "PASSES", "PASSER"})
_NEAR_STRONG = NearMisses(["SECRET", "PASSWORD", "PASSWD"])
#: Deletes the letters of the strong words: what is left of a word are the characters none of
#: them holds, and one edit brings in at most one (`_near_strong`).
_OUTSIDE_STRONG = str.maketrans("", "", "secretpasswordpasswd")

#: Prefixes that bundlers inline into browser code: anything under them is public.
BROWSER_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
)


@lru_cache(maxsize=65536)
def segments(name: str) -> tuple[str, ...]:
    """The name's words, upper-cased: `db.password` -> (DB, PASSWORD). Every name test
    below starts here, so it is worked out once per name."""
    return tuple(s for s in _SEPARATORS.split(name.upper()) if s)


@lru_cache(maxsize=65536)
def is_browser_exposed(name: str) -> bool:
    """Whether a bundler would ship this key to browsers."""
    return name.upper().startswith(BROWSER_PREFIXES)


@lru_cache(maxsize=65536)
def name_verdict(name: str) -> str:
    """`strong`, `weak`, `near` or "" for what the name alone says."""
    upper = name.upper()
    if upper in _PROCESS_NAMES:
        return ""
    words = segments(name)
    if not words:
        return ""
    if not _STRONG_WORDS.isdisjoint(words):
        return STRONG
    if not _PAIR_FIRSTS.isdisjoint(words) and any(f"{a}_{b}" in _STRONG_PAIRS for a, b in itertools.pairwise(words)):
        return STRONG
    last_two = "_".join(words[-2:]) if len(words) >= 2 else ""
    exposed = is_browser_exposed(upper)
    if is_public_by_design(name):
        return ""
    if words[-1] in _SUFFIXES or last_two in _SUFFIXES:
        return WEAK
    if exposed and words[-1] in _PUBLIC_PREFIX_WEAK:
        return WEAK
    if any(_near_strong(w) for w in words):
        return NEAR
    return ""


@lru_cache(maxsize=65536)
def _near_strong(word: str) -> bool:
    """Whether a name word is one edit from a strong word (`SECERT`): asked once per word,
    and names share most of theirs (SETTING, DATABASE, URL). A word with two characters no
    strong word holds is two edits from each (a number, `S3`, `V2`, most words) and is not
    looked up: names with a word of their own each (`SETTING_00042`) asked as many lookups."""
    return (
        len(word) >= 5
        and word not in _NOT_NEAR
        and len(word.casefold().translate(_OUTSIDE_STRONG)) <= 1
        and _NEAR_STRONG.closest(word) is not None
    )


@lru_cache(maxsize=65536)
def is_public_by_design(name: str) -> bool:
    """`*_PUBLISHABLE_KEY`, `*_ANON_KEY`, `*_PUBLIC_KEY`, `*_SITE_KEY`, or a DSN under a
    browser prefix: names whose values are published on purpose, random-looking or not."""
    words = segments(name)
    last_two = "_".join(words[-2:]) if len(words) >= 2 else ""
    return last_two in _PUBLIC_BY_DESIGN or (bool(words) and words[-1] == "DSN" and is_browser_exposed(name))


#: Last name words of identifiers: random-looking by design, published in URLs and pages.
_IDENTIFIER_WORDS = frozenset({"ID", "IDS", "UUID", "GUID"})


@lru_cache(maxsize=65536)
def is_identifier_name(name: str) -> bool:
    """Whether the name ends in ID, UUID or GUID (`ANALYTICS_WORKSPACE_ID`, `OAUTH_CLIENT_ID`):
    its value is random-looking by design, so that alone never makes it a secret (a credential
    format still does: `AWS_ACCESS_KEY_ID=AKIA...`)."""
    words = segments(name)
    return bool(words) and words[-1] in _IDENTIFIER_WORDS


@lru_cache(maxsize=65536)
def is_setting_name(name: str) -> bool:
    """Whether the name says the key toggles or counts something (ENABLE_, _DISABLED, ALLOW_,
    USE_, IS_, _COUNT, _TTL, _MS, _MIN_LENGTH, ...): with a flag, a number or one of its
    enum's words for a value, it is a setting, not a secret."""
    words = segments(name)
    return bool(words) and (bool(_SETTING_ANYWHERE.intersection(words)) or words[-1] in _SETTING_LAST)


def is_secret_name(name: str) -> bool:
    """Whether the name alone makes a key secret for the rules (any verdict). Under a
    browser prefix only a strong word does; weaker words there only suggest it."""
    verdict = name_verdict(name)
    if is_browser_exposed(name):
        return verdict == STRONG
    return bool(verdict)
