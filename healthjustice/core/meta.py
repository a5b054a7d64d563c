"""Typed reads of a model's field definitions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field `name` of `model` (not a reverse relation or a generic foreign key)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise FieldDoesNotExist(f"{model.__name__}.{name} is not a concrete field")
    return field


def max_length(model: type[models.Model], name: str) -> int:
    """The declared max_length of a text field; an error if it has none."""
    length = model_field(model, name).max_length
    if length is None:
        raise FieldDoesNotExist(f"{model.__name__}.{name} has no max_length")
    return length
