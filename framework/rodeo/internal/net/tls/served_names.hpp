#pragma once
/// \file
/// The names a TLS listener's certificate covers: the hosts it is authoritative for
/// (RFC 9113 §8.4, §9.1.1). A request for another host gets 421 Misdirected Request
/// (RFC 9110 §15.5.20), and push_options may name any of them.

#include <string>
#include <string_view>
#include <vector>

namespace rodeo::tls {

class served_names {
 public:
  /// `dns`: subjectAltName DNS names (a leading `*.` is a wildcard for one label, RFC 6125
  /// §6.4.3); `ips`: subjectAltName IP addresses as their 4 or 16 raw bytes.
  served_names(std::vector<std::string> dns, std::vector<std::string> ips);

  /// True when the certificate covers `host`: a DNS name compared case-insensitively (a
  /// trailing dot ignored), or an IPv4 or IPv6 address (brackets allowed). No port.
  bool covers(std::string_view host) const;

  /// The names, for the start-up log: "localhost, 127.0.0.1, ..." style.
  std::string describe() const;

 private:
  std::vector<std::string> dns_;  // lowercase
  std::vector<std::string> ips_;  // raw bytes
};

}  // namespace rodeo::tls
