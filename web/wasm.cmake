# The WebAssembly module (included by CMakeLists.txt under emcmake): the core plus the
# embind bindings, as an ES module whose default export is the MODULARIZE factory
# `createCurvelab`. Vite bundles it for the page (the .wasm becomes a hashed asset); the
# Node tests import the same file and hand it the .wasm bytes (ENVIRONMENT has no `node`:
# 3.1.6's ES6 glue for Node breaks on __dirname, and its Node loader fetch()es file paths).
# Built without exceptions: the bindings validate every input through the core first and
# return errors as values.

# SIMD128 (2 lanes of 64 bits): the batched simulator's lanes (core/src/lanes.hpp) use it.
target_compile_options(curvelab_core PRIVATE -msimd128)

add_executable(curvelab_wasm web/bindings.cpp web/bindings_quiz.cpp)
target_compile_options(curvelab_wasm PRIVATE ${CURVELAB_WARNINGS})
target_link_libraries(curvelab_wasm PRIVATE curvelab_core)
set_target_properties(curvelab_wasm PROPERTIES OUTPUT_NAME curvelab SUFFIX ".js"
                      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/web)
target_link_options(curvelab_wasm PRIVATE
  --bind
  -sMODULARIZE=1
  -sEXPORT_NAME=createCurvelab
  -sEXPORT_ES6=1
  -sENVIRONMENT=web,worker
  -sALLOW_MEMORY_GROWTH=1
  -sFILESYSTEM=0
  -sDYNAMIC_EXECUTION=0
  -sINCOMING_MODULE_JS_API=[wasmBinary,locateFile,print,printErr]
)
