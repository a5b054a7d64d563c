from tests.access.matrix import SIGNED_IN_STAFF, Case, allow

EVERYONE = ["anonymous", *SIGNED_IN_STAFF, "carer"]

CASES = [
    Case("healthz", allow(EVERYONE)),
    Case("web:home", allow(SIGNED_IN_STAFF, carer=302), note="carers go to their portal"),
    Case("web:accessibility", allow(EVERYONE)),
    Case("web:privacy", allow(EVERYONE)),
    Case(
        "admin:index",
        allow(["system_admin"]),
        otherwise=302,
        anonymous=302,
        note="Django admin: system administrators only; others are sent to its sign-in",
    ),
    Case(
        "admin:equity_censuspopulation_load",
        allow(["system_admin"]),
        otherwise=302,
        anonymous=302,
        note="Loading census figures: system administrators only",
    ),
]
