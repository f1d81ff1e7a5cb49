from .base import EpisodeInfo, Provider, ProviderError, Refresh, SearchResult, SourceRef
from .registry import UnknownProvider, all_providers, detect_provider, get_provider, provider_ids

__all__ = [
    "EpisodeInfo",
    "Provider",
    "ProviderError",
    "Refresh",
    "SearchResult",
    "SourceRef",
    "UnknownProvider",
    "all_providers",
    "detect_provider",
    "get_provider",
    "provider_ids",
]
