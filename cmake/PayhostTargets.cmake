# Our own targets get strict warnings; third-party code (and what third parties compile
# against the SDK) does not.
function(payhost_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wno-missing-field-initializers -Werror
                                           # GCC 12 false positives on std::string at -O3 (bug 105329)
                                           -Wno-error=restrict)
endfunction()

# A plugin: one shared library in build/lib/payhost/plugins/<name>.so with hidden
# visibility (only the descriptor is exported) and no undefined symbols, installed to
# lib/payhost/plugins (the Debian package payhost: cmake/PayhostPackage.cmake).
function(payhost_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${name}_plugin MODULE ${ARG_SOURCES})
  set_target_properties(${name}_plugin PROPERTIES
    OUTPUT_NAME ${name}
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${PAYHOST_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${name}_plugin PRIVATE -Wl,--no-undefined)
  target_link_libraries(${name}_plugin PRIVATE payhost::sdk ${ARG_LIBRARIES})
  payhost_strict_warnings(${name}_plugin)
  set_property(GLOBAL APPEND PROPERTY PAYHOST_PLUGIN_TARGETS ${name}_plugin)
  # Not CMAKE_INSTALL_LIBDIR: payhostd looks in <exe>/../lib/payhost/plugins (no multiarch).
  install(TARGETS ${name}_plugin LIBRARY DESTINATION lib/payhost/plugins COMPONENT runtime)
endfunction()

# A GoogleTest executable registered with ctest as one test. LABELS lets CI select
# groups (e.g. "postgres", "integration").
function(payhost_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
  if(NOT PAYHOST_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest_main ${ARG_LIBRARIES})
  payhost_strict_warnings(${name})
  add_test(NAME ${name} COMMAND ${name} --gtest_color=no)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()

# A channel's end-to-end tests through the real payhostd with its simulator and the cashier
# (tests/support/flow_suite.hpp), on SQLite and PostgreSQL: <name>_flow_test and
# <name>_flow_pg_test, built from SOURCE in the plugin's folder. Plugin folders are configured
# one after another, so registration waits for the end of configuration, and happens only
# when every plugin it needs (PLUGINS, the cashier and the test product) is in this build.
function(payhost_add_flow_test name)
  cmake_parse_arguments(ARG "" "SOURCE" "PLUGINS" ${ARGN})
  if(PAYHOST_BUILD_TESTS)
    # EVAL, so that the arguments are this call's values, not the variables' at the end.
    cmake_language(EVAL CODE "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL \
        payhost_register_flow_test [[${name}]] [[${ARG_SOURCE}]] ${ARG_PLUGINS})")
  endif()
endfunction()

function(payhost_register_flow_test name source)
  set(needed ${ARGN} sandbox testproduct)
  foreach(plugin ${needed})
    if(NOT TARGET ${plugin}_plugin)
      return()
    endif()
  endforeach()
  foreach(variant flow flow_pg)
    payhost_add_test(${name}_${variant}_test SOURCES ${source}
                     LIBRARIES payhost_test_support payhost::sdk LABELS integration)
    foreach(plugin ${needed})
      add_dependencies(${name}_${variant}_test ${plugin}_plugin)
    endforeach()
  endforeach()
  set_property(TEST ${name}_flow_pg_test APPEND PROPERTY LABELS postgres)
  target_compile_definitions(${name}_flow_pg_test PRIVATE PAYHOST_FLOW_POSTGRES=1)
endfunction()
