// Links rodeo::json from the installed package: its nlohmann/json dependency comes with
// find_package(rodeo).
#include <rodeo/json/json.hpp>

int main() {
  auto* reply = &rodeo::reply_json;  // the library is linked, not only its header found
  const nlohmann::json v = {{"a", 1}};
  return reply != nullptr && v.dump() == "{\"a\":1}" ? 0 : 1;
}
