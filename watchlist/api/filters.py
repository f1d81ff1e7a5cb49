import django_filters

from ..models import ItemStatus, Quality, WatchlistItem


class WatchlistItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices)
    quality_preference = django_filters.ChoiceFilter(choices=Quality.choices)
    provider_id = django_filters.CharFilter()
    lang = django_filters.CharFilter()
    auto_download = django_filters.BooleanFilter()
    search = django_filters.CharFilter(field_name="anime_title", lookup_expr="icontains", label="Title contains")

    class Meta:
        model = WatchlistItem
        fields = ["status", "quality_preference", "provider_id", "lang", "auto_download", "search"]
