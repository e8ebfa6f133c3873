#include "daemon/commands.hpp"

int main(int argc, char** argv) { return leadsync::daemon::Main(argc, argv); }
