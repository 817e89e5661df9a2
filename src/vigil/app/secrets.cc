#include "vigil/app/secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vigil {

Result<SecretKey> LoadOrCreateSecretKey(const std::string& path) {
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  SecretKey key{};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    randombytes_buf(key.data(), key.size());
    int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
      return Unavailable("cannot create secret key " + path + ": " + std::strerror(errno));
    }
    bool ok = ::write(out, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
              ::fsync(out) == 0;
    ::close(out);
    if (!ok) return Unavailable("cannot write secret key " + path + ": " + std::strerror(errno));
    return key;
  }
  if (fd < 0) return Unavailable("cannot read secret key " + path + ": " + std::strerror(errno));
  struct stat st {};
  ::fstat(fd, &st);
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return InvalidArgument("secret key " + path +
                           " is readable by group or others; chmod 600 it");
  }
  ssize_t n = ::read(fd, key.data(), key.size());
  char extra;
  bool longer = ::read(fd, &extra, 1) > 0;
  ::close(fd);
  if (n != static_cast<ssize_t>(key.size()) || longer) {
    return InvalidArgument("secret key " + path + " must be exactly 32 bytes");
  }
  return key;
}

}  // namespace vigil
