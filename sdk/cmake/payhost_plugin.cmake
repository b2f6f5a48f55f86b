# For third-party plugins built against an installed SDK:
#   find_package(payhost_sdk REQUIRED)
#   payhost_sdk_add_plugin(myprovider SOURCES my_channel.cpp)
# gives myprovider.so with hidden visibility and no undefined symbols, loadable by payhostd.
function(payhost_sdk_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden
                                           VISIBILITY_INLINES_HIDDEN ON CXX_STANDARD 20)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  target_link_libraries(${name} PRIVATE payhost::sdk ${ARG_LIBRARIES})
endfunction()
