from django.db import migrations

from healthjustice.core.append_only import refuse_changes_in_database


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_best_interests_and_full_lawful_basis")]

    operations = [
        refuse_changes_in_database("assessments_consentevent", "assessments_report"),
    ]
