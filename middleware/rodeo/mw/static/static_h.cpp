#include "rodeo/mw/static/static_h.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "rodeo/log.hpp"
#include "rodeo/mw/static/fields.hpp"
#include "rodeo/mw/static/listing.hpp"
#include "rodeo/mw/static/mime.hpp"
#include "rodeo/mw/static/open_error.hpp"
#include "rodeo/mw/static/path_safety.hpp"
#include "rodeo/mw/static/precompressed.hpp"
#include "rodeo/mw/static/push_validator.hpp"
#include "rodeo/mw/static/response_plan.hpp"
#include "rodeo/req.hpp"

namespace rodeo::mw::static_files {

namespace {

// O_NONBLOCK so that a FIFO swapped in for a file cannot block the actor in open();
// O_NOFOLLOW because the path is a realpath: a symlink there now was planted since.
// `error` is open's errno on failure, ENOENT for something that is not a regular file.
unique_fd open_regular(const std::string& path, file_meta& meta, int& error) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW));
  if (!fd) {
    error = errno;
    return fd;
  }
  const auto m = stat_fd(fd.get());
  if (!m || m->kind != file_kind::regular) {
    error = ENOENT;
    return unique_fd{};
  }
  meta = *m;
  return fd;
}

// Exactly `n` bytes at `offset`; throws if the file shrank or cannot be read, which ends the
// request as a crash: 500 before the reply, a reset after (the length was promised).
std::string read_at(int fd, std::uint64_t offset, std::uint64_t n, const std::string& path) {
  std::string buf(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, buf.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      throw std::runtime_error("static file " + path + " changed or failed while being read");
    got += static_cast<std::size_t>(r);
  }
  return buf;
}

rodeo::headers without_content_length(rodeo::headers fields) {
  std::erase_if(fields, [](const rodeo::header& h) { return h.first == "content-length"; });
  return fields;
}

// The name the client asked for decides the type (a symlink's target may be named otherwise).
std::string_view requested_name(const static_source& src, const located& file) {
  return src.directory && !file.tokens.empty() ? std::string_view{file.tokens.back()}
                                               : std::string_view{src.path};
}

}  // namespace

static_h::static_h(std::shared_ptr<const static_config> config) : config_(std::move(config)) {}

handler_result static_h::init(req& r) {
  if (r.method() != "GET" && r.method() != "HEAD") {
    r.reply(405, {{"allow", "GET, HEAD"}});
    return handler_result::ok;
  }
  const bool slash = !r.path().empty() && r.path().back() == '/';
  std::string key;
  if (config_->cache) {
    key = slash ? "/" : "";
    for (const auto& t : r.path_info()) key += t + '\0';  // NUL cannot occur in a token
    if (auto hit = config_->cache->find(key)) {
      serve_cached(r, hit);
      return handler_result::ok;
    }
  }
  located loc = locate(config_->source, r.path_info(), slash);
  if (loc.kind == located_kind::file && is_manifest(loc.path)) loc.kind = located_kind::not_found;
  if (loc.kind == located_kind::file && config_->cache) {
    auto variants =
        config_->precompressed ? find_variants(config_->source, loc) : std::vector<variant_file>{};
    if (auto entry = config_->cache->load(key, loc, variants)) {
      serve_cached(r, entry);
      return handler_result::ok;
    }
  }

  switch (loc.kind) {
    case located_kind::bad_request:
      r.reply(400);
      break;
    case located_kind::not_found:
      r.reply(404);
      break;
    case located_kind::redirect: {
      // A relative reference ("./name/"): it cannot point at another host, whatever the
      // request path looks like (RFC 9110 §10.2.2 allows relative references).
      const auto& p = r.path();
      std::string location = "./" + p.substr(p.rfind('/') + 1) + "/";
      if (!r.qs().empty()) location += "?" + r.qs();
      r.reply(301, {{"location", location}});
      break;
    }
    case located_kind::listing:
      serve_listing(r, loc);
      break;
    case located_kind::file:
      serve_file(r, loc);
      break;
  }
  // A streamed body goes on from on_drain callbacks: the request actor waits for them.
  return handler_result::ok;
}

void static_h::serve_file(req& r, const located& file) {
  const auto& cfg = *config_;
  std::vector<variant_file> variants;
  if (cfg.precompressed) variants = find_variants(cfg.source, file);
  std::vector<std::string_view> codings;
  for (const auto& v : variants) codings.push_back(v.coding);
  const auto accept = combined_field(r.headers(), "accept-encoding");
  const auto coding =
      choose_coding(accept ? std::optional<std::string_view>{*accept} : std::nullopt, codings);

  representation rep;
  int error = 0;
  for (const auto& v : variants) {
    if (v.coding != coding) continue;
    fd_ = open_regular(v.path, rep.meta, error);
    if (fd_) {
      rep.coding = v.coding;
      path_ = v.path;
    }
  }
  if (!fd_) {
    fd_ = open_regular(file.path, rep.meta, error);
    path_ = file.path;
  }
  if (!fd_) {
    const int status = status_for_open_error(error);
    if (status == 503) {
      // debug: under a descriptor flood a warning per request would flood the log too.
      log::app()->debug("static file {} not served: {}", file.path, std::strerror(error));
      r.reply(503, {{"retry-after", "1"}});
    } else {
      r.reply(status);
    }
    return;
  }
  rep.content_type = cfg.content_type.empty() ? content_type_for(requested_name(cfg.source, file))
                                              : std::string_view{cfg.content_type};
  rep.has_variants = !variants.empty();

  auto plan = plan_response(r.method(), r.headers(), rep, cfg.cache_control, std::time(nullptr));
  if (plan.status == 200 && r.method() == "GET") push_assets(r, file);

  if (plan.status != 200 && plan.status != 206) {
    fd_.reset();
    r.reply(plan.status, plan.fields);
    return;
  }
  if (plan.length == 0) {
    // HEAD, or an empty file. HEAD needs the content-length of the GET response, which only
    // a streamed reply carries as given (reply computes it from the body).
    fd_.reset();
    if (r.method() == "HEAD") {
      r.stream_reply(plan.status, plan.fields);
      r.stream_body({}, true);
    } else {
      r.reply(plan.status, without_content_length(std::move(plan.fields)));
    }
    return;
  }
  if (plan.length <= static_chunk_size) {
    auto body = read_at(fd_.get(), plan.offset, plan.length, path_);
    fd_.reset();
    r.reply(plan.status, without_content_length(std::move(plan.fields)), std::move(body));
    return;
  }
  next_ = plan.offset;
  end_ = plan.offset + plan.length;
  meta_ = rep.meta;
  // The file is opened again when there is room to send (send_next): a stream waiting on a
  // client that does not read holds no descriptor, so streams in the thousands cannot run the
  // process out of them (accept() and open() would then fail for everyone).
  fd_.reset();
  r.stream_reply(plan.status, plan.fields);
  // Even the first piece waits for room: a client asking for a big file on every stream of
  // many connections it never reads would otherwise hold 64 KiB per stream (2 GB for 300
  // connections of 100 streams) however low the connection's output limits are. Room is
  // there at once on a connection that keeps up.
  r.on_drain([this](req& again) { send_next(again); });
}

// The same decisions as serve_file, on bytes already in memory.
void static_h::serve_cached(req& r, const std::shared_ptr<const cached_file>& cached) {
  const cached_file& entry = *cached;
  const auto& cfg = *config_;
  std::vector<std::string_view> codings;
  for (std::size_t i = 1; i < entry.representations.size(); ++i)
    codings.push_back(entry.representations[i].coding);
  const auto accept = combined_field(r.headers(), "accept-encoding");
  const auto coding =
      choose_coding(accept ? std::optional<std::string_view>{*accept} : std::nullopt, codings);
  const cached_representation* chosen = &entry.representations.front();
  for (const auto& rep : entry.representations)
    if (!rep.coding.empty() && rep.coding == coding) chosen = &rep;

  representation rep;
  rep.meta = chosen->meta;
  rep.coding = chosen->coding;
  rep.content_type = cfg.content_type.empty()
                         ? content_type_for(requested_name(cfg.source, entry.file))
                         : std::string_view{cfg.content_type};
  rep.has_variants = entry.representations.size() > 1;

  auto plan = plan_response(r.method(), r.headers(), rep, cfg.cache_control, std::time(nullptr));
  if (plan.status == 200 && r.method() == "GET") push_assets(r, entry.file);
  if (plan.status != 200 && plan.status != 206) {
    r.reply(plan.status, plan.fields);
  } else if (r.method() == "HEAD") {
    r.stream_reply(plan.status, plan.fields);
    r.stream_body({}, true);
  } else {
    // The cached bytes themselves, shared with the entry (aliasing shared_ptr): no copy per
    // response, here or in the engines. An entry replaced meanwhile lives on until sent.
    std::shared_ptr<const std::string> bytes(cached, &chosen->bytes);
    auto part = std::string_view{chosen->bytes}.substr(plan.offset, plan.length);
    r.reply(plan.status, without_content_length(std::move(plan.fields)),
            body_bytes::share(std::move(bytes), part));
  }
}

void static_h::send_next(req& r) {
  if (!fd_) reopen();
  const std::uint64_t n = std::min(static_chunk_size, end_ - next_);
  auto piece = read_at(fd_.get(), next_, n, path_);
  next_ += n;
  const bool fin = next_ == end_;
  if (fin) fd_.reset();
  r.stream_body(std::move(piece), fin);
  // The handler object lives as long as the request actor, so `this` outlives the callback.
  if (!fin) r.on_drain([this](req& again) { send_next(again); });
}

// Throws, which resets the stream (the headers are out), if the file cannot be opened or is no
// longer the one whose length and validators were sent.
void static_h::reopen() {
  file_meta now;
  int error = 0;
  fd_ = open_regular(path_, now, error);
  if (!fd_)
    throw std::runtime_error("static file " + path_ +
                             " cannot be opened again: " + std::strerror(error));
  if (!same_file(now, meta_)) {
    fd_.reset();
    throw std::runtime_error("static file " + path_ + " changed after its headers were sent");
  }
}

void static_h::serve_listing(req& r, const located& dir) {
  std::string hidden;
  if (config_->manifest) {
    const std::string real = real_path(config_->manifest->path());
    const auto slash = real.rfind('/');
    if (slash != std::string::npos && real.substr(0, slash) == dir.path)
      hidden = real.substr(slash + 1);
  }
  r.reply(200, {{"content-type", "text/html; charset=utf-8"}},
          render_listing(r.path(), read_listing(dir.path, hidden)));
}

void static_h::push_assets(req& r, const located& file) {
  const auto& manifest = config_->manifest;
  if (!manifest || r.is_pushed()) return;  // no nested push (RFC 9113 §8.4)
  auto assets = manifest->assets_for(r.path());
  // A directory's index may be listed under either URL: "/docs/" or "/docs/index.html".
  if (r.path().back() == '/' && !file.tokens.empty() &&
      file.tokens.back() == config_->source.index) {
    auto more = manifest->assets_for(r.path() + config_->source.index);
    assets.insert(assets.end(), more.begin(), more.end());
  }
  for (const auto& asset : assets) {
    push_options opts;
    const auto q = asset.find('?');
    if (q != std::string::npos) opts.qs = asset.substr(q + 1);
    const std::string path = asset.substr(0, q);
    opts.validator = push_validator(config_->source, r.path(), r.path_info(), path);
    // The codings the client accepts for the page, as a browser sends them for its assets:
    // the pushed response is one it can decode (RFC 9110 §12.5.3), in none if it named none.
    opts.inherit = {"accept-encoding"};
    try {
      r.push(path, {{"accept", std::string(push_accept_for(path))}}, opts);
    } catch (const usage_error& e) {
      // A manifest entry the push contract refuses: the page is still served.
      log::app()->warn("static push of {} for {} refused: {}", asset, r.path(), e.what());
    }
  }
}

bool static_h::is_manifest(const std::string& real) const {
  const auto& manifest = config_->manifest;
  if (!manifest) return false;
  const auto& name = manifest->path();
  const auto base = name.substr(name.rfind('/') + 1);
  // Only a file with the manifest's name can be it: skip the realpath otherwise.
  if (real.size() < base.size() || real.compare(real.size() - base.size(), base.size(), base) != 0)
    return false;
  return real_path(name) == real;
}

void static_h::terminate(terminate_reason, req&) { fd_.reset(); }

}  // namespace rodeo::mw::static_files
