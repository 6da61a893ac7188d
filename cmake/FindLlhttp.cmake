# FindLlhttp: llhttp 8.1 as Debian's node-llhttp ships it: generated C sources in
# /usr/share/llhttp and the header in /usr/share/include/llhttp. Builds them into a static,
# position-independent library `rodeo_llhttp` (alias llhttp::llhttp); C sources, no I/O.

find_path(LLHTTP_INCLUDE_DIR NAMES llhttp.h PATHS /usr/share/include/llhttp NO_DEFAULT_PATH)
find_path(LLHTTP_SOURCE_DIR NAMES llhttp.c api.c http.c PATHS /usr/share/llhttp NO_DEFAULT_PATH)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Llhttp REQUIRED_VARS LLHTTP_INCLUDE_DIR LLHTTP_SOURCE_DIR)

if(Llhttp_FOUND AND NOT TARGET llhttp::llhttp)
  add_library(rodeo_llhttp STATIC
    ${LLHTTP_SOURCE_DIR}/llhttp.c ${LLHTTP_SOURCE_DIR}/api.c ${LLHTTP_SOURCE_DIR}/http.c)
  target_include_directories(rodeo_llhttp PUBLIC $<BUILD_INTERFACE:${LLHTTP_INCLUDE_DIR}>)
  set_target_properties(rodeo_llhttp PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE ON)
  target_compile_options(rodeo_llhttp PRIVATE -w)  # generated code; not ours to fix
  add_library(llhttp::llhttp ALIAS rodeo_llhttp)
endif()
