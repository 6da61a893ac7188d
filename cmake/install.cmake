# Install rules and the exported package: a user's project says
#   find_package(rodeo REQUIRED)   target_link_libraries(app PRIVATE rodeo::framework)
# The libraries, headers and CMake package are the component `rodeo_development`
# (cmake --install BUILD --component rodeo_development installs them alone, without apps/).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Exported as rodeo::framework, rodeo::router, rodeo::middleware, rodeo::testing (the in-tree
# alias names); rodeo::core_headers is what rodeo::router needs of the framework: headers only.
set_target_properties(rodeo_framework PROPERTIES EXPORT_NAME framework)
set_target_properties(rodeo_router PROPERTIES EXPORT_NAME router)
set_target_properties(rodeo_middleware PROPERTIES EXPORT_NAME middleware)
set_target_properties(rodeo_testing PROPERTIES EXPORT_NAME testing)
set_target_properties(rodeo_llhttp PROPERTIES EXPORT_NAME llhttp)
set_target_properties(rodeo_core_headers PROPERTIES EXPORT_NAME core_headers)

set(RODEO_INSTALLED_TARGETS rodeo_framework rodeo_router rodeo_middleware rodeo_testing
                            rodeo_llhttp rodeo_core_headers)
if(TARGET rodeo_json)
  set_target_properties(rodeo_json PROPERTIES EXPORT_NAME json)
  list(APPEND RODEO_INSTALLED_TARGETS rodeo_json)
endif()
install(TARGETS ${RODEO_INSTALLED_TARGETS}
        EXPORT rodeo-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT rodeo_development
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT rodeo_development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Only the public API is installed: what handlers, middlewares and applications include, and
# what those headers include in turn. The engines, the connection, transport, TLS, the request
# parser and the rest of the runtime stay in the source tree (tests/package checks both).
set(RODEO_PUBLIC_HEADERS
  framework/rodeo/bad_request.hpp framework/rodeo/bindings.hpp framework/rodeo/body_bytes.hpp
  framework/rodeo/env.hpp
  framework/rodeo/client_error.hpp framework/rodeo/sse.hpp
  framework/rodeo/body/content_type.hpp framework/rodeo/body/multipart.hpp
  framework/rodeo/body/urlencoded.hpp framework/rodeo/http/multipart.hpp
  framework/rodeo/errors.hpp framework/rodeo/error_page.hpp framework/rodeo/type_name.hpp
  framework/rodeo/handler.hpp framework/rodeo/headers.hpp
  framework/rodeo/handler_fn.hpp framework/rodeo/meta.hpp framework/rodeo/methods.hpp
  framework/rodeo/actor_placement.hpp framework/rodeo/listener.hpp framework/rodeo/log.hpp framework/rodeo/loop_handler.hpp
  framework/rodeo/middleware.hpp framework/rodeo/protocol_limits.hpp framework/rodeo/push.hpp
  framework/rodeo/push_policy.hpp framework/rodeo/push_metrics.hpp framework/rodeo/metrics.hpp
  framework/rodeo/quic_retry.hpp framework/rodeo/quic_metrics.hpp
  framework/rodeo/metrics_handler.hpp framework/rodeo/req.hpp framework/rodeo/request_head.hpp
  framework/rodeo/response_state.hpp framework/rodeo/command.hpp framework/rodeo/stream_handler.hpp
  framework/rodeo/stream_handlers/access_log_stream_h.hpp framework/rodeo/stream_handlers/metrics_stream_h.hpp
  framework/rodeo/stream_handlers/compress_stream_h.hpp
  framework/rodeo/result.hpp framework/rodeo/rodeo.hpp framework/rodeo/runtime.hpp
  framework/rodeo/http/accept.hpp framework/rodeo/http/cookies.hpp framework/rodeo/http/date.hpp
  framework/rodeo/http/etag.hpp framework/rodeo/http/golomb_set.hpp framework/rodeo/http/base64url.hpp
  framework/rodeo/http/parse_header.hpp
  framework/rodeo/http/qs.hpp framework/rodeo/http/range.hpp
  framework/rodeo/rest/rest_handler.hpp framework/rodeo/rest/negotiate.hpp
  framework/rodeo/rest/conditional.hpp
  framework/rodeo/websocket/frame.hpp framework/rodeo/websocket/options.hpp
  framework/rodeo/websocket/handshake.hpp framework/rodeo/websocket/websocket_handler.hpp
  router/rodeo/router/compile.hpp router/rodeo/router/constraints.hpp
  router/rodeo/router/match.hpp router/rodeo/router/pattern.hpp router/rodeo/router/router.hpp
  router/rodeo/router/split.hpp
  middleware/rodeo/mw/default_chain.hpp middleware/rodeo/mw/handler.hpp
  middleware/rodeo/mw/preload_push.hpp
  middleware/rodeo/mw/keys.hpp middleware/rodeo/mw/router.hpp
  middleware/rodeo/mw/static/push_map.hpp middleware/rodeo/mw/static/static.hpp
  framework/rodeo/testing/client.hpp)
if(TARGET rodeo_json)
  list(APPEND RODEO_PUBLIC_HEADERS framework/rodeo/json/json.hpp)
endif()
foreach(header ${RODEO_PUBLIC_HEADERS})
  # framework/rodeo/http/qs.hpp goes to include/rodeo/http
  string(REGEX REPLACE "^[a-z]+/(.*)/[^/]+$" "\\1" subdir ${header})
  install(FILES ${PROJECT_SOURCE_DIR}/${header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${subdir}
          COMPONENT rodeo_development)
endforeach()

set(RODEO_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/rodeo)
install(EXPORT rodeo-targets NAMESPACE rodeo:: DESTINATION ${RODEO_CMAKE_DIR}
        COMPONENT rodeo_development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/rodeo-config.cmake.in
  ${PROJECT_BINARY_DIR}/rodeo-config.cmake INSTALL_DESTINATION ${RODEO_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rodeo-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/rodeo-config.cmake ${PROJECT_BINARY_DIR}/rodeo-config-version.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake
        DESTINATION ${RODEO_CMAKE_DIR} COMPONENT rodeo_development)
