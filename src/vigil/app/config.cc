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
#include "vigil/text/similarity.h"

extern char** environ;

namespace vigil {
namespace {

using StringRef = std::function<std::string&(Config&)>;
using IntRef = std::function<int64_t&(Config&)>;

// How a string key names a file, so a relative one can be made absolute
// against the right directory (the config file's, or the current one).
enum class PathKind { kNone, kPlain, kPlainOrAuto, kSqliteUrl, kFileUrl };

// One configurable key: where it lives, how to set it, and what it means.
// This table is the configuration's one schema: LoadConfig reads by it,
// ConfigExample writes the README's configuration section from it.
struct KeySpec {
  std::string section;
  std::string name;
  std::string doc;
  StringRef string_ref;  // one of these two is set
  IntRef int_ref;
  int64_t min = 0;
  int64_t max = 0;
  PathKind path = PathKind::kNone;
};

// Sections in the order the example lists them, keys contiguous per section.
std::vector<KeySpec> Keys() {
  auto s = [](const char* section, const char* name, const char* doc, StringRef ref,
              PathKind path = PathKind::kNone) {
    return KeySpec{section, name, doc, std::move(ref), nullptr, 0, 0, path};
  };
  auto i = [](const char* section, const char* name, const char* doc, IntRef ref, int64_t min,
              int64_t max) {
    return KeySpec{section, name, doc, nullptr, std::move(ref), min, max, PathKind::kNone};
  };
#define VIGIL_S(field) [](Config& c) -> std::string& { return c.field; }
#define VIGIL_I(field) [](Config& c) -> int64_t& { return c.field; }
  std::vector<KeySpec> keys = {
      s("server", "listen", "host:port the public HTTP server listens on", VIGIL_S(server.listen)),
      s("server", "public_url",
        "The address the public reaches this server at: links in messages, the banner and "
        "provider callbacks are made from it; empty means http:// and [server] listen",
        VIGIL_S(server.public_url)),
      i("server", "threads", "Threads serving HTTP", VIGIL_I(server.threads), 1, 256),
      s("web", "exit_url",
        "Where \"Leave this site\" (and the Esc key) goes at once: an ordinary site that "
        "looks like nothing in a browser's history",
        VIGIL_S(web.exit_url)),
      s("web", "domestic_violence_hotline",
        "The domestic-violence hotline every page and the safety page name",
        VIGIL_S(web.domestic_violence_hotline)),
      s("web", "trafficking_hotline", "The human-trafficking hotline the safety page names",
        VIGIL_S(web.trafficking_hotline)),
      i("staff", "request_target_hours",
        "How soon staff should decide a protection request; the console marks those past it",
        VIGIL_I(staff.request_target_hours), 1, 720),
      i("staff", "idle_timeout_minutes",
        "A console session ends after this many minutes without a request",
        VIGIL_I(staff.idle_timeout_minutes), 1, 1440),
      s("log", "level", "The least level logged: debug, info, warn or error", VIGIL_S(log.level)),
      s("log", "format",
        "text (a line per event) or json (a JSON object per line); --log-format overrides it",
        VIGIL_S(log.format)),
      s("metrics", "listen",
        "host:port serving GET /metrics (Prometheus text format), apart from the public "
        "listener; empty for none",
        VIGIL_S(metrics.listen)),
      s("store", "url", "The database: sqlite:PATH (embedded) or postgresql://USER@HOST:PORT/DB",
        VIGIL_S(store.url), PathKind::kSqliteUrl),
      s("search", "snapshot",
        "A file `vigil serve` saves the name index to when it stops and loads it from when it "
        "starts, instead of indexing every name in the store again (checked against the store "
        "and this build; anything else is ignored and the store indexed). auto: beside a "
        "SQLite database (its path and .index), none with PostgreSQL; empty for none",
        VIGIL_S(search.snapshot), PathKind::kPlainOrAuto),
      s("secrets", "key_file",
        "The installation's secret key (32 bytes, mode 0600), made by `vigil secrets init`; "
        "every node of a database needs a copy of the same file",
        VIGIL_S(secrets.key_file), PathKind::kPlain),
      i("policy", "release_visibility_days",
        "Days a release stays visible to the public after it happened",
        VIGIL_I(policy.release_visibility_days), 0, 3650),
      i("limits", "search_per_minute", "Searches one client may make a minute (0: no limit)",
        VIGIL_I(limits.search_per_minute), 0, 1000000),
      i("limits", "registrations_per_hour",
        "Registrations one address may ask for an hour (0: no limit); a shelter or clinic "
        "where many share one address can use an advocate key instead",
        VIGIL_I(limits.registrations_per_hour), 0, 1000000),
      i("limits", "registrations_per_contact_per_day",
        "Registrations one email address or phone number may be given a day (0: no limit)",
        VIGIL_I(limits.registrations_per_contact_per_day), 0, 1000000),
      i("limits", "registrations_per_person_per_hour",
        "Registrations for one person an hour, from everyone (0: no limit)",
        VIGIL_I(limits.registrations_per_person_per_hour), 0, 1000000),
      s("notify", "email", "How email goes out: smtp, or file (written to [file] outbox_dir)",
        VIGIL_S(notify.email)),
      s("notify", "sms", "How texts go out: kannel, twilio, or file", VIGIL_S(notify.sms)),
      s("notify", "voice", "How calls go out: twilio, or file", VIGIL_S(notify.voice)),
      i("notify", "lease_seconds",
        "How long a claimed notice stays claimed before another sender may take it over",
        VIGIL_I(notify.lease_seconds), 1, 3600),
      s("notify", "default_region",
        "Phone numbers typed without + are read as numbers of this region (ISO 3166-1 "
        "alpha-2)",
        VIGIL_S(notify.default_region)),
      i("notify", "voice_retry_unanswered_minutes",
        "A call nobody answered is made again after this many minutes",
        VIGIL_I(notify.voice_retry_unanswered_minutes), 1, 1440),
      i("notify", "voice_retry_answered_minutes",
        "A call answered without the PIN is made again after this many minutes",
        VIGIL_I(notify.voice_retry_answered_minutes), 1, 1440),
      i("notify", "voice_give_up_hours", "Calls stop this many hours after the notice was queued",
        VIGIL_I(notify.voice_give_up_hours), 1, 168),
      s("smtp", "url", "The mail server: smtp://HOST:PORT or smtps://HOST:PORT", VIGIL_S(smtp.url)),
      s("smtp", "from", "The sender address of every email", VIGIL_S(smtp.from)),
      s("kannel", "sendsms_url", "Kannel smsbox's sendsms address", VIGIL_S(kannel.sendsms_url)),
      s("kannel", "username", "The sendsms user", VIGIL_S(kannel.username)),
      s("kannel", "password", "The sendsms password", VIGIL_S(kannel.password)),
      s("kannel", "from", "The number texts are sent from", VIGIL_S(kannel.from)),
      s("kannel", "inbound_token",
        "The secret smsbox's get-url passes as token for texts to us (STOP, HELP); empty "
        "refuses inbound texts",
        VIGIL_S(kannel.inbound_token)),
      s("twilio", "api_base", "A Twilio-compatible provider's API", VIGIL_S(twilio.api_base)),
      s("twilio", "account_sid", "The account (empty: texts and calls by Twilio are off)",
        VIGIL_S(twilio.account_sid)),
      s("twilio", "auth_token", "The account's auth token; also checks its webhooks",
        VIGIL_S(twilio.auth_token)),
      s("twilio", "from", "The number texts and calls come from", VIGIL_S(twilio.from)),
      s("hotline", "numbers",
        "Hotline numbers and the language each answers in: \"+18005550100=en, "
        "+18005550101=es\"",
        VIGIL_S(hotline.numbers)),
      s("hotline", "specialists", "Specialists' numbers (E.164, comma-separated), rung on 0",
        VIGIL_S(hotline.specialists)),
      s("hotline", "hours", "When specialists answer, e.g. Mon-Fri 09:00-17:00",
        VIGIL_S(hotline.hours)),
      s("hotline", "time_zone", "The time zone of [hotline] hours (IANA name)",
        VIGIL_S(hotline.time_zone)),
      i("hotline", "ring_timeout_seconds", "How long the specialists' phones ring",
        VIGIL_I(hotline.ring_timeout_seconds), 5, 120),
      i("hotline", "voicemail_max_seconds", "The longest voicemail a caller may leave",
        VIGIL_I(hotline.voicemail_max_seconds), 10, 600),
      s("audit", "witness",
        "Where each signed audit checkpoint is also published: file:DIR or an https:// URL; "
        "empty for none",
        VIGIL_S(audit.witness), PathKind::kFileUrl),
      s("alerts", "privacy_officers",
        "Emails of privacy officers told when a withheld person is sought (comma-separated)",
        VIGIL_S(alerts.privacy_officers)),
      i("alerts", "min_interval_minutes", "At most one alert per person this often",
        VIGIL_I(alerts.min_interval_minutes), 1, 10080),
      i("retention", "contact_days", "Days after a registration ends until its contact is deleted",
        VIGIL_I(retention.contact_days), 1, 3650),
      i("retention", "notification_days",
        "Days after a notice settles until its sealed payload is wiped",
        VIGIL_I(retention.notification_days), 1, 3650),
      s("file", "outbox_dir", "Where the file channel writes notices", VIGIL_S(file.outbox_dir),
        PathKind::kPlain),
  };
#undef VIGIL_S
#undef VIGIL_I
  return keys;
}

// Makes a relative path in `value` absolute against `base`.
std::string Resolve(const std::string& value, PathKind kind, const std::filesystem::path& base) {
  auto absolute = [&](const std::string& p) {
    std::filesystem::path path(p);
    if (p.empty() || path.is_absolute()) return p;
    return (base / path).lexically_normal().string();
  };
  switch (kind) {
    case PathKind::kNone:
      return value;
    case PathKind::kPlain:
      return absolute(value);
    case PathKind::kPlainOrAuto:
      return value == "auto" ? value : absolute(value);
    case PathKind::kSqliteUrl:
      if (!value.starts_with("sqlite:") || value == "sqlite::memory:") return value;
      return "sqlite:" + absolute(value.substr(7));
    case PathKind::kFileUrl:
      if (!value.starts_with("file:")) return value;
      return "file:" + absolute(value.substr(5));
  }
  return value;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string EnvironmentName(const KeySpec& spec) {
  return "VIGIL_" + Upper(spec.section) + "_" + Upper(spec.name);
}

std::string Where(const std::string& path, const toml::source_region& r) {
  return path + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column) + ": ";
}

// Where a key's value came from, for messages: "FILE:LINE:COLUMN: ",
// "environment variable VIGIL_X: ", or "" for a default.
using Origin = std::function<std::string(const char* section, const char* key)>;

Result<void> Validate(const Config& c, const Origin& origin) {
  auto fail = [&](const char* section, const char* key, const std::string& message) {
    return InvalidArgument(origin(section, key) + message);
  };
  if (auto l = ParseListenAddress(c.server.listen); !l) {
    return fail("server", "listen", "[server] listen: " + l.error().message());
  }
  if (!c.metrics.listen.empty()) {
    if (auto l = ParseListenAddress(c.metrics.listen); !l) {
      return fail("metrics", "listen", "[metrics] listen: " + l.error().message());
    }
  }
  if (!c.server.public_url.empty() && !c.server.public_url.starts_with("http://") &&
      !c.server.public_url.starts_with("https://")) {
    return fail("server", "public_url",
                "[server] public_url must start with http:// or https:// (got \"" +
                    c.server.public_url.substr(0, 60) + "\")");
  }
  if (!c.web.exit_url.starts_with("https://") && !c.web.exit_url.starts_with("http://")) {
    return fail("web", "exit_url",
                "[web] exit_url must start with https:// or http:// (got \"" +
                    c.web.exit_url.substr(0, 60) + "\")");
  }
  if (!c.store.url.starts_with("sqlite:") && !c.store.url.starts_with("postgresql://") &&
      !c.store.url.starts_with("postgres://")) {
    return fail("store", "url",
                "[store] url must start with sqlite: or postgresql:// (got \"" +
                    c.store.url.substr(0, 60) + "\")");
  }
  auto one_of = [&](const char* section, const char* key, const std::string& v,
                    std::initializer_list<const char*> allowed) -> Result<void> {
    for (const char* a : allowed) {
      if (v == a) return {};
    }
    std::string msg = std::string("[") + section + "] " + key + " must be one of:";
    for (const char* a : allowed) msg += std::string(" ") + a;
    return fail(section, key, msg + " (got \"" + v.substr(0, 30) + "\")");
  };
  VIGIL_RETURN_IF_ERROR(one_of("log", "level", c.log.level, {"debug", "info", "warn", "error"}));
  VIGIL_RETURN_IF_ERROR(one_of("log", "format", c.log.format, {"text", "json"}));
  VIGIL_RETURN_IF_ERROR(one_of("notify", "email", c.notify.email, {"smtp", "file"}));
  VIGIL_RETURN_IF_ERROR(one_of("notify", "sms", c.notify.sms, {"kannel", "twilio", "file"}));
  VIGIL_RETURN_IF_ERROR(one_of("notify", "voice", c.notify.voice, {"twilio", "file"}));
  const std::string& region = c.notify.default_region;
  if (region.size() != 2 || !std::isupper(static_cast<unsigned char>(region[0])) ||
      !std::isupper(static_cast<unsigned char>(region[1]))) {
    return fail("notify", "default_region",
                "[notify] default_region must be two capital letters, e.g. \"US\" (got \"" +
                    region.substr(0, 10) + "\")");
  }
  if (auto hotline = HotlineOptionsOf(c); !hotline) {
    // HotlineOptionsOf names the key: "[hotline] numbers: ...".
    const std::string& message = hotline.error().message();
    for (const char* key : {"numbers", "specialists", "hours", "time_zone"}) {
      if (message.starts_with(std::string("[hotline] ") + key)) {
        return fail("hotline", key, message);
      }
    }
    return fail("hotline", "hours", message);
  }
  const std::string& officers = c.alerts.privacy_officers;
  for (size_t start = 0; start < officers.size();) {
    size_t end = officers.find(',', start);
    if (end == std::string::npos) end = officers.size();
    if (auto address = notify::NormalizeEmail(officers.substr(start, end - start)); !address) {
      return fail("alerts", "privacy_officers",
                  "[alerts] privacy_officers: " + address.error().message());
    }
    start = end + 1;
  }
  return {};
}

// A TOML string literal.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Wraps `text` as "# " comment lines of at most 78 columns.
std::string Comment(const std::string& text) {
  std::string out, line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > 76) {
      out += "# " + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) out += "# " + line + "\n";
  return out;
}

}  // namespace

std::string SnapshotPath(const Config& config) {
  if (config.search.snapshot != "auto") return config.search.snapshot;
  const std::string& url = config.store.url;
  if (!url.starts_with("sqlite:") || url == "sqlite::memory:") return "";
  return url.substr(7) + ".index";
}

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
  const std::vector<KeySpec> keys = Keys();
  auto find = [&](std::string_view section, std::string_view name) -> const KeySpec* {
    for (const auto& k : keys) {
      if (k.section == section && k.name == name) return &k;
    }
    return nullptr;
  };
  // For each key set from the file or the environment: where, for messages,
  // and which directory a relative path in it is relative to.
  struct Source {
    std::string where;
    std::filesystem::path base;
  };
  std::map<const KeySpec*, Source> sources;
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);

  if (!path.empty()) {
    if (!std::filesystem::exists(path, ec))
      return NotFound("config file " + path + " does not exist");
    const std::filesystem::path file_dir =
        std::filesystem::absolute(path, ec).lexically_normal().parent_path();
    toml::table root;
    try {
      root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return InvalidArgument(Where(path, e.source()) + std::string(e.description()));
    } catch (const std::exception& e) {
      return InvalidArgument(path + ": cannot read: " + e.what());
    }
    std::vector<std::string> sections;
    for (const auto& k : keys) {
      if (sections.empty() || sections.back() != k.section) sections.push_back(k.section);
    }
    for (const auto& [section_key, section_node] : root) {
      std::string section(section_key.str());
      const toml::table* table = section_node.as_table();
      if (table == nullptr) {
        return InvalidArgument(Where(path, section_node.source()) + "\"" + section +
                               "\" must be a [section], not a value");
      }
      if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
        std::string hint = text::ClosestSpelling(section, sections);
        return InvalidArgument(Where(path, section_node.source()) + "unknown section [" + section +
                               "]" + (hint.empty() ? "" : "; did you mean [" + hint + "]?"));
      }
      for (const auto& [name_key, node] : *table) {
        std::string name(name_key.str());
        const KeySpec* spec = find(section, name);
        if (spec == nullptr) {
          std::vector<std::string> names;
          for (const auto& k : keys) {
            if (k.section == section) names.push_back(k.name);
          }
          std::string hint = text::ClosestSpelling(name, names);
          return InvalidArgument(Where(path, node.source()) + "unknown key \"" + name + "\" in [" +
                                 section + "]" +
                                 (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
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
        sources[spec] = {Where(path, node.source()), file_dir};
      }
    }
  }

  std::vector<std::string> known_variables = {"VIGIL_CONFIG"};
  for (const auto& spec : keys) known_variables.push_back(EnvironmentName(spec));
  for (const auto& [var, value] : env) {
    if (!var.starts_with("VIGIL_")) continue;
    if (std::find(known_variables.begin(), known_variables.end(), var) != known_variables.end()) {
      continue;
    }
    std::string hint = text::ClosestSpelling(var, known_variables);
    return InvalidArgument("environment variable " + var +
                           " is not a setting of vigil (VIGIL_<SECTION>_<KEY>, see `vigil "
                           "config example`)" +
                           (hint.empty() ? "" : "; did you mean " + hint + "?"));
  }
  for (const auto& spec : keys) {
    const std::string var = EnvironmentName(spec);
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
    sources[&spec] = {"environment variable " + var + ": ", cwd};
  }

  // Relative paths: against the config file's directory when set there,
  // the current directory otherwise.
  for (const auto& spec : keys) {
    if (spec.path == PathKind::kNone) continue;
    auto source = sources.find(&spec);
    std::string& value = spec.string_ref(config);
    value = Resolve(value, spec.path, source == sources.end() ? cwd : source->second.base);
  }
  VIGIL_RETURN_IF_ERROR(Validate(config, [&](const char* section, const char* key) {
    for (const auto& [spec, source] : sources) {
      if (spec->section == section && spec->name == key) return source.where;
    }
    return std::string();
  }));
  return config;
}

std::string ConfigExample() {
  Config defaults;
  std::string out =
      "# vigil configuration: every key with its default and what it means.\n"
      "# Relative paths here are relative to this file. Each key may also be set by\n"
      "# the environment variable VIGIL_<SECTION>_<KEY> (e.g. VIGIL_SERVER_LISTEN),\n"
      "# which wins over this file; command-line flags win over both.\n";
  std::string section;
  for (const auto& spec : Keys()) {
    if (spec.section != section) {
      section = spec.section;
      out += "\n[" + section + "]\n";
    }
    std::string doc = spec.doc;
    if (spec.int_ref) {
      doc += "; " + std::to_string(spec.min) + " to " + std::to_string(spec.max);
    }
    out += Comment(doc);
    out += spec.name + " = " +
           (spec.string_ref ? Quoted(spec.string_ref(defaults))
                            : std::to_string(spec.int_ref(defaults))) +
           "\n";
  }
  return out;
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
