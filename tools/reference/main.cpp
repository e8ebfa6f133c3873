// leadsync-reference: writes the reference pages and the bash completion at
// build time, from the command line definition `leadsync` itself parses
// with and from docs/configuration.md (tools/CMakeLists.txt runs it).
//
//   leadsync-reference man1 OUT              leadsync(1)
//   leadsync-reference man5 CONFIG_MD OUT    leadsync.yaml(5)
//   leadsync-reference completion OUT        bash completion
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tools/reference/bash_completion.hpp"
#include "tools/reference/cli_man_page.hpp"
#include "tools/reference/cli_tree.hpp"
#include "tools/reference/markdown_man_page.hpp"

namespace {

using namespace leadsync::reference;

constexpr const char* kUsage =
    "usage: leadsync-reference man1 OUT | man5 CONFIGURATION_MD OUT | completion OUT\n";

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

ManHeader ConfigurationHeader() {
  return ManHeader{"leadsync.yaml",
                   5,
                   std::string("leadsync ") + LEADSYNC_VERSION,
                   "File Formats",
                   "configuration file of leadsync(1)",
                   "\\fBleadsync\\fR(1); /usr/share/doc/leadsync/docs/configuration.md, the same text "
                   "with its links; /usr/share/leadsync/leadsync.example.yaml"};
}

int Generate(const std::string& what, int argc, char** argv) {
  if (what == "man1" && argc == 3) {
    Write(argv[2], CliManPage(LeadsyncCommands(), LEADSYNC_VERSION));
  } else if (what == "man5" && argc == 4) {
    Write(argv[3], MarkdownManPage(Read(argv[2]), ConfigurationHeader()));
  } else if (what == "completion" && argc == 3) {
    Write(argv[2], BashCompletion(LeadsyncCommands()));
  } else {
    std::cerr << kUsage;
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    return Generate(argv[1], argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "leadsync-reference: " << e.what() << "\n";
    return 1;
  }
}
