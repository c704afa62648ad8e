"""Country facts (scoring/data/countries.json) and a partner's per-country overrides."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from scoring.inputs import InputError, YesNoUnknown

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.json"
YES, NO, UNKNOWN = YesNoUnknown.YES.value, YesNoUnknown.NO.value, YesNoUnknown.UNKNOWN.value
_ANSWERS = frozenset({YES, NO, UNKNOWN})


@dataclass(frozen=True, slots=True)
class CountryFacts:
    """What is known about one country; ``"yes"``/``"no"``/``"unknown"`` per offer."""

    country: str
    calling_plans: str = NO  # §1.7: the market list is closed, so not listed means no
    operator_connect: str = UNKNOWN
    teams_phone_mobile: str = UNKNOWN
    toll_bypass: bool = False  # §1.6: toll-bypass rules apply even when unanswered
    dispatchable_location: bool = False  # §4.3: a dispatchable location is the law
    note: str = ""
    overridden: bool = False  # a partner's override changed a fact


@dataclass(frozen=True, slots=True)
class CountryOverride:
    """A partner's correction for one country (their operators' footprint).

    ``None`` keeps the data file's fact. Phase 2 stores these per partner organisation.
    """

    country: str
    operator_connect: str | None = None
    teams_phone_mobile: str | None = None
    calling_plans: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        for name in ("operator_connect", "teams_phone_mobile", "calling_plans"):
            value = getattr(self, name)
            if value is not None and value not in _ANSWERS:
                raise InputError(f"CountryOverride.{name}: {value!r} is not yes/no/unknown")


@dataclass(frozen=True, slots=True)
class FitOptions:
    """Inputs to the fit beyond the assessment's answers (all optional).

    Attributes:
        overrides: Per-country overrides, by ISO code (a partner's operator footprint).
        as_of: The date certificate lifetimes are counted at; ``None`` uses the first
            period of ``ruleset.CERT_MAX_LIFETIME`` (deterministic without a clock).
    """

    overrides: Mapping[str, CountryOverride] | None = None
    as_of: date | None = None


NO_OPTIONS = FitOptions()


@cache
def country_data() -> dict[str, Any]:
    """The data file, parsed once (its ``as_of``, ``sources`` and ``countries``).

    Returns:
        The file's JSON object.
    """
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _base_facts(country: str) -> CountryFacts:
    row = country_data()["countries"].get(country, {})
    return CountryFacts(
        country,
        row.get("calling_plans", NO),
        row.get("operator_connect", UNKNOWN),
        row.get("teams_phone_mobile", UNKNOWN),
        bool(row.get("toll_bypass", False)),
        bool(row.get("dispatchable_location", False)),
        row.get("note", ""),
    )


def country_facts(country: str, options: FitOptions = NO_OPTIONS) -> CountryFacts:
    """The facts of one country: the data file, then the partner's override.

    Args:
        country: ISO 3166-1 alpha-2 code.
        options: The fit options holding the overrides.

    Returns:
        The country's facts.
    """
    base = _base_facts(country)
    override = options.overrides.get(country) if options.overrides else None
    if override is None:
        return base
    return CountryFacts(
        country,
        override.calling_plans or base.calling_plans,
        override.operator_connect or base.operator_connect,
        override.teams_phone_mobile or base.teams_phone_mobile,
        base.toll_bypass,
        base.dispatchable_location,
        override.note or base.note,
        True,
    )


def data_label(options: FitOptions = NO_OPTIONS) -> str:
    """Which country facts a result used: the data file's date and any overrides.

    Args:
        options: The fit options.

    Returns:
        E.g. ``"countries.json as of 2024-08-05; partner overrides: MT"``.
    """
    label = f"countries.json as of {country_data()['as_of']}"
    if options.overrides:
        label += "; partner overrides: " + ", ".join(sorted(options.overrides))
    return label
