"""Properties of every offline draft, in every language: it is in the customer's language, it
lints clean, and it never promises compensation. Complaints are generated from our own fragments."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.services.drafting import suggest

PROBLEMS = {
    "en": [
        "My order never arrived.",
        "You charged me twice this month.",
        "The app crashes every time I open it.",
        "Your service has been down all morning.",
        "You sent me the wrong item.",
        "I want to cancel my subscription and the button doesn't work.",
        "Nobody answers my emails about the broken login.",
    ],
    "ja": [
        "注文した商品がまだ届きません。",
        "今月の料金が二重に請求されています。",
        "アプリを開くたびにエラーで落ちてしまいます。",
        "朝からサービスにまったくログインできません。",
        "注文と違う商品が届きました。",
        "解約したいのに解約ボタンが動きません。",
    ],
    "ko": [
        "주문한 상품이 아직도 도착하지 않았어요.",
        "이번 달 요금이 두 번 결제되었습니다.",
        "앱을 열 때마다 오류가 나면서 꺼집니다.",
        "아침부터 서비스에 로그인이 안 됩니다.",
        "주문한 것과 다른 상품이 왔어요.",
        "해지하고 싶은데 해지 버튼이 작동하지 않아요.",
    ],
    "ru": [
        "Мой заказ до сих пор не доставлен.",
        "С меня дважды списали деньги за подписку.",
        "Приложение вылетает каждый раз при запуске.",
        "С утра не могу войти в личный кабинет, сервис не работает.",
        "Мне прислали не тот товар.",
        "Хочу расторгнуть договор, но кнопка отключения не работает.",
    ],
    "tr": [
        "Siparişim hâlâ elime ulaşmadı.",
        "Bu ay kartımdan iki kez ücret çekildi.",
        "Uygulama her açtığımda hata verip kapanıyor.",
        "Sabahtan beri sisteme giriş yapamıyorum.",
        "Sipariş ettiğim ürün yerine yanlış ürün gönderilmiş.",
        "Aboneliğimi iptal etmek istiyorum ama iptal butonu çalışmıyor.",
    ],
}
EXTRAS = {
    "en": ["This is the third time I'm writing!", "Order #58213.", "I paid $49.99.", "5 days!"],
    "ja": ["もう3回目の問い合わせです！", "注文番号は#58213です。", "5日も待っています。"],
    "ko": ["벌써 세 번째 문의입니다!", "주문번호는 #58213입니다.", "5일째 기다리고 있어요."],
    "ru": ["Пишу уже третий раз!", "Номер заказа #58213.", "Жду уже 5 дней."],
    "tr": ["Üçüncü kez yazıyorum!", "Sipariş numaram #58213.", "5 gündür bekliyorum."],
}  # fmt: skip


@st.composite
def complaints(draw: st.DrawFn) -> tuple[str, str]:
    language = draw(st.sampled_from(sorted(PROBLEMS)))
    parts = draw(st.lists(st.sampled_from(PROBLEMS[language]), min_size=1, max_size=2, unique=True))
    parts += draw(st.lists(st.sampled_from(EXTRAS[language]), max_size=2, unique=True))
    return language, " ".join(draw(st.permutations(parts)))


@settings(max_examples=150, deadline=None)
@given(complaints(), st.integers(min_value=0, max_value=3))
def test_every_draft_is_in_the_customers_language_and_lints_clean(
    complaint: tuple[str, str], variant: int
) -> None:
    language, text = complaint
    suggestion = suggest(text, variant=variant)
    assert suggestion.triage.is_complaint, text
    assert suggestion.triage.language == language
    assert detect(suggestion.reply) == language, suggestion.reply
    assert lint(suggestion.reply, language) == [], suggestion.reply
    assert suggestion.findings == ()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_sensible_result(text: str) -> None:
    suggestion = suggest(text)
    assert 0 <= suggestion.triage.anger <= 3
    assert suggestion.triage.language
    if suggestion.draft is None:
        assert suggestion.reply == ""
    else:
        assert suggestion.findings == ()


def test_different_complaints_get_visibly_different_drafts() -> None:
    drafts = {
        suggest(text).reply
        for text in (
            "My order never arrived.",
            "My order never arrived and it's the THIRD time I'm asking, this is a joke!!",
            "You charged me twice this month.",
            "The app crashes every time I open it.",
        )
    }
    assert len(drafts) == 4


def test_regenerate_gives_another_wording() -> None:
    text = "The app crashes every time I open it."
    assert suggest(text, variant=0).reply != suggest(text, variant=1).reply


def test_only_the_agents_name_is_a_placeholder_and_notes_carry_compensation_ideas() -> None:
    suggestion = suggest("You sent me the wrong item and I'm furious, this is unacceptable!")
    assert suggestion.draft is not None
    assert "[your name]" in suggestion.reply and "[customer name]" not in suggestion.reply
    assert any("goodwill" in note for note in suggestion.draft.notes)
    assert "refund" not in suggestion.reply.lower()
