# Fuzz targets (issue #18). Each target is one LLVMFuzzerTestOneInput source. With
# PAYHOST_FUZZ=ON (clang only) it becomes a libFuzzer binary in <build>/fuzz/bin/; otherwise
# the same source is linked with fuzz/replay_main.cpp and ctest runs it over the target's
# corpus and regressions (test <name>_replay, label "fuzz"), so every input ever checked in
# keeps running in the normal and the ASan+UBSan suites.
if(PAYHOST_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PAYHOST_FUZZ=ON needs clang++ (libFuzzer), not ${CMAKE_CXX_COMPILER_ID} "
                        "(${CMAKE_CXX_COMPILER}): configure a fresh build directory with "
                        "CC=clang CXX=clang++")
  endif()
  if(PAYHOST_SANITIZE)
    message(FATAL_ERROR "PAYHOST_FUZZ=ON already sanitizes; leave PAYHOST_SANITIZE off")
  endif()
  # Everything a fuzz target links must carry the coverage instrumentation and the same
  # sanitizers, so this is global; build only the fuzz targets (target payhost_fuzz).
  # vptr is off for the reason PAYHOST_SANITIZE gives (SOCI's typeinfo).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
                      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
  add_custom_target(payhost_fuzz)

  # clang warns differently from the gcc the flags were chosen for: keep the warnings, drop
  # -Werror (and gcc's -Wno-error=restrict, unknown to clang). gcc builds keep -Werror.
  function(payhost_strict_warnings target)
    _payhost_strict_warnings(${target})
    get_target_property(options ${target} COMPILE_OPTIONS)
    list(REMOVE_ITEM options -Werror -Wno-error=restrict)
    set_property(TARGET ${target} PROPERTY COMPILE_OPTIONS ${options})
  endfunction()

  # <build>/fuzz/targets.txt: "name<TAB>corpus<TAB>max_len<TAB>regressions" per target, for scripts/payhost
  # fuzz_smoke and bench/fuzz.sh. Written at the end of configuration, once every plugin
  # folder has added its targets.
  function(_payhost_write_fuzz_manifest)
    get_property(lines GLOBAL PROPERTY PAYHOST_FUZZ_MANIFEST)
    list(JOIN lines "\n" text)
    file(WRITE ${CMAKE_BINARY_DIR}/fuzz/targets.txt "${text}\n")
  endfunction()
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _payhost_write_fuzz_manifest)
endif()

# payhost_add_fuzz_target(name SOURCES ... LIBRARIES ... CORPUS dir [REGRESSIONS dir]
#                         [MAX_LEN bytes])
# MAX_LEN is the -max_len the fuzzing scripts pass (default 4096).
function(payhost_add_fuzz_target name)
  cmake_parse_arguments(ARG "" "CORPUS;REGRESSIONS;MAX_LEN" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_CORPUS)
    message(FATAL_ERROR "payhost_add_fuzz_target(${name}): CORPUS is required")
  endif()
  if(NOT ARG_MAX_LEN)
    set(ARG_MAX_LEN 4096)
  endif()
  if(PAYHOST_FUZZ)
    add_executable(${name} ${ARG_SOURCES})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz/bin)
    add_dependencies(payhost_fuzz ${name})
    set_property(GLOBAL APPEND PROPERTY PAYHOST_FUZZ_MANIFEST
                 "${name}\t${ARG_CORPUS}\t${ARG_MAX_LEN}\t${ARG_REGRESSIONS}")
  elseif(PAYHOST_BUILD_TESTS)
    add_executable(${name} ${ARG_SOURCES} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
    add_test(NAME ${name}_replay COMMAND ${name} ${ARG_CORPUS} ${ARG_REGRESSIONS})
    set_tests_properties(${name}_replay PROPERTIES LABELS fuzz TIMEOUT 300)
  else()
    return()
  endif()
  # payhost/sdk/testing/fuzzing.hpp (header only), shared by every target.
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/sdk/testing/include)
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
  payhost_strict_warnings(${name})
endfunction()
