"""Starting the servers under attack: the live test server, or the file server on a
generated root. Short timeouts keep the short run short; a flag the binary does not know yet
is left out (and said so) rather than stopping the run."""

import os
import resource
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "live"))
import harness  # noqa: E402  (tests/live/harness.py: the Server class)

SLOW = harness.SLOW

# Timeouts in seconds, per mode (listener_options: `request` bounds a new connection's first
# request head, TLS handshake and HTTP/2 preface included; `header` every later head). The
# short run needs them short; the full run uses values a deployment could use, still under
# the drip period of the slow attacks times their length.
TIMEOUTS = {
    "short": {"request": 2.0, "header": 2.0, "send": 2.0, "body": 3.0, "idle": 5.0,
              "linger": 1.0},
    "full": {"request": 10.0, "header": 10.0, "send": 10.0, "body": 10.0, "idle": 30.0,
             "linger": 2.0},
}

# Flag names: (test server, milliseconds) and (file server, seconds).
_FLAGS = {"header": ("--header-timeout-ms", "--header-timeout"),
          "send": ("--send-timeout-ms", "--send-timeout"),
          "body": ("--body-timeout-ms", "--body-timeout"),
          "idle": ("--idle-ms", "--idle-timeout"),
          "linger": ("--linger-ms", "--linger-timeout"),
          "request": ("--request-timeout-ms", "--request-timeout")}

HELLO = b"Hello world!"


def default_binaries(build):
    return (os.path.join(build, "tests", "live", "rodeo_test_server"),
            os.path.join(build, "apps", "file_server", "rodeo_file_server"))


class Files:
    """The file server's root: hello.txt (the control resource), big.bin, a secret outside the
    root, a symlink inside the root that leads to it, and a dotfile."""

    def __init__(self, big_mb):
        self.tmp = tempfile.mkdtemp(prefix="rodeo-abuse-")
        self.root = os.path.join(self.tmp, "root")
        os.makedirs(os.path.join(self.root, "sub"))
        with open(os.path.join(self.root, "hello.txt"), "wb") as f:
            f.write(HELLO)
        with open(os.path.join(self.root, "sub", "inner.txt"), "wb") as f:
            f.write(b"inner\n")
        self.secret = b"ABUSE-SECRET-" + os.urandom(8).hex().encode()
        with open(os.path.join(self.tmp, "secret.txt"), "wb") as f:
            f.write(self.secret + b"\n")
        self.dotfile = b"ABUSE-DOTFILE-" + os.urandom(8).hex().encode()
        with open(os.path.join(self.root, ".env"), "wb") as f:
            f.write(self.dotfile + b"\n")
        os.symlink(os.path.join(self.tmp, "secret.txt"), os.path.join(self.root, "escape.txt"))
        self.big = os.path.join(self.root, "big.bin")
        self.big_size = big_mb * 1024 * 1024
        with open(self.big, "wb") as f:
            block = os.urandom(1024 * 1024)
            for _ in range(big_mb):
                f.write(block)

    def as_dict(self):
        return {"root": self.root, "big": "/big.bin", "big_size": self.big_size,
                "secret": self.secret, "dotfile": self.dotfile}

    def remove(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


_help_cache = {}


def file_server_knows(binary, flag):
    """Whether the file server's --help mentions `flag`."""
    if binary not in _help_cache:
        try:
            p = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=20)
            _help_cache[binary] = p.stdout + p.stderr
        except (OSError, subprocess.TimeoutExpired):
            _help_cache[binary] = ""
    return flag in _help_cache[binary]


def server_command(kind, mode, binaries, files, extra):
    """(binary, args, notes): the server, its flags, and the flags left out."""
    timeouts = TIMEOUTS[mode]
    notes = []
    if kind == "test":
        args = []
        for name, (flag, _) in _FLAGS.items():
            args += [flag, str(int(timeouts[name] * 1000))]
        return binaries[0], args + list(extra), notes
    args = ["--root", files.root, "--port", "0", "--tls-port", "0", "--quiet"]
    for name, (_, flag) in _FLAGS.items():
        if file_server_knows(binaries[1], flag):
            args += [flag, f"{timeouts[name]:g}"]
        else:
            notes.append(flag)
    extra = list(extra)
    i = 0
    while i < len(extra):
        flag = extra[i]
        has_value = i + 1 < len(extra) and not extra[i + 1].startswith("--")
        if file_server_knows(binaries[1], flag):
            args += extra[i:i + (2 if has_value else 1)]
        else:
            notes.append(flag)
        i += 2 if has_value else 1
    return binaries[1], args, notes


def start(kind, mode, binaries, files, extra=(), nofile=None):
    """Starts a server; returns (harness.Server, notes). `nofile` is the server's
    RLIMIT_NOFILE (soft and hard) from the start, as a deployment's limit would be: the
    server sizes max_connections from it. prlimit execs the server, so the process id is the
    server's own."""
    binary, args, notes = server_command(kind, mode, binaries, files, extra)
    if nofile:
        binary, args = "prlimit", [f"--nofile={nofile}:{nofile}", binary] + args
    ready = r"ports (\d+) (\d+)" if kind == "test" else r":(\d+)/"
    server = harness.Server(binary, args, ready=ready, env=harness.bounded_quarantine_env())
    server.__enter__()
    return server, notes


def raise_own_nofile(want=65536):
    """Lets this process (and the servers it starts) hold `want` descriptors if it can."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = max(soft, want)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, max(hard, target)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(target, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
