from django.urls import path


def both(route: str, view, name: str) -> list:
    """The route with and without a trailing slash, both answering directly.

    The original clients POST to `/api/watchlist`; APPEND_SLASH's redirect
    would drop the body. The OpenAPI schema lists the slash-less form only
    (watchlist.api.schema.drop_trailing_slash_twins).
    """
    return [path(route, view, name=name), path(route + "/", view)]
