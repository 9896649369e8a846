"""One Jinja2 environment for every domain's templates, with Vietnamese filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from motcua.core.clock import LOCAL_TZ, to_local
from motcua.domains import registry
from motcua.web.csrf import csrf_token
from motcua.web.flash import pop_flashes

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def vn_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, in local time for instants."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%H:%M %d/%m/%Y")


def vn_weekday_date(value: date | datetime | None) -> str:
    """"Thứ Sáu, 24/01/2025"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(to_local(value), "EEEE, dd/MM/yyyy", tzinfo=LOCAL_TZ, locale="vi").capitalize()
    return format_date(value, "EEEE, dd/MM/yyyy", locale="vi").capitalize()


def vn_money(value: int | Decimal | None) -> str:
    """"1.234.567 đ"."""
    if value is None:
        return ""
    return f"{format_decimal(value, locale='vi')} đ"


def vn_number(value: int | float | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale="vi")


def vn_fixed(value: float | None, places: int = 1) -> str:
    """A figure with exactly `places` decimals, Vietnamese style ("13,33"; "1.234,5"): points and
    shares, where "13.33" would read as thirteen thousand."""
    if value is None:
        return ""
    return format_decimal(round(value, places), format="#,##0." + "0" * places, locale="vi")


def province_name(request) -> str:
    settings = getattr(request.app.state, "settings", None)
    return settings.province_name if settings else "Lạng Sơn"


def _layout_context(request) -> dict:
    """Values every page needs: the signed-in user, CSRF token, flashes, province."""
    settings = getattr(request.app.state, "settings", None)
    has_session = "session" in request.scope
    return {
        "current_user": getattr(request.state, "user", None),
        "csrf_token": (lambda: csrf_token(request)) if has_session else (lambda: ""),
        "flashes": lambda: pop_flashes(request),
        "settings_province_name": province_name(request),
        "settings_province_code": settings.province_code if settings else "H37",
    }


templates = Jinja2Templates(
    directory=str(PACKAGE_DIR / "web" / "templates"), context_processors=[_layout_context]
)
templates.env.loader = ChoiceLoader([FileSystemLoader([str(d) for d in registry.template_dirs()])])
templates.env.filters.update(
    vn_date=vn_date,
    vn_datetime=vn_datetime,
    vn_weekday_date=vn_weekday_date,
    vn_money=vn_money,
    vn_number=vn_number,
    vn_fixed=vn_fixed,
)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
