"""Each domain's demo data, seeded in this order after the base data (see demo.registry)."""

SEEDER_MODULES = (
    "people",
    "journeys",
    "mhtr",
    "reconnect",
    "screening",
    "carers",
    "equity",
    "feedback",
    "pcref",
    "imports",
)
