from collections.abc import Callable
from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictFieldsMixin:
    """Reject request fields the serializer does not know or will not
    change, naming them.

    DRF silently drops unknown and read-only keys, which turns a client's
    typo (`auto_donwload`) or a `PUT` of `created_at` into a request that
    "succeeds" and changes nothing.
    """

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            read_only = sorted(name for name in data if name in self.fields and self.fields[name].read_only)
            if unknown or read_only:
                errors = {name: ["Unknown field."] for name in unknown}
                errors.update({name: ["This field is read-only."] for name in read_only})
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class NullMeansEmptyMixin:
    """`null` for an optional text or list field means "empty", as the
    original API's clients send it (`"poster_image": null`): the field is
    stored as "" or [] instead of the request being refused.

    ``null_means_empty`` maps each such field to the factory of its empty value.
    """

    null_means_empty: ClassVar[dict[str, Callable[[], Any]]] = {}

    def to_internal_value(self, data):
        if isinstance(data, dict) and any(data.get(name, "") is None for name in self.null_means_empty):
            data = {
                name: (self.null_means_empty[name]() if value is None and name in self.null_means_empty else value)
                for name, value in data.items()
            }
        return super().to_internal_value(data)


_HTTP_URL_SCHEMA = {"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 2000}


@extend_schema_field(_HTTP_URL_SCHEMA)
class HttpUrlField(serializers.URLField):
    """An absolute http:// or https:// URL (no ftp, no file)."""

    default_error_messages = {"invalid": "Enter a valid http:// or https:// URL."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)
        # Replace DRF's URLValidator (which allows ftp) with an http(s)-only one.
        from django.core.validators import URLValidator

        self.validators = [v for v in self.validators if not isinstance(v, URLValidator)]
        self.validators.append(URLValidator(schemes=["http", "https"], message=self.error_messages["invalid"]))


@extend_schema_field({"anyOf": [_HTTP_URL_SCHEMA, {"type": "string", "maxLength": 0}]})
class OptionalHttpUrlField(HttpUrlField):
    """An http(s) URL or the empty string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)
