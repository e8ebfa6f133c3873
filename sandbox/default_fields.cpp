#include "sandbox/default_fields.hpp"

namespace leadsync {

// Written the way accounts answer: MaxLength as a string, Options as
// objects with Value and Text.
std::string_view DefaultSandboxFields() {
  return R"json([
{"SchemaName":"ProspectID","DisplayName":"Prospect ID","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"FirstName","DisplayName":"First Name","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"LastName","DisplayName":"Last Name","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"EmailAddress","DisplayName":"Email Address","DataType":"Email","IsMandatory":false,"MaxLength":"100"},
{"SchemaName":"Phone","DisplayName":"Phone","DataType":"Phone","IsMandatory":false,"MaxLength":"50"},
{"SchemaName":"Mobile","DisplayName":"Mobile","DataType":"Phone","IsMandatory":false,"MaxLength":"50"},
{"SchemaName":"Company","DisplayName":"Company","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"JobTitle","DisplayName":"Job Title","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Website","DisplayName":"Website","DataType":"Website","IsMandatory":false,"MaxLength":"250"},
{"SchemaName":"Source","DisplayName":"Source","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"SourceMedium","DisplayName":"Source Medium","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"SourceCampaign","DisplayName":"Source Campaign","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"SourceContent","DisplayName":"Source Content","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"SourceReferrerURL","DisplayName":"Source Referrer URL","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Notes","DisplayName":"Notes","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"City","DisplayName":"City","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"State","DisplayName":"State","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Country","DisplayName":"Country","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"ZipCode","DisplayName":"Zip Code","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Address","DisplayName":"Address","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"ProspectStage","DisplayName":"Prospect Stage","DataType":"Select","IsMandatory":false,"MaxLength":"200","Options":[{"Value":"Prospect","Text":"Prospect"},{"Value":"Opportunity","Text":"Opportunity"},{"Value":"Customer","Text":"Customer"}]},
{"SchemaName":"Score","DisplayName":"Score","DataType":"Number","IsMandatory":false},
{"SchemaName":"EngagementScore","DisplayName":"Engagement Score","DataType":"Number","IsMandatory":false},
{"SchemaName":"QualityScore01","DisplayName":"Quality Score01","DataType":"Number","IsMandatory":false},
{"SchemaName":"OwnerId","DisplayName":"Owner Id","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"OwnerIdEmailAddress","DisplayName":"Owner Id Email Address","DataType":"Email","IsMandatory":false,"MaxLength":"100"},
{"SchemaName":"DoNotEmail","DisplayName":"Do Not Email","DataType":"Boolean","IsMandatory":false},
{"SchemaName":"DoNotCall","DisplayName":"Do Not Call","DataType":"Boolean","IsMandatory":false},
{"SchemaName":"DoNotSMS","DisplayName":"Do Not SMS","DataType":"Boolean","IsMandatory":false},
{"SchemaName":"DoNotTrack","DisplayName":"Do Not Track","DataType":"Boolean","IsMandatory":false},
{"SchemaName":"TimeZone","DisplayName":"Time Zone","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Origin","DisplayName":"Origin","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Revenue","DisplayName":"Revenue","DataType":"Number","IsMandatory":false},
{"SchemaName":"Groups","DisplayName":"Groups","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Twitter","DisplayName":"Twitter","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Facebook","DisplayName":"Facebook","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"LinkedIn","DisplayName":"Linked In","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Skype","DisplayName":"Skype","DataType":"Text","IsMandatory":false,"MaxLength":"200"},
{"SchemaName":"Fax","DisplayName":"Fax","DataType":"Phone","IsMandatory":false,"MaxLength":"50"},
{"SchemaName":"mx_City","DisplayName":"City (custom)","DataType":"Text","IsMandatory":false,"MaxLength":"100"},
{"SchemaName":"mx_Course_Interest","DisplayName":"Course Interest","DataType":"Select","IsMandatory":false,"MaxLength":"200","Options":[{"Value":"MBA","Text":"MBA"},{"Value":"PGDM","Text":"PGDM"},{"Value":"BBA","Text":"BBA"}]},
{"SchemaName":"mx_Referral_Code","DisplayName":"Referral Code","DataType":"Text","IsMandatory":false,"MaxLength":"12"},
{"SchemaName":"mx_Signup_Date","DisplayName":"Signup Date","DataType":"Date","IsMandatory":false},
{"SchemaName":"mx_Annual_Income","DisplayName":"Annual Income","DataType":"Number","IsMandatory":false}
])json";
}

}  // namespace leadsync
