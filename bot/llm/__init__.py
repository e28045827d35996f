"""Drafting with an OpenAI-compatible model (DESIGN §4): client and retry policy, prompts from
`prompts/`, the response schema, redaction, injection guards and the drafter that ties them.

Nothing in `bot.playbook` imports from here: the offline engine stays pure and is the fallback.
"""
