"""Anchors: copies of the chain head kept outside the database, and checking the trail still
holds them.

Someone who can write to the database can alter a row and recompute every later hash and the
chain head, and the chain alone would still check out. They cannot change a copy of the head
that was printed, e-mailed or stored where they cannot write: an anchor.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .chain import ChainProblem, hashed_fields, row_digest
from .models import AuditEvent, ChainHead

ANCHOR_FORMAT = "healthjustice.audit-anchor"
ANCHOR_FORMAT_VERSION = 1
_HEX = frozenset("0123456789abcdef")
_LOOKUP_BATCH = 1000


class AnchorError(Exception):
    """An anchor cannot be written, or an anchor file cannot be read. The message says why."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    anchored_at: str
    source: str
    line: int

    def describe(self) -> str:
        when = f", anchored {self.anchored_at}" if self.anchored_at else ""
        return f"the anchor on line {self.line} of {self.source} (row {self.seq}{when})"


@dataclass(frozen=True)
class AnchorReport:
    checked: int
    problem: ChainProblem | None


def _utc(value: datetime, timespec: str = "auto") -> str:
    return value.astimezone(UTC).isoformat(timespec=timespec)


def _checked_head(head: ChainHead) -> AuditEvent:
    last = AuditEvent.objects.filter(seq=head.last_seq, chain=head.id).first()
    if (
        last is None
        or last.hash != head.last_hash
        or row_digest(last.prev_hash, hashed_fields(last)) != last.hash
    ):
        raise AnchorError(
            f"The chain head (row {head.last_seq}) does not match the last row of the audit "
            "trail, so it was not anchored. Run `manage.py audit_verify` to find the problem."
        )
    return last


def current_anchor(*, now: datetime | None = None) -> dict[str, Any]:
    """The chain heads as an anchor document, once each chain's last row is known to match.

    "seq" and "hash" are the latest row of the trail; with more than one chain, "chains" holds
    every chain's head, and each is checked by `audit_verify --anchor`."""
    heads = [head for head in ChainHead.objects.order_by("id") if head.last_seq > 0]
    if not heads:
        raise AnchorError("The audit trail is empty: there is nothing to anchor yet.")
    lasts = [_checked_head(head) for head in heads]
    last = max(lasts, key=lambda row: row.seq)
    document: dict[str, Any] = {
        "format": ANCHOR_FORMAT,
        "format_version": ANCHOR_FORMAT_VERSION,
        "service": settings.SERVICE_NAME,
        "seq": last.seq,
        "hash": last.hash,
        "last_event_at": _utc(last.occurred_at),
        "anchored_at": _utc(now or timezone.now(), "seconds"),
    }
    if len(lasts) > 1:
        document["chains"] = [
            {"chain": row.chain, "seq": row.seq, "hash": row.hash} for row in lasts
        ]
    return document


def anchor_line(document: dict[str, Any]) -> str:
    """One anchor on one line, so a file of them is JSON Lines and a line can be read aloud."""
    return json.dumps(document) + "\n"


def _json_lines(text: str) -> tuple[list[tuple[int, Any]], tuple[int, str] | None]:
    """Each non-blank line as JSON; stops at the first line that is not (its number, why)."""
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append((number, json.loads(line)))
        except ValueError as exc:
            return documents, (number, getattr(exc, "msg", str(exc)))
    return documents, None


def _documents(text: str, source: str) -> list[tuple[int, Any]]:
    """One JSON document (over any number of lines) or JSON Lines, with the line each starts."""
    documents, failed = _json_lines(text)
    if failed is None:
        return documents
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        if documents:  # earlier lines were JSON, so this is JSON Lines with a bad line
            number, reason = failed
        else:
            number, reason = exc.lineno, exc.msg
        raise AnchorError(f"{source}: line {number} is not valid JSON ({reason}).") from None
    first_line = next(n for n, line in enumerate(text.splitlines(), start=1) if line.strip())
    return [(first_line, whole)]


def _seq_and_hash(document: dict[str, Any], where: str) -> tuple[int, str]:
    missing = [key for key in ("seq", "hash") if key not in document]
    if missing:
        names = " and ".join(f'"{key}"' for key in missing)
        raise AnchorError(f"{where} has no {names}.")
    seq, digest = document["seq"], document["hash"]
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise AnchorError(f'{where} has a "seq" that is not a row number (1 or more).')
    if not isinstance(digest, str) or len(digest) != 64 or not set(digest) <= _HEX:
        raise AnchorError(f'{where} has a "hash" that is not 64 lower-case hexadecimal characters.')
    return seq, digest


def _anchors(document: Any, *, source: str, line: int) -> list[Anchor]:
    """The anchored rows in one document: its "seq"/"hash", and each of its "chains"."""
    where = f"{source}: the anchor on line {line}"
    if not isinstance(document, dict):
        raise AnchorError(f"{where} is not a JSON object.")
    anchored_at = document.get("anchored_at")
    anchored_at = anchored_at if isinstance(anchored_at, str) else ""
    rows = [_seq_and_hash(document, where)]
    chains = document.get("chains", [])
    if not isinstance(chains, list):
        raise AnchorError(f'{where} has "chains" that is not a list.')
    for number, entry in enumerate(chains, start=1):
        entry_where = f"{where}, chain entry {number},"
        if not isinstance(entry, dict):
            raise AnchorError(f"{entry_where} is not a JSON object.")
        rows.append(_seq_and_hash(entry, entry_where))
    unique = list(dict.fromkeys(rows))
    return [
        Anchor(seq=seq, hash=digest, anchored_at=anchored_at, source=source, line=line)
        for seq, digest in unique
    ]


def parse_anchors(text: str, *, source: str) -> list[Anchor]:
    """Every anchor in an anchor file's text, or AnchorError naming the first bad line."""
    if not text.strip():
        raise AnchorError(f"{source} is empty: it holds no anchors.")
    return [
        anchor
        for line, document in _documents(text, source)
        for anchor in _anchors(document, source=source, line=line)
    ]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnchorError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise AnchorError(f"{path} is a folder, not an anchor file.") from None
    except UnicodeDecodeError:
        raise AnchorError(f"{path} is not a text file (it is not UTF-8).") from None
    except OSError as exc:
        raise AnchorError(f"{path} cannot be read: {exc.strerror or exc}.") from None


def read_anchor_file(path: str | Path) -> list[Anchor]:
    path = Path(path)
    return parse_anchors(_read_text(path), source=str(path))


def check_anchors(anchors: list[Anchor]) -> AnchorReport:
    """Is every anchored row still in the trail with the same hash? Names the first that is not."""
    first_bad: ChainProblem | None = None
    for start in range(0, len(anchors), _LOOKUP_BATCH):
        batch = anchors[start : start + _LOOKUP_BATCH]
        hashes = dict(
            AuditEvent.objects.filter(seq__in={a.seq for a in batch}).values_list("seq", "hash")
        )
        for anchor in batch:
            found = hashes.get(anchor.seq)
            if found == anchor.hash or first_bad is not None:
                continue
            if found is None:
                why = f"row {anchor.seq} is no longer in the trail"
            else:
                why = f"row {anchor.seq} has a different hash now, so the trail was rewritten"
            first_bad = ChainProblem(anchor.seq, f"{anchor.describe()} does not match: {why}")
    return AnchorReport(checked=len(anchors), problem=first_bad)


def _exists(path: Path) -> str:
    return (
        f"{path} already exists: it was not overwritten. Use --append to add this anchor to "
        "it as a new line."
    )


def _write_atomically(path: Path, content: str, *, replace: bool) -> None:
    """Write a whole file or nothing: a temporary file beside it, then moved into place.

    Without `replace`, an existing file is never overwritten, even one created a moment ago.
    """
    directory = path.parent
    if not directory.is_dir():
        raise AnchorError(f"{directory} is not a folder: the anchor was not written.")
    try:
        descriptor, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
    except OSError as exc:
        raise AnchorError(f"Cannot write in {directory}: {exc.strerror or exc}.") from None
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            if path.exists():
                shutil.copymode(path, temporary)
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if the file exists, unlike a rename
            except FileExistsError:
                raise AnchorError(_exists(path)) from None
            except OSError:
                # Some network and FUSE file systems have no hard links.
                if path.exists():
                    raise AnchorError(_exists(path)) from None
                os.replace(temporary, path)
    except OSError as exc:
        raise AnchorError(f"{path} was not written: {exc.strerror or exc}.") from None
    finally:
        temporary.unlink(missing_ok=True)


def write_anchor(path: str | Path, document: dict[str, Any], *, append: bool = False) -> None:
    """Write an anchor to a new file, or add it as a line to an existing anchor file."""
    path = Path(path)
    line = anchor_line(document)
    if not append or not path.exists():
        _write_atomically(path, line, replace=False)
        return
    existing = _read_text(path)
    if existing.strip():
        _, failed = _json_lines(existing)
        if failed is not None:
            raise AnchorError(
                f"{path} is not one anchor a line (line {failed[0]} is not a JSON document on "
                "its own), so nothing was added to it."
            )
        parse_anchors(existing, source=str(path))
    if existing and not existing.endswith("\n"):
        existing += "\n"
    _write_atomically(path, existing + line, replace=True)
