"""What refers to a person, found from the models themselves, for merging two records.

Every foreign key (and one-to-one, and many-to-many through table) that points at `Person`, in
any app, is a relation a merge re-points from the duplicate to the kept record. Nothing here
names another app's models, so a new app's data is carried over without changes here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

from healthjustice.accounts.models import User
from healthjustice.core.meta import model_field

from .access import is_within_relationships
from .models import Person, PersonMerge, SearchName

# Relations the merge handles itself rather than re-pointing: search names are rebuilt from the
# names, and the merge's own records must keep pointing at both people.
_HANDLED_BY_MERGE: set[tuple[str, str]] = {
    (SearchName._meta.label_lower, "person"),
    (Person._meta.label_lower, "merged_into"),
    (PersonMerge._meta.label_lower, "keep"),
    (PersonMerge._meta.label_lower, "duplicate"),
}


@dataclass(frozen=True)
class Relation:
    """A model with a field pointing at Person."""

    model: type[models.Model]
    field: models.Field[Any, Any]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def one_to_one(self) -> bool:
        return bool(self.field.one_to_one or self.field.unique)

    @property
    def rows(self) -> models.QuerySet[Any]:
        # The base manager: append-only or filtering default managers must not hide or refuse rows.
        return self.model._base_manager.all()

    def rows_of(self, person: Person) -> models.QuerySet[Any]:
        return self.rows.filter(**{self.field.attname: person.pk})

    @property
    def name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)


def _resolved(model: type[models.Model] | str | None) -> type[models.Model]:
    """A relation's model class; every one is resolved once the apps are loaded."""
    if not isinstance(model, type):
        raise LookupError(f"Unresolved relation to a person: {model!r}")
    return model


def person_relations() -> list[Relation]:
    """Every (model, field) that refers to a person, except those the merge handles itself."""
    found: dict[tuple[str, str], Relation] = {}
    for rel in Person._meta.related_objects:
        pairs: list[tuple[type[models.Model], models.Field[Any, Any]]]
        if isinstance(rel, models.ManyToManyRel):
            through = _resolved(rel.through)
            fields = [
                f
                for f in through._meta.concrete_fields
                if f.is_relation and f.related_model is Person
            ]
            pairs = [(through, f) for f in fields]
        else:
            pairs = [(_resolved(rel.related_model), rel.field)]
        for model, field in pairs:
            key = (model._meta.label_lower, field.name)
            if key not in _HANDLED_BY_MERGE and field.concrete:
                found[key] = Relation(model, field)
    return sorted(found.values(), key=lambda r: (r.label, r.field.name))


def _unique_groups(relation: Relation) -> list[tuple[list[str], Q | None, bool]]:
    """Sets of fields that must be unique together and include the person field, with any
    condition on the constraint and whether NULLs count as equal."""
    name = relation.field.name
    meta = relation.model._meta
    groups: list[tuple[list[str], Q | None, bool]] = [
        (list(together), None, False) for together in meta.unique_together if name in together
    ]
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and name in constraint.fields:
            nulls_equal = constraint.nulls_distinct is False
            groups.append((list(constraint.fields), constraint.condition, nulls_equal))
    return groups


def _collides(relation: Relation, keep: Person, duplicate: Person) -> list[str]:
    """Names of the fields on which a duplicate's row would clash with one of keep's."""
    person_field = relation.field.name
    for fields, condition, nulls_equal in _unique_groups(relation):
        others = [f for f in fields if f != person_field]
        theirs = relation.rows_of(duplicate)
        ours = relation.rows_of(keep)
        if condition is not None:
            theirs, ours = theirs.filter(condition), ours.filter(condition)
        for values in theirs.values(*others):
            if not nulls_equal and any(v is None for v in values.values()):
                continue
            if ours.filter(**values).exists():
                return others
    return []


BREAK_GLASS_MERGE = (
    "You opened one of these records with break-glass. Break-glass access is brief, but a merge "
    "lasts: only records your teams work with can be merged. Ask the team that works with the "
    "person to merge the records"
)
BREAK_GLASS_UNMERGE = (
    "You opened the kept record with break-glass. Break-glass access is brief, but undoing a "
    "merge lasts: ask the team that works with the person to undo it"
)


def seen_only_through_break_glass(actor: User, person: Person) -> bool:
    """True when the actor sees this (unmerged) record by break-glass alone, not through their
    teams or a data-sharing agreement. A merge or its undoing would make that access last."""
    return person.merged_into_id is None and not is_within_relationships(actor, person)


def merge_problems(keep: Person, duplicate: Person, *, actor: User | None = None) -> list[str]:
    """Why these two records cannot be merged as they stand (by `actor`, when given); an empty
    list when they can.

    The same in both directions, so the comparison page can show it before anyone chooses.
    """
    if keep.pk == duplicate.pk:
        return ["You cannot merge a record with itself: choose a different record"]
    problems: list[str] = []
    if keep.merged_into_id or duplicate.merged_into_id:
        problems.append("One of these records has already been merged into another record")
    if actor is not None and any(
        seen_only_through_break_glass(actor, p) for p in (keep, duplicate)
    ):
        problems.append(BREAK_GLASS_MERGE)
    if keep.nhs_number and duplicate.nhs_number and keep.nhs_number != duplicate.nhs_number:
        problems.append(
            "These records have different NHS numbers, so they are different people and "
            "cannot be merged. If an NHS number is wrong, correct it first"
        )
    restricted = Person.objects.filter(
        pk__in=[keep.pk, duplicate.pk], restriction__isnull=False
    ).exists()
    if restricted:
        problems.append(
            "One of these records is restricted. An information governance officer must lift "
            "the restriction before the records can be merged"
        )
    for relation in person_relations():
        if relation.one_to_one:
            if relation.rows_of(keep).exists() and relation.rows_of(duplicate).exists():
                problems.append(
                    f"Both records have a {relation.name}. There can only be one: resolve this "
                    "on one of the records before merging"
                )
            continue
        clash = _collides(relation, keep, duplicate)
        if clash:
            labels = [
                str(model_field(relation.model, f).verbose_name).removesuffix(" key") for f in clash
            ]
            problems.append(
                f"Both records have {relation.name_plural} for the same "
                f"{' and '.join(labels)}, which cannot be combined. Resolve this on one of the "
                "records before merging"
            )
    return problems


def related_counts(person: Person) -> list[tuple[str, int]]:
    """How many rows of each kind refer to the person, labelled for people to read, in the same
    order for every person."""
    relations = person_relations()
    per_model: dict[str, int] = {}
    for relation in relations:
        per_model[relation.label] = per_model.get(relation.label, 0) + 1
    counts = []
    for relation in sorted(relations, key=lambda r: (r.name_plural, r.field.name)):
        label = relation.name_plural
        if per_model[relation.label] > 1:
            label += f" ({relation.field.verbose_name})"
        counts.append((label[:1].upper() + label[1:], relation.rows_of(person).count()))
    return counts
