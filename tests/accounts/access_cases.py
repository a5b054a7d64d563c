from tests.access.matrix import SIGNED_IN_STAFF, Case, allow

CASES = [
    Case(
        "accounts:login",
        allow(["anonymous"]),
        otherwise=302,
        note="signed-in users are sent on to the home page",
    ),
    Case("accounts:logout", allow(["anonymous", *SIGNED_IN_STAFF, "carer"], 302), method="POST"),
    Case(
        "accounts:password_change",
        allow([*SIGNED_IN_STAFF, "carer"]),
        note="everyone signed in changes their own password; carers see the portal's layout",
    ),
    Case(
        "accounts:password_change",
        allow([*SIGNED_IN_STAFF, "carer"]),
        method="POST",
        note="an empty form is shown again with what to enter",
    ),
]
