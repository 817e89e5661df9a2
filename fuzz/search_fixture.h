// A small, fully wired public search (real SQLite store in a temporary
// directory, real index, real disclosure gate) shared by the fuzz targets.
// Built once per process; removed at exit.
#ifndef VIGIL_FUZZ_SEARCH_FIXTURE_H_
#define VIGIL_FUZZ_SEARCH_FIXTURE_H_

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "vigil/api/health_routes.h"
#include "vigil/api/search_routes.h"
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
      return f;
    }();
    return *f;
  }
};

}  // namespace vigil::fuzz

#endif  // VIGIL_FUZZ_SEARCH_FIXTURE_H_
