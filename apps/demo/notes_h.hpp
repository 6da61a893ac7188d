#pragma once
/// \file
/// `/notes/[:id]`: the demo's REST resource, a rodeo::rest_handler.
///
///     GET  /notes        the notes, as JSON, text or HTML (Accept chooses); POST adds one
///                        (201 with its location)
///     GET  /notes/:id    one note, with an ETag (If-None-Match gives 304); PUT creates or
///                        replaces it (JSON `{"text":…}` or text/plain), DELETE removes it
///                        (then 410)
///
/// The HTML form pushes the site's style sheet before the page (HTTP/2).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "notes_store.hpp"
#include "rodeo/rest/rest_handler.hpp"

namespace demo {

class notes_h final : public rodeo::rest_handler {
 public:
  explicit notes_h(std::shared_ptr<notes_store> store) : store_(std::move(store)) {}

  std::vector<std::string> allowed_methods(rodeo::req& r) override;
  std::vector<rodeo::rest::provided_type> content_types_provided(rodeo::req& r) override;
  std::vector<rodeo::rest::accepted_type> content_types_accepted(rodeo::req& r) override;
  bool resource_exists(rodeo::req& r) override;
  bool previously_existed(rodeo::req& r) override;
  bool allow_missing_post(rodeo::req& r) override { return false; }
  std::optional<rodeo::http::entity_tag> generate_etag(rodeo::req& r) override;
  std::optional<std::time_t> last_modified(rodeo::req& r) override;
  bool delete_resource(rodeo::req& r) override;
  std::string to_html(rodeo::req& r) override;

  std::string to_json(rodeo::req& r);
  std::string to_text(rodeo::req& r);
  rodeo::rest::accept_result from_json(rodeo::req& r, std::string body);
  rodeo::rest::accept_result from_text(rodeo::req& r, std::string body);

 private:
  // The note's id, or none for the collection.
  static std::optional<std::string> id_of(const rodeo::req& r);
  rodeo::rest::accept_result store(rodeo::req& r, std::string text);

  std::shared_ptr<notes_store> store_;
  std::optional<note> note_;  // the item, read once by resource_exists
};

}  // namespace demo
