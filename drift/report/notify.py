"""Notifications of new drift after a scan: a Slack-compatible webhook, SNS, and any service
Apprise reaches (`[notify] urls`: Microsoft Teams, email, Discord, ntfy, ...).

Sent only when the scan has new findings at or above `[notify] on`, after the scan is saved;
a failure is reported (on stderr, by the caller) and loses nothing. Messages hold rule,
environment, key and message of findings, never a value; the webhook URL (which often embeds
a token) never appears in an error.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.request
from typing import Any

from drift.config.findings import NotifyConfig
from drift.model import Severity
from drift.report import inert
from drift.report.document import Document, FindingDoc

TIMEOUT = 10
MAX_LISTED = 20
#: The webhook's answer is read only this far: drift needs its status, not its body.
MAX_ANSWER = 64 * 1024
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def new_findings(document: Document, on: str) -> list[FindingDoc]:
    """Findings new since the last scan at or above the notification threshold."""
    threshold = Severity.parse(on)
    return [f for f in document["findings"] if f["status"] == "new" and Severity.parse(f["severity"]) >= threshold]


def message(document: Document, new: list[FindingDoc], report: str) -> dict[str, Any]:
    """The Slack-compatible payload: a text fallback plus blocks."""
    counts = document["summary"]
    new = inert.deep(new, inert.slack)
    report = inert.slack(report)
    head = (
        f"drift: {len(new)} new finding{'s' if len(new) != 1 else ''} in {inert.slack(document['project'])} "
        f"({counts['error']} errors, {counts['warning']} warnings in total)"
    )
    lines = [
        f"• {f['severity']} {f['rule']} {f['env'] or 'across'} {f['key'] or ''}: {f['message']}"
        for f in new[:MAX_LISTED]
    ]
    if len(new) > MAX_LISTED:
        lines.append(f"… and {len(new) - MAX_LISTED} more")
    text = "\n".join([head, *lines, f"Report: {report}"])
    return {
        "text": text,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": head[:150]}},
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{level}s*\n{counts[level]}"} for level in ("error", "warning", "info")
                ],
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)[:2900] or "(none)"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Report: {report}"}]},
        ],
    }


def expand(url: str, field: str = "webhook_url") -> str:
    """`${VAR}` from the environment (this field only); a missing variable is an error that
    names the variable, not the URL."""

    def replace(match: re.Match[str]) -> str:
        value = os.environ.get(match.group(1))
        if not value:
            raise ValueError(f"the environment variable {match.group(1)} for [notify] {field} is not set")
        return value

    return _VARIABLE.sub(replace, url)


def post_webhook(url: str, payload: dict[str, Any]) -> str | None:
    """POST the payload; a problem as text (never containing the URL), or None."""
    try:
        target = expand(url)
    except ValueError as exc:
        return str(exc)
    if not target.startswith(("https://", "http://")) or any(c.isspace() for c in target):
        return "webhook_url must be an http(s) URL without spaces"
    try:
        request = urllib.request.Request(
            target,
            data=json.dumps(payload).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "drift"},
        )
    except ValueError:
        return "webhook_url is not a valid URL (after ${VAR} expansion)"
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            answer.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        return f"webhook answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return f"webhook unreachable ({type(getattr(exc, 'reason', exc)).__name__})"
    except (ValueError, http.client.HTTPException):  # InvalidURL and friends: the message holds the URL
        return "webhook_url is not a valid URL (after ${VAR} expansion)"
    return None


def publish_sns(topic: str, subject: str, text: str) -> str | None:
    """Publish through SNS with boto3's standard configuration (AWS_ENDPOINT_URL included)."""
    from drift.errors import CollectorError
    from drift.platform.aws import AwsTarget, SessionPool, aws_errors

    region = topic.split(":")[3] if topic.startswith("arn:") and topic.count(":") >= 5 else None
    try:
        with aws_errors("SNS publish"):
            client = SessionPool().client("sns", AwsTarget.of({"region": region} if region else {}, {}))
            client.publish(TopicArn=topic, Subject=subject[:100], Message=text)
    except CollectorError as exc:
        return exc.reason
    return None


def send(config: NotifyConfig, document: Document, report: str) -> list[str]:
    """Notify when there is new drift; returns the problems (empty when all went well)."""
    new = new_findings(document, config.on.label)
    if not new:
        return []
    payload = message(document, new, config.report_url or report)
    problems = []
    if config.webhook_url:
        problem = post_webhook(config.webhook_url, payload)
        if problem:
            problems.append(problem)
    if config.sns_topic_arn:
        problem = publish_sns(config.sns_topic_arn, payload["blocks"][0]["text"]["text"], payload["text"])
        if problem:
            problems.append(problem)
    for index, url in enumerate(config.urls, 1):
        problem = notify_apprise(url, payload["blocks"][0]["text"]["text"], payload["text"], index)
        if problem:
            problems.append(problem)
    return problems


def notify_apprise(url: str, title: str, body: str, index: int) -> str | None:
    """Send through Apprise (one well-kept library for Microsoft Teams, email, Discord, ntfy,
    PagerDuty and a hundred more) to one URL; the problem, naming the URL by its place and
    scheme only (the rest holds tokens and passwords). Apprise's own logging, which quotes
    URLs, is silenced while it sends."""
    import logging

    import apprise

    scheme = url.partition("://")[0]
    try:
        target = expand(url, f"urls[{index}]")
    except ValueError as exc:
        return str(exc)
    logger = logging.getLogger("apprise")
    level, logger.level = logger.level, logging.CRITICAL + 1
    try:
        sender = apprise.Apprise()
        if not sender.add(target):
            return f"[notify] urls[{index}] ({scheme}://...) is not a URL Apprise knows"
        if not sender.notify(title=title, body=body):
            return f"[notify] urls[{index}] ({scheme}://...) was not delivered"
    finally:
        logger.level = level
    return None
