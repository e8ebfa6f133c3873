#include "config/text_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/temp_dir.hpp"

namespace leadsync::config {
namespace {

TEST(TextFile, ReadsARegularFile) {
  const testing::TempDir dir;
  testing::WriteFile(dir / "secret", "s3cret\n");
  const TextFile file = ReadTextFile(dir / "secret");
  EXPECT_EQ(file.content, "s3cret\n");
}

TEST(TextFile, AFifoIsAnErrorAtOnceNotAHang) {
  const testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  const TextFile file = ReadTextFile(dir / "fifo");
  EXPECT_FALSE(file.content);
  EXPECT_EQ(file.error, "not a regular file (a FIFO)");
}

TEST(TextFile, DevicesAndDirectoriesAreErrors) {
  const testing::TempDir dir;
  EXPECT_EQ(ReadTextFile("/dev/zero").error, "not a regular file (a device)");
  EXPECT_EQ(ReadTextFile(dir.path()).error, "Is a directory");
  EXPECT_EQ(ReadTextFile(dir / "missing").error, "No such file or directory");
}

TEST(TextFile, ALargerFileIsAnError) {
  const testing::TempDir dir;
  testing::WriteFile(dir / "big", std::string(std::size_t{1024} * 1024 + 1, 'x'));
  EXPECT_EQ(ReadTextFile(dir / "big").error, "larger than 1024 KiB");
  testing::WriteFile(dir / "fits", std::string(std::size_t{1024} * 1024, 'x'));
  EXPECT_TRUE(ReadTextFile(dir / "fits").content);
}

}  // namespace
}  // namespace leadsync::config
