"""The page number of a paginated list, as every list page reads it from its query string."""

from __future__ import annotations

from motcua.core.errors import InvalidInput

MAX_PAGE = 10000


def parse_page(value: str | None) -> int:
    if value is None or value.strip() == "":
        return 1
    try:
        page = int(value.strip())
    except ValueError as exc:
        raise InvalidInput("Số trang phải là số nguyên dương.") from exc
    if page < 1 or page > MAX_PAGE:
        raise InvalidInput("Số trang phải từ 1 đến 10.000.")
    return page
