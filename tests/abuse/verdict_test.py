"""The verdict rules of verdict.py, on made-up runs: what makes a run held, degraded or
failed. Runs without a server."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attack import Outcome  # noqa: E402
from control import Result  # noqa: E402
import verdict  # noqa: E402


class FakeRun:
    def __init__(self, ok=10, bad=0, latency=0.002, **kw):
        self.control = [Result(0, "h1", True, latency) for _ in range(ok)] + \
            [Result(0, "h1", False, 2.0, "timeout") for _ in range(bad)]
        self.outcome = kw.get("outcome", Outcome("seen"))
        self.crashed = kw.get("crashed", "")
        self.served_after = kw.get("served_after", True)
        self.recovered = kw.get("recovered", True)
        self.stop_problem = kw.get("stop_problem", "")


class Verdicts(unittest.TestCase):
    def test_all_served_quickly_and_expectations_met_is_held(self):
        self.assertEqual(verdict.judge(FakeRun()), ("held", []))

    def test_a_crash_is_failed(self):
        self.assertEqual(verdict.judge(FakeRun(crashed="server exited with -11"))[0], "failed")

    def test_control_below_half_is_failed(self):
        self.assertEqual(verdict.judge(FakeRun(ok=4, bad=6))[0], "failed")

    def test_control_not_served_after_the_attack_is_failed(self):
        self.assertEqual(verdict.judge(FakeRun(served_after=False))[0], "failed")

    def test_a_broken_expectation_is_failed(self):
        run = FakeRun(outcome=Outcome("x", broken=["200/200 slow connections never closed"]))
        v, reasons = verdict.judge(run)
        self.assertEqual(v, "failed")
        self.assertIn("200/200 slow connections never closed", reasons)

    def test_one_failed_control_request_is_degraded(self):
        self.assertEqual(verdict.judge(FakeRun(ok=9, bad=1))[0], "degraded")

    def test_a_slow_median_is_degraded(self):
        self.assertEqual(verdict.judge(FakeRun(latency=0.5))[0], "degraded")

    def test_sanitized_builds_scale_the_latency_bounds(self):
        self.assertEqual(verdict.judge(FakeRun(latency=0.3), slow=4)[0], "held")

    def test_not_recovered_or_no_graceful_stop_or_a_soft_expectation_is_degraded(self):
        for run in (FakeRun(recovered=False), FakeRun(stop_problem="exit code 1"),
                    FakeRun(outcome=Outcome("x", soft=["a dotfile served"]))):
            self.assertEqual(verdict.judge(run)[0], "degraded")

    def test_back_down_allows_allocator_slack_but_not_held_descriptors(self):
        self.assertTrue(verdict.recovered((20_000, 9), (40_000, 13)))
        self.assertFalse(verdict.recovered((20_000, 9), (40_000, 14)))
        self.assertFalse(verdict.recovered((20_000, 9), (200_000, 9)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
