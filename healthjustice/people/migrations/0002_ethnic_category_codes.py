"""Load the NHS Data Dictionary ETHNIC CATEGORY code list (2001-census based) as version 2001.

Later lists (for example 2021-census categories) are added as new versions, not edits.
"""

import datetime

from django.db import migrations

CODES = [
    ("A", "British", "White"),
    ("B", "Irish", "White"),
    ("C", "Any other White background", "White"),
    ("D", "White and Black Caribbean", "Mixed"),
    ("E", "White and Black African", "Mixed"),
    ("F", "White and Asian", "Mixed"),
    ("G", "Any other mixed background", "Mixed"),
    ("H", "Indian", "Asian or Asian British"),
    ("J", "Pakistani", "Asian or Asian British"),
    ("K", "Bangladeshi", "Asian or Asian British"),
    ("L", "Any other Asian background", "Asian or Asian British"),
    ("M", "Caribbean", "Black or Black British"),
    ("N", "African", "Black or Black British"),
    ("P", "Any other Black background", "Black or Black British"),
    ("R", "Chinese", "Other ethnic groups"),
    ("S", "Any other ethnic group", "Other ethnic groups"),
    ("Z", "Not stated", "Not stated"),
    ("99", "Not known", "Not known"),
]


def load(apps, schema_editor):
    EthnicCodeList = apps.get_model("people", "EthnicCodeList")
    EthnicCategory = apps.get_model("people", "EthnicCategory")
    code_list, _ = EthnicCodeList.objects.get_or_create(
        version="2001",
        defaults={
            "name": "NHS Data Dictionary ETHNIC CATEGORY (2001 census)",
            "source": "https://www.datadictionary.nhs.uk/data_elements/ethnic_category.html",
            "in_force_from": datetime.date(2001, 4, 1),
            "is_current": True,
        },
    )
    for order, (code, label, group) in enumerate(CODES):
        kind = {"Z": "not_stated", "99": "not_known"}.get(code, "category")
        EthnicCategory.objects.get_or_create(
            code_list=code_list, code=code,
            defaults={"label": label, "group": group, "kind": kind, "sort_order": order},
        )


def unload(apps, schema_editor):
    apps.get_model("people", "EthnicCodeList").objects.filter(version="2001").delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
