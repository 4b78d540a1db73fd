"""Retry with exponential backoff and jitter, honouring a server's Retry-After."""

import dataclasses
import email.utils
import random
import time


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    base_delay: float = 0.5        # seconds before the second attempt; doubles each time
    max_delay: float = 30.0        # no single wait is longer (a longer Retry-After gives up instead)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_delay(policy: RetryPolicy, attempt: int, retry_after: float | None = None) -> float | None:
    """Seconds to wait before attempt `attempt + 1` (attempts count from 1), or None to give up."""
    if attempt >= policy.max_attempts:
        return None
    if retry_after is not None:
        return retry_after if retry_after <= policy.max_delay else None
    delay = policy.base_delay * 2 ** (attempt - 1)
    return min(policy.max_delay, delay * random.uniform(0.5, 1.5))


def with_retries(call, policy: RetryPolicy, retryable, sleep=time.sleep):
    """Run `call()`; on an exception for which `retryable(exc)` returns (True, retry_after), wait and
    try again, up to the policy's attempts. The last exception is raised with `.attempts` set."""
    attempt = 1
    while True:
        try:
            return call()
        except Exception as exc:
            should, retry_after = retryable(exc)
            delay = backoff_delay(policy, attempt, retry_after) if should else None
            if delay is None:
                exc.attempts = attempt
                raise
            sleep(delay)
            attempt += 1
