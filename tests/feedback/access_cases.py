from tests.access.matrix import ROLES, Case, allow

# The public pages: anyone, signed in or not, carers included.
CASES = [
    Case("feedback:give", allow(ROLES)),
    Case("feedback:thanks", allow(ROLES)),
    Case("feedback:you_said_we_did", allow(ROLES)),
]
