// docs/openapi.yaml must describe every route vigil serves, and nothing it
// does not: the test walks the router as `vigil serve` builds it.
#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <regex>
#include <set>

#include "vigil/api/agency_routes.h"
#include "vigil/api/health_routes.h"
#include "vigil/api/hotline_routes.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/sms_routes.h"
#include "vigil/api/staff_console.h"
#include "vigil/api/voice_routes.h"
#include "vigil/api/web_pages.h"

namespace vigil::api {
namespace {

TEST(RouteTable, OpenApiDescribesEveryRoute) {
  http::Router router;
  SearchDependencies none;  // handlers are not called
  AddHealthRoutes(router, nullptr);
  AddSearchRoutes(router, none);
  std::array<unsigned char, 32> key{};
  auto vault = notify::ContactVault::Create(key);
  ASSERT_TRUE(vault);
  RegistrationPages pages;
  pages.vault = &*vault;  // the status pages too
  ProtectionDesk desk;
  pages.protection = &desk;  // and /protect
  AddWebPages(router, none, &pages);
  AddRegistrationRoutes(router, nullptr, nullptr, nullptr);
  AddSmsRoutes(router, SmsRouteDependencies{});
  AddVoiceRoutes(router, VoiceRouteDependencies{});
  AddHotlineRoutes(router, HotlineDependencies{});
  AddAgencyRoutes(router, AgencyDependencies{});
  AddStaffConsole(router, StaffConsoleDependencies{});
  std::set<std::string> served;
  for (const auto& [verb, pattern] : router.Routes()) {
    served.insert(std::string(boost::beast::http::to_string(verb)) + " " + pattern);
  }

  std::ifstream in(VIGIL_OPENAPI);
  ASSERT_TRUE(in) << VIGIL_OPENAPI;
  std::set<std::string> documented;
  std::string line, path;
  std::regex path_line(R"(^  (/[^:]*):\s*$)"),
      verb_line(R"(^    (get|put|post|delete|patch):\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
    } else if (!path.empty() && std::regex_match(line, m, verb_line)) {
      std::string verb = m[1];
      for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(verb + " " + path);
    }
  }
  ASSERT_FALSE(documented.empty());
  EXPECT_EQ(served, documented);
}

}  // namespace
}  // namespace vigil::api
