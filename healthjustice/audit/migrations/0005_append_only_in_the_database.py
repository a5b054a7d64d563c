from django.db import migrations

from healthjustice.core.append_only import refuse_changes_in_database


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_action_delete")]

    operations = [
        refuse_changes_in_database("audit_auditevent"),
    ]
