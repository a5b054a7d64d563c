"""Validated screening instruments for Liaison and Diversion (plain Python, no Django)."""

from .base import Band, ExternalScore, Instrument, Item, Option, Score
from .scoring import EXTERNAL_SCORES, INSTRUMENTS, external_outcome, get_instrument, score

__all__ = [
    "EXTERNAL_SCORES",
    "INSTRUMENTS",
    "Band",
    "ExternalScore",
    "Instrument",
    "Item",
    "Option",
    "Score",
    "external_outcome",
    "get_instrument",
    "score",
]
