"""Stopping a list upload that is too big before the rest of it is read."""

from __future__ import annotations

from healthjustice.core.uploads import UploadSizeLimit

from .formats import max_bytes


class ListSizeLimit(UploadSizeLimit):
    """HJ_LIST_MAX_BYTES for a custody, court or release list."""

    def max_bytes(self) -> int:
        return max_bytes()
