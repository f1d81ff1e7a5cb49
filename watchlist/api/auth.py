from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, as the original API used; DRF's
    `Token <token>` keyword is accepted too."""

    keywords = ("Bearer", "Token")

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split()
        if not parts or parts[0] not in self.keywords:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Invalid Authorization header: expected 'Bearer <token>'.")
        return self.authenticate_credentials(parts[1])

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
