"""Text as people see it: no control, invisible or bidirectional-override characters.

Such characters make a name look like something else on screen (U+202E turns "Smith" around),
hide text from search and break the letters, reports and exports the name is printed on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

# Control (Cc: NUL, ESC, newlines...), format (Cf: zero-width spaces and joiners, the
# bidirectional embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, the byte
# order mark, soft hyphens), surrogates, private use, and line and paragraph separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def clean_plain_text(value: str) -> str:
    """Normalise line endings and drop control characters other than newlines and tabs."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    ).strip()


def clean_single_line(value: str) -> str:
    """One line: invisible and control characters dropped, any run of spaces made one space.

    Line breaks and tabs count as spaces, so "Anne\\nMarie" stays two words.
    """
    if value.isascii() and value.isprintable():
        # Nothing to drop (ASCII's only invisible characters are its controls, which are not
        # printable): a list's thousands of cells take this path.
        return " ".join(value.split())
    return visible_words(value)


def visible_words(value: str) -> str:
    """`clean_single_line` for any text, character by character."""
    spaced = "".join(" " if ch in "\t\n\r\v\f\x1c\x1d\x1e\x85" else ch for ch in value)
    visible = "".join(ch for ch in spaced if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    return " ".join(visible.split())


def only_invisible_message(label: str) -> str:
    return (
        f"{label} must include letters or numbers that can be seen, "
        "not only hidden or control characters"
    )


def clean_single_line_fields(
    values: Mapping[str, Any], labels: Mapping[str, str], required: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """`values` with each field named in `labels` cleaned by `clean_single_line`.

    Refuses (ValidationError keyed by field) a value that was only invisible characters, and a
    `required` field left empty.
    """
    cleaned = dict(values)
    errors: dict[str, str] = {}
    for field, label in labels.items():
        if field not in values or values[field] is None:
            continue
        raw = str(values[field])
        cleaned[field] = clean_single_line(raw)
        if not cleaned[field]:
            if raw.strip():
                errors[field] = only_invisible_message(label)
            elif field in required:
                errors[field] = f"Enter the {label.lower()}"
    if errors:
        raise ValidationError(errors)
    return cleaned
