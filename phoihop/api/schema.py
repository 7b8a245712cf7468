"""The OpenAPI schema's common parts, added after drf-spectacular has built it (a postprocessing hook).

Every operation declares the errors it can answer, with one error schema, and every POST the
``Idempotency-Key`` header (phoihop/api/idempotency.py):

* 401 and 403 on every operation that needs a signed-in user (403 also: a password to change,
  a CSRF token missing from a session request, an action the user may not take);
* 404 on every operation with a path parameter (a record missing or out of scope) or query
  parameters (a unit or period a parameter names not found; a page past the end);
* 400 on every operation with a body or query parameters, and on every write (a rule refusing
  it, a DELETE included; a malformed ``Idempotency-Key``);
* 409 on writes (someone saved the record meanwhile; a retry meeting its first request still
  running) and 422 on POST (an ``Idempotency-Key`` reused for another request);
* 412 and 428 on PUT and PATCH (``If-Match`` stale or missing);
* 429 on the token endpoint (too many failed sign-ins);
* 503 on document downloads (a server tool such as LibreOffice missing).

An answer an operation declares itself is kept as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phoihop.api.idempotency import HEADER, MAX_KEY_LENGTH

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"
WRITE_METHODS = {"post", "put", "patch", "delete"}
METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}
BINARY_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
}


def _descriptions() -> dict[int, str]:
    return {
        400: _("Dữ liệu gửi lên hoặc tham số không hợp lệ (thông báo theo từng trường)."),
        401: _("Chưa đăng nhập, hoặc mã truy cập (token) sai hay đã hết hạn."),
        403: _("Không có quyền; phải đổi mật khẩu trước; hoặc thiếu mã chống giả mạo (CSRF) khi dùng phiên đăng nhập."),
        404: _("Không tìm thấy (không có, hoặc nằm ngoài phạm vi của người dùng); hoặc trang vượt quá số trang."),
        409: _(
            "Xung đột: bản ghi đã được người khác lưu trong lúc này, hoặc yêu cầu cùng Idempotency-Key đang được xử lý."
        ),
        412: _("Phiên bản trong If-Match đã cũ: bản ghi đã được lưu sau lần đọc; hãy đọc lại rồi sửa."),
        422: _("Idempotency-Key đã được dùng cho một yêu cầu khác."),
        428: _("Thiếu tiêu đề If-Match (ETag của lần đọc bản ghi)."),
        429: _("Đăng nhập sai quá nhiều lần: tài khoản hoặc địa chỉ tạm bị khóa; hãy thử lại sau."),
        503: _("Máy chủ tạm thời không làm được việc này (ví dụ thiếu công cụ chuyển sang PDF); hãy thử lại sau."),
    }


def _response(code: int) -> dict[str, Any]:
    schema = FIELD_ERRORS if code == 400 else ERROR
    return {
        "description": _descriptions()[code],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _idempotency_parameter() -> dict[str, Any]:
    return {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
        "description": _(
            "Khóa do máy khách tự đặt (nên dùng UUID) để gửi lại an toàn: một yêu cầu gửi lại với cùng "
            "khóa trong 24 giờ nhận lại đúng câu trả lời đầu tiên và không ghi thêm gì. Cùng khóa mà khác "
            "nội dung: 422."
        ),
    }


def _codes(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    codes: set[int] = set()
    security = operation.get("security")
    if security and {} not in security:
        codes |= {401, 403}
    parameters = operation.get("parameters", [])
    if "{" in path:
        codes.add(404)
    if any(p.get("in") == "query" for p in parameters):
        # A malformed parameter; a record a parameter names not found, or a page past the end.
        codes |= {400, 404}
    if "requestBody" in operation or method in WRITE_METHODS:
        # A write refused by a rule (a DELETE of an approved record, too).
        codes.add(400)
    if method in WRITE_METHODS:
        codes.add(409)
    if method == "post":
        codes.add(422)
    if method in {"put", "patch"}:
        codes |= {412, 428}
    if path.rstrip("/").endswith("/auth/token"):
        codes.add(429)
    ok = operation.get("responses", {}).get("200", {})
    if BINARY_TYPES & set(ok.get("content", {})):
        codes.add(503)
    return codes


def declare_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        ERROR,
        {
            "type": "object",
            "properties": {"detail": {"type": "string", "description": _("Thông báo lỗi")}},
            "required": ["detail"],
            "additionalProperties": True,
        },
    )
    schemas.setdefault(
        FIELD_ERRORS,
        {
            "type": "object",
            "description": _("Lỗi theo từng trường: tên trường (hoặc non_field_errors, detail) và các thông báo."),
            "additionalProperties": True,
        },
    )
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(_codes(path, method, operation)):
                responses.setdefault(str(code), _response(code))
            if method == "post" and operation.get("security") and {} not in operation["security"]:
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("in") == "header" and p.get("name") == HEADER for p in parameters):
                    parameters.append(_idempotency_parameter())
    return result
