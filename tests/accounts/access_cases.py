from tests.access.matrix import SIGNED_IN_STAFF, Case, allow

CASES = [
    Case(
        "accounts:login",
        allow(["anonymous"]),
        otherwise=302,
        note="signed-in users are sent on to the home page",
    ),
    Case("accounts:logout", allow(["anonymous", *SIGNED_IN_STAFF, "carer"], 302), method="POST"),
]
