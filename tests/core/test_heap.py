"""A server worker leaves what the application made while starting out of later collections."""

import gc
import importlib

from healthjustice.core.heap import freeze_startup_objects


def test_freezing_leaves_the_objects_alive_now_out_of_later_collections():
    kept = [["made before"]]  # a list is always tracked by the collector
    gc.unfreeze()
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # no generation holds it now
    finally:
        gc.unfreeze()
    assert any(o is kept for o in gc.get_objects())


def test_the_wsgi_module_freezes_once_the_application_is_made():
    wsgi = importlib.import_module("healthjustice.config.wsgi")
    gc.unfreeze()
    try:
        importlib.reload(wsgi)
        assert gc.get_freeze_count() > 0
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()
