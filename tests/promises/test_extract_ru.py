"""Russian promises. Reference moment: Wednesday 4 March 2026, 10:00 in Moscow."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from promise_scene import Scene

from bot.promises import find_promises

MOSCOW = ZoneInfo("Europe/Moscow")
SCENE = Scene(MOSCOW, "ru")
WEDNESDAY = SCENE.wednesday
only, at = SCENE.only, SCENE.at


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Я уточню у склада и сообщу вам завтра до 15:00.", at(5, 15)),
        ("Свяжусь с вами в течение 24 часов.", at(5, 10)),
        ("Перезвоню через полчаса.", at(4, 10, 30)),
        ("Проверю платёж и напишу вам в пятницу.", at(6, 17)),
        ("Сообщу результат в 3 часа дня.", at(4, 15)),
        ("Мы ответим в течение двух рабочих дней.", at(6, 17)),
        ("Сообщу до конца дня.", at(4, 17)),
        ("Дам знать на следующей неделе.", at(13, 17)),
        ("Завтра утром я с вами свяжусь.", at(5, 12)),
    ],
)
def test_timed_promises(text: str, due: datetime) -> None:
    promise = only(text)
    assert promise.due == due
    assert not promise.vague


def test_phrase_and_detection() -> None:
    [promise] = find_promises("Спасибо! Сообщу вам завтра до 15:00.", now=WEDNESDAY, tz=MOSCOW)
    assert promise.language == "ru"
    assert promise.phrase == "Сообщу вам завтра до 15:00"


def test_business_days_skip_the_weekend() -> None:
    friday = datetime(2026, 3, 6, 12, 0, tzinfo=MOSCOW)
    assert only("Ответим в течение 2 рабочих дней.", friday).due == at(10, 17)


def test_end_of_day_after_business_hours_stays_today() -> None:
    evening = datetime(2026, 3, 4, 19, 0, tzinfo=MOSCOW)
    assert only("Сообщу до конца дня.", evening).due == datetime(
        2026, 3, 4, 23, 59, 59, tzinfo=MOSCOW
    )


@pytest.mark.parametrize(
    "text",
    ["Мы свяжемся с вами в ближайшее время.", "Как только будут новости, сообщу.", "Отвечу позже."],
)
def test_vague_promises(text: str) -> None:
    promise = only(text)
    assert promise.vague
    assert promise.due == WEDNESDAY + timedelta(hours=24)


@pytest.mark.parametrize(
    "text",
    [
        "Я сообщил вам об этом вчера.",
        "Пожалуйста, ответьте в течение 24 часов.",
        "Вы сообщите мне завтра?",
        "Посылка придёт через 3 дня.",
        "Я не сообщу вам заранее.",
        "Сообщите нам, пожалуйста, до пятницы.",
    ],
)
def test_not_promises(text: str) -> None:
    assert find_promises(text, now=WEDNESDAY, tz=MOSCOW, language="ru") == []
