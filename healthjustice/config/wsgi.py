import os

from django.core.wsgi import get_wsgi_application

from healthjustice.core.heap import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.production")
application = get_wsgi_application()
# Each worker imports this module once it has started: what the application made while starting
# is left out of the garbage collections that requests trigger.
freeze_startup_objects()
