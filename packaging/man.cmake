# Writes vigil's man pages from its --help (cmake -P, at build time):
#   cmake -DVIGIL=path/to/vigil -DOUT=dir -DVERSION=x.y.z -P man.cmake
# vigil.1 holds `vigil --help` and every command's; vigil-COMMAND.1 each
# command alone, so `man vigil-import` works too.
set(commands "serve" "worker" "import" "migrate" "secrets init" "config example"
    "config check" "demo-data" "keys create" "keys revoke" "keys set-sources" "keys list"
    "purge" "voicemails" "export" "report" "audit verify")

# `text` as roff that shows it as it is (no fill, escapes, no requests).
function(as_roff text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" text "\n${text}")
  string(REGEX REPLACE "^\n" "" text "${text}")
  set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

function(help_of command out)
  separate_arguments(args UNIX_COMMAND "${command}")
  execute_process(COMMAND ${VIGIL} ${args} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "vigil ${command} --help failed (${rc})")
  endif()
  set(${out} "${help}" PARENT_SCOPE)
endfunction()

string(TIMESTAMP today "%Y-%m-%d" UTC)
set(header ".TH VIGIL 1 \"${today}\" \"vigil ${VERSION}\" \"vigil manual\"\n")
help_of("" main)
as_roff("${main}" main_roff)
set(page "${header}.SH NAME\nvigil \\- victim information and notification exchange\n"
         ".SH SYNOPSIS\n.B vigil\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n"
         ".SH DESCRIPTION\n${main_roff}.SH COMMANDS\n")
file(MAKE_DIRECTORY "${OUT}")
foreach(command IN LISTS commands)
  help_of("${command}" help)
  as_roff("${help}" roff)
  string(APPEND page ".SS vigil ${command}\n${roff}")
  string(REGEX REPLACE " .*" "" top "${command}")
  set(one "${OUT}/vigil-${top}.1")
  if(NOT DEFINED written_${top})
    set(written_${top} 1)
    file(WRITE "${one}" "${header}.SH NAME\nvigil-${top} \\- vigil ${top}\n.SH DESCRIPTION\n")
  endif()
  file(APPEND "${one}" ".SS vigil ${command}\n${roff}")
endforeach()
string(APPEND page ".SH FILES\n/etc/vigil/vigil.toml, /var/lib/vigil\n"
                   ".SH SEE ALSO\n\\fBvigil config example\\fR for every configuration key\n")
file(WRITE "${OUT}/vigil.1" "${page}")

# Debian installs man pages gzipped.
file(GLOB pages "${OUT}/*.1")
foreach(p IN LISTS pages)
  file(ARCHIVE_CREATE OUTPUT "${p}.gz" PATHS "${p}" FORMAT raw COMPRESSION GZip)
endforeach()
