class ReadOnlyAdminMixin:
    """History is shown, never edited: no add, change or delete from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
