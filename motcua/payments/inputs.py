"""The officer's payment request from the dossier page's form into `PaymentRequestIn`, the
model the API takes: one use case, one input model."""

from __future__ import annotations

from motcua.dossiers.inputs import validated
from motcua.payments.schemas import PaymentRequestIn
from motcua.payments.service import DueFee


def amount_field(fee: DueFee) -> str:
    return f"amount-{fee.fee_id}"


def basis_field(fee: DueFee) -> str:
    return f"basis-{fee.fee_id}"


def _text(form, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def request_form_input(form, due: list[DueFee]) -> PaymentRequestIn:
    """The amounts typed for the fees the catalogue gives none for (a fee left blank is not
    entered: the service then says which ones it needs), with their basis and the note."""
    entered, names = [], {}
    for fee in (f for f in due if f.amount is None):
        amount, basis = _text(form, amount_field(fee)), _text(form, basis_field(fee))
        if amount is None and basis is None:
            continue
        names[("entered", len(entered), "amount")] = amount_field(fee)
        names[("entered", len(entered), "basis")] = basis_field(fee)
        entered.append({"fee_id": fee.fee_id, "amount": amount, "basis": basis})
    return validated(PaymentRequestIn, {"entered": entered, "note": _text(form, "note")}, names)
