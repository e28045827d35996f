"""Korean promises. Reference moment: Wednesday 4 March 2026, 10:00 in Seoul."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from promise_scene import Scene

from bot.promises import find_promises

SEOUL = ZoneInfo("Asia/Seoul")
SCENE = Scene(SEOUL, "ko", detect=True)
WEDNESDAY = SCENE.wednesday
only, at = SCENE.only, SCENE.at


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("확인 후 내일 오전 10시까지 연락드리겠습니다.", at(5, 10)),
        ("2시간 안에 처리 결과를 안내해 드리겠습니다.", at(4, 12)),
        ("오후 3시 반까지 회신드리겠습니다.", at(4, 15, 30)),
        ("오늘 중으로 연락드리겠습니다.", at(4, 17)),
        ("금요일까지 결과를 알려드리겠습니다.", at(6, 17)),
        ("24시간 이내에 답변 드리겠습니다.", at(5, 10)),
        ("다음 주 중에 다시 연락드릴게요.", at(13, 17)),
        ("영업일 기준 2일 이내에 답변 드리겠습니다.", at(6, 17)),
    ],
)
def test_timed_promises(text: str, due: datetime) -> None:
    promise = only(text)
    assert promise.due == due
    assert not promise.vague


def test_business_days_skip_the_weekend() -> None:
    friday = datetime(2026, 3, 6, 11, 0, tzinfo=SEOUL)
    promise = only("영업일 기준 2일 이내에 안내해 드리겠습니다.", friday)
    assert promise.due == at(10, 17)
    assert promise.phrase == "영업일 기준 2일 이내에 안내해 드리겠습니다"


@pytest.mark.parametrize(
    "text",
    [
        "빠른 시일 내에 연락드리겠습니다.",
        "확인되는 대로 안내해 드리겠습니다.",
        "추후 다시 연락드릴게요.",
    ],
)
def test_vague_promises(text: str) -> None:
    promise = only(text)
    assert promise.vague
    assert promise.due == WEDNESDAY + timedelta(hours=24)


def test_a_condition_on_the_customer_does_not_lend_its_deadline() -> None:
    promise = only("24시간 안에 회신 주시면 바로 연락드리겠습니다.")
    assert promise.vague


@pytest.mark.parametrize(
    "text",
    [
        "어제 연락드렸습니다.",
        "24시간 안에 회신 부탁드립니다.",
        "내일 연락드릴까요?",
        "상품은 3일 안에 도착합니다.",
        "연락 주시면 감사하겠습니다.",
    ],
)
def test_not_promises(text: str) -> None:
    assert find_promises(text, now=WEDNESDAY, tz=SEOUL) == []
