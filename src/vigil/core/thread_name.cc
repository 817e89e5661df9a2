#include "vigil/core/thread_name.h"

#include <pthread.h>

namespace vigil {

namespace {
constexpr size_t kMaxThreadName = 15;  // TASK_COMM_LEN - 1
}  // namespace

void NameThisThread(std::string_view name) {
  std::string cut(name.substr(0, kMaxThreadName));
  if (name.size() > kMaxThreadName) {
    // Never half a character: if the last one was cut short, drop it.
    size_t lead = cut.size();
    while (lead > 0 && (static_cast<unsigned char>(cut[lead - 1]) & 0xC0) == 0x80) --lead;
    if (lead > 0) {
      const auto first = static_cast<unsigned char>(cut[lead - 1]);
      const size_t length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
      if (cut.size() - (lead - 1) < length) cut.resize(lead - 1);
    }
  }
  pthread_setname_np(pthread_self(), cut.c_str());
}

std::string ThisThreadName() {
  char buffer[kMaxThreadName + 1] = {};
  if (pthread_getname_np(pthread_self(), buffer, sizeof buffer) != 0) return {};
  return buffer;
}

}  // namespace vigil
