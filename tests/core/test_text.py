from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold, fold_words, nfc


def test_fold_strips_vietnamese_diacritics_and_d_bar():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("Cấp Giấy chứng nhận quyền sử dụng đất") == "cap giay chung nhan quyen su dung dat"


def test_fold_handles_decomposed_input_like_precomposed():
    decomposed = "Đa\u0306ng ky\u0301"  # NFD as some keyboards send it
    assert fold(decomposed) == "dang ky"


def test_nfc_collapses_spaces_and_nbsp():
    assert nfc("  UBA-LSN-254487\u00a0 ") == "UBA-LSN-254487"


def test_fold_words_drops_punctuation():
    assert fold_words("Lĩnh vực: Đất đai, (mới)") == ["linh", "vuc", "dat", "dai", "moi"]


@given(st.text())
def test_fold_is_idempotent(value):
    assert fold(fold(value)) == fold(value)
