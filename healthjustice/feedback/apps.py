from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "healthjustice.feedback"
    label = "feedback"
    verbose_name = "Feedback and you said, we did"
