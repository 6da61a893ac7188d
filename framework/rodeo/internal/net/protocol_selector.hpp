#pragma once
/// \file
/// Protocol selection for one connection: which engine speaks on it. Over TLS, ALPN decides
/// (RFC 9113 §3.2); on clear text, the first bytes do (the HTTP/2 preface, RFC 9113 §3.3),
/// and an HTTP/1.1 connection may later switch to HTTP/2 by `Upgrade: h2c` (RFC 7540 §3.2).
/// No I/O: the connection hands it what it read and installs the engine it returns.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rodeo/internal/protocol/protocol.hpp"

namespace rodeo {

class protocol_selector {
 public:
  /// What the first clear-text bytes say.
  enum class verdict { need_more, http1, http2 };

  /// `events` receives the engines' events; it must outlive every engine made here.
  /// `server`: the `server` field every engine adds (empty: none). `alt_svc`: the `alt-svc`
  /// field the TLS engines (for_alpn) add (RFC 7838 §3: HTTP/3 on the QUIC port; empty: none).
  protocol_selector(protocol_events& events, protocol_limits limits, std::string server = {},
                    std::string alt_svc = {})
      : events_(events),
        limits_(limits),
        server_(std::move(server)),
        alt_svc_(std::move(alt_svc)) {}

  /// RFC 9113 §3.3/§3.4: input starting with the preface's request line is HTTP/2 (an
  /// imperfect preface too, so that the HTTP/2 engine answers it GOAWAY(PROTOCOL_ERROR));
  /// a prefix of the preface needs more bytes; anything else is HTTP/1.1.
  static verdict classify(std::string_view first_bytes);

  /// TLS: the engine for the ALPN protocol ("h2" or anything else, which is HTTP/1.1).
  std::unique_ptr<protocol> for_alpn(std::string_view alpn) const;

  /// Clear text: `bytes` were read. Returns the engine once the bytes decide; the bytes read
  /// so far (to feed it first) are then in `take_sniffed`.
  std::unique_ptr<protocol> sniff(std::string_view bytes);
  /// The bytes `sniff` held, handed over once.
  std::string take_sniffed() { return std::move(sniffed_); }

  /// The HTTP/1.1 engine accepted `Upgrade: h2c` (inside its feed): remembered until the
  /// feed returns.
  void note_upgrade(request_head head, std::string settings, std::string rest);
  bool upgrade_pending() const { return upgrade_ != nullptr; }

  /// The swap: the HTTP/2 engine that continues the connection, with the upgrading request
  /// (to dispatch as stream 1) and the bytes read past it (to feed it). `engine` is null when
  /// HTTP2-Settings was invalid: the connection then closes.
  struct upgraded {
    std::unique_ptr<protocol> engine;
    request_head head;
    std::string rest;
  };
  upgraded take_upgrade();

 private:
  struct pending_upgrade {
    request_head head;
    std::string settings, rest;
  };

  protocol_events& events_;
  protocol_limits limits_;
  std::string server_;
  std::string alt_svc_;
  std::string sniffed_;  // clear text: bytes read before the protocol was known
  // Held only while an h2c upgrade is under way: inline, the request head would weigh on
  // every connection (idle ones included).
  std::unique_ptr<pending_upgrade> upgrade_;
};

}  // namespace rodeo
