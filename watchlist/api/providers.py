"""GET /api/providers: which providers this server has, built-in or plug-in."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..providers import all_providers


class ProviderSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The value of an item's provider_id.")
    name = serializers.CharField()
    supports_search = serializers.BooleanField(help_text="Whether the provider can search for series.")
    conditional_requests = serializers.BooleanField(
        help_text="Whether refreshing a source sends its ETag/Last-Modified and skips unchanged listings."
    )


@extend_schema(tags=["providers"])
class ProvidersView(APIView):
    @extend_schema(responses=ProviderSerializer(many=True), summary="List the providers")
    def get(self, request):
        rows = [
            {
                "id": provider.id,
                "name": provider.name,
                "supports_search": bool(getattr(provider, "supports_search", False)),
                "conditional_requests": bool(getattr(provider, "conditional_requests", False)),
            }
            for _, provider in sorted(all_providers().items())
        ]
        return Response(ProviderSerializer(rows, many=True).data)
