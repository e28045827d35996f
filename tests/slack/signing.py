"""Sign requests the way Slack does, so tests reach the app through its real verification.

Bolt rejects a request whose `X-Slack-Signature` is not `v0=` + HMAC-SHA256 of
`v0:{timestamp}:{body}` under the signing secret, or whose timestamp is over five minutes old;
tests build both the good and the bad cases here rather than switching verification off.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNING_SECRET = "fake-signing-secret"
# Older than Slack's five-minute replay window, so verification must refuse it.
STALE_SECONDS = 6 * 60


def sign(
    secret: str,
    body: str | bytes,
    *,
    timestamp: int | None = None,
    stale: bool = False,
    wrong_signature: bool = False,
) -> dict[str, str]:
    """Headers `X-Slack-Request-Timestamp` and `X-Slack-Signature` for `body`, sent as is.

    `timestamp` defaults to now (minus STALE_SECONDS when `stale`); `wrong_signature` signs
    with another secret, as a forged request would.
    """
    when = timestamp if timestamp is not None else int(time.time())
    if stale:
        when -= STALE_SECONDS
    raw = body.encode() if isinstance(body, str) else body
    key = (secret + "-wrong" if wrong_signature else secret).encode()
    digest = hmac.new(key, b"v0:%d:" % when + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(when), "X-Slack-Signature": f"v0={digest}"}
