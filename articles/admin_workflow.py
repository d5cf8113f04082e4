"""Article admin: who may do what, and the workflow's buttons and lists."""


class WorkflowAdminMixin:
    pass
