from healthjustice.people import merging
from tests.access.matrix import CARE_TEAM, CLINICAL, LEADERS, Case, allow
from tests.factories import PersonFactory


def _person(world):
    return {"public_id": world.person.public_id}


def _search(world):
    return {"name": world.person.family_name}


def _second_record(world):
    """Another record in the care team, with no NHS number, so it may be merged."""
    return world.get(
        "merge_other",
        lambda w: PersonFactory(
            team=w.team, nhs_number=None, nhs_number_missing_reason="not_traced"
        ),
    )


def _compare(world):
    return {"public_id": world.person.public_id, "other_id": _second_record(world).public_id}


def _merge(world):
    """A merge of two other records of the care team (the world's person stays unmerged)."""

    def build(w):
        keep = PersonFactory(team=w.team)
        duplicate = PersonFactory(
            team=w.team, nhs_number=None, nhs_number_missing_reason="not_traced"
        )
        return merging.person_merge(
            actor=w.users["team_leader"],
            keep=keep,
            duplicate=duplicate,
            reason="Same date of birth and PNC ID; registered twice at custody",
        )

    return {"public_id": world.get("merge", build).public_id}


CASES = [
    Case("people:search", allow(CLINICAL)),
    Case("people:search", allow(CLINICAL), method="POST", data=_search),
    Case("people:register", allow(CLINICAL)),
    Case("people:break_glass_search", allow(CLINICAL)),
    Case("people:detail", allow(CARE_TEAM, practitioner_other_team=404), kwargs=_person),
    Case("people:edit", allow(CARE_TEAM, practitioner_other_team=404), kwargs=_person),
    Case("people:alias_add", allow(CARE_TEAM, practitioner_other_team=404), kwargs=_person),
    Case("people:restrict", allow(LEADERS), kwargs=_person),
    Case(
        "people:break_glass_open",
        allow(CLINICAL, 302),
        kwargs=_person,
        method="POST",
        data=lambda w: {"reason": "Urgent: self-harm risk reported by custody sergeant"},
    ),
    Case("people:merge_choose", allow(LEADERS), kwargs=_person),
    Case("people:merge_choose", allow(LEADERS), kwargs=_person, method="POST", data=_search),
    Case("people:merge_compare", allow(LEADERS), kwargs=_compare),
    Case(
        "people:merge_compare",
        allow(LEADERS, 302),
        kwargs=_compare,
        method="POST",
        data=lambda w: {"keep": "this", "reason": "Same person registered twice under an alias"},
    ),
    Case("people:merges", allow((*LEADERS, "ig_auditor"))),
    Case("people:merge_undo", allow(LEADERS), kwargs=_merge),
    Case(
        "people:merge_undo",
        allow(LEADERS, 302),
        kwargs=_merge,
        method="POST",
        data=lambda w: {"reason": "Different dates of birth: two different people"},
    ),
]
