"""The Japanese phrase table: linter rules, triage and the offline drafter, on our own sentences."""

from __future__ import annotations

import pytest

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.playbook.models import Category, Detail
from bot.playbook.tables import LINT_RULES, language
from bot.playbook.triage import triage
from bot.services.drafting import suggest


def test_table_is_complete() -> None:
    table = language("ja")
    assert table is not None
    assert set(LINT_RULES) <= set(table.lint)
    assert table.compose.name_placeholder == "[お客様名]"
    assert table.compose.agent_placeholder == "[担当者名]"


# ---------------------------------------------------------------- linter

HARMFUL = [
    ("non-apology", "この度はご不便をおかけして申し訳ございません。"),
    ("non-apology", "ご不便をおかけしており、大変申し訳ありません。"),
    ("non-apology", "何らかのご迷惑をおかけしたかもしれません。"),
    ("non-apology", "ご不快な思いをされたのであれば、お詫び申し上げます。"),
    ("non-apology", "そのようにお感じになられたのでしたら申し訳ございません。"),
    ("understand-frustration", "お客様のお気持ちはよくわかります。"),
    ("understand-frustration", "ご不満なお気持ち、十分理解しております。"),
    ("understand-frustration", "さぞご立腹のことと存じます。"),
    ("but-after-apology", "申し訳ございませんが、返品はお受けできません。"),
    ("but-after-apology", "すみませんが、その件はこちらでは分かりかねます。"),
    ("but-after-apology", "大変申し訳ありません。しかし、規定により対応いたしかねます。"),
    ("but-after-apology", "おっしゃることは理解しておりますが、規定は変えられません。"),
    ("high-volume-excuse", "ただいま大変混み合っております。"),
    ("high-volume-excuse", "現在お問い合わせが集中しており、回答までお時間をいただいております。"),
    ("high-volume-excuse", "多数のお問い合わせをいただいているため、順番に対応しています。"),
    ("vague-timeline", "追ってご連絡いたします。"),
    ("vague-timeline", "後ほど担当の者から折り返しお電話いたします。"),
    ("vague-timeline", "確認でき次第、担当よりご連絡差し上げます。"),
    ("vague-timeline", "できるだけ早く対応いたします。"),
    ("vague-timeline", "調査のうえ、改めてご報告いたします。"),
    ("vague-timeline", "今しばらくお待ちください。"),
    ("impossible-promise", "二度とこのようなことは起こりません。"),
    ("impossible-promise", "次回は必ず解決いたします。"),
    ("impossible-promise", "100%直ることを保証します。"),
    ("impossible-promise", "今後は絶対にミスはいたしません。"),
    ("unauthorized-compensation", "全額返金いたします。"),
    ("unauthorized-compensation", "お詫びとして、次回使える20%オフのクーポンをお送りします。"),
    ("unauthorized-compensation", "新しい商品を無料でお送りいたします。"),
    ("unauthorized-compensation", "来月分の料金はいただきません。"),
    ("blame-customer", "お客様の入力ミスが原因です。"),
    ("blame-customer", "先ほども申し上げた通り、返品の期限は過ぎています。"),
    ("blame-customer", "落ち着いてください。"),
    ("blame-customer", "ご注文前に説明書をよく読んでください。"),
    ("blame-customer", "ご購入前にサイズをご確認いただく必要がありました。"),
    ("impersonal-voice", "弊社にて状況を調査いたします。当社の規定に沿って対応いたします。"),
    ("impersonal-voice", "私どもで確認し、サポートチームが対応いたします。"),
    ("shouting", "今すぐ設定を確認してください!!!"),
    ("shouting", "URGENT のお知らせです。"),
]


@pytest.mark.parametrize(("rule", "text"), HARMFUL)
def test_harmful_phrase_is_caught(rule: str, text: str) -> None:
    findings = [f for f in lint(text, "ja") if f.rule == rule]
    assert findings, f"{rule} should fire on {text!r}"
    assert all(f.excerpt in text for f in findings)


def test_every_rule_has_a_harmful_example() -> None:
    assert {rule for rule, _ in HARMFUL} == set(LINT_RULES)


GOOD = [
    "ご注文と違う商品をお送りしてしまい、本当に申し訳ありません。こちらの手違いです。",
    "配送が遅れ、ご不便をおかけして申し訳ありません。本日15時までに配送状況をご連絡します。",
    "私が本日中に確認し、4時間以内にご報告します。",
    "申し訳ありません。今から私が次のとおり対応します。",
    "明日の10時までに、私から折り返しお電話します。",
    "手順を順を追ってご説明します。",
    "ご請求の内容を私が確認し、24時間以内に結果をお知らせします。",
    "お問い合わせいただき、ありがとうございます。",
    "私がこの件を担当します。エンジニアとも連携し、本日17時までにご連絡します。",
    "お客様に落ち度はありません。こちらの説明が分かりにくかったためです。",
    "設定画面の場所が分かりにくくなっていました。変更の手順は次のとおりです。",
    "二度手間をおかけしないよう、最後まで私が担当します。",
    "弊社の配送センターには、私から直接確認します。",
    "3日も待たされたうえに連絡もなかったのは、あってはならないことです。",
    "交換品の手配について、チームの判断を確認してから12月3日までにご連絡します。",
]


@pytest.mark.parametrize("text", GOOD)
def test_good_text_is_clean(text: str) -> None:
    assert lint(text, "ja") == []


def test_language_is_detected_by_the_linter() -> None:
    assert [f.rule for f in lint("追ってご連絡いたします。")] == ["vague-timeline"]


# ---------------------------------------------------------------- triage

NOT_COMPLAINTS = [
    "ありがとうございます!",
    "お疲れ様です。",
    "了解しました、よろしくお願いします。",
    "おはようございます",
    "承知いたしました。",
    "直りました、ありがとうございます!",
    "明日の打ち合わせの時間を15時に変更できますか?",
    "来週のミーティングの日程を調整させてください。",
    "料金プランの違いを教えていただけますか?",
    "営業時間は何時までですか?",
    "領収書の発行方法を教えてください。",
    "支払い方法を変更できませんか?",
    "問題ありません、急ぎではないので大丈夫です。",
    "ポイントの有効期限はいつまでですか?",
    "このアプリ、使いやすくて気に入っています。",
]


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_chitchat_and_questions_are_not_complaints(text: str) -> None:
    reading = triage(text)
    assert reading.language == "ja"
    assert not reading.is_complaint


COMPLAINTS = [
    "注文した商品が一週間経っても届きません。",
    "アプリを開くとすぐに落ちてしまいます。",
    "今月の請求が二重になっています。",
    "電話での対応が本当に最悪でした。",
    "部屋が狭くて、掃除も行き届いていなかった。",
    "届いた本の表紙が折れていました。",
    "何度問い合わせても返事がありません。",
    "アプリを更新してから、通知が来なくなりました。",
    "再起動しろと言われたので何度やり直しても同じ画面で止まります。",
]


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_are_detected(text: str) -> None:
    reading = triage(text)
    assert reading.language == "ja"
    assert reading.is_complaint


@pytest.mark.parametrize(
    ("text", "anger"),
    [
        ("パスワード再設定のメールが届かないのですが、確認していただけますか?", 0),
        ("届いた商品の箱が潰れていました。", 1),
        ("また同じエラーです。何度も連絡しているのに、まだ直りません。", 2),
        ("3日も待っているのに、いつになったら届くんですか。", 2),
        ("いつまで待たせるんですか。", 2),
        ("このまま対応がなければ消費者センターに相談します。", 3),
        ("こんなサービスはもう解約します。", 3),
        ("この対応はSNSで拡散しますからね。", 3),
    ],
)
def test_anger_levels(text: str, anger: int) -> None:
    assert triage(text).anger == anger


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("注文した商品がまだ届きません。追跡番号を見ても動きがありません。", Category.DELIVERY),
        ("今月、同じ料金が二重に請求されています。", Category.BILLING),
        ("朝からサービスにログインできません。社内の全員が同じ状態です。", Category.OUTAGE),
        ("買ったばかりのイヤホンが充電できません。", Category.DEFECT),
        ("注文したのと違う色の商品が届きました。", Category.MISTAKE),
        ("解約したいのですが、手続きの方法がどこにも見当たりません。", Category.CANCELLATION),
        (
            "値段が高すぎるので、もう少し割引してもらえないと続けられません。",
            Category.DISCOUNT_REQUEST,
        ),
        ("ダークモードの機能がなくて不便です。追加してほしいです。", Category.FEATURE_REQUEST),
        ("何度問い合わせても、誰も答えてくれません。", Category.UNKNOWN_ANSWER),
        ("お前らは本当に無能だな。", Category.RUDE),
        ("お風呂がカビだらけでした。", Category.OTHER),
    ],
)
def test_categories(text: str, category: Category) -> None:
    reading = triage(text)
    assert reading.is_complaint
    assert reading.category is category


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("注文した商品が届きません。", (Detail.ORDER_ID,)),
        ("注文番号123456の商品が届きません。", ()),
        ("アプリが起動しません。", (Detail.DEVICE, Detail.ERROR)),
        ("iPhoneでアプリを開くと「接続できません」とエラーが出て起動しません。", ()),
        ("サービスに接続できません。", (Detail.TIME, Detail.ERROR)),
        ("今朝9時からサービスに接続できず、画面にエラーが表示されます。", ()),
        ("今月の料金が二重に請求されています。", (Detail.AMOUNT, Detail.ACCOUNT)),
        ("会員番号8812の口座から3000円が二重に引き落とされました。", ()),
    ],
)
def test_missing_details(text: str, missing: tuple[Detail, ...]) -> None:
    assert triage(text).missing == missing


def test_durations_are_kept_as_facts() -> None:
    reading = triage("もう3日も待っていますが、商品が届きません。")
    assert reading.facts.durations == ("3日",)


# ---------------------------------------------------------------- drafter

DRAFTED = [
    "注文した商品が3日も届きません!いつになったら届くんですか。",
    "今月の請求が二重になっています。確認してください。",
    "朝からサービスに接続できません。仕事になりません。",
    "買ったばかりのイヤホンが充電できません。",
    "注文したのと違う色の商品が届きました。",
    "もう解約します。手続きの方法を教えてください。",
    "ダークモードの機能がなくて不便です。",
    "値段が高すぎます。割引はないんですか。",
    "何度問い合わせても、誰も答えてくれません。",
    "お前らは本当に無能だな。最悪だ。",
    "部屋が狭くて、掃除も行き届いていなかった。",
]


@pytest.mark.parametrize("text", DRAFTED)
def test_drafts_are_clean_japanese_with_placeholders(text: str) -> None:
    suggestion = suggest(text)
    assert suggestion.triage.is_complaint
    reply = suggestion.reply
    assert detect(reply) == "ja"
    assert suggestion.findings == ()
    assert lint(reply, "ja") == []
    assert "[お客様名]様" in reply
    assert "[担当者名]" in reply
    assert "私" in reply
    assert "時間以内" in reply


@pytest.mark.parametrize("variant", [0, 1])
def test_regenerated_drafts_are_clean_and_differ(variant: int) -> None:
    text = "注文した商品がまだ届きません。"
    reply = suggest(text, variant=variant).reply
    assert lint(reply, "ja") == []
    assert reply != suggest(text, variant=variant + 1).reply


def test_categories_get_different_replies() -> None:
    delivery = suggest("注文した商品がまだ届きません。")
    billing = suggest("今月の請求が二重になっています。")
    assert delivery.triage.category is Category.DELIVERY
    assert billing.triage.category is Category.BILLING
    assert delivery.reply != billing.reply
    assert "追跡" in delivery.reply
    assert "ご請求" in billing.reply


def test_anger_changes_the_reply() -> None:
    annoyed = suggest("届いた商品の箱が潰れていました。")
    furious = suggest("届いた商品が壊れていた。もう解約します。消費者センターに相談します。")
    assert annoyed.triage.anger == 1
    assert furious.triage.anger == 3
    assert "最優先" not in annoyed.reply
    assert "最優先" in furious.reply
    assert "チームリーダー" in furious.reply


def test_quote_uses_japanese_quotation_marks() -> None:
    reply = suggest("注文した商品が一週間経っても届きません。").reply
    assert "「注文した商品が一週間経っても届きません」" in reply


def test_drafts_never_promise_compensation() -> None:
    reply = suggest("ひどい。商品が壊れていたので全額返金してください。").reply
    assert not [f for f in lint(reply, "ja") if f.rule == "unauthorized-compensation"]
    assert "返金" not in reply.split("「")[0]


# ---------------------------------------------------------------- text with no spaces between words


def test_glued_acronym_is_not_shouting_in_triage() -> None:
    assert triage("PCが起動しません。").anger == 1


def test_product_names_are_not_shouting() -> None:
    assert lint("iPhoneとiPadで同じ症状が出ます。", "ja") == []


def test_follow_up_before_an_exclamation_is_its_own_sentence() -> None:
    findings = lint("確認してご連絡します!明日もよろしくお願いします。", "ja")
    assert [f.rule for f in findings] == ["vague-timeline"]
