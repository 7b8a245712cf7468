"""Word templates cannot run code (issue 12, item 1).

The known Jinja escapes are refused when a template is uploaded (``check_template``, the page),
with a Vietnamese message naming the tag, and nothing is stored. A template that got into the
database without the check (an older upload) renders in the sandbox: the payload stays inert or
the document is refused with a clear message, and the shell command in it never runs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docxtpl import DocxTemplate

from phoihop.documents import builders, sandbox
from phoihop.documents.builders import TemplateFailed, build_docx, check_template, default_template
from phoihop.documents.samples import sample_document
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Programme
from phoihop.reporting import services
from phoihop.reporting.models import DocumentTemplate, Report


def template_with(line: str, kind: str = "association") -> bytes:
    """The shipped template with one more paragraph holding ``line``."""
    document = Document(io.BytesIO(default_template(kind)))
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def payloads(marker: Path) -> list[tuple[str, str]]:
    """(payload, what the refusal names). Those that would run a command create ``marker``."""
    shell = f"touch {marker}"
    return [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
        (f"{{{{ cycler.__init__.__globals__.os.popen('{shell}').read() }}}}", "cycler"),
        ("{{ self._TemplateReference__context }}", "self"),
        ("{{ request.application.__globals__ }}", "request"),
        (f"{{{{ lipsum.__globals__['os'].popen('{shell}').read() }}}}", "lipsum"),
        (f"{{{{ joiner.__init__.__globals__.os.popen('{shell}').read() }}}}", "joiner"),
        (f"{{{{ namespace.__init__.__globals__.os.popen('{shell}').read() }}}}", "namespace"),
        ("{{ doc|attr('__class__') }}", "attr"),
        ("{{ doc|attr('__cl' ~ 'ass__') }}", "attr"),
        ("{{ '{0.__class__.__mro__}'.format(doc) }}", "format"),
        ("{{ '%s'|format(doc) }}", "format"),
        ("{{ '%s' % doc }}", "%"),
        ("{{ doc.__class__.__init__.__globals__ }}", "__class__"),
        ("{{ signer['__class__'] }}", "__class__"),
        ("{{ doc.bodies|map(attribute='__class__')|list }}", "map"),
        ("{% set x = doc %}{{ x.__dict__ }}", "__dict__"),
        ("{{ recipients.append('x') }}", "recipients.append"),
        ("{{ range(100000000)|list }}", "range"),
        ("{% import 'os' as os %}", "{% import %}"),
        ("{% from 'os' import popen %}", "import"),
        ("{% include '/etc/passwd' %}", "{% include %}"),
        ("{% extends '/etc/passwd' %}", "{% extends %}"),
        ("{% macro m() %}x{% endmacro %}", "{% macro %}"),
        ("{% set loop = 1 %}", "loop"),
    ]


PAYLOAD_COUNT = len(payloads(Path("/x")))


# --- the payloads are live: the plain environment of before ran them --------------------------------


def test_the_payload_runs_a_command_in_plain_jinja(tmp_path: Path) -> None:
    """The control: rendered as before (plain ``jinja2.Environment``), the payload runs ``touch``.
    So the tests below, which find no file, show the sandbox at work."""
    marker = tmp_path / "pwned-plain"
    payload = payloads(marker)[1][0]
    tpl = DocxTemplate(io.BytesIO(template_with(payload)))
    tpl.render(builders.template_context(sample_document()), jinja2.Environment(autoescape=True))
    assert marker.exists()


# --- refused when uploaded ------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(PAYLOAD_COUNT))
def test_escape_payload_is_refused_at_upload(index: int, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload, named = payloads(marker)[index]
    with pytest.raises(ValidationError) as error:
        check_template(template_with(payload))
    message = error.value.messages[0]
    assert message.startswith(("Mẫu không được chấp nhận: ", "Mẫu không hợp lệ: ")), message
    assert named in message, message
    assert not marker.exists()


def test_refusal_names_the_tag_and_the_paragraph() -> None:
    with pytest.raises(ValidationError) as error:
        check_template(template_with("Kính gửi: {{ cycler }}"))
    message = error.value.messages[0]
    assert "biến «cycler» không có trong dữ liệu báo cáo" in message
    assert "Kính gửi:" in message  # the paragraph it stands in


@pytest.mark.parametrize(
    "line",
    [
        "Có {{ doc.annexes|length }} phụ lục; {{ issuers|map(attribute='name')|join(', ') if false else '' }}",
        "{% for r in recipients %}{{ loop.index }}. {{ r|upper }}{{ loop.cycle(';', '.') }}{% endfor %}",
        "{% set first = signers|first %}{{ first.name|default('(chưa ký)') }} – {{ subject|truncate(30) }}",
        "{% if joint and signer_left.title is defined %}{{ signer_left.title|title }}{% endif %}",
        "Dòng ký: ________________ {{ doc.bodies[0].name|lower }}",
    ],
)
def test_ordinary_tags_are_accepted(line: str) -> None:
    if "map(" in line:
        with pytest.raises(ValidationError):  # map reaches attributes by name: not offered
            check_template(template_with(line))
        return
    template = template_with(line)
    check_template(template)
    build_docx(sample_document(), template)


def test_the_variables_checked_are_those_the_builder_gives() -> None:
    assert set(builders.template_context(sample_document())) == sandbox.TEMPLATE_VARIABLES


def test_headers_footers_and_properties_are_checked_too() -> None:
    document = Document(io.BytesIO(default_template("state")))
    document.sections[0].footer.add_paragraph("{{ cycler.__init__ }}")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(ValidationError, match="cycler"):
        check_template(out.getvalue())
    document = Document(io.BytesIO(default_template("state")))
    document.core_properties.title = "{{ self.__init__ }}"
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(ValidationError, match="self"):
        check_template(out.getvalue())


# --- inert when rendered anyway ----------------------------------------------------------------------


@pytest.mark.parametrize("index", range(PAYLOAD_COUNT))
def test_a_stored_payload_renders_inert(index: int, tmp_path: Path) -> None:
    """Bypassing the upload check (a template stored before it): the sandbox blocks the escape."""
    marker = tmp_path / "pwned"
    payload, _named = payloads(marker)[index]
    try:
        out = build_docx(sample_document(), template_with(payload))
    except TemplateFailed as failed:
        assert "quản trị hệ thống" in str(failed)
    else:
        text = "\n".join(p.text for p in Document(io.BytesIO(out)).paragraphs)
        for leak in ("<class", "__globals__", "function", "module", "uid=", "TemplateReference", "<built-in"):
            assert leak not in text
    assert not marker.exists()


# --- through the page ------------------------------------------------------------------------------


def _template_files(media: Path) -> list[Path]:
    return [p for p in (media / "templates").rglob("*") if p.is_file()] if (media / "templates").exists() else []


@pytest.mark.django_db
def test_the_upload_page_refuses_a_payload_and_stores_nothing(
    client_as: Callable[[str], Client], tmp_path: Path, settings: Any
) -> None:
    media = Path(settings.MEDIA_ROOT)
    before = _template_files(media)
    marker = tmp_path / "pwned"
    admin = client_as("admin")
    for payload, named in payloads(marker)[:8]:
        response = admin.post(
            reverse("reporting:template-upload"),
            {"kind": "association", "file": SimpleUploadedFile("mau.docx", template_with(payload)), "note": ""},
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Mẫu không được chấp nhận" in page and named in page
    assert not DocumentTemplate.objects.exists()
    assert _template_files(media) == before
    assert not marker.exists()


@pytest.mark.django_db
def test_a_stored_payload_gives_a_clear_message_on_the_report_page(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    payload = f"{{{{ doc.__class__.__init__.__globals__['os'].popen('touch {marker}').read() }}}}"
    stored = DocumentTemplate(kind="association", version=1, uploaded_by=demo_user("admin"))
    stored.file.save("association.docx", ContentFile(template_with(payload)), save=False)
    stored.save()  # straight into the database, as an upload from before the check
    period = services.period_save(
        programme=Programme.objects.get(code="QDND-CCB"),
        data={
            "name": "Quý thử mẫu văn bản",
            "kind": "other",
            "report_type": "thematic",
            "start": date(2026, 8, 15),
            "end": date(2026, 11, 14),
            "due_date": max(date(2026, 12, 31), timezone.localdate() + timedelta(days=30)),
        },
        acting_user=demo_user("admin"),
    )
    report: Report = services.report_open(
        period=period, unit=OrgUnit.objects.get(code="CCB-X00070"), acting_user=demo_user("hoankiem.ccb")
    )
    client = client_as("hoankiem.ccb")
    response = client.get(reverse("reporting:report-document", kwargs={"pk": report.pk, "fmt": "docx"}))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "Mẫu văn bản đang dùng có thẻ Jinja bị chặn vì không an toàn" in response.content.decode()
    assert not marker.exists()
