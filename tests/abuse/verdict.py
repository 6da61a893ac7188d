"""The verdict rules (also in docs/abuse.md).

failed   the server exited or crashed; or fewer than FAIL_BELOW of the control requests made
         during the attack succeeded; or the control client is not served after the attack;
         or the attack's own expectation (the RFC-correct answer) was broken.
degraded any control request failed; or the worst control latency exceeded LATENCY_BOUND
         or the median P50_BOUND (both scaled for sanitized builds); or RSS or descriptors
         did not come back down within the recovery time; or the server did not stop
         gracefully on SIGTERM; or a lesser expectation of the attack was not met.
held     otherwise.

"Back down": descriptors at most FD_SLACK above the count before the attack, RSS at most
RSS_SLACK_FACTOR x before + RSS_SLACK_KB (allocators keep some freed memory)."""

FAIL_BELOW = 0.5
LATENCY_BOUND = 1.0
P50_BOUND = 0.1
FD_SLACK = 4
RSS_SLACK_FACTOR = 1.5
RSS_SLACK_KB = 64 * 1024


def recovered(before, now):
    """Whether a sample `now` is back down relative to `before` (rss kB, fds)."""
    rss0, fds0 = before
    rss, fds = now
    if rss is None or fds is None:
        return False
    return fds <= fds0 + FD_SLACK and rss <= rss0 * RSS_SLACK_FACTOR + RSS_SLACK_KB


def judge(r, slow=1):
    """Returns (verdict, reasons) for a finished run `r` (runner.Run)."""
    failed, degraded = [], []
    if r.crashed:
        failed.append(r.crashed)
    total = len(r.control)
    ok = sum(1 for c in r.control if c.ok)
    if total and ok / total < FAIL_BELOW:
        failed.append(f"control {ok}/{total} during the attack")
    if not r.served_after:
        failed.append("control not served after the attack")
    failed += r.outcome.broken
    if total and ok < total:
        degraded.append(f"control {ok}/{total}")
    worst = max((c.latency for c in r.control), default=0.0)
    if worst > LATENCY_BOUND * slow:
        degraded.append(f"worst control latency {worst:.2f} s")
    lat = sorted(c.latency for c in r.control)
    if lat and lat[len(lat) // 2] > P50_BOUND * slow:
        degraded.append(f"median control latency {lat[len(lat) // 2] * 1000:.0f} ms")
    if not r.recovered:
        degraded.append("RSS/descriptors not back down")
    if r.stop_problem:
        degraded.append(r.stop_problem)
    degraded += r.outcome.soft
    if failed:
        return "failed", failed + degraded
    if degraded:
        return "degraded", degraded
    return "held", []
