"""Turn every error into a clear Vietnamese answer: problem+json for the API, a page otherwise."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from motcua.core.errors import DomainError
from motcua.web.resubmit import remembered_fields
from motcua.web.security import security_headers
from motcua.web.templating import templates

log = logging.getLogger("motcua")

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Bạn cần đăng nhập để tiếp tục.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc tài nguyên yêu cầu.",
    405: "Phương thức không được hỗ trợ cho địa chỉ này.",
    406: "Định dạng yêu cầu không được hỗ trợ.",
    409: "Xung đột dữ liệu.",
    413: "Dữ liệu gửi lên quá lớn.",
    415: "Kiểu dữ liệu gửi lên không được hỗ trợ.",
    422: "Dữ liệu không hợp lệ.",
    429: "Bạn thao tác quá nhiều lần, vui lòng thử lại sau.",
    500: "Hệ thống gặp lỗi ngoài dự kiến. Dữ liệu của bạn không bị thay đổi; vui lòng thử lại.",
    503: "Hệ thống đang bận, chưa xử lý được yêu cầu này. Dữ liệu của bạn chưa bị thay đổi; vui lòng thử lại sau ít giây.",
}
# Seconds a client should wait after a 503 (a SQLite write lock is held for milliseconds;
# a PostgreSQL restart or failover takes a few seconds).
RETRY_AFTER_SECONDS = 2


def database_busy(exc: OperationalError) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY or SQLITE_LOCKED, including
    BUSY_SNAPSHOT): the write lock stayed taken past the busy timeout (core.db)."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (5, 6)

# Pydantic error types → Vietnamese text; `{...}` placeholders come from the error's ctx.
VALIDATION_MESSAGES = {
    "missing": "Trường này là bắt buộc.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_short": "Cần ít nhất {min_length} ký tự.",
    "string_too_long": "Không được quá {max_length} ký tự.",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "float_parsing": "Phải là số.",
    "float_type": "Phải là số.",
    "decimal_parsing": "Phải là số.",
    "bool_parsing": "Phải là đúng/sai (true/false).",
    "bool_type": "Phải là đúng/sai (true/false).",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "enum": "Giá trị không hợp lệ; chọn một trong: {expected}.",
    "literal_error": "Giá trị không hợp lệ; chọn một trong: {expected}.",
    "uuid_parsing": "Mã định danh không hợp lệ.",
    "uuid_type": "Mã định danh không hợp lệ.",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "datetime_parsing": "Thời điểm không hợp lệ (định dạng YYYY-MM-DDTHH:MM).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (định dạng YYYY-MM-DDTHH:MM).",
    "time_parsing": "Giờ không hợp lệ (định dạng HH:MM).",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "json_type": "Nội dung JSON không hợp lệ.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "list_type": "Phải là một danh sách.",
    "too_short": "Cần ít nhất {min_length} phần tử.",
    "too_long": "Không được quá {max_length} phần tử.",
    "extra_forbidden": "Trường này không được phép.",
    "value_error": "{error}",
    "assertion_error": "{error}",
}

LOCATION_NAMES = {"body": "nội dung", "query": "tham số", "path": "đường dẫn", "header": "tiêu đề", "form": "biểu mẫu"}


# Query/form/path parameter names of the pages, as users should read them on an error page.
PAGE_FIELD_LABELS = {
    "page": "Số trang",
    "page_size": "Số dòng mỗi trang",
    "per_page": "Số dòng mỗi trang",
    "q": "Từ khoá",
    "year": "Năm",
    "day": "Ngày",
    "level": "Cấp",
    "kind": "Loại",
    "field": "Lĩnh vực",
    "agency": "Cơ quan",
    "agency_id": "Cơ quan",
    "role": "Vai trò",
    "active": "Trạng thái",
    "historical": "Gồm cả cơ quan đã giải thể",
    "code": "Mã",
    "username": "Tên đăng nhập",
    "password": "Mật khẩu",
    "name": "Tên",
    "token_id": "Mã truy cập",
    "next": "Trang tiếp theo",
}


def translate_error(error: dict[str, Any]) -> dict[str, Any]:
    template = VALIDATION_MESSAGES.get(error.get("type", ""), "Giá trị không hợp lệ.")
    ctx = {k: str(v).replace(" or ", " hoặc ") for k, v in (error.get("ctx") or {}).items()}
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = "Giá trị không hợp lệ."
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    loc = [str(p) for p in error.get("loc", ())]
    return {"field": ".".join(loc[1:]) or loc[0] if loc else "", "location": loc, "message": message}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get("accept", "")


def problem(
    status: int, title: str, *, code: str, detail: Any = None, errors: list | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": f"urn:motcua:error:{code}", "title": title, "status": status, "code": code}
    if detail is not None:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def error_page(request: Request, status: int, message: str, errors: list | None = None) -> Response:
    try:
        return templates.TemplateResponse(
            request,
            "web/error.html",
            {"status": status, "message": message, "errors": errors or []},
            status_code=status,
        )
    except Exception:  # the layout itself failed: answer in plain HTML, never a bare 500
        log.exception("error page failed to render")
        return HTMLResponse(f"<h1>Lỗi {status}</h1><p>{message}</p>", status_code=status)


def resubmit_page(request: Request, *, status: int, message: str, errors: list | None = None) -> Response | None:
    """The "send again" page for a refused form post, or None when nothing was typed."""
    fields = remembered_fields(request)
    if not any(f.kind != "password" for f in fields):
        return None
    action = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return templates.TemplateResponse(
        request,
        "web/resubmit.html",
        {
            "status": status,
            "message": message,
            "errors": errors or [],
            "fields": fields,
            "labels": PAGE_FIELD_LABELS,
            "action": action,
            "multipart": any(f.kind == "file" for f in fields)
            or request.headers.get("content-type", "").startswith("multipart/form-data"),
        },
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        if is_api(request):
            return problem(exc.status_code, exc.message, code=exc.code, detail=exc.details,
                           errors=getattr(exc, "errors", None))
        if getattr(exc, "keep_form", False):  # refused before the route: keep what was typed
            page = resubmit_page(request, status=exc.status_code, message=exc.message,
                                 errors=getattr(exc, "errors", None))
            if page is not None:
                return page
        return error_page(request, exc.status_code, exc.message, getattr(exc, "errors", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = [translate_error(e) for e in exc.errors()]
        title = "Dữ liệu không hợp lệ: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        if is_api(request):
            return problem(422, title, code="invalid_input", errors=errors)
        # Pages: people read these, so parameter names are shown in Vietnamese.
        shown = [e | {"field": PAGE_FIELD_LABELS.get(e["field"], e["field"])} for e in errors]
        return error_page(request, 422, "Dữ liệu gửi lên không hợp lệ.", shown)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else HTTP_MESSAGES.get(exc.status_code, "Yêu cầu không hợp lệ.")
        headers = getattr(exc, "headers", None)
        if is_api(request):
            response = problem(exc.status_code, message, code=f"http_{exc.status_code}")
        else:
            response = error_page(request, exc.status_code, message)
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError):
        # The database refused a value (a NUL byte, a number out of range…): the input
        # was bad, and the unit of work has already been rolled back.
        log.warning("database refused a value on %s %s: %s", request.method, request.url.path, exc.orig)
        message = "Dữ liệu gửi lên chứa giá trị không hợp lệ (ký tự điều khiển hoặc giá trị vượt giới hạn)."
        if is_api(request):
            return problem(422, message, code="invalid_value")
        return error_page(request, 422, message)

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeoutError)
    async def _unavailable(request: Request, exc: OperationalError | PoolTimeoutError):
        # The database could not serve the unit of work now (a SQLite writer waited past
        # the busy timeout; PostgreSQL unreachable, restarting, or a deadlock victim; no
        # pooled connection free in time). It has been rolled back: the client may simply
        # try again.
        if isinstance(exc, OperationalError) and database_busy(exc):
            log.warning("database busy on %s %s: %s", request.method, request.url.path, exc.orig)
        else:
            log.error("database unavailable on %s %s", request.method, request.url.path, exc_info=exc)
        if is_api(request):
            response = problem(503, HTTP_MESSAGES[503], code="database_busy")
        else:
            response = error_page(request, 503, HTTP_MESSAGES[503])
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if is_api(request):
            response = problem(500, HTTP_MESSAGES[500], code="internal_error")
        else:
            response = error_page(request, 500, HTTP_MESSAGES[500])
        # Starlette answers this one outside every middleware: add the headers here.
        https_only = request.app.state.settings.session_https_only
        response.raw_headers.extend(security_headers(https_only=https_only))
        return response
