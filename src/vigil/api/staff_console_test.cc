// The staff console and protection requests, over the real router with a
// real SQLite store: an advocate withholds in one form, a specialist in two
// clicks, a supervisor confirms or rejects; and what an attacker would try
// — forged or missing CSRF tokens, a session fixed before sign-in, guessing
// passwords, a role reaching past its scopes — fails and changes nothing.
#include "vigil/api/staff_console.h"

#include <regex>

#include "vigil/api/agency_test_fixture.h"
#include "vigil/notify/protection_outcomes.h"

namespace vigil::api::agency_test {
namespace {

class StaffConsoleTest : public AgencyTest {
 protected:
  void SetUp() override {
    AgencyTest::SetUp();
    desk_ = {store_.get(),     &clock_, refs_.get(),           vault_.get(),
             audit_log_.get(), nullptr, std::chrono::hours(24)};
    StaffConsoleDependencies console;
    console.desk = desk_;
    console.policy = policy_.get();
    AddStaffConsole(router_, console);
    pages_ = {registrar_.get(), intake_.get(), nullptr, {}, vault_.get(), &desk_};
    SearchDependencies search{store_.get(), index_.get(), policy_.get(), &clock_, nullptr, nullptr};
    AddWebPages(router_, search, &pages_);
    for (const char* role : {"specialist", "supervisor", "auditor", "advocate"}) {
      secrets_[role] = AddAccount(role, role);
    }
  }

  std::string AddAccount(const std::string& name, const std::string& role) {
    StaffAccount a;
    a.name = name;
    a.role = role;
    a.password_hash = *staff::HashPassword("password of " + name);
    const std::string secret = staff::NewTotpSecret();
    a.totp_sealed = vault_->Seal(secret);
    a.created_at = kNow;
    auto w = store_->BeginWrite();
    EXPECT_TRUE((*w)->controls().InsertStaffAccount(a));
    EXPECT_TRUE((*w)->Commit());
    return secret;
  }

  std::string Code(const std::string& name) {
    return staff::TotpCode(secrets_[name], ToUnixMicros(clock_.Now()) / 1000000);
  }

  http::Response Request(bhttp::verb verb, const std::string& target, const std::string& body = "",
                         const std::string& cookie = "", const std::string& origin = "") {
    http::Request req{verb, target, 11};
    req.body() = body;
    req.set(bhttp::field::host, "vigil.test");
    if (!body.empty()) req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    if (!cookie.empty()) req.set(bhttp::field::cookie, "vigil_staff=" + cookie);
    if (!origin.empty()) req.set(bhttp::field::origin, origin);
    req.prepare_payload();
    http::RequestContext ctx;
    ctx.request_id = "r";
    ctx.client_address = "127.0.0.1";
    return router_.Dispatch(req, ctx);
  }

  static std::string CookieOf(const http::Response& res) {
    std::string set(res[bhttp::field::set_cookie]);
    std::smatch m;
    if (!std::regex_search(set, m, std::regex("vigil_staff=([^;]*)"))) return "";
    return m[1];
  }

  static std::string CsrfOf(const http::Response& res) {
    std::smatch m;
    const std::string& body = res.body();
    if (!std::regex_search(body, m, std::regex(R"re(name="csrf" value="([0-9a-f]+)")re")))
      return "";
    return m[1];
  }

  std::string LoginToken() { return CsrfOf(Request(bhttp::verb::get, "/staff/login")); }

  // Signs in; returns the session cookie ("" when refused).
  std::string SignIn(const std::string& name, const std::string& password = "") {
    auto res = Request(bhttp::verb::post, "/staff/login",
                       "csrf=" + LoginToken() + "&name=" + name + "&password=" +
                           UrlEncode(password.empty() ? "password of " + name : password) +
                           "&code=" + Code(name));
    if (res.result() != bhttp::status::see_other) return "";
    return CookieOf(res);
  }

  static std::string UrlEncode(const std::string& s) {
    std::string out;
    for (char c : s) out += c == ' ' ? std::string("+") : std::string(1, c);
    return out;
  }

  // A POST from a signed-in page: its CSRF token taken from `page`.
  http::Response Post(const std::string& cookie, const std::string& page, const std::string& target,
                      const std::string& body) {
    const std::string csrf = CsrfOf(Request(bhttp::verb::get, page, "", cookie));
    return Request(bhttp::verb::post, target, "csrf=" + csrf + "&" + body, cookie);
  }

  std::string PublicByANumber(const std::string& digits) {
    auto res = Send(bhttp::verb::get, "/api/v1/search?a_number=" + digits + "&country_of_birth=GT");
    return std::to_string(res.result_int()) + " " + res.body();
  }

  Subject Rosa() {
    auto r = store_->BeginRead();
    return **(*r)->custody().GetSubject(1);
  }

  std::vector<ProtectionRequest> Requests() {
    auto r = store_->BeginRead();
    return *(*r)->registrations().ProtectionRequests("", 100);
  }

  ProtectionDesk desk_;
  RegistrationPages pages_;
  std::map<std::string, std::string> secrets_;
};

TEST_F(StaffConsoleTest, AnAdvocateWithholdsInOneFormAndASupervisorConfirms) {
  const std::string nobody = PublicByANumber("999999999");
  ASSERT_NE(PublicByANumber("100000001"), nobody);  // Rosa is public
  const std::string advocate = SignIn("advocate");
  ASSERT_FALSE(advocate.empty());
  auto sent = Post(advocate, "/staff/protect", "/staff/protect",
                   "identifier=A100000001&reason=vawa&details=shelter+resident");
  ASSERT_EQ(sent.result(), bhttp::status::ok) << sent.body();
  // The very next request: Rosa is answered as nobody is.
  EXPECT_EQ(PublicByANumber("100000001"), nobody);
  EXPECT_TRUE(Rosa().protections.Has(Protection::kProvisional));
  auto requests = Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].state, "provisional");
  EXPECT_EQ(requests[0].requested_by, "advocate:advocate");

  const std::string supervisor = SignIn("supervisor");
  const std::string page = "/staff/requests/" + std::to_string(requests[0].request_id);
  auto view = Request(bhttp::verb::get, page, "", supervisor);
  ASSERT_EQ(view.result(), bhttp::status::ok);
  EXPECT_NE(view.body().find("Rosa Quintanilla"), std::string::npos);  // staff see whom
  auto decided = Post(supervisor, page, page + "/decision", "decision=confirm&note=checked");
  EXPECT_EQ(decided.result(), bhttp::status::see_other);
  EXPECT_EQ(PublicByANumber("100000001"), nobody);
  EXPECT_TRUE(Rosa().protections.Has(Protection::kSec1367));
  EXPECT_FALSE(Rosa().protections.Has(Protection::kProvisional));
  EXPECT_EQ(Requests()[0].state, "confirmed");
  EXPECT_EQ(Requests()[0].decided_by, "staff:supervisor");
}

TEST_F(StaffConsoleTest, ARejectedRequestShowsThePersonAgain) {
  const std::string nobody = PublicByANumber("999999999");
  const std::string before = PublicByANumber("100000001");
  const std::string advocate = SignIn("advocate");
  ASSERT_EQ(Post(advocate, "/staff/protect", "/staff/protect", "identifier=100000001&reason=safety")
                .result(),
            bhttp::status::ok);
  EXPECT_EQ(PublicByANumber("100000001"), nobody);
  const std::string supervisor = SignIn("supervisor");
  const std::string page = "/staff/requests/" + std::to_string(Requests()[0].request_id);
  EXPECT_EQ(Post(supervisor, page, page + "/decision", "decision=reject").result(),
            bhttp::status::see_other);
  EXPECT_EQ(PublicByANumber("100000001"), before);
  EXPECT_TRUE(Rosa().protections.empty());
}

TEST_F(StaffConsoleTest, APublicRequestWaitsAndASpecialistWithholdsInTwoClicks) {
  const std::string nobody = PublicByANumber("999999999");
  // The public form answers alike for someone and for nobody.
  auto someone = Request(bhttp::verb::post, "/protect", "lang=en&a_number=100000001&reason=minor");
  auto noone = Request(bhttp::verb::post, "/protect", "lang=en&a_number=999999999&reason=minor");
  ASSERT_EQ(someone.result(), bhttp::status::ok) << someone.body();
  EXPECT_EQ(someone.body(), noone.body());
  EXPECT_EQ(Requests().size(), 2u);
  EXPECT_NE(PublicByANumber("100000001"), nobody);  // a public request only queues
  EXPECT_EQ(Requests()[0].state, "queued");
  EXPECT_EQ(Requests()[1].subject_id, 0);

  const std::string specialist = SignIn("specialist");
  auto queue = Request(bhttp::verb::get, "/staff/requests", "", specialist);
  ASSERT_EQ(queue.result(), bhttp::status::ok);
  const std::string page = "/staff/requests/" + std::to_string(Requests()[0].request_id);
  EXPECT_NE(queue.body().find(page), std::string::npos);
  // Click 1: open the request. Click 2: confirm.
  auto opened = Request(bhttp::verb::get, page, "", specialist);
  ASSERT_EQ(opened.result(), bhttp::status::ok);
  auto confirmed = Request(bhttp::verb::post, page + "/decision",
                           "csrf=" + CsrfOf(opened) + "&decision=confirm", specialist);
  EXPECT_EQ(confirmed.result(), bhttp::status::see_other);
  EXPECT_EQ(PublicByANumber("100000001"), nobody);
  EXPECT_TRUE(Rosa().protections.Has(Protection::kJuvenile));
}

TEST_F(StaffConsoleTest, FormsWithoutThisSessionsTokenChangeNothing) {
  const std::string specialist = SignIn("specialist");
  const std::string other = SignIn("supervisor");
  const std::string foreign = CsrfOf(Request(bhttp::verb::get, "/staff/protect", "", other));
  for (const std::string& token :
       {std::string(), std::string("0123456789abcdef0123456789abcdef"), foreign}) {
    auto res = Request(bhttp::verb::post, "/staff/protect",
                       "csrf=" + token + "&identifier=100000001&reason=vawa", specialist);
    EXPECT_EQ(res.result(), bhttp::status::forbidden) << token;
  }
  // The right token from another site's page: refused by its Origin.
  const std::string mine = CsrfOf(Request(bhttp::verb::get, "/staff/protect", "", specialist));
  auto cross = Request(bhttp::verb::post, "/staff/protect",
                       "csrf=" + mine + "&identifier=100000001&reason=vawa", specialist,
                       "https://evil.example");
  EXPECT_EQ(cross.result(), bhttp::status::forbidden);
  EXPECT_TRUE(Requests().empty());
  EXPECT_TRUE(Rosa().protections.empty());
  // Sign-in itself needs the form's token.
  auto login =
      Request(bhttp::verb::post, "/staff/login",
              "name=specialist&password=password+of+specialist&code=" + Code("specialist"));
  EXPECT_EQ(login.result(), bhttp::status::forbidden);
}

TEST_F(StaffConsoleTest, ASessionCannotBeFixedOrOutliveItsAccount) {
  // A cookie planted before sign-in is neither honoured nor kept.
  const std::string planted = "specialist.0.1700000000.1700000000.0000000000000000";
  EXPECT_EQ(Request(bhttp::verb::get, "/staff/requests", "", planted).result(),
            bhttp::status::see_other);
  auto res =
      Request(bhttp::verb::post, "/staff/login",
              "csrf=" + LoginToken() +
                  "&name=specialist&password=password+of+specialist&code=" + Code("specialist"),
              planted);
  ASSERT_EQ(res.result(), bhttp::status::see_other);
  const std::string fresh = CookieOf(res);
  EXPECT_NE(fresh, planted);
  std::string set(res[bhttp::field::set_cookie]);
  for (const char* attr : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/staff/"}) {
    EXPECT_NE(set.find(attr), std::string::npos) << attr;
  }
  EXPECT_EQ(Request(bhttp::verb::get, "/staff/requests", "", fresh).result(), bhttp::status::ok);
  // Idle past the timeout: back to sign-in.
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_EQ(Request(bhttp::verb::get, "/staff/requests", "", fresh).result(),
            bhttp::status::see_other);
  // Disabled: a live session stops at once.
  const std::string again = SignIn("specialist");
  ASSERT_FALSE(again.empty());
  {
    auto w = store_->BeginWrite();
    StaffAccount a = **(*w)->controls().GetStaffAccount("specialist");
    a.disabled = true;
    ++a.session_epoch;
    ASSERT_TRUE((*w)->controls().UpdateStaffAccount(a));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_EQ(Request(bhttp::verb::get, "/staff/requests", "", again).result(),
            bhttp::status::see_other);
  // Signing out ends the session even if the cookie is kept.
  const std::string sup = SignIn("supervisor");
  auto out = Post(sup, "/staff/", "/staff/logout", "");
  EXPECT_EQ(out.result(), bhttp::status::see_other);
  EXPECT_EQ(Request(bhttp::verb::get, "/staff/", "", sup).result(), bhttp::status::see_other);
}

// RFC 6238 §5.2: a code seen over a shoulder, or in a proxy's log, with the
// password, does not sign in a second time.
TEST_F(StaffConsoleTest, ACodeSignsInOnce) {
  ASSERT_FALSE(SignIn("supervisor").empty());
  EXPECT_TRUE(SignIn("supervisor").empty());  // the same code, within its window
  clock_.Advance(std::chrono::seconds(25));
  EXPECT_TRUE(SignIn("supervisor").empty());  // still the same step's code
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_FALSE(SignIn("supervisor").empty());  // the next step's
  auto r = store_->BeginRead();
  EXPECT_EQ((**(*r)->controls().GetStaffAccount("supervisor")).totp_last_step,
            ToUnixMicros(clock_.Now()) / 1000000 / 30);
}

TEST_F(StaffConsoleTest, GuessingLocksTheAccountAndIsAudited) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(SignIn("specialist", "not the password").empty());
  }
  EXPECT_TRUE(SignIn("specialist").empty());  // locked: the right password fails too
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_FALSE(SignIn("specialist").empty());
  auto r = store_->BeginRead();
  auto entries = (*r)->audit().AuditEntriesAfter(0, 1000);
  int refused = 0, signed_in = 0;
  for (const auto& e : *entries) {
    if (e.kind != "staff_login") continue;
    EXPECT_EQ(e.actor, "staff:specialist");
    (e.detail.starts_with("refused") ? refused : signed_in)++;
  }
  EXPECT_EQ(refused, 6);
  EXPECT_EQ(signed_in, 1);
}

TEST_F(StaffConsoleTest, NoRoleReachesPastItsScopes) {
  const std::string auditor = SignIn("auditor");
  const std::string advocate = SignIn("advocate");
  const std::string specialist = SignIn("specialist");
  // The advocate asks; the specialist may not reject, the auditor may not decide.
  ASSERT_EQ(Post(advocate, "/staff/protect", "/staff/protect", "identifier=100000001&reason=vawa")
                .result(),
            bhttp::status::ok);
  const std::string page = "/staff/requests/" + std::to_string(Requests()[0].request_id);
  EXPECT_EQ(Request(bhttp::verb::get, page, "", advocate).result(), bhttp::status::forbidden);
  EXPECT_EQ(Request(bhttp::verb::get, "/staff/person?id=100000001", "", advocate).result(),
            bhttp::status::forbidden);
  EXPECT_EQ(Post(specialist, page, page + "/decision", "decision=reject").result(),
            bhttp::status::forbidden);
  EXPECT_EQ(Post(auditor, "/staff/audit", page + "/decision", "decision=confirm").result(),
            bhttp::status::forbidden);
  EXPECT_EQ(
      Post(auditor, "/staff/audit", "/staff/protect", "identifier=100000002&reason=vawa").result(),
      bhttp::status::forbidden);
  EXPECT_EQ(Requests()[0].state, "provisional");
  // A specialist may add a protection but not take one away.
  const std::string ref = refs_->Encode(1);
  EXPECT_EQ(Post(specialist, "/staff/person?id=" + ref, "/staff/person/protections",
                 "ref=" + ref + "&reason=hotline")
                .result(),
            bhttp::status::forbidden);
  EXPECT_TRUE(Rosa().protections.Has(Protection::kProvisional));
  auto added = Post(specialist, "/staff/person?id=" + ref, "/staff/person/protections",
                    "ref=" + ref + "&p_provisional=on&p_sealed=on&reason=hotline+call");
  EXPECT_EQ(added.result(), bhttp::status::see_other);
  EXPECT_TRUE(Rosa().protections.Has(Protection::kSealed));
  // A request id that is not digits names no request.
  const std::string supervisor = SignIn("supervisor");
  EXPECT_EQ(Request(bhttp::verb::get, page + "x", "", supervisor).result(),
            bhttp::status::not_found);
}

TEST_F(StaffConsoleTest, ProtectedPeopleAppearOnlyInTheStaffView) {
  ASSERT_TRUE(Import(testutil::CustodyEventLine("P1", "booked", "2026-11-02T00:00:00Z", "ADL",
                                                "100000003", "Lucia", "Perez", R"(["sec1367"])")));
  ASSERT_TRUE(Import(testutil::CustodyEventLine("M1", "booked", "2026-11-02T00:00:00Z", "ADL",
                                                "100000004", "Nina", "Soto", "[]", "2015-01-01")));
  const std::string nobody = PublicByANumber("999999999");
  EXPECT_EQ(PublicByANumber("100000003"), nobody);
  EXPECT_EQ(PublicByANumber("100000004"), nobody);
  auto page = Send(bhttp::verb::get,
                   "/search?given_name=Lucia&family_name=Perez&country_of_birth=GT", "", "", "");
  EXPECT_EQ(page.body().find("100000003"), std::string::npos);
  const std::string specialist = SignIn("specialist");
  auto staff_view = Request(bhttp::verb::get, "/staff/person?id=100000003", "", specialist);
  ASSERT_EQ(staff_view.result(), bhttp::status::ok);
  EXPECT_NE(staff_view.body().find("Lucia Perez"), std::string::npos);
  EXPECT_NE(staff_view.body().find("sec1367"), std::string::npos);
  EXPECT_NE(staff_view.body().find("withheld (protected)"), std::string::npos);
  auto minor = Request(bhttp::verb::get, "/staff/person?id=100000004", "", specialist);
  EXPECT_NE(minor.body().find("withheld (minor)"), std::string::npos);
  // Signed out, the console shows nothing of anyone.
  auto anon = Request(bhttp::verb::get, "/staff/person?id=100000003");
  EXPECT_EQ(anon.result(), bhttp::status::see_other);
  EXPECT_EQ(anon.body().find("Lucia"), std::string::npos);
}

TEST_F(StaffConsoleTest, ResultsLinkToTheRequestFormAndBadFormsSayWhy) {
  auto page =
      Send(bhttp::verb::get, "/search?given_name=Rosa&family_name=Quintanilla&country_of_birth=GT",
           "", "", "");
  EXPECT_NE(page.body().find("/protect?ref=" + refs_->Encode(1)), std::string::npos);
  auto form = Request(bhttp::verb::get, "/protect?ref=" + refs_->Encode(1) + "&lang=es");
  EXPECT_NE(form.body().find("Pedir que una persona no aparezca"), std::string::npos);
  auto bad = Request(bhttp::verb::post, "/protect", "lang=en&a_number=12&reason=vawa");
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
  EXPECT_NE(bad.body().find("nine digits"), std::string::npos);
  auto no_reason = Request(bhttp::verb::post, "/protect", "lang=en&a_number=100000001");
  EXPECT_EQ(no_reason.result(), bhttp::status::bad_request);
  EXPECT_NE(no_reason.body().find("Choose a reason"), std::string::npos);
  EXPECT_TRUE(Requests().empty());
  // By ref, from a result: recorded against the person, still only queued.
  auto by_ref = Request(bhttp::verb::post, "/protect",
                        "lang=en&ref=" + refs_->Encode(1) + "&reason=asylum&contact=a%40b.org");
  EXPECT_EQ(by_ref.result(), bhttp::status::ok);
  ASSERT_EQ(Requests().size(), 1u);
  EXPECT_EQ(Requests()[0].subject_id, 1);
  EXPECT_EQ(*vault_->Open(Requests()[0].contact_sealed), "a@b.org");
}

TEST_F(StaffConsoleTest, RequestersAreToldTheOutcomeAndNothingMore) {
  // Requests with a contact: for Rosa (confirmed), for Marta (rejected: she
  // is public), for nobody (rejected), and for a minor (rejected: the gate
  // still withholds her, so the answer is the one for nobody).
  ASSERT_TRUE(Import(testutil::CustodyEventLine("M1", "booked", "2026-11-02T00:00:00Z", "ADL",
                                                "100000004", "Nina", "Soto", "[]", "2015-01-01")));
  for (const char* a : {"100000001", "100000002", "999999999", "100000004"}) {
    auto res =
        Request(bhttp::verb::post, "/protect",
                std::string("lang=es&reason=safety&contact=pide%40example.org&a_number=") + a);
    ASSERT_EQ(res.result(), bhttp::status::ok);
  }
  auto reqs = Requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(reqs[0].language, "es");
  const std::string supervisor = SignIn("supervisor");
  const char* decisions[] = {"confirm", "reject", "reject", "reject"};
  for (int i = 0; i < 4; ++i) {
    const std::string page = "/staff/requests/" + std::to_string(reqs[i].request_id);
    ASSERT_EQ(Post(supervisor, page, page + "/decision", std::string("decision=") + decisions[i])
                  .result(),
              bhttp::status::see_other);
  }
  notify::FileChannel files(dir_.File("outcomes"));
  std::vector<std::string> audited;
  notify::ProtectionOutcomes outcomes(
      store_.get(), policy_.get(), vault_.get(), &files, nullptr, &clock_,
      [&](std::string kind, std::optional<int64_t>, std::string detail) {
        audited.push_back(kind + ": " + detail);
      });
  auto told = outcomes.RunOnce();
  ASSERT_TRUE(told);
  EXPECT_EQ(*told, 4);
  EXPECT_EQ(*outcomes.RunOnce(), 0) << "each requester is told once";
  auto read = [&](int64_t request_id) {
    std::ifstream in(dir_.File("outcomes") + "/" + std::to_string(-request_id) + ".txt");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  // In the requester's language; "not listed" for the confirmed one and for
  // nobody alike, "still listed" only for the person the public sees.
  const std::string rosa = read(reqs[0].request_id), marta = read(reqs[1].request_id),
                    nobody = read(reqs[2].request_id), minor = read(reqs[3].request_id);
  EXPECT_NE(rosa.find("no aparece en la búsqueda pública"), std::string::npos) << rosa;
  EXPECT_NE(marta.find("sigue apareciendo"), std::string::npos) << marta;
  EXPECT_NE(nobody.find("no aparece en la búsqueda pública"), std::string::npos) << nobody;
  EXPECT_NE(minor.find("no aparece en la búsqueda pública"), std::string::npos) << minor;
  for (const std::string* text : {&rosa, &marta, &nobody, &minor}) {
    EXPECT_EQ(text->find("Quintanilla"), std::string::npos);
    EXPECT_EQ(text->find("Ixcot"), std::string::npos);
    EXPECT_EQ(text->find("Soto"), std::string::npos);
  }
  EXPECT_EQ(audited.size(), 4u);
  EXPECT_TRUE(Requests()[0].outcome_sent);
}

TEST_F(StaffConsoleTest, ASupervisorBlocksNotificationsWithAReasonAndItIsAudited) {
  const std::string ref = refs_->Encode(1);
  const std::string page = "/staff/person?id=" + ref;
  const std::string specialist = SignIn("specialist");
  EXPECT_EQ(
      Post(specialist, page, "/staff/person/block", "ref=" + ref + "&block=1&reason=x").result(),
      bhttp::status::forbidden);
  const std::string supervisor = SignIn("supervisor");
  EXPECT_EQ(
      Post(supervisor, page, "/staff/person/block", "ref=" + ref + "&block=1&reason=").result(),
      bhttp::status::bad_request);
  EXPECT_EQ(
      Post(supervisor, page, "/staff/person/block", "ref=" + ref + "&block=1&reason=court+order")
          .result(),
      bhttp::status::see_other);
  auto blocked = [&] {
    auto r = store_->BeginRead();
    return *(*r)->controls().IsNotificationBlocked(1);
  };
  EXPECT_TRUE(blocked());
  EXPECT_NE(Request(bhttp::verb::get, page, "", supervisor).body().find("blocked: no one"),
            std::string::npos);
  EXPECT_NE(PublicByANumber("100000001"), PublicByANumber("999999999"));  // still listed
  EXPECT_EQ(Post(supervisor, page, "/staff/person/block", "ref=" + ref + "&block=0").result(),
            bhttp::status::see_other);
  EXPECT_FALSE(blocked());
  auto r = store_->BeginRead();
  auto entries = (*r)->audit().AuditEntriesAfter(0, 1000);
  ASSERT_TRUE(entries);
  int blocks = 0;
  for (const auto& e : *entries) {
    if (e.kind == "block") {
      EXPECT_EQ(e.actor, "staff:supervisor");
      ++blocks;
    }
  }
  EXPECT_EQ(blocks, 2);
}

TEST_F(StaffConsoleTest, ASupervisorStatesTheStatusByHandAndRegistrantsAreTold) {
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store_.get(), *vault_, 1, 2, kNow));
  const std::string ref = refs_->Encode(1);
  const std::string page = "/staff/person?id=" + ref;
  const std::string released =
      "ref=" + ref + "&custody_status=released&effective_at=2026-11-21T09:30:00Z";
  const std::string specialist = SignIn("specialist");
  EXPECT_EQ(Request(bhttp::verb::get, page, "", specialist).body().find("name=\"custody_status\""),
            std::string::npos);  // the form is not offered
  EXPECT_EQ(Post(specialist, page, "/staff/person/override", released + "&reason=bond").result(),
            bhttp::status::forbidden);
  const std::string supervisor = SignIn("supervisor");
  ASSERT_NE(Request(bhttp::verb::get, page, "", supervisor).body().find("name=\"custody_status\""),
            std::string::npos);
  // Each refusal says why and changes nothing.
  auto no_reason = Post(supervisor, page, "/staff/person/override", released + "&reason=");
  EXPECT_EQ(no_reason.result(), bhttp::status::bad_request);
  EXPECT_NE(no_reason.body().find("reason"), std::string::npos);
  auto bad_time = Post(supervisor, page, "/staff/person/override",
                       "ref=" + ref + "&custody_status=released&effective_at=yesterday&reason=x");
  EXPECT_EQ(bad_time.result(), bhttp::status::bad_request);
  EXPECT_NE(bad_time.body().find("In effect since"), std::string::npos);
  auto future =
      Post(supervisor, page, "/staff/person/override",
           "ref=" + ref + "&custody_status=released&effective_at=2026-12-25T00:00:00Z&reason=x");
  EXPECT_EQ(future.result(), bhttp::status::bad_request);
  auto no_status = Post(supervisor, page, "/staff/person/override",
                        "ref=" + ref +
                            "&custody_status=paroled&effective_at=2026-11-21T09:30:00Z"
                            "&reason=x");
  EXPECT_EQ(no_status.result(), bhttp::status::bad_request);
  EXPECT_EQ(Rosa().custody_status, CustodyStatus::kInCustody);
  EXPECT_TRUE(Dispatch().empty());
  // The override itself: the status changes, registrants are told, it is audited.
  auto done = Post(supervisor, page, "/staff/person/override",
                   released + "&reason=released+on+bond%3B+feed+late");
  ASSERT_EQ(done.result(), bhttp::status::see_other) << done.body();
  EXPECT_EQ(Rosa().custody_status, CustodyStatus::kReleased);
  EXPECT_EQ(Rosa().released_at, *ParseRfc3339("2026-11-21T09:30:00Z"));
  auto sent = Dispatch();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent.begin()->second.find("has been released"), std::string::npos);
  // The same status again is refused, saying why.
  auto again =
      Post(supervisor, page, "/staff/person/override",
           "ref=" + ref + "&custody_status=released&effective_at=2026-11-22T10:00:00Z&reason=x");
  EXPECT_EQ(again.result(), bhttp::status::conflict);
  EXPECT_NE(again.body().find("cannot be recorded"), std::string::npos);
  auto r = store_->BeginRead();
  auto entries = (*r)->audit().AuditEntriesAfter(0, 1000);
  ASSERT_TRUE(entries);
  int overrides = 0;
  for (const auto& e : *entries) {
    if (e.kind != "override") continue;
    ++overrides;
    EXPECT_EQ(e.actor, "staff:supervisor");
    EXPECT_EQ(e.subject_id, 1);
    EXPECT_NE(e.detail.find("released effective 2026-11-21T09:30:00Z as vigil-override/ovr-"),
              std::string::npos)
        << e.detail;
    EXPECT_NE(e.detail.find("reason: released on bond; feed late"), std::string::npos);
  }
  EXPECT_EQ(overrides, 1);
}

// Reports are `vigil report`'s, for report:read only; planting protected
// people and minors changes nothing in them, while one more public person
// does (so the comparison can fail).
TEST_F(StaffConsoleTest, ReportsLeaveProtectedPeopleAndMinorsOutAndAreAudited) {
  std::string lines;
  for (int i = 0; i < 12; ++i) {
    lines += testutil::CustodyEventLine("O" + std::to_string(i), "booked", "2026-10-05T00:00:00Z",
                                        "ADL", std::to_string(200000000 + i), "Ana",
                                        "Lopez" + std::string(1, static_cast<char>('a' + i)));
  }
  ASSERT_TRUE(Import(lines));
  const std::string auditor = SignIn("auditor");
  const std::string specialist = SignIn("specialist");
  EXPECT_EQ(Request(bhttp::verb::get, "/staff/reports", "", specialist).result(),
            bhttp::status::forbidden);
  auto form = Request(bhttp::verb::get, "/staff/reports", "", auditor);
  ASSERT_EQ(form.result(), bhttp::status::ok);
  EXPECT_NE(form.body().find("action=\"/staff/reports/report\""), std::string::npos);
  const std::string csv_url = "/staff/reports/report?from=2026-01-01&to=2026-10-31&format=csv";
  auto csv = [&] {
    auto res = Request(bhttp::verb::get, csv_url, "", auditor);
    EXPECT_EQ(res.result(), bhttp::status::ok) << res.body();
    EXPECT_EQ(res[bhttp::field::content_type], "text/csv; charset=utf-8");
    return res.body();
  };
  const std::string before = csv();
  // Twelve bookings in October; every smaller cell is withheld.
  EXPECT_NE(before.find("month,2026-10,suppressed,suppressed,suppressed,suppressed,12\r\n"),
            std::string::npos)
      << before;
  ASSERT_TRUE(Import(testutil::CustodyEventLine("P1", "booked", "2026-10-06T00:00:00Z", "ADL",
                                                "300000001", "Lucia", "Perez", R"(["sec1367"])") +
                     testutil::CustodyEventLine("M1", "booked", "2026-10-06T00:00:00Z", "ADL",
                                                "300000002", "Nina", "Soto", "[]", "2015-01-01")));
  EXPECT_EQ(csv(), before);
  ASSERT_TRUE(Import(testutil::CustodyEventLine("O99", "booked", "2026-10-06T00:00:00Z", "ADL",
                                                "300000003", "Eva", "Ramos")));
  EXPECT_NE(csv(), before);
  EXPECT_EQ(Request(bhttp::verb::get, csv_url, "", specialist).result(), bhttp::status::forbidden);
  auto html =
      Request(bhttp::verb::get, "/staff/reports/report?from=2026-01-01&to=2026-10-31&by=quarter",
              "", auditor);
  ASSERT_EQ(html.result(), bhttp::status::ok);
  EXPECT_NE(html.body().find("<svg"), std::string::npos);
  EXPECT_EQ(html.body().find("Lucia"), std::string::npos);
  EXPECT_EQ(html[bhttp::field::cache_control], "no-store");
  // A period that has not ended, or nonsense, is refused with why.
  auto bad =
      Request(bhttp::verb::get, "/staff/reports/report?from=2026-12-01&to=2026-12-31", "", auditor);
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
  EXPECT_EQ(Request(bhttp::verb::get,
                    "/staff/reports/report?from=2026-01-01&to=2026-10-31&format=xml", "", auditor)
                .result(),
            bhttp::status::bad_request);
  auto r = store_->BeginRead();
  auto entries = (*r)->audit().AuditEntriesAfter(0, 1000);
  ASSERT_TRUE(entries);
  int reports = 0;
  for (const auto& e : *entries) {
    if (e.kind == "report" && e.actor == "staff:auditor") ++reports;
  }
  EXPECT_EQ(reports, 4);
}

}  // namespace
}  // namespace vigil::api::agency_test
