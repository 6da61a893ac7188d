"""Automatic 103 Early Hints (RFC 8297): a push the client cannot take becomes a preload link,
one 103 per handler turn, by the push policy of the listener and the route. Python h2 over
h2c, curl over HTTP/1.1."""

import h2.events
import h2.settings

from harness import ServerCase, curl, main
from push_test import Client

STYLE = "</push/asset/style.css>; rel=preload; as=style"
# The page pushes app.js with `accept: */*`: the path tells the destination.
APP = "</push/asset/app.js>; rel=preload; as=script"
NO_PUSH = {h2.settings.SettingCodes.ENABLE_PUSH: 0}


class HintsClient(Client):
    """Also records the informational responses of each stream, in arrival order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.informs = []  # (stream, headers)

    def on_event(self, e):
        if isinstance(e, h2.events.InformationalResponseReceived):
            self.informs.append((e.stream_id, {k.decode(): v.decode() for k, v in e.headers}))
            self.frames.append(("inform", e.stream_id))
        else:
            super().on_event(e)


class EarlyHints(ServerCase):
    def fetch(self, path, settings=None):
        c = HintsClient(self.server.port, settings=settings)
        c.get(1, path)
        c.pump(c.all_done)
        c.close()
        self.assertEqual(c.headers[1][":status"], "200")
        return c

    def test_client_without_push_gets_one_103_with_every_link_and_no_promise(self):
        c = self.fetch("/push/page", NO_PUSH)
        self.assertEqual(c.promises, [])
        self.assertEqual(len(c.informs), 1, c.informs)
        sid, hs = c.informs[0]
        self.assertEqual(sid, 1)
        self.assertEqual(hs[":status"], "103")
        self.assertEqual(hs["link"], f"{STYLE}, {APP}")
        # The 103 comes before the page's HEADERS.
        self.assertLess(c.frames.index(("inform", 1)), c.frames.index(("headers", 1)))
        self.assertEqual(c.headers[1]["x-push-outcomes"], "hinted,hinted")

    def test_client_taking_pushes_gets_promises_and_no_103(self):
        c = self.fetch("/push/page")
        self.assertEqual(len(c.promises), 2)
        self.assertEqual(c.informs, [])
        self.assertEqual(c.headers[1]["x-push-outcomes"], "promised,promised")

    def test_policy_off_sends_neither(self):
        for settings in (None, NO_PUSH):
            c = self.fetch("/push/page?policy=off", settings)
            self.assertEqual((c.promises, c.informs), ([], []))
            self.assertEqual(c.headers[1]["x-push-outcomes"], "policy,policy")

    def test_policy_hint_only_hints_a_client_that_takes_pushes(self):
        c = self.fetch("/push/page?policy=hint_only")
        self.assertEqual(c.promises, [])
        self.assertEqual([hs["link"] for _, hs in c.informs], [f"{STYLE}, {APP}"])
        self.assertEqual(c.headers[1]["x-push-outcomes"], "hinted,hinted")

    def test_policy_push_only_gives_a_client_without_push_nothing(self):
        c = self.fetch("/push/page?policy=push_only", NO_PUSH)
        self.assertEqual((c.promises, c.informs), ([], []))
        self.assertEqual(c.headers[1]["x-push-outcomes"],
                         "disabled_by_client,disabled_by_client")
        c = self.fetch("/push/page?policy=push_only")
        self.assertEqual(len(c.promises), 2)
        self.assertEqual(c.informs, [])

    def test_no_hints_over_http1_by_default(self):
        p = curl("--http1.1", "-sv", "-o", "/dev/null", self.server.url("/push/page"))
        self.assertNotIn("< HTTP/1.1 103", p.stderr)
        self.assertIn("< x-push-outcomes: http1,http1", p.stderr)


class EarlyHintsOverHttp1(ServerCase):
    server_args = ("--early-hints-http1", "on", "--push-policy", "push_or_hint")

    def test_hints_over_http1_when_the_listener_enables_them(self):
        p = curl("--http1.1", "-sv", "-o", "/dev/null", self.server.url("/push/page"))
        self.assertIn("< HTTP/1.1 103", p.stderr)
        self.assertIn(f"< link: {STYLE}, {APP}", p.stderr)
        self.assertIn("< x-push-outcomes: hinted,hinted", p.stderr)


class ListenerPolicy(ServerCase):
    server_args = ("--push-policy", "hint_only")

    def test_listener_policy_applies_to_every_route(self):
        c = HintsClient(self.server.port)
        c.get(1, "/push/page")
        c.pump(c.all_done)
        c.close()
        self.assertEqual(c.promises, [])
        self.assertEqual([hs["link"] for _, hs in c.informs], [f"{STYLE}, {APP}"])


if __name__ == "__main__":
    main()
