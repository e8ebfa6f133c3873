// A realistic CRM export (tests/data/realistic_export.csv: 40 columns, a
// UTF-8 BOM and CRLF line ends, local dd/mm/yyyy dates, Yes/No columns,
// phones in many spellings, an id and a hash to drop, empty cells, a
// campaign set by `constants`) mapped through the real binary, checked
// against the exact values LeadSquared expects. Each path that ingests it
// compares what it produced with ExpectedLeads(): `enqueue --dry-run` (the
// API bodies), the spool source into the sandbox, and the webhook (the
// export's rows posted as JSON objects of the same columns, as a form
// handler would send them) into the sandbox.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <sstream>

#include "core/lead.hpp"
#include "tests/support/http.hpp"
#include "tests/support/sandbox_view.hpp"
#include "tests/support/source_stack.hpp"
#include "tests/support/stack.hpp"
#include "tests/support/webhook_stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::seconds;

const fs::path kExport = fs::path(LEADSYNC_SOURCE_DIR) / "tests/data/realistic_export.csv";

// The source's mapping, as a user would write it for this export.
std::string MappingKeys(std::string_view empty = "skip") {
  return "    empty: " + std::string(empty) +
         "\n"
         "    fields:\n"
         "      Lead ID: drop\n"
         "      Row Hash: drop\n"
         "      First Name: FirstName\n"
         "      Last Name: LastName\n"
         "      Email: EmailAddress\n"
         "      Mobile: { to: Phone, type: phone, country: \"+91\" }\n"
         "      Alternate Number: { to: Mobile, type: phone, country: \"+91\" }\n"
         "      Designation: JobTitle\n"
         "      Pincode: ZipCode\n"
         "      Lead Source: Source\n"
         "      Created On: { to: mx_Created_On, type: datetime, format: \"%d/%m/%Y %H:%M\", "
         "timezone: Asia/Kolkata }\n"
         "      Last Activity On: { to: mx_Last_Activity_On, type: datetime, format: \"%d/%m/%Y %I:%M %p\", "
         "timezone: Asia/Kolkata }\n"
         "      Date of Birth: { to: mx_Date_Of_Birth, type: date, format: \"%d/%m/%y\" }\n"
         "      Follow Up Date: { to: mx_Follow_Up_Date, type: date, format: \"%d/%m/%Y\" }\n"
         "      Newsletter: { to: mx_Newsletter, type: boolean }\n"
         "      WhatsApp Opt In: { to: mx_WhatsApp_Opt_In, type: boolean }\n"
         "      Do Not Call: { to: DoNotCall, type: boolean }\n"
         "      Annual Income: { to: mx_Annual_Income, type: number }\n"
         "      Budget: { to: mx_Budget, type: number }\n"
         "      Lead Score: { to: Score, type: number }\n"
         "      Course Interest: mx_Course_Interest\n"
         "      Preferred Campus: mx_Preferred_Campus\n"
         "      Owner Email: OwnerIdEmailAddress\n"
         "      Stage: ProspectStage\n"
         "      Remarks: Notes\n"
         "      LinkedIn Profile: LinkedIn\n"
         "      Gender: mx_Gender\n"
         "      Highest Qualification: mx_Highest_Qualification\n"
         "      Work Experience (Years): { to: mx_Work_Experience, type: number }\n"
         "      Referral Code: mx_Referral_Code\n"
         "      UTM Source: mx_UTM_Source\n"
         "      UTM Medium: mx_UTM_Medium\n"
         "      Campaign: SourceCampaign\n"
         "      KYC Status: mx_KYC.Status\n"
         "      KYC Verified On: { to: mx_KYC.Verified_On, type: date, format: \"%d/%m/%Y\" }\n"
         "    constants:\n"
         "      SourceCampaign: Diwali Admissions 2024\n"
         "      mx_Import_Batch: crm-2024-12\n";
}

// Also makes the spool directory, which `check` and `run` require.
std::string SpoolSource(const TempDir& dir, std::string_view empty = "skip") {
  fs::create_directories(dir / "spool");
  return "  - name: crm\n    type: spool\n    path: " + (dir / "spool").string() + "\n" + MappingKeys(empty);
}

// The leads LeadSquared should receive, keyed as the sandbox keys them (the
// lower-cased e-mail, else the phone's + and digits), custom fields as
// "Set.Field". Every
// attribute is listed: an empty cell or a dropped column has none.
std::map<std::string, LeadView> ExpectedLeads() {
  const LeadView common{
      {"Country", "India"}, {"mx_Import_Batch", "crm-2024-12"}, {"SourceCampaign", "Diwali Admissions 2024"}};
  auto with_common = [&](LeadView lead) {
    for (const auto& [name, value] : common) lead.emplace(name, value);  // a lead's own value wins
    return lead;
  };
  std::map<std::string, LeadView> leads;
  leads["aarav.sharma@example.com"] = with_common({
      {"FirstName", "Aarav"},
      {"LastName", "Sharma"},
      {"EmailAddress", "aarav.sharma@example.com"},
      {"Phone", "+91-9876543210"},  // +91 98765 43210
      {"Company", "Infosys"},
      {"JobTitle", "Software Engineer"},
      {"City", "Bengaluru"},
      {"State", "Karnataka"},
      {"ZipCode", "560001"},
      {"Source", "Website"},
      {"mx_Created_On", "2024-03-05 04:45:00"},        // 05/03/2024 10:15 IST
      {"mx_Last_Activity_On", "2024-03-06 09:00:00"},  // 06/03/2024 02:30 PM IST
      {"mx_Date_Of_Birth", "1999-08-15"},              // 15/08/99
      {"mx_Follow_Up_Date", "2024-03-20"},
      {"mx_Newsletter", "true"},           // Yes
      {"mx_WhatsApp_Opt_In", "true"},      // Y
      {"DoNotCall", "false"},              // FALSE
      {"mx_Annual_Income", "1250000.00"},  // 12,50,000.00
      {"mx_Budget", "1500000"},            // 15,00,000
      {"Score", "42"},
      {"mx_Course_Interest", "MBA"},
      {"mx_Preferred_Campus", "Bengaluru"},
      {"OwnerIdEmailAddress", "owner1@example.com"},
      {"ProspectStage", "Prospect"},
      {"Notes", "Called twice, asked for the \"brochure\""},
      {"Website", "https://aarav.example.com"},
      {"LinkedIn", "https://www.linkedin.com/in/aarav-sharma"},
      {"mx_Gender", "Male"},
      {"mx_Highest_Qualification", "B.Tech"},
      {"mx_Work_Experience", "3.5"},
      {"mx_Referral_Code", "REF-001"},
      {"mx_UTM_Source", "google"},
      {"mx_UTM_Medium", "cpc"},
      {"mx_KYC.Status", "Verified"},
      {"mx_KYC.Verified_On", "2024-02-01"},
  });
  leads["diya.patel@example.com"] = with_common({
      {"FirstName", "Diya"},
      {"LastName", "Patel"},
      {"EmailAddress", "Diya.Patel@Example.com"},
      {"Phone", "+91-9876543211"},   // 098765 43211
      {"Mobile", "+91-2223456789"},  // (022) 2345-6789
      {"City", "Mumbai"},
      {"State", "Maharashtra"},
      {"ZipCode", "400001"},
      {"Source", "Referral"},
      {"mx_Created_On", "2023-12-31 21:30:00"},  // 01/01/2024 03:00 IST: the day before in UTC
      {"mx_Date_Of_Birth", "2001-11-02"},        // 02/11/01
      {"mx_Newsletter", "false"},
      {"mx_WhatsApp_Opt_In", "false"},
      {"DoNotCall", "true"},
      {"mx_Course_Interest", "PGDM"},
      {"mx_Preferred_Campus", "Mumbai"},
      {"OwnerIdEmailAddress", "owner2@example.com"},
      {"ProspectStage", "Lead"},
      {"mx_Gender", "Female"},
      {"mx_Highest_Qualification", "M.Com"},
      {"SourceCampaign", "Spring Fair"},  // its own campaign, not the constant
  });
  leads["kabir.singh@example.com"] = with_common({
      {"FirstName", "Kabir"},
      {"LastName", "Singh"},
      {"EmailAddress", "kabir.singh@example.com"},
      {"Phone", "+91-9876543212"},  // 98765-43212
      {"Company", "Tata Motors"},
      {"JobTitle", "Analyst"},
      {"City", "Pune"},
      {"State", "Maharashtra"},
      {"ZipCode", "411001"},
      {"Source", "Google Ads"},
      {"mx_Created_On", "2024-02-29 18:15:00"},        // 29/02/2024 23:45 IST
      {"mx_Last_Activity_On", "2024-02-29 18:35:00"},  // 01/03/2024 12:05 AM IST
      {"mx_Date_Of_Birth", "1995-04-23"},
      {"mx_Newsletter", "true"},       // yes
      {"mx_WhatsApp_Opt_In", "true"},  // y
      {"DoNotCall", "false"},          // 0
      {"mx_Annual_Income", "980000"},  // 9,80,000
      {"mx_Budget", "800000.50"},      // 8,00,000.50
      {"Score", "7"},
      {"mx_Course_Interest", "Data Science"},
      {"mx_Preferred_Campus", "Pune"},
      {"OwnerIdEmailAddress", "owner1@example.com"},
      {"ProspectStage", "Prospect"},
      {"mx_Gender", "Male"},
      {"mx_Highest_Qualification", "B.Sc"},
      {"mx_Work_Experience", "1"},
      {"mx_UTM_Source", "facebook"},
      {"mx_UTM_Medium", "social"},
      {"mx_KYC.Status", "Pending"},
  });
  leads["meera.iyer@example.com"] = with_common({
      {"FirstName", "Meera"},
      {"LastName", "Iyer"},
      {"EmailAddress", "meera.iyer@example.com"},
      {"Phone", "+91-9876543213"},  // 0091 98765 43213
      {"Company", "Zoho"},
      {"JobTitle", "Product Manager"},
      {"City", "Chennai"},
      {"State", "Tamil Nadu"},
      {"ZipCode", "600001"},
      {"Source", "Website"},
      {"mx_Created_On", "2024-10-31 03:35:00"},        // 31/10/2024 09:05 IST
      {"mx_Last_Activity_On", "2024-10-31 18:29:00"},  // 31/10/2024 11:59 PM IST
      {"mx_Date_Of_Birth", "1988-07-07"},
      {"mx_Follow_Up_Date", "2024-11-15"},
      {"mx_Newsletter", "false"},       // NO
      {"mx_WhatsApp_Opt_In", "false"},  // N
      {"DoNotCall", "true"},            // 1
      {"mx_Annual_Income", "2400000"},
      {"Score", "88"},
      {"mx_Course_Interest", "MBA"},
      {"mx_Preferred_Campus", "Chennai"},
      {"OwnerIdEmailAddress", "owner3@example.com"},
      {"ProspectStage", "Opportunity"},
      {"Notes", "Wants weekend batch"},
      {"LinkedIn", "https://www.linkedin.com/in/meera-iyer"},
      {"mx_Gender", "Female"},
      {"mx_Highest_Qualification", "MBA"},
      {"mx_Work_Experience", "8"},
      {"mx_Referral_Code", "REF-017"},
      {"mx_UTM_Source", "newsletter"},
      {"mx_UTM_Medium", "email"},
      {"mx_KYC.Status", "Verified"},
      {"mx_KYC.Verified_On", "2024-10-30"},
  });
  leads["rohan.gupta@example.com"] = with_common({
      {"FirstName", "Rohan"},
      {"LastName", "Gupta"},
      {"EmailAddress", "rohan.gupta@example.com"},
      {"Phone", "+91-9876543214"},   // 919876543214
      {"Mobile", "+91-9876543215"},  // 98765 43215 ext. 21
      {"Company", "HDFC Bank"},
      {"JobTitle", "Relationship Manager"},
      {"City", "New Delhi"},
      {"State", "Delhi"},
      {"ZipCode", "110001"},
      {"Source", "Walk-in"},
      {"mx_Created_On", "2024-06-15 13:00:00"},  // 15/06/2024 18:30 IST
      {"mx_Newsletter", "true"},
      {"DoNotCall", "true"},  // true
      {"mx_Annual_Income", "720000"},
      {"mx_Budget", "500000"},
      {"mx_Course_Interest", "Finance"},
      {"mx_Preferred_Campus", "Delhi"},
      {"OwnerIdEmailAddress", "owner2@example.com"},
      {"ProspectStage", "Lead"},
      {"mx_Highest_Qualification", "B.Com"},
      {"mx_Work_Experience", "2.0"},
  });
  leads["+919876543216"] = with_common({
      {"FirstName", "Sneha"},
      {"LastName", "Reddy"},
      {"Phone", "+91-9876543216"},  // +91 98765 43216; no e-mail: the phone is the key
      {"City", "Hyderabad"},
      {"State", "Telangana"},
      {"ZipCode", "500001"},
      {"Source", "Facebook"},
      {"mx_Created_On", "2024-12-10 01:30:00"},  // 10/12/2024 07:00 IST
      {"mx_Newsletter", "false"},
      {"mx_WhatsApp_Opt_In", "true"},
      {"mx_Course_Interest", "MBA"},
      {"mx_Preferred_Campus", "Hyderabad"},
      {"ProspectStage", "Lead"},
      {"mx_Gender", "Female"},
      {"mx_UTM_Source", "facebook"},
      {"mx_UTM_Medium", "paid"},
  });
  return leads;
}

// The leads of `enqueue --dry-run`'s API bodies (one JSON array a line),
// keyed and flattened as ExpectedLeads() is.
std::map<std::string, LeadView> LeadsOfBodies(const std::string& out) {
  std::map<std::string, LeadView> leads;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const json::value body = json::parse(line);
    for (const json::value& record : body.as_array()) {
      LeadView lead;
      for (const json::value& pair : record.as_array()) {
        const std::string name(pair.at("Attribute").as_string());
        if (const json::value* fields = pair.as_object().if_contains("Fields")) {
          for (const json::value& field : fields->as_array()) {
            lead[name + "." + std::string(field.at("Attribute").as_string())] = field.at("Value").as_string();
          }
        } else {
          lead[name] = pair.at("Value").as_string();
        }
      }
      leads[lead.contains("EmailAddress") ? NormaliseEmail(lead["EmailAddress"])
                                          : NormalisePhone(lead["Phone"])] = lead;
    }
  }
  return leads;
}

void ExpectLeads(const std::map<std::string, LeadView>& actual,
                 const std::map<std::string, LeadView>& expected) {
  for (const auto& [key, lead] : expected) {
    const auto found = actual.find(key);
    ASSERT_NE(found, actual.end()) << "no lead " << key;
    for (const auto& [name, value] : lead) {
      const auto got = found->second.find(name);
      EXPECT_TRUE(got != found->second.end() && got->second == value)
          << key << " " << name << ": expected '" << value << "', got "
          << (got == found->second.end() ? "nothing" : "'" + got->second + "'");
    }
    for (const auto& [name, value] : found->second) {
      EXPECT_TRUE(lead.contains(name))
          << key << " has " << name << " = '" << value << "', which was not expected";
    }
  }
  EXPECT_EQ(actual.size(), expected.size());
}

TEST(RealisticExport, EnqueueDryRunSendsWhatLeadSquaredExpects) {
  TempDir dir;
  const auto config = WriteSourcesConfig(dir, {.sources = SpoolSource(dir)});
  ASSERT_EQ(Leadsync({"check", "-c", config.string()}).exit_code, 0);
  const RunResult result =
      Leadsync({"enqueue", "-c", config.string(), "--source", "crm", "--dry-run", kExport.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectLeads(LeadsOfBodies(result.out), ExpectedLeads());
}

TEST(RealisticExport, WithEmptyClearTheEmptyCellsAreSentEmpty) {
  TempDir dir;
  const auto config = WriteSourcesConfig(dir, {.sources = SpoolSource(dir, "clear")});
  const RunResult result =
      Leadsync({"enqueue", "-c", config.string(), "--source", "crm", "--dry-run", kExport.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::map<std::string, LeadView> leads = LeadsOfBodies(result.out);
  const LeadView& diya = leads.at("diya.patel@example.com");
  EXPECT_EQ(diya.at("Company"), "");           // an empty cell clears the field
  EXPECT_EQ(diya.at("mx_Annual_Income"), "");  // and is not converted
  EXPECT_EQ(diya.at("mx_Last_Activity_On"), "");
  EXPECT_EQ(diya.at("mx_KYC.Status"), "");
  EXPECT_EQ(diya.at("SourceCampaign"), "Spring Fair");
  EXPECT_EQ(leads.at("aarav.sharma@example.com").at("SourceCampaign"), "Diwali Admissions 2024")
      << "a constant fills an empty cell";
  EXPECT_FALSE(diya.contains("Lead ID")) << "dropped whatever `empty` says";
}

TEST(RealisticExport, ABadValueRejectsItsRecordWithFileLineColumnAndValue) {
  TempDir dir;
  const auto config = WriteSourcesConfig(dir, {.sources = SpoolSource(dir)});
  std::string text = ReadFile(kExport);
  const std::size_t at = text.find("29/02/2024 23:45");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 16, "30/02/2024 23:45");  // the fourth line's Created On: no such day
  WriteFile(dir / "bad.csv", text);
  const RunResult result = Leadsync(
      {"enqueue", "-c", config.string(), "--source", "crm", "--dry-run", (dir / "bad.csv").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(
      result.err.find("bad.csv:4: field 'Created On': '30/02/2024 23:45' is not a date and time in the form "
                      "'%d/%m/%Y %H:%M'"),
      std::string::npos)
      << result.err;
  std::map<std::string, LeadView> expected = ExpectedLeads();
  expected.erase("kabir.singh@example.com");
  ExpectLeads(LeadsOfBodies(result.out), expected);
}

TEST(RealisticExport, TheSpoolSourceDeliversWhatLeadSquaredExpects) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "1000/1"});
  fs::create_directories(dir / "spool");
  const auto config = WriteSourcesConfig(dir, {.api_host = sandbox.url(), .sources = SpoolSource(dir)});
  auto daemon = StartDaemon(config);
  WriteFile(dir / "spool" / ".export.csv", ReadFile(kExport));
  fs::rename(dir / "spool" / ".export.csv", dir / "spool" / "export.csv");
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == 6; }, seconds(30)))
      << daemon->Stderr();
  ExpectLeads(SandboxLeads(sandbox.port()), ExpectedLeads());
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

// The export's rows as JSON objects of their non-empty cells, by header:
// what a web form posting the same columns sends. RFC 4180 quoting; the
// BOM and CR line ends are dropped.
json::array RowsAsJson(std::string text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
      rows.back().back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == ',') {
      rows.back().emplace_back();
    } else if (!quoted && c == '\n') {
      rows.emplace_back(1);
    } else if (quoted || c != '\r') {
      rows.back().back() += c;
    }
  }
  json::array out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() < rows[0].size()) continue;  // the empty last line
    json::object lead;
    for (std::size_t c = 0; c < rows[0].size(); ++c)
      if (!rows[r][c].empty()) lead[rows[0][c]] = rows[r][c];
    out.push_back(std::move(lead));
  }
  return out;
}

TEST(RealisticExport, TheWebhookDeliversWhatLeadSquaredExpects) {
  TempDir dir;
  SandboxProcess sandbox({"--rate-limit", "1000/1"});
  WriteSecretFile(dir / "webhook.token", std::string(kWebhookToken) + "\n");
  const std::string webhook =
      "  - name: forms\n    type: webhook\n    listen: 127.0.0.1:0\n    token_file: " +
      (dir / "webhook.token").string() + "\n" + MappingKeys();
  const auto config = WriteSourcesConfig(dir, {.api_host = sandbox.url(), .sources = webhook});
  auto daemon = StartDaemon(config);
  std::string log;
  const std::uint16_t port = WebhookPort(*daemon, log);
  ASSERT_NE(port, 0) << log;
  const json::array rows = RowsAsJson(ReadFile(kExport));
  ASSERT_EQ(rows.size(), ExpectedLeads().size());
  const HttpResult posted = HttpRequest(port, "POST", "/v1/leads", json::serialize(rows),
                                        {{"Authorization", std::string("Bearer ") + kWebhookToken}});
  ASSERT_EQ(posted.status, 202) << posted.body;
  ASSERT_TRUE(WaitFor([&] { return SandboxLeads(sandbox.port()).size() == rows.size(); }, seconds(30)))
      << daemon->Stderr();
  ExpectLeads(SandboxLeads(sandbox.port()), ExpectedLeads());
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(seconds(20)), 0) << daemon->Stderr();
}

}  // namespace
}  // namespace leadsync::testing
