"""What every client of the HTTP/2 client matrix (client_matrix_test.py) reports about a
response, and helpers to build it. A response is a dict:

    name, index          the step and the request's place in it
    error                set when the client failed (the other fields may then be missing)
    status, headers      the status and {name as received: [values]} (Go reports its
                         canonicalised names in lowercase)
    raw_names            the field names exactly as they arrived, where the client shows them
    trailers             {name: [values]}
    body, body_length, body_sha256   (body only for bodies up to 4 KiB)
    protocol             "2" when the client says HTTP/2 carried the response
    alpn                 "h2" after TLS ALPN; "h2c" or "" over clear text
    local_addr           the client's end of the connection, where the client shows it
    pushes               pushed responses received with it: [{path, status, headers, body}]
    informational        the 1xx statuses received before the final response
    waited_for_continue  true when the client held the body back until a 100 (Continue) or
                         its own time limit (RFC 9110 §10.1.1); absent: false
    skip                 why the client cannot run this step (a known client limitation)
"""

import hashlib

from harness import SLOW

SMALL = 4096
# How long a client that waits for 100 (Continue) holds its body back before sending it
# anyway; the server should answer the request's header section at once.
CONTINUE_WAIT = 2 * SLOW


def describe_body(result, body):
    result["body_length"] = len(body)
    result["body_sha256"] = hashlib.sha256(body).hexdigest()
    result["body"] = body.decode(errors="replace") if len(body) <= SMALL else ""


def field_map(pairs):
    """{name: [values]}, names as received (the checks want them lowercase)."""
    out = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out
