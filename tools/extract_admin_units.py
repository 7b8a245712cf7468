#!/usr/bin/env python3
"""Extract Vietnam's state administrative units into phoihop's data file.

Produces ``phoihop/orgunits/data/admin_units.json`` (34 provinces, 3,321
commune-level units, the 63 pre-2025 provinces with their 2025 successor, and
the military region of each province before and after 1 July 2025).

The unit names and codes are public state data (Resolution 202/2025/QH15 and
the Standing Committee's NQ-UBTVQH15 resolutions of June 2025, as published by
the National Statistics Office).  They are read out of a wheel of the PyPI
package ``vietnam-provinces`` (GPL-3.0-or-later), which is used ONLY as a data
carrier for this tool: it is never installed, imported or executed.  The tool
reads the wheel's JSON files with ``json`` and its generated Python tables with
``ast`` (parse only, no exec), so it runs on Python 3.11 although the package
itself requires Python >= 3.12.

Get the wheel (outside the repository) and run::

    pip download --no-deps --python-version 3.12 --only-binary=:all: \
        vietnam-provinces -d /tmp/vnp
    python tools/extract_admin_units.py --wheel-dir /tmp/vnp

``--wheel-dir`` may hold the ``.whl`` file itself or an unzipped copy of it.
Everything extracted is checked (counts, codes, names, the old-to-new table
against Resolution 202, military-region counts); any failed check aborts with
exit status 1 and nothing is written.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import json
import re
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "phoihop" / "orgunits" / "data" / "admin_units.json"
PKG = "vietnam_provinces"

# ---------------------------------------------------------------------------
# Expected figures (domain doc; Resolution 202/2025/QH15 and NQ-UBTVQH15 2025)
# ---------------------------------------------------------------------------
EXPECTED = {
    "provinces": 34,
    "provinces_thanh_pho": 6,
    "provinces_tinh": 28,
    "communes": 3321,
    "communes_xa": 2621,
    "communes_phuong": 687,
    "communes_dac_khu": 13,
    "communes_ha_noi": 126,
    "old_provinces": 63,
    "old_provinces_not_continuing": 29,
}

# Resolution 202/2025/QH15: 2025 province (short name) -> pre-2025 provinces
# merged into it (short names).  The 11 unchanged units map to themselves.
RESOLUTION_202 = {
    "Hà Nội": ["Hà Nội"],
    "Huế": ["Huế"],
    "Lai Châu": ["Lai Châu"],
    "Điện Biên": ["Điện Biên"],
    "Sơn La": ["Sơn La"],
    "Lạng Sơn": ["Lạng Sơn"],
    "Quảng Ninh": ["Quảng Ninh"],
    "Thanh Hóa": ["Thanh Hóa"],
    "Nghệ An": ["Nghệ An"],
    "Hà Tĩnh": ["Hà Tĩnh"],
    "Cao Bằng": ["Cao Bằng"],
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"],
    "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"],
    "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"],
    "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Hải Phòng": ["Hải Phòng", "Hải Dương"],
    "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"],
    "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"],
    "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"],
    "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"],
    "Hồ Chí Minh": ["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Đồng Nai", "Bình Phước"],
    "Tây Ninh": ["Tây Ninh", "Long An"],
    "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"],
    "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"],
    "Cà Mau": ["Cà Mau", "Bạc Liêu"],
    "An Giang": ["An Giang", "Kiên Giang"],
}

MILITARY_REGIONS = ("BTL-THUDO", "QK1", "QK2", "QK3", "QK4", "QK5", "QK7", "QK9")

# Military regions from 1 July 2025 (short name -> region).
MR_2025 = {
    "Hà Nội": "BTL-THUDO",
    "Thái Nguyên": "QK1",
    "Lạng Sơn": "QK1",
    "Cao Bằng": "QK1",
    "Bắc Ninh": "QK1",
    "Lào Cai": "QK2",
    "Tuyên Quang": "QK2",
    "Phú Thọ": "QK2",
    "Điện Biên": "QK2",
    "Lai Châu": "QK2",
    "Sơn La": "QK2",
    "Hải Phòng": "QK3",
    "Quảng Ninh": "QK3",
    "Hưng Yên": "QK3",
    "Ninh Bình": "QK3",
    "Thanh Hóa": "QK4",
    "Nghệ An": "QK4",
    "Hà Tĩnh": "QK4",
    "Quảng Trị": "QK4",
    "Huế": "QK4",
    "Đà Nẵng": "QK5",
    "Quảng Ngãi": "QK5",
    "Gia Lai": "QK5",
    "Đắk Lắk": "QK5",
    "Khánh Hòa": "QK5",
    "Hồ Chí Minh": "QK7",
    "Đồng Nai": "QK7",
    "Tây Ninh": "QK7",
    "Lâm Đồng": "QK7",
    "Cần Thơ": "QK9",
    "Vĩnh Long": "QK9",
    "Đồng Tháp": "QK9",
    "An Giang": "QK9",
    "Cà Mau": "QK9",
}
MR_2025_COUNTS = {"BTL-THUDO": 1, "QK1": 4, "QK2": 6, "QK3": 4, "QK4": 5, "QK5": 5, "QK7": 4, "QK9": 5}

# Military regions before 1 July 2025 (short name of the old province -> region).
MR_PRE2025 = {
    "Hà Nội": "BTL-THUDO",
    "Cao Bằng": "QK1",
    "Bắc Kạn": "QK1",
    "Thái Nguyên": "QK1",
    "Lạng Sơn": "QK1",
    "Bắc Giang": "QK1",
    "Bắc Ninh": "QK1",
    "Hà Giang": "QK2",
    "Tuyên Quang": "QK2",
    "Lào Cai": "QK2",
    "Yên Bái": "QK2",
    "Phú Thọ": "QK2",
    "Vĩnh Phúc": "QK2",
    "Điện Biên": "QK2",
    "Lai Châu": "QK2",
    "Sơn La": "QK2",
    "Hòa Bình": "QK3",
    "Hải Phòng": "QK3",
    "Quảng Ninh": "QK3",
    "Hải Dương": "QK3",
    "Hưng Yên": "QK3",
    "Thái Bình": "QK3",
    "Nam Định": "QK3",
    "Hà Nam": "QK3",
    "Ninh Bình": "QK3",
    "Thanh Hóa": "QK4",
    "Nghệ An": "QK4",
    "Hà Tĩnh": "QK4",
    "Quảng Bình": "QK4",
    "Quảng Trị": "QK4",
    "Huế": "QK4",
    "Đà Nẵng": "QK5",
    "Quảng Nam": "QK5",
    "Quảng Ngãi": "QK5",
    "Bình Định": "QK5",
    "Phú Yên": "QK5",
    "Khánh Hòa": "QK5",
    "Ninh Thuận": "QK5",
    "Kon Tum": "QK5",
    "Gia Lai": "QK5",
    "Đắk Lắk": "QK5",
    "Đắk Nông": "QK5",
    "Hồ Chí Minh": "QK7",
    "Đồng Nai": "QK7",
    "Bình Dương": "QK7",
    "Bình Phước": "QK7",
    "Tây Ninh": "QK7",
    "Long An": "QK7",
    "Bà Rịa - Vũng Tàu": "QK7",
    "Bình Thuận": "QK7",
    "Lâm Đồng": "QK7",
    "Cần Thơ": "QK9",
    "An Giang": "QK9",
    "Kiên Giang": "QK9",
    "Hậu Giang": "QK9",
    "Sóc Trăng": "QK9",
    "Bạc Liêu": "QK9",
    "Cà Mau": "QK9",
    "Vĩnh Long": "QK9",
    "Trà Vinh": "QK9",
    "Bến Tre": "QK9",
    "Đồng Tháp": "QK9",
    "Tiền Giang": "QK9",
}
MR_PRE2025_COUNTS = {"BTL-THUDO": 1, "QK1": 6, "QK2": 9, "QK3": 9, "QK4": 6, "QK5": 11, "QK7": 9, "QK9": 12}

# Public pages (found with the project's "pages" search corpus, November 2026)
# that support the military-region assignments.  "pre" = before 1 July 2025,
# "post" = after the 2025 merger.
MR_SOURCES = [
    {
        "id": "pre-qk1-wiki",
        "period": "pre",
        "url": "https://vi.wikipedia.org./wiki/Qu%C3%A2n_khu_1,_Qu%C3%A2n_%C4%91%E1%BB%99i_Nh%C3%A2n_d%C3%A2n_Vi%E1%BB%87t_Nam",
        "supports": "QK1 = Lạng Sơn, Cao Bằng, Bắc Giang, Bắc Kạn, Bắc Ninh, Thái Nguyên",
    },
    {
        "id": "pre-qk2-tvnd",
        "period": "pre",
        "url": "https://thuviennhadat.vn/phap-ly-nha-dat/quan-khu-2-gom-may-tinh-sau-sap-nhap-tinh-thanh-du-kien-679986.html",
        "supports": "QK2 = Vĩnh Phúc, Phú Thọ, Tuyên Quang, Hà Giang, Lào Cai, Lai Châu, Sơn La, Điện Biên, Yên Bái",
    },
    {
        "id": "pre-qk3-tvnd",
        "period": "pre",
        "url": "https://thuviennhadat.vn/phap-ly-nha-dat/quan-khu-3-bao-ve-vung-nao-cua-dat-nuoc-quan-khu-3-dong-quan-o-tinh-nao-682195.html",
        "supports": (
            "QK3 = Quảng Ninh, Hải Phòng, Thái Bình, Nam Định, Ninh Bình, Hòa Bình, Hưng Yên, Hải Dương, Hà Nam"
        ),
    },
    {
        "id": "pre-qk3-wiki",
        "period": "pre",
        "url": "https://www.search.com.vn/wiki/vi/Qu%C3%A2n_khu_3,_Qu%C3%A2n_%C4%91%E1%BB%99i_nh%C3%A2n_d%C3%A2n_Vi%E1%BB%87t_Nam",
        "supports": "QK3 incl. Hòa Bình (9 provinces)",
    },
    {
        "id": "pre-qk4-qpvn",
        "period": "pre",
        "url": "http://qpvn.vn/tin-video/dang-bo-quan-khu-4-doi-moi-sang-tao-hoan-thanh-tot-nhiem-vu.html",
        "supports": "QK4 = Thanh Hóa, Nghệ An, Hà Tĩnh, Quảng Bình, Quảng Trị, Thừa Thiên Huế",
    },
    {
        "id": "pre-qk5-tsqd",
        "period": "pre",
        "url": "https://tuyensinhquandoi.vn/quan-khu-5/",
        "supports": "QK5 = Quảng Nam, Quảng Ngãi, Bình Định, Phú Yên, Khánh Hòa, Ninh Thuận, Kon Tum, Gia Lai, "
        "Đắk Lắk, Đắk Nông, Đà Nẵng",
    },
    {
        "id": "pre-qk357-vietnamvn",
        "period": "pre",
        "url": "https://www.vietnam.vn/ja/thu-tuong-bo-nhiem-tu-lenh-quan-khu-5-va-hai-chinh-uy-quan-khu",
        "supports": "QK5 (11 units), QK7 = Hồ Chí Minh, Bà Rịa - Vũng Tàu, Bình Dương, Bình Phước, Bình Thuận, "
        "Đồng Nai, Lâm Đồng, Long An, Tây Ninh; QK3 (9 units)",
    },
    {
        "id": "pre-qk9-interstellas",
        "period": "pre",
        "url": "https://interstellas.com.vn/quan-khu-9-o-dau",
        "supports": "QK9 = An Giang, Cà Mau, Bạc Liêu, Bến Tre, Đồng Tháp, Hậu Giang, Kiên Giang, Sóc Trăng, "
        "Tiền Giang, Trà Vinh, Vĩnh Long, Cần Thơ",
    },
    {
        "id": "btl-thudo-wiki",
        "period": "pre+post",
        "url": "https://vi.m.wikipedia.org./wiki/B%E1%BB%99_t%C6%B0_l%E1%BB%87nh_Th%E1%BB%A7_%C4%91%C3%B4_H%C3%A0_N%E1%BB%99i",
        "supports": "Bộ Tư lệnh Thủ đô Hà Nội (directly under the Ministry of Defence) covers Hà Nội",
    },
    {
        "id": "post-qk3-thanhnien",
        "period": "post",
        "date": "2026-01-13",
        "url": "https://thanhnien.vn/quan-khu-3-dieu-400-nguoi-lam-chi-huy-truong-ban-chqs-cac-xa-phuong-dac-khu-185260113083938584.htm",
        "supports": "QK3 = Hải Phòng, Quảng Ninh, Hưng Yên, Ninh Bình",
    },
    {
        "id": "post-qk3-vietnamvn",
        "period": "post",
        "date": "2025",
        "url": "https://www.vietnam.vn/fr/quan-khu-3-cong-bo-quyet-dinh-thanh-lap-va-trao-quan-ky-quyet-thang-cho-cac-to-chuc-quan-su-dia-phuong",
        "supports": "QK3 reorganised into 4 commands: Hải Phòng, Quảng Ninh, Hưng Yên, Ninh Bình",
    },
    {
        "id": "post-qk4-baothanhhoa",
        "period": "post",
        "date": "2025-06-24",
        "url": "https://baothanhhoa.vn/thanh-lap-ban-chi-huy-bo-doi-bien-phong-truc-thuoc-bo-chi-huy-quan-su-tinh-253139.htm",
        "supports": "new Quảng Trị command (Quảng Bình + Quảng Trị) and 5 provincial commands in QK4",
    },
    {
        "id": "post-qk4-dantri",
        "period": "post",
        "date": "2026-01-14",
        "url": "https://dantri.com.vn/noi-vu/dieu-dong-78-si-quan-lam-chi-huy-truong-ban-chi-huy-quan-su-cap-xa-20260114153601175.htm",
        "supports": "Quảng Trị under QK4",
    },
    {
        "id": "post-qk4-hue",
        "period": "post",
        "date": "2025",
        "url": "https://www.vietnam.vn/hi/cong-bo-quyet-dinh-giai-the-ban-chi-huy-quan-su-cap-huyen-va-trao-quyet-dinh-nhan-su-can-bo",
        "supports": "Huế city military command acting under QK4",
    },
    {
        "id": "post-qk5-laodong",
        "period": "post",
        "date": "2025",
        "url": "https://news.laodong.vn/thoi-su/sap-nhap-va-to-chuc-lai-bo-chi-huy-quan-su-tinh-thanh-pho-thuoc-quan-khu-5-1529253.ldo",
        "supports": "5 provincial commands under QK5, incl. Đà Nẵng (+Quảng Nam), Quảng Ngãi (+Kon Tum), "
        "Gia Lai (+Bình Định)",
    },
    {
        "id": "post-qk5-khanhhoa",
        "period": "post",
        "date": "2026-01-14",
        "url": "https://ja.laodong.vn/thoi-su/bo-nhiem-64-chi-huy-truong-ban-chi-huy-quan-su-xa-phuong-o-khanh-hoa-1640820.ldo",
        "supports": "Khánh Hòa under QK5",
    },
    {
        "id": "post-qk5-gialai",
        "period": "post",
        "date": "2026-02-05",
        "url": "https://baogialai.com.vn/pho-tu-lenh-quan-khu-5-tham-chuc-tet-tinh-uy-gia-lai-va-cac-don-vi-luc-luong-vu-trang-post579271.html",
        "supports": "Gia Lai under QK5",
    },
    {
        "id": "post-qk5-daklak",
        "period": "post",
        "date": "2026-01-09",
        "url": "https://es.laodong.vn/xa-hoi/quan-khu-5-tiep-tuc-ban-giao-229-can-nha-trong-chien-dich-quang-trung-1638157.ldo",
        "supports": "QK5 operating in Đắk Lắk (supporting; Đắk Lắk is the 5th QK5 command by elimination)",
    },
    {
        "id": "post-qk7-laodong",
        "period": "post",
        "date": "2025 (QK7 planning the merged provinces' commands)",
        "url": "https://news.laodong.vn/thoi-su/quan-khu-7-thanh-lap-8-ban-chi-huy-phong-thu-khu-vuc-tai-2-tinh-moi-sau-sap-nhap-1517354.ldo",
        "supports": "QK7 sets up the defence-area commands of the new Tây Ninh (+Long An) and Đồng Nai (+Bình Phước)",
    },
    {
        "id": "post-qk7-dongnai",
        "period": "post",
        "date": "2025-05-30 (QK7 planning the merged province's commands)",
        "url": "https://api.baoquankhu7.vn/chinh-uy-quan-khu-7-khao-sat-vi-tri-ban-chi-huy-khu-vuc-phong-thu-tren-dia-ban-cac-tinh-binh-phuoc-dong-nai--1255143245-0048844s34010gs",
        "supports": "QK7 political commissar surveys defence-area command sites for the new Đồng Nai (+Bình Phước)",
    },
    {
        "id": "post-qk7-hcm",
        "period": "post",
        "date": "2026-01-16",
        "url": "https://www.sggp.org.vn/trung-ta-nguyen-hoanh-quyen-giu-chuc-chi-huy-truong-ban-chi-huy-quan-su-phuong-tan-son-nhat-post833862.html",
        "supports": "Hồ Chí Minh City (Bộ Tư lệnh TPHCM) under QK7",
    },
    {
        "id": "post-qk7-lamdong",
        "period": "post",
        "date": "2026-02-06",
        "url": "https://www.sggp.org.vn/quan-khu-7-ban-giao-nha-sinh-hoat-cong-dong-vung-bien-gioi-lam-dong-post837420.html",
        "supports": "Lâm Đồng (incl. former Đắk Nông area) under QK7",
    },
    {
        "id": "post-qk7-lamdong2",
        "period": "post",
        "date": "2026-01-15",
        "url": "https://news.laodong.vn/thoi-su/bo-nhiem-124-chi-huy-truong-ban-chi-huy-quan-su-xa-phuong-dac-khu-o-lam-dong-1641232.ldo",
        "supports": "QK7 deputy commander at the Lâm Đồng provincial command",
    },
    {
        "id": "post-qk9-vietnamvn",
        "period": "post",
        "date": "2025",
        "url": "https://thongtin.vietnam.vn/pt/dai-tuong-nguyen-tan-cuong-du-chi-dao-le-cong-bo-quyet-dinh-doi-voi-cac-don-vi-thuoc-quan-khu-9",
        "supports": "QK9 = Cần Thơ, Vĩnh Long, An Giang, Đồng Tháp, Cà Mau",
    },
    {
        "id": "post-qk2-phutho",
        "period": "post",
        "date": "2025-12-22",
        "url": "https://baophutho.vn/lanh-dao-tinh-tham-chuc-mung-bo-tu-lenh-quan-khu-2-va-bo-chqs-tinh-244525.htm",
        "supports": "Phú Thọ (incl. Vĩnh Phúc, Hòa Bình) under QK2",
    },
    {
        "id": "post-qk2-tapchiqptd",
        "period": "post",
        "date": "2026-01-20",
        "url": "https://m.tapchiqptd.vn/en/theory-and-practice/military-region-2-builds-a-strong-and-modern-all-people-national-defence-25541.html",
        "supports": (
            "QK2 area expanded from 1 July 2025 (consistent with Hòa Bình joining via Phú Thọ); no province list"
        ),
    },
]

# 2025 province (short name) -> MR_SOURCES ids that confirm its region after
# the merger.  Provinces not listed are exported with
# military_region_confirmed = false.
MR_2025_CONFIRMED_BY = {
    "Hà Nội": ["btl-thudo-wiki"],
    "Phú Thọ": ["post-qk2-phutho"],
    "Hải Phòng": ["post-qk3-thanhnien", "post-qk3-vietnamvn"],
    "Quảng Ninh": ["post-qk3-thanhnien", "post-qk3-vietnamvn"],
    "Hưng Yên": ["post-qk3-thanhnien", "post-qk3-vietnamvn"],
    "Ninh Bình": ["post-qk3-thanhnien", "post-qk3-vietnamvn"],
    "Quảng Trị": ["post-qk4-baothanhhoa", "post-qk4-dantri"],
    "Huế": ["post-qk4-hue", "post-qk4-baothanhhoa"],
    # the 5 QK4 commands after the merger = the 6 old ones minus Quảng Bình
    "Thanh Hóa": ["post-qk4-baothanhhoa"],
    "Nghệ An": ["post-qk4-baothanhhoa"],
    "Hà Tĩnh": ["post-qk4-baothanhhoa"],
    "Đà Nẵng": ["post-qk5-laodong"],
    "Quảng Ngãi": ["post-qk5-laodong"],
    "Gia Lai": ["post-qk5-laodong", "post-qk5-gialai"],
    "Khánh Hòa": ["post-qk5-khanhhoa", "post-qk5-laodong"],
    "Đắk Lắk": ["post-qk5-laodong", "post-qk5-daklak"],
    "Hồ Chí Minh": ["post-qk7-hcm"],
    "Đồng Nai": ["post-qk7-laodong", "post-qk7-dongnai"],
    "Tây Ninh": ["post-qk7-laodong"],
    "Lâm Đồng": ["post-qk7-lamdong", "post-qk7-lamdong2"],
    "Cần Thơ": ["post-qk9-vietnamvn"],
    "Vĩnh Long": ["post-qk9-vietnamvn"],
    "Đồng Tháp": ["post-qk9-vietnamvn"],
    "An Giang": ["post-qk9-vietnamvn"],
    "Cà Mau": ["post-qk9-vietnamvn"],
}

KIND_PROVINCE = {"thành phố trung ương": "thanh-pho", "tỉnh": "tinh"}
KIND_COMMUNE = {"xã": "xa", "phường": "phuong", "đặc khu": "dac-khu"}
PREFIX_PROVINCE = {"thanh-pho": "Thành phố ", "tinh": "Tỉnh "}
PREFIX_COMMUNE = {"xa": "Xã ", "phuong": "Phường ", "dac-khu": "Đặc khu "}


class CheckError(Exception):
    pass


class Checker:
    def __init__(self):
        self.failures: list[str] = []
        self.passed: list[str] = []

    def __call__(self, ok: bool, what: str) -> bool:
        (self.passed if ok else self.failures).append(what)
        return ok

    def equal(self, got, want, what: str) -> bool:
        return self(got == want, f"{what}: got {got!r}, expected {want!r}")


# ---------------------------------------------------------------------------
# Reading the wheel (zip or unzipped tree) as plain data
# ---------------------------------------------------------------------------
class WheelData:
    def __init__(self, wheel_dir: Path):
        self.zip = None
        self.root = None
        self.sha256 = None
        wheels = sorted(wheel_dir.glob("vietnam_provinces-*.whl"))
        if len(wheels) > 1:
            raise CheckError(f"more than one vietnam_provinces wheel in {wheel_dir}: {[w.name for w in wheels]}")
        if wheels:
            self.path = wheels[0]
            self.sha256 = hashlib.sha256(self.path.read_bytes()).hexdigest()
            self.zip = zipfile.ZipFile(self.path)
            names = self.zip.namelist()
        else:
            hits = sorted(
                p.parent for pat in (f"{PKG}/__init__.py", f"*/{PKG}/__init__.py") for p in wheel_dir.glob(pat)
            )
            if len(hits) != 1:
                raise CheckError(f"no vietnam_provinces-*.whl and no unique unzipped {PKG}/ under {wheel_dir}")
            self.root = hits[0].parent
            self.path = self.root
            names = [str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()]
        dist_infos = sorted({n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")})
        if len(dist_infos) != 1:
            raise CheckError(f"expected one .dist-info in the wheel, found {dist_infos}")
        self.dist_info = dist_infos[0]
        meta = self.read_text(f"{self.dist_info}/METADATA")
        fields = dict(line.split(": ", 1) for line in meta.split("\n\n", 1)[0].splitlines() if ": " in line)
        self.name = fields.get("Name")
        self.version = fields.get("Version")
        self.licence = fields.get("License-Expression") or fields.get("License")
        if self.name != "vietnam-provinces":
            raise CheckError(f"wheel is {self.name!r}, not vietnam-provinces")

    def read_bytes(self, rel: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(rel)
        return (self.root / rel).read_bytes()

    def read_text(self, rel: str) -> str:
        return self.read_bytes(rel).decode("utf-8")

    def read_json(self, rel: str):
        return json.loads(self.read_text(rel))

    def module_assign(self, rel: str, name: str) -> ast.AST:
        """Value node of the module-level assignment ``name = ...`` in a .py file (parsed, never run)."""
        tree = ast.parse(self.read_text(rel), filename=rel)
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                return node.value
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                return node.value
        raise CheckError(f"{rel}: no module-level assignment to {name}")

    def enum_values(self, rel: str, cls: str) -> dict[str, object]:
        tree = ast.parse(self.read_text(rel), filename=rel)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == cls:
                out = {}
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                        for t in stmt.targets:
                            if isinstance(t, ast.Name):
                                out[t.id] = stmt.value.value
                return out
        raise CheckError(f"{rel}: no class {cls}")


def literal(node: ast.AST, enums: dict[str, dict[str, object]]):
    """Evaluate the data-only subset of Python used by the package's generated tables.

    Calls become ``(callee_name, args)``; ``XxxCode.P_01`` style enum members
    become ints; ``VietNamDivisionType.X`` becomes its string value.
    """
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(literal(e, enums) for e in node.elts)
    if isinstance(node, ast.List):
        return [literal(e, enums) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {literal(k, enums): literal(v, enums) for k, v in zip(node.keys, node.values, strict=True)}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner, attr = node.value.id, node.attr
        if owner in enums:
            return enums[owner][attr]
        if owner in ("ProvinceCode", "DistrictCode", "WardCode"):
            m = re.fullmatch(r"[PDW]_(\d+)", attr)
            if m:
                return int(m.group(1))
        raise CheckError(f"unexpected attribute {owner}.{attr} at line {node.lineno}")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.keywords:
            raise CheckError(f"unexpected keyword arguments at line {node.lineno}")
        return (node.func.id, tuple(literal(a, enums) for a in node.args))
    raise CheckError(f"unexpected syntax {type(node).__name__} at line {getattr(node, 'lineno', '?')}")


# ---------------------------------------------------------------------------
# Name handling
# ---------------------------------------------------------------------------
TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền sắc hỏi ngã nặng


def _modern_tone(word: str) -> str:
    """Put the tone mark of a final 'oa', 'oe', 'uy' (not 'quy') on the first vowel: Hoà -> Hòa, Thuỷ -> Thủy."""
    d = unicodedata.normalize("NFD", word)
    clusters: list[list[str]] = []
    for ch in d:
        if unicodedata.combining(ch) and clusters:
            clusters[-1].append(ch)
        else:
            clusters.append([ch])
    if len(clusters) < 2:
        return word
    base = "".join(c[0] for c in clusters).lower()
    if not base.endswith(("oa", "oe", "uy")):
        return word
    if base.endswith("uy") and base[:-2].endswith("q"):
        return word
    first, last = clusters[-2], clusters[-1]
    tone = [m for m in last[1:] if m in TONE_MARKS]
    if len(first) != 1 or len(tone) != 1 or len(last) != 2:
        return word
    clusters[-2] = first + tone
    clusters[-1] = [last[0]]
    return unicodedata.normalize("NFC", "".join("".join(c) for c in clusters))


def normalise_apostrophes(name: str) -> str:
    """Curly apostrophe (U+2019, as on the NSO site) -> ASCII, as the package itself does since 2026.2.2."""
    return name.replace("\u2019", "'")


def normalise_name(name: str) -> str:
    name = normalise_apostrophes(unicodedata.normalize("NFC", " ".join(name.split())))
    return re.sub(r"\w+", lambda m: _modern_tone(m.group(0)), name)


def short_name(full: str, kind: str) -> str:
    prefix = PREFIX_PROVINCE[kind]
    if not full.startswith(prefix):
        raise CheckError(f"{full!r} does not start with {prefix!r}")
    return full[len(prefix) :]


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------
def extract(wheel: WheelData, extracted_on: str, check: Checker):
    notes: list[str] = []
    renamed: list[dict] = []

    def fix_name(code: str, raw: str, level: str) -> str:
        name = normalise_name(raw)
        m = re.match(r"(xã|phường|đặc khu|tỉnh|thành phố) ", name)
        if m:  # capitalised unit-type prefix (the data has one 'xã Bắc Sơn')
            name = name[0].upper() + name[1:]
        if name != raw:
            renamed.append({"level": level, "code": code, "from": raw, "to": name})
        return name

    # --- enums used in generated tables
    enums_new = {"VietNamDivisionType": wheel.enum_values(f"{PKG}/base.py", "VietNamDivisionType")}
    enums_old = {"VietNamDivisionType": wheel.enum_values(f"{PKG}/legacy/base.py", "VietNamDivisionType")}

    # --- 2025 units: primary source = data/nested-divisions.json
    nested = wheel.read_json(f"{PKG}/data/nested-divisions.json")
    provinces, communes = [], []
    raw_new_ward = {}  # int code -> (raw name, division type, province int code)
    for p in nested:
        kind = KIND_PROVINCE.get(p["division_type"])
        check(kind is not None, f"province {p['code']} has a known division type ({p['division_type']!r})")
        code = f"{int(p['code']):02d}"
        name = fix_name(code, p["name"], "province")
        provinces.append({"code": code, "name": name, "short_name": short_name(name, kind), "kind": kind})
        for w in p["wards"]:
            wkind = KIND_COMMUNE.get(w["division_type"])
            check(wkind is not None, f"commune {w['code']} has a known division type ({w['division_type']!r})")
            wcode = f"{int(w['code']):05d}"
            wname = fix_name(wcode, w["name"], "commune")
            communes.append({"code": wcode, "name": wname, "kind": wkind, "province_code": code})
            raw_new_ward[int(w["code"])] = (w["name"], w["division_type"], int(p["code"]))

    provinces.sort(key=lambda r: r["code"])
    communes.sort(key=lambda r: r["code"])

    # --- cross-check against the package's other two copies of the same data.
    # The JSON files are the package's snapshot of the 1 July 2025 state; its
    # generated Python tables (_lookup.py) were regenerated later.  Two kinds of
    # difference are understood and reported; anything else fails.
    lookup_p = literal(wheel.module_assign(f"{PKG}/_lookup.py", "PROVINCE_MAPPING"), enums_new)
    lookup_w = literal(wheel.module_assign(f"{PKG}/_lookup.py", "WARD_MAPPING"), enums_new)
    json_p = {int(p["code"]): (p["name"], p["division_type"]) for p in nested}
    py_p = {k: (v[1][0], v[1][2]) for k, v in lookup_p.items()}
    check.equal(sorted(py_p), sorted(json_p), "_lookup.py PROVINCE_MAPPING has the same codes as nested-divisions.json")
    upgraded = []
    for k in sorted(set(py_p) & set(json_p)):
        if py_p[k] == json_p[k]:
            continue
        (jn, jt), (pn, pt) = json_p[k], py_p[k]
        ok = (
            jt == "tỉnh"
            and pt == "thành phố trung ương"
            and jn.startswith("Tỉnh ")
            and pn == "Thành phố " + jn[len("Tỉnh ") :]
        )
        check(
            ok,
            f"province {k:02d}: nested-divisions.json {json_p[k]} vs _lookup.py {py_p[k]} is an understood difference",
        )
        if ok:
            upgraded.append(f"{k:02d} {jn} -> {pn}")
    if upgraded:
        notes.append(
            f"vietnam-provinces {wheel.version}: its JSON files (used here; data as of 1 July 2025) list these as "
            "'tỉnh', but its later-regenerated Python table (_lookup.py) lists them as centrally-governed cities "
            "('thành phố trung ương'): " + "; ".join(upgraded) + ". This looks like a post-2025 upgrade of these "
            "units (dongnai.gov.vn reported in spring 2026 that establishing Đồng Nai City was being submitted to the "
            "16th National Assembly's 1st session); it could not be confirmed here for all three and is outside "
            "this file's 1 July 2025 scope, so kind stays 'tinh' and the 6 thanh-pho / 28 tinh split is kept. "
            "Review before relying on 'kind' for these codes."
        )
    json_w = {k: (normalise_apostrophes(v[0]), v[1], v[2]) for k, v in raw_new_ward.items()}
    py_w = {k: (normalise_apostrophes(v[1][0]), v[1][2], v[1][4]) for k, v in lookup_w.items()}
    check.equal(py_w, json_w, "_lookup.py WARD_MAPPING agrees with nested-divisions.json (apostrophes normalised)")
    flat = wheel.read_json(f"{PKG}/data/flat-divisions.json")
    prov_name_by_code = {int(p["code"]): p["name"] for p in nested}
    check.equal(
        {int(w["code"]): (w["name"], w["province_name"]) for w in flat},
        {k: (v[0], prov_name_by_code[v[2]]) for k, v in raw_new_ward.items()},
        "flat-divisions.json agrees with nested-divisions.json",
    )

    # --- pre-2025 provinces / districts / wards (legacy tables, via ast)
    leg_p = literal(wheel.module_assign(f"{PKG}/legacy/_lookup.py", "PROVINCE_MAPPING"), enums_old)
    leg_d = literal(wheel.module_assign(f"{PKG}/legacy/_lookup.py", "DISTRICT_MAPPING"), enums_old)
    leg_w = literal(wheel.module_assign(f"{PKG}/legacy/_lookup.py", "WARD_MAPPING"), enums_old)
    district_prov = {k: v[1][4] for k, v in leg_d.items()}
    ward_district = {k: v[1][4] for k, v in leg_w.items()}
    check(all(d in district_prov for d in ward_district.values()), "every legacy ward's district exists")
    check(all(p in leg_p for p in district_prov.values()), "every legacy district's province exists")

    old_provinces = []
    for k in sorted(leg_p):
        _, (raw, code_int, dtype, _codename, _phone) = leg_p[k]
        kind = KIND_PROVINCE.get(dtype)
        check(kind is not None, f"old province {k} has a known division type ({dtype!r})")
        code = f"{int(code_int):02d}"
        name = fix_name(code, raw, "old_province")
        old_provinces.append({"code": code, "name": name, "short_name": short_name(name, kind), "kind": kind})

    # --- old -> new province, derived from the ward conversion table
    conv = literal(wheel.module_assign(f"{PKG}/_ward_conversion_2025.py", "OLD_TO_NEW"), {})
    new_ward_prov = {k: v[2] for k, v in raw_new_ward.items()}
    votes: dict[int, Counter] = defaultdict(Counter)
    bad_ref, via_district = [], []
    for old_code, (_, (oref, nrefs)) in conv.items():
        _, (ocode, odistrict, oprov, _partly) = oref
        check(ocode == old_code, f"ward conversion key {old_code} matches its OldWardRef")
        if ocode not in ward_district:
            # ward absent from the legacy (2025-01-04) table: resolve through its recorded district
            ok = odistrict in district_prov and district_prov[odistrict] == oprov
            check(
                ok,
                f"ward conversion: old ward {ocode} missing from the legacy ward table resolves via "
                f"district {odistrict} to province {oprov:02d}",
            )
            if not ok:
                continue
            via_district.append(ocode)
            true_prov = oprov
        else:
            true_prov = district_prov[ward_district[ocode]]
            if (odistrict, oprov) != (ward_district[ocode], true_prov):
                bad_ref.append((ocode, odistrict, oprov, ward_district[ocode], true_prov))
        for _, (ncode, nprov) in nrefs:
            if ncode not in new_ward_prov:
                check(False, f"ward conversion: new ward {ncode} is in the 2025 ward table")
                continue
            check(
                nprov == new_ward_prov[ncode],
                f"ward conversion: NewWardRef({ncode}) province {nprov} matches the 2025 table",
            )
            votes[true_prov][new_ward_prov[ncode]] += 1
    if bad_ref:
        ex = "; ".join(
            f"old ward {c:05d} recorded as district {d}/province {p:02d}, "
            f"legacy table says district {td}/province {tp:02d}"
            for c, d, p, td, tp in bad_ref[:5]
        )
        notes.append(
            f"The package's ward conversion table (_ward_conversion_2025.py) has {len(bad_ref)} OldWardRef "
            f"entr{'y' if len(bad_ref) == 1 else 'ies'} whose district/province fields disagree with the legacy "
            f"ward table ({ex}). The successor of each old province was therefore derived from the legacy "
            f"ward -> district -> province chain, not from those fields."
        )
    if via_district:
        notes.append(
            f"{len(via_district)} old wards in the package's ward conversion table are not in its legacy ward table "
            f"({', '.join(f'{c:05d}' for c in sorted(via_district))}); their province was taken from their recorded "
            "district, which exists in the legacy district table and agrees."
        )
    derived = {}
    for k in sorted(leg_p):
        targets = votes.get(k, Counter())
        check(
            len(targets) == 1,
            f"old province {k:02d}: all its wards go to exactly one 2025 province (got {dict(targets)})",
        )
        if targets:
            derived[k] = next(iter(targets))

    # compare with the package's own province-level old-to-new table
    pkg_table = literal(wheel.module_assign(f"{PKG}/_province_conversion_2025.py", "OLD_TO_NEW"), {})
    pkg_map = {k: tuple(n[1][0] for n in v[1][1]) for k, v in pkg_table.items()}
    check.equal(sorted(pkg_map), sorted(leg_p), "package old-to-new table covers the 63 old provinces")
    for k in sorted(pkg_map):
        got = pkg_map[k]
        if k not in derived:
            continue
        check(derived[k] in got, f"package old-to-new table lists {derived[k]:02d} for old province {k:02d}")
        if got != (derived[k],):
            extra = ", ".join(f"{c:02d}" for c in got if c != derived[k])
            notes.append(
                f"The package's province table (_province_conversion_2025.py) maps old province {k:02d} to "
                f"{', '.join(f'{c:02d}' for c in got)}; the extra {extra} comes only from the mis-attributed "
                f"ward entries noted above. Successor used: {derived[k]:02d} (agrees with Resolution 202)."
            )

    # --- check against Resolution 202 (by short names)
    new_by_short = {p["short_name"]: p for p in provinces}
    old_by_short = {p["short_name"]: p for p in old_provinces}
    check.equal(sorted(new_by_short), sorted(RESOLUTION_202), "2025 province short names match Resolution 202")
    res_old = sorted(o for olds in RESOLUTION_202.values() for o in olds)
    check.equal(res_old, sorted(old_by_short), "old province short names match Resolution 202")
    expected_successor = {}
    for new_short, olds in RESOLUTION_202.items():
        for o in olds:
            if o in old_by_short and new_short in new_by_short:
                expected_successor[old_by_short[o]["code"]] = new_by_short[new_short]["code"]
    for op in old_provinces:
        got = f"{derived.get(int(op['code']), -1):02d}"
        check.equal(got, expected_successor.get(op["code"]), f"successor of {op['name']} (data vs Resolution 202)")
        op["successor_code"] = got

    # --- continues
    new_codes = {p["code"] for p in provinces}
    for p in provinces:
        preds = [o for o in old_provinces if o["successor_code"] == p["code"]]
        check(len(preds) >= 1, f"{p['name']} is the successor of >= 1 old province")
        same_code = [o for o in preds if o["code"] == p["code"]]
        check(len(same_code) == 1, f"{p['name']} ({p['code']}) reuses the code of exactly one of its predecessors")
    for o in old_provinces:
        o["continues"] = o["code"] == o["successor_code"]
        succ = next(p for p in provinces if p["code"] == o["successor_code"])
        o["name_continues"] = o["short_name"] == succ["short_name"]
    check(all(o["successor_code"] in new_codes for o in old_provinces), "every successor_code is a 2025 province code")
    diverge = [o for o in old_provinces if o["continues"] != o["name_continues"]]
    if diverge:
        pairs = []
        for p in provinces:
            by_code = [o for o in diverge if o["successor_code"] == p["code"] and o["continues"]]
            by_name = [o for o in diverge if o["successor_code"] == p["code"] and o["name_continues"]]
            if by_code and by_name:
                pairs.append(
                    f"{p['short_name']} {p['code']}: code of {by_code[0]['short_name']}, "
                    f"name of {by_name[0]['short_name']} {by_name[0]['code']}"
                )
        notes.append(
            "'continues' follows the brief's rule: true for the old province whose code the 2025 province "
            "reuses (the NSO gives a merged province the code of the old province hosting its new seat). "
            f"For {len(pairs)} merged provinces that is not the old province whose name continues, so each old "
            "province also carries 'name_continues': " + "; ".join(pairs) + "."
        )

    # --- military regions
    for p in provinces:
        p["military_region"] = MR_2025[p["short_name"]]
        p["military_region_confirmed"] = p["short_name"] in MR_2025_CONFIRMED_BY
    for o in old_provinces:
        o["military_region"] = MR_PRE2025[o["short_name"]]
    check.equal(sorted(MR_2025), sorted(new_by_short), "MR_2025 covers exactly the 34 provinces")
    check.equal(sorted(MR_PRE2025), sorted(old_by_short), "MR_PRE2025 covers exactly the 63 old provinces")
    check(all(r in MILITARY_REGIONS for r in MR_2025.values()), "2025 military regions are in the allowed set")
    check(all(r in MILITARY_REGIONS for r in MR_PRE2025.values()), "pre-2025 military regions are in the allowed set")
    check.equal(
        dict(sorted(Counter(p["military_region"] for p in provinces).items())),
        dict(sorted(MR_2025_COUNTS.items())),
        "2025 provinces per military region",
    )
    check.equal(
        dict(sorted(Counter(o["military_region"] for o in old_provinces).items())),
        dict(sorted(MR_PRE2025_COUNTS.items())),
        "pre-2025 provinces per military region",
    )
    source_ids = {s["id"] for s in MR_SOURCES}
    check(all(i in source_ids for ids in MR_2025_CONFIRMED_BY.values() for i in ids), "confirmation ids exist")
    check(set(MR_2025_CONFIRMED_BY) <= set(MR_2025), "confirmed provinces exist")
    mixed = []
    for p in provinces:
        pre = sorted({o["military_region"] for o in old_provinces if o["successor_code"] == p["code"]})
        check(
            p["military_region"] in pre,
            f"{p['short_name']}: 2025 region {p['military_region']} is the pre-2025 region of a predecessor {pre}",
        )
        if len(pre) > 1:
            mixed.append(f"{p['short_name']} ({'+'.join(pre)} -> {p['military_region']})")
    if mixed:
        notes.append(
            "Merged provinces whose predecessors were in different military regions: "
            + ", ".join(mixed)
            + "; both assignments are confirmed by post-merger sources."
        )

    # --- counts and structural checks
    check.equal(len(provinces), EXPECTED["provinces"], "number of provinces")
    kinds = Counter(p["kind"] for p in provinces)
    check.equal(kinds["thanh-pho"], EXPECTED["provinces_thanh_pho"], "provinces of kind thanh-pho")
    check.equal(kinds["tinh"], EXPECTED["provinces_tinh"], "provinces of kind tinh")
    check.equal(len(communes), EXPECTED["communes"], "number of communes")
    ck = Counter(c["kind"] for c in communes)
    check.equal(ck["xa"], EXPECTED["communes_xa"], "communes of kind xa")
    check.equal(ck["phuong"], EXPECTED["communes_phuong"], "communes of kind phuong")
    check.equal(ck["dac-khu"], EXPECTED["communes_dac_khu"], "communes of kind dac-khu")
    ha_noi = new_by_short.get("Hà Nội", {}).get("code")
    check.equal(ha_noi, "01", "Hà Nội's code")
    check.equal(sum(c["province_code"] == ha_noi for c in communes), EXPECTED["communes_ha_noi"], "communes in Hà Nội")
    check.equal(len(old_provinces), EXPECTED["old_provinces"], "number of old provinces")
    check.equal(
        sum(not o["continues"] for o in old_provinces),
        EXPECTED["old_provinces_not_continuing"],
        "old provinces with continues=false",
    )
    check.equal(
        sum(not o["name_continues"] for o in old_provinces),
        EXPECTED["old_provinces_not_continuing"],
        "old provinces with name_continues=false",
    )
    check(len({p["code"] for p in provinces}) == len(provinces), "province codes are unique")
    check(len({c["code"] for c in communes}) == len(communes), "commune codes are unique")
    check(len({o["code"] for o in old_provinces}) == len(old_provinces), "old province codes are unique")
    check(all(re.fullmatch(r"\d{2}", p["code"]) for p in provinces + old_provinces), "province codes are 2 digits")
    check(all(re.fullmatch(r"\d{5}", c["code"]) for c in communes), "commune codes are 5 digits")
    check(all(c["province_code"] in new_codes for c in communes), "every commune's province exists")
    check(
        all(
            c["name"].startswith(PREFIX_COMMUNE[c["kind"]]) and len(c["name"]) > len(PREFIX_COMMUNE[c["kind"]])
            for c in communes
        ),
        "every commune name starts with its kind (Xã / Phường / Đặc khu)",
    )
    check(
        all(p["name"].startswith(PREFIX_PROVINCE[p["kind"]]) for p in provinces + old_provinces),
        "every province name starts with its kind (Tỉnh / Thành phố)",
    )
    all_names = [r["name"] for r in provinces + communes + old_provinces]
    check(
        all(unicodedata.is_normalized("NFC", n) and n == " ".join(n.split()) for n in all_names),
        "all names are NFC with single spaces",
    )
    check(all(normalise_name(n) == n for n in all_names), "all names use one tone-mark style (Hòa, Thủy)")
    dup = [k for k, v in Counter((c["province_code"], c["name"]) for c in communes).items() if v > 1]
    check(not dup, f"no duplicate commune name within a province ({dup[:5]})")

    if renamed:
        apos = [r for r in renamed if normalise_apostrophes(r["from"]) == r["to"]]
        case = [r for r in renamed if r not in apos and r["from"].lower() == r["to"].lower()]
        tone = [r for r in renamed if r not in apos and r not in case]
        if apos:
            notes.append(
                "Curly apostrophes (U+2019, as on the NSO site) replaced by ASCII ' as the package itself does "
                "since 2026.2.2: " + "; ".join(f"{r['code']} {r['to']}" for r in apos) + "."
            )
        if tone:
            notes.append(
                "Tone-mark placement normalised to the style the state data uses for almost all names "
                "(Hòa, Hóa, Thủy, as in 'Khánh Hòa', 'Thanh Hóa'); spellings changed from the source: "
                + "; ".join(f"{r['code']} {r['from']} -> {r['to']}" for r in tone)
                + "."
            )
        if case:
            notes.append(
                "Capitalisation fixed: " + "; ".join(f"{r['code']} {r['from']} -> {r['to']}" for r in case) + "."
            )
    huế = old_by_short.get("Huế")
    if huế:
        notes.append(
            f"Old province {huế['code']} is '{huế['name']}' (Thừa Thiên Huế became a centrally-governed city on "
            "1 January 2025, so its last pre-July-2025 name is used); kind thanh-pho."
        )
    unconfirmed = [p["short_name"] for p in provinces if not p["military_region_confirmed"]]
    notes.append(
        "military_region_confirmed is true only where a page names the province's region after the merger or "
        "in the region's reorganisation for it (see military_region_basis; for Thanh Hóa, Nghệ An, Hà Tĩnh and "
        "Đắk Lắk the basis is a page giving the region's number of provincial commands after the merger, the "
        "other members being named; for Tây Ninh and Đồng Nai it is QK7 organising their commands in mid-2025). "
        f"Not confirmed ({len(unconfirmed)}): {', '.join(unconfirmed)}; their region is the one all their "
        "predecessor provinces belonged to before 2025 (pre-2025 sources listed), and is expected but unverified."
    )
    notes.append(
        "All 63 pre-2025 military regions (old_provinces.military_region) are supported by the 'pre' sources, "
        "incl. Hòa Bình in QK3 (pre-qk3-tvnd, pre-qk3-wiki)."
    )
    return provinces, communes, old_provinces, notes


def build(wheel: WheelData, extracted_on: str, check: Checker) -> dict:
    provinces, communes, old_provinces, notes = extract(wheel, extracted_on, check)
    prov_keys = ["code", "name", "short_name", "kind", "military_region", "military_region_confirmed"]
    old_keys = [
        "code",
        "name",
        "short_name",
        "kind",
        "successor_code",
        "continues",
        "name_continues",
        "military_region",
    ]
    meta = {
        "source": (
            "Vietnamese state administrative units effective 1 July 2025: provinces per Nghị quyết "
            "202/2025/QH15 của Quốc hội (12/6/2025) về sắp xếp đơn vị hành chính cấp tỉnh; commune-level "
            "units per the Standing Committee of the National Assembly's 2025 resolutions on arranging the "
            "commune-level units of each province (Nghị quyết .../NQ-UBTVQH15 of June 2025, e.g. "
            "1656/NQ-UBTVQH15 of 16/6/2025 for Hà Nội); names and codes as published by the National "
            "Statistics Office (danhmuchanhchinh.nso.gov.vn). Extracted with tools/extract_admin_units.py "
            f"from the data files of the PyPI wheel vietnam-provinces {wheel.version} "
            f"({wheel.path.name}, sha256 {wheel.sha256 or 'n/a (unzipped tree)'})."
        ),
        "effective_date": "2025-07-01",
        "extracted_on": extracted_on,
        "licence_note": (
            "public state data; extracted with tools/extract_admin_units.py from vietnam-provinces "
            f"{wheel.version} used only as a tool (package licence {wheel.licence}; it is not a dependency "
            "and no code of it is included or imported)"
        ),
        "tool": {
            "script": "tools/extract_admin_units.py",
            "package": "vietnam-provinces",
            "package_version": wheel.version,
            "wheel_sha256": wheel.sha256,
        },
        "counts": {
            "provinces": len(provinces),
            "provinces_by_kind": dict(sorted(Counter(p["kind"] for p in provinces).items())),
            "communes": len(communes),
            "communes_by_kind": dict(sorted(Counter(c["kind"] for c in communes).items())),
            "old_provinces": len(old_provinces),
            "old_provinces_continuing": sum(o["continues"] for o in old_provinces),
            "provinces_by_military_region": dict(sorted(Counter(p["military_region"] for p in provinces).items())),
            "old_provinces_by_military_region": dict(
                sorted(Counter(o["military_region"] for o in old_provinces).items())
            ),
        },
        "field_notes": {
            "provinces.military_region": "from 1 July 2025; BTL-THUDO = Bộ Tư lệnh Thủ đô Hà Nội, QKn = Quân khu n",
            "old_provinces.successor_code": "2025 province the whole old province was merged into (Resolution 202)",
            "old_provinces.continues": "true iff the 2025 province reuses this old province's code",
            "old_provinces.name_continues": "true iff the 2025 province carries this old province's name",
            "old_provinces.military_region": "military region before 1 July 2025",
        },
        "military_region_sources": MR_SOURCES,
        "military_region_basis": {p["code"]: MR_2025_CONFIRMED_BY.get(p["short_name"], []) for p in provinces},
        "notes": notes,
    }
    return {
        "meta": meta,
        "provinces": [{k: p[k] for k in prov_keys} for p in provinces],
        "communes": [{k: c[k] for k in ("code", "name", "kind", "province_code")} for c in communes],
        "old_provinces": [{k: o[k] for k in old_keys} for o in old_provinces],
    }


def dump(doc: dict) -> str:
    """JSON with meta indented and one row per line for the three tables."""

    def row(r):
        return json.dumps(r, ensure_ascii=False, separators=(", ", ": "))

    parts = ['{\n "meta": ' + json.dumps(doc["meta"], ensure_ascii=False, indent=1).replace("\n", "\n ")]
    for key in ("provinces", "communes", "old_provinces"):
        parts.append(f' "{key}": [\n  ' + ",\n  ".join(row(r) for r in doc[key]) + "\n ]")
    return ",\n".join(parts) + "\n}\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--wheel-dir",
        type=Path,
        required=True,
        help="directory holding vietnam_provinces-*.whl (or an unzipped copy of it)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    ap.add_argument(
        "--extracted-on",
        default=dt.date.today().isoformat(),
        help="date recorded in meta.extracted_on (default: today)",
    )
    ap.add_argument("--check-only", action="store_true", help="run all checks, write nothing")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every passed check")
    args = ap.parse_args(argv)

    check = Checker()
    try:
        wheel = WheelData(args.wheel_dir)
        doc = build(wheel, args.extracted_on, check)
        text = dump(doc)
        check.equal(json.loads(text), doc, "serialised JSON round-trips")
    except (CheckError, KeyError, ValueError, StopIteration) as exc:
        check.failures.append(f"aborted: {type(exc).__name__}: {exc}")
    if args.verbose:
        for p in check.passed:
            print(f"ok    {p}")
    if check.failures:
        for f in check.failures:
            print(f"FAIL  {f}", file=sys.stderr)
        print(f"{len(check.failures)} check(s) failed; nothing written.", file=sys.stderr)
        return 1
    c = doc["meta"]["counts"]
    print(
        f"vietnam-provinces {wheel.version}: {c['provinces']} provinces {c['provinces_by_kind']}, "
        f"{c['communes']} communes {c['communes_by_kind']}, {c['old_provinces']} old provinces; "
        f"{len(check.passed)} checks passed."
    )
    for n in doc["meta"]["notes"]:
        print(f"note: {n}")
    if not args.check_only:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out} ({len(text.encode('utf-8'))} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
