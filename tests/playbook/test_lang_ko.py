"""The Korean phrase table: linter rules, triage and the offline drafter, on our own sentences."""

from __future__ import annotations

import pytest

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.playbook.models import Category, Detail
from bot.playbook.tables import LINT_RULES, language
from bot.playbook.triage import triage
from bot.services.drafting import suggest


def test_table_is_complete() -> None:
    table = language("ko")
    assert table is not None
    assert set(LINT_RULES) <= set(table.lint)
    assert table.compose.name_placeholder == "[고객명]"
    assert table.compose.agent_placeholder == "[담당자 이름]"


# ---------------------------------------------------------------- linter

HARMFUL = [
    ("non-apology", "이용에 불편을 드려 죄송합니다."),
    ("non-apology", "불편을 끼쳐 드린 점 깊이 사과드립니다."),
    ("non-apology", "불편하셨다면 양해 부탁드립니다."),
    ("non-apology", "이용에 불편이 있으셨다면 죄송합니다."),
    ("non-apology", "그렇게 느끼셨다면 죄송합니다."),
    ("non-apology", "기분이 상하셨다면 사과드릴게요."),
    ("non-apology", "문제를 겪으셨다니 유감입니다."),
    ("non-apology", "심려를 끼쳐 드려 대단히 죄송합니다."),
    ("non-apology", "번거롭게 해 드려 죄송해요."),
    ("understand-frustration", "고객님의 불편함을 이해합니다."),
    ("understand-frustration", "고객님의 좌절감을 충분히 이해합니다."),
    ("understand-frustration", "답답하신 마음 충분히 이해합니다."),
    ("understand-frustration", "얼마나 속상하실지 잘 압니다."),
    ("understand-frustration", "불편하셨을 점 충분히 공감합니다."),
    ("understand-frustration", "고객님 입장 충분히 이해해요."),
    ("but-after-apology", "죄송하지만 환불은 어렵습니다."),
    ("but-after-apology", "죄송합니다만 규정상 교환이 불가합니다."),
    ("but-after-apology", "대단히 죄송하오나 해당 건은 처리할 수 없습니다."),
    ("but-after-apology", "죄송한데요, 그건 제 담당이 아니에요."),
    ("but-after-apology", "정말 죄송해요. 하지만 저도 방법이 없어요."),
    ("but-after-apology", "말씀하신 내용은 이해합니다. 다만 정책은 바꿀 수 없습니다."),
    ("high-volume-excuse", "현재 문의량이 많아 답변이 늦어지고 있습니다."),
    ("high-volume-excuse", "상담 요청이 폭주하여 연결이 지연되고 있습니다."),
    ("high-volume-excuse", "주문량 급증으로 출고가 늦어지고 있어요."),
    ("high-volume-excuse", "지금은 모든 상담원이 통화 중이라 연결이 어렵습니다."),
    ("high-volume-excuse", "평소보다 문의가 많아 처리에 시간이 걸립니다."),
    ("vague-timeline", "확인 후 곧 연락드리겠습니다."),
    ("vague-timeline", "빠른 시일 내에 처리해 드리겠습니다."),
    ("vague-timeline", "최대한 빨리 해결하겠습니다."),
    ("vague-timeline", "추후 안내해 드리겠습니다."),
    ("vague-timeline", "접수된 순서대로 순차적으로 답변드리겠습니다."),
    ("vague-timeline", "담당자가 확인하는 대로 연락드릴게요."),
    ("vague-timeline", "결과가 나오면 다시 알려 드리겠습니다."),
    ("impossible-promise", "다시는 이런 일이 없을 것입니다."),
    ("impossible-promise", "두 번 다시 같은 문제가 발생하지 않도록 하겠습니다."),
    ("impossible-promise", "이번 조치로 100% 해결됩니다."),
    ("impossible-promise", "재발하지 않을 것을 보장합니다."),
    ("impossible-promise", "제가 장담합니다, 내일이면 완벽하게 해결됩니다."),
    ("unauthorized-compensation", "전액 환불해 드리겠습니다."),
    ("unauthorized-compensation", "환불 처리해 드릴게요."),
    ("unauthorized-compensation", "다음 주문 때 쓰실 수 있게 20% 할인 쿠폰을 보내 드리겠습니다."),
    ("unauthorized-compensation", "사과의 의미로 적립금 5000원을 지급해 드렸습니다."),
    ("unauthorized-compensation", "한 달 무료로 이용하실 수 있게 해 드릴게요."),
    ("unauthorized-compensation", "이번 달 요금은 면제해 드리겠습니다."),
    ("blame-customer", "주문 전에 옵션을 확인하셨어야 합니다."),
    ("blame-customer", "이미 말씀드린 바와 같이 환불 기간이 지났습니다."),
    ("blame-customer", "앞서 안내해 드렸듯이 설정에서 바꾸시면 됩니다."),
    ("blame-customer", "고객님, 일단 진정하세요."),
    ("blame-customer", "흥분하지 마시고 제 말을 들어 보세요."),
    ("blame-customer", "주소를 잘못 입력하신 것 같습니다."),
    ("blame-customer", "이건 고객님의 과실입니다."),
    ("blame-customer", "안내문을 제대로 안 읽으셨네요."),
    ("impersonal-voice", "저희 팀에서 확인 중이며, 저희가 최선을 다하겠습니다."),
    (
        "impersonal-voice",
        "당사는 고객님의 의견을 소중히 여깁니다. 우리 회사는 늘 노력하고 있습니다.",
    ),
    ("shouting", "꼭 확인해 주세요!!!"),
    ("shouting", "설정을 바꾸셨나요?!"),
]

GOOD = [
    "주문하신 상품이 파손된 채 도착한 것은 저희 잘못입니다. 제가 진심으로 사과드립니다.",
    "약속드린 환불을 2주째 기다리신 건 있어서는 안 될 일입니다. 제가 지금 확인합니다.",
    "제가 직접 확인하고 있고, 오늘 15시까지 결과를 알려 드리겠습니다.",
    "4시간 이내에 확인한 내용을 연락드리겠습니다.",
    "내일 오전 10시까지 배송 상황을 다시 알려 드릴게요.",
    "같은 문제가 다시 생길 가능성을 줄이기 위해 무엇을 바꾸는지 금요일까지 제가 알려 드리겠습니다.",
    "주문번호를 보내 주시겠어요? 배송 건을 바로 찾는 데 필요합니다.",
    "이 문제를 직접 알려 주셔서 감사합니다. 제가 더 도와드릴 일이 있을까요?",
    "설정 위치가 찾기 어렵게 되어 있었습니다. 바꾸는 방법은 이렇습니다.",
    "설정 화면이 불편하게 되어 있던 건 제 잘못이고, 진심으로 사과드립니다.",
    "제가 정말 죄송합니다. 지금 제가 하고 있는 조치는 이렇습니다.",
    "청구 내역을 가입 조건과 대조해서 24시간 이내에 결과를 말씀드리겠습니다.",
    "저희 쪽 실수로 다른 색상이 발송되었습니다. 제가 교환 절차를 바로 진행하고 있습니다.",
    "제가 더 일찍 확인했어야 했습니다. 정말 죄송합니다.",
    "주문 내역을 제가 확인했고, 저희 물류팀과 함께 추적하고 있습니다.",
    "제가 곧바로 로그를 확인했습니다.",
    "API 연결과 SSL 인증서를 제가 확인했는데 둘 다 정상입니다.",
]


@pytest.mark.parametrize(("rule", "text"), HARMFUL)
def test_harmful_phrase_is_flagged_with_its_excerpt(rule: str, text: str) -> None:
    findings = [f for f in lint(text, "ko") if f.rule == rule]
    assert findings, f"{rule} not found in {text!r}"
    assert all(f.excerpt and f.excerpt in text for f in findings)
    assert all("Instead:" in f.message for f in findings)


def test_every_rule_has_a_korean_example() -> None:
    assert {rule for rule, _ in HARMFUL} == set(LINT_RULES)


@pytest.mark.parametrize("text", GOOD)
def test_de_escalating_text_lints_clean(text: str) -> None:
    assert lint(text, "ko") == []


def test_language_is_detected_when_not_given() -> None:
    assert [f.rule for f in lint("불편을 드려 죄송합니다.")] == ["non-apology"]


# ---------------------------------------------------------------- triage

NOT_COMPLAINTS = [
    "안녕하세요!",
    "감사합니다 ㅎㅎ",
    "네 알겠습니다",
    "확인 감사합니다. 좋은 하루 보내세요!",
    "감사합니다, 이제 잘 돼요!",
    "문제없이 잘 받았습니다. 감사합니다.",
    "내일 오후 3시에 통화 가능하실까요?",
    "오늘 미팅 4시로 옮길 수 있을까요?",
    "비밀번호는 어떻게 바꾸나요?",
    "환불 규정이 어떻게 되나요?",
    "영수증은 어디서 받을 수 있나요?",
    "혹시 다음 주에 재입고 되나요?",
    "배송 조회는 어디서 하나요?",
]


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_chit_chat_and_plain_questions_are_not_complaints(text: str) -> None:
    reading = triage(text)
    assert reading.language == "ko"
    assert not reading.is_complaint
    assert reading.anger == 0


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("아침부터 사이트 접속이 안 돼요. 팀 전체가 일을 못 하고 있어요.", Category.OUTAGE),
        ("계정이 잠겨서 로그인을 못 하고 있어요.", Category.OUTAGE),
        ("이번 달 요금이 두 번 결제됐어요. 확인 부탁드립니다.", Category.BILLING),
        ("주문한 지 일주일이 넘었는데 배송이 안 와요.", Category.DELIVERY),
        ("앱이 계속 튕겨요. 업데이트 이후로 실행이 안 됩니다.", Category.DEFECT),
        ("충전기가 일주일 만에 고장 났어요.", Category.DEFECT),
        ("검은색을 시켰는데 흰색이 왔네요.", Category.MISTAKE),
        ("상품 설명과 다른 제품이 왔습니다. 반품 요청합니다.", Category.MISTAKE),
        ("다크 모드가 없어서 너무 불편해요. 기능 추가해 주세요.", Category.FEATURE_REQUEST),
        ("가격이 너무 비싸요. 할인 쿠폰 같은 건 없나요?", Category.DISCOUNT_REQUEST),
        ("이런 서비스는 더 못 쓰겠어요. 구독 해지해 주세요.", Category.CANCELLATION),
        ("고객센터에 전화해도 안 받고 메일도 답이 없네요.", Category.UNKNOWN_ANSWER),
        ("일을 그따위로 하는 멍청한 직원들 때문에 열받네요.", Category.RUDE),
    ],
)
def test_category(text: str, category: Category) -> None:
    reading = triage(text)
    assert reading.language == "ko"
    assert reading.is_complaint
    assert reading.category == category


@pytest.mark.parametrize(
    ("text", "anger"),
    [
        ("이번 달 요금이 두 번 결제됐어요. 확인 부탁드립니다.", 0),
        ("품질이 진짜 별로네요. 비추합니다.", 1),
        ("생각보다 너무 작고 마감도 엉망이에요. 돈 아까워요.", 1),
        ("한 번 빨았더니 줄어들었어요 ㅠㅠ", 1),
        ("주문한 지 일주일이 넘었는데 아직도 배송이 안 왔어요.", 2),
        ("벌써 세 번째 문의인데 아무도 답변을 안 주네요. 도대체 뭐 하는 회사입니까?", 2),
        ("3일째 인터넷이 먹통이에요!!", 2),
        ("이런 식이면 서비스 해지하겠습니다.", 3),
        ("이거 완전 사기네요. 변호사랑 상담하겠습니다.", 3),
        ("계속 이러면 소비자원에 신고하고 후기에 다 올리겠습니다.", 3),
        ("다시는 여기서 안 삽니다.", 3),
    ],
)
def test_anger(text: str, anger: int) -> None:
    reading = triage(text)
    assert reading.is_complaint
    assert reading.anger == anger


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("배송이 너무 늦어요. 언제 오나요?", (Detail.ORDER_ID,)),
        ("배송이 너무 늦어요. 주문번호는 #58213입니다.", ()),
        ("앱이 계속 튕겨요.", (Detail.DEVICE, Detail.ERROR)),
        ("갤럭시에서 앱이 계속 튕기고 '연결 실패'라고 떠요.", ()),
        ("이번 달 요금이 두 번 결제됐어요.", (Detail.AMOUNT, Detail.ACCOUNT)),
        ("이번 달 요금이 두 번 결제됐어요. 금액은 29,000원이고 아이디는 heard123입니다.", ()),
    ],
)
def test_missing_details(text: str, missing: tuple[Detail, ...]) -> None:
    reading = triage(text)
    assert reading.is_complaint
    assert reading.missing == missing


def test_durations_are_kept_as_facts() -> None:
    reading = triage("로그인이 안 된 지 15시간째예요. 3일 전에도 그랬어요.")
    assert reading.is_complaint
    assert "15시간" in reading.facts.durations
    assert "3일" in reading.facts.durations


def test_dates_are_not_durations() -> None:
    reading = triage("5월 1일에 주문했는데 아직 배송이 안 왔어요.")
    assert "1일" not in reading.facts.durations


# ---------------------------------------------------------------- drafter

COMPLAINTS = [
    "주문한 지 일주일이 넘었는데 아직도 배송이 안 왔어요.",
    "앱이 계속 튕겨요. 벌써 세 번째 문의인데 이게 말이 됩니까!!",
    "이번 달 요금이 두 번 결제됐어요. 확인 부탁드립니다.",
    "아침부터 사이트 접속이 안 돼요.",
    "검은색을 시켰는데 흰색이 왔네요. 실망입니다.",
    "이런 식이면 서비스 해지하겠습니다.",
    "가격 대비 품질이 너무 별로예요.",
    "고객센터에 전화해도 안 받고 메일도 답이 없네요.",
    "다크 모드가 없어서 너무 불편해요.",
    "이 멍청한 회사 진짜 짜증나네.",
    "포장이 엉망이라 상자가 다 찌그러져서 왔네요.",
]


@pytest.mark.parametrize("text", COMPLAINTS)
@pytest.mark.parametrize("variant", [0, 1])
def test_drafts_are_korean_lint_clean_and_keep_placeholders(text: str, variant: int) -> None:
    suggestion = suggest(text, variant=variant)
    assert suggestion.triage.is_complaint
    assert suggestion.triage.language == "ko"
    reply = suggestion.reply
    assert detect(reply) == "ko"
    assert lint(reply, "ko") == []
    assert suggestion.findings == ()
    assert "[고객명]" in reply
    assert "[담당자 이름]" in reply
    assert "제가" in reply
    assert "시간 이내에" in reply  # a real time for the next update, never “곧”
    assert "환불해 드리" not in reply and "할인" not in reply


def test_different_categories_and_anger_get_visibly_different_drafts() -> None:
    calm_delivery = suggest("배송이 늦어요. 언제 오나요?").reply
    angry_delivery = suggest("주문한 지 일주일이 넘었는데 아직도 배송이 안 왔어요!!").reply
    billing = suggest("이번 달 요금이 두 번 결제됐어요.").reply
    assert len({calm_delivery, angry_delivery, billing}) == 3
    assert "24시간 이내에" in calm_delivery
    assert "4시간 이내에" in angry_delivery  # angrier customers hear back sooner
    assert "가장 먼저" in angry_delivery and "가장 먼저" not in calm_delivery
    assert "주문번호" in calm_delivery  # asks for what is missing, with the reason
    assert "청구" in billing and "배송" not in billing


def test_regenerate_gives_another_wording() -> None:
    text = "앱이 계속 튕겨요."
    assert suggest(text, variant=0).reply != suggest(text, variant=1).reply


def test_furious_customer_is_escalated_and_never_promised_money() -> None:
    suggestion = suggest("전액 환불 안 해 주면 소송하겠습니다. 물건이 불량이에요!")
    assert suggestion.triage.anger == 3
    assert "팀장" in suggestion.reply
    assert not [f for f in lint(suggestion.reply, "ko") if f.rule == "unauthorized-compensation"]


def test_chit_chat_gets_no_draft() -> None:
    assert suggest("감사합니다!").reply == ""
