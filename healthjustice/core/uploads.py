"""Stopping an upload that is too big before the rest of it is read."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class UploadSizeLimit(FileUploadHandler):
    """First in `request.upload_handlers`: once a file passes `max_bytes()` the handlers after
    it receive no more of it, and `stopped` tells the form. The rest of the request body is read
    and thrown away, so the person still gets a page with the error rather than a broken
    connection. Subclasses say where the limit comes from."""

    def max_bytes(self) -> int:
        raise NotImplementedError

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = self.max_bytes()
        self.received = 0
        self.stopped = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        # Browsers rarely send a part's length; when one does, refuse before reading anything.
        if self.content_length is not None and self.content_length > self.limit:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _stop(self) -> None:
        self.stopped = True
        raise StopUpload(connection_reset=False)
