"""The kinds of notice, their Vietnamese names and how each is delivered unless a user chooses
otherwise (docs/adr/0013-notices.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SUBMITTED = "submitted", _("Có việc gửi lên chờ tôi duyệt")
    RETURNED = "returned", _("Việc của tôi bị trả lại")
    APPROVED = "approved", _("Việc của tôi được duyệt")
    REQUEST_RECEIVED = "request_received", _("Đơn vị nhận yêu cầu báo cáo")
    REQUEST_DUE = "request_due", _("Báo cáo sắp đến hạn (còn 3 ngày)")
    REQUEST_LATE = "request_late", _("Báo cáo đã quá hạn")
    NOMINATION_RECEIVED = "nomination_received", _("Đề nghị khen thưởng gửi tới đơn vị")
    NOMINATION_DECIDED = "nomination_decided", _("Đề nghị khen thưởng đã có kết quả")
    EXCHANGE_RECEIVED = "exchange_received", _("Đơn vị nhận thông tin trao đổi")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Ngay lập tức")
    DIGEST = "digest", _("Tổng hợp hằng ngày")
    NONE = "none", _("Không gửi")


# What needs the user's hand now is mailed at once; the rest waits for the morning's digest.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.SUBMITTED: Delivery.IMMEDIATE,
    Kind.RETURNED: Delivery.IMMEDIATE,
    Kind.APPROVED: Delivery.DIGEST,
    Kind.REQUEST_RECEIVED: Delivery.DIGEST,
    Kind.REQUEST_DUE: Delivery.DIGEST,
    Kind.REQUEST_LATE: Delivery.DIGEST,
    Kind.NOMINATION_RECEIVED: Delivery.DIGEST,
    Kind.NOMINATION_DECIDED: Delivery.DIGEST,
    Kind.EXCHANGE_RECEIVED: Delivery.DIGEST,
}

# Icons of the bell's list (Bootstrap Icons).
ICONS: dict[str, str] = {
    Kind.SUBMITTED: "bi-inbox",
    Kind.RETURNED: "bi-arrow-return-left",
    Kind.APPROVED: "bi-check2-circle",
    Kind.REQUEST_RECEIVED: "bi-file-earmark-text",
    Kind.REQUEST_DUE: "bi-alarm",
    Kind.REQUEST_LATE: "bi-exclamation-triangle",
    Kind.NOMINATION_RECEIVED: "bi-award",
    Kind.NOMINATION_DECIDED: "bi-award-fill",
    Kind.EXCHANGE_RECEIVED: "bi-envelope",
}
