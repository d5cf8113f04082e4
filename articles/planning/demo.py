"""A few plan entries for today and tomorrow, for ``seed_demo``: some approved
and assigned to the demo reporter, some still proposals for the editor."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from articles.models import Section

from .models import PlanEntry, PlanSlot

# (day offset, slot, section, title, deadline hour, approved)
ENTRIES = [
    (0, "Trang chủ buổi sáng", "Thời sự", "Kỳ họp thứ mười của Hội đồng nhân dân tỉnh", 9, True),
    (0, "Trang chủ buổi chiều", "Kinh tế", "Giá lúa vụ đông xuân tại các huyện", 15, True),
    (0, "Báo in", "Xã hội", "Nước sạch về các xã vùng cao", 17, False),
    (1, "Trang chủ buổi sáng", "Thời sự", "Khánh thành cầu mới qua sông", 9, True),
    (1, "Báo in", "Kinh tế", "Hợp tác xã nông nghiệp chuyển đổi số", 16, False),
]


def create_demo_entries(users):
    """The demo entries, proposed by the reporter and approved by the editor
    through the entries' own transitions; nothing when the plan has entries."""
    if PlanEntry.objects.exists():
        return []
    reporter, editor = users["phongvien"], users["bientap"]
    slots = {slot.name: slot for slot in PlanSlot.objects.all()}
    sections = {section.name: section for section in Section.objects.all()}
    today = timezone.localdate()
    entries = []
    for offset, slot, section, title, hour, approved in ENTRIES:
        day = today + timedelta(days=offset)
        entry = PlanEntry.objects.create(
            title=title, section=sections[section], planned_for=day, slot=slots.get(slot),
            deadline=timezone.make_aware(datetime.combine(day, time(hour))),
            proposed_by=reporter, reporter=reporter,
        )
        if approved:
            entry.approve(editor)
        entries.append(entry)
    return entries
