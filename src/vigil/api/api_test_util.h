// Helpers shared by the api tests: feeding a store, sending a request
// through a router, counting the outbox by state.
#ifndef VIGIL_API_API_TEST_UTIL_H_
#define VIGIL_API_API_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "vigil/http/router.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/store/store.h"

namespace vigil::api::testing {

// Imports JSON Lines; every line must be accepted.
inline void ImportFeed(Store* store, const Clock* clock, const std::string& feed) {
  FeedImporter importer(store, clock);
  auto lines = importer.ImportText("test", feed, FeedFormat::kJsonLines, nullptr);
  ASSERT_TRUE(lines);
  for (const auto& l : *lines) ASSERT_EQ(l.status, ApplyStatus::kAccepted) << l.error.reason;
}

// One request through `router`, from 127.0.0.1, with request id "r".
inline http::Response SendRequest(const http::Router& router, boost::beast::http::verb verb,
                                  const std::string& target, const std::string& body = "",
                                  const std::string& bearer = "",
                                  const std::string& content_type = "") {
  http::Request req{verb, target, 11};
  req.body() = body;
  if (!bearer.empty()) req.set(boost::beast::http::field::authorization, "Bearer " + bearer);
  if (!content_type.empty()) req.set(boost::beast::http::field::content_type, content_type);
  req.prepare_payload();
  http::RequestContext ctx;
  ctx.request_id = "r";
  ctx.client_address = "127.0.0.1";
  return router.Dispatch(req, ctx);
}

// How many notifications are in `state` ("created", "delivered", ...).
inline int64_t CountNotifications(Store& store, const std::string& state) {
  auto reader = store.BeginRead();
  if (!reader) return -1;
  auto counts = (*reader)->outbox().NotificationStateCounts();  // kept: the loop reads into it
  if (!counts) return -1;
  for (const auto& [name, n] : *counts) {
    if (name == state) return n;
  }
  return 0;
}

}  // namespace vigil::api::testing

#endif  // VIGIL_API_API_TEST_UTIL_H_
