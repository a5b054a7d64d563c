"""Name normalisation and phonetic keys, shared by person search and the identity matcher."""

import re
import unicodedata
from functools import lru_cache

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
