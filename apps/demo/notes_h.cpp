#include "notes_h.hpp"

#include <nlohmann/json.hpp>

#include "rodeo/mw/static/listing.hpp"
#include "rodeo/req.hpp"

namespace demo {

using rodeo::mw::static_files::html_escape;

std::optional<std::string> notes_h::id_of(const rodeo::req& r) {
  auto it = r.bindings().find("id");
  if (it == r.bindings().end()) return std::nullopt;
  return it->second.text();
}

std::vector<std::string> notes_h::allowed_methods(rodeo::req& r) {
  if (id_of(r)) return {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
  return {"GET", "HEAD", "POST", "OPTIONS"};
}

std::vector<rodeo::rest::provided_type> notes_h::content_types_provided(rodeo::req&) {
  return {{"application/json", [this](rodeo::req& r) { return to_json(r); }},
          {"text/plain", [this](rodeo::req& r) { return to_text(r); }},
          {"text/html", [this](rodeo::req& r) { return to_html(r); }}};
}

std::vector<rodeo::rest::accepted_type> notes_h::content_types_accepted(rodeo::req&) {
  return {{"application/json",
           [this](rodeo::req& r, std::string body) { return from_json(r, std::move(body)); }},
          {"text/plain",
           [this](rodeo::req& r, std::string body) { return from_text(r, std::move(body)); }}};
}

bool notes_h::resource_exists(rodeo::req& r) {
  auto id = id_of(r);
  if (!id) return true;
  note_ = store_->get(*id);
  return note_.has_value();
}

bool notes_h::previously_existed(rodeo::req& r) {
  auto id = id_of(r);
  return id && store_->removed(*id);
}

std::optional<rodeo::http::entity_tag> notes_h::generate_etag(rodeo::req& r) {
  if (!id_of(r)) return rodeo::http::entity_tag{"c" + std::to_string(store_->generation()), false};
  return rodeo::http::entity_tag{"v" + std::to_string(note_->version), false};
}

std::optional<std::time_t> notes_h::last_modified(rodeo::req& r) {
  if (!id_of(r)) return std::nullopt;
  return note_->modified;
}

bool notes_h::delete_resource(rodeo::req& r) { return store_->remove(*id_of(r)); }

std::string notes_h::to_json(rodeo::req& r) {
  if (auto id = id_of(r)) return nlohmann::json{{"id", *id}, {"text", note_->text}}.dump();
  auto list = nlohmann::json::array();
  for (const auto& [id, n] : store_->all()) list.push_back({{"id", id}, {"text", n.text}});
  return list.dump();
}

std::string notes_h::to_text(rodeo::req& r) {
  if (id_of(r)) return note_->text + "\n";
  std::string out;
  for (const auto& [id, n] : store_->all()) out += id + ": " + n.text + "\n";
  return out;
}

std::string notes_h::to_html(rodeo::req& r) {
  // The page's style sheet travels with it (a no-op over HTTP/1.1).
  r.push("/static/style.css");
  std::string items;
  if (auto id = id_of(r)) {
    items = "<li>" + html_escape(note_->text) + "</li>";
  } else {
    for (const auto& [nid, n] : store_->all())
      items +=
          "<li><a href=\"/notes/" + html_escape(nid) + "\">" + html_escape(n.text) + "</a></li>";
  }
  return "<!doctype html><html><head><title>Notes</title>"
         "<link rel=\"stylesheet\" href=\"/static/style.css\"></head>"
         "<body><h1>Notes</h1><ul>" +
         items + "</ul></body></html>\n";
}

rodeo::rest::accept_result notes_h::from_json(rodeo::req& r, std::string body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("text") || !doc["text"].is_string())
    return rodeo::rest::accept_result::refused();
  return store(r, doc["text"].get<std::string>());
}

rodeo::rest::accept_result notes_h::from_text(rodeo::req& r, std::string body) {
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return store(r, std::move(body));
}

rodeo::rest::accept_result notes_h::store(rodeo::req& r, std::string text) {
  if (auto id = id_of(r)) {
    auto n = store_->put(*id, std::move(text));
    r.set_resp_header("etag", rodeo::http::to_string({"v" + std::to_string(n.version), false}));
    return rodeo::rest::accept_result::ok();
  }
  return rodeo::rest::accept_result::created("/notes/" + store_->add(std::move(text)));
}

}  // namespace demo
