"""The dossier pages' forms → the use cases' input models (dossiers/schemas.py).

A posted form is turned into the same Pydantic model the API receives as JSON (ticked
checkboxes, repeated and multi-line fields, numbers typed with thousands separators) and
validated by it; a refusal becomes an InvalidInput carrying the same Vietnamese message per
field as the API's 422 problem+json (web.errors.translate_error), each field named by its
Vietnamese title for the page.
"""

from __future__ import annotations

import base64
import secrets
import types
import typing
from collections.abc import Mapping

from pydantic import BaseModel, ValidationError

from motcua.core.errors import InvalidInput
from motcua.dossiers.schemas import (
    ACTION_INPUTS,
    ADDRESS_MAX,
    ITEM_MAX,
    NAME_MAX,
    REASON_MAX,
    ActionNoteIn,
    ReceiptIn,
    action_input,
)
from motcua.web.errors import translate_error

M = typing.TypeVar("M", bound=BaseModel)
KEY_FIELD = "idempotency_key"  # the counter form's hidden idempotency key
MAX_EXTRA_COMPONENTS = 10  # free component lines ("extra-<i>-…") a form may carry
# The input models' limits, as the forms' `maxlength` (the models refuse longer text anyway).
TEXT_LIMITS = {"name": NAME_MAX, "address": ADDRESS_MAX, "item": ITEM_MAX, "reason": REASON_MAX}


def new_form_key() -> str:
    """A fresh idempotency key for a form being shown (not for one shown again after an error)."""
    return secrets.token_urlsafe(18)


def _nested_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        return next((m for m in map(_nested_model, typing.get_args(annotation)) if m), None)
    return None


def field_label(model: type[BaseModel], loc: tuple) -> str:
    """"Thành phần hồ sơ 2 — Số lượng" for ("components", 1, "count"): the fields' titles."""
    parts: list[str] = []
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            if parts:
                parts[-1] = f"{parts[-1]} {part + 1}"
            continue
        field = current.model_fields.get(str(part)) if current else None
        if field is None:
            parts.append(str(part))
            current = None
            continue
        parts.append(field.title or str(part))
        current = _nested_model(field.annotation)
    return " — ".join(parts)


def refusal(exc: ValidationError, model: type[BaseModel], names: Mapping[tuple, str] | None = None) -> InvalidInput:
    """The Vietnamese refusal of a form, with the API's message for each field.

    Each error also carries `name`, the form input it belongs to (web.forms.field_errors shows
    it there): `names` maps a model location to the input's name where they differ; otherwise
    a top-level field's own name is the input's."""
    errors = []
    for error in exc.errors():
        # Located as the API locates its body's errors, so both name the field alike.
        translated = translate_error({**error, "loc": ("body", *error["loc"])})
        loc = tuple(error["loc"])
        name = (names or {}).get(loc) or (str(loc[0]) if len(loc) == 1 else None)
        errors.append(translated | {"label": field_label(model, loc), "name": name})
    shown = [f"{e['label']}: {e['message']}" if e["label"] else e["message"] for e in errors]
    return InvalidInput("Dữ liệu không hợp lệ: " + " ".join(shown), details=errors)


def validated(model: type[M], values: dict, names: Mapping[tuple, str] | None = None) -> M:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise refusal(exc, model, names) from None


def _text(form, name: str) -> str | None:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    return text or None


def _lines(form, name: str) -> list[str]:
    return [line.strip() for line in (_text(form, name) or "").splitlines() if line.strip()]


def _drop_empty(values: dict) -> dict:
    """Fields left empty take the model's default, as when a JSON body leaves them out."""
    return {k: v for k, v in values.items() if v is not None}


def receipt_input(form) -> ReceiptIn:
    """The counter form: components ticked in the procedure's list (`comp-<spec id>`, with
    `kind-…` and `count-…`), free lines (`extra-<i>-…`), the applicant, outcome and details."""
    components = []
    # Where each model location was typed, so that its error is shown at that input.
    names: dict[tuple, str] = {("applicant", f): f for f in ("full_name", "id_number", "phone", "email", "address")}
    names[("applicant", "kind")] = "applicant_kind"
    for name, value in form.items():
        if name.startswith("comp-") and value:
            key = name.removeprefix("comp-")
            n = len(components)
            names |= {("components", n, "spec_id"): name, ("components", n, "kind"): f"kind-{key}",
                      ("components", n, "count"): f"count-{key}", ("components", n): name}
            components.append(_drop_empty({"spec_id": key, "kind": _text(form, f"kind-{key}"),
                                           "count": _text(form, f"count-{key}")}))
    for i in range(MAX_EXTRA_COMPONENTS):
        name = _text(form, f"extra-{i}-name")
        if name:
            n = len(components)
            names |= {("components", n, part): f"extra-{i}-{part}" for part in ("name", "kind", "count")}
            names[("components", n)] = f"extra-{i}-name"
            components.append(_drop_empty({"name": name, "kind": _text(form, f"extra-{i}-kind"),
                                           "count": _text(form, f"extra-{i}-count")}))
    missing = _lines(form, "missing_items")
    names |= {("missing_items", i): "missing_items" for i in range(len(missing))}
    applicant = {
        "kind": _text(form, "applicant_kind") or "person", "full_name": _text(form, "full_name") or "",
        "id_number": _text(form, "id_number"), "phone": _text(form, "phone"), "email": _text(form, "email"),
        "address": _text(form, "address"),
    }
    values = {
        "procedure_code": _text(form, "procedure_code") or "",
        "agency_id": _text(form, "agency_id"), "receiving_unit_id": _text(form, "receiving_unit_id"),
        "channel": _text(form, "channel"), "applicant": _drop_empty(applicant), "components": components,
        "outcome": _text(form, "outcome"), "missing_items": missing or None,
        "refusal_reason": _text(form, "refusal_reason"), "fees": _text(form, "fees"), "note": _text(form, "note"),
        "time_limit_days": _text(form, "time_limit_days"), "time_limit_hours": _text(form, "time_limit_hours"),
        "time_limit_basis": _text(form, "time_limit_basis"),
    }
    return validated(ReceiptIn, _drop_empty(values), names)


def uploads(form, name: str, *, max_bytes: int) -> list[tuple[str, bytes]]:
    """The files of a repeated file field; one byte over the limit is read, so the size check
    (dossiers.storage) can refuse an oversized file without reading all of it."""
    return [(f.filename, f.file.read(max_bytes + 1)) for f in form.getlist(name) if getattr(f, "filename", None)]


def action_form_input(form, action: str, *, max_bytes: int) -> ActionNoteIn:
    """One action's form on the dossier page → that action's input model (as the API's body)."""
    values = {
        "note": _text(form, "note"), "assignee": _text(form, "assignee"),
        "missing_items": _lines(form, "missing_items"), "amount": _text(form, "amount"),
        "agency_code": _text(form, "consult_agency"), "working_days": _text(form, "working_days"),
        "result_number": _text(form, "result_number"), "result_summary": _text(form, "result_summary"),
        "method": _text(form, "method"), "extra_working_days": _text(form, "extra_working_days"),
    }
    files = uploads(form, "result_file", max_bytes=max_bytes)
    if files:
        name, content = files[0]
        values |= {"file_base64": base64.b64encode(content).decode(), "file_name": name[:255]}
    try:
        return action_input(action, _drop_empty(values))
    except ValidationError as exc:
        names = {("agency_code",): "consult_agency", ("file_base64",): "result_file", ("file_name",): "result_file",
                 **{("missing_items", i): "missing_items" for i in range(len(values["missing_items"]))}}
        raise refusal(exc, ACTION_INPUTS.get(action, ActionNoteIn), names) from None
