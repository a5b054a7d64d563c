from django.db import migrations

from healthjustice.core.append_only import refuse_changes_in_database


class Migration(migrations.Migration):
    dependencies = [("reconnect", "0001_initial")]

    operations = [
        refuse_changes_in_database("reconnect_reconnectreferral", "reconnect_eligibilitycheck")
    ]
