#include "rodeo/rest/negotiate.hpp"

#include <utility>

namespace rodeo::rest {

namespace {

// How well one range fits one offer: specificity (higher is more specific), -1 for no match.
struct fit {
  int specificity = -1;
  int quality = 0;
  std::size_t order = 0;  // the range's place in the client's list
};

// The offer's quality from its most specific matching range, then the best offer. No field:
// the server's first offer.
template <class Range, class Match>
std::optional<std::size_t> choose(const std::vector<std::string>& offers,
                                  const std::optional<std::vector<Range>>& field, Match match) {
  if (!field) return offers.empty() ? std::nullopt : std::optional<std::size_t>{0};
  const auto& ranges = *field;
  std::optional<std::size_t> best;
  fit best_fit;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    fit f;
    for (std::size_t j = 0; j < ranges.size(); ++j) {
      int s = match(ranges[j], offers[i]);
      if (s > f.specificity) f = {s, ranges[j].quality, j};
    }
    if (f.specificity < 0 || f.quality == 0) continue;
    if (!best || f.quality > best_fit.quality ||
        (f.quality == best_fit.quality && f.order < best_fit.order)) {
      best = i;
      best_fit = f;
    }
  }
  return best;
}

std::pair<std::string_view, std::string_view> split_type(std::string_view t) {
  auto slash = t.find('/');
  if (slash == std::string_view::npos) return {t, {}};
  return {t.substr(0, slash), t.substr(slash + 1)};
}

}  // namespace

std::optional<std::size_t> choose_media_type(
    const std::vector<std::string>& offers,
    const std::optional<std::vector<http::media_range>>& accept) {
  return choose(offers, accept, [](const http::media_range& r, const std::string& offer) {
    auto [type, subtype] = split_type(offer);
    if (r.type == "*") return 0;
    if (r.type != type) return -1;
    if (r.subtype == "*") return 1;
    return r.subtype == subtype ? 2 : -1;
  });
}

std::optional<std::size_t> choose_language(
    const std::vector<std::string>& offers,
    const std::optional<std::vector<http::weighted_token>>& accept_language) {
  return choose(offers, accept_language,
                [](const http::weighted_token& r, const std::string& tag) -> int {
                  if (r.value == "*") return 0;
                  if (tag == r.value) return static_cast<int>(r.value.size()) + 1;
                  // RFC 4647 §3.3.1: "en" matches "en-us", not "eng".
                  if (tag.size() > r.value.size() && tag.compare(0, r.value.size(), r.value) == 0 &&
                      tag[r.value.size()] == '-')
                    return static_cast<int>(r.value.size());
                  return -1;
                });
}

std::optional<std::size_t> choose_charset(
    const std::vector<std::string>& offers,
    const std::optional<std::vector<http::weighted_token>>& accept_charset) {
  return choose(offers, accept_charset,
                [](const http::weighted_token& r, const std::string& cs) -> int {
                  if (r.value == "*") return 0;
                  return r.value == cs ? 1 : -1;
                });
}

bool media_type_covers(std::string_view pattern, std::string_view type, std::string_view subtype) {
  auto [pt, ps] = split_type(pattern);
  if (pt == "*") return true;
  if (pt != type) return false;
  return ps == "*" || ps == subtype;
}

}  // namespace rodeo::rest
