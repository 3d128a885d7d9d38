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


# --- issue 18, finding 4: every way people write personal data, in Chinese and English --

_ZH, _EN = "我的{}收不到验证码", "please check {} today"

PHONES = [
    "13800138000", "138 0013 8000", "138-0013-8000", "138.0013.8000", "138–0013–8000",
    "138—0013—8000", "138_0013_8000", "138/0013/8000", "138  0013  8000", "138 - 0013 - 8000",
    "１３８００１３８０００", "１３８．００１３．８０００", "一三八零零一三八零零零", "幺三八零零幺三八零零零",
    "一三八 〇〇一三 八〇〇〇", "壹叁捌零零壹叁捌零零零", "+86 138 0013 8000", "+86-138-0013-8000",
    "0086 13800138000", "+86.138.0013.8000", "186.1234.5678", "139_1234_5678",
    "+44 20 7946 0958", "+44.20.7946.0958", "+852 2345 6789", "+1 (415) 555-2671",
    "021-68881234", "(021) 6888-1234", "010 1234 5678", "0755-8888-6666",
]
CARDS = [
    "4111111111111111", "4111 1111 1111 1111", "4111.1111.1111.1111", "4111  1111  1111  1111",
    "4111-1111-1111-1111", "6222021234567890128", "6222 0212 3456 7890 128",
    "6222.0212.3456.7890.128", "5522_0000_4444_3339", "６２１７０００００００００００００６",
]
ID_CARDS = [
    "11010519491231002X", "11010519491231002x", "110105 19491231 002X", "440524188001010014",
    "310115199003071239", "310115-19900307-1239", "４４０３０１１９８５１２３１５６７３",
]
EMAILS = [
    "root@localhost", "zhang.san+shop@example.com.cn", "John.Doe@Example.org",
    "ａｂｃ＠ｅｘａｍｐｌｅ．ｃｏｍ", "user_name@mail.qq.com", "a-b@sub.domain.io",
]
ADDRESSES = [
    ("地址是朝阳区建国路88号3号楼502室，快递没到", "地址是[address]，快递没到"),
    ("寄到南京路100号", "寄到[address]"),
    ("收货地址：浦东新区世纪大道1000号 收不到", "收货地址：[address] 收不到"),
    ("送到 中山路 8 号 2 单元", "送到 [address]"),
    ("ship it to 221 Baker Street please", "ship it to [address] please"),
    ("I live at 1600 Pennsylvania Avenue now", "I live at [address] now"),
    ("deliver to 12 Main St. tomorrow", "deliver to [address] tomorrow"),
]
NUMBERS = [
    ("订单号 202611230001234567 退款", "订单号 [number] 退款"),
    ("order 2026.1123.0001 lost", "order [number] lost"),
    ("运单 SF1234567890123", "运单 [number]"),
    ("tracking YT2026_1123_0001", "tracking [number]"),
    ("单号 一二三四五六七八九", "单号 [number]"),
    ("ref 12345678", "ref [number]"),
]
ORDINARY = [
    "退款多久到账", "iPhone 15 闪退", "2026年11月 发票", "error 1001", "支付限额 50000 元",
    "VPN 连不上", "HarmonyOS 3.0", "Windows 11 装不上", "退款 3-5 个工作日", "版本 10.2.1 更新",
    "价格 299.00 元", "一半的用户", "三十一号发货", "两个订单合并", "第一次登录", "Chrome 120 打不开",
    "AppleCare+ 保修", "2FA code not arriving",
]

VARIANTS = (
    [(_ZH.format(p), _ZH.format("[phone]")) for p in PHONES]
    + [(_EN.format(p), _EN.format("[phone]")) for p in PHONES]
    + [(_ZH.format(c), _ZH.format("[card]")) for c in CARDS]
    + [(_EN.format(c), _EN.format("[card]")) for c in CARDS]
    + [(_ZH.format(i), _ZH.format("[id]")) for i in ID_CARDS]
    + [(_EN.format(i), _EN.format("[id]")) for i in ID_CARDS]
    + [(f"发票发到 {e} 了吗", "发票发到 [email] 了吗") for e in EMAILS]
    + [(f"write to {e} please", "write to [email] please") for e in EMAILS]
    + ADDRESSES + NUMBERS + [(text, text) for text in ORDINARY]
)


def test_the_variant_table_is_large_enough():
    assert len(VARIANTS) >= 100


@pytest.mark.parametrize("text, expected", VARIANTS)
def test_every_written_variant_is_masked(text, expected):
    assert mask(text) == expected
