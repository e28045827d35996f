"""The de-escalation domain, pure: no Slack, no network, no database.

`triage` reads a customer message, `compose` drafts the offline reply, `lint` checks any reply
against the harmful phrases of shared/PLAYBOOK.md §3. Everything language-specific lives in the
data tables under `languages/`, one TOML file per language.
"""
