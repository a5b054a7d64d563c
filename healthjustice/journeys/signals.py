"""Signals for readers above journeys (the worklist's read model) about changes that do not
go through `Model.save()`, and so send no `post_save`."""

from django.dispatch import Signal

# Sent with `episode_ids` after episodes are changed by `QuerySet.update()` (an allocation).
episodes_changed = Signal()
