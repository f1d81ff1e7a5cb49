from collections.abc import Mapping

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from watchlist_project.security import client_address

from .. import signin_lockout


class TokenThrottle(AnonRateThrottle):
    # Password guessing is throttled per client address: the address the
    # sign-in lockout uses too, never a client-chosen X-Forwarded-For.
    scope = "token"

    def get_ident(self, request) -> str:
        return client_address(request)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:
            # The shared cache is down (Redis): the lockout says why it lets
            # the attempt through; the throttle follows it.
            return True


@extend_schema(
    tags=["auth"],
    request=AuthTokenSerializer,
    responses={
        200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        429: OpenApiResponse(description="Too many failed attempts for this username or from this address"),
    },
    auth=[],
    summary="Exchange a username and password for the user's API token",
)
class ObtainTokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    def post(self, request):
        data = request.data if isinstance(request.data, Mapping) else {}
        username = str(data.get("username") or "")
        # The sign-in form's lockout: a locked-out user gets no token either,
        # and the password is not even checked.
        lockout = signin_lockout.lockout_for(request, username)
        if lockout is not None:
            return Response(
                {"detail": f"Too many failed sign-in attempts. Try again in {lockout.retry_after_seconds} seconds."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(lockout.retry_after_seconds)},
            )
        serializer = AuthTokenSerializer(data=data, context={"request": request})
        if not serializer.is_valid():
            if username and data.get("password"):
                signin_lockout.record_failure(request, username)  # a guess, not a malformed request
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        signin_lockout.clear(request, username)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
