"""The newsroom's roles. The groups and their permissions are created by the
migration 0006_newsroom_groups; these are their names."""

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"
MODERATORS = "Kiểm duyệt bình luận"
ACCOUNTANTS = "Kế toán"  # royalties (nhuận bút): its group comes from royalties 0002
