"""`motcua import-catalog` and `motcua export-catalog` against the seeded test database.

The seeded database already holds the catalogue, so importing again commits nothing.
"""

import json

from openpyxl import load_workbook

from motcua.catalog.seed import CATALOG_SEED
from tests.catalog.conftest import run_cli as run


def test_import_catalog_prints_the_report(cli_db):
    result = run("import-catalog", str(CATALOG_SEED))
    assert result.exit_code == 0, result.output
    assert "Số dòng đã đọc: 1749" in result.output
    assert "Thủ tục tạo mới: 0" in result.output
    assert "Dòng 1706 (KHÔNG NHẬP): Dòng không có trong tài liệu nguồn" in result.output
    quiet = run("import-catalog", str(CATALOG_SEED), "--quiet")
    assert "Các dòng không đọc được đầy đủ" not in quiet.output


def test_import_catalog_missing_or_unreadable_file(cli_db, tmp_path):
    missing = run("import-catalog", str(tmp_path / "khong-co.txt"))
    assert missing.exit_code == 1
    assert "Lỗi: Không tìm thấy tệp danh mục" in missing.output
    directory = run("import-catalog", str(tmp_path))
    assert directory.exit_code == 1 and "Lỗi: Đường dẫn không phải là tệp" in directory.output
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "Lỗi: Tệp không phải văn bản UTF-8" in run("import-catalog", str(binary)).output


def test_export_catalog_json_and_xlsx(cli_db, tmp_path):
    out = tmp_path / "thu-tuc.json"
    result = run("export-catalog", "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Đã xuất 1680 thủ tục ra {out}."
    assert len(json.loads(out.read_text(encoding="utf-8"))["procedures"]) == 1680
    xlsx = tmp_path / "thu-tuc.xlsx"
    assert run("export-catalog", "--format", "xlsx", "--output", str(xlsx)).exit_code == 0
    assert load_workbook(xlsx)["Thủ tục"].max_row == 1681
    bad = run("export-catalog", "--format", "csv", "--output", str(tmp_path / "x.csv"))
    assert bad.exit_code == 1 and "Lỗi: Định dạng “csv” không hỗ trợ" in bad.output


def test_coverage_and_load_legal_commands(cli_db, tmp_path):
    coverage = run("catalog", "coverage")
    assert coverage.exit_code == 0, coverage.output
    assert "Thủ tục đang có hiệu lực có nội dung pháp lý kèm căn cứ" in coverage.output
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"name": "Không khớp thủ tục nào abc", "seed_rows": []}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    loaded = run("catalog", "load-legal", str(path))
    assert loaded.exit_code == 0, loaded.output
    assert "không khớp 1 dòng" in loaded.output and "Không khớp thủ tục nào abc" in loaded.output
