"""Search that ignores case and accents in every script, the same on SQLite and PostgreSQL."""

import unicodedata

from django.db import models
from django.db.models import Q

# Why a stored, folded column rather than a database function: SQLite's LIKE and
# UPPER fold ASCII only, and PostgreSQL's lower() follows the database's locale (a
# "C" database folds ASCII only) and strips no accents without the unaccent
# extension. Folding in Python once, on write, gives both databases the same answer
# (Python's Unicode tables, not the server's), keeps the search a plain LIKE over
# one column, and needs no extension or per-connection function.

# Turkish dotless i has no case partner outside Turkish: folded to i so "istanbul"
# finds "İstanbul" and "Diyarbakır" alike (İ itself folds to i + a dot mark, dropped).
_EXTRA = str.maketrans({"ı": "i"})


def fold(text: str | None) -> str:
    """Text reduced to what a search compares: case, accents and compatibility forms gone.

    Args:
        text: a name as typed, in any script.

    Returns:
        The casefolded text without combining marks ("São Paulo" -> "sao paulo",
        "KİEV"/"Київ" -> "kiev"/"київ", "ΑΘΉΝΑ" -> "αθηνα").
    """
    if not text:
        return ""
    # NFKD before and after casefold: casefold can yield letters that decompose again.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_EXTRA)


class SearchKeyField(models.TextField):
    """The folded copy of another field, refreshed whenever the row is written.

    ``pre_save`` runs for ``save()`` and ``bulk_create`` alike (Django asks every field
    for its value to insert), so imports, clones and pasted rows keep it current
    without each remembering to. Models using it add it to ``update_fields`` too (see
    ``SearchKeyed``).
    """

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        """The field for migrations: its source, without the defaults it sets itself."""
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        """Folds the source field into this one just before the row is written."""
        value = fold(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class SearchKeyed(models.Model):
    """A model with search keys: a save of only the source field refreshes its key too."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Saves, writing a search key whenever its source is among ``update_fields``."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            keys = {
                f.name
                for f in self._meta.concrete_fields
                if isinstance(f, SearchKeyField) and f.source in update_fields
            }
            kwargs["update_fields"] = [*update_fields, *(keys - set(update_fields))]
        super().save(*args, **kwargs)


def matching(query: str, *keys: str) -> Q:
    """Rows where every word of ``query`` is in one of the search-key columns ``keys``.

    Args:
        query: what was typed in a search box.
        keys: the names (or lookups across relations) of ``SearchKeyField`` columns.

    Returns:
        A filter; empty (everything) when the query has no words.
    """
    found = Q()
    for word in fold(query).split():
        either = Q()
        for key in keys:
            either |= Q(**{f"{key}__contains": word})
        found &= either
    return found
