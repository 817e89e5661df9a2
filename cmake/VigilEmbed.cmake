# vigil_embed_files(OUT_VAR KEY NAME|NAME_WE DELIMITER d FILES f...)
#
# Sets OUT_VAR to C++ initialiser lines `{"key", R"d(contents)d"},`, one per
# file in sorted order, the key being the file's name (NAME) or its name
# without extension (NAME_WE), and makes CMake re-run when a file changes.
# For data compiled into the binary: the message catalogue, the name tables.
function(vigil_embed_files out_var)
  cmake_parse_arguments(ARG "" "KEY;DELIMITER" "FILES" ${ARGN})
  set(files ${ARG_FILES})
  list(SORT files)
  set(entries "")
  foreach(file ${files})
    get_filename_component(key ${file} ${ARG_KEY})
    file(READ ${file} text)
    if(text MATCHES "\\)${ARG_DELIMITER}\"")
      message(FATAL_ERROR "${file} holds the raw-string delimiter ${ARG_DELIMITER}")
    endif()
    string(APPEND entries "    {\"${key}\", R\"${ARG_DELIMITER}(${text})${ARG_DELIMITER}\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  endforeach()
  set(${out_var} "${entries}" PARENT_SCOPE)
endfunction()
