#include "core/sources/spool_directory.hpp"

#include <gtest/gtest.h>
#include <linux/limits.h>

namespace leadsync {
namespace {

TEST(RetiredName, IsTheNameThenNumbered) {
  EXPECT_EQ(RetiredName("a.csv", 0), "a.csv");
  EXPECT_EQ(RetiredName("a.csv", 1), "a.csv.1");
  EXPECT_EQ(RetiredName("a.csv", 12), "a.csv.12");
}

TEST(RetiredName, LongNamesAreShortenedToFitWithAHashSuffix) {
  const std::string longest(NAME_MAX, 'x');
  EXPECT_EQ(RetiredName(longest, 0), longest);
  const std::string first = RetiredName(longest, 1);
  const std::string second = RetiredName(longest, 2);
  EXPECT_EQ(first.size(), std::size_t{NAME_MAX});
  EXPECT_NE(first, second);
  EXPECT_TRUE(first.ends_with(".1"));
  EXPECT_NE(RetiredName(std::string(NAME_MAX - 1, 'x') + "y", 1), first) << "the suffix tells names apart";
}

TEST(RetiredName, NeverCutsAUtf8Sequence) {
  std::string name;
  while (name.size() < NAME_MAX - 1) name += "\xC3\xA9";  // é
  const std::string shortened = RetiredName(name, 1);
  EXPECT_LE(shortened.size(), std::size_t{NAME_MAX});
  const std::size_t tilde = shortened.find('~');
  ASSERT_NE(tilde, std::string::npos);
  EXPECT_EQ(tilde % 2, 0u) << "whole two-byte characters before the suffix";
}

}  // namespace
}  // namespace leadsync
