"""What the customer reads on every step's form: each question, its help and its choices."""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assessments import questions

pytestmark = pytest.mark.django_db

# The wording as the customer pages rendered it when it was moved into the question
# catalogue, read from those pages once: rewording a question is a deliberate edit here.
EXPECTED = json.loads((Path(__file__).parent / "customer_wording.json").read_text("utf-8"))
# A list so long it is a library's data (every country), not wording: its first entry only.
LONG_LIST = 40


class _Questions(HTMLParser):
    """Each control's label, help and choice labels, as a browser's reader would meet them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.names: list[str] = []  # controls in page order
        self.id_name: dict[str, str] = {}
        self.radio_ids: set[str] = set()
        self.label_for: dict[str, str] = {}
        self.legends: dict[str, str] = {}  # a radio group's question, by its field wrapper
        self.help: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.text_of: list = []  # (kind, key, parts) being read
        self.field: str | None = None  # the html name of the "field-…" wrapper we are in
        self.select: str | None = None

    def _control(self, name: str, ident: str | None) -> None:
        if name not in self.names:
            self.names.append(name)
        if ident:
            self.id_name[ident] = name

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("id") or ""
        if tag == "div" and ident.startswith("field-"):
            self.field = ident.removeprefix("field-")
        if tag in {"input", "select", "textarea"} and attrs.get("name"):
            kind = attrs.get("type") or tag
            if kind in {"hidden", "submit"}:
                return
            self._control(attrs["name"], ident)
            if kind == "radio":
                self.radio_ids.add(ident)
            if tag == "select":
                self.select = attrs["name"]
                self.options.setdefault(self.select, [])
        if tag == "option" and self.select:
            self.text_of.append(("option", self.select, []))
        elif tag == "label" and attrs.get("for"):
            self.text_of.append(("label", attrs["for"], []))
        elif tag == "legend" and "q-label" in (attrs.get("class") or "") and self.field:
            self.text_of.append(("legend", self.field, []))
        elif ident.endswith("-help"):
            self.text_of.append(("help", ident.removesuffix("-help"), []))
        elif self.text_of:
            self.text_of.append((None, tag, []))  # a nested element: its text joins its parent

    def handle_data(self, data):
        if self.text_of:
            self.text_of[-1][2].append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if not self.text_of or tag in {"input", "br"}:
            return
        kind, key, parts = self.text_of.pop()
        text = "".join(parts)
        if kind is None:
            if self.text_of:
                self.text_of[-1][2].append(text)
            return
        text = " ".join(text.split())
        if kind == "option":
            self.options[key].append(text)
        elif kind == "label":
            self.label_for[key] = text
        elif kind == "legend":
            self.legends[key] = text
        elif kind == "help":
            self.help[key] = text

    def questions(self) -> dict[str, dict]:
        found = {}
        for name in self.names:
            ids = [i for i, n in self.id_name.items() if n == name]
            radios = [i for i in ids if i in self.radio_ids]
            label = self.legends.get(name) if radios else self.label_for.get(ids[0] if ids else "")
            choices = [self.label_for.get(i, "") for i in radios] or self.options.get(name, [])
            if len(choices) > LONG_LIST:
                choices = choices[:1]
            found[name] = {"label": label, "help": self.help.get(name, ""), "choices": choices}
        return found


def rendered_questions(html: str) -> dict[str, dict]:
    """Every visible control of a page by its name: {"label", "help", "choices"}."""
    parser = _Questions()
    parser.feed(html)
    return parser.questions()


def customer_pages(link, world) -> dict[str, str]:
    """Each customer step page that asks questions, by a name for it."""
    return {
        "organisation": link.url("organisation"),
        "voice": link.url("voice"),
        "new site": link.url("site-create"),
        "site with internet lines": link.url("site-update", world.hq.pk),
        "measurements of a site": link.url("measurements-site", world.hq.pk),
    }


def test_every_customer_step_asks_its_questions_in_the_same_words(client, link, world):
    seen = {}
    for page, url in customer_pages(link, world).items():
        seen[page] = {}
        # The organisation step asks one topic per screen: its screens read in order.
        topics = len(questions.customer_groups("organisation")) if page == "organisation" else 1
        for topic in range(1, topics + 1):
            response = client.get(url + (f"?topic={topic}" if topic > 1 else ""))
            assert response.status_code == 200, page
            seen[page].update(rendered_questions(response.content.decode()))
    assert seen.keys() == EXPECTED.keys()
    for page, expected in EXPECTED.items():
        assert list(seen[page]) == list(expected), f"{page}: questions added, gone or moved"
        for name, wording in expected.items():
            assert seen[page][name] == wording, f"{page}: {name}"


def test_the_reader_sees_a_label_its_help_and_radio_choices():
    html = """<form><div class="q" id="field-risk"><fieldset><legend class="q-label">Risk?</legend>
    <input type="radio" name="risk" id="r0" value="low"><label for="r0">Low: <b>fine</b></label>
    <input type="radio" name="risk" id="r1" value="high"><label for="r1">High</label>
    <p class="q-help" id="risk-help">Pick one.</p></fieldset></div>
    <label for="c">Country <span>(required)</span></label>
    <select name="country" id="c"><option value="">Choose</option><option>Chad</option></select>
    <input type="hidden" name="version" value="3"></form>"""
    assert rendered_questions(html) == {
        "risk": {"label": "Risk?", "help": "Pick one.", "choices": ["Low: fine", "High"]},
        "country": {"label": "Country (required)", "help": "", "choices": ["Choose", "Chad"]},
    }
