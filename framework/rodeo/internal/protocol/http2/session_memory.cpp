#include "rodeo/internal/protocol/http2/session_memory.hpp"

#include <malloc.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace rodeo::http2::detail {

namespace {

// Address space is reserved this much at a time; only the pages written are resident.
constexpr std::size_t region_pages = 512;  // 2 MiB
// RFC 9113 §4.2: the largest frame payload before SETTINGS_MAX_FRAME_SIZE is raised.
constexpr std::size_t frame_payload = 16384;

std::mutex pool_mutex;

std::size_t pages_for(std::size_t bytes) { return (bytes + page_pool::page - 1) / page_pool::page; }

}  // namespace

page_pool& page_pool::instance() {
  static page_pool* pool = new page_pool();  // never destroyed: sessions may outlive statics
  return *pool;
}

void* page_pool::take(std::size_t pages) {
  std::lock_guard<std::mutex> g{pool_mutex};
  auto& list = free_[pages];
  if (!list.empty()) {
    void* p = list.back();
    list.pop_back();
    return p;
  }
  if (left_ < pages) {
    // The rest of the current region is lost to fragmentation only as address space.
    void* r = ::mmap(nullptr, region_pages * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return nullptr;
    next_ = static_cast<char*>(r);
    left_ = region_pages;
    reserved_ += region_pages * page;
  }
  void* p = next_;
  next_ += pages * page;
  left_ -= pages;
  return p;
}

void page_pool::give(void* p, std::size_t pages) {
  discard(p, pages);  // outside the lock: a system call
  std::lock_guard<std::mutex> g{pool_mutex};
  free_[pages].push_back(p);
}

void page_pool::discard(void* p, std::size_t pages) {
  // Private anonymous pages read as zero after MADV_DONTNEED: free blocks stay zero, so a
  // calloc from the pool needs no memset (which would make every page resident).
  ::madvise(p, pages * page, MADV_DONTNEED);
}

session_memory::session_memory() : mem_{this, malloc_cb, free_cb, calloc_cb, realloc_cb} {}

session_memory::~session_memory() {
  // The session is deleted first (the engine declares it after this); anything it did not
  // free goes back now.
  for (auto& b : blocks_) page_pool::instance().give(b.p, b.pages);
}

session_memory::block* session_memory::find(void* ptr) {
  auto it =
      std::find_if(blocks_.begin(), blocks_.end(), [ptr](const block& b) { return b.p == ptr; });
  return it == blocks_.end() ? nullptr : &*it;
}

void* session_memory::allocate(std::size_t size, bool zero) {
  auto pages = pages_for(size);
  if (size >= page_pool::page && pages <= page_pool::max_pages) {
    if (void* p = page_pool::instance().take(pages)) {
      // Session creation mallocs one block above a frame payload: the outbound frame buffer
      // (nghttp2_session_new's framebufs, NGHTTP2_FRAMEBUF_CHUNKLEN bytes). Its calloc of a
      // page is the stream map's table, which is state.
      blocks_.push_back({p, pages, creating_ && !zero && size > frame_payload});
      live_ += pages * page_pool::page;
      pooled_ += pages * page_pool::page;
      return p;  // zero already
    }
  }
  void* p = zero ? std::calloc(1, size) : std::malloc(size);
  if (p) live_ += ::malloc_usable_size(p);
  return p;
}

void session_memory::release(void* ptr) {
  if (!ptr) return;
  if (auto* b = find(ptr)) {
    live_ -= b->pages * page_pool::page;
    pooled_ -= b->pages * page_pool::page;
    page_pool::instance().give(b->p, b->pages);
    *b = blocks_.back();
    blocks_.pop_back();
    return;
  }
  live_ -= ::malloc_usable_size(ptr);
  std::free(ptr);
}

void session_memory::release_idle() {
  for (auto& b : blocks_)
    if (b.scratch) page_pool::discard(b.p, b.pages);
}

std::size_t session_memory::resident_scratch_bytes() const {
  std::size_t n = 0;
  unsigned char in[page_pool::max_pages];
  for (const auto& b : blocks_) {
    if (!b.scratch || ::mincore(b.p, b.pages * page_pool::page, in) != 0) continue;
    for (std::size_t i = 0; i < b.pages; ++i) n += (in[i] & 1) ? page_pool::page : 0;
  }
  return n;
}

void* session_memory::malloc_cb(std::size_t size, void* self) {
  return static_cast<session_memory*>(self)->allocate(size, false);
}

void session_memory::free_cb(void* ptr, void* self) {
  static_cast<session_memory*>(self)->release(ptr);
}

void* session_memory::calloc_cb(std::size_t nmemb, std::size_t size, void* self) {
  if (size != 0 && nmemb > static_cast<std::size_t>(-1) / size) return nullptr;
  return static_cast<session_memory*>(self)->allocate(nmemb * size, true);
}

void* session_memory::realloc_cb(void* ptr, std::size_t size, void* self) {
  auto& m = *static_cast<session_memory*>(self);
  if (!ptr) return m.allocate(size, false);
  if (auto* b = m.find(ptr)) {
    auto had = b->pages * page_pool::page;  // `b` does not survive the allocation
    void* q = m.allocate(size, false);
    if (!q) return nullptr;
    std::memcpy(q, ptr, std::min(size, had));
    m.release(ptr);
    return q;
  }
  auto old = ::malloc_usable_size(ptr);
  if (size >= page_pool::page && pages_for(size) <= page_pool::max_pages) {
    void* q = m.allocate(size, false);
    if (!q) return nullptr;
    std::memcpy(q, ptr, std::min(size, old));
    m.release(ptr);
    return q;
  }
  void* q = std::realloc(ptr, size);
  if (q) m.live_ = m.live_ - old + ::malloc_usable_size(q);
  return q;
}

}  // namespace rodeo::http2::detail
