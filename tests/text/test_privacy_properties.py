"""Property tests for the masker: any text is masked without error, and a generated
phone number, however it is written, never survives."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from portal.text.privacy import mask

BOUNDED = settings(max_examples=150, deadline=None)
_DIGIT_FORMS = [("0", "〇零０"), ("1", "一幺１"), ("2", "二两２"), ("3", "三３"), ("4", "四４"),
                ("5", "五５"), ("6", "六６"), ("7", "七７"), ("8", "八８"), ("9", "九９")]
_DIGIT_CHARS = "".join(ascii + others for ascii, others in _DIGIT_FORMS)
_TO_ASCII = {ord(char): ascii for ascii, others in _DIGIT_FORMS for char in others}
separators = st.text(alphabet=" .-–—_/", max_size=3)
# Text around the number: anything but digits (whose neighbours could make it another
# number) and '@' (which turns it into an e-mail address, masked just the same).
surrounding = st.text(alphabet=st.characters(blacklist_characters=_DIGIT_CHARS + "@",
                                             blacklist_categories=("Nd", "No", "Nl", "Cs")),
                      max_size=12)


@st.composite
def written_mobile_numbers(draw):
    """A mainland mobile number, in groups split by separators, digits in any script."""
    digits = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9,
                                                                    max_size=9))
    cut_a = draw(st.integers(1, 5))
    cut_b = draw(st.integers(cut_a + 1, 10))
    groups = [digits[:cut_a], digits[cut_a:cut_b], digits[cut_b:]]
    written = draw(separators).join(groups[:2]) + draw(separators) + groups[2]
    forms = dict(_DIGIT_FORMS)
    written = "".join(draw(st.sampled_from(c + forms[c])) if c.isdigit() else c
                      for c in written)
    prefix = draw(st.sampled_from(["", "+86 ", "+86-", "0086 "]))
    return digits, prefix + written


@BOUNDED
@given(surrounding, written_mobile_numbers(), surrounding)
def test_no_digit_of_a_generated_phone_number_survives(before, number, after):
    digits, written = number
    masked = mask(f"{before}{written}{after}")
    left = re.sub(r"\D", "", masked.translate(_TO_ASCII))
    assert left == "", (written, masked)


@BOUNDED
@given(st.text(max_size=80))
def test_any_text_is_masked_without_error(text):
    assert isinstance(mask(text), str)
