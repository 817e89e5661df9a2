#include "vigil/core/metrics.h"

#include <gtest/gtest.h>

namespace vigil::metrics {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(Metrics, RendersCountersHistogramsAndGaugesInTheTextFormat) {
  Registry r;
  r.Add("vigil_http_requests_total", {{"route", "/api/v1/search"}, {"status", "200"}});
  r.Add("vigil_http_requests_total", {{"route", "/api/v1/search"}, {"status", "200"}}, 2);
  r.Observe("vigil_takedown_seconds", {}, 0.003);
  r.Observe("vigil_takedown_seconds", {}, 2);
  r.SetCollector("vigil_index_subjects", [] { return std::vector<GaugeSample>{{{}, 7}}; });
  const std::string text = r.Render();
  EXPECT_TRUE(Has(text, "# TYPE vigil_http_requests_total counter")) << text;
  EXPECT_TRUE(Has(text, R"(vigil_http_requests_total{route="/api/v1/search",status="200"} 3)"));
  EXPECT_TRUE(Has(text, "# TYPE vigil_takedown_seconds histogram"));
  EXPECT_TRUE(Has(text, R"(vigil_takedown_seconds_bucket{le="0.0025"} 0)")) << text;
  EXPECT_TRUE(Has(text, R"(vigil_takedown_seconds_bucket{le="0.005"} 1)"));
  EXPECT_TRUE(Has(text, R"(vigil_takedown_seconds_bucket{le="2.5"} 2)"));
  EXPECT_TRUE(Has(text, R"(vigil_takedown_seconds_bucket{le="+Inf"} 2)"));
  EXPECT_TRUE(Has(text, "vigil_takedown_seconds_sum 2.003"));
  EXPECT_TRUE(Has(text, "vigil_takedown_seconds_count 2"));
  EXPECT_TRUE(Has(text, "vigil_index_subjects 7"));
  // Every family is declared, even without samples yet.
  EXPECT_TRUE(Has(text, "# TYPE vigil_outbox_notifications gauge"));
  EXPECT_FALSE(Has(text, "vigil_metrics_undeclared_total 1"));
}

TEST(Metrics, UndeclaredNamesAreCountedNotExposedAndCollectorsCanBeRemoved) {
  Registry r;
  r.Add("vigil_made_up_total", {{"name", "Rosa"}});
  r.Observe("vigil_http_requests_total", {}, 1);  // a counter, not a histogram
  r.SetCollector("vigil_index_subjects", [] { return std::vector<GaugeSample>{{{}, 1}}; });
  r.SetCollector("vigil_index_subjects", {});
  const std::string text = r.Render();
  EXPECT_EQ(text.find("vigil_made_up_total"), std::string::npos);
  EXPECT_EQ(text.find("Rosa"), std::string::npos);
  EXPECT_TRUE(Has(text, "vigil_metrics_undeclared_total 2")) << text;
  EXPECT_EQ(text.find("vigil_index_subjects 1"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry r;
  r.Add("vigil_import_rejects_total", {{"field", "a\"b\\c\nd"}});
  EXPECT_TRUE(Has(r.Render(), R"(vigil_import_rejects_total{field="a\"b\\c\nd"} 1)"));
}

}  // namespace
}  // namespace vigil::metrics
