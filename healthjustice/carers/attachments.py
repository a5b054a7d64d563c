"""Files carers attach to messages: PDF, JPEG or PNG only, judged by content, never by name."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from healthjustice.core.uploads import UploadSizeLimit

# Leading bytes ("magic numbers") of the file types we accept.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    extension: str
    display_name: str
    size: int


def max_bytes() -> int:
    return int(settings.HJ_CARER_ATTACHMENT_MAX_BYTES)


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size // 1024, 1)} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def too_large_message(size: int | None = None) -> str:
    """The carer's message for a file over the limit; `size` is None when the upload was stopped
    before the end, so its size is not known."""
    limit = _megabytes(max_bytes())
    if size is None:
        return f"The file must be smaller than {limit}. Yours is bigger than that."
    return f"The file must be smaller than {limit}. Yours is {_megabytes(size)}."


class AttachmentSizeLimit(UploadSizeLimit):
    """The largest attachment a carer may send (HJ_CARER_ATTACHMENT_MAX_BYTES)."""

    def max_bytes(self) -> int:
        return max_bytes()


def sniff_type(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def check_attachment(upload: UploadedFile) -> CheckedFile:
    """Accept the file, or raise a ValidationError a carer can act on."""
    limit = max_bytes()
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The file you chose is empty. Choose another file.")
    if size > limit:
        raise ValidationError(too_large_message(size))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff_type(head)
    if found is None:
        raise ValidationError("The file must be a PDF, a JPEG photo or a PNG picture.")
    content_type, extension = found
    stem = (upload.name or "attachment").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0][:80] or "attachment"
    display = get_valid_filename(f"{stem}.{extension}") or f"attachment.{extension}"
    return CheckedFile(
        upload=upload,
        content_type=content_type,
        extension=extension,
        display_name=display[:120],
        size=size,
    )
