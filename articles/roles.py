"""The newsroom's roles. The groups and their permissions are created by the
migration 0006_newsroom_groups; these are their names."""

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"
MODERATORS = "Kiểm duyệt bình luận"
ACCOUNTANTS = "Kế toán"  # royalties (nhuận bút): its group comes from royalties 0002
# The approval levels' groups (migration 0022_default_approval_chain).
SECTION_HEADS = "Trưởng ban"
MANAGING_EDITORS = "Thư ký tòa soạn"
EDITORS_IN_CHIEF = "Tổng biên tập"
