if(LEADSYNC_SANITIZE OR LEADSYNC_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Clang 14's -fsanitize=function (part of "undefined") cannot compile
  # coroutines: "Cannot represent a difference across sections". GCC has no
  # such check.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    add_compile_options(-fno-sanitize=function)
  endif()
endif()
# The fuzz targets learn from the coverage of the code they call, so with
# LEADSYNC_FUZZ every target is built with libFuzzer's instrumentation (the
# hooks are inert in programs that do not link libFuzzer).
if(LEADSYNC_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
