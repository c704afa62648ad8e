"""How a recommendation reads: site designs, gateways and each model's availability."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scoring.results import MODEL_LABELS

# The pages hold the engine's dataclasses, the PDF and the command line its JSON form (an
# issued proposal's snapshot); every reading below takes either, so they cannot drift.
type Part = Mapping[str, Any] | object


def read(obj: Part, name: str, default: Any = None) -> Any:
    """A field of a result dataclass or of its JSON form."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# What each gateway serves, in words; the counts are the devices the site answered (§1.9).
DEVICE_WORDS = {
    "fax": ("fax line", "fax lines"),
    "door_phones": ("door or lift phone", "door or lift phones"),
    "analog": ("analog phone", "analog phones"),
}
OWNER_WORDS = {"partner": "run by the partner", "customer_it": "run by your IT"}


def _serves(gateway: Part) -> str:
    purpose = read(gateway, "purpose")
    if purpose == "paging":
        return "overhead paging"
    if purpose in DEVICE_WORDS:
        return _plural(int(read(gateway, "devices", 0)), *DEVICE_WORDS[purpose])
    return str(read(gateway, "label", purpose))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def gateway_phrases(gateways: Iterable[Part]) -> list[str]:
    """A site's gateways in words, one phrase per device kind.

    The SBC gateways of one site are one box serving several purposes, so they read as
    one phrase ("an SBC gateway for overhead paging and 2 fax lines").

    Args:
        gateways: The design's :class:`~scoring.results.Gateway` objects or their JSON.

    Returns:
        Phrases such as "SIP Gateway ATAs for 8 analog phones".
    """
    sbc: list[str] = []
    phrases: list[str] = []
    for g in gateways:
        kind, purpose = read(g, "kind"), read(g, "purpose")
        if kind == "sba":
            phrases.append("a Survivable Branch Appliance on the site's SBC")
        elif purpose == "pbx":
            phrases.append("an SBC pair for the trunk to the PBX")
        elif kind == "ata" and purpose == "analog":
            where = (
                "behind the site's SBC" if "SBC" in str(read(g, "label", "")) else "on SIP Gateway"
            )
            phrases.append(f"ATAs {where} for {_serves(g)}")
        else:
            sbc.append(_serves(g))
    if sbc:
        phrases.insert(0, f"an SBC gateway for {_and(sbc)}")
    return phrases


def gateways_by_site(gateways: Iterable[Any]) -> list[tuple[str, str]]:
    """The recommendation's gateways in words, one line per site (organisation-wide first).

    Args:
        gateways: ``Recommendation.gateways``: (site, or ``None`` for the organisation,
            gateway) pairs, or their JSON form; absent from results before ruleset 2.

    Returns:
        (site name or "Organisation-wide", the site's gateways in words) pairs.
    """
    sites: dict[str | None, list[Any]] = {}
    for site, gateway in gateways:
        sites.setdefault(site, []).append(gateway)
    return [
        (site or "Organisation-wide", "; ".join(gateway_phrases(items)))
        for site, items in sorted(sites.items(), key=lambda item: item[0] is not None)
    ]


def design_sentence(design: Part | None, fallback_label: str = "") -> str:
    """A site's design in one sentence: the users' model, then the gateways beside it.

    Args:
        design: The site recommendation's ``design`` (or its JSON); ``None`` for results
            stored before designs existed.
        fallback_label: The recommended model's label, said alone when there is no design.

    Returns:
        E.g. "Operator Connect for 240 users + an SBC gateway for overhead paging and
        2 door or lift phones".
    """
    if not design:
        return fallback_label
    users = int(read(design, "users", 0))
    text = f"{read(design, 'users_label')} for {_plural(users, 'user', 'users')}"
    phrases = gateway_phrases(read(design, "gateways", ()))
    owners = {read(g, "owner") for g in read(design, "gateways", ())}
    if phrases:
        text += " + " + "; ".join(phrases)
        if owners == {"partner"}:
            text += f" ({OWNER_WORDS['partner']})"
    return text


# The engine's own code prefix for each model's "is it offered here?" findings.
UNKNOWN_PREFIX = {"operator_connect": "FIT.OC.", "teams_phone_mobile": "FIT.TPM."}


def availability_note(fit: Part) -> str:
    """Why a model is unavailable, or what is not known about it; blank when available.

    Args:
        fit: A :class:`~scoring.results.ModelFit` (a site's or the overall one) or its JSON.

    Returns:
        The limit's message(s) for an unavailable model (the overall fit: "not available
        at any site"), the missing fact for an unknown one, else "".
    """
    availability = read(fit, "availability", "available")
    findings = read(fit, "findings", ())
    if availability == "unavailable":
        because = set(read(fit, "unavailable_because", ()))
        if because == {"FIT.SITES"}:
            return "Not available at any of the sites."
        messages = [read(f, "message") for f in findings if read(f, "code") in because]
        return " ".join(dict.fromkeys(messages)) or "Not available here."
    if availability == "unknown":
        prefix = UNKNOWN_PREFIX.get(read(fit, "model"), "FIT.")
        for f in findings:
            if read(f, "missing") and str(read(f, "code")).startswith(prefix):
                return str(read(f, "message"))
        return "Whether it is offered at every site is not known: check before choosing it."
    return ""


def model_rows(fits: Iterable[Part], chosen: str | None) -> list[dict[str, Any]]:
    """Each model's fit with its availability, the chosen one marked, for a table or list.

    Args:
        fits: The fits of a site or of the whole assessment (dataclasses or JSON).
        chosen: The recommended model (a site's model, or the chart's model overall).

    Returns:
        Dicts with ``model``, ``label``, ``fit``, ``band``, ``band_label``,
        ``availability``, ``note`` and ``chosen``, in the engine's model order.
    """
    return [
        {
            "model": read(f, "model"),
            "label": MODEL_LABELS.get(read(f, "model"), read(f, "label")),
            "fit": read(f, "fit"),
            "band": read(f, "band"),
            "band_label": read(f, "band_label"),
            "availability": read(f, "availability", "available"),
            "note": availability_note(f),
            "chosen": read(f, "model") == chosen,
        }
        for f in fits
    ]


def runner_up(fits: Iterable[Part], chosen: str | None) -> Part | None:
    """The best-fitting model that could have been chosen instead (not unavailable).

    Args:
        fits: The fits of a site or of the whole assessment.
        chosen: The recommended model.

    Returns:
        That model's fit, or ``None`` when every other model is unavailable.
    """
    others = [
        f
        for f in fits
        if read(f, "model") != chosen and read(f, "availability", "available") != "unavailable"
    ]
    return max(others, key=lambda f: read(f, "fit"), default=None)


def country_facts(label: str) -> str:
    """The result's ``country_data`` in words: which country facts, as of when.

    Args:
        label: ``Recommendation.country_data``, e.g. "countries.json as of 2024-08-05;
            partner overrides: MT" (blank in results stored before it existed).

    Returns:
        E.g. "Country facts (Calling Plan markets, operator coverage, regulation) as of
        2024-08-05; partner overrides: MT", or "" for a blank label.
    """
    if not label:
        return ""
    # The data file's name means nothing to a reader; its date and the overrides do.
    facts = label.replace("countries.json ", "", 1)
    return f"Country facts (Calling Plan markets, operator coverage, regulation) {facts}"
