// Names the calling thread as the operating system shows it (`top -H`,
// `ps -L`, `perf report --sort comm`, /proc/PID/task/TID/comm), so that an
// operator can tell which of vigil's threads is busy: the HTTP workers, the
// audit writer, the withheld-match look-ups, the dispatcher...
#ifndef VIGIL_CORE_THREAD_NAME_H_
#define VIGIL_CORE_THREAD_NAME_H_

#include <string>
#include <string_view>

namespace vigil {

// Linux keeps 15 bytes of a thread's name; longer names are cut there
// (at a UTF-8 character boundary). Best effort: a failure is ignored.
void NameThisThread(std::string_view name);

// The calling thread's name as the operating system holds it.
std::string ThisThreadName();

}  // namespace vigil

#endif  // VIGIL_CORE_THREAD_NAME_H_
