"""Login throttling with the `limits` library (moving windows kept in memory, per process).

Two limits guard POST /login before any password is checked: attempts per client address (each
attempt costs an argon2 verification, ~0.3 s of CPU) and failed attempts per account name
(password guessing spread over many addresses). A refused attempt costs nothing and answers
429 with Retry-After; a successful sign-in clears the account's failures.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

PER_ADDRESS = "20/10minutes"
PER_ACCOUNT = "5/10minutes"


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # seconds
    reason: str  # "address" | "account"


class LoginThrottle:
    def __init__(self, per_address: str = PER_ADDRESS, per_account: str = PER_ACCOUNT):
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.address: RateLimitItem = parse(per_address)
        self.account: RateLimitItem = parse(per_account)

    @staticmethod
    def _name(username: str) -> str:
        return username.strip().casefold()

    def _retry(self, item: RateLimitItem, key: str) -> int:
        reset = self.limiter.get_window_stats(item, "login", key).reset_time
        return max(1, math.ceil(reset - time.time()))

    def check(self, username: str, address: str) -> Refusal | None:
        """None when this attempt may go ahead (and counts it against the address)."""
        name = self._name(username)
        if name and not self.limiter.test(self.account, "login", name):
            return Refusal(self._retry(self.account, name), "account")
        if not self.limiter.hit(self.address, "login", address):
            return Refusal(self._retry(self.address, address), "address")
        return None

    def failed(self, username: str) -> None:
        name = self._name(username)
        if name:
            self.limiter.hit(self.account, "login", name)

    def succeeded(self, username: str) -> None:
        self.limiter.clear(self.account, "login", self._name(username))
