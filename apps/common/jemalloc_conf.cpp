// jemalloc's configuration for the server programs (linked only when they use jemalloc).
//
// By default jemalloc returns freed pages to the system only when the thread that freed them
// allocates again, ten seconds later. A server that served a burst (10,000 connections that
// then closed) would keep that memory while idle. A background thread purges pages unused for
// a second, so RSS follows the load down as well as up. One such thread is enough.
extern "C" {
// NOLINTNEXTLINE: jemalloc reads this global by name at start.
extern const char* malloc_conf;
const char* malloc_conf =
    "background_thread:true,max_background_threads:1,dirty_decay_ms:1000,muzzy_decay_ms:1000";
}
