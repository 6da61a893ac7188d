#include "rodeo/mw/static/precompressed.hpp"

#include <string>

#include "rodeo/mw/static/fields.hpp"

namespace rodeo::mw::static_files {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (RFC 9110 §12.4.2)
std::optional<int> parse_qvalue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return {};
  int v = (s[0] - '0') * 1000;
  if (s.size() == 1) return v;
  if (s[1] != '.' || s.size() > 5) return {};
  int scale = 100;
  for (char c : s.substr(2)) {
    if (c < '0' || c > '9') return {};
    v += (c - '0') * scale;
    scale /= 10;
  }
  return v > 1000 ? std::nullopt : std::optional<int>(v);
}

// One element "coding *( OWS ; OWS param )": its coding (lowercase) and weight.
std::optional<std::pair<std::string, int>> parse_element(std::string_view e) {
  const auto semi = e.find(';');
  std::string coding = lower(trim_ows(e.substr(0, semi)));
  if (coding.empty()) return {};
  int weight = 1000;
  while (e.find(';') != std::string_view::npos) {
    e.remove_prefix(e.find(';') + 1);
    const auto param = trim_ows(e.substr(0, e.find(';')));
    const auto eq = param.find('=');
    if (eq == std::string_view::npos) return {};
    if (lower(trim_ows(param.substr(0, eq))) != "q") continue;
    const auto q = parse_qvalue(trim_ows(param.substr(eq + 1)));
    if (!q) return {};
    weight = *q;
  }
  if (coding == "x-gzip") coding = "gzip";
  return std::pair{std::move(coding), weight};
}

}  // namespace

int coding_weight(std::string_view accept_encoding, std::string_view coding) {
  const std::string want = lower(coding);
  std::optional<int> own, star;
  while (true) {
    const auto comma = accept_encoding.find(',');
    if (auto el = parse_element(accept_encoding.substr(0, comma))) {
      if (el->first == want)
        own = el->second;
      else if (el->first == "*")
        star = el->second;
    }
    if (comma == std::string_view::npos) break;
    accept_encoding.remove_prefix(comma + 1);
  }
  return own ? *own : star ? *star : 0;
}

std::string_view choose_coding(std::optional<std::string_view> accept_encoding,
                               const std::vector<std::string_view>& available) {
  if (!accept_encoding) return {};
  std::string_view best;
  int best_weight = 0;
  for (const auto& v : coding_variants) {
    bool on_disk = false;
    for (auto a : available) on_disk = on_disk || a == v.coding;
    if (!on_disk) continue;
    const int w = coding_weight(*accept_encoding, v.coding);
    if (w > best_weight) {
      best = v.coding;
      best_weight = w;
    }
  }
  return best;
}

}  // namespace rodeo::mw::static_files
