from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class WatchlistPagination(PageNumberPagination):
    """`?page=N&page_size=M`; page size defaults to API_PAGE_SIZE (50) and is
    capped at API_MAX_PAGE_SIZE (200)."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
