#pragma once

// How a request says its body is framed. Include only from .cpp files: it
// brings Beast's message types through core/net/http_server.hpp.

#include "core/net/http_server.hpp"

namespace leadsync::net {

// Whether the server can frame a request with these Transfer-Encoding
// fields: none, or exactly one saying `chunked` (any case). A coding the
// server does not decode (`gzip, chunked`), one after `chunked`
// (`chunked, identity`, which leaves the body's length unknown) or
// `identity` alone is not: RFC 9112 §6.1 has such a request answered 501
// and its connection closed, since where it ends cannot be known.
[[nodiscard]] bool TransferCodingSupported(const HttpRequestHeader& header);

// Whether the request says it has a body: a Content-Length over 0 or any
// Transfer-Encoding.
[[nodiscard]] bool DeclaresBody(const HttpRequestHeader& header);

}  // namespace leadsync::net
