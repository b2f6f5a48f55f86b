# Debian packages with CPack (cmake --build build && cpack -G DEB --config build/CPackConfig.cmake):
#   payhost      payhostd in /usr/bin, every plugin in /usr/lib/payhost/plugins (payhostd's
#                default plugin directory, <exe>/../lib/payhost/plugins), the configuration
#                in /etc/payhost, the systemd unit, the docs; maintainer scripts in
#                packaging/debian
#   payhost-dev  the SDK: headers, static libraries, CMake package, testing kit
# Components: `runtime` (payhostd, plugins: also installed by a plain cmake --install),
# `system` (files with absolute destinations in /etc, only ever installed by CPack, so that
# cmake --install --prefix DIR never writes to /etc) and `dev` (the SDK).
set(payhost_packaging ${PROJECT_SOURCE_DIR}/packaging)

# The packaged configuration is the default one with its data in /var/lib/payhost: test
# mode, SQLite, sandbox plugins. Made from config/payhost.yaml so the two never drift.
file(READ ${PROJECT_SOURCE_DIR}/config/payhost.yaml payhost_default_config)
string(FIND "${payhost_default_config}" "\ndata_dir: ./data " payhost_data_dir_line)
if(payhost_data_dir_line EQUAL -1)
  message(FATAL_ERROR "config/payhost.yaml: no 'data_dir: ./data' line for the packaged config")
endif()
string(REPLACE "\ndata_dir: ./data " "\ndata_dir: /var/lib/payhost " payhost_default_config
               "${payhost_default_config}")
string(REPLACE "build/bin/payhostd serve --config config/payhost.yaml"
               "payhostd serve --config /etc/payhost/payhost.yaml (systemctl start payhostd)"
               payhost_default_config "${payhost_default_config}")
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/packaging/payhost.yaml
     CONTENT "${payhost_default_config}" @ONLY)
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/config/payhost.yaml)

install(FILES ${PROJECT_BINARY_DIR}/packaging/payhost.yaml DESTINATION /etc/payhost
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT system EXCLUDE_FROM_ALL)
install(FILES ${payhost_packaging}/debian/payhost.default DESTINATION /etc/default
        RENAME payhost PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT system EXCLUDE_FROM_ALL)
install(FILES ${payhost_packaging}/systemd/payhostd.service DESTINATION /lib/systemd/system
        COMPONENT system EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/operations.md
              ${PROJECT_SOURCE_DIR}/docs/configuration.md
              ${PROJECT_SOURCE_DIR}/config/payhost.production.example.yaml
        DESTINATION share/doc/payhost COMPONENT system EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME payhost)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "payhost")
set(CPACK_PACKAGE_CONTACT "payhost maintainers <maintainers@payhost.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime system dev)
set(CPACK_COMPONENT_RUNTIME_GROUP payhost)
set(CPACK_COMPONENT_SYSTEM_GROUP payhost)
set(CPACK_COMPONENT_DEV_GROUP dev)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/payhost/payhost")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_PAYHOST_PACKAGE_NAME payhost)
set(CPACK_DEBIAN_PAYHOST_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PAYHOST_DESCRIPTION
    "self-hosted, plugin-based payment gateway host
payhostd serves Ping++-compatible REST APIs, loads channel plugins (Alipay,
WeChat Pay, UnionPay) and product plugins as shared libraries, and keeps its
state in SQLite or PostgreSQL. Installed as the systemd service payhostd,
in test mode with the built-in sandbox until /etc/payhost/payhost.yaml says
otherwise.")
set(CPACK_DEBIAN_PAYHOST_PACKAGE_CONTROL_EXTRA
    ${payhost_packaging}/debian/postinst ${payhost_packaging}/debian/prerm
    ${payhost_packaging}/debian/postrm ${payhost_packaging}/debian/conffiles)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME payhost-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "payhost (= ${PROJECT_VERSION}), libssl-dev, nlohmann-json3-dev, libsoci-dev, libcurl4-openssl-dev, googletest")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "payhost plugin SDK
Headers, static libraries and the CMake package (find_package(payhost_sdk)) to
build payhost channel and product plugins, with the testing kit: an in-process
fake host, the channel conformance suite and the payhostd integration harness.")

include(CPack)
