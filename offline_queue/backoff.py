"""Randomized exponential back-off ("full jitter"), with a cap and Retry-After as a floor.

Full jitter spreads retries of many kiosks that failed together uniformly over the window,
so a recovering server is not hit by synchronized waves (AWS architecture blog, tus spec)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base_s: float = 2.0
    cap_s: float = 300.0
    rng: random.Random = field(default_factory=random.SystemRandom)

    def window(self, attempt: int) -> float:
        """Upper bound of the delay after the ``attempt``-th consecutive failure (1-based)."""
        return min(self.cap_s, self.base_s * (2.0 ** max(0, min(attempt - 1, 30))))

    def delay(self, attempt: int, retry_after_s: float | None = None) -> float:
        d = self.rng.uniform(0.0, self.window(attempt))
        if retry_after_s is not None and retry_after_s > 0:
            # Never earlier than the server asked; a little spread above it avoids a herd.
            ra = min(retry_after_s, 24 * 3600.0)
            d = max(d, ra + self.rng.uniform(0.0, min(ra, self.cap_s) * 0.2))
        return d
