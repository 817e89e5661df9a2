// The Store contract, as parameterised tests. Each backend instantiates
// StoreContractTest with a factory that opens a fresh, empty store in a
// directory it is given; the assertions never name a backend.
#ifndef VIGIL_STORE_STORE_CONTRACT_TEST_H_
#define VIGIL_STORE_STORE_CONTRACT_TEST_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "vigil/store/store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {

struct StoreBackend {
  std::string name;
  // Opens a fresh empty store keeping its files under `dir`. A second call
  // with the same `dir` must reopen the same store (durability checks).
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
};

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    auto s = GetParam().open(dir_.path().string());
    ASSERT_TRUE(s) << s.error().ToString();
    store_ = std::move(*s);
  }
  void Reopen() {
    store_.reset();
    auto s = GetParam().open(dir_.path().string());
    ASSERT_TRUE(s) << s.error().ToString();
    store_ = std::move(*s);
  }

  testutil::TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace vigil

#endif  // VIGIL_STORE_STORE_CONTRACT_TEST_H_
