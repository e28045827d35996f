"""`heard run`: check the configuration against Slack, then serve (Socket Mode or HTTP)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.app import build_app, build_heard, start_background, web_client, wsgi_app
from bot.background import BackgroundProcesses
from bot.config import ConfigError, Settings
from bot.gateway import SlackGateway
from bot.process import configure_logging, freeze_start_up_objects

log = logging.getLogger(__name__)


def run(settings: Settings) -> None:
    configure_logging(settings)
    gateway = _connect(settings)
    _check_channels(settings, gateway)
    socket_mode = settings.slack_app_token is not None
    background = (
        BackgroundProcesses(settings, settings.heard_background_processes)
        if settings.heard_background_processes
        else None
    )
    heard = build_heard(settings, gateway, hand_off=background.submit if background else None)
    if background is not None:
        background.start()
    else:
        start_background(heard)  # no background processes: this one drafts and reminds
    app = build_app(heard, socket_mode=socket_mode)
    freeze_start_up_objects()
    try:
        if settings.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("Heard is running in Socket Mode")
            handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
            handler.start()  # type: ignore[no-untyped-call]
        else:
            import waitress

            log.info("Heard is serving HTTP on port %s (events at /slack/events)", settings.port)
            waitress.serve(wsgi_app(app), host="0.0.0.0", port=settings.port, threads=16)
    finally:
        heard.close()
        if background is not None:
            background.close()


def _connect(settings: Settings) -> SlackGateway:
    if settings.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set: copy the bot token (xoxb-…) from your app")
    if settings.slack_app_token is None and settings.slack_signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it "
            "(or set SLACK_APP_TOKEN for Socket Mode)"
        )
    try:
        return SlackGateway.connect(web_client(settings))
    except SlackApiError as error:
        raise ConfigError(
            f"SLACK_BOT_TOKEN was rejected by Slack ({error.response.get('error')})"
        ) from None
    except OSError as error:
        raise ConfigError(
            f"SLACK_API_URL={settings.slack_api_url} is unreachable ({error})"
        ) from None


def _check_channels(settings: Settings, gateway: SlackGateway) -> None:
    if not settings.heard_support_channels:
        raise ConfigError("HEARD_SUPPORT_CHANNELS is empty: set the IDs of the channels to watch")
    shared = []
    for channel in (*settings.heard_support_channels, settings.heard_triage_channel):
        if channel is None:
            continue
        try:
            info = gateway.client.conversations_info(channel=channel)["channel"]
        except SlackApiError as error:
            variable = (
                "HEARD_TRIAGE_CHANNEL"
                if channel == settings.heard_triage_channel
                else "HEARD_SUPPORT_CHANNELS"
            )
            raise ConfigError(
                f"{variable}: channel {channel} ({error.response.get('error')}); "
                "invite the bot or fix the ID"
            ) from None
        if info.get("is_ext_shared") or info.get("is_shared"):
            shared.append(channel)
    if settings.heard_triage_channel in shared:
        raise ConfigError(
            f"HEARD_TRIAGE_CHANNEL={settings.heard_triage_channel} is shared with another "
            "organisation: drafts must never be visible to customers"
        )
    if shared and settings.heard_triage_channel is None:
        raise ConfigError(
            f"HEARD_TRIAGE_CHANNEL is not set, but {', '.join(shared)} is shared with customers: "
            "drafts for it need an internal channel"
        )
