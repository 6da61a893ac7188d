# Users' code with designated initializers of Rodeo's options structs compiles without a
# warning under -Wall -Wextra -Werror (options_wextra.cpp).
# usage: cmake -DCXX=<compiler> -DSOURCE_DIR=<repository> -P options_wextra.cmake
execute_process(
  COMMAND ${CXX} -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I${SOURCE_DIR}/framework
          -I${SOURCE_DIR}/middleware -I${SOURCE_DIR}/router ${CMAKE_CURRENT_LIST_DIR}/options_wextra.cpp
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "options structs warn in users' code under -Wextra:\n${out}")
endif()
