"""Kinds and levels of administrative units and agencies (stored as plain strings)."""

from enum import StrEnum


class UnitKind(StrEnum):
    province = "province"  # tỉnh
    district = "district"  # huyện / thành phố thuộc tỉnh (abolished 01/07/2025)
    commune = "commune"  # xã / thị trấn
    ward = "ward"  # phường
    special_zone = "special_zone"  # đặc khu


class AgencyLevel(StrEnum):
    province = "province"  # cấp tỉnh
    district = "district"  # cấp huyện (until 30/06/2025)
    commune = "commune"  # cấp xã


class AgencyKind(StrEnum):
    provincial_committee = "provincial_committee"  # UBND tỉnh
    department = "department"  # Sở, Văn phòng UBND tỉnh, Thanh tra tỉnh
    board = "board"  # Ban (Ban Dân tộc, Ban Quản lý khu kinh tế ...)
    service_centre = "service_centre"  # Trung tâm Phục vụ hành chính công
    sub_department = "sub_department"  # Chi cục, đơn vị trực thuộc Sở
    district_committee = "district_committee"  # UBND huyện / thành phố
    district_office = "district_office"  # Phòng chuyên môn cấp huyện
    commune_committee = "commune_committee"  # UBND xã / phường / thị trấn
    other = "other"  # anything else


UNIT_KIND_LABELS = {
    UnitKind.province: "Tỉnh",
    UnitKind.district: "Huyện/Thành phố",
    UnitKind.commune: "Xã/Thị trấn",
    UnitKind.ward: "Phường",
    UnitKind.special_zone: "Đặc khu",
}

AGENCY_LEVEL_LABELS = {
    AgencyLevel.province: "Cấp tỉnh",
    AgencyLevel.district: "Cấp huyện",
    AgencyLevel.commune: "Cấp xã",
}

AGENCY_KIND_LABELS = {
    AgencyKind.provincial_committee: "UBND tỉnh",
    AgencyKind.department: "Sở, ngành",
    AgencyKind.board: "Ban",
    AgencyKind.service_centre: "Trung tâm Phục vụ hành chính công",
    AgencyKind.sub_department: "Chi cục, đơn vị trực thuộc",
    AgencyKind.district_committee: "UBND cấp huyện",
    AgencyKind.district_office: "Phòng chuyên môn cấp huyện",
    AgencyKind.commune_committee: "UBND cấp xã",
    AgencyKind.other: "Khác",
}
