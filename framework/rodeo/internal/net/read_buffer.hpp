#pragma once
/// \file
/// The read buffer of an io thread, shared by its connections: a read completes and is
/// consumed (decrypted, fed to the protocol engine, which copies what it keeps) before the
/// thread runs the next handler, so an idle connection holds no read buffer of its own.

#include <cstddef>
#include <span>

namespace rodeo::io_buffers {

/// Where a socket read lands (64 KiB).
std::span<char> socket_read();
/// Where TLS records read from the socket are decrypted: room for a whole socket read and a
/// record OpenSSL held back from the read before (TLS records are at most 16 KiB of plain
/// text, RFC 8446 §5.1), so one socket read never yields more than fits.
std::span<char> tls_plain();

}  // namespace rodeo::io_buffers
