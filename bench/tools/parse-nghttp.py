#!/usr/bin/env python3
"""One line of key=value fields from the output of one `nghttp -n -a -v URL` (stdin).

Times in ms from nghttp's frame time stamps, counted from "Connected" (TCP is up):
  hs_ms    until the first frame sent (the TLS handshake; about 0 over h2c)
  html_ms  until the END_STREAM of the first request's stream (the page)
  load_ms  until the last END_STREAM of any stream (the page and every asset)
  assets_ms  until the last END_STREAM of the other streams (assets, pushed or not)
and pushed (PUSH_PROMISE frames), responses (streams ended), bytes (DATA payload),
pushed_bytes (DATA payload on pushed streams: even ids), html_bytes (the page's DATA
payload), status (the :status values seen). Prints error=... and exits 1 without a complete run.
"""
import re
import sys

STAMP = re.compile(r"^\[\s*([0-9.]+)\] (.*)$")
FRAME = re.compile(r"^(send|recv) (\w+) frame <length=(\d+), flags=0x([0-9a-f]+), stream_id=(\d+)>")
STATUS = re.compile(r"^recv \(stream_id=\d+\) :status: (\d+)")

connected = first_send = first_stream = None
ends, statuses, pushed, data, pushed_data, stream_data = {}, set(), 0, 0, 0, {}
for line in sys.stdin:
    m = STAMP.match(line.rstrip("\n"))
    if not m:
        continue
    t, rest = float(m.group(1)) * 1000, m.group(2)
    if rest.startswith("Connected"):
        connected = t
    elif (s := STATUS.match(rest)):
        statuses.add(s.group(1))
    elif (f := FRAME.match(rest)):
        way, kind, length, flags, sid = f.group(1), f.group(2), int(f.group(3)), int(f.group(4), 16), int(f.group(5))
        if way == "send":
            first_send = t if first_send is None else first_send
            if kind == "HEADERS" and first_stream is None:
                first_stream = sid
            continue
        pushed += kind == "PUSH_PROMISE"
        data += length if kind == "DATA" else 0
        pushed_data += length if kind == "DATA" and sid % 2 == 0 else 0
        if kind == "DATA":
            stream_data[sid] = stream_data.get(sid, 0) + length
        if kind in ("DATA", "HEADERS") and flags & 1 and sid:
            ends[sid] = t
if connected is None or first_stream not in ends:
    print("error=incomplete")
    sys.exit(1)
assets = [t for sid, t in ends.items() if sid != first_stream]
print("hs_ms=%.0f html_ms=%.0f load_ms=%.0f pushed=%d responses=%d bytes=%d status=%s "
      "assets_ms=%.0f pushed_bytes=%d html_bytes=%d" % (
          (first_send or connected) - connected, ends[first_stream] - connected,
          max(ends.values()) - connected, pushed, len(ends), data, ",".join(sorted(statuses)),
          (max(assets) - connected) if assets else -1, pushed_data,
          stream_data.get(first_stream, 0)))
