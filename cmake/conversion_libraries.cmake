# The libraries of the value conversions (core/mapping), found by hand:
# Debian 12 has no CMake package files for them.
#
#   CCTZ (libcctz-dev): time zones from the system's tz database (tzdata).
#   libphonenumber: Debian's libphonenumber-dev depends on Boost 1.74's thread
#     headers, and installing it removes libboost1.81-dev, which Asio and
#     Beast need. Its headers need no Boost on Linux, so scripts/setup copies
#     them out of that package into /usr/local/include, and the library
#     (libphonenumber8, which has no libphonenumber.so link) is linked by its
#     soname. Its headers include protobuf's and Abseil's (libprotobuf-dev,
#     libabsl-dev).
set(leadsync_setup_hint "run scripts/setup, or see docs/operations.md (\"Build\")")

function(leadsync_require_library target header library)
  string(MAKE_C_IDENTIFIER ${target} id)
  find_path(${id}_INCLUDE_DIR ${header} PATHS /usr/local/include)
  find_library(${id}_LIBRARY NAMES ${ARGN})
  if(NOT ${id}_INCLUDE_DIR OR NOT ${id}_LIBRARY)
    message(FATAL_ERROR "${library} not found (${header}, lib${ARGV3}): ${leadsync_setup_hint}")
  endif()
  add_library(${target} UNKNOWN IMPORTED)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION ${${id}_LIBRARY}
                                             INTERFACE_INCLUDE_DIRECTORIES ${${id}_INCLUDE_DIR})
endfunction()

leadsync_require_library(leadsync::cctz cctz/time_zone.h "CCTZ (Debian: libcctz-dev)" cctz)
leadsync_require_library(leadsync::protobuf google/protobuf/message.h "protobuf (Debian: libprotobuf-dev)"
                         protobuf)
leadsync_require_library(leadsync::phonenumber phonenumbers/phonenumberutil.h
                         "libphonenumber (Debian: libphonenumber8, headers by scripts/setup)"
                         phonenumber libphonenumber.so.8)
find_path(ABSL_INCLUDE_DIR absl/container/node_hash_set.h)
if(NOT ABSL_INCLUDE_DIR)
  message(FATAL_ERROR "Abseil's headers not found (absl/container/node_hash_set.h; Debian: libabsl-dev): "
                      "${leadsync_setup_hint}")
endif()
set_property(TARGET leadsync::phonenumber APPEND PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${ABSL_INCLUDE_DIR})
set_property(TARGET leadsync::phonenumber APPEND PROPERTY INTERFACE_LINK_LIBRARIES leadsync::protobuf)
