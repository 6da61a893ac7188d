"""The malformed HTTP/1.1 requests: (name, bytes, kind). `reject`: a framing or syntax error
the server MUST refuse (4xx/5xx, then close); a request for /hello/smuggled follows in the
same write and must never be answered. `close`: the server may answer, then MUST close
(and not answer what follows). `lenient`: the RFC lets the server either refuse or repair
(e.g. obs-fold replaced by SP, a bare LF taken as a line end); only one answer is allowed."""

H = b"Host: 127.0.0.1\r\n"


def _get(line=b"GET /hello HTTP/1.1", headers=H, end=b"\r\n"):
    return line + b"\r\n" + headers + end


def _post(headers, body):
    return b"POST /echo HTTP/1.1\r\n" + H + headers + b"\r\n" + body


CASES = [
    # --- message framing, RFC 9112 §6 (request smuggling) ---
    ("CL and TE chunked", _post(b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
                                b"0\r\n\r\n"), "reject"),
    ("TE chunked and CL", _post(b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
                                b"0\r\n\r\n"), "reject"),
    ("two different CL", _post(b"Content-Length: 3\r\nContent-Length: 5\r\n", b"abcde"), "reject"),
    ("CL list 3, 5", _post(b"Content-Length: 3, 5\r\n", b"abcde"), "reject"),
    ("CL negative", _post(b"Content-Length: -1\r\n", b""), "reject"),
    ("CL not a number", _post(b"Content-Length: abc\r\n", b""), "reject"),
    ("CL with plus sign", _post(b"Content-Length: +3\r\n", b"abc"), "reject"),
    ("CL hex", _post(b"Content-Length: 0x3\r\n", b"abc"), "reject"),
    ("CL overflow", _post(b"Content-Length: 99999999999999999999999\r\n", b""), "reject"),
    ("CL with inner space", _post(b"Content-Length: 1 0\r\n", b"abcdefghij"), "reject"),
    ("CL empty", _post(b"Content-Length:\r\n", b""), "reject"),
    ("space before colon (CL)", _post(b"Content-Length : 3\r\n", b"abc"), "reject"),
    ("space before colon (TE)", _post(b"Transfer-Encoding : chunked\r\n", b"0\r\n\r\n"), "reject"),
    ("TE chunked, identity", _post(b"Transfer-Encoding: chunked, identity\r\n", b"0\r\n\r\n"),
     "reject"),
    ("TE identity", _post(b"Transfer-Encoding: identity\r\n", b""), "reject"),
    ("TE xchunked", _post(b"Transfer-Encoding: xchunked\r\n", b"0\r\n\r\n"), "reject"),
    ("TE chunked twice in two fields",
     _post(b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", b"0\r\n\r\n"),
     "reject"),
    ("TE obs-folded", _post(b"Transfer-Encoding:\r\n chunked\r\n", b"0\r\n\r\n"), "reject"),
    ("TE with vertical tab", _post(b"Transfer-Encoding:\x0bchunked\r\n", b"0\r\n\r\n"), "reject"),
    ("chunk size not hex", _post(b"Transfer-Encoding: chunked\r\n", b"zz\r\nab\r\n0\r\n\r\n"),
     "reject"),
    ("chunk size negative", _post(b"Transfer-Encoding: chunked\r\n", b"-1\r\na\r\n0\r\n\r\n"),
     "reject"),
    ("chunk size overflow", _post(b"Transfer-Encoding: chunked\r\n",
                                  b"fffffffffffffffffffff\r\na\r\n0\r\n\r\n"), "reject"),
    ("chunk size with space", _post(b"Transfer-Encoding: chunked\r\n",
                                    b"1 0\r\n" + b"a" * 16 + b"\r\n0\r\n\r\n"), "reject"),
    ("chunk data longer than its size", _post(b"Transfer-Encoding: chunked\r\n",
                                              b"3\r\nabcdef\r\n0\r\n\r\n"), "reject"),
    ("chunk ending with bare LF", _post(b"Transfer-Encoding: chunked\r\n",
                                        b"3\nabc\n0\n\n"), "reject"),
    ("chunk extension with NUL", _post(b"Transfer-Encoding: chunked\r\n",
                                       b"3;a=\x00\r\nabc\r\n0\r\n\r\n"), "reject"),
    ("HTTP/1.0 with TE chunked",
     b"POST /echo HTTP/1.0\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "close"),
    # --- field syntax, RFC 9112 §5 and RFC 9110 §5.5 ---
    ("NUL in a field value", _get(headers=H + b"X-A: a\x00b\r\n"), "reject"),
    ("bare CR in a field value", _get(headers=H + b"X-A: a\rb\r\n"), "reject"),
    ("NUL in a field name", _get(headers=H + b"X-\x00A: b\r\n"), "reject"),
    ("space in a field name", _get(headers=H + b"X A: b\r\n"), "reject"),
    ("field without a colon", _get(headers=H + b"XA\r\n"), "reject"),
    ("empty field name", _get(headers=H + b": b\r\n"), "reject"),
    ("parenthesis in a field name", _get(headers=H + b"X-A(: b\r\n"), "reject"),
    ("UTF-8 in a field name", _get(headers=H + "X-Ä: b\r\n".encode()), "reject"),
    ("obs-fold in a plain field", _get(headers=H + b"X-A: b\r\n c\r\n"), "lenient"),
    ("bare LF line ends", b"GET /hello HTTP/1.1\n" + b"Host: 127.0.0.1\n\n", "lenient"),
    ("whitespace before the first field", _get(headers=b" X-A: b\r\n" + H), "lenient"),
    # --- Host, RFC 9112 §3.2 ---
    ("no Host in HTTP/1.1", _get(headers=b""), "reject"),
    ("two Host fields", _get(headers=H + b"Host: other\r\n"), "reject"),
    ("Host with a space", _get(headers=b"Host: a b\r\n"), "reject"),
    ("Host with userinfo", _get(headers=b"Host: user@127.0.0.1\r\n"), "reject"),
    # --- request line, RFC 9112 §3 ---
    ("version HTTP/2.0 in text", _get(b"GET /hello HTTP/2.0"), "reject"),
    ("version HTTP/3.1", _get(b"GET /hello HTTP/3.1"), "reject"),
    ("version HTTP/1", _get(b"GET /hello HTTP/1"), "reject"),
    ("version HTTP/1.1.1", _get(b"GET /hello HTTP/1.1.1"), "reject"),
    ("version lowercase", _get(b"GET /hello http/1.1"), "reject"),
    ("version HTTP/01.1", _get(b"GET /hello HTTP/01.1"), "reject"),
    ("no version (HTTP/0.9)", b"GET /hello\r\n\r\n", "reject"),
    ("trailing space after version", _get(b"GET /hello HTTP/1.1 "), "reject"),
    ("NUL in the target", _get(b"GET /hel\x00lo HTTP/1.1"), "reject"),
    ("control byte in the target", _get(b"GET /hel\x01lo HTTP/1.1"), "reject"),
    ("DEL in the target", _get(b"GET /hel\x7flo HTTP/1.1"), "reject"),
    ("target without a slash", _get(b"GET hello HTTP/1.1"), "reject"),
    ("NUL in the method", _get(b"G\x00ET /hello HTTP/1.1"), "reject"),
    ("non-ASCII method", _get("GÉT /hello HTTP/1.1".encode()), "reject"),
    ("CONNECT with an origin-form target", _get(b"CONNECT /hello HTTP/1.1"), "reject"),
    ("two spaces after the method", _get(b"GET  /hello HTTP/1.1"), "lenient"),
    # --- sizes, RFC 9110 §15.5.15 / RFC 6585 §5 ---
    ("100 KB target", _get(b"GET /" + b"a" * 100_000 + b" HTTP/1.1"), "reject"),
    ("100 KB field", _get(headers=H + b"X-A: " + b"a" * 100_000 + b"\r\n"), "reject"),
    ("10,000 fields", _get(headers=H + b"X-A: b\r\n" * 10_000), "reject"),
    ("100 KB method", _get(b"G" * 100_000 + b" /hello HTTP/1.1"), "reject"),
]
