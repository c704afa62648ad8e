"""The price catalogue as the price-book screen and the history show it: lines grouped by model."""

from dataclasses import dataclass

from scoring.price_lines import ALL_MODELS, GROUP_LABELS, PRICE_LINES, PriceLine
from scoring.results import MODEL_LABELS

# The order partners compare the models in: the services they resell first, then the
# platforms their customers run, then the mobile add-on.
MODEL_ORDER = (
    "operator_connect",
    "calling_plans",
    "direct_routing_hosted",
    "direct_routing",
    "teams_phone_mobile",
)

MODEL_NOTES = {
    "direct_routing": "The customer runs its own SBCs: sized per region by the cost rules.",
    "direct_routing_hosted": "Priced per user, per channel, or both: fill what your offer charges.",
}


@dataclass(frozen=True)
class Section:
    """A part of the price-book screen: one model's own lines, or lines every model shares."""

    key: str
    title: str
    note: str
    lines: tuple[PriceLine, ...]


def sections() -> list[Section]:
    """The catalogue's lines grouped for the screen: per model, then what every model shares.

    Returns:
        One section per model with lines of its own (in :data:`MODEL_ORDER`), then one per
        catalogue group of the lines several models need (licences, gateways, people).
    """
    own = {
        model: tuple(line for line in PRICE_LINES if line.models == (model,))
        for model in MODEL_ORDER
    }
    shared = [line for line in PRICE_LINES if len(line.models) > 1]
    found = [
        Section(model, MODEL_LABELS[model], MODEL_NOTES.get(model, ""), lines)
        for model, lines in own.items()
        if lines
    ]
    for group, label in GROUP_LABELS.items():
        lines = tuple(line for line in shared if line.group == group)
        if lines:
            every = all(set(line.models) == set(ALL_MODELS) for line in lines)
            found.append(Section(group, label, "Every model." if every else "", lines))
    return found


def notes_field(key: str) -> str:
    """The name a line's note goes by in the activity log ("oc_user_month:notes")."""
    return f"{key}:notes"
