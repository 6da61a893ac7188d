# Install rules and the exported package: a user's project says
#   find_package(rodeo REQUIRED)   target_link_libraries(app PRIVATE rodeo::framework)
# The libraries, headers and CMake package are the component `rodeo_development`
# (cmake --install BUILD --component rodeo_development installs them alone, without apps/).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Exported as rodeo::framework, rodeo::router, rodeo::middleware (the in-tree alias names);
# rodeo::core_headers is what rodeo::router needs of the framework: headers only.
set_target_properties(rodeo_framework PROPERTIES EXPORT_NAME framework)
set_target_properties(rodeo_router PROPERTIES EXPORT_NAME router)
set_target_properties(rodeo_middleware PROPERTIES EXPORT_NAME middleware)
set_target_properties(rodeo_llhttp PROPERTIES EXPORT_NAME llhttp)
set_target_properties(rodeo_core_headers PROPERTIES EXPORT_NAME core_headers)

install(TARGETS rodeo_framework rodeo_router rodeo_middleware rodeo_llhttp rodeo_core_headers
        EXPORT rodeo-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT rodeo_development
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT rodeo_development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(dir framework router middleware)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/rodeo DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          COMPONENT rodeo_development FILES_MATCHING PATTERN "*.hpp")
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
