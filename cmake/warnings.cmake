# leadsync_enable_warnings(target): the project's warning set; errors with
# LEADSYNC_WERROR (off for users' builds, on in scripts/test and so in CI).
function(leadsync_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  # GCC 12 false positives inside Asio's coroutine frames and thread pool at -O2.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
  endif()
  if(LEADSYNC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12 at -O3 (Release) raises false -Wrestrict positives inside
    # std::string's operator+ (libstdc++'s own code, not ours). There it stays
    # a warning; in every other configuration and compiler it is an error.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-Wno-error=restrict>)
    endif()
  endif()
endfunction()
