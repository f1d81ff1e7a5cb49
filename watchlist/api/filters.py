import django_filters
from django.db.models import QuerySet

from ..item_filters import with_status, with_title
from ..models import ItemStatus, Quality, WatchlistItem


class WatchlistItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, method="filter_status")
    quality_preference = django_filters.ChoiceFilter(choices=Quality.choices)
    provider_id = django_filters.CharFilter()
    lang = django_filters.CharFilter()
    auto_download = django_filters.BooleanFilter()
    search = django_filters.CharFilter(method="filter_search", label="Title contains")

    class Meta:
        model = WatchlistItem
        fields = ["status", "quality_preference", "provider_id", "lang", "auto_download", "search"]

    def filter_search(self, queryset: QuerySet[WatchlistItem], name: str, value: str) -> QuerySet[WatchlistItem]:
        # The dashboard's search rule (item_filters), so both find the same series.
        return with_title(queryset, value)

    def filter_status(self, queryset: QuerySet[WatchlistItem], name: str, value: str) -> QuerySet[WatchlistItem]:
        return with_status(queryset, value)
