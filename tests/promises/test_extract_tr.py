"""Turkish promises. Reference moment: Wednesday 4 March 2026, 10:00 in Istanbul."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from promise_scene import Scene

from bot.promises import find_promises

ISTANBUL = ZoneInfo("Europe/Istanbul")
SCENE = Scene(ISTANBUL, "tr")
WEDNESDAY = SCENE.wednesday
only, at = SCENE.only, SCENE.at


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Kontrol edip yarın saat 15:00'e kadar size dönüş yapacağım.", at(5, 15)),
        ("24 saat içinde bilgi vereceğim.", at(5, 10)),
        ("Yarım saat içinde sizi arayacağım.", at(4, 10, 30)),
        ("Gün sonuna kadar bilgi vereceğim.", at(4, 17)),
        ("Cuma gününe kadar sizi bilgilendireceğim.", at(6, 17)),
        ("2 iş günü içinde size dönüş yapacağız.", at(6, 17)),
        ("Öğleden sonra saat 4'te sizinle iletişime geçeceğim.", at(4, 16)),
        ("Haftaya size geri dönüş sağlayacağız.", at(13, 17)),
    ],
)
def test_timed_promises(text: str, due: datetime) -> None:
    promise = only(text)
    assert promise.due == due
    assert not promise.vague


def test_phrase_and_detection() -> None:
    text = "Teşekkürler. Yarın saat 15:00'e kadar bilgi vereceğim."
    [promise] = find_promises(text, now=WEDNESDAY, tz=ISTANBUL)
    assert promise.language == "tr"
    assert promise.phrase == "Yarın saat 15:00'e kadar bilgi vereceğim"


def test_business_days_skip_the_weekend() -> None:
    friday = datetime(2026, 3, 6, 12, 0, tzinfo=ISTANBUL)
    assert only("2 iş günü içinde bilgi vereceğiz.", friday).due == at(10, 17)


@pytest.mark.parametrize(
    "text",
    [
        "En kısa sürede size dönüş yapacağız.",
        "Talebiniz incelendikten sonra bilgilendirileceksiniz.",
        "Size tekrar döneceğim.",
    ],
)
def test_vague_promises(text: str) -> None:
    promise = only(text)
    assert promise.vague
    assert promise.due == WEDNESDAY + timedelta(hours=24)


@pytest.mark.parametrize(
    "text",
    [
        "Dün size bilgi verdim.",
        "Lütfen 24 saat içinde yanıt veriniz.",
        "Kargonuz 3 gün içinde teslim edilecektir.",
        "Bize yarın dönüş yapacak mısınız?",
        "Size bugün dönüş yapamayacağım.",
    ],
)
def test_not_promises(text: str) -> None:
    assert find_promises(text, now=WEDNESDAY, tz=ISTANBUL, language="tr") == []
