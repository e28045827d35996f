"""Prompt-injection defences around the model call (DESIGN §2: customer text is data).

Three layers, none of which trusts the model to behave:
- `neutralise` defuses tag-like text in the customer's message before it is delimited, so a fake
  `</customer_message>` or `<system>` stays inert text;
- `injection_findings` flags messages that address instructions to an AI, in the five playbook
  languages, so the card warns the agent whatever the model wrote;
- `draft_findings` checks the model's draft for a leaked prompt (verbatim runs of the system
  prompt, element names, AI self-talk) and for text copied from the injected instructions.
These rule ids are Heard's own, kept apart from the playbook linter's fixed ids.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.playbook.models import Finding

INJECTION = "prompt-injection"
LEAK = "prompt-leak"
_EXCERPT_MAX = 120
# Slack's own markup (<@U123>, <#C123>, <!here>, <https://…|label>, <mailto:…>) stays as it is.
_TAG = re.compile(r"<(?![@#!]|https?:|mailto:)(/?\s*[^\W\d][\w:-]*[^<>]{0,200})>")
_INSTRUCTIONS = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            # en
            r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}"
            r"\b(?:instructions?|rules|prompts?|guidelines|directions|policy)\b",
            r"\b(?:system|developer|hidden|initial)\s+(?:prompt|instructions?)\b",
            r"\b(?:reveal|print|show|repeat|output|tell me|leak|dump)\b[^.!?\n]{0,30}"
            r"\b(?:prompt|instructions|rules you)\b",
            r"\byou are (?:now|no longer) (?:in )?(?:dan\b|my (?:assistant|bot)|an? "
            r"(?:ai|assistant|bot|model|different|new|unrestricted))",
            r"\bnew (?:instructions|rules)\b",
            r"\b(?:developer|god|admin|jailbreak|DAN) mode\b",
            r"\b(?:as an? (?:ai|assistant|language model)|dear (?:ai|assistant|bot|chatgpt|gpt))\b",
            r"\b(?:assistant|ai|bot|model|chatgpt|gpt)\b[^.!?\n]{0,20}\b(?:must|should|will)\b"
            r"[^.!?\n]{0,20}\b(?:write|say|reply|respond|answer|promise|include|tell)\b",
            r"\b(?:reply|respond|answer|write)\b[^.!?\n]{0,20}\b(?:only|exactly|verbatim)\b"
            r"[^.!?\n]{0,20}[:\"“«]",
            r"^\s*(?:system|assistant|developer)\s*:\s*(?:you\b|the (?:assistant|ai|model)|ignore|"
            r"print|reveal|promise|write|say|reply|tell|approve|always|never|new)",
            r"\[/?(?:INST|SYS|system)\]|<\|im_(?:start|end)\|>",
            r"[<‹](?:/\s*)?(?:customer_message|earlier_message|system|instructions?)\b",
            # ja
            r"(?:指示|命令|ルール|設定)を[^。！？\n]{0,6}(?:無視|忘れ)",
            r"システム\s*プロンプト|プロンプトを(?:表示|出力|教え|見せ)",
            r"あなたは今から|今からあなたは|開発者モード",
            # ko
            r"(?:이전|앞의|위의|모든)\s*(?:지시|지침|명령|규칙)[^.!?\n]{0,10}(?:무시|잊어)",
            r"(?:지시|지침|명령|규칙)(?:을|를|은|는)?\s*(?:무시|잊어)",
            r"시스템\s*프롬프트|프롬프트(?:를|을)?\s*(?:보여|출력|알려|공개)",
            r"지금부터\s*(?:너|당신)는|개발자\s*모드",
            # ru
            r"(?:игнорир|забудь|забудьте|не обращай|отмени)\w*[^.!?\n]{0,30}"
            r"(?:инструкц|указани|правил|промпт)\w*",
            r"системн\w+\s+(?:промпт|подсказк|инструкц)\w*",
            r"(?:покажи|выведи|напиши|повтори|раскрой)\w*[^.!?\n]{0,20}(?:промпт|инструкци)\w*",
            r"(?:ты|вы) теперь\s+(?:бот|ассистент|помощник|ии|модель|dan|без правил)",
            r"режим разработчика",
            # tr
            r"(?:önceki|yukarıdaki|tüm|bütün)\s+(?:talimat|kural|komut|yönerge)\w*[^.!?\n]{0,20}"
            r"(?:yok say|görmezden gel|unut|dikkate alma)",
            r"(?:talimat|kural|komut|yönerge)\w*\s+(?:yok say|görmezden gel|unut)",
            r"sistem\s+(?:istem|prompt|talimat)\w*",
            r"(?:istemini|promptunu|talimatlarını)\s+(?:göster|yazdır|paylaş|söyle)",
            r"artık sen\b|geliştirici modu",
        )
    ),
    re.IGNORECASE | re.MULTILINE,
)
# A model that leaks or breaks role tends to say so; these never belong in a support reply.
_SELF_TALK = re.compile(
    r"\b(?:system prompt|my (?:system )?prompt|my guidelines|i (?:was|am|have been) "
    r"instructed|as an ai|language model|note_to_agent|is_complaint)\b"
    r"|customer_message|earlier_message|システムプロンプト|시스템 프롬프트|системн\w+ промпт"
    r"|sistem istemi",
    re.IGNORECASE,
)
# Runs long enough not to be chance; the CJK leak run outlasts any banned phrase the prompt lists.
_LEAK_RUN = (8, 24)
_ECHO_RUN = (5, 12)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def neutralise(text: str) -> str:
    """Tag-like sequences get look-alike brackets: still readable, no longer markup."""
    return _TAG.sub(lambda m: f"‹{m.group(1)}›", text)


def injection_findings(text: str) -> list[Finding]:
    """One finding per distinct instruction aimed at an AI in the customer's own text."""
    seen = dict.fromkeys(_excerpt(m.group()) for m in _INSTRUCTIONS.finditer(_fold(text)))
    return [
        Finding(
            INJECTION,
            excerpt,
            "The customer's message contains instructions aimed at an AI assistant. The draft "
            "must not follow them: check what it promises before sending.",
        )
        for excerpt in seen
    ]


def draft_findings(draft: str, *, system_prompt: str, customer_text: str) -> list[Finding]:
    """A leaked prompt or copied injected instructions in the model's draft."""
    folded = _fold(draft)
    findings: list[Finding] = []
    leaked = _shared_run(folded, _fold(system_prompt), *_LEAK_RUN)
    self_talk = _SELF_TALK.search(folded)
    if leaked or self_talk:
        excerpt = leaked or (self_talk.group() if self_talk else "")
        findings.append(
            Finding(LEAK, _excerpt(excerpt), "The draft repeats Heard's instructions to the model.")
        )
    injected = _injected_part(_fold(customer_text))
    copied = _shared_run(folded, injected, *_ECHO_RUN) if injected else ""
    if copied:
        findings.append(
            Finding(
                INJECTION,
                _excerpt(copied),
                "The draft copies text from instructions the customer addressed to an AI.",
            )
        )
    return findings


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("’", "'")


def _injected_part(text: str) -> str:
    """From the first injected instruction to the end: injections run on after their opener."""
    first = _INSTRUCTIONS.search(text)
    return text[first.start() :] if first else ""


def _shared_run(text: str, source: str, words: int, cjk: int) -> str:
    """The first run of `words` consecutive words, or `cjk` CJK characters, of `text` that
    `source` contains too."""
    source_words, source_cjk = _run_sets(source, words, cjk)
    found = (r for r in _runs(re.findall(r"\w+", text.lower()), words, " ") if r in source_words)
    return next(found, "") or next(
        (r for r in _runs(_CJK.findall(text), cjk, "") if r in source_cjk), ""
    )


@lru_cache(maxsize=8)
def _run_sets(source: str, words: int, cjk: int) -> tuple[frozenset[str], frozenset[str]]:
    """Every run of the source, once: the system prompt is the same for every draft."""
    return (
        frozenset(_runs(re.findall(r"\w+", source.lower()), words, " ")),
        frozenset(_runs(_CJK.findall(source), cjk, "")),
    )


def _runs(tokens: list[str], size: int, glue: str) -> list[str]:
    return [glue.join(tokens[start : start + size]) for start in range(len(tokens) - size + 1)]


def _excerpt(span: str) -> str:
    excerpt = " ".join(span.split())
    return excerpt if len(excerpt) <= _EXCERPT_MAX else excerpt[: _EXCERPT_MAX - 1] + "…"
