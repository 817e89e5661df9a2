// A small, fully wired server (real SQLite store in a temporary directory,
// real index, real disclosure gate) shared by the fuzz targets: `router`
// holds the public search alone, `full_router` every route `vigil serve`
// has, with an agency key of every scope (`agency_key`) and the voice
// provider's token (`twilio_token`) so a harness can authenticate and sign
// what it sends. Built once per process; removed at exit.
#ifndef VIGIL_FUZZ_SEARCH_FIXTURE_H_
#define VIGIL_FUZZ_SEARCH_FIXTURE_H_

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "vigil/api/agency_keys.h"
#include "vigil/api/agency_routes.h"
#include "vigil/api/health_routes.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/sms_routes.h"
#include "vigil/api/voice_routes.h"
#include "vigil/api/web_pages.h"
#include "vigil/notify/registrar.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/search/index_follower.h"

namespace vigil::fuzz {

struct SearchFixture {
  std::string dir;
  ManualClock clock{*ParseRfc3339("2026-11-22T12:00:00Z")};
  std::unique_ptr<Store> store;
  std::unique_ptr<text::NameNormalizer> normalizer;
  std::unique_ptr<search::NameIndex> index;
  std::unique_ptr<policy::RefCodec> refs;
  std::unique_ptr<policy::DisclosurePolicy> policy;
  http::Router router;
  api::SearchDependencies deps;

  std::unique_ptr<notify::ContactVault> vault;
  std::unique_ptr<audit::AuditLog> audit_log;
  std::unique_ptr<audit::AuditWriter> audit;
  std::unique_ptr<notify::Registrar> registrar;
  std::unique_ptr<notify::RegistrationIntake> intake;
  std::unique_ptr<api::RegistrationPages> pages;
  http::Router full_router;
  std::string agency_key;
  const std::string twilio_token = "fuzz-token";
  const std::string public_url = "http://127.0.0.1:8080";

  static SearchFixture& Get() {
    static SearchFixture* f = [] {
      auto* f = new SearchFixture;
      char pattern[] = "/tmp/vigil-fuzz-XXXXXX";
      f->dir = mkdtemp(pattern);
      std::atexit([] { std::filesystem::remove_all(Get().dir); });
      f->store = std::move(*OpenStore("sqlite:" + f->dir + "/v.db"));
      FeedImporter importer(f->store.get(), &f->clock);
      const char* feed =
          R"({"record":"facility","facility_id":"ADL","name":"Adelanto","city":"Adelanto","state":"CA"})"
          "\n"
          R"({"record":"custody_event","source":"s","event_id":"1","type":"booked","occurred_at":"2026-11-01T00:00:00Z","subject":{"a_number":"012345678","given_names":"María José","family_names":"García López","date_of_birth":"1990-01-01","country_of_birth":"MX"},"facility_id":"ADL","custody_basis":"civil_immigration","protections":[]})"
          "\n"
          R"({"record":"custody_event","source":"s","event_id":"2","type":"booked","occurred_at":"2026-11-01T00:00:00Z","subject":{"a_number":"012345679","given_names":"Ana","family_names":"Pérez","date_of_birth":"1980-01-01","country_of_birth":"MX"},"facility_id":"ADL","custody_basis":"criminal_charge","protections":["sec1367"]})"
          "\n";
      (void)importer.ImportText("fuzz", feed, FeedFormat::kJsonLines, nullptr);
      f->normalizer = std::move(*text::NameNormalizer::Create());
      f->index = std::make_unique<search::NameIndex>(f->normalizer.get());
      std::array<unsigned char, 32> key{};
      f->refs = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
      f->policy = std::make_unique<policy::DisclosurePolicy>(&f->clock, f->refs.get(),
                                                             policy::PolicyOptions{});
      search::IndexFollower follower(f->store.get(), f->index.get(), [f](const Subject& s) {
        return api::PublicListing(*f->policy, s);
      });
      (void)follower.LoadAll();
      f->deps = {f->store.get(), f->index.get(), f->policy.get(), &f->clock, nullptr, nullptr};
      api::AddHealthRoutes(f->router, f->store.get());
      api::AddSearchRoutes(f->router, f->deps);

      // Everything else, as `vigil serve` wires it (notices are queued,
      // never sent: no dispatcher runs).
      f->vault = std::make_unique<notify::ContactVault>(std::move(*notify::ContactVault::Create(key)));
      f->audit_log = std::make_unique<audit::AuditLog>(std::move(*audit::AuditLog::Create(key)));
      f->audit = std::make_unique<audit::AuditWriter>(f->store.get(), f->audit_log.get(), &f->clock);
      notify::RegistrarDependencies registration;
      registration.store = f->store.get();
      registration.policy = f->policy.get();
      registration.refs = f->refs.get();
      registration.vault = f->vault.get();
      registration.clock = &f->clock;
      f->registrar = std::make_unique<notify::Registrar>(registration);
      f->intake = std::make_unique<notify::RegistrationIntake>(f->registrar.get());
      api::RegistrationRouteOptions options{.sms = true, .voice = true, .default_region = "US"};
      f->pages = std::make_unique<api::RegistrationPages>(
          api::RegistrationPages{f->registrar.get(), f->intake.get(), nullptr, options});
      std::vector<std::string> scopes(api::kScopes.begin(), api::kScopes.end());
      auto made = api::MakeApiKey("fuzz", scopes, {"s"}, f->clock.Now());
      {
        auto w = f->store->BeginWrite();
        (void)(*w)->controls().InsertApiKey(made->stored);
        (void)(*w)->Commit();
      }
      f->agency_key = made->key;
      http::Router& all = f->full_router;
      api::AddHealthRoutes(all, f->store.get());
      api::AddSearchRoutes(all, f->deps);
      api::AddWebPages(all, f->deps, f->pages.get());
      api::AddRegistrationRoutes(all, f->registrar.get(), f->intake.get(), nullptr, options);
      api::AddSmsRoutes(all, {f->store.get(), f->vault.get(), f->registrar.get(), &f->clock,
                              "fuzz-inbound", "US", f->audit.get()});
      api::VoiceRouteDependencies voice{f->store.get(), f->vault.get(), f->policy.get(),
                                        f->registrar.get(), &f->clock, f->twilio_token,
                                        f->public_url};
      voice.audit = f->audit.get();
      api::AddVoiceRoutes(all, voice);
      api::AddAgencyRoutes(all, {f->store.get(), &f->clock, nullptr, f->audit_log.get(),
                                 f->audit.get(), f->vault.get(), f->policy.get(), "US"});
      return f;
    }();
    return *f;
  }
};

}  // namespace vigil::fuzz

#endif  // VIGIL_FUZZ_SEARCH_FIXTURE_H_
