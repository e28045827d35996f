"""Heard: drafts de-escalating replies to angry customers and keeps the promises agents make."""
