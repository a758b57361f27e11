# Shared compile settings and helpers for calsync's targets.

add_library(calsync_warnings INTERFACE)
target_compile_options(calsync_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor)
if(CALSYNC_WERROR)
  target_compile_options(calsync_warnings INTERFACE -Werror)
endif()
if(CALSYNC_SANITIZE)
  # GCC 12 reports -Wmaybe-uninitialized inside libstdc++'s <regex> and <functional> once
  # ASan instruments them (GCC bug 105562); the sanitizers themselves check what it guesses at.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(calsync_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# calsync_library(NAME SOURCES ... [PUBLIC libs] [PRIVATE libs])
# A static library whose headers are included as "component/file.h" from the source root.
function(calsync_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC} PRIVATE calsync_warnings ${ARG_PRIVATE})
endfunction()

# calsync_test(NAME SOURCES ... LIBS ...): one GoogleTest executable registered with ctest.
function(calsync_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE calsync_warnings ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    CALSYNC_SOURCE_DIR="${PROJECT_SOURCE_DIR}" CALSYNC_BINARY_DIR="${PROJECT_BINARY_DIR}")
  # A list inside PROPERTIES must reach ctest as one value, so its ';' is escaped.
  string(REPLACE ";" "\\;" labels "${ARG_LABELS}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS "${labels}")
endfunction()
