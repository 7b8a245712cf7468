"""Pages of electronic signatures: the bodies' certificates (system administrators) and the
signature check of an uploaded PDF (every signed-in user)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core.permissions import perms
from phoihop.esign import services
from phoihop.esign.forms import CertificateUploadForm, TrustedRootForm, VerifyForm
from phoihop.esign.models import BodyCertificate, TrustedRoot
from phoihop.esign.verify import verify_pdf

MAX_KEY_FILE = 64 * 1024
MAX_IMAGE_FILE = 512 * 1024


def _admin_only(request: HttpRequest) -> None:
    if not perms(request.user).is_system_admin:  # key material: system administrators only
        raise Http404


def _page(
    request: HttpRequest, form: CertificateUploadForm, root_form: TrustedRootForm, status: int = 200
) -> HttpResponse:
    certificates = (
        BodyCertificate.objects.restrict(request.user, "view")
        .select_related("unit", "uploaded_by")
        .defer("p12_encrypted", "passphrase_encrypted", "image")
        .order_by("unit__name", "kind", "-valid_to")
    )
    roots = TrustedRoot.objects.restrict(request.user, "view").defer("der").order_by("subject")
    context = {"certificates": certificates, "roots": roots, "form": form, "root_form": root_form}
    return render(request, "esign/certificate_list.html", context, status=status)


@login_required
@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    return _page(request, CertificateUploadForm(user=request.user), TrustedRootForm())


@login_required
@require_POST
def certificate_upload(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    form = CertificateUploadForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        image = form.cleaned_data["image"]
        try:
            certificate = services.certificate_upload(
                unit=unit,
                kind=form.cleaned_data["kind"],
                p12_bytes=form.cleaned_data["file"].read(MAX_KEY_FILE + 1),
                passphrase=form.cleaned_data["passphrase"],
                person_name=form.cleaned_data["person_name"],
                person_title=form.cleaned_data["person_title"],
                image=image.read(MAX_IMAGE_FILE + 1) if image else b"",
                acting_user=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error("file", exc)
        else:
            messages.success(
                request, _("Đã lưu chứng thư số %(cert)s của %(unit)s.") % {"cert": certificate, "unit": unit}
            )
            return redirect("esign:certificate-list")
    return _page(request, form, TrustedRootForm())


@login_required
@require_POST
def certificate_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    certificate = get_object_or_404(BodyCertificate.objects.restrict(request.user, "change"), pk=pk)
    services.certificate_set_active(certificate=certificate, active=not certificate.is_active, acting_user=request.user)
    messages.success(request, _("Đã cập nhật chứng thư số %(cert)s.") % {"cert": certificate})
    return redirect("esign:certificate-list")


@login_required
@require_POST
def root_add(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    form = TrustedRootForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            root = services.trusted_root_add(
                data=form.cleaned_data["file"].read(MAX_KEY_FILE + 1),
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Đã thêm chứng thư gốc tin cậy %(root)s.") % {"root": root})
            return redirect("esign:certificate-list")
    return _page(request, CertificateUploadForm(user=request.user), form)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a signed PDF and read what its signatures say (nothing is kept)."""
    result = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = verify_pdf(form.cleaned_data["file"])
    else:
        form = VerifyForm()
    return render(
        request,
        "esign/verify.html",
        {"form": form, "result": result, "is_admin": perms(request.user).is_system_admin},
    )
