from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """Routes that match with or without a trailing slash.

    Existing clients call both `/api/tasks/{id}/cost` and `/api/v1/embedding-tasks/`, and
    APPEND_SLASH's redirect would drop a POST body. DRF turns any truthy
    `trailing_slash=` argument into "/", so the attribute is set after construction.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trailing_slash = "/?"
