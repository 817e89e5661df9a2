#include "vigil/notify/file_channel.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace vigil::notify {

FileChannel::FileChannel(std::string dir) : dir_(std::move(dir)) {}

SendResult FileChannel::Send(const OutgoingMessage& m) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  std::string name = dir_ + "/" + std::to_string(m.notification_id) + ".txt";
  std::string tmp = name + ".tmp";
  std::string text = "To: " + m.to + "\n";
  if (!m.subject.empty()) text += "Subject: " + m.subject + "\n";
  text += "Content-Language: " + m.language + "\n";
  if (!m.unsubscribe_url.empty()) text += "List-Unsubscribe: <" + m.unsubscribe_url + ">\n";
  text += "\n" + m.body;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return {SendOutcome::kTemporary, std::string("outbox: ") + std::strerror(errno)};
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  std::string why = ok ? "" : std::strerror(errno);
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), name.c_str()) != 0) {
    if (why.empty()) why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return {SendOutcome::kTemporary, "outbox: " + why};
  }
  return {SendOutcome::kSent, "written"};
}

}  // namespace vigil::notify
