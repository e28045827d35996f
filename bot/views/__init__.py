"""Block Kit builders: pure functions from domain objects to Slack payload dicts."""
