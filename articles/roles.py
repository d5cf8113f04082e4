"""The newsroom's roles. The groups and their permissions are created by the
migration 0006_newsroom_groups; these are their names."""

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"
MODERATORS = "Kiểm duyệt bình luận"
# The approval levels' groups (migration 0019_default_approval_chain).
SECTION_HEADS = "Trưởng ban"
MANAGING_EDITORS = "Thư ký tòa soạn"
EDITORS_IN_CHIEF = "Tổng biên tập"
