# The rows' words are read from the read model: two more stored inputs, filled for the rows
# already there in the same way `worklist.entries` writes them.

from django.db import migrations, models

FILL = """
UPDATE worklist_worklistentry SET
  custody_limit_hours = (
    SELECT c.limit_hours FROM journeys_custodyevent c
    WHERE c.episode_id = worklist_worklistentry.episode_id AND c.ends_at IS NOT NULL
    ORDER BY c.ends_at DESC, c.id DESC LIMIT 1
  ),
  alert_source = COALESCE((
    SELECT a.source FROM screening_riskalert a
    WHERE a.episode_id = worklist_worklistentry.episode_id AND a.acknowledged_at IS NULL
    ORDER BY a.raised_at DESC, a.id DESC LIMIT 1
  ), '')
"""


class Migration(migrations.Migration):

    dependencies = [
        ('journeys', '0010_episode_team_pathway_index'),
        ('screening', '0004_questionnaires_belong_to_a_screening'),
        ('worklist', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='worklistentry',
            name='alert_source',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name='worklistentry',
            name='custody_limit_hours',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
