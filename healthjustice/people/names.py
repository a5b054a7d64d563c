"""Name normalisation and phonetic keys, shared by person search and the identity matcher."""

import re
import unicodedata
from functools import cache, lru_cache

import jellyfish

_NON_LETTERS = re.compile(r"[^a-z ]+")


# Names repeat: a list of a million records holds a few tens of thousands of distinct ones.
@lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = decomposed.encode("ascii", "ignore").decode().lower()
    return " ".join(_NON_LETTERS.sub(" ", ascii_only.replace("'", "")).split())


def phonetic_key(name: str) -> str:
    """NYSIIS of the whole normalised name: 'Smyth' and 'Smith' share a key."""
    flat = normalise(name).replace(" ", "")
    return jellyfish.nysiis(flat)[:20] if flat else ""


def name_parts(name: str) -> list[str]:
    """The normalised words of a name: 'Smith-Jones' and 'SMITH  JONES' give ['smith', 'jones']."""
    return normalise(name).split()


def first_given_name(name: str) -> str:
    """The first word of a given name, normalised: 'John-Paul' and 'JOHN PAUL' give 'john'."""
    parts = name_parts(name)
    return parts[0] if parts else ""


def given_name_variants(formal: str) -> frozenset[str]:
    """The first given names whose formal form is `formal` (`canonical_given_name`):
    'robert' gives 'robert', 'bob', 'rob' and the table's other names for Robert."""
    from .nicknames import CANONICAL_GIVEN_NAME

    if not formal:
        return frozenset()
    itself = frozenset() if formal in CANONICAL_GIVEN_NAME else frozenset({formal})
    return _nicknames().get(formal, frozenset()) | itself


@cache
def _nicknames() -> dict[str, frozenset[str]]:
    """The table read backwards: each formal name and the names the table gives it for."""
    from .nicknames import CANONICAL_GIVEN_NAME

    names: dict[str, set[str]] = {}
    for name, formal in CANONICAL_GIVEN_NAME.items():
        names.setdefault(formal, set()).add(name)
    return {formal: frozenset(found) for formal, found in names.items()}


@lru_cache(maxsize=1 << 16)
def canonical_given_name(name: str) -> str:
    """The formal form of a normalised given name ('jon' -> 'john', 'peggy' -> 'margaret').

    Only the first word counts; a name the table does not know is returned as it is.
    """
    from .nicknames import CANONICAL_GIVEN_NAME

    parts = name_parts(name)
    if not parts:
        return ""
    return CANONICAL_GIVEN_NAME.get(parts[0], parts[0])


def split_full_name(text: str) -> tuple[str, str]:
    """(given, family) from a name written in one field: 'Smith, John' or 'John Smith'."""
    if "," in text:
        family, _, given = text.partition(",")
        return " ".join(name_parts(given)), " ".join(name_parts(family))
    parts = name_parts(text)
    if not parts:
        return "", ""
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]
