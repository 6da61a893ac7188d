#pragma once
/// \file
/// The memory of one nghttp2 session (its `nghttp2_mem`), so that an idle HTTP/2 connection
/// holds as little as possible. nghttp2 1.52 allocates about 25 KB per session up front, and
/// two of its blocks are most of what an idle connection keeps resident:
///
/// - the outbound frame buffer (16 KiB + 10, NGHTTP2_FRAMEBUF_CHUNKLEN), of which the first
///   frames written touch a page that then stays resident for the connection's life;
/// - the stream map's table (4 KiB, calloc'd, so every byte is written at creation).
///
/// Blocks of a page or more come from a page pool (page_pool): whole pages handed out zero and
/// untouched, so that a calloc costs no memory until written, and given back to the system
/// (MADV_DONTNEED) when freed. The frame buffer holds nothing between two frames: once the
/// session has nothing left to send, `release_idle` gives its pages back too, and the next
/// frame faults in a fresh zero page. Smaller blocks are the C library's.

#include <nghttp2/nghttp2.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rodeo::http2::detail {

/// Whole pages from large private anonymous mappings, shared by all threads (a mutex: a
/// session takes two blocks and gives them back once). Free blocks are zero and not
/// resident.
class page_pool {
 public:
  static constexpr std::size_t page = 4096;
  /// Blocks above this many pages are not pooled (nghttp2 asks for 1 and 5).
  static constexpr std::size_t max_pages = 8;

  static page_pool& instance();
  /// `pages` zero-filled pages, none resident yet; nullptr when out of memory.
  void* take(std::size_t pages);
  /// Gives `pages` pages at `p` back to the system and keeps the range for reuse.
  void give(void* p, std::size_t pages);
  /// Drops the contents of `pages` pages at `p` (still owned by the caller): they read as
  /// zero and are not resident until written again.
  static void discard(void* p, std::size_t pages);
  /// Bytes of address space reserved so far (diagnostics).
  std::size_t reserved() const { return reserved_; }

 private:
  page_pool() = default;
  std::vector<void*> free_[max_pages + 1];
  char* next_ = nullptr;
  std::size_t left_ = 0;  // pages left in the current region
  std::size_t reserved_ = 0;
};

/// The allocator of one session: small blocks from malloc, blocks of a page or more from
/// the page pool. Must outlive the session it serves.
class session_memory {
 public:
  session_memory();
  ~session_memory();
  session_memory(const session_memory&) = delete;
  session_memory& operator=(const session_memory&) = delete;

  /// What nghttp2_session_server_new3 takes; valid as long as this object.
  nghttp2_mem* mem() { return &mem_; }
  /// The session is being created: its frame buffer is the block it allocates now.
  void creating(bool on) { creating_ = on; }
  /// The session has nothing left to send (nghttp2_session_want_write is 0): the frame
  /// buffer's contents are dead, its pages go back to the system.
  void release_idle();

  /// Bytes nghttp2 holds through this allocator now (diagnostics and tests).
  std::size_t live_bytes() const { return live_; }
  /// Of which in pooled pages (resident only where written).
  std::size_t pooled_bytes() const { return pooled_; }
  /// The frame buffer's pages resident now (mincore(2); diagnostics and tests). mincore
  /// also counts a page only read since it was dropped (mapped to the zero page, which RSS
  /// does not count); nghttp2 writes its frame buffer before reading it.
  std::size_t resident_scratch_bytes() const;

 private:
  struct block {
    void* p;
    std::size_t pages;
    bool scratch;  // the frame buffer: contents dead between frames
  };

  static void* malloc_cb(std::size_t size, void* self);
  static void free_cb(void* ptr, void* self);
  static void* calloc_cb(std::size_t nmemb, std::size_t size, void* self);
  static void* realloc_cb(void* ptr, std::size_t size, void* self);

  void* allocate(std::size_t size, bool zero);
  void release(void* ptr);
  block* find(void* ptr);

  nghttp2_mem mem_;
  std::vector<block> blocks_;  // the pooled blocks nghttp2 holds (two for an idle session)
  std::size_t live_ = 0, pooled_ = 0;
  bool creating_ = false;
};

}  // namespace rodeo::http2::detail
