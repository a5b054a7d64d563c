from tests.access.matrix import LEADERS, Case, allow

# Equality leads and leaders see aggregates; no one else does. The equality lead's only
# permission still opens no person's record: tests/access's other cases refuse them on every
# person-scoped page (the matrix), and tests/equity/test_page.py checks the figures name no one.
CASES = [
    Case("equity:home", allow((*LEADERS, "equality_lead"))),
    Case("equity:export_csv", allow((*LEADERS, "equality_lead"))),
]
