#include "vigil/app/secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "vigil/core/hex.h"
#include "vigil/core/key_ring.h"

namespace vigil {
namespace {

std::string Errno() { return std::strerror(errno); }

// Reads an existing key file. nullopt (with errno ENOENT) when it is absent.
Result<std::optional<SecretKey>> ReadKey(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<SecretKey>();
    return Unavailable("cannot read secret key " + path + ": " + Errno());
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string why = Errno();
    ::close(fd);
    return Unavailable("cannot inspect secret key " + path + ": " + why);
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return InvalidArgument("secret key " + path + " is readable by group or others; chmod 600 it");
  }
  SecretKey key{};
  size_t got = 0;
  bool failed = false;
  while (got < key.size()) {
    ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed = true;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  char extra;
  bool longer = !failed && ::read(fd, &extra, 1) > 0;
  ::close(fd);
  if (failed) return Unavailable("cannot read secret key " + path + ": " + Errno());
  if (got != key.size() || longer) {
    return InvalidArgument("secret key " + path + " must be exactly 32 bytes");
  }
  return std::optional<SecretKey>(key);
}

// Writes a fresh key to a temporary file beside `path`, makes it durable,
// then links it into place: readers never see a partial key, and when two
// processes start at once exactly one key wins (link fails with EEXIST for
// the other, which then reads the winner's).
Result<bool> CreateKey(const std::string& path) {
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0) return Unavailable("cannot create secret key " + path + ": " + Errno());
  SecretKey key{};
  randombytes_buf(key.data(), key.size());
  bool ok =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  std::string why = ok ? "" : Errno();
  ::close(fd);
  sodium_memzero(key.data(), key.size());
  if (!ok) {
    ::unlink(tmp.c_str());
    return Unavailable("cannot write secret key " + path + ": " + why);
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    return Unavailable("cannot create secret key " + path + ": " + std::strerror(link_errno));
  }
  // The new name must survive a crash too.
  auto dir = std::filesystem::path(path).parent_path();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return linked == 0;
}

}  // namespace

Result<std::optional<SecretKey>> LoadSecretKey(const std::string& path) {
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  return ReadKey(path);
}

Result<SecretKey> CreateSecretKey(const std::string& path) {
  auto existing = LoadSecretKey(path);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing) {
    return Conflict("a secret key exists already at " + path + " (fingerprint " +
                    SecretKeyFingerprint(**existing) + "); vigil never replaces a key");
  }
  std::error_code ec;
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  VIGIL_RETURN_IF_ERROR(CreateKey(path));
  auto made = ReadKey(path);
  if (!made) return tl::unexpected(made.error());
  if (!*made) return Unavailable("secret key " + path + " vanished after it was made");
  return **made;
}

std::string SecretKeyFingerprint(const SecretKey& key) {
  auto ring = KeyRing::Create(key);
  if (!ring) return "unknown";
  return Hex(std::string_view(
      reinterpret_cast<const char*>(ring->Derive(KeyPurpose::kFingerprint).data()), 8));
}

Result<SecretKey> LoadOrCreateSecretKey(const std::string& path) {
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto existing = ReadKey(path);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) return **existing;
    std::error_code ec;
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    auto created = CreateKey(path);
    if (!created) return tl::unexpected(created.error());
    // Created or lost the race: either way, read what is there now.
  }
  return Unavailable("secret key " + path + " keeps disappearing");
}

}  // namespace vigil
