from django.db import migrations

from healthjustice.core.append_only import refuse_changes_in_database


class Migration(migrations.Migration):
    dependencies = [("mhtr", "0001_initial")]

    operations = [
        refuse_changes_in_database(
            "mhtr_mhtrreferral",
            "mhtr_suitabilityassessment",
            "mhtr_courtoutcome",
            "mhtr_compliancenotice",
            "mhtr_noticedisclosure",
            "mhtr_probationresponse",
        )
    ]
