"""Turkish (tr): the tone linter, triage and the offline drafter on our own Turkish sentences.

Every PLAYBOOK §3 rule fires on the harmful phrase as Turkish support agents write it and stays
quiet on the de-escalating alternative; triage tells complaints from chit-chat and reads anger,
category and missing details; drafts are Turkish, personal (first person singular) and lint clean.
"""

from __future__ import annotations

import re

import pytest

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.playbook.models import Category, Detail
from bot.playbook.tables import LINT_RULES, language
from bot.playbook.triage import triage
from bot.services.drafting import suggest

# ---------------------------------------------------------------- linter

HARMFUL = [
    ("non-apology", "Verdiğimiz rahatsızlık için özür dileriz."),
    ("non-apology", "Yaşadığınız sorun için üzgünüz."),
    ("non-apology", "Yaşanan aksaklıktan dolayı özür dileriz."),
    ("non-apology", "Bu sorunu yaşadığınız için üzgünüm."),
    ("non-apology", "Böyle hissettiğiniz için üzgünüm."),
    ("non-apology", "Rahatsızlık için özür dilerim."),
    ("non-apology", "Oluşabilecek mağduriyetlerden dolayı affınıza sığınırız."),
    ("non-apology", "Memnuniyetsizliğiniz için üzgünüz."),
    ("non-apology", "Sizi üzdüysek özür dileriz."),
    ("understand-frustration", "Hayal kırıklığınızı anlıyorum."),
    ("understand-frustration", "Sizi çok iyi anlıyorum."),
    ("understand-frustration", "Ne hissettiğinizi anlayabiliyorum."),
    ("understand-frustration", "Ne kadar sinir bozucu olduğunu tahmin edebiliyorum."),
    ("but-after-apology", "Özür dilerim ama bu konuda yapabileceğim bir şey yok."),
    ("but-after-apology", "Üzgünüm fakat kurallar böyle."),
    ("but-after-apology", "Kusura bakmayın, ancak talebiniz reddedildi."),
    ("but-after-apology", "Haklısınız. Ancak sözleşmede bu madde var."),
    ("high-volume-excuse", "Yoğunluk nedeniyle yanıtlarımız gecikebilir."),
    ("high-volume-excuse", "Yaşanan yoğunluktan dolayı size geç dönebildik."),
    ("high-volume-excuse", "Çağrı merkezimizde yoğun talep yaşanmaktadır."),
    ("high-volume-excuse", "Talep yoğunluğu nedeniyle yanıt süremiz uzadı."),
    ("high-volume-excuse", "Şu an çok yoğunuz."),
    ("vague-timeline", "En kısa sürede dönüş yapacağız."),
    ("vague-timeline", "Size en kısa zamanda bilgi verilecektir."),
    ("vague-timeline", "Yakında düzelecek."),
    ("vague-timeline", "Konuyu inceleyip size döneceğim."),
    ("vague-timeline", "Ekibimiz sizinle iletişime geçecektir."),
    ("vague-timeline", "İncelemeler tamamlandığında tarafınıza bilgi verilecektir."),
    ("impossible-promise", "Bu bir daha asla yaşanmayacak."),
    ("impossible-promise", "Bu sorunla bir daha karşılaşmayacaksınız."),
    ("impossible-promise", "Sorunun çözüldüğünü garanti ediyorum."),
    ("impossible-promise", "Sistem artık %100 çalışıyor."),
    ("impossible-promise", "İçiniz rahat olsun, her şey yolunda."),
    ("unauthorized-compensation", "Ücretinizi hemen iade edeceğim."),
    ("unauthorized-compensation", "Yansıyan ücret hesabınıza iade edilecektir."),
    ("unauthorized-compensation", "Bir sonraki siparişinizde %20 indirim tanımladık."),
    ("unauthorized-compensation", "Size bir ay ücretsiz kullanım hakkı veriyoruz."),
    ("unauthorized-compensation", "Kart aidatınızı sileceğim."),
    ("unauthorized-compensation", "Hesabınıza 500 bonus puan tanımlayacağım."),
    ("blame-customer", "Sözleşmeyi dikkatli okumalıydınız."),
    ("blame-customer", "Daha önce de belirttiğim gibi bu ücret alınır."),
    ("blame-customer", "Lütfen sakin olun."),
    ("blame-customer", "Bağırmanıza gerek yok."),
    ("blame-customer", "Şifrenizi yanlış girmiş olmalısınız."),
    ("blame-customer", "Bu işlem sizden kaynaklı."),
    ("blame-customer", "Ödemeyi zamanında yapmadığınız için faiz işledi."),
    (
        "impersonal-voice",
        "Talebiniz ekibimiz tarafından incelenmektedir. Gerekli kontrolleri yapıyoruz.",
    ),
    ("impersonal-voice", "Kaydınızı aldık ve ilgili birimimize ilettik."),
    ("shouting", "SORUNUNUZ ÇÖZÜLMÜŞTÜR."),
    ("shouting", "Lütfen ayarları kontrol edin!!!"),
]

GOOD = [
    "Kartınızdan iki kez çekim yapılması bizim hatamız; bunun için özür dilerim.",
    "İki haftadır söz verilen parayı beklemek kabul edilebilir bir şey değil. Şu anda bakıyorum.",
    "Konuyla bizzat ilgileniyorum ve bugün saat 15:00'e kadar size yazacağım.",
    "Size 4 saat içinde bulduklarımla ilgili bilgi vereceğim.",
    "Yarın öğlene kadar size döneceğim.",
    "Sabahki kesintiyle ilgili durumu 1 saat içinde size bildireceğim.",
    "Bunun tekrar yaşanma ihtimalini azaltmak için neyi değiştirdiğimizi size anlatacağım.",
    "İşlem numarasını gönderebilir misiniz? Kaydı bulmam için gerekiyor.",
    "Bunu bana bildirdiğiniz için teşekkür ederim. Yardımcı olabileceğim başka bir konu var mı?",
    "Cihazınız garanti kapsamında; onarım sürecini bugün başlatıyorum.",
    "Ekibimle birlikte bakıyorum; talebinizi ödeme ekibine ilettim ve 24 saat içinde yazacağım.",
    "Net bir yanıt alamadığınız için özür dilerim; yanıtı kendim getireceğim.",
    "Yüksek işlem ücretini sözleşmenizle tek tek karşılaştırıyorum.",
    "Haklısınız, bu bizim hatamız ve şu anda düzeltiyorum.",
    "Şifre sıfırlama adımlarını numaralı olarak yazıyorum.",
    "Bilgilendirilmediğiniz için özür dilerim; bunu bugün düzeltiyorum.",
    "ATM ve EFT kayıtlarınızı kontrol ettim; SMS bildirimlerini de inceliyorum.",
]


@pytest.mark.parametrize(("rule", "text"), HARMFUL)
def test_harmful_phrase_is_flagged_with_its_excerpt(rule: str, text: str) -> None:
    findings = [f for f in lint(text, "tr") if f.rule == rule]
    assert findings, f"{rule} not found in {text!r}"
    assert all(f.excerpt and f.excerpt.lower() in text.lower() for f in findings)
    assert all("Instead:" in f.message for f in findings)


@pytest.mark.parametrize("text", GOOD)
def test_de_escalating_text_lints_clean(text: str) -> None:
    assert lint(text, "tr") == []


def test_every_rule_is_covered_by_the_examples() -> None:
    assert {rule for rule, _ in HARMFUL} == set(LINT_RULES)


def test_every_rule_says_what_to_write_instead_with_a_turkish_example() -> None:
    table = language("tr")
    assert table is not None
    for rule_id in LINT_RULES:
        assert "“" in table.lint[rule_id].instead, rule_id


def test_turkish_is_detected_when_the_language_is_not_given() -> None:
    rules = [f.rule for f in lint("Hayal kırıklığınızı çok iyi anlıyorum, değerli müşterimiz.")]
    assert "understand-frustration" in rules


def test_a_concrete_time_makes_a_follow_up_concrete() -> None:
    assert lint("Size bugün 17:00'ye kadar dönüş yapacağım.", "tr") == []
    assert [f.rule for f in lint("Size dönüş yapacağım.", "tr")] == ["vague-timeline"]


def test_warranty_is_not_a_guarantee() -> None:
    assert lint("Ürününüz garanti kapsamında olduğu için onarımı bugün başlatıyorum.", "tr") == []


# ---------------------------------------------------------------- triage

NOT_COMPLAINTS = [
    "Merhaba!",
    "Merhaba, iyi çalışmalar.",
    "Günaydın ekip",
    "Tamam, anlaşıldı.",
    "Tamamdır, sağ olun.",
    "Teşekkürler, sorun çözüldü.",
    "Harika, çok teşekkürler, sorun çözüldü!",
    "Sorun değil, acelesi yok.",
    "Yarın saat 14:00'te kısa bir toplantı ayarlayalım mı?",
    "Demoyu perşembeye alabilir miyiz?",
    "Kredi kartı limitimi nasıl artırabilirim?",
    "Merhaba, döviz hesabı açmak istiyorum. Şubeye gitmem gerekiyor mu?",
    "Yurt dışında kartımı kullanabilir miyim, ücret alınıyor mu?",
    "Hesap özetimi nereden indirebilirim?",
]

COMPLAINTS = [
    "Mobil uygulama açılmıyor.",
    "Kartımdan iki kez ücret çekildi.",
    "Kredi kartıma yıllık kart aidatı yansıtılmış, iadesini talep ediyorum.",
    "Müşteri hizmetlerini aradım, kırk dakika beklettiler ve sonra hat kesildi.",
    "Şubedeki personel bana çok kaba davrandı.",
    "Kredi kartı borcumu ödediğim halde gecikme faizi işletilmiş.",
    "Telefon bankacılığından söz verilen geri arama hiç gelmedi.",
    "Verdiğiniz hizmetten hiç memnun değilim.",
    "Ne zaman geri dönüş yapacaksınız?",
    "Uygulamaya karanlık mod eklenmesini rica ediyorum, çok iyi olur.",
    # typed without Turkish letters, as many customers do
    "uygulama calismiyor, sabahtan beri deniyorum",
    "kartimdan iki kez ucret cekildi, param hala iade edilmedi",
]


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_chitchat_and_plain_questions_are_not_complaints(text: str) -> None:
    reading = triage(text)
    assert not reading.is_complaint
    assert reading.anger == 0


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_are_recognised_in_turkish(text: str) -> None:
    reading = triage(text)
    assert reading.language == "tr"
    assert reading.is_complaint


@pytest.mark.parametrize(
    ("text", "anger"),
    [
        ("Sanal kartım onaylanmıyor, yardımcı olabilir misiniz?", 0),
        ("Bilgim dışında hesabımdan bir kesinti yapılmış, lütfen kontrol eder misiniz?", 1),
        ("Kartım üç haftadır elime ulaşmadı.", 1),
        ("Bu üçüncü kez yazıyorum, hâlâ kimse dönüş yapmadı. Rezalet!", 2),
        ("Paramı hala iade etmediniz, 15 gündür bekliyorum!", 2),
        ("Avukatıma danışıp bankanıza dava açacağım.", 3),
        ("Tüketici hakem heyetine başvuracağım, BDDK'ya da şikayet edeceğim.", 3),
        ("Bu rezaleti şikayetvar'da herkesle paylaşacağım.", 3),
        ("Hesabımı kapatmak istiyorum, yeter artık.", 3),
    ],
)
def test_anger_levels(text: str, anger: int) -> None:
    reading = triage(text)
    assert reading.is_complaint
    assert reading.anger == anger


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Sabahtan beri internet şubeye giriş yapamıyorum, sistem çöktü mü?", Category.OUTAGE),
        ("Mobil bankacılık uygulamasına iki gündür giremiyorum.", Category.OUTAGE),
        ("Bu ay kartımdan iki kez ücret çekildi.", Category.BILLING),
        ("Kargom bir haftadır aynı şubede bekliyor, teslim edilmedi.", Category.DELIVERY),
        ("Uygulama her açtığımda hata verip kapanıyor.", Category.DEFECT),
        ("Müşteri temsilcisi bana yanlış bilgi verdi.", Category.MISTAKE),
        ("Uygulamaya karanlık mod eklenmesini rica ediyorum.", Category.FEATURE_REQUEST),
        ("Aidat çok pahalı, indirim yapabilir misiniz?", Category.DISCOUNT_REQUEST),
        ("Aboneliğimi iptal etmek istiyorum ama iptal butonu çalışmıyor.", Category.CANCELLATION),
        ("Başvurumu iki hafta önce yaptım, hala sonuç yok.", Category.UNKNOWN_ANSWER),
        ("Aptal mısınız siz, salaklar!", Category.RUDE),
    ],
)
def test_categories(text: str, category: Category) -> None:
    reading = triage(text)
    assert reading.is_complaint
    assert reading.category is category


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Kartımdan iki kez ücret çekildi.", (Detail.AMOUNT, Detail.ACCOUNT)),
        ("Siparişim hâlâ elime ulaşmadı.", (Detail.ORDER_ID,)),
        ("Sipariş numaram #58213, hâlâ elime ulaşmadı.", ()),
        ("Uygulama her açtığımda hata verip kapanıyor.", (Detail.DEVICE, Detail.ERROR)),
        ("iPhone uygulamanızda ekranda bir uyarı çıkıyor ve kapanıyor.", ()),
        ("Mobil uygulama açılmıyor.", (Detail.TIME, Detail.ERROR)),
    ],
)
def test_missing_details(text: str, missing: tuple[Detail, ...]) -> None:
    assert triage(text).missing == missing


def test_durations_are_kept_as_facts() -> None:
    reading = triage("Paramı 15 gündür bekliyorum, 3 haftadır da kimse aramadı.")
    assert reading.facts.durations == ("15 gündür", "3 haftadır")


# ---------------------------------------------------------------- drafter

DRAFTED = [
    "Mobil uygulama açılmıyor.",
    "Kartımdan iki kez ücret çekildi.",
    "Paramı hala iade etmediniz, 15 gündür bekliyorum!",
    "Avukatıma danışıp bankanıza dava açacağım.",
    "Hesabımı kapatmak istiyorum.",
    "Kartım üç haftadır elime ulaşmadı.",
    "Müşteri temsilcisi bana yanlış bilgi verdi.",
    "Başvurumu iki hafta önce yaptım, hala sonuç yok.",
    "Uygulamaya karanlık mod eklenmesini rica ediyorum.",
    "Aidat çok pahalı, indirim yapabilir misiniz?",
    "Aptal mısınız siz, salaklar! HEMEN DÜZELTİN!!!",
    "Verdiğiniz hizmetten hiç memnun değilim.",
]


@pytest.mark.parametrize("text", DRAFTED)
@pytest.mark.parametrize("variant", [0, 1])
def test_drafts_are_turkish_personal_and_lint_clean(text: str, variant: int) -> None:
    suggestion = suggest(text, variant=variant)
    assert suggestion.draft is not None
    reply = suggestion.reply
    assert detect(reply) == "tr", reply
    assert lint(reply, "tr") == [], reply
    assert suggestion.findings == ()
    assert "[müşteri adı]" in reply and "[adınız]" in reply
    assert "saat içinde" in reply  # a concrete time for the next update


@pytest.mark.parametrize("text", DRAFTED)
def test_drafts_never_promise_compensation_or_guarantees(text: str) -> None:
    reply = suggest(text).reply.lower()
    for word in ("iade ede", "indirim tanımla", "ücretsiz", "garanti ed", "bir daha asla"):
        assert word not in reply
    assert not re.search(r"\b(?:ama|fakat|ancak)\b", reply)  # no «özür dilerim ama»


def test_different_categories_and_anger_get_visibly_different_drafts() -> None:
    drafts = {
        suggest(text).reply
        for text in (
            "Kartım üç haftadır elime ulaşmadı.",
            "Kartım üç haftadır elime ulaşmadı, bu dördüncü kez yazışım, rezalet!",
            "Kartımdan iki kez ücret çekildi.",
            "Uygulama her açtığımda hata verip kapanıyor.",
        )
    }
    assert len(drafts) == 4


def test_angry_drafts_take_priority_and_furious_ones_are_escalated() -> None:
    annoyed = suggest("Kartım üç haftadır elime ulaşmadı.").reply
    angry = suggest("Kartım hâlâ elime ulaşmadı, rezalet!").reply
    furious = suggest("Kartım hâlâ gelmedi, tüketici hakem heyetine başvuracağım.").reply
    assert "önceliğime" not in annoyed
    assert "önceliğime" in angry and "ekip liderime" not in angry
    assert "ekip liderime" in furious


def test_missing_details_are_asked_for_with_the_reason() -> None:
    reply = suggest("Kartımdan iki kez ücret çekildi.").reply
    assert "tutarını ve tarihini" in reply
    assert "böylece" in reply


def test_regenerate_gives_another_wording() -> None:
    text = "Uygulama her açtığımda hata verip kapanıyor."
    assert suggest(text, variant=0).reply != suggest(text, variant=1).reply


def test_amounts_in_lira_are_not_shouting() -> None:
    suggestion = suggest("Hesabımdan 250 TL haksız yere kesildi, 100 TL de komisyon alındı.")
    assert suggestion.findings == ()
