"""Node's built-in http2 client as a second, independent push client."""

import os
import shutil
import unittest

from harness import Server, run, main

SCRIPT = os.path.join(os.path.dirname(__file__), "push_client.mjs")


@unittest.skipUnless(shutil.which("node"), "node is not installed")
class NodePush(unittest.TestCase):
    def test_node_receives_the_pushed_assets(self):
        with Server() as s:
            for tls, port in ((False, s.port), (True, s.tls_port)):
                p = run(["node", SCRIPT, "https" if tls else "http", str(port), "/push/page"],
                        timeout=30)
                self.assertEqual(p.returncode, 0, p.stderr)
                lines = sorted(p.stdout.strip().splitlines())
                self.assertEqual(lines, [
                    "parent 200 <html>page</html>",
                    "push /push/asset/app.js 200 asset app.js",
                    "push /push/asset/style.css 200 asset style.css",
                ])


if __name__ == "__main__":
    main()
