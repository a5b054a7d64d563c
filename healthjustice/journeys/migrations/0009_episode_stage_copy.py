"""Episodes carry a copy of their newest status row's stage, kept by the database.

A trigger on the status rows writes it, whoever adds them (the services, the bulk loaders'
COPY and bulk_create, a factory in a test), so no write path can forget it. On PostgreSQL the
trigger runs once per statement over the rows it added (a COPY of a million rows is one
UPDATE); on SQLite once per row. Status rows are appended in order (each `seq` one more than
the episode's previous), so the newest row added is the episode's newest.
"""

from typing import Any

from django.db import migrations, models

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION journeys_episode_stage_copy() RETURNS trigger AS $$
BEGIN
    UPDATE journeys_episode AS e SET stage = n.stage
    FROM (
        SELECT DISTINCT ON (episode_id) episode_id, stage FROM added
        ORDER BY episode_id, seq DESC
    ) AS n
    WHERE e.id = n.episode_id AND e.stage IS DISTINCT FROM n.stage;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER journeys_episodestatus_stage_copy AFTER INSERT ON journeys_episodestatus
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION journeys_episode_stage_copy()
"""
SQLITE_TRIGGER = """
CREATE TRIGGER journeys_episodestatus_stage_copy AFTER INSERT ON journeys_episodestatus
FOR EACH ROW BEGIN
    UPDATE journeys_episode SET stage = NEW.stage WHERE id = NEW.episode_id;
END
"""
BACKFILL = """
UPDATE journeys_episode SET stage = (
    SELECT s.stage FROM journeys_episodestatus s
    WHERE s.episode_id = journeys_episode.id ORDER BY s.seq DESC LIMIT 1
)
WHERE EXISTS (SELECT 1 FROM journeys_episodestatus s WHERE s.episode_id = journeys_episode.id)
"""


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
        schema_editor.execute(POSTGRESQL_TRIGGER, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER, params=None)
    else:
        raise NotImplementedError(f"No stage-copy trigger for {vendor}")
    schema_editor.execute(BACKFILL, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS journeys_episodestatus_stage_copy"
        + (" ON journeys_episodestatus" if schema_editor.connection.vendor == "postgresql" else ""),
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("journeys", "0008_alter_episode_referral_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="stage",
            field=models.CharField(
                blank=True,
                choices=[
                    ("identified", "Identified"),
                    ("screened", "Screened"),
                    ("assessed", "Assessed"),
                    ("intervention", "Intervention"),
                    ("referred", "Referred"),
                    ("suitability_assessed", "Suitability assessed"),
                    ("psr_view_given", "View given for the pre-sentence report"),
                    ("awaiting_sentence", "Awaiting sentence"),
                    ("order_made", "Order made"),
                    ("in_treatment", "In treatment"),
                    ("eligibility_checked", "Eligibility checked"),
                    ("pre_release", "Pre-release support"),
                    ("released", "Released"),
                    ("post_release", "Post-release support"),
                    ("handed_over", "Handed over"),
                    ("closed", "Closed"),
                ],
                db_default="",
                default="",
                editable=False,
                max_length=20,
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("stage", "closed"), _negated=True),
                fields=["team", "referred_at"],
                name="episode_open_team_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("stage", "closed"), _negated=True),
                fields=["allocated_worker", "referred_at"],
                name="episode_open_worker_idx",
            ),
        ),
    ]
