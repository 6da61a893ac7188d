#pragma once
/// \file
/// What a static route answers when a file it located cannot be opened: the file is gone or
/// is no longer a file (404), or the server is short of descriptors or memory right now, which
/// says nothing about the file (503 with `retry-after: 1`, RFC 9110 §15.6.4 and §10.2.3).

namespace rodeo::mw::static_files {

/// True for the errno values of open(2) that mean "out of resources, try again": EMFILE (the
/// process's descriptor limit), ENFILE (the system's), ENOMEM.
bool is_resource_shortage(int error);

/// The status for a failed open(2) with `error`: 503 for a resource shortage, 404 otherwise
/// (ENOENT, ENOTDIR, ELOOP, EACCES... and a file that is not a regular one).
int status_for_open_error(int error);

}  // namespace rodeo::mw::static_files
