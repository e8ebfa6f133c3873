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

if(LEADSYNC_TSAN)
  if(LEADSYNC_SANITIZE OR LEADSYNC_FUZZ)
    message(FATAL_ERROR "LEADSYNC_TSAN cannot be combined with LEADSYNC_SANITIZE or LEADSYNC_FUZZ")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
