from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's token, also accepted as `Authorization: Bearer <token>` (seed 001's clients)."""

    keyword = "Bearer"
