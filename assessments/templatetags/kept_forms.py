"""``{% crispy_kept form %}``: crispy's HTML of an unbound form, kept per process by its values."""

import threading
from collections import OrderedDict
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from crispy_forms.templatetags.crispy_forms_tags import do_uni_form

register = template.Library()

# Crispy puts a CSRF token inside the fields it renders (its helper's method is POST): the
# kept HTML holds this stand-in, replaced with the request's token on every use. Letters and
# digits only, so escaping leaves it as it is.
_TOKEN_SLOT = "keptcsrfslot0d1e6b5a"
# Bounded: one entry per distinct set of answers seen; the oldest go first.
_LIMIT = 512
_kept: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_lock = threading.Lock()


def _key(form: Any, pack: str) -> tuple[Any, ...] | None:
    """What an unbound form's HTML depends on, or ``None`` when it must be rendered afresh.

    Only forms that say so (``kept_render``) qualify: their fields, widgets and choices are
    the same for every instance, so the values shown are the only thing that varies.
    """
    if not getattr(form, "kept_render", False) or form.is_bound:
        return None
    values = tuple((name, repr(form[name].value())) for name in form.fields)
    return (type(form), pack, form.prefix, form.auto_id, values)


class KeptCrispyNode(template.Node):
    """Renders like ``{% crispy form %}``; an unbound form's HTML is reused for equal values."""

    def __init__(self, node: template.Node) -> None:
        self.node = node

    def render(self, context: template.Context) -> SafeString:
        form = template.Variable(self.node.form).resolve(context)
        token = context.get("csrf_token")
        key = _key(form, self.node.template_pack)
        if key is None or not token or token == "NOTPROVIDED":
            return self.node.render(context)
        with _lock:
            html = _kept.get(key)
            if html is not None:
                _kept.move_to_end(key)
        if html is None:
            with context.push(csrf_token=_TOKEN_SLOT):
                html = str(self.node.render(context))
            with _lock:
                _kept[key] = html
                while len(_kept) > _LIMIT:
                    _kept.popitem(last=False)
        return mark_safe(html.replace(_TOKEN_SLOT, escape(str(token))))


@register.tag(name="crispy_kept")
def crispy_kept(parser: template.base.Parser, token: template.base.Token) -> KeptCrispyNode:
    """``{% crispy_kept form %}``: as ``{% crispy form %}``, cheaper when the form is unbound."""
    return KeptCrispyNode(do_uni_form(parser, token))
