// NameIndex::SaveSnapshot and LoadSnapshot: the whole index in one file, so
// that a server restarts without normalising every name in the store again
// (issue 22: at 10M people that took most of a minute).
//
// The file: a header (magic, format, the build of the program that wrote it,
// the caller's identity string and stamp), then every structure of the index
// as it is in memory, then a BLAKE2b digest of everything before it. It is
// written to a temporary file beside the target, synced, and renamed over
// it, so a reader sees a whole snapshot or none. Reading checks the digest
// and every id in it against the sizes read (a bad file is an error, never
// an index pointing outside itself) and refuses a snapshot written by any
// other build: normalising or scoring code that changed would disagree with
// the tokens stored.
#include <fcntl.h>
#include <link.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "vigil/core/hex.h"
#include "vigil/search/name_index.h"
#include "vigil/search/name_index_impl.h"

namespace vigil::search {
namespace {

constexpr char kMagic[8] = {'V', 'I', 'G', 'I', 'L', 'N', 'X', '1'};
constexpr char kEnd[8] = {'V', 'I', 'G', 'I', 'L', 'E', 'N', 'D'};
constexpr uint32_t kFormat = 1;
constexpr size_t kBuffer = size_t{4} << 20;
constexpr uint32_t kMaxString = 1 << 16;

// The GNU build id of the running executable (every build differs), or ""
// when it has none.
std::string BuildId() {
  static const std::string id = [] {
    std::string found;
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* out) -> int {
          // The first object is the executable itself.
          for (int i = 0; i < info->dlpi_phnum; ++i) {
            const ElfW(Phdr)& ph = info->dlpi_phdr[i];
            if (ph.p_type != PT_NOTE) continue;
            const auto* at = reinterpret_cast<const unsigned char*>(info->dlpi_addr + ph.p_vaddr);
            const unsigned char* end = at + ph.p_memsz;
            while (at + sizeof(ElfW(Nhdr)) <= end) {
              const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
              const unsigned char* name = at + sizeof(ElfW(Nhdr));
              const unsigned char* desc = name + ((note->n_namesz + 3) & ~3u);
              if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
                  std::memcmp(name, "GNU", 4) == 0 && desc + note->n_descsz <= end) {
                *static_cast<std::string*>(out) =
                    Hex(std::string_view(reinterpret_cast<const char*>(desc), note->n_descsz));
                return 1;
              }
              at = desc + ((note->n_descsz + 3) & ~3u);
            }
          }
          return 1;
        },
        &found);
    return found;
  }();
  return id;
}

// What the file keeps of the caller's identity string: its digest.
std::string IdentityDigest(std::string_view identity) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(identity.data()),
                     identity.size(), nullptr, 0);
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f) {
    buf_.reserve(kBuffer);
    crypto_generichash_init(&hash_, nullptr, 0, crypto_generichash_BYTES);
  }
  void Raw(const void* p, size_t n) {
    const auto* c = static_cast<const char*>(p);
    while (n > 0) {
      const size_t take = std::min(n, kBuffer - buf_.size());
      buf_.insert(buf_.end(), c, c + take);
      c += take;
      n -= take;
      if (buf_.size() == kBuffer) Flush();
    }
  }
  template <typename T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Raw(&v, sizeof v);
  }
  void Str(std::string_view s) {
    Put(static_cast<uint32_t>(s.size()));
    Raw(s.data(), s.size());
  }
  template <typename T>
  void Array(const std::vector<T>& v) {
    Put(static_cast<uint64_t>(v.size()));
    Raw(v.data(), v.size() * sizeof(T));
  }
  // Writes the digest of everything so far and the end mark.
  bool Finish() {
    Flush();
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash_final(&hash_, digest, sizeof digest);
    ok_ = ok_ && std::fwrite(digest, 1, sizeof digest, f_) == sizeof digest &&
          std::fwrite(kEnd, 1, sizeof kEnd, f_) == sizeof kEnd;
    return ok_;
  }

 private:
  void Flush() {
    if (buf_.empty()) return;
    crypto_generichash_update(&hash_, reinterpret_cast<const unsigned char*>(buf_.data()),
                              buf_.size());
    ok_ = ok_ && std::fwrite(buf_.data(), 1, buf_.size(), f_) == buf_.size();
    buf_.clear();
  }
  std::FILE* f_;
  std::vector<char> buf_;
  crypto_generichash_state hash_;
  bool ok_ = true;
};

// Reads what Writer wrote. The first failure (a short file, a size beyond
// what is left, an id out of range) is kept in `error` and every later
// read returns zeros; the caller checks once per section.
class Reader {
 public:
  Reader(std::FILE* f, uint64_t body_size) : f_(f), left_(body_size) {
    buf_.resize(kBuffer);
    crypto_generichash_init(&hash_, nullptr, 0, crypto_generichash_BYTES);
  }
  void Raw(void* p, size_t n) {
    auto* c = static_cast<char*>(p);
    if (!error.empty()) {
      std::memset(p, 0, n);
      return;
    }
    while (n > 0) {
      if (pos_ == end_ && !Fill()) {
        Fail("the file ends early");
        std::memset(c, 0, n);
        return;
      }
      const size_t take = std::min(n, end_ - pos_);
      std::memcpy(c, buf_.data() + pos_, take);
      pos_ += take;
      c += take;
      n -= take;
    }
  }
  template <typename T>
  T Get() {
    T v;
    Raw(&v, sizeof v);
    return v;
  }
  std::string Str() {
    const uint32_t n = Get<uint32_t>();
    if (n > kMaxString) {
      Fail("a string of " + std::to_string(n) + " bytes");
      return {};
    }
    std::string s(n, '\0');
    Raw(s.data(), n);
    return s;
  }
  // A count of items of `item_bytes` each, no more than the bytes left.
  uint64_t Count(size_t item_bytes) {
    const uint64_t n = Get<uint64_t>();
    if (item_bytes > 0 && n > Remaining() / item_bytes) {
      Fail("a count of " + std::to_string(n) + " is more than the file holds");
      return 0;
    }
    return n;
  }
  template <typename T>
  void Array(std::vector<T>& v) {
    v.resize(Count(sizeof(T)));
    Raw(v.data(), v.size() * sizeof(T));
  }
  void Fail(std::string why) {
    if (error.empty()) error = std::move(why);
  }
  // Checks the digest and the end mark after the body.
  void Finish() {
    if (!error.empty()) return;
    if (pos_ != end_ || left_ != 0) {
      Fail("bytes left over after the index");
      return;
    }
    unsigned char digest[crypto_generichash_BYTES], stored[crypto_generichash_BYTES];
    char end[sizeof kEnd];
    crypto_generichash_final(&hash_, digest, sizeof digest);
    if (std::fread(stored, 1, sizeof stored, f_) != sizeof stored ||
        std::fread(end, 1, sizeof end, f_) != sizeof end ||
        std::memcmp(end, kEnd, sizeof end) != 0) {
      Fail("the file ends early");
    } else if (sodium_memcmp(digest, stored, sizeof digest) != 0) {
      Fail("its digest does not match its contents (the file is damaged)");
    }
  }
  std::string error;

 private:
  uint64_t Remaining() const { return left_ + (end_ - pos_); }
  bool Fill() {
    if (left_ == 0) return false;
    const size_t want = static_cast<size_t>(std::min<uint64_t>(left_, buf_.size()));
    const size_t got = std::fread(buf_.data(), 1, want, f_);
    if (got == 0) return false;
    crypto_generichash_update(&hash_, reinterpret_cast<const unsigned char*>(buf_.data()), got);
    left_ -= got;
    pos_ = 0;
    end_ = got;
    return true;
  }
  std::FILE* f_;
  uint64_t left_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  crypto_generichash_state hash_;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// (Templates: NameIndex::Impl is private, its types deduced at the call.)
template <typename KeyMaps>
void WriteKeyMaps(Writer& w, const KeyMaps& k) {
  w.Put(static_cast<uint64_t>(k.exact.size()));
  for (const auto& [text, id] : k.exact) {
    w.Str(text);
    w.Put(id);
  }
  for (const auto* map : {&k.by_spanish, &k.by_skeleton, &k.by_phonetic, &k.by_deletion,
                          &k.by_romanisation, &k.by_stem, &k.by_long_stem}) {
    w.Put(static_cast<uint64_t>(map->size()));
    for (const auto& [key, ids] : *map) {
      w.Str(key);
      w.Array(ids);
    }
  }
}

template <typename KeyMaps>
void ReadKeyMaps(Reader& r, KeyMaps& k, size_t tokens) {
  const uint64_t exact = r.Count(8);
  k.exact.reserve(exact);
  for (uint64_t i = 0; i < exact && r.error.empty(); ++i) {
    std::string text = r.Str();
    const auto id = r.Get<uint32_t>();
    if (id >= tokens) r.Fail("a token id out of range");
    k.exact.emplace(std::move(text), id);
  }
  for (auto* map : {&k.by_spanish, &k.by_skeleton, &k.by_phonetic, &k.by_deletion,
                    &k.by_romanisation, &k.by_stem, &k.by_long_stem}) {
    const uint64_t n = r.Count(12);
    map->reserve(n);
    for (uint64_t i = 0; i < n && r.error.empty(); ++i) {
      std::string key = r.Str();
      std::vector<uint32_t> ids;
      r.Array(ids);
      for (uint32_t id : ids) {
        if (id >= tokens) r.Fail("a token id out of range");
      }
      map->emplace(std::move(key), std::move(ids));
    }
  }
}

template <typename Map, typename Key>
void WriteMap(Writer& w, const Map& m) {
  w.Put(static_cast<uint64_t>(m.size()));
  m.ForEach([&w](Key k, uint32_t v) {
    w.Put(k);
    w.Put(v);
  });
}

template <typename Map, typename Key>
void ReadMap(Reader& r, Map& m, size_t slots, Key empty) {
  const uint64_t n = r.Count(sizeof(Key) + 4);
  m.Reserve(n);
  for (uint64_t i = 0; i < n && r.error.empty(); ++i) {
    const Key k = r.Get<Key>();
    const uint32_t v = r.Get<uint32_t>();
    if (k == empty || v >= slots) {
      r.Fail("a map entry out of range");
      return;
    }
    m.Set(k, v);
  }
}

}  // namespace

Result<void> NameIndex::SaveSnapshot(const std::string& path, const SnapshotStamp& stamp) const {
  std::shared_lock lock(impl_->mu);
  const Impl& m = *impl_;
  if (m.bulk) return Conflict("a name index being bulk-loaded cannot be saved");
  // One temporary file per process: two servers of one database may stop
  // at once.
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("writing " + temp + ": " + std::strerror(errno));
  std::unique_ptr<std::FILE, FileCloser> f(::fdopen(fd, "wb"));
  if (!f) {
    ::close(fd);
    return Unavailable("writing " + temp + ": " + std::strerror(errno));
  }
  Writer w(f.get());
  w.Raw(kMagic, sizeof kMagic);
  w.Put(kFormat);
  w.Str(BuildId());
  w.Str(IdentityDigest(stamp.identity));
  w.Put(stamp.change_seq);
  w.Put(stamp.subject_at_seq);

  w.Put(static_cast<uint64_t>(m.tokens.size()));
  for (const auto& t : m.tokens) {
    w.Str(t.text);
    w.Put(t.listed);
    w.Put(t.recorded);
  }
  WriteKeyMaps(w, m.listed_keys);
  WriteKeyMaps(w, m.withheld_keys);
  w.Put(static_cast<uint64_t>(m.postings.size()));
  for (const auto& [key, posting] : m.postings) {
    w.Put(key);
    w.Raw(posting.ends.data(), sizeof posting.ends);
    w.Array(posting.slots);
  }
  w.Put(static_cast<uint64_t>(m.listed_in_country.size()));
  for (const auto& [country, n] : m.listed_in_country) {
    w.Put(country);
    w.Put(n);
  }
  w.Put(static_cast<uint64_t>(m.people.size()));
  for (size_t slot = 0; slot < m.people.size(); ++slot) {
    const Impl::Person& p = m.people[slot];
    const Impl::Brief& b = m.briefs[slot];
    w.Put(p.id);
    w.Str(p.country);
    w.Put(static_cast<int32_t>(p.birth_year));
    w.Put(p.a_number);
    w.Array(p.posted);
    w.Put(static_cast<uint8_t>(p.listing.listed));
    w.Put(static_cast<uint8_t>(p.listing.recorded));
    w.Put(p.listing.reason);
    w.Put(b.id);
    w.Put(b.names_at);
    w.Put(b.names_words);
    w.Put(b.birth_year);
  }
  w.Array(m.name_words);
  w.Put(static_cast<uint64_t>(m.stale_name_words));
  WriteMap<decltype(m.slot_of), int64_t>(w, m.slot_of);
  WriteMap<decltype(m.by_a_number), uint32_t>(w, m.by_a_number);
  WriteMap<decltype(m.listed_by_a_number), uint32_t>(w, m.listed_by_a_number);
  if (!w.Finish() || std::fflush(f.get()) != 0 || ::fsync(fd) != 0) {
    const std::string why = std::strerror(errno);
    f.reset();
    ::unlink(temp.c_str());
    return Unavailable("writing " + temp + ": " + why);
  }
  f.reset();
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    return Unavailable("renaming " + temp + " to " + path + ": " + why);
  }
  return {};
}

Result<NameIndex::SnapshotStamp> NameIndex::LoadSnapshot(const std::string& path,
                                                         std::string_view identity) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rbe"));
  if (!f) return NotFound(path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(::fileno(f.get()), &st) != 0) return Unavailable(path + ": " + std::strerror(errno));
  const uint64_t trailer = crypto_generichash_BYTES + sizeof kEnd;
  if (static_cast<uint64_t>(st.st_size) < sizeof kMagic + trailer) {
    return InvalidArgument(path + " is not a name index snapshot (too short)");
  }
  Reader r(f.get(), static_cast<uint64_t>(st.st_size) - trailer);
  char magic[sizeof kMagic];
  r.Raw(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) {
    return InvalidArgument(path + " is not a name index snapshot");
  }
  if (const auto format = r.Get<uint32_t>(); format != kFormat) {
    return Conflict(path + " is in snapshot format " + std::to_string(format) +
                    ", this build reads " + std::to_string(kFormat));
  }
  if (const std::string build = r.Str(); build != BuildId() || build.empty()) {
    return Conflict(path + " was written by another build of vigil (" + build + ")");
  }
  SnapshotStamp stamp;
  if (r.Str() != IdentityDigest(identity)) {
    // The identity names the store, whose URL may hold a password: not shown.
    return Conflict(path + " was made for another store or other settings");
  }
  stamp.identity = std::string(identity);
  stamp.change_seq = r.Get<int64_t>();
  stamp.subject_at_seq = r.Get<int64_t>();

  auto fresh = std::make_unique<Impl>(impl_->normalizer);
  Impl& m = *fresh;
  const uint64_t tokens = r.Count(12);
  m.tokens.reserve(tokens);
  m.vocab.reserve(tokens);
  for (uint64_t i = 0; i < tokens && r.error.empty(); ++i) {
    Impl::TokenInfo t{r.Str()};
    t.listed = r.Get<uint32_t>();
    t.recorded = r.Get<uint32_t>();
    if (!m.vocab.emplace(t.text, static_cast<uint32_t>(i)).second) r.Fail("a token twice");
    m.tokens.push_back(std::move(t));
  }
  ReadKeyMaps(r, m.listed_keys, tokens);
  ReadKeyMaps(r, m.withheld_keys, tokens);
  // Slots are checked against the people count, which comes later: keep
  // the largest seen.
  uint32_t max_slot = 0;
  bool any_slot = false;
  const uint64_t postings = r.Count(8 + sizeof(Impl::Posting::ends) + 8);
  m.postings.reserve(postings);
  for (uint64_t i = 0; i < postings && r.error.empty(); ++i) {
    const auto key = r.Get<uint64_t>();
    Impl::Posting p;
    r.Raw(p.ends.data(), sizeof p.ends);
    r.Array(p.slots);
    for (size_t part = 0; part < Impl::kParts; ++part) {
      if (p.ends[part] > p.slots.size() || (part > 0 && p.ends[part] < p.ends[part - 1])) {
        r.Fail("a posting's parts out of order");
      }
    }
    if (p.ends[Impl::kParts - 1] != p.slots.size()) r.Fail("a posting's parts out of order");
    if (static_cast<uint32_t>(key) >= tokens) r.Fail("a token id out of range");
    for (uint32_t s : p.slots) max_slot = std::max(max_slot, s);
    any_slot = any_slot || !p.slots.empty();
    m.postings.emplace(key, std::move(p));
  }
  const uint64_t countries = r.Count(10);
  for (uint64_t i = 0; i < countries && r.error.empty(); ++i) {
    const auto country = r.Get<uint16_t>();
    m.listed_in_country[country] = r.Get<int64_t>();
  }
  const uint64_t people = r.Count(40);
  if (people > Impl::kMaxPeople) r.Fail("more people than an index holds");
  m.people.resize(people);
  m.briefs.resize(people);
  for (uint64_t slot = 0; slot < people && r.error.empty(); ++slot) {
    Impl::Person& p = m.people[slot];
    Impl::Brief& b = m.briefs[slot];
    p.id = r.Get<int64_t>();
    p.country = r.Str();
    p.birth_year = r.Get<int32_t>();
    p.a_number = r.Get<uint32_t>();
    r.Array(p.posted);
    for (uint32_t t : p.posted) {
      if (t >= tokens) r.Fail("a token id out of range");
    }
    p.listing.listed = r.Get<uint8_t>() != 0;
    p.listing.recorded = r.Get<uint8_t>() != 0;
    p.listing.reason = r.Get<uint8_t>();
    b.id = r.Get<int64_t>();
    b.names_at = r.Get<uint32_t>();
    b.names_words = r.Get<uint16_t>();
    b.birth_year = r.Get<int16_t>();
  }
  if (any_slot && max_slot >= people) r.Fail("a posting names a slot out of range");
  r.Array(m.name_words);
  for (const Impl::Brief& b : m.briefs) {
    if (uint64_t{b.names_at} + b.names_words > m.name_words.size()) {
      r.Fail("a person's names out of range");
      break;
    }
  }
  // Every name's word count, then that many token ids, within the person's words.
  for (size_t slot = 0; slot < m.briefs.size() && r.error.empty(); ++slot) {
    const Impl::Brief& b = m.briefs[slot];
    for (size_t at = b.names_at, end = size_t{b.names_at} + b.names_words; at < end;) {
      const size_t n = m.name_words[at];
      if (n > end - at - 1) {
        r.Fail("a person's names out of range");
        break;
      }
      for (size_t i = at + 1; i <= at + n; ++i) {
        if (m.name_words[i] >= tokens) r.Fail("a token id out of range");
      }
      at += 1 + n;
    }
  }
  m.stale_name_words = static_cast<size_t>(r.Get<uint64_t>());
  ReadMap(r, m.slot_of, people, INT64_MIN);
  ReadMap(r, m.by_a_number, people, 0u);
  ReadMap(r, m.listed_by_a_number, people, 0u);
  r.Finish();
  if (!r.error.empty()) return InvalidArgument(path + ": " + r.error);

  std::unique_lock lock(impl_->mu);
  Impl& to = *impl_;
  if (!to.people.empty() || !to.tokens.empty() || to.bulk) {
    return Conflict("a snapshot loads only into an empty name index");
  }
  to.tokens = std::move(m.tokens);
  to.vocab = std::move(m.vocab);
  to.listed_keys = std::move(m.listed_keys);
  to.withheld_keys = std::move(m.withheld_keys);
  to.postings = std::move(m.postings);
  to.listed_in_country = std::move(m.listed_in_country);
  to.people = std::move(m.people);
  to.briefs = std::move(m.briefs);
  to.name_words = std::move(m.name_words);
  to.stale_name_words = m.stale_name_words;
  to.slot_of = std::move(m.slot_of);
  to.by_a_number = std::move(m.by_a_number);
  to.listed_by_a_number = std::move(m.listed_by_a_number);
  return stamp;
}

}  // namespace vigil::search
