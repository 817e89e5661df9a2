# Writes the packaged /etc/vigil/vigil.toml: `vigil config example` with the
# database, the key and the outbox under /var/lib/vigil (cmake -P):
#   cmake -DVIGIL=path/to/vigil -DOUT=file -P vigil.toml.cmake
execute_process(COMMAND ${VIGIL} config example OUTPUT_VARIABLE example RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vigil config example failed (${rc})")
endif()
foreach(pair "url = \"sqlite:var/vigil.db\"|url = \"sqlite:/var/lib/vigil/vigil.db\""
             "key_file = \"var/secret.key\"|key_file = \"/var/lib/vigil/secret.key\""
             "outbox_dir = \"var/outbox\"|outbox_dir = \"/var/lib/vigil/outbox\"")
  string(REPLACE "|" ";" parts "${pair}")
  list(GET parts 0 from)
  list(GET parts 1 to)
  string(FIND "${example}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "vigil config example no longer has ${from}")
  endif()
  string(REPLACE "${from}" "${to}" example "${example}")
endforeach()
file(WRITE "${OUT}" "${example}")
