# Handlers cannot reach req's internals: compiles req_internals.cpp once per probe and expects
# the control probe to compile and every other probe to fail with an access error.
# usage: cmake -DCXX=<compiler> -DSOURCE_DIR=<repository> -P req_internals.cmake
set(snippet ${CMAKE_CURRENT_LIST_DIR}/req_internals.cpp)
set(calls "reply" "link()" "send_crash()" "set_route()" "finish_default()" "deliver_body()"
          "bind_actor()" "keep_handler()" "set_looping()" "handler()" "waiting()")
set(failures 0)
set(probe 0)
foreach(call IN LISTS calls)
  execute_process(
    COMMAND ${CXX} -std=c++20 -fsyntax-only -DPROBE=${probe} -I${SOURCE_DIR}/framework ${snippet}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(probe EQUAL 0)
    if(NOT rc EQUAL 0)
      message(SEND_ERROR "control probe (req.reply) does not compile:\n${out}")
      math(EXPR failures "${failures} + 1")
    endif()
  elseif(rc EQUAL 0)
    message(SEND_ERROR "a handler can call req.${call}: it must be private to the framework")
    math(EXPR failures "${failures} + 1")
  elseif(NOT out MATCHES "private|protected")
    message(SEND_ERROR "req.${call} failed to compile, but not for access:\n${out}")
    math(EXPR failures "${failures} + 1")
  else()
    message(STATUS "req.${call}: refused")
  endif()
  math(EXPR probe "${probe} + 1")
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} probe(s) failed")
endif()
