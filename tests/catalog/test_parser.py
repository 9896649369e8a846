"""parse_catalog on small hand-made snippets of the seed 003 layout (pure, no database)."""

from motcua.catalog.parser import clean_code, parse_catalog, parse_pilot_names, provisional_code
from motcua.catalog.seed import CATALOG_SEED

HEADER = "Danh mục thủ tục hành chính\n\n\n\t\t\tSố TT\n\n\n\t\t\tCơ quan thực hiện\n\n\n\t\t\tLĩnh vực\n\n\n\t\t\tMã số TTHC\n\n\n\t\t\tTên TTHC\n\n\n\t\t\tSố NQ\n"


def table(
    *rows: list[str], tail: str = "\n\n\n\nI. BỐI CẢNH XÂY DỰNG KIẾN TRÚC\n\t\t\tnot a row\n"
) -> str:
    """Cells start with three tabs, 2 blank lines between cells, 5 between rows."""
    body = "\n\n\n\n\n".join("\n\n\n".join(f"\t\t\t{cell}" for cell in row) for row in rows)
    return HEADER + "\n\n\n\n\n" + body + tail


def test_regular_rows_are_read_by_position():
    text = table(
        [
            "1",
            "Ban Dân tộc",
            " Lĩnh vực Dân tộc",
            "UBA-LSN-254487",
            "Công nhận người có uy tín",
            " ",
        ],
        [
            "2",
            "Sở Tư pháp",
            "Lĩnh vực Hộ tịch",
            "BTP-LSN-1",
            "Đăng ký khai sinh",
            "58/NQ-CP ngày 04/07/2017",
        ],
    )
    rows = parse_catalog(text)
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].agency == "Ban Dân tộc"
    assert rows[0].field == "Lĩnh vực Dân tộc"
    assert rows[0].code == "UBA-LSN-254487"
    assert rows[0].resolution is None
    assert rows[0].notes == []
    assert rows[1].resolution == "58/NQ-CP ngày 04/07/2017"


def test_the_table_ends_at_the_architecture_text():
    rows = parse_catalog(table(["1", "Sở Y tế", "Lĩnh vực Dược", "BYT-1", "Cấp phép"]))
    assert len(rows) == 1


def test_stray_spaces_and_nbsp_in_codes_are_removed():
    assert clean_code("BCT- LSN-275407") == "BCT-LSN-275407"
    assert clean_code("BKH-LSN- 271964") == "BKH-LSN-271964"
    assert clean_code("BKH-LSN 271953") == "BKH-LSN-271953"
    assert clean_code("\xa0T-BCT-\xa0LSN-254543 ") == "T-BCT-LSN-254543"
    assert clean_code("TTR-LSN-16-10950") == "TTR-LSN-16-10950"


def test_missing_code_and_not_found_in_database_get_a_provisional_code_and_a_note():
    rows = parse_catalog(
        table(
            ["1", "Sở Tài chính", "Lĩnh vực Công sản", "", "Quyết định thanh lý tài sản công", ""],
            [
                "2",
                "Sở Tài chính",
                "Lĩnh vực Công sản",
                "không tìm thấy  trên CSDL",
                "Hỗ trợ lãi suất",
                "",
            ],
        )
    )
    assert [r.code for r in rows] == [None, None]
    assert rows[0].notes == [f"Không có mã TTHC; gán mã tạm {provisional_code(1)}"]
    assert rows[1].notes == ["Mã TTHC ghi là “không tìm thấy trên CSDL”; gán mã tạm LSN-TT-2"]
    assert all(r.importable for r in rows)


def test_merged_field_cell_is_inherited_from_the_row_above_and_reported():
    rows = parse_catalog(
        table(
            ["1", "Sở Xây dựng", "Lĩnh vực Nhà ở", "T-LSN-1-TT", "Cho thuê nhà ở", ""],
            ["2", "Sở Xây dựng", "", "T-LSN-2-TT", "Bán nhà ở", ""],
        )
    )
    assert rows[1].field == "Lĩnh vực Nhà ở"
    assert rows[1].field_inherited is True
    assert rows[1].notes == ["Thiếu lĩnh vực (ô gộp); lấy theo dòng trên: Lĩnh vực Nhà ở"]


def test_merged_cells_dropping_number_and_agency_in_the_mangled_stretch():
    # Rows that start with a space lose their number, agency, field or name (seed rows 1712–1738).
    text = (
        HEADER
        + "\n\n\n\n\n\t\t\t10\n\n\n\t\t\tUBND Xã\n\n\n\t\t\tLĩnh vực Tư pháp\n\n\n\t\t\tBTP-LSN-1\n\n\n\t\t\tChứng thực chữ ký"
        + "\n \t\t\tLĩnh vực Lao động - Thương binh và Xã hội\n\n\n\t\t\tT-LSN-2-TT\n\n\n\t\t\tXác định mức độ khuyết tật"
        + "\n \t\t\tMiễn chấp hành quyết định cai nghiện"
        + "\n \t\t\tLĩnh vực Tài nguyên và Môi trường\n\n\n\t\t\tT-LSN-3-TT"
        + "\n\n\n\n\n\n\n\n\t\t\t15\n\n\n\t\t\tUBND Xã\n\n\n\t\t\tLĩnh vực Tư pháp\n\n\n\t\t\tBTP-LSN-4\n\n\n\t\t\tĐăng ký lại khai sinh\n\n\n\t\t\t\xa0\n"
    )
    rows = {r.number: r for r in parse_catalog(text)}
    assert sorted(rows) == list(range(1, 16))
    assert all(rows[n].missing for n in range(1, 10))
    second = rows[11]
    assert (second.number_inferred, second.agency, second.agency_inherited) == (
        True,
        "UBND Xã",
        True,
    )
    assert (second.field, second.code, second.name) == (
        "Lĩnh vực Lao động - Thương binh và Xã hội",
        "T-LSN-2-TT",
        "Xác định mức độ khuyết tật",
    )
    name_only = rows[12]
    assert (name_only.name, name_only.code, name_only.field_inherited) == (
        "Miễn chấp hành quyết định cai nghiện",
        None,
        True,
    )
    no_name = rows[13]
    assert no_name.code == "T-LSN-3-TT" and no_name.name is None and not no_name.importable
    assert "Thiếu tên thủ tục (ô bị mất trong tài liệu nguồn); không nhập được" in no_name.notes
    assert rows[14].missing and "không có trong tài liệu nguồn" in rows[14].notes[0]
    assert rows[15].name == "Đăng ký lại khai sinh" and rows[15].resolution is None


def test_pilot_list_needs_its_annex():
    assert (
        parse_pilot_names(
            "QUYẾT ĐỊNH\nPhê duyệt Danh mục thủ tục hành chính\n1. Danh mục 07 thủ tục\n"
        )
        == []
    )
    annex = "DANH MỤC THỦ TỤC HÀNH CHÍNH THÍ ĐIỂM\n1. Cấp giấy phép xây dựng nhà ở riêng lẻ\n2) Đăng ký khai sinh cho trẻ em\n"
    assert parse_pilot_names(annex) == [
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Đăng ký khai sinh cho trẻ em",
    ]


def test_no_value_is_inherited_across_the_fragment_before_row_1714():
    rows = {r.number: r for r in parse_catalog(CATALOG_SEED.read_text(encoding="utf-8"))}
    fragment, martyrs, rehab = rows[1713], rows[1714], rows[1715]
    assert not fragment.importable
    assert martyrs.name.startswith("Thủ tục xác nhận đơn đề nghị di chuyển hài cốt liệt sĩ")
    assert rehab.name.startswith("Quyết định quản lý cai nghiện ma túy tự nguyện tại gia đình")
    for row in (martyrs, rehab):
        assert row.field is None  # not "Tài nguyên và Môi trường" from the fragment
        assert "Thiếu lĩnh vực; không lấy theo dòng trên vì đoạn bảng bị hỏng ở dòng 1713" in row.notes
        # the rows before (1712) and after (1719) the fragment both say UBND Xã
        assert row.agency == "UBND Xã"
        assert (
            "Thiếu cơ quan thực hiện; các dòng trước và sau đoạn hỏng (dòng 1713) cùng ghi: UBND Xã" in row.notes
        )
    assert rows[1716].field == "Lĩnh vực Lao động - Thương binh và Xã hội"


def test_the_lone_code_before_row_1714_is_reported_not_attached():
    rows = {r.number: r for r in parse_catalog(CATALOG_SEED.read_text(encoding="utf-8"))}
    assert rows[1714].code is None
    assert rows[1713].code == "T-LSN-286506-TT"
    assert any(note.startswith("Mã T-LSN-286506-TT đứng một mình") for note in rows[1713].notes)


def test_a_stretch_whose_neighbours_disagree_gets_no_value():
    text = (
        "\t\t\t1\n\n\n\t\t\tSở Tư pháp\n\n\n\t\t\tLĩnh vực Hộ tịch\n\n\n\t\t\tBTP-LSN-1\n\n\n\t\t\tThủ tục một\n\n\n\n\n"
        " \t\t\tLĩnh vực Đất đai\n\n\n\t\t\tT-LSN-2-TT\n"
        " \t\t\tThủ tục hai\n\n\n\n\n"
        "\t\t\t4\n\n\n\t\t\tSở Y tế\n\n\n\t\t\tLĩnh vực Y tế\n\n\n\t\t\tBYT-LSN-4\n\n\n\t\t\tThủ tục bốn\n"
    )
    rows = {r.number: r for r in parse_catalog(text)}
    assert (rows[3].name, rows[3].agency, rows[3].field) == ("Thủ tục hai", None, None)
