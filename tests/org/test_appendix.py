"""Appendix II of seed 000: the 119 ISO 9001 units by group and year (pure parsing)."""

from collections import Counter

from motcua.org.appendix import load_appendix_ii, parse_appendix_ii


def test_appendix_ii_has_119_units_by_year_and_group():
    units = load_appendix_ii()
    assert len(units) == 119
    assert Counter(u.year for u in units) == {2018: 33, 2019: 45, 2020: 41}
    assert Counter(u.group_numeral for u in units) == {"I": 21, "II": 11, "III": 12, "IV": 34, "V": 18, "VI": 23}
    assert len({u.row for u in units}) == 119
    first, last = units[0], units[-1]
    assert (first.row, first.name, first.year) == ("I.1", "Văn phòng UBND tỉnh", 2018)
    assert first.group_name == "CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH"
    assert (last.row, last.name, last.year) == ("VI.23", "Trung tâm Kiểm nghiệm Dược phẩm - Mỹ phẩm Lạng Sơn", 2020)


def test_parser_reads_a_small_table():
    text = "\n".join(
        [
            "PHỤ LỤC II",
            "\tTT",
            "",
            "\tI",
            "\tNHÓM A",
            "\t\xa0",
            "",
            "\t1",
            "\tSở\xa0Tư pháp",
            "\t\xa0",
            "\tX",
            "\t\xa0",
            "",
        ]
    )
    [unit] = parse_appendix_ii(text)
    assert (unit.row, unit.group_name, unit.name, unit.year) == ("I.1", "NHÓM A", "Sở Tư pháp", 2019)
