"""Article admin: refusing a stale save (optimistic locking) without losing text."""


class ConflictAdminMixin:
    pass
