#include "vigil/notify/smtp_channel.h"

#include <gtest/gtest.h>

#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::notify {
namespace {

OutgoingMessage Message(int64_t id) {
  OutgoingMessage m;
  m.notification_id = id;
  m.to = "victim@example.org";
  m.subject = "vigil: Traslado — María García";
  m.body = "María García está bajo custodia.\nLínea 2\n";
  m.language = "es";
  m.unsubscribe_url = "http://127.0.0.1:8080/unsubscribe?token=7.abc";
  return m;
}

TEST(SmtpChannel, ComposesIdempotentHeadersAndOneClickUnsubscribe) {
  SmtpChannel smtp({"smtp://127.0.0.1:1", "alerts@vigil.example.org"});
  OutgoingMessage m = Message(77);
  m.idempotency_key = "vigil-77-2";
  std::string text = smtp.Compose(m);
  EXPECT_NE(text.find("X-Vigil-Idempotency-Key: vigil-77-2\r\n"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <vigil-notification-77@vigil.example.org>\r\n"),
            std::string::npos);
  EXPECT_NE(text.find("List-Unsubscribe: <http://127.0.0.1:8080/unsubscribe?token=7.abc>\r\n"),
            std::string::npos);
  EXPECT_NE(text.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);  // non-ASCII, encoded
  EXPECT_NE(text.find("Content-Transfer-Encoding: base64"), std::string::npos);
  EXPECT_EQ(text.find("María"), std::string::npos);  // no raw 8-bit text on the wire
}

TEST(SmtpChannel, AgainstARealServerAcceptsRetriesAndRefuses) {
  testutil::TempDir dir;
  testutil::SmtpSink sink(VIGIL_PEERS_DIR, dir.path().string());
  ASSERT_TRUE(sink.Start());
  SmtpChannel smtp({sink.url(), "alerts@vigil.example.org"});

  auto sent = smtp.Send(Message(1));
  EXPECT_EQ(sent.outcome, SendOutcome::kSent) << sent.detail;
  auto mail = sink.Messages();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("X-Envelope-To: victim@example.org"), std::string::npos);
  EXPECT_NE(mail[0].find("<vigil-notification-1@vigil.example.org>"), std::string::npos);

  sink.SetReply("451 4.3.0 Try again later");
  auto busy = smtp.Send(Message(2));
  EXPECT_EQ(busy.outcome, SendOutcome::kTemporary);
  EXPECT_NE(busy.detail.find("451"), std::string::npos);

  sink.SetReply("550 5.1.1 No such user");
  auto refused = smtp.Send(Message(3));
  EXPECT_EQ(refused.outcome, SendOutcome::kPermanent);
  EXPECT_EQ(refused.detail.find("victim"), std::string::npos);  // no contact data in the row

  sink.SetReply("");
  sink.Stop();
  EXPECT_EQ(smtp.Send(Message(4)).outcome, SendOutcome::kTemporary);  // outage
  ASSERT_TRUE(sink.Start());
  EXPECT_EQ(smtp.Send(Message(4)).outcome, SendOutcome::kSent);
  EXPECT_EQ(sink.Messages().size(), 2u);
}

// Messages share one connection; a connection the server dropped is
// replaced without losing the message; after a refusal the next message
// starts a fresh session.
TEST(SmtpChannel, ReusesItsConnectionAndRecoversWhenItIsGone) {
  testutil::TempDir dir;
  testutil::SmtpSink sink(VIGIL_PEERS_DIR, dir.path().string());
  ASSERT_TRUE(sink.Start());
  SmtpChannel smtp({sink.url(), "alerts@vigil.example.org"});
  for (int i = 1; i <= 5; ++i) {
    auto sent = smtp.Send(Message(i));
    ASSERT_EQ(sent.outcome, SendOutcome::kSent) << sent.detail;
  }
  EXPECT_EQ(sink.Messages().size(), 5u);
  EXPECT_EQ(sink.Sessions(), 1) << "five messages, one SMTP session";

  sink.Stop();  // the server goes away with the idle connection
  ASSERT_TRUE(sink.Start());
  // The kept connection is dead: this send fails (temporary) or reconnects;
  // either way the one after it goes out on a new session.
  auto first = smtp.Send(Message(6));
  EXPECT_NE(first.outcome, SendOutcome::kPermanent) << first.detail;
  auto second = smtp.Send(Message(7));
  EXPECT_EQ(second.outcome, SendOutcome::kSent) << second.detail;
  EXPECT_EQ(sink.Sessions(), 2);

  sink.SetReply("451 4.3.0 Try again later");
  EXPECT_EQ(smtp.Send(Message(8)).outcome, SendOutcome::kTemporary);
  sink.SetReply("");
  EXPECT_EQ(smtp.Send(Message(9)).outcome, SendOutcome::kSent);
  EXPECT_EQ(sink.Sessions(), 3) << "a refusal ends the connection it came on";
}

}  // namespace
}  // namespace vigil::notify
