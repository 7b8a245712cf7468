"""Signing a PDF with PAdES (pyHanko): the signer's signature on the signature block, the body's
seal signature at the top right of the first page, and the document locked.

``sign_pdf(pdf, unit=...)`` signs with the issuing body's current certificates:

1. the signer's certificate ("signer"): its field lies over the space between the signer's
   title and name, where the name is last printed (found with pdfminer; annexes may follow the
   signature block), or at the bottom right of the last page when the name is not found. It
   shows the signer's signature image (when uploaded) and the name, the body and the time
   (ISO 8601, Vietnam's time zone);
2. the body's seal certificate ("seal"), when there is one: a field of the seal's actual size
   (about 36 mm) on the signer's page, covering the left third of the signer's signature image
   (DOMAIN.md, Decree 30 Appendix I), showing the seal image (without one: the body, the
   document's number and the time). A widget drawn after another lies over it, so the seal
   lies over the signature as a stamp lies over ink.

A joint document: each body's signer, then each body's seal over its own signer's. The first
signature certifies (DocMDP) with "no changes" when it is the only one, else
"fill in forms and sign" (every field is made with it, empty); the last signature's field
carries the lock (FieldMDP "all", DocMDP "no changes"), so nothing may change after it. Any
later change, or one changed byte, breaks validation. PAdES B-B; B-T when ``PHOIHOP_TSA_URL``
names a timestamp authority (none by default: signing never needs the network).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec
from pyhanko.stamp import TextStampStyle

from phoihop.esign import vault
from phoihop.esign.models import BodyCertificate, CertificateKind
from phoihop.esign.permissions import SIGNING_KEY
from phoihop.orgunits.models import OrgUnit

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SIGNER_FIELD = "ChuKyNguoiKy"
SEAL_FIELD = "ChuKyCoQuan"
# Times New Roman where installed, else its metric twin Liberation Serif (fonts-liberation2).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
SIGNER_BOX_WIDTH = 190.0
SIGNER_BOX_HEIGHT = 72.0
MAX_PAGES_SEARCHED = 60


class SigningUnavailable(Exception):
    """The body has no certificate to sign with (or it cannot be read): a Vietnamese message."""


@dataclass(frozen=True)
class Box:
    x1: float
    y1: float
    x2: float
    y2: float

    def ints(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


def current_certificates(unit: OrgUnit) -> dict[str, BodyCertificate]:
    """The body's newest active certificate in force of each kind ("signer", "seal")."""
    now = timezone.now()
    rows = (
        BodyCertificate.objects.unrestricted(SIGNING_KEY)
        .filter(unit=unit, is_active=True, valid_from__lte=now, valid_to__gte=now)
        .order_by("kind", "-valid_to", "-pk")
    )
    found: dict[str, BodyCertificate] = {}
    for row in rows:
        found.setdefault(row.kind, row)
    return found


def iso_vietnam(when: datetime) -> str:
    """ "2026-11-27T09:00:00+07:00": the signing time as the rules for electronic documents write it."""
    return when.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def font_file() -> str | None:
    """A TrueType font for the visible signature's text, scaled to 1000 units per em.

    pyHanko writes a TrueType font's glyph widths as they are in the font, while PDF reads them
    in thousandths of an em: with Times New Roman or Liberation Serif (2048 units per em) the
    letters would stand twice as far apart. A copy scaled with fontTools is kept once per
    font in the temporary folder."""
    configured = getattr(settings, "PHOIHOP_SIGNATURE_FONT", "")
    for candidate in (configured, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return _scaled_font(candidate)
    return None


@functools.cache
def _scaled_font(path: str) -> str:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    stat = Path(path).stat()
    key = hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"phoihop-signature-font-{key}.ttf"
    if not target.is_file():
        font = TTFont(path)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        if "FFTM" in font:  # FontForge's timestamps: the subsetter cannot keep them and says so
            del font["FFTM"]
        handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".ttf")
        with os.fdopen(handle, "wb") as out:
            font.save(out)
        os.replace(partial, target)  # atomic: another process may be writing the same copy
    return str(target)


# --- where the signature goes ----------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def _page_lines(pdf: bytes, page_index: int) -> tuple[list[tuple[str, float, float, float, float]], float, float]:
    """The text lines of one page with their boxes (PDF coordinates), and the page's size."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    lines: list[tuple[str, float, float, float, float]] = []
    width = height = 0.0
    for page in extract_pages(io.BytesIO(pdf), page_numbers=[page_index], laparams=LAParams()):
        width, height = float(page.width), float(page.height)
        stack: list[Any] = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                lines.append((item.get_text(), item.x0, item.y0, item.x1, item.y1))
            elif isinstance(item, LTTextContainer):
                stack.extend(item)
    return lines, width, height


def _box_over(lines: list[tuple[str, float, float, float, float]], hit: tuple, width: float) -> Box:
    """Over the space between the signer's title and name, centred on the name."""
    _text, x0, _y0, x1, y1 = hit
    centre = (x0 + x1) / 2
    # The title: the nearest line above the name, centred on about the same axis.
    above = [line for line in lines if line[2] >= y1 - 1 and abs((line[1] + line[3]) / 2 - centre) < 60]
    top = min((line[2] for line in above), default=y1 + SIGNER_BOX_HEIGHT)
    bottom = y1 + 1
    if top - bottom < 40:  # little room: overlap the name rather than shrink the signature away
        top = bottom + 40
    left = min(max(centre - SIGNER_BOX_WIDTH / 2, 10), width - 10 - SIGNER_BOX_WIDTH)
    return Box(left, bottom, left + SIGNER_BOX_WIDTH, min(top - 1, bottom + 110))


def locate_signer(pdf: bytes, name: str, page_count: int, last_size: tuple[float, float]) -> tuple[int, Box]:
    """The page and box of the signer's signature: over the last place the signer's name is
    printed (the signature block ends the body; annexes may follow it), looking back from the
    last page over at most ``MAX_PAGES_SEARCHED`` pages; else the bottom right of the last page."""
    wanted = _norm(name)
    if wanted:
        for page_index in range(page_count - 1, max(page_count - 1 - MAX_PAGES_SEARCHED, -1), -1):
            try:
                lines, width, _height = _page_lines(pdf, page_index)
            except Exception:  # an unreadable page: look at the others
                continue
            hits = [line for line in lines if wanted in _norm(line[0])]
            if hits:
                return page_index, _box_over(lines, min(hits, key=lambda line: line[2]), width or last_size[0])
    right = last_size[0] - 57
    return page_count - 1, Box(right - SIGNER_BOX_WIDTH, 60, right, 60 + SIGNER_BOX_HEIGHT)


SEAL_SIZE = 102.0  # 36 mm, a round seal's diameter


def seal_box(signer: Box, page_width: float) -> Box:
    """The seal over the left third of the signer's signature box, centred on it in height,
    of the seal's size (within the page)."""
    right = signer.x1 + (signer.x2 - signer.x1) / 3
    left = max(right - SEAL_SIZE, 6.0)
    middle = (signer.y1 + signer.y2) / 2
    bottom = max(middle - SEAL_SIZE / 2, 6.0)
    return Box(left, bottom, min(left + SEAL_SIZE, page_width - 6), bottom + SEAL_SIZE)


# --- appearance ------------------------------------------------------------------------------


def _image(data: bytes) -> Any:
    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage

    image: Image.Image = Image.open(io.BytesIO(data))
    image.load()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    return PdfImage(image)


def _style(*, text: str, image: bytes, font_size: int, text_at_bottom: bool) -> TextStampStyle:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    font = font_file() if text else None  # an image alone: no font to embed (no glyphs to subset)
    box_style: dict[str, Any] = {"font_size": font_size, "leading": font_size + 1}
    if font:
        box_style["font"] = GlyphAccumulatorFactory(font, font_size=font_size)
    options: dict[str, Any] = {
        "stamp_text": text,
        "text_box_style": TextBoxStyle(**box_style),
        "border_width": 0,
        "background_opacity": 1.0,
    }
    if text_at_bottom:
        options["inner_content_layout"] = layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MIN
        )
    if image:
        options["background"] = _image(image)
    return TextStampStyle(**options)


def _plain(text: str) -> str:
    """Without a Unicode font the standard font writes only Latin-1: drop the marks."""
    from phoihop.core.text import fold

    return text if font_file() else fold(text)


# --- signing ---------------------------------------------------------------------------------


def _signer_of(certificate: BodyCertificate) -> signers.SimpleSigner:
    try:
        p12 = vault.decrypt(bytes(certificate.p12_encrypted))
        passphrase = vault.decrypt(bytes(certificate.passphrase_encrypted))
    except vault.UnreadableSecret as exc:
        raise SigningUnavailable(
            _("Không giải mã được chứng thư số của %(unit)s (khóa mã hóa PHOIHOP_CERT_KEY đã đổi?).")
            % {"unit": certificate.unit}
        ) from exc
    return signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=passphrase or None)


def _timestamper() -> Any:
    url = getattr(settings, "PHOIHOP_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign import timestamps

    return timestamps.HTTPTimeStamper(url)


def _sign_once(
    pdf: bytes,
    *,
    certificate: BodyCertificate,
    field_name: str,
    certify: bool,
    docmdp: MDPPerm,
    style: TextStampStyle,
    text_params: dict[str, str],
    reason: str,
    location: str,
    new_fields: list[SigFieldSpec],
) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for spec in new_fields:
        fields.append_signature_field(writer, spec)
    timestamper = _timestamper()
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        name=certificate.person_name or certificate.subject_cn,
        certify=certify,
        docmdp_permissions=docmdp,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        use_pades_lta=False,
    )
    pdf_signer = signers.PdfSigner(meta, _signer_of(certificate), timestamper=timestamper, stamp_style=style)
    out = pdf_signer.sign_pdf(writer, existing_fields_only=True, appearance_text_params=text_params)
    return bytes(out.getvalue())


@dataclass
class _Job:
    certificate: BodyCertificate
    spec: SigFieldSpec
    style: TextStampStyle
    text: str


def sign_pdf(
    pdf: bytes,
    *,
    unit: OrgUnit,
    signer_name: str = "",
    reason: str = "",
    location: str = "",
    when: datetime | None = None,
    number: str = "",
    partners: Sequence[tuple[OrgUnit, str]] = (),
) -> bytes:
    """The PDF signed by the body's signer, then sealed by the body when it has a seal
    certificate. ``signer_name``: the name printed in the signature block, to place the
    signature over it (default: the certificate's person); ``number``: "Số: 01/BC-TCCT", shown
    with the seal; ``partners``: the other bodies of a joint document with their signers'
    names, who sign after the first. Raises ``SigningUnavailable`` when a body has no
    certificate in force."""
    bodies = [(unit, signer_name), *partners]
    when_text = iso_vietnam(when or timezone.now())
    probe = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page_count = int(probe.root["/Pages"]["/Count"])
    last_size = _media_box(probe, page_count - 1)

    signer_jobs: list[_Job] = []
    seal_jobs: list[_Job] = []
    for index, (body, name_wanted) in enumerate(bodies):
        found = current_certificates(body)
        signer, seal = found.get(CertificateKind.SIGNER), found.get(CertificateKind.SEAL)
        if signer is None and seal is None:
            raise SigningUnavailable(
                _("%(unit)s chưa có chứng thư số còn hiệu lực: quản trị hệ thống cần tải lên chứng thư số của cơ quan.")
                % {"unit": body}
            )
        body_name = (seal.subject_o or seal.subject_cn) if seal else (signer.subject_o if signer else "") or str(body)
        name = name_wanted or (signer.person_name or signer.subject_cn if signer else "")
        page_index, box = locate_signer(pdf, name, page_count, last_size)
        if signer is not None:
            signer_jobs.append(
                _Job(
                    certificate=signer,
                    spec=SigFieldSpec(f"{SIGNER_FIELD}{index + 1}", on_page=page_index, box=box.ints()),
                    style=_style(
                        text="%(details)s", image=bytes(signer.image or b""), font_size=7, text_at_bottom=True
                    ),
                    text=_plain(f"{name}\n{signer.subject_o or body_name}\n{when_text}"),
                )
            )
        if seal is not None:
            page_width = _media_box(probe, page_index)[0]
            image = bytes(seal.image or b"")
            seal_jobs.append(
                _Job(
                    certificate=seal,
                    spec=SigFieldSpec(
                        f"{SEAL_FIELD}{index + 1}", on_page=page_index, box=seal_box(box, page_width).ints()
                    ),
                    style=_style(
                        text="%(details)s" if not image else "", image=image, font_size=7, text_at_bottom=False
                    ),
                    # The seal image says whose it is; without one, the body, the number and the time.
                    text="" if image else _plain("\n".join([body_name, *([number] if number else []), when_text])),
                )
            )
    jobs = signer_jobs + seal_jobs
    # The last signature locks the document: after it, no change is allowed (PDF 2.0 /Lock).
    last = jobs[-1]
    last.spec = dataclasses.replace(
        last.spec, field_mdp_spec=FieldMDPSpec(FieldMDPAction.ALL), doc_mdp_update_value=MDPPerm.NO_CHANGES
    )
    out = pdf
    for position, job in enumerate(jobs):
        out = _sign_once(
            out,
            certificate=job.certificate,
            field_name=job.spec.sig_field_name,
            # The first signature certifies (DocMDP): "no changes" when alone, else "fill in
            # forms and sign" so that the fields made with it can be signed after it.
            certify=position == 0,
            # The last one asks for what its field's lock says ("no changes"), so pyHanko has
            # nothing to override (the ones between certify nothing: pyHanko ignores theirs).
            docmdp=MDPPerm.NO_CHANGES if position == len(jobs) - 1 else MDPPerm.FILL_FORMS,
            style=job.style,
            text_params={"details": job.text},
            reason=reason,
            location=location,
            new_fields=[j.spec for j in jobs] if position == 0 else [],
        )
    return out


def _media_box(writer: IncrementalPdfFileWriter, index: int) -> tuple[float, float]:
    page_ref, _resources = writer.find_page_for_modification(index)
    box = page_ref.get_object().get("/MediaBox")
    if box is None:  # inherited from the page tree: A4, as every document here
        return (595.0, 842.0)
    x1, y1, x2, y2 = (float(v) for v in box)
    return (abs(x2 - x1), abs(y2 - y1))
