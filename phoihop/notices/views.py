"""The notices page, the bell's list, opening a notice, and the user's delivery preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.notices.kinds import DEFAULT_DELIVERY, Delivery, Kind
from phoihop.notices.models import Notice, NoticePreference
from phoihop.notices.services import mark_read, preferences_set

PAGE_SIZE = 30
BELL_SIZE = 5


def _own(request: HttpRequest) -> QuerySet[Notice]:
    return Notice.objects.restrict(request.user, "view")  # type: ignore[no-any-return]


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    only_unread = request.GET.get("unread") == "1"
    notices = _own(request)
    unread_count = notices.unread().count()  # type: ignore[attr-defined]
    if only_unread:
        notices = notices.unread()  # type: ignore[attr-defined]
    page = Paginator(notices.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[attr-defined]
    return render(
        request,
        "notices/list.html",
        {
            "page": page,
            "unread_count": unread_count,
            "only_unread": only_unread,
            "query": "unread=1" if only_unread else "",
        },
    )


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's dropdown (htmx, when it opens): the latest notices."""
    latest = list(_own(request).order_by("-created_at", "-pk")[:BELL_SIZE])  # type: ignore[attr-defined]
    return render(request, "notices/_bell_items.html", {"latest": latest})


@login_required
@require_GET
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notice: it is read now, and the user goes to what it is about."""
    notice = get_object_or_404(_own(request), pk=pk)
    if notice.read_at is None:
        mark_read(user=request.user, notice_ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("notices:list")


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notices:list")


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(_own(request), pk=pk)
    mark_read(user=request.user, notice_ids=[notice.pk])
    return _back(request)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    marked = mark_read(user=request.user)
    if marked:
        messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": marked})
    return _back(request)


class PreferencesForm(forms.Form):
    """One choice of delivery per kind of notice."""

    def __init__(self, *args: object, initial_choices: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_choices[kind],
                widget=forms.RadioSelect,
            )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    chosen = dict(NoticePreference.objects.restrict(request.user, "view").values_list("kind", "delivery"))
    current = {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind.values}
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notices:preferences")
    rows = [(form[kind], DEFAULT_DELIVERY[kind]) for kind in Kind.values]
    return render(
        request,
        "notices/preferences.html",
        {"form": form, "rows": rows, "deliveries": Delivery, "has_email": bool(getattr(request.user, "email", ""))},
    )
