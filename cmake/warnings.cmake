# leadsync_enable_warnings(target): the project's warning set, errors in CI.
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
  endif()
endfunction()
