"""Use cases that tie the pure domain, the LLM, the store and Slack together."""
