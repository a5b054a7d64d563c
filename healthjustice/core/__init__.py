"""Small helpers with no models, shared by every app (no app imports anything into here)."""
