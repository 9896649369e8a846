"""Pure rules: state-machine table, external codes, code patterns, masking."""

from datetime import date

from motcua.dossiers.codes import DEFAULT_PATTERN, code_scope, render_code
from motcua.dossiers.enums import EXTERNAL_STATUS, Action, DossierStatus
from motcua.dossiers.queries import mask
from motcua.dossiers.transitions import TRANSITIONS, actions_in, transition_for


def test_every_status_maps_to_one_external_code():
    assert set(EXTERNAL_STATUS) == set(DossierStatus)
    assert {int(v) for v in EXTERNAL_STATUS.values()} == set(range(1, 11))


def test_every_action_has_a_transition_and_terminal_states_have_none():
    assert {t.action for t in TRANSITIONS} == set(Action)
    for status in ("returned", "withdrawn", "stopped", "incomplete", "refused_at_receipt"):
        assert actions_in(status) == []
    assert transition_for("processing", "approve") is None
    assert transition_for("awaiting_approval", "approve").target == "next_step"
    assert transition_for("processing", "nonsense") is None


def test_code_patterns():
    day = date(2022, 9, 21)
    assert render_code("000.00.53.H48", day, 99, DEFAULT_PATTERN) == "000.00.53.H48-220921-0099"
    assert code_scope("000.00.53.H48", day, DEFAULT_PATTERN) == "000.00.53.H48-220921"
    tt04 = "{unit}-{date:%y%m%d}-{prefix}{seq:04d}"
    assert render_code("G01.001.01", day, 7, tt04, prefix="AB") == "G01.001.01-220921-AB0007"
    assert code_scope("G01.001.01", day, tt04, prefix="AB") == "G01.001.01-220921-AB"


def test_mask():
    assert mask("012345678901") == "*********901"
    assert mask("0912 345 678") == "*******678"
    assert mask(None) is None and mask("12") == "**"
