"""Model serializers that represent many rows quickly, with the same output.

DRF's ``Serializer.to_representation`` walks its fields through a generator
and, for each field, ``Field.get_attribute`` (an ABC ``Mapping`` check and a
callable check per attribute) before the field's own ``to_representation``.
On a list of 200 items with their series and last check, that bookkeeping
costs more than the values themselves. ``PlannedRepresentationMixin`` works
out once per serializer instance how each readable field gets its value,
then runs that plan for every row: a plain ``getattr`` for a model field, the
bound method for a ``SerializerMethodField``, DRF's own path for anything
else. Values go through each field's own ``to_representation``, so the
output is the one DRF would give (``tests/test_api_watchlist_list.py``
compares a recorded body byte for byte).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import cached_property, partial
from operator import attrgetter
from typing import Any

from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from .item_rows import ListedRow

# (output name, how to get the value from the row, the field's to_representation
# or None when the getter already returns the output value, the type whose
# values the field returns unchanged)
Step = tuple[str, Callable[[Any], Any], Callable[[Any], Any] | None, type]


class _NoType:
    """No value is of this type: the field always represents its value."""


# Fields whose to_representation returns a value of this exact type as it
# is (``str(value)``, ``int(value)``, ``True in TRUE_VALUES``...): skipping
# the call gives the same output, and a list of 200 items made ~17 such
# calls per item.
_UNCHANGED_TYPES: dict[Callable[..., Any], type] = {
    serializers.CharField.to_representation: str,
    serializers.IntegerField.to_representation: int,
    serializers.BooleanField.to_representation: bool,
}


def unchanged_type(field: serializers.Field) -> type:
    """The exact type whose values ``field`` represents as they are."""
    return _UNCHANGED_TYPES.get(type(field).to_representation, _NoType)


def _list_of(kind: type, slow: Callable[[Any], Any], value: Any) -> Any:
    """ListField.to_representation for a list whose items are all of the
    child's unchanged type: a copy, as DRF's would be."""
    if type(value) is list and set(map(type, value)) <= {kind}:
        return value.copy()
    return slow(value)


def representation_of(field: serializers.Field) -> Callable[[Any], Any]:
    """``field.to_representation``, for the values of one serializer (one
    request's): a date-time field's time zone is looked up once."""
    if isinstance(field, serializers.DateTimeField):
        if not hasattr(field, "timezone"):
            # DRF asks for the active time zone on every value (a context-local
            # lookup); it cannot change while one request's rows are represented.
            field.timezone = field.default_timezone()
        if _plain_iso_datetime(field):
            return partial(_iso_datetime, field.timezone, field.to_representation)
    if type(field).to_representation is serializers.ListField.to_representation:
        kind = unchanged_type(field.child)
        if kind is not _NoType:
            return partial(_list_of, kind, field.to_representation)
    return field.to_representation


def _plain_iso_datetime(field: serializers.DateTimeField) -> bool:
    """DRF's own ISO 8601 output into a fixed time zone, not overridden."""
    cls = type(field)
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        field.timezone is not None
        and isinstance(output_format, str)
        and output_format.lower() == ISO_8601
        and cls.to_representation is serializers.DateTimeField.to_representation
        and cls.enforce_timezone is serializers.DateTimeField.enforce_timezone
    )


def _iso_datetime(timezone: tzinfo, slow: Callable[[Any], Any], value: Any) -> Any:
    """DateTimeField.to_representation for the aware date-times rows hold,
    without its per-value format and time-zone lookups (six per listed item);
    anything else goes the field's own way."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return slow(value)
    try:
        text = value.astimezone(timezone).isoformat()
    except OverflowError:
        return slow(value)  # the field's own error
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class PlannedRepresentationMixin(serializers.ModelSerializer):
    """Mixed into a ModelSerializer: its rows are represented from a plan
    built once per serializer instance (the list's child is one instance)."""

    @cached_property
    def _plan(self) -> list[Step] | None:
        model_fields = {f.name for f in self.Meta.model._meta.get_fields() if f.concrete}
        plan: list[Step] = []
        for field in self._readable_fields:
            if isinstance(field, serializers.SerializerMethodField):
                plan.append((field.field_name, getattr(self, field.method_name), None, _NoType))
            elif len(field.source_attrs) == 1 and field.source_attrs[0] in model_fields:
                get = attrgetter(field.source_attrs[0])
                plan.append((field.field_name, get, representation_of(field), unchanged_type(field)))
            else:
                return None  # a source this plan does not know: DRF's own path for every row
        return plan

    def to_representation(self, instance):
        plan = self._plan
        if plan is None or not isinstance(instance, (self.Meta.model, ListedRow)):
            return super().to_representation(instance)
        ret = {}
        for name, get, represent, unchanged in plan:
            value = get(instance)
            # As DRF: None stays None without asking the field.
            if represent is None or value is None or type(value) is unchanged:
                ret[name] = value
            else:
                ret[name] = represent(value)
        return ret
