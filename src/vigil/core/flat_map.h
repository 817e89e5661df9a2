// FlatMap: a hash map from an integer key to a 32-bit value, in one array.
//
// For the large maps of ids the name index and the importer keep (tens of
// millions of people): a node-based std::unordered_map spends an allocation
// and a pointer chase per entry, about 40 bytes and a cache miss or two per
// lookup, and rehashing it walks every node. Here an entry is a (key, value)
// pair in a power-of-two array, found by linear probing from a Fibonacci
// hash of the key (ids and A-numbers are often sequential: multiplying by
// 2^64/φ spreads them), at most three quarters full; erasing shifts later
// entries back instead of leaving tombstones, so probes stay short however
// many erases there were.
//
// `kEmpty` marks a free slot and can never be a key: Set refuses it, Find
// and Erase find nothing for it.
#ifndef VIGIL_CORE_FLAT_MAP_H_
#define VIGIL_CORE_FLAT_MAP_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace vigil {

template <typename Key, Key kEmpty>
class FlatMap {
  static_assert(std::is_integral_v<Key>);

 public:
  using Value = uint32_t;

  // The value for `key`, or nullptr. Valid until the next Set or Erase.
  const Value* Find(Key key) const {
    if (size_ == 0 || key == kEmpty) return nullptr;
    for (size_t i = Home(key);; i = Next(i)) {
      if (slots_[i].first == key) return &slots_[i].second;
      if (slots_[i].first == kEmpty) return nullptr;
    }
  }

  // Inserts `key` or replaces its value.
  void Set(Key key, Value value) {
    if (key == kEmpty) throw std::invalid_argument("FlatMap: the empty key cannot be stored");
    if ((size_ + 1) * 4 > slots_.size() * 3) Rehash(std::max<size_t>(16, slots_.size() * 2));
    size_t i = Home(key);
    while (slots_[i].first != kEmpty && slots_[i].first != key) i = Next(i);
    if (slots_[i].first == kEmpty) ++size_;
    slots_[i] = {key, value};
  }

  // Removes `key`; false if it was not there.
  bool Erase(Key key) {
    if (size_ == 0 || key == kEmpty) return false;
    size_t hole = Home(key);
    while (slots_[hole].first != key) {
      if (slots_[hole].first == kEmpty) return false;
      hole = Next(hole);
    }
    // Backward shift: move up every later entry of the run that may sit in
    // the hole (its home is not cyclically within (hole, i]).
    for (size_t i = Next(hole); slots_[i].first != kEmpty; i = Next(i)) {
      const size_t home = Home(slots_[i].first);
      const bool stays = hole < i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (stays) continue;
      slots_[hole] = slots_[i];
      hole = i;
    }
    slots_[hole].first = kEmpty;
    --size_;
    return true;
  }

  // Room for `count` entries without rehashing.
  void Reserve(size_t count) {
    size_t want = std::bit_ceil(std::max<size_t>(16, (count * 4 + 2) / 3));
    if (want > slots_.size()) Rehash(want);
  }

  void Clear() {
    slots_.clear();
    size_ = 0;
    shift_ = 64;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

  // Calls f(key, value) for every entry, in no particular order.
  template <typename F>
  void ForEach(F f) const {
    for (const Slot& s : slots_) {
      if (s.first != kEmpty) f(s.first, s.second);
    }
  }

 private:
  using Slot = std::pair<Key, Value>;

  size_t Home(Key key) const {
    const uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
    return static_cast<size_t>(h >> shift_);
  }
  size_t Next(size_t i) const { return (i + 1) & (slots_.size() - 1); }

  void Rehash(size_t slots) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(slots, Slot{kEmpty, 0});
    shift_ = 64 - std::countr_zero(slots);
    for (const Slot& s : old) {
      if (s.first == kEmpty) continue;
      size_t i = Home(s.first);
      while (slots_[i].first != kEmpty) i = Next(i);
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;  // empty, or a power of two long
  size_t size_ = 0;
  int shift_ = 64;  // 64 - log2(slots_.size())
};

}  // namespace vigil

#endif  // VIGIL_CORE_FLAT_MAP_H_
