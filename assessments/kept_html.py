"""What a process read or rendered once, kept by a key naming what it shows, least recent out."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.utils.safestring import SafeString, mark_safe

_every: list["Kept"] = []


def forget_kept_html() -> None:
    """Forget everything kept in this process (tests whose frozen clocks repeat stamps)."""
    for kept in _every:
        kept.clear()


class Kept[V]:
    """Values kept per process under keys naming what they are, the least recent dropped.

    A key must change whenever the value would (a stored result's stamp, a digest of its
    content, a count of changes, the language); a key of ``None`` makes without keeping.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        _every.append(self)

    def get(self, key: Hashable | None, make: Callable[[], V]) -> V:
        """The value kept under ``key``, or ``make()``'s, then kept."""
        if key is not None:
            with self._lock:
                value = self._kept.get(key)
                if value is not None:
                    self._kept.move_to_end(key)
                    return value
        value = make()
        if key is not None:
            with self._lock:
                self._kept[key] = value
                while len(self._kept) > self.limit:
                    self._kept.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every kept value (tests whose frozen clocks repeat stamps)."""
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


class KeptHTML(Kept[SafeString]):
    """Rendered sections of pages, kept as :class:`Kept` values (a template's output)."""

    def get(self, key: Hashable | None, make: Callable[[], str]) -> SafeString:  # type: ignore[override]
        """The HTML kept under ``key``, or ``make()``'s output (autoescaped), then kept."""
        return super().get(key, lambda: mark_safe(make()))  # noqa: S308 - autoescaped output
