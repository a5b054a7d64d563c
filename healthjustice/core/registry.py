"""The one mechanism by which an app adds to a page or an export owned by an app below it.

The person page, the episode page, the person's timeline, a subject access export, the kinds of
report and the demo seeders are each assembled from parts that apps higher in the layers
(docs/adr/0003-layers.md) contribute without the lower app importing them. Each such list is a
`Registry`; an app adds its parts from its `AppConfig.ready()` (importing the module whose
decorated functions add themselves, or calling `add`), so the parts exist whenever the site runs
and never depend on which module happened to be imported first.

A registry keeps its entries in `order`, then in the order they were added. Adding the same item
twice keeps the first entry. A keyed registry refuses a second, different item under a key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    item: T
    order: int
    index: int
    key: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


class Registry(Generic[T]):
    """An ordered collection of the parts apps contribute to one page, export or command."""

    def __init__(self, name: str, *, keyed: bool = False, reserved: tuple[str, ...] = ()) -> None:
        self.name = name
        self.keyed = keyed
        self.reserved = frozenset(reserved)
        self._entries: list[Entry[T]] = []
        self._added = 0

    def add(self, item: T, *, key: str | None = None, order: int = 100, **options: Any) -> T:
        if self.keyed:
            if not key:
                raise ValueError(f"Each of the {self.name} needs a key")
            if key in self.reserved:
                raise ValueError(f"{key!r} is reserved among the {self.name}")
            existing = self.get(key)
            if existing is not None and existing != item:
                raise ValueError(f"{key!r} already exists among the {self.name}")
            if existing is not None:
                return item
        elif item in self:
            return item
        self._entries.append(Entry(item, order, self._added, key, dict(options)))
        self._added += 1
        return item

    def register(self, item: T | None = None, /, *, order: int = 100, **options: Any) -> Any:
        """`add` as a decorator: `@registry.register` or `@registry.register(order=10)`."""

        def add(fn: T) -> T:
            return self.add(fn, order=order, **options)

        return add(item) if item is not None else add

    def copy(self, *, empty: bool = False) -> Registry[T]:
        """A registry of the same kind (with the same entries unless `empty`), for a test to
        put in place of this one."""
        other: Registry[T] = Registry(self.name, keyed=self.keyed, reserved=tuple(self.reserved))
        if not empty:
            other._entries = list(self._entries)
            other._added = self._added
        return other

    def remove(self, item: T) -> None:
        self._entries[:] = [entry for entry in self._entries if entry.item is not item]

    def entries(self) -> list[Entry[T]]:
        return sorted(self._entries, key=lambda entry: (entry.order, entry.index))

    def get(self, key: str) -> T | None:
        return next((entry.item for entry in self._entries if entry.key == key), None)

    def keys(self) -> list[str]:
        return [entry.key for entry in self.entries() if entry.key is not None]

    def __iter__(self) -> Iterator[T]:
        return iter([entry.item for entry in self.entries()])

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, item: object) -> bool:
        return any(entry.item is item for entry in self._entries)
