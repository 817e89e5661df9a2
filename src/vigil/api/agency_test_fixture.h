// The agency API's test fixture: a store with two people, keys, the
// gate, the search and agency routes and the outbox, shared by
// agency_events_test.cc, agency_subjects_test.cc and agency_reads_test.cc.
#ifndef VIGIL_API_AGENCY_TEST_FIXTURE_H_
#define VIGIL_API_AGENCY_TEST_FIXTURE_H_

// The agency API: every route checks its key and scope; events go
// in as `vigil import` takes them; a protection set through the API takes
// effect on the very next request, everywhere.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "vigil/api/agency_keys.h"
#include "vigil/api/agency_routes.h"
#include "vigil/api/api_test_util.h"
#include "vigil/api/export.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/web_pages.h"
#include "vigil/http/rate_limit.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/file_channel.h"
#include "vigil/search/index_follower.h"
#include "vigil/store/fault_injecting_store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/text/normalize.h"

namespace vigil::api::agency_test {

namespace bhttp = boost::beast::http;
using nlohmann::json;

inline const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

class AgencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto faulty =
        std::make_unique<FaultInjectingStore>(std::move(*OpenStore("sqlite:" + dir_.File("v.db"))));
    faults_ = &faulty->plan();
    store_ = std::move(faulty);
    FeedImporter importer(store_.get(), &clock_);
    auto lines = importer.ImportText(
        "setup",
        std::string(testutil::kTwoFacilities) +
            testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL") +
            testutil::CustodyEventLine("B2", "booked", "2026-11-01T00:00:00Z", "ADL", "100000002",
                                       "Marta", "Ixcot"),
        FeedFormat::kJsonLines, nullptr);
    ASSERT_TRUE(lines);
    normalizer_ = std::move(*text::NameNormalizer::Create());
    index_ = std::make_unique<search::NameIndex>(normalizer_.get());
    std::array<unsigned char, 32> key{};
    key.fill(3);
    refs_ = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
    vault_ = std::make_unique<notify::ContactVault>(std::move(*notify::ContactVault::Create(key)));
    policy_ =
        std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(), policy::PolicyOptions{});
    search::IndexFollower follower(store_.get(), index_.get(),
                                   [this](const Subject& s) { return PublicListing(*policy_, s); });
    ASSERT_TRUE(follower.LoadAll());
    SearchDependencies search{store_.get(), index_.get(), policy_.get(), &clock_, nullptr, nullptr};
    AddSearchRoutes(router_, search);
    notify::RegistrarDependencies deps;
    deps.store = store_.get();
    deps.policy = policy_.get();
    deps.refs = refs_.get();
    deps.vault = vault_.get();
    deps.clock = &clock_;
    registrar_ = std::make_unique<notify::Registrar>(deps);
    intake_ = std::make_unique<notify::RegistrationIntake>(registrar_.get());
    AddRegistrationRoutes(router_, registrar_.get(), intake_.get(), nullptr);
    RegistrationPages pages{registrar_.get(), intake_.get(), nullptr, {}};
    AddWebPages(router_, search, &pages);
    audit_log_ = std::make_unique<audit::AuditLog>(std::move(*audit::AuditLog::Create(key)));
    // The audit writer commits on a thread of its own, so it gets its own
    // handle on the same database, without injected faults: a failure meant
    // for the request under test must not be taken by an audit batch
    // committing at the same moment (it was, about 1 run in 6 under load).
    audit_store_ = std::move(*OpenStore("sqlite:" + dir_.File("v.db")));
    audit_ = std::make_unique<audit::AuditWriter>(audit_store_.get(), audit_log_.get(), &clock_);
    AddAgencyRoutes(router_, {store_.get(), &clock_, nullptr, audit_log_.get(), audit_.get(),
                              vault_.get(), policy_.get()});
  }

  // Sends what is due through a file channel; returns the texts written,
  // by notification id.
  std::map<int64_t, std::string> Dispatch(int batch = 50) {
    notify::FileChannel files(dir_.File("outbox"));
    notify::DispatcherOptions options;
    options.batch = batch;
    notify::Dispatcher dispatcher(store_.get(), vault_.get(), policy_.get(), &clock_,
                                  {{DeliveryChannel::kEmail, &files}}, options);
    auto counts = dispatcher.RunOnce();
    EXPECT_TRUE(counts);
    std::map<int64_t, std::string> out;
    std::filesystem::create_directories(dir_.File("outbox"));
    for (const auto& entry : std::filesystem::directory_iterator(dir_.File("outbox"))) {
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      out[std::stoll(entry.path().stem().string())] = text;
    }
    return out;
  }

  // The notifications of every registration of subject 1, by id.
  std::map<int64_t, Notification> NotificationsOfRosa() {
    std::map<int64_t, Notification> out;
    auto r = store_->BeginRead();
    for (auto state : {RegistrationState::kActive, RegistrationState::kSuspended}) {
      auto regs = (*r)->registrations().RegistrationsOf(1, state);
      for (const Registration& reg : *regs) {
        auto ns = (*r)->outbox().NotificationsOfRegistration(reg.registration_id);
        for (const Notification& n : *ns) out[n.notification_id] = n;
      }
    }
    return out;
  }

  Result<void> Import(const std::string& lines) {
    FeedImporter importer(store_.get(), &clock_);
    auto fed = importer.ImportText("feed", lines, FeedFormat::kJsonLines, nullptr);
    if (!fed) return tl::unexpected(fed.error());
    for (const auto& l : *fed) {
      if (l.status != ApplyStatus::kAccepted) return InvalidArgument(l.error.reason);
    }
    return {};
  }

  // A key; one with feed:write is bound to the fixture feed's source "s"
  // unless `sources` says otherwise.
  std::string Key(const std::string& name, std::vector<std::string> scopes,
                  std::optional<std::vector<std::string>> sources = std::nullopt) {
    bool feed = std::find(scopes.begin(), scopes.end(), "feed:write") != scopes.end();
    auto k = MakeApiKey(
        name, std::move(scopes),
        sources.value_or(feed ? std::vector<std::string>{"s"} : std::vector<std::string>{}), kNow);
    EXPECT_TRUE(k) << k.error().message();
    auto w = store_->BeginWrite();
    EXPECT_TRUE((*w)->controls().InsertApiKey(k->stored));
    EXPECT_TRUE((*w)->Commit());
    return k->key;
  }

  http::Response Send(bhttp::verb verb, const std::string& target, const std::string& body = "",
                      const std::string& key = "", const std::string& type = "application/json") {
    return testing::SendRequest(router_, verb, target, body, key, type);
  }

  int64_t CountState(const std::string& state) {
    return testing::CountNotifications(*store_, state);
  }

  testutil::TempDir dir_;
  ManualClock clock_{kNow};
  std::unique_ptr<Store> store_;
  FaultPlan* faults_ = nullptr;  // the store fails as told
  std::unique_ptr<text::NameNormalizer> normalizer_;
  std::unique_ptr<search::NameIndex> index_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<notify::Registrar> registrar_;
  std::unique_ptr<notify::RegistrationIntake> intake_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<Store> audit_store_;  // before audit_: outlives the writer
  std::unique_ptr<audit::AuditWriter> audit_;
  http::Router router_;
};

}  // namespace vigil::api::agency_test

#endif  // VIGIL_API_AGENCY_TEST_FIXTURE_H_
