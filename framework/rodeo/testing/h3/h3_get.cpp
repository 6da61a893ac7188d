// rodeo_h3_get: GETs over HTTP/3 on one connection, with pushes if asked.
//   rodeo_h3_get [--max-push-id N [--then-max-push-id M]] [--cancel ID]... [--sni NAME]
//                [--output FILE] [--push-dir DIR] [--stream-window N [--hold-credit]]
//                [--stall-body N] HOST PORT PATH [PATH...]
// --stream-window N: each request stream's flow-control window; --hold-credit: never more
// (a client that stopped reading). --stall-body N: POST instead, sending N bytes of body and
// never its end (a stalled upload). A response the server reset prints "reset 0xCODE".
// Prints the status and fields of each response and of each push; the last response's body
// goes to --output (default: stdout after the fields), each pushed body to DIR/<push ID>.
// Exit 0 when every response is complete, 1 otherwise or on a client error.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/testing/h3/client.hpp"

namespace {

void print(const char* what, const rodeo::test::h3::response& r) {
  std::cout << what << " status " << r.status << " body " << r.body.size() << " bytes"
            << (r.complete ? "" : " (incomplete)") << "\n";
  if (r.reset) std::cout << what << " reset 0x" << std::hex << *r.reset << std::dec << "\n";
  for (const auto& f : r.headers) std::cout << "  " << f.name << ": " << f.value << "\n";
  for (const auto& f : r.trailers) std::cout << "  trailer " << f.name << ": " << f.value << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  rodeo::test::h3::client_options opt;
  std::string output, push_dir;
  std::optional<std::size_t> stall_body;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "rodeo_h3_get: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--max-push-id") {
      opt.max_push_id = std::stoull(value());
    } else if (a == "--then-max-push-id") {
      opt.then_max_push_id = std::stoull(value());
    } else if (a == "--cancel") {
      opt.cancel.insert(std::stoull(value()));
    } else if (a == "--sni") {
      opt.server_name = value();
    } else if (a == "--output") {
      output = value();
    } else if (a == "--stream-window") {
      opt.stream_window = std::stoull(value());
    } else if (a == "--hold-credit") {
      opt.hold_credit = true;
    } else if (a == "--stall-body") {
      stall_body = std::stoull(value());
    } else if (a == "--push-dir") {
      push_dir = value();
    } else {
      args.emplace_back(a);
    }
  }
  if (args.size() < 3) {
    std::cerr << "usage: rodeo_h3_get [--max-push-id N] [--cancel ID]... [--sni NAME] "
                 "[--output FILE] [--push-dir DIR] HOST PORT PATH [PATH...]\n";
    return 2;
  }
  opt.host = args[0];
  opt.port = static_cast<std::uint16_t>(std::stoi(args[1]));
  try {
    rodeo::test::h3::client c(opt);
    bool complete = true;
    std::string last_body;
    for (std::size_t k = 2; k < args.size(); ++k) {
      auto ex =
          stall_body ? c.post_stalled(args[k], std::string(*stall_body, 'u')) : c.get(args[k]);
      if (args.size() > 3) std::cout << "get " << args[k] << "\n";
      print("response", ex.resp);
      for (const auto& p : ex.pushes) {
        std::cout << "push " << p.push_id << (p.cancelled ? " cancelled" : "")
                  << (p.reset ? " reset" : "")
                  << (p.before_response ? " before-response" : " after-response") << "\n";
        for (const auto& f : p.promise)
          std::cout << "  promise " << f.name << ": " << f.value << "\n";
        if (!p.cancelled && !p.reset) print("pushed", p.resp);
        if (!push_dir.empty() && p.resp.complete)
          std::ofstream(push_dir + "/" + std::to_string(p.push_id), std::ios::binary)
              << p.resp.body;
      }
      complete = complete && ex.resp.complete;
      last_body = std::move(ex.resp.body);
    }
    if (!output.empty()) {
      std::ofstream(output, std::ios::binary) << last_body;
    } else {
      std::cout << last_body;
    }
    return complete ? 0 : 1;
  } catch (const rodeo::test::h3::client_error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
