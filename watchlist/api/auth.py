from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from .. import tokens
from ..models import TokenScope


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, as the original API used; DRF's
    `Token <token>` keyword is accepted too.

    Two kinds of token: the account's own full-access token (DRF's), and
    named tokens with a scope (watchlist/tokens.py, they start with `wlt_`).
    The scope is enforced here, before any view runs, so no view can forget
    it: `read` tokens get 403 on unsafe methods, `feeds` tokens on every view
    that does not declare `feeds_scope = True`.
    """

    keywords = ("Bearer", "Token")
    # RFC 9110: the scheme is case-insensitive ("bearer <token>" is Bearer).
    _schemes = frozenset(keyword.lower() for keyword in keywords)

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split()
        if not parts or parts[0].lower() not in self._schemes:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Invalid Authorization header: expected 'Bearer <token>'.")
        if tokens.looks_like_named_token(parts[1]):
            return self._named(request, parts[1])
        return self.authenticate_credentials(parts[1])

    def _named(self, request, key: str):
        token = tokens.find_token(key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if token.scope != TokenScope.FULL and request.method not in SAFE_METHODS:
            raise PermissionDenied(f"This token is {token.get_scope_display().lower()}: it cannot change anything.")
        if token.scope == TokenScope.FEEDS and not _view_allows_feeds(request):
            raise PermissionDenied("This token may only read feed and calendar URLs.")
        tokens.touch(token)
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def _view_allows_feeds(request) -> bool:
    match = getattr(request._request, "resolver_match", None)
    func = getattr(match, "func", None)
    view_class = getattr(func, "cls", None) or getattr(func, "view_class", None)
    return bool(getattr(view_class, "feeds_scope", False))
