#include "vigil/notify/twilio_channel.h"

#include <gtest/gtest.h>

namespace vigil::notify {
namespace {

// The example of Twilio's security documentation ("Validating Requests are
// coming from Twilio"): its URL, POST parameters and auth token give the
// signature it shows.
TEST(TwilioSignature, MatchesTwiliosDocumentedExample) {
  std::map<std::string, std::string> params = {
      {"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"}, {"Digits", "1234"},
      {"From", "+12349013030"},         {"To", "+18005551212"},
  };
  EXPECT_EQ(TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  // Any change to the URL, a parameter or the token changes it.
  EXPECT_NE(TwilioSignature("12346", "https://mycompany.com/myapp.php?foo=1&bar=2", params),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  params["Digits"] = "1235";
  EXPECT_NE(TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

}  // namespace
}  // namespace vigil::notify
