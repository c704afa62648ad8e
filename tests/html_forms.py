"""What a browser submits for a form of a rendered page, read from the HTML alone.

Nothing here looks at Django's form classes: values come from the markup (value
attributes, checked boxes and radios, selected options, textarea contents) and go
through the browser's own rules (HTML Living Standard, "value sanitization algorithm"
of each input type and "constructing the entry list"), so a value the browser cannot
read back (a date as 30/06/2027, a number as 22,5) is submitted as the browser would:
blank.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Input types whose value is never part of a submission unless they are the submitter.
BUTTON_TYPES = {"submit", "button", "reset", "image"}
FLOAT = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")
DATE = re.compile(r"\d{4,}-\d{2}-\d{2}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass
class Control:
    tag: str
    attrs: dict[str, str | None]
    form: str | None  # the id (or index key) of the form that owns it
    options: list[tuple[str, bool, bool]] = field(default_factory=list)  # value, selected, off
    text: str = ""

    @property
    def name(self) -> str:
        return self.attrs.get("name") or ""

    @property
    def kind(self) -> str:
        if self.tag == "input":
            return (self.attrs.get("type") or "text").lower()
        return self.tag


@dataclass
class Form:
    key: str
    attrs: dict[str, str | None]
    controls: list[Control] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, Form] = {}
        self.controls: list[Control] = []
        self.open_forms: list[str] = []
        self.select: Control | None = None
        self.option: list | None = None
        self.textarea: Control | None = None
        self.disabled_fieldsets: list[str] = []
        self.tags: list[str] = []

    def _owner(self, attrs: dict) -> str | None:
        return attrs.get("form") or (self.open_forms[-1] if self.open_forms else None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            key = attrs.get("id") or f"form-{len(self.forms)}"
            self.forms[key] = Form(key, attrs)
            self.open_forms.append(key)
            return
        if tag == "fieldset":
            self.disabled_fieldsets.append("disabled" if "disabled" in attrs else "")
        # A control inside a disabled fieldset is disabled too (except in its legend: rare).
        if any(self.disabled_fieldsets) and tag in {"input", "select", "textarea", "button"}:
            attrs["disabled"] = ""
        if tag in {"input", "button"}:
            if tag == "button":
                attrs.setdefault("type", "submit")
            self.controls.append(Control(tag, attrs, self._owner(attrs)))
        elif tag == "select":
            self.select = Control(tag, attrs, self._owner(attrs))
            self.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self._close_option()
            self.option = [attrs, ""]
        elif tag == "textarea":
            self.textarea = Control(tag, attrs, self._owner(attrs))
            self.controls.append(self.textarea)

    def handle_endtag(self, tag):
        if tag == "form" and self.open_forms:
            self.open_forms.pop()
        elif tag == "fieldset" and self.disabled_fieldsets:
            self.disabled_fieldsets.pop()
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.text += data
        elif self.option is not None:
            self.option[1] += data

    def _close_option(self):
        if self.option is None or self.select is None:
            return
        attrs, text = self.option
        value = attrs["value"] if attrs.get("value") is not None else " ".join(text.split())
        self.select.options.append((value, "selected" in attrs, "disabled" in attrs))
        self.option = None


def parse_forms(html: str) -> dict[str, Form]:
    """Every form of a page by id (``form-N`` for one without an id), with its controls.

    A control belongs to the form named by its ``form`` attribute, else to the form it
    sits in (the grid's cells sit outside their row's form).
    """
    parser = _Parser()
    parser.feed(html)
    parser.close()
    for control in parser.controls:
        if control.form in parser.forms:
            parser.forms[control.form].controls.append(control)
    return parser.forms


def _sanitized(kind: str, value: str) -> str:
    """The value a browser holds for an input of ``kind`` whose value attribute is ``value``."""
    if kind in {"text", "search", "tel", "password"}:
        return value.replace("\r", "").replace("\n", "")
    if kind in {"email", "url"}:
        return value.replace("\r", "").replace("\n", "").strip()
    if kind == "number":
        return value if FLOAT.fullmatch(value) else ""
    if kind == "date":
        return value if DATE.fullmatch(value) else ""
    if kind == "color":
        return value.lower() if COLOUR.fullmatch(value) else "#000000"
    if kind in {"datetime-local", "time", "month", "week"}:
        raise AssertionError(f"no sanitization rule for type={kind} yet: add it here")
    return value


def entries(form: Form, submitter: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser sends for ``form``, in document order.

    ``submitter``: the name (or text value) of the button clicked, if any.
    """
    pairs = []
    for control in form.controls:
        attrs, kind, name = control.attrs, control.kind, control.name
        if not name or "disabled" in attrs:
            continue
        if kind in BUTTON_TYPES:
            if submitter is not None and submitter == name:
                pairs.append((name, attrs.get("value") or ""))
            continue
        if kind == "file":
            continue  # no file chosen: nothing the server reads
        if kind in {"checkbox", "radio"}:
            if "checked" in attrs:
                pairs.append((name, attrs.get("value") if attrs.get("value") is not None else "on"))
            continue
        if kind == "select":
            chosen = [v for v, selected, off in control.options if selected and not off]
            if "multiple" not in attrs and not chosen:
                # A single select with nothing marked shows (and sends) its first option.
                chosen = [v for v, _selected, off in control.options if not off][:1]
            elif "multiple" not in attrs:
                chosen = chosen[-1:]
            pairs.extend((name, v) for v in chosen)
            continue
        if kind == "textarea":
            # The parser drops one newline right after <textarea>; the browser then sends
            # every line break as CR LF.
            text = control.text[1:] if control.text.startswith("\n") else control.text
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
            pairs.append((name, text))
            continue
        pairs.append((name, _sanitized(kind, attrs.get("value") or "")))
    return pairs


def find_form(
    html: str, *, id: str | None = None, action: str | None = None, containing: str | None = None
) -> Form:
    """The one form of the page with this id, this action, and/or a control of this name."""
    found = [
        form
        for key, form in parse_forms(html).items()
        if (id is None or key == id)
        and (action is None or form.attrs.get("action") == action)
        and (containing is None or any(c.name == containing for c in form.controls))
    ]
    assert len(found) == 1, f"{len(found)} forms match id={id} action={action} {containing=}"
    return found[0]


def submission(
    form: Form, *, submitter: str | None = None, **changes: str | list[str]
) -> dict[str, list[str]]:
    """The POST data of ``form`` as a browser sends it, after the user's ``changes``.

    ``changes`` replace a name's values, as a user typing or choosing would
    (``sites=["3", "4"]`` ticks two boxes).
    """
    data: dict[str, list[str]] = {}
    for name, value in entries(form, submitter):
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = list(value) if isinstance(value, list) else [value]
    return data
