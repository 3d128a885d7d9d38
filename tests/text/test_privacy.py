"""Personal data is masked in Chinese and English text before anything is stored."""
from __future__ import annotations

import pytest

from portal.text.privacy import mask


@pytest.mark.parametrize("text, expected", [
    # mainland mobile numbers, plain, spaced, dashed, with +86 and in full width
    ("我的手机13800138000收不到验证码", "我的手机[phone]收不到验证码"),
    ("call me on 138 0013 8000 please", "call me on [phone] please"),
    ("电话：+86 138-0013-8000", "电话：[phone]"),
    ("手机号１３９１２３４５６７８换绑", "手机号[phone]换绑"),
    # international and landline numbers
    ("UK office +44 20 7946 0958 is closed", "UK office [phone] is closed"),
    ("客服电话 021-68881234 打不通", "客服电话 [phone] 打不通"),
    ("香港 +852 2345 6789", "香港 [phone]"),
    # e-mail addresses
    ("发票发到 zhang.san+shop@example.com.cn 了吗", "发票发到 [email] 了吗"),
    ("my email is John.Doe@Example.org", "my email is [email]"),
    # ID-card numbers (18 with X, 18 digits)
    ("身份证号11010519491231002X实名认证失败", "身份证号[id]实名认证失败"),
    ("ID 440524188001010014 rejected", "ID [id] rejected"),
    # long digit runs such as order and tracking numbers
    ("订单号 202611230001234567 退款", "订单号 [number] 退款"),
    ("order #20261123 0001 2345 refund", "order #[number] refund"),
    ("快递单号SF1234567890123查不到", "快递单号[number]查不到"),
])
def test_each_pattern_is_masked(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", [
    "退款多久到账", "iPhone 15 闪退", "2026年11月 发票", "error 1001", "支付限额 50000 元",
    "VPN 连不上", "HarmonyOS 3.0",
])
def test_ordinary_questions_are_left_alone(text):
    assert mask(text) == text


def test_empty_and_none():
    assert mask("") == "" and mask(None) == ""
