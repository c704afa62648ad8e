"""Rebuild the engine's result dataclasses from their plain JSON form (the inverse of to_plain)."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, TypeAliasType, Union, get_args, get_origin, get_type_hints

from scoring.costs import CostResult
from scoring.results import EstateResult, SiteResult

type _Decode = Callable[[Any], Any]

_SCALARS: frozenset[object] = frozenset({str, int, float, bool, type(None), Any})
_DECODERS: dict[object, _Decode] = {}


def _same(value: Any) -> Any:
    return value


def _optional(inner: _Decode) -> _Decode:
    return lambda value: None if value is None else inner(value)


def _many(inner: _Decode) -> _Decode:
    if inner is _same:
        return tuple
    return lambda value: tuple(inner(item) for item in value)


def _fixed(inners: list[_Decode]) -> _Decode:
    return lambda value: tuple(d(item) for d, item in zip(inners, value, strict=True))


def _dataclass(cls: type) -> _Decode:
    hints = get_type_hints(cls)
    parts = []
    for f in fields(cls):
        default = (
            f.default
            if f.default is not MISSING
            else (f.default_factory() if f.default_factory is not MISSING else MISSING)
        )
        parts.append((f.name, _decoder(hints[f.name]), default))

    def decode(value: Mapping[str, Any]) -> Any:
        # A field added to a class after a result was stored takes its default; one with
        # no default raises KeyError, and the caller scores the site again.
        kwargs = {}
        for name, inner, default in parts:
            if name in value:
                kwargs[name] = inner(value[name])
            elif default is MISSING:
                raise KeyError(name)
            else:
                kwargs[name] = default
        return cls(**kwargs)

    return decode


def _make(tp: Any) -> _Decode:
    if isinstance(tp, TypeAliasType):
        return _decoder(tp.__value__)
    if tp in _SCALARS:
        return _same
    if tp is Decimal:  # amounts are stored as exact decimal strings ("1234.50")
        return Decimal
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if all(_decoder(a) is _same for a in args):
            return _same
        if len(args) != 1:
            raise TypeError(f"cannot decode a union of several classes: {tp!r}")
        return _optional(_decoder(args[0]))
    if origin is tuple:
        items = get_args(tp)
        if len(items) == 2 and items[1] is Ellipsis:
            return _many(_decoder(items[0]))
        return _fixed([_decoder(a) for a in items])
    if isinstance(tp, type) and is_dataclass(tp):
        return _dataclass(tp)
    raise TypeError(f"cannot decode {tp!r}")


def _decoder(tp: Any) -> _Decode:
    found = _DECODERS.get(tp)
    if found is None:
        found = _DECODERS[tp] = _make(tp)
    return found


def site_result_from_dict(data: Mapping[str, Any]) -> SiteResult:
    """Rebuild a site's result from :meth:`SiteResult.to_dict` (a stored result).

    Args:
        data: The plain form.

    Returns:
        An equal :class:`SiteResult`.

    Raises:
        KeyError: The plain form lacks a field the class requires (stored by an older
            release: score the site again).
    """
    result: SiteResult = _decoder(SiteResult)(data)
    return result


def estate_result_from_dict(data: Mapping[str, Any]) -> EstateResult:
    """Rebuild the estate-level result from :meth:`EstateResult.to_dict` (as stored).

    Args:
        data: The plain form.

    Returns:
        An equal :class:`EstateResult`.

    Raises:
        KeyError: As :func:`site_result_from_dict`.
    """
    result: EstateResult = _decoder(EstateResult)(data)
    return result


def cost_result_from_dict(data: Mapping[str, Any]) -> CostResult:
    """Rebuild a cost of ownership from :meth:`CostResult.to_dict` (as a proposal froze it).

    Args:
        data: The plain form (amounts as decimal strings).

    Returns:
        An equal :class:`CostResult`.

    Raises:
        KeyError: As :func:`site_result_from_dict`.
    """
    result: CostResult = _decoder(CostResult)(data)
    return result
