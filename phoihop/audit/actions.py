"""The names of the actions a service writes (``activity.submit``, ``report.approve``...), what
they are called in Vietnamese, and the action log for writes that change many rows at once.

A service names its action in ``audited_save(..., action=...)`` (``phoihop.core.services``):
the history row's change reason holds the name, then the reason given on the next line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    # accounts
    "user.create": _("Tạo tài khoản"),
    "user.update": _("Sửa họ tên người dùng"),
    "user.password_reset": _("Cấp mật khẩu tạm thời"),
    "user.password_change": _("Đổi mật khẩu"),
    "user.activate": _("Mở lại tài khoản"),
    "user.deactivate": _("Khóa tài khoản"),
    "user.unlock": _("Mở khóa đăng nhập sau nhiều lần sai mật khẩu"),
    "user.2fa_enable": _("Bật xác thực hai lớp"),
    "user.2fa_backup_codes": _("Tạo lại mã dự phòng"),
    "user.2fa_remove": _("Gỡ xác thực hai lớp"),
    "user.2fa_reset": _("Đặt lại xác thực hai lớp của người dùng"),
    "role.grant": _("Giao vai trò"),
    "role.end": _("Kết thúc vai trò"),
    "token.create": _("Cấp mã truy cập API"),
    "token.revoke": _("Thu hồi một mã truy cập API"),
    "token.revoke_all": _("Thu hồi tất cả mã truy cập API"),
    # units and people
    "organisation.create": _("Tạo tổ chức với các cấp của nó"),
    "unit.create": _("Tạo đơn vị"),
    "unit.update": _("Sửa thông tin đơn vị"),
    "unit.close": _("Đóng đơn vị, ghi đơn vị kế thừa"),
    "unit.rename": _("Đổi tên đơn vị, giữ tên cũ theo thời gian"),
    "pair.create": _("Ghép cặp đơn vị phối hợp"),
    "pair.end": _("Kết thúc ghép cặp đơn vị phối hợp"),
    "person.create": _("Thêm người"),
    "person.update": _("Sửa thông tin người"),
    "person.publicise": _("Đánh dấu nhân vật công khai"),
    "person.unpublicise": _("Bỏ đánh dấu nhân vật công khai"),
    "person.anonymise": _("Ẩn danh hoá dữ liệu cá nhân"),
    "personal_data.export": _("Tải xuống dữ liệu có thông tin cá nhân"),
    # programmes
    "programme.create": _("Tạo chương trình phối hợp với các bên"),
    "programme.update": _("Sửa chương trình"),
    "phase.create": _("Tạo giai đoạn"),
    "phase.update": _("Sửa giai đoạn"),
    "phase.status": _("Chuyển trạng thái giai đoạn"),
    "phase.sign": _("Ký kết giai đoạn mới"),
    "signing.update": _("Sửa thông tin ký kết"),
    "target.set": _("Giao chỉ tiêu"),
    "field.create": _("Tạo lĩnh vực"),
    "field.save": _("Lưu lĩnh vực"),
    "indicator.create": _("Tạo chỉ tiêu"),
    "indicator.save": _("Lưu chỉ tiêu"),
    "field.update": _("Sửa lĩnh vực"),
    "indicator.update": _("Sửa chỉ tiêu"),
    "signatory.add": _("Thêm người ký của cơ quan"),
    # activities and figures
    "activity.create": _("Tạo hoạt động"),
    "activity.create_submit": _("Tạo hoạt động và gửi lên cấp trên"),
    "activity.update": _("Sửa hoạt động"),
    "activity.delete": _("Xóa hoạt động"),
    "activity.status": _("Đổi trạng thái hoạt động"),
    "activity.submit": _("Gửi hoạt động lên cấp trên"),
    "activity.approve": _("Duyệt hoạt động"),
    "activity.return": _("Trả lại hoạt động"),
    "activity.withdraw": _("Rút lại hoạt động đã gửi để sửa"),
    "activity.partners": _("Đổi đơn vị phối hợp"),
    "activity.import": _("Nhập hoạt động từ tệp Excel/CSV"),
    "activity.values": _("Ghi số liệu của hoạt động"),
    "attachment.add": _("Thêm tệp đính kèm"),
    "attachment.delete": _("Xóa tệp đính kèm"),
    "figures.enter": _("Nhập số liệu theo kỳ"),
    "lock.create": _("Khóa số liệu"),
    "lock.reopen": _("Mở khóa số liệu"),
    "lock.approve_values": _("Số liệu trong kỳ khóa được tính là đã duyệt"),
    "lock.recount_values": _("Tính lại số liệu đã duyệt sau khi mở khóa"),
    # records
    "practice_model.save": _("Lưu mô hình"),
    "replication.add": _("Ghi nhận nhân rộng mô hình"),
    "replication.remove": _("Bỏ ghi nhận nhân rộng"),
    "exchange.send": _("Gửi thông tin"),
    "exchange.read": _("Đọc thông tin được gửi tới"),
    "note.save": _("Lưu bài học, đề xuất"),
    "record.delete": _("Xóa bản ghi"),
    # reporting
    "period.save": _("Lưu kỳ báo cáo"),
    "period.generate": _("Tạo các kỳ báo cáo mặc định"),
    "request.create": _("Yêu cầu báo cáo"),
    "request.delete": _("Bỏ yêu cầu báo cáo"),
    "request.remind": _("Nhắc hạn gửi báo cáo"),
    "report.open": _("Mở báo cáo"),
    "report.save": _("Lưu báo cáo"),
    "report.submit": _("Gửi báo cáo"),
    "report.approve": _("Duyệt báo cáo"),
    "report.approve_side": _("Duyệt phần của một bên (báo cáo chung)"),
    "report.return": _("Trả lại báo cáo"),
    "report.reopen": _("Mở lại báo cáo đã duyệt"),
    "report.delete": _("Xóa báo cáo"),
    "report.scan_upload": _("Tải lên bản ký"),
    "template.upload": _("Tải lên mẫu văn bản"),
    "template.set_active": _("Bật, tắt mẫu văn bản"),
    "register.take": _("Lấy số văn bản đi"),
    "register.attach": _("Gắn số văn bản đi với văn bản"),
    "register.cancel": _("Hủy số văn bản đi"),
    # electronic signatures
    "certificate.upload": _("Tải lên chứng thư số của cơ quan"),
    "certificate.set_active": _("Bật, tắt chứng thư số của cơ quan"),
    "trusted_root.add": _("Thêm chứng thư gốc tin cậy"),
    "trusted_root.set_active": _("Bật, tắt chứng thư gốc tin cậy"),
    # conferences
    "conference.save": _("Lưu hội nghị"),
    "conference.source": _("Ghi bài viết nguồn của hội nghị"),
    "conference.cochair_add": _("Thêm đồng chủ trì"),
    "conference.cochair_update": _("Sửa đồng chủ trì"),
    "conference.delegate_add": _("Thêm đại biểu"),
    "conference.delegate_update": _("Sửa đại biểu"),
    "conference.paper_save": _("Lưu tham luận"),
    "conference.agenda_add": _("Thêm mục chương trình hội nghị"),
    "conference.agenda_update": _("Sửa mục chương trình hội nghị"),
    "conference.speech_add": _("Thêm bài phát biểu"),
    "conference.speech_update": _("Sửa bài phát biểu"),
    "conference.row_remove": _("Bỏ khỏi hội nghị"),
    "conference.signing_link": _("Gắn lễ ký kết với hội nghị"),
    "proposal.adopt": _("Tiếp thu đề xuất"),
    # commendations
    "awards.load": _("Nạp danh mục khen thưởng"),
    "nomination.create": _("Lập đề nghị khen thưởng"),
    "nomination.edit": _("Sửa đề nghị"),
    "nomination.report_generate": _("Soạn lại báo cáo thành tích"),
    "nomination.delete": _("Xóa đề nghị"),
    "nomination.submit": _("Gửi đề nghị"),
    "nomination.endorse": _("Đồng ý, trình cấp trên"),
    "nomination.return": _("Trả lại đề nghị"),
    "nomination.reject": _("Không đề nghị"),
    "nomination.decide": _("Quyết định khen thưởng"),
    "nomination.file_add": _("Thêm tệp hồ sơ"),
    "nomination.file_remove": _("Bỏ tệp hồ sơ"),
    "decision.create": _("Ra quyết định khen thưởng"),
    # imports from Excel and CSV files (the pages, the API)
    "import.check": _("Gửi tệp để kiểm tra trước khi nhập dữ liệu"),
    "import.start": _("Gửi tệp để nhập dữ liệu"),
    "import.export": _("Xuất dữ liệu theo mẫu nhập"),
    "import.run": _("Nhập dữ liệu từ tệp Excel/CSV"),
    # the system
    "demo.load": _("Nạp dữ liệu minh họa"),
    "admin.change": _("Quản trị hệ thống sửa"),
    "admin.delete": _("Quản trị hệ thống xóa"),
}


_default: ContextVar[str | None] = ContextVar("phoihop_default_action", default=None)


@contextlib.contextmanager
def default_action(action: str) -> Iterator[None]:
    """Inside, a history row written without an action of its own names ``action`` (the demo
    loader, which creates rows by the thousand, names them all ``demo.load``)."""
    token = _default.set(action)
    try:
        yield
    finally:
        _default.reset(token)


def fill_default_action(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """``pre_create_historical_record`` receiver: give a history row the default action."""
    action = _default.get()
    if action and not history_instance.history_change_reason:
        history_instance.history_change_reason = action


def label_of(action: str) -> str:
    return str(LABELS.get(action, action))


def parse(change_reason: str | None) -> tuple[str, str]:
    """(action, reason) of a history row's change reason ("activity.return\\nThiếu ảnh")."""
    if not change_reason:
        return "", ""
    action, _sep, reason = change_reason.partition("\n")
    return action, reason


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    unit: Any = None,
    reason: str = "",
    count: int = 0,
    details: dict[str, Any] | None = None,
) -> Any:
    """One row of the action log, for a write that changed ``count`` rows at once."""
    from phoihop.audit.models import ActionLog

    return ActionLog.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        unit=unit,
        reason=reason.strip(),
        count=count,
        details=details or {},
    )
