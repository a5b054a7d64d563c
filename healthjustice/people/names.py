"""Name normalisation and phonetic keys for typo- and alias-tolerant search."""

import re
import unicodedata

import jellyfish

_NON_LETTERS = re.compile(r"[^a-z ]+")


def normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = decomposed.encode("ascii", "ignore").decode().lower()
    return " ".join(_NON_LETTERS.sub(" ", ascii_only.replace("'", "")).split())


def phonetic_key(name: str) -> str:
    """NYSIIS of the whole normalised name: 'Smyth' and 'Smith' share a key."""
    flat = normalise(name).replace(" ", "")
    return jellyfish.nysiis(flat)[:20] if flat else ""
