"""A password validator following NCSC guidance: length over composition, and a deny-list.

The NCSC advises against complexity rules (they push people to `Passw0rd1!`) and for refusing
the passwords attackers try first. Django's own validators already ask for length and refuse
the 20,000 most common passwords; this one refuses the patterns people build from a guessable
word – "password", "welcome", a keyboard row, a season or month, their username or the
service's name – dressed up with capitals, numbers, symbols or letter swaps (`Passw0rd1234`,
`Summer2026!`, `HealthJustice2026`), and the account's current password.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

# Words attackers try first, whatever numbers or symbols are added to them.
DENIED_WORDS = (
    "password",
    "passwort",
    "welcome",
    "letmein",
    "changeme",
    "default",
    "secret",
    "admin",
    "administrator",
    "login",
    "iloveyou",
    "trustno",
    "monkey",
    "dragon",
    "football",
    "sunshine",
    "princess",
    "master",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "asdfghjkl",
    "zxcvbn",
    "zxcvbnm",
    "qazwsx",
    "abcdef",
    "abcd",
    "abc",
    "nhs",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
# Digits and symbols people swap for the letters they look like.
_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "!": "i", "|": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s"}
    | {"7": "t", "8": "b", "9": "g"}
)
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_NOT_LETTER = re.compile(r"[^a-z]")
# What is left once the guessable words are taken out must be at least this long.
MIN_REMAINING_LETTERS = 5

GUESSABLE_MESSAGE = (
    "Your password is too easy to guess. Do not build it from a common word such as "
    "‘password’ or ‘welcome’, a keyboard pattern, a season, month or day, your username or "
    "the name of the service, with numbers or symbols added. Three random words make a "
    "strong password"
)
SAME_AS_CURRENT_MESSAGE = "Your new password must be different from your current password"


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", text.lower())


def _personal_words(user: object) -> set[str]:
    words: set[str] = set()
    for value in (
        getattr(user, "username", "") or "",
        getattr(user, "first_name", "") or "",
        getattr(user, "last_name", "") or "",
        getattr(settings, "SERVICE_NAME", "") or "",
    ):
        words.add(_letters(value))
        words.update(_letters(part) for part in re.split(r"[\W\d_]+", value))
    return {w for w in words if len(w) >= 3}


def is_guessable(password: str, user: object = None) -> bool:
    """Is `password` a guessable word (or words) dressed up with capitals, digits or symbols?"""
    core = _DECORATION.sub("", password.lower()).translate(_LOOKALIKES)
    letters = _letters(core)
    if len(set(password.lower())) <= 3:
        return True
    denied = sorted({*DENIED_WORDS, *_personal_words(user)}, key=len, reverse=True)
    remaining = letters
    found = False
    for word in denied:
        if word in remaining:
            remaining = remaining.replace(word, "")
            found = True
    return found and len(remaining) < MIN_REMAINING_LETTERS


class GuessablePasswordValidator:
    """Refuse the current password, and passwords built from a guessable word."""

    def validate(self, password: str, user: object = None) -> None:
        current = getattr(user, "password", "") if user is not None else ""
        # The hasher is called directly: `user.check_password` may re-save the user's hash.
        if current and check_password(password, current):
            raise ValidationError(SAME_AS_CURRENT_MESSAGE, code="password_is_current")
        if is_guessable(password, user):
            raise ValidationError(GUESSABLE_MESSAGE, code="password_guessable")

    def get_help_text(self) -> str:
        return (
            "Your password cannot be your current one, or a common word, keyboard pattern, "
            "season, month, your username or the service's name with numbers added."
        )
