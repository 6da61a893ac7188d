// rodeo_h3_get: one GET over HTTP/3, with pushes if asked.
//   rodeo_h3_get [--max-push-id N [--then-max-push-id M]] [--cancel ID]... [--sni NAME]
//                [--output FILE] HOST PORT PATH
// Prints the status and fields of the response and of each push; the body goes to --output
// (default: stdout after the fields). Exit 0 on a complete response, 1 on a client error.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "rodeo/testing/h3/client.hpp"

namespace {

void print(const char* what, const rodeo::test::h3::response& r) {
  std::cout << what << " status " << r.status << " body " << r.body.size() << " bytes"
            << (r.complete ? "" : " (incomplete)") << "\n";
  for (const auto& f : r.headers) std::cout << "  " << f.name << ": " << f.value << "\n";
  for (const auto& f : r.trailers) std::cout << "  trailer " << f.name << ": " << f.value << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  rodeo::test::h3::client_options opt;
  std::string output;
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
    } else {
      args.emplace_back(a);
    }
  }
  if (args.size() != 3) {
    std::cerr << "usage: rodeo_h3_get [--max-push-id N] [--cancel ID]... [--sni NAME] "
                 "[--output FILE] HOST PORT PATH\n";
    return 2;
  }
  opt.host = args[0];
  opt.port = static_cast<std::uint16_t>(std::stoi(args[1]));
  try {
    rodeo::test::h3::client c(opt);
    auto ex = c.get(args[2]);
    print("response", ex.resp);
    for (const auto& p : ex.pushes) {
      std::cout << "push " << p.push_id << (p.cancelled ? " cancelled" : "") << "\n";
      for (const auto& f : p.promise)
        std::cout << "  promise " << f.name << ": " << f.value << "\n";
      if (!p.cancelled) print("pushed", p.resp);
    }
    if (!output.empty()) {
      std::ofstream(output, std::ios::binary) << ex.resp.body;
    } else {
      std::cout << ex.resp.body;
    }
    return ex.resp.complete ? 0 : 1;
  } catch (const rodeo::test::h3::client_error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
