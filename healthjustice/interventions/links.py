"""Where the pages of this app link back to."""

from django.urls import reverse

from healthjustice.journeys.models import Episode


def episode_page_url(episode: Episode) -> str:
    return reverse("journeys:detail", kwargs={"public_id": episode.public_id})
