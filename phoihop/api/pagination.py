"""Pages of every API list: ``?page=`` (from 1) and ``?page_size=`` (up to 500).

A page number that is not a whole number from 1 is a 400, a page past the end a 404, both in
Vietnamese (DRF answers 404 "Invalid page." to both).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from phoihop.api.filtersets import BIGINT_MAX


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            text = str(raw).strip()
            if not (text.isascii() and text.isdigit() and 1 <= int(text) <= BIGINT_MAX):
                raise ValidationError({self.page_query_param: [_("Số trang phải là một số nguyên từ 1 trở lên.")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise NotFound(_("Không có trang này.")) from exc

    def get_page_size(self, request: Any) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            text = str(raw).strip()
            if not (text.isascii() and text.isdigit() and 1 <= int(text) <= BIGINT_MAX):
                raise ValidationError(
                    {
                        self.page_size_query_param: [
                            _("Số dòng mỗi trang phải là một số nguyên từ 1 đến %(max)d.") % {"max": self.max_page_size}
                        ]
                    }
                )
        return super().get_page_size(request)
