from django.db import migrations

from healthjustice.core.append_only import refuse_changes_in_database


class Migration(migrations.Migration):
    dependencies = [("journeys", "0005_court_disposals_for_diversion")]

    operations = [
        refuse_changes_in_database("journeys_episodestatus", "journeys_custodyevent"),
    ]
