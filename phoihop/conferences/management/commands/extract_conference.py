"""python manage.py extract_conference FILE: the draft conference record of a news report, as
JSON (issue 16). Reads only; saves nothing. ``--evaluate FOLDER``: the per-field precision,
recall and F1 table over a labelled set (tests/data/articles/, ADR 0023), or one of its subsets
(``--subset seen|heldout|round1|round2``). ``--known FILE``: names of organisations and units, one a line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from phoihop.conferences.extract.evaluate import evaluate, table
from phoihop.conferences.extract.record import extract
from phoihop.conferences.extract.sources import UnreadableArticle, article_text


class Command(BaseCommand):
    help = (
        "Đọc một bài báo về hội nghị sơ kết, tổng kết hoặc ký kết chương trình phối hợp (.txt hoặc .docx) "
        "và in bản ghi nháp dạng JSON: loại sự kiện, ngày, địa điểm, các bên, giai đoạn, người chủ trì, "
        "đại biểu, kèm vị trí trong văn bản. Không lưu gì."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="Tệp bài viết (.txt, .docx hoặc .pdf có lớp chữ)")
        parser.add_argument(
            "--subset",
            choices=["seen", "heldout", "round1", "round2"],
            help=(
                "Với --evaluate: chỉ chấm các bài đã xem khi viết quy tắc (seen), các bài để riêng (heldout), "
                "hoặc một đợt bài để riêng (round1, round2)"
            ),
        )
        parser.add_argument(
            "--known",
            metavar="TỆP",
            help=(
                "Tệp danh sách tên tổ chức, đơn vị (tên đầy đủ và tên viết tắt, mỗi dòng một tên) "
                "giúp tìm và tách các bên"
            ),
        )
        parser.add_argument(
            "--evaluate",
            metavar="THƯ_MỤC",
            help="In bảng độ chính xác, độ phủ và F1 từng trường trên bộ bài đã gán nhãn (vd. tests/data/articles)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = None
        if options["known"]:
            known_path = Path(options["known"])
            if not known_path.is_file():
                raise CommandError(f"Không tìm thấy tệp {known_path}.")
            known = [line.strip() for line in known_path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
        if options["evaluate"]:
            folder = Path(options["evaluate"])
            if not any(folder.glob("*.json")):
                raise CommandError(f"Thư mục {folder} không có bài nào đã gán nhãn (tệp .json).")
            self.stdout.write(table(evaluate(folder, options["subset"], known=known)))
            return
        if not options["file"]:
            raise CommandError("Cần tên tệp bài viết, hoặc --evaluate THƯ_MỤC.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            text = article_text(path)
        except UnreadableArticle as e:
            raise CommandError(str(e)) from e
        self.stdout.write(json.dumps(extract(text, known=known), ensure_ascii=False, indent=2))
