"""Sections of pages rendered once per process for what they show, and kept by a key."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.utils.safestring import SafeString, mark_safe

_every: list["KeptHTML"] = []


def forget_kept_html() -> None:
    """Forget every section kept in this process (tests whose frozen clocks repeat stamps)."""
    for kept in _every:
        kept.clear()


class KeptHTML:
    """Rendered HTML kept per process under keys naming what it shows, least recent out.

    A key must change whenever what the HTML shows does (a stored result's stamp, a digest
    of its content, the language); a key of ``None`` renders without keeping.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, SafeString] = OrderedDict()
        self._lock = threading.Lock()
        _every.append(self)

    def get(self, key: Hashable | None, render: Callable[[], str]) -> SafeString:
        """The HTML kept under ``key``, or ``render()``'s output (autoescaped), then kept."""
        if key is not None:
            with self._lock:
                html = self._kept.get(key)
                if html is not None:
                    self._kept.move_to_end(key)
                    return html
        html = mark_safe(render())  # noqa: S308 - a template's autoescaped output
        if key is not None:
            with self._lock:
                self._kept[key] = html
                while len(self._kept) > self.limit:
                    self._kept.popitem(last=False)
        return html

    def clear(self) -> None:
        """Forget every kept section (tests whose frozen clocks repeat stamps)."""
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
