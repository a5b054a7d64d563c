from tests.access.matrix import CARE_TEAM, CLINICAL, LEADERS, Case, allow


def _person(world):
    return {"public_id": world.person.public_id}


def _search(world):
    return {"name": world.person.family_name}


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
]
