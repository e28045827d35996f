"""The Russian phrase table: the linter catches the harmful phrases as Russian support agents write
them and stays quiet on de-escalating text; triage reads Russian complaints; the offline drafter
answers in Russian, in the first person, and lints clean. All sentences are our own."""

from __future__ import annotations

import pytest

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.playbook.models import Category, Detail
from bot.playbook.tables import LINT_RULES
from bot.playbook.triage import triage
from bot.services.drafting import suggest

# ---------------------------------------------------------------- linter

HARMFUL = [
    ("non-apology", "Приносим извинения за доставленные неудобства."),
    ("non-apology", "Извините за неудобство, заявка уже в работе."),
    ("non-apology", "Сожалеем о возможных неудобствах."),
    ("non-apology", "Приносим свои извинения за сложившуюся ситуацию."),
    ("non-apology", "Мне жаль, что вы так расстроились из-за обновления."),
    ("non-apology", "Сожалеем, что у вас сложилось такое впечатление о сервисе."),
    ("non-apology", "Извините, если это вас обидело."),
    ("understand-frustration", "Я понимаю ваше разочарование."),
    ("understand-frustration", "Прекрасно понимаем ваше недовольство задержкой."),
    ("understand-frustration", "Понимаю, как вам неприятно."),
    ("understand-frustration", "Я вас понимаю, ситуация действительно непростая."),
    ("understand-frustration", "Представляю, что вы сейчас чувствуете."),
    ("but-after-apology", "Извините, но вернуть товар нельзя."),
    ("but-after-apology", "Прошу прощения за задержку, однако правила этого не позволяют."),
    ("but-after-apology", "Мне очень жаль, но изменить ничего нельзя."),
    ("but-after-apology", "Понимаю вас. Но таковы условия договора."),
    ("high-volume-excuse", "В связи с большим количеством обращений время ответа увеличено."),
    ("high-volume-excuse", "Из-за высокой нагрузки на операторов ответ может задерживаться."),
    ("high-volume-excuse", "Все операторы сейчас заняты, пожалуйста, ожидайте."),
    ("high-volume-excuse", "Сейчас очень много обращений, поэтому отвечаем дольше обычного."),
    ("vague-timeline", "Мы свяжемся с вами в ближайшее время."),
    ("vague-timeline", "Постараемся решить вопрос в кратчайшие сроки."),
    ("vague-timeline", "Ответ будет направлен в установленные сроки."),
    ("vague-timeline", "Я сообщу вам о результатах проверки."),
    ("vague-timeline", "Специалист перезвонит вам, как только освободится."),
    ("impossible-promise", "Такого больше никогда не повторится."),
    ("impossible-promise", "Гарантирую, что перевод придёт завтра."),
    ("impossible-promise", "Ошибка исправлена на 100%."),
    ("impossible-promise", "Даю вам слово, больше такого не будет."),
    ("unauthorized-compensation", "Мы вернём вам деньги в полном объёме."),
    ("unauthorized-compensation", "Я оформлю вам полный возврат сегодня же."),
    ("unauthorized-compensation", "В качестве компенсации дарим скидку 20% на следующий заказ."),
    ("unauthorized-compensation", "Начислим вам 500 бонусов за ожидание."),
    ("unauthorized-compensation", "Держите промокод на следующую покупку."),
    ("blame-customer", "Вам следовало внимательнее читать договор."),
    ("blame-customer", "Как я уже писал, кнопка находится справа."),
    ("blame-customer", "Успокойтесь, пожалуйста."),
    ("blame-customer", "Вы, видимо, неправильно ввели номер карты."),
    ("blame-customer", "Это ваша ошибка, а не банка."),
    ("blame-customer", "Не надо кричать на оператора."),
    (
        "impersonal-voice",
        "Мы проверили ваш счёт, и наши специалисты всё исправят. Благодарим за обращение.",
    ),
    ("shouting", "МЫ ВСЁ ИСПРАВИЛИ."),
    ("shouting", "Проверьте настройки!!!"),
]

GOOD = [
    "Прошу прощения: карта должна была прийти ещё в понедельник, и это наша ошибка.",
    "Ждать возврата две недели, когда вам его обещали, — это ненормально. Я уже проверяю платёж.",
    "Я лично занимаюсь вашим вопросом и напишу вам сегодня до 15:00.",
    "Я напишу вам в течение 4 часов и расскажу, что удалось выяснить.",
    "Я перезвоню вам завтра в 11:00.",
    "Я расскажу, что мы меняем, чтобы такое повторялось как можно реже.",
    "Пришлите, пожалуйста, номер заказа — так я быстрее найду отправление.",
    "Спасибо, что написали мне. Могу ли я помочь вам чем-то ещё?",
    "К сожалению, карта ещё в пути. Я уточню у курьерской службы точную дату и напишу вам завтра.",
    "Мне жаль, что так вышло: это наша ошибка, и я её исправляю.",
    "Замену по гарантии я оформлю сегодня, а номер заявки пришлю через час.",
    "Если вы забыли пароль, нажмите «Восстановить доступ» на экране входа.",
    "Я проверяю логи API и SSL-сертификат вашего сайта.",
]


def test_every_rule_has_a_harmful_example() -> None:
    assert {rule for rule, _ in HARMFUL} == set(LINT_RULES)


@pytest.mark.parametrize(("rule", "text"), HARMFUL)
def test_harmful_phrase_is_flagged_with_its_excerpt(rule: str, text: str) -> None:
    findings = [f for f in lint(text, "ru") if f.rule == rule]
    assert findings, f"{rule} not found in {text!r}"
    assert all(f.excerpt and f.excerpt.lower() in text.lower() for f in findings)
    assert all("Instead:" in f.message for f in findings)


@pytest.mark.parametrize("text", GOOD)
def test_de_escalating_text_lints_clean(text: str) -> None:
    assert lint(text, "ru") == []


@pytest.mark.parametrize(
    "text",
    [
        "Я проверю ваш платёж и напишу вам в течение 24 часов.",
        "Я свяжусь с вами через 2 часа.",
        "Я сообщу вам результат к 18:00.",
    ],
)
def test_a_follow_up_with_a_real_time_is_concrete(text: str) -> None:
    assert [f for f in lint(text, "ru") if f.rule == "vague-timeline"] == []


# ---------------------------------------------------------------- triage

CHITCHAT = [
    "Привет!",
    "Добрый день, коллеги!",
    "Спасибо большое!",
    "Спасибо, всё заработало!",
    "Благодарю, вы очень помогли.",
    "Понял, спасибо.",
    "Хорошо, договорились.",
    "Давайте созвонимся завтра в 11?",
    "Можно перенести встречу на пятницу?",
    "Здравствуйте! Подскажите, пожалуйста, как изменить адрес доставки?",
    "Подскажите, где в приложении посмотреть выписку по счёту?",
    "Какой у вас график работы в субботу?",
    "Можно ли оформить карту онлайн?",
]


@pytest.mark.parametrize("text", CHITCHAT)
def test_chitchat_and_plain_questions_are_not_complaints(text: str) -> None:
    reading = triage(text)
    assert not reading.is_complaint
    assert suggest(text).reply == ""


@pytest.mark.parametrize(
    ("text", "anger"),
    [
        ("Подскажите, пожалуйста, почему не приходит код подтверждения?", 0),
        ("Карта не работает в магазинах.", 1),
        ("Спасибо, но всё равно не работает.", 1),
        ("Опять не работает приложение, это уже третий раз за неделю!", 2),
        ("Жду ответа на обращение уже 3 дня, а в чате только робот.", 2),
        ("Если до пятницы не решите вопрос, подам в суд.", 3),
        ("Напишу жалобу в Роспотребнадзор и оставлю отзыв на всех сайтах.", 3),
        ("Закрываю счёт и ухожу в другой банк.", 3),
    ],
)
def test_russian_complaints_and_anger_levels(text: str, anger: int) -> None:
    reading = triage(text)
    assert reading.language == "ru"
    assert reading.is_complaint
    assert reading.anger == anger


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Посылка должна была прийти в понедельник, а курьер так и не приехал.", "delivery"),
        ("С карты дважды списали 1500 рублей за одну покупку.", "billing"),
        ("Сайт не открывается с утра, у всех коллег то же самое.", "outage"),
        ("Телефон после обновления приложения постоянно зависает и вылетает.", "defect"),
        ("Мне прислали не тот товар, а размер перепутали.", "mistake"),
        ("Хочу расторгнуть договор, но кнопка отключения не работает.", "cancellation"),
        ("Очень не хватает тёмной темы, добавьте её, пожалуйста!", "feature-request"),
        ("Дайте скидку, у конкурентов дешевле.", "discount-request"),
        ("Уже неделю никто не может ответить, когда разблокируют карту.", "unknown-answer"),
        ("Вы там все идиоты и бездари?", "rude"),
    ],
)
def test_categories(text: str, category: str) -> None:
    reading = triage(text)
    assert reading.is_complaint
    assert reading.category == Category(category)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Мой заказ до сих пор не доставлен.", {Detail.ORDER_ID}),
        ("Мой заказ #58213 до сих пор не доставлен.", set()),
        ("Приложение вылетает при каждом запуске.", {Detail.DEVICE, Detail.ERROR}),
        ("На айфоне приложение вылетает, пишет «Ошибка сети».", set()),
        ("Сайт не работает.", {Detail.TIME, Detail.ERROR}),
        ("С утра сайт не работает, выдаёт ошибку 503.", set()),
    ],
)
def test_missing_details(text: str, missing: set[Detail]) -> None:
    assert set(triage(text).missing) == missing


def test_durations_are_kept_as_facts() -> None:
    assert "5 дней" in triage("Жду доставку уже 5 дней, а посылки всё нет.").facts.durations


# ---------------------------------------------------------------- drafter

COMPLAINTS = [
    "Мой заказ до сих пор не доставлен.",
    "С меня дважды списали деньги за подписку!",
    "Приложение вылетает каждый раз при запуске.",
    "С утра не могу войти в личный кабинет, сервис не работает.",
    "Сотрудник в отделении нахамил мне и отказался принять заявление.",
    "Если до пятницы не вернёте деньги, подам в суд и напишу жалобу в ЦБ.",
    "Пишу в третий раз, а ответа нет. Это издевательство!",
    "Мне обещали перезвонить в ближайшее время и не перезвонили. Извините, но это уже слишком.",
]


@pytest.mark.parametrize("variant", [0, 1])
@pytest.mark.parametrize("text", COMPLAINTS)
def test_draft_is_russian_first_person_and_lints_clean(text: str, variant: int) -> None:
    suggestion = suggest(text, variant=variant)
    assert suggestion.triage.is_complaint
    reply = suggestion.reply
    assert suggestion.findings == ()
    assert lint(reply, "ru") == []
    assert detect(reply) == "ru"
    assert "[имя клиента]" in reply
    assert "[ваше имя]" in reply
    assert "в течение" in reply  # a concrete time for the next update
    lowered = reply.lower()
    assert "неудобств" not in lowered
    assert "понима" not in lowered


def test_draft_quotes_the_customer_in_russian_quotes() -> None:
    assert "«Приложение вылетает каждый раз при запуске»" in suggest(COMPLAINTS[2]).reply


def test_categories_get_visibly_different_replies() -> None:
    delivery = suggest("Мой заказ до сих пор не доставлен.")
    billing = suggest("С меня дважды списали деньги за подписку.")
    assert delivery.triage.category != billing.triage.category
    assert "доставки" in delivery.reply
    assert "списание" in billing.reply
    assert delivery.reply != billing.reply


def test_anger_changes_the_reply() -> None:
    calm = suggest("Карта не работает в магазинах.")
    furious = suggest("Карта не работает в магазинах. Подам в суд!")
    assert (calm.triage.anger, furious.triage.anger) == (1, 3)
    assert "руководителя" not in calm.reply
    assert "руководителя" in furious.reply
    assert "в приоритет" in furious.reply
