"""A realistic sample report (illustrative data) for tests, template checks and benchmarks.

``sample_document()`` gives the association's own report; ``joint=True`` the joint report of
the General Political Department and the Veterans' Association. Every number is computed
from fixed formulas, so two calls give the same document.
"""

from __future__ import annotations

from datetime import date

from phoihop.documents.data import BODY_KINDS, AnnexTable, Body, FieldFigures, FigureRow, ReportDocument, Section

# The 63 provinces and cities of the 2017-2022 period (before the 2025 merger), in the usual order.
PROVINCES = [
    "thành phố Hà Nội", "tỉnh Hà Giang", "tỉnh Cao Bằng", "tỉnh Bắc Kạn", "tỉnh Tuyên Quang",
    "tỉnh Lào Cai", "tỉnh Điện Biên", "tỉnh Lai Châu", "tỉnh Sơn La", "tỉnh Yên Bái", "tỉnh Hòa Bình",
    "tỉnh Thái Nguyên", "tỉnh Lạng Sơn", "tỉnh Quảng Ninh", "tỉnh Bắc Giang", "tỉnh Phú Thọ",
    "tỉnh Vĩnh Phúc", "tỉnh Bắc Ninh", "tỉnh Hải Dương", "thành phố Hải Phòng", "tỉnh Hưng Yên",
    "tỉnh Thái Bình", "tỉnh Hà Nam", "tỉnh Nam Định", "tỉnh Ninh Bình", "tỉnh Thanh Hóa", "tỉnh Nghệ An",
    "tỉnh Hà Tĩnh", "tỉnh Quảng Bình", "tỉnh Quảng Trị", "tỉnh Thừa Thiên Huế", "thành phố Đà Nẵng",
    "tỉnh Quảng Nam", "tỉnh Quảng Ngãi", "tỉnh Bình Định", "tỉnh Phú Yên", "tỉnh Khánh Hòa",
    "tỉnh Ninh Thuận", "tỉnh Bình Thuận", "tỉnh Kon Tum", "tỉnh Gia Lai", "tỉnh Đắk Lắk", "tỉnh Đắk Nông",
    "tỉnh Lâm Đồng", "tỉnh Bình Phước", "tỉnh Tây Ninh", "tỉnh Bình Dương", "tỉnh Đồng Nai",
    "tỉnh Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh", "tỉnh Long An", "tỉnh Tiền Giang", "tỉnh Bến Tre",
    "tỉnh Trà Vinh", "tỉnh Vĩnh Long", "tỉnh Đồng Tháp", "tỉnh An Giang", "tỉnh Kiên Giang",
    "thành phố Cần Thơ", "tỉnh Hậu Giang", "tỉnh Sóc Trăng", "tỉnh Bạc Liêu", "tỉnh Cà Mau",
]  # fmt: skip

# (field code, field name, [(indicator code, name, unit of measure, low, high, in the annex)]):
# a province's 5-year value lies between low and high.
FIELDS: list[tuple[str, str, list[tuple[str, str, str, int, int, bool]]]] = [
    ("TTGD", "Tuyên truyền, giáo dục", [
        ("TTGD-01", "Buổi tuyên truyền", "buổi", 300, 1_500, True),
        ("TTGD-02", "Lượt người tham dự", "lượt", 20_000, 120_000, True),
        ("TTGD-03", "Tin, bài trên báo chí, cổng thông tin", "tin, bài", 50, 400, False),
    ]),
    ("XDHT", "Xây dựng hệ thống chính trị cơ sở", [
        ("XDHT-01", "Hội viên được kết nạp mới", "người", 800, 6_000, True),
        ("XDHT-02", "Cán bộ hội được bồi dưỡng, tập huấn", "lượt", 500, 3_000, False),
    ]),
    ("QPAN", "Quốc phòng, an ninh", [
        ("QPAN-01", "Cựu chiến binh tham gia bảo vệ an ninh trật tự ở cơ sở", "người", 1_000, 8_000, True),
        ("QPAN-02", "Vụ việc được hòa giải thành", "vụ", 50, 600, False),
    ]),
    ("TDVD", "Phong trào thi đua, cuộc vận động", [
        ("TDVD-01", "Tập thể được khen thưởng", "tập thể", 20, 200, True),
        ("TDVD-02", "Cá nhân được khen thưởng", "người", 100, 1_200, True),
    ]),
    ("PTKT", "Phát triển kinh tế", [
        ("PTKT-01", "Mô hình kinh tế của cựu chiến binh", "mô hình", 200, 2_500, True),
        ("PTKT-02", "Vốn, quỹ huy động", "triệu đồng", 5_000, 80_000, True),
        ("PTKT-03", "Lao động được tạo việc làm", "người", 1_000, 15_000, True),
    ]),
    ("VH", "Văn hóa", [
        ("VH-01", "Gia đình hội viên đạt danh hiệu gia đình văn hóa", "gia đình", 20_000, 150_000, True),
    ]),
    ("XH", "Xã hội", [
        ("XH-01", "Nhà đồng đội xây mới, sửa chữa", "căn", 10, 120, True),
        ("XH-02", "Sổ tiết kiệm tặng hội viên khó khăn", "sổ", 20, 300, False),
    ]),
    ("GNBV", "Giảm nghèo bền vững", [
        ("GNBV-01", "Hộ hội viên thoát nghèo", "hộ", 100, 2_000, True),
    ]),
    ("NCDS", "Nâng cao đời sống", [
        ("NCDS-01", "Lượt thăm hỏi, tặng quà hội viên", "lượt", 2_000, 20_000, True),
    ]),
]  # fmt: skip

# Phase targets for a few indicators (for the whole country).
TARGETS = {"XH-01": 3_500, "GNBV-01": 50_000, "XDHT-01": 200_000}


def _value(low: int, high: int, unit_no: int, indicator_no: int) -> int:
    """A deterministic value between low and high for a unit and an indicator."""
    step = (unit_no * 7_919 + indicator_no * 104_729 + unit_no * indicator_no * 31) % 1_000
    return low + (high - low) * step // 999


def _unit_names(children: int) -> list[str]:
    names = []
    for i in range(children):
        province = PROVINCES[i % len(PROVINCES)]
        suffix = f" ({i // len(PROVINCES) + 1})" if i >= len(PROVINCES) else ""
        names.append(f"Hội CCB {province}{suffix}")
    return names


def _bodies(kind: str, joint: bool) -> list[Body]:
    army = Body(
        name="Tổng cục Chính trị",
        kind="army",
        parent="Bộ Quốc phòng",
        abbreviation="TCCT",
        number=5 if joint else 15,
        signer_capacity="KT.",
        signer_collective="CHỦ NHIỆM",
        signer_title="PHÓ CHỦ NHIỆM",
        signer_rank="Trung tướng",
        signer_name="Trần Quang Minh",
    )
    association = Body(
        name="Hội Cựu chiến binh Việt Nam",
        kind="association",
        abbreviation="HCCB",
        number=15,
        signer_capacity="TM.",
        signer_collective="BAN THƯỜNG VỤ",
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn Hùng",
    )
    if joint:
        return [army, association]
    if kind == "army":
        return [army]
    if kind == "state":
        return [
            Body(
                name="Ủy ban nhân dân thành phố Hà Nội",
                kind="state",
                abbreviation="UBND",
                number=15,
                signer_capacity="KT.",
                signer_collective="CHỦ TỊCH",
                signer_title="PHÓ CHỦ TỊCH",
                signer_name="Lê Thị Thu Hà",
            )
        ]
    if kind == "party":
        return [
            Body(
                name="Đảng ủy Cơ quan Trung ương Hội Cựu chiến binh Việt Nam",
                kind="party",
                parent="Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương",
                abbreviation="ĐU",
                number=15,
                signer_capacity="T/M",
                signer_collective="ĐẢNG ỦY",
                signer_title="BÍ THƯ",
                signer_name="Phạm Đức Long",
            )
        ]
    return [association]


def sample_document(*, joint: bool = False, children: int = 63, kind: str = "association") -> ReportDocument:
    """The 5-year report of the coordination programme 2017-2022, with ``children`` provinces in the annex.

    ``kind`` picks the single issuing body (state, army, association, party); a joint report
    is always the General Political Department's (army) with the Veterans' Association.
    """
    if kind not in BODY_KINDS:
        raise ValueError(f"unknown body kind: {kind}")
    units = _unit_names(children)
    figures: list[FieldFigures] = []
    columns: list[tuple[str, str]] = []
    column_values: list[list[int]] = []  # per annex column, the units' values
    indicator_no = 0
    for field_code, field_name, indicators in FIELDS:
        rows = []
        for code, name, uom, low, high, in_annex in indicators:
            indicator_no += 1
            values = [_value(low, high, unit_no, indicator_no) for unit_no in range(1, len(units) + 1)]
            total = sum(values) if units else _value(low, high, 1, indicator_no) * 63
            rows.append(
                FigureRow(
                    indicator_code=code,
                    indicator=name,
                    unit_of_measure=uom,
                    value=total,
                    previous=total * (82 + indicator_no % 11) // 100,
                    target=TARGETS.get(code),
                )
            )
            if in_annex:
                columns.append((name, uom))
                column_values.append(values)
        figures.append(FieldFigures(code=field_code, name=field_name, rows=rows))

    annexes = []
    if units:
        annexes.append(
            AnnexTable(
                title="Phụ lục. Kết quả thực hiện các chỉ tiêu chủ yếu của Hội Cựu chiến binh các tỉnh, thành phố",
                columns=columns,
                rows=[(unit, [values[i] for values in column_values]) for i, unit in enumerate(units)],
                totals=[sum(values) for values in column_values],
            )
        )

    programme = (
        "Chương trình phối hợp giữa Tổng cục Chính trị Quân đội nhân dân Việt Nam và "
        "Hội Cựu chiến binh Việt Nam giai đoạn 2017-2022"
    )
    bodies = _bodies(kind, joint)
    issuer = " và ".join(body.name for body in bodies)
    return ReportDocument(
        bodies=bodies,
        place="Hà Nội",
        issued_on=date(2026, 1, 5),
        subject=f"Tổng kết 5 năm thực hiện {programme}",
        period_label="từ ngày 01/01/2017 đến ngày 31/12/2022",
        intro=[
            f"Thực hiện {programme} (sau đây gọi tắt là Chương trình phối hợp), trong 5 năm qua "
            "hai cơ quan đã chỉ đạo các cấp, các đơn vị triển khai đồng bộ nhiều nội dung, "
            "góp phần xây dựng hệ thống chính trị cơ sở vững mạnh, chăm lo đời sống hội viên.",
            f"{issuer} báo cáo kết quả thực hiện Chương trình phối hợp như sau:",
        ],
        sections=[
            Section(
                title="Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện",
                paragraphs=[
                    "Ngay sau khi Chương trình phối hợp được ký kết, hai cơ quan đã ban hành kế hoạch "
                    "triển khai, phân công trách nhiệm cụ thể cho từng cơ quan, đơn vị; định kỳ giao "
                    "ban, sơ kết, kịp thời tháo gỡ khó khăn, vướng mắc ở cơ sở.",
                    "Hội Cựu chiến binh các tỉnh, thành phố đã chủ động phối hợp với cơ quan quân sự, "
                    "bộ đội biên phòng địa phương xây dựng quy chế phối hợp, lồng ghép nội dung "
                    "Chương trình vào các phong trào thi đua, cuộc vận động của Hội.",
                ],
            ),
            Section(
                title="Đánh giá chung",
                paragraphs=[
                    "Ưu điểm: việc thực hiện Chương trình phối hợp đạt và vượt hầu hết các chỉ tiêu đề ra; "
                    "nhiều mô hình hay, cách làm sáng tạo được nhân rộng; vai trò của cựu chiến binh "
                    "trong xây dựng thế trận quốc phòng toàn dân ở cơ sở được phát huy.",
                    "Hạn chế: việc phối hợp ở một số địa phương còn hình thức; công tác thông tin, "
                    "báo cáo có lúc chưa kịp thời; nguồn lực cho các hoạt động xã hội còn hạn chế.",
                ],
            ),
            Section(
                title="Phương hướng, nhiệm vụ giai đoạn 2023-2027",
                paragraphs=[
                    "Tiếp tục quán triệt sâu rộng mục đích, yêu cầu của Chương trình phối hợp; đổi mới "
                    "nội dung, hình thức tuyên truyền; nâng cao chất lượng các mô hình phát triển kinh "
                    "tế, giảm nghèo bền vững; chăm lo tốt hơn đời sống vật chất, tinh thần của hội viên.",
                ],
            ),
            Section(
                title="Kiến nghị, đề xuất",
                paragraphs=[
                    "Đề nghị các bộ, ngành liên quan tiếp tục quan tâm, tạo điều kiện về cơ chế, "
                    "nguồn lực để Chương trình phối hợp giai đoạn tiếp theo đạt kết quả cao hơn.",
                ],
            ),
        ],
        figures=figures,
        annexes=annexes,
        recipients=[
            "Ban Bí thư Trung ương Đảng (để báo cáo)",
            "Ban Dân vận Trung ương",
            "Bộ Quốc phòng",
            "Hội Cựu chiến binh các tỉnh, thành phố",
        ],
        watermark_note="Bản nháp",
        watermark="BẢN MINH HỌA",
        title="Báo cáo tổng kết 2017-2022",
    )
