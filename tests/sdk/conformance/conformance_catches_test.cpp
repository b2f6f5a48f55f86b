// The conformance suite fails the checks a defective plugin breaks and passes the others:
// it runs lax_channel (a plugin with one defect per check) and reads GoogleTest's verdicts.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace {

std::string run_lax_suite() {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(LAX_CONFORMANCE_PATH " 2>&1", "r"), pclose);
  if (!pipe) return {};
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr)
    out += buffer.data();
  return out;
}

const std::string& output() {
  static const std::string out = run_lax_suite();
  return out;
}

bool verdict(const std::string& check, const char* how) {
  return output().find(std::string(how) + " ChannelConformance/Lax." + check) != std::string::npos;
}

TEST(ConformanceSuite, FailsEachCheckTheLaxPluginBreaks) {
  for (const char* check :
       {"OptionTableMarksSecrets", "NoSecretReachesALogLine", "RepliesAreTheProviders",
        "ForgedSignatureIsRefused", "AmountChangedAfterSigningIsRefused",
        "MalformedBodiesAreRefused", "HugeBodiesAreRefused", "DeeplyNestedBodiesAreRefused",
        "ForeignAppIsNeverReportedAsOurs", "ProviderFaultsAreUnknownNeverFailed",
        "DeclaredCapabilitiesWorkAndOthersRefuse"}) {
    EXPECT_TRUE(verdict(check, "[  FAILED  ]")) << check << " did not fail:\n" << output();
  }
}

TEST(ConformanceSuite, PassesTheChecksTheLaxPluginKeeps) {
  for (const char* check : {"ChannelsAreDeclared", "EveryChannelCreatesACredentialThatSerialises",
                            "OptionTableIsWellFormed", "OptionTableRefusesUnknownKeys",
                            "OptionTableNamesMissingRequiredKeys", "ValidNotificationIsAccepted",
                            "UnknownOrderIsReportedAsItIs", "ReplayReportsTheSameTrade",
                            "SixteenThreadsCreateAtOnce"}) {
    EXPECT_TRUE(verdict(check, "[       OK ]")) << check << " did not pass:\n" << output();
  }
}

}  // namespace
