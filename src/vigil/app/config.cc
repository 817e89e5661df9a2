#include "vigil/app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <functional>
#include <vector>

#include "vigil/i18n/catalogue.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/phone.h"

extern char** environ;

namespace vigil {
namespace {

using StringRef = std::function<std::string&(Config&)>;
using IntRef = std::function<int64_t&(Config&)>;

// One configurable key: where it lives and how to set it.
struct KeySpec {
  std::string section;
  std::string name;
  StringRef string_ref;  // one of these two is set
  IntRef int_ref;
  int64_t min = 0;
  int64_t max = 0;
};

std::vector<KeySpec> Keys() {
  auto s = [](const char* section, const char* name, StringRef ref) {
    return KeySpec{section, name, std::move(ref), nullptr, 0, 0};
  };
  auto i = [](const char* section, const char* name, IntRef ref, int64_t min, int64_t max) {
    return KeySpec{section, name, nullptr, std::move(ref), min, max};
  };
  return {
      s("server", "listen", [](Config& c) -> std::string& { return c.server.listen; }),
      s("server", "public_url", [](Config& c) -> std::string& { return c.server.public_url; }),
      i(
          "server", "threads", [](Config& c) -> int64_t& { return c.server.threads; }, 1, 256),
      s("store", "url", [](Config& c) -> std::string& { return c.store.url; }),
      s("secrets", "key_file", [](Config& c) -> std::string& { return c.secrets.key_file; }),
      i(
          "policy", "release_visibility_days",
          [](Config& c) -> int64_t& { return c.policy.release_visibility_days; }, 0, 3650),
      i(
          "limits", "search_per_minute",
          [](Config& c) -> int64_t& { return c.limits.search_per_minute; }, 0, 1000000),
      i(
          "limits", "registrations_per_hour",
          [](Config& c) -> int64_t& { return c.limits.registrations_per_hour; }, 0, 1000000),
      s("notify", "email", [](Config& c) -> std::string& { return c.notify.email; }),
      s("notify", "sms", [](Config& c) -> std::string& { return c.notify.sms; }),
      s("notify", "voice", [](Config& c) -> std::string& { return c.notify.voice; }),
      i(
          "notify", "lease_seconds", [](Config& c) -> int64_t& { return c.notify.lease_seconds; },
          1, 3600),
      i(
          "notify", "voice_retry_unanswered_minutes",
          [](Config& c) -> int64_t& { return c.notify.voice_retry_unanswered_minutes; }, 1, 1440),
      i(
          "notify", "voice_retry_answered_minutes",
          [](Config& c) -> int64_t& { return c.notify.voice_retry_answered_minutes; }, 1, 1440),
      i(
          "notify", "voice_give_up_hours",
          [](Config& c) -> int64_t& { return c.notify.voice_give_up_hours; }, 1, 168),
      s("smtp", "url", [](Config& c) -> std::string& { return c.smtp.url; }),
      s("smtp", "from", [](Config& c) -> std::string& { return c.smtp.from; }),
      s("kannel", "sendsms_url", [](Config& c) -> std::string& { return c.kannel.sendsms_url; }),
      s("kannel", "username", [](Config& c) -> std::string& { return c.kannel.username; }),
      s("kannel", "password", [](Config& c) -> std::string& { return c.kannel.password; }),
      s("kannel", "from", [](Config& c) -> std::string& { return c.kannel.from; }),
      s("kannel", "inbound_token",
        [](Config& c) -> std::string& { return c.kannel.inbound_token; }),
      s("notify", "default_region",
        [](Config& c) -> std::string& { return c.notify.default_region; }),
      i(
          "retention", "contact_days",
          [](Config& c) -> int64_t& { return c.retention.contact_days; }, 1, 3650),
      i(
          "retention", "notification_days",
          [](Config& c) -> int64_t& { return c.retention.notification_days; }, 1, 3650),
      s("audit", "witness", [](Config& c) -> std::string& { return c.audit.witness; }),
      s("alerts", "privacy_officers",
        [](Config& c) -> std::string& { return c.alerts.privacy_officers; }),
      i(
          "alerts", "min_interval_minutes",
          [](Config& c) -> int64_t& { return c.alerts.min_interval_minutes; }, 1, 10080),
      s("twilio", "api_base", [](Config& c) -> std::string& { return c.twilio.api_base; }),
      s("twilio", "account_sid", [](Config& c) -> std::string& { return c.twilio.account_sid; }),
      s("twilio", "auth_token", [](Config& c) -> std::string& { return c.twilio.auth_token; }),
      s("twilio", "from", [](Config& c) -> std::string& { return c.twilio.from; }),
      s("file", "outbox_dir", [](Config& c) -> std::string& { return c.file.outbox_dir; }),
      s("hotline", "numbers", [](Config& c) -> std::string& { return c.hotline.numbers; }),
      s("hotline", "specialists", [](Config& c) -> std::string& { return c.hotline.specialists; }),
      s("hotline", "hours", [](Config& c) -> std::string& { return c.hotline.hours; }),
      s("hotline", "time_zone", [](Config& c) -> std::string& { return c.hotline.time_zone; }),
      i(
          "hotline", "ring_timeout_seconds",
          [](Config& c) -> int64_t& { return c.hotline.ring_timeout_seconds; }, 5, 120),
      i(
          "hotline", "voicemail_max_seconds",
          [](Config& c) -> int64_t& { return c.hotline.voicemail_max_seconds; }, 10, 600),
  };
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Where(const std::string& path, const toml::source_region& r) {
  return path + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column) + ": ";
}

Result<void> Validate(const Config& c) {
  if (auto l = ParseListenAddress(c.server.listen); !l) {
    return tl::unexpected(l.error().WithContext("[server] listen"));
  }
  if (!c.store.url.starts_with("sqlite:") && !c.store.url.starts_with("postgresql://") &&
      !c.store.url.starts_with("postgres://")) {
    return InvalidArgument("[store] url must start with sqlite: or postgresql:// (got \"" +
                           c.store.url.substr(0, 60) + "\")");
  }
  auto channel = [](const std::string& section_key, const std::string& v,
                    std::initializer_list<const char*> allowed) -> Result<void> {
    for (const char* a : allowed) {
      if (v == a) return {};
    }
    std::string msg = section_key + " must be one of:";
    for (const char* a : allowed) msg += std::string(" ") + a;
    return InvalidArgument(msg + " (got \"" + v.substr(0, 30) + "\")");
  };
  VIGIL_RETURN_IF_ERROR(channel("[notify] email", c.notify.email, {"smtp", "file"}));
  VIGIL_RETURN_IF_ERROR(channel("[notify] sms", c.notify.sms, {"kannel", "twilio", "file"}));
  VIGIL_RETURN_IF_ERROR(channel("[notify] voice", c.notify.voice, {"twilio", "file"}));
  const std::string& region = c.notify.default_region;
  if (region.size() != 2 || !std::isupper(static_cast<unsigned char>(region[0])) ||
      !std::isupper(static_cast<unsigned char>(region[1]))) {
    return InvalidArgument(
        "[notify] default_region must be two capital letters, e.g. \"US\" (got \"" +
        region.substr(0, 10) + "\")");
  }
  if (auto hotline = HotlineOptionsOf(c); !hotline) return tl::unexpected(hotline.error());
  const std::string& officers = c.alerts.privacy_officers;
  for (size_t start = 0; start < officers.size();) {
    size_t end = officers.find(',', start);
    if (end == std::string::npos) end = officers.size();
    if (auto address = notify::NormalizeEmail(officers.substr(start, end - start)); !address) {
      return tl::unexpected(address.error().WithContext("[alerts] privacy_officers"));
    }
    start = end + 1;
  }
  return {};
}

}  // namespace

Result<std::pair<std::string, uint16_t>> ParseListenAddress(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("listen address must be host:port (got \"" + listen.substr(0, 60) +
                           "\")");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const char* begin = listen.data() + colon + 1;
  const char* end = listen.data() + listen.size();
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || begin == end || port > 65535) {
    return InvalidArgument("listen address has no valid port (got \"" + listen.substr(0, 60) +
                           "\")");
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env) {
  Config config;
  std::vector<KeySpec> keys = Keys();
  auto find = [&](std::string_view section, std::string_view name) -> const KeySpec* {
    for (const auto& k : keys) {
      if (k.section == section && k.name == name) return &k;
    }
    return nullptr;
  };

  if (!path.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      return NotFound("config file " + path + " does not exist");
    toml::table root;
    try {
      root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return InvalidArgument(Where(path, e.source()) + std::string(e.description()));
    } catch (const std::exception& e) {
      return InvalidArgument(path + ": cannot read: " + e.what());
    }
    for (const auto& [section_key, section_node] : root) {
      std::string section(section_key.str());
      const toml::table* table = section_node.as_table();
      if (table == nullptr) {
        return InvalidArgument(Where(path, section_node.source()) + "\"" + section +
                               "\" must be a [section], not a value");
      }
      for (const auto& [name_key, node] : *table) {
        std::string name(name_key.str());
        const KeySpec* spec = find(section, name);
        if (spec == nullptr) {
          return InvalidArgument(Where(path, node.source()) + "unknown key \"" + name + "\" in [" +
                                 section + "]");
        }
        if (spec->string_ref) {
          auto v = node.value<std::string>();
          if (!node.is_string() || !v) {
            return InvalidArgument(Where(path, node.source()) + "[" + section + "] " + name +
                                   " must be a string");
          }
          spec->string_ref(config) = *v;
        } else {
          if (!node.is_integer()) {
            return InvalidArgument(Where(path, node.source()) + "[" + section + "] " + name +
                                   " must be an integer");
          }
          int64_t v = *node.value<int64_t>();
          if (v < spec->min || v > spec->max) {
            return InvalidArgument(Where(path, node.source()) + "[" + section + "] " + name +
                                   " must be between " + std::to_string(spec->min) + " and " +
                                   std::to_string(spec->max));
          }
          spec->int_ref(config) = v;
        }
      }
    }
  }

  for (const auto& spec : keys) {
    std::string var = "VIGIL_" + Upper(spec.section) + "_" + Upper(spec.name);
    auto it = env.find(var);
    if (it == env.end()) continue;
    if (spec.string_ref) {
      spec.string_ref(config) = it->second;
    } else {
      int64_t v = 0;
      const std::string& text = it->second;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
        return InvalidArgument("environment variable " + var + " must be an integer (got \"" +
                               text.substr(0, 30) + "\")");
      }
      if (v < spec.min || v > spec.max) {
        return InvalidArgument("environment variable " + var + " must be between " +
                               std::to_string(spec.min) + " and " + std::to_string(spec.max));
      }
      spec.int_ref(config) = v;
    }
  }
  VIGIL_RETURN_IF_ERROR(Validate(config));
  return config;
}

Result<api::HotlineOptions> HotlineOptionsOf(const Config& c) {
  api::HotlineOptions o;
  auto items = [](const std::string& list) {
    std::vector<std::string> out;
    for (size_t start = 0; start <= list.size();) {
      size_t end = list.find(',', start);
      if (end == std::string::npos) end = list.size();
      std::string item = list.substr(start, end - start);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) out.push_back(item);
      start = end + 1;
    }
    return out;
  };
  auto e164 = [](const std::string& key, const std::string& number) -> Result<std::string> {
    auto normal = notify::NormalizePhone(number, "US", notify::PhoneUse::kVoice);
    if (!normal || *normal != number) {
      return InvalidArgument("[hotline] " + key + ": \"" + number.substr(0, 30) +
                             "\" is not a phone number in E.164 form (e.g. +18005550100)");
    }
    return *normal;
  };
  const auto& languages = i18n::BuiltInLanguages();
  for (const std::string& item : items(c.hotline.numbers)) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return InvalidArgument("[hotline] numbers: \"" + item.substr(0, 40) +
                             "\" is not NUMBER=LANGUAGE (e.g. +18005550100=en)");
    }
    auto number = e164("numbers", item.substr(0, eq));
    if (!number) return tl::unexpected(number.error());
    const std::string language = item.substr(eq + 1);
    if (std::find(languages.begin(), languages.end(), language) == languages.end()) {
      std::string known;
      for (const auto& l : languages) known += (known.empty() ? "" : ", ") + l;
      return InvalidArgument("[hotline] numbers: no catalogue for language \"" +
                             language.substr(0, 10) + "\" (built in: " + known + ")");
    }
    o.numbers[*number] = language;
  }
  for (const std::string& item : items(c.hotline.specialists)) {
    auto number = e164("specialists", item);
    if (!number) return tl::unexpected(number.error());
    o.specialists.push_back(*number);
  }
  auto hours = api::HotlineHours::Parse(c.hotline.hours, c.hotline.time_zone);
  if (!hours) return tl::unexpected(hours.error().WithContext("[hotline]"));
  o.hours = *hours;
  o.ring_timeout = std::chrono::seconds(c.hotline.ring_timeout_seconds);
  o.voicemail_max = std::chrono::seconds(c.hotline.voicemail_max_seconds);
  return o;
}

}  // namespace vigil
