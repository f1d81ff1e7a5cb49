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

# (output name, how to get the value from the row, the field's to_representation
# or None when the getter already returns the output value)
Step = tuple[str, Callable[[Any], Any], Callable[[Any], Any] | None]


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
                plan.append((field.field_name, getattr(self, field.method_name), None))
            elif len(field.source_attrs) == 1 and field.source_attrs[0] in model_fields:
                plan.append((field.field_name, attrgetter(field.source_attrs[0]), representation_of(field)))
            else:
                return None  # a source this plan does not know: DRF's own path for every row
        return plan

    def to_representation(self, instance):
        plan = self._plan
        if plan is None or not isinstance(instance, self.Meta.model):
            return super().to_representation(instance)
        ret = {}
        for name, get, represent in plan:
            value = get(instance)
            if represent is None:
                ret[name] = value
            else:
                # As DRF: None stays None without asking the field.
                ret[name] = None if value is None else represent(value)
        return ret
