"""Japanese promises. Reference moment: Wednesday 4 March 2026, 10:00 in Tokyo."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from promise_scene import Scene

from bot.promises import find_promises

TOKYO = ZoneInfo("Asia/Tokyo")
SCENE = Scene(TOKYO, "ja", detect=True)
WEDNESDAY = SCENE.wednesday
only, at = SCENE.only, SCENE.at


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("確認いたしまして、明日の10時までにご連絡いたします。", at(5, 10)),
        ("24時間以内にご報告します。", at(5, 10)),
        ("担当部署に確認し、1時間後に折り返しお電話いたします。", at(4, 11)),
        ("午後3時までに状況をご案内いたします。", at(4, 15)),
        ("本日中に結果をご連絡いたします。", at(4, 17)),
        ("金曜日までに調査結果をお知らせします。", at(6, 17)),
        ("来週中にご回答させていただきます。", at(13, 17)),
        ("明日の午前中にご連絡差し上げます。", at(5, 12)),
        ("２営業日以内にご回答いたします。", at(6, 17)),  # full-width digit
    ],
)
def test_timed_promises(text: str, due: datetime) -> None:
    promise = only(text)
    assert promise.due == due
    assert not promise.vague


def test_phrase_keeps_the_original_full_width_characters() -> None:
    text = "大変失礼いたしました。１０時までにご連絡いたします。"
    promise = only(text)
    assert promise.phrase == "１０時までにご連絡いたします"
    assert text[promise.span[0] : promise.span[1]] == promise.phrase
    assert promise.due == at(4, 10) + timedelta(days=1)  # 10:00 today has just begun → tomorrow


def test_business_days_skip_the_weekend() -> None:
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=TOKYO)
    assert only("2営業日以内にご連絡いたします。", friday).due == at(10, 17)


@pytest.mark.parametrize(
    "text",
    [
        "追ってご連絡いたします。",
        "改めてご案内いたします。",
        "確認次第、ご報告いたします。",
        "ご連絡いたします。",
    ],
)
def test_vague_promises(text: str) -> None:
    promise = only(text)
    assert promise.vague
    assert promise.due == WEDNESDAY + timedelta(hours=24)


@pytest.mark.parametrize(
    "text",
    [
        "昨日ご連絡いたしました。",
        "24時間以内にご連絡ください。",
        "明日までにご返信いただけますか？",
        "お荷物は3日以内に届きます。",
        "明日ご連絡いたしますか。",
        "ご連絡できかねます。",
    ],
)
def test_not_promises(text: str) -> None:
    assert find_promises(text, now=WEDNESDAY, tz=TOKYO) == []
