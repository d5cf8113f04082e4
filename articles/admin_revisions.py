"""Article admin: history, revisions, diffs, restore, preview and share links."""


class RevisionAdminMixin:
    pass
