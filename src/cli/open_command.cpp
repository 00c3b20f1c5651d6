// `heapwise open`: loads snapshots once and serves the explorer page on
// them until Ctrl-C (server/explorer_server.h).
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/arguments.h"
#include "cli/command.h"
#include "explore/snapshot_set.h"
#include "live/interrupt.h"
#include "server/explorer_server.h"

extern char** environ;

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "Loads the snapshots once and serves a page to explore them in a browser:\n"
    "the class Summary with its instances, any object with its edges, retainers\n"
    "and dominators, the dominator tree, Statistics, strings, and with two or\n"
    "more files the Comparison, with three or more the leak report. The server\n"
    "holds the analysed graph and answers small requests, so the page stays\n"
    "fast whatever the file's size.\n"
    "It listens on 127.0.0.1 (a free port unless --listen says otherwise) and\n"
    "prints the page's URL, which carries a random access token: requests\n"
    "without it are refused (docs/explorer.md). With a display it opens the\n"
    "page in the browser (xdg-open) through a file only you can read, so the\n"
    "token never appears in a command line. It serves until Ctrl-C.\n";

const std::vector<OptionSpec> kOptions = {
    {"--listen", "[HOST:]PORT", "where to serve (default 127.0.0.1:0, a free port)"},
    {"--no-browser", "", "print the URL only; do not open a browser"},
    no_cache_option(),
};

const char kNotes[] =
    "Exit codes: 0 stopped by Ctrl-C, 2 bad options, 3 a file failed to load\n"
    "(nothing is served), 4 the address cannot be listened on.\n";

// Opens `url` in the user's browser when there is a display: through a
// 0600 file that redirects to it, as Jupyter does, since a URL on xdg-open's
// command line would show the token to every local user (/proc/PID/cmdline).
void open_browser(const std::string& url) {
  if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string path = std::string(runtime && *runtime ? runtime : "/tmp") + "/heapwise-open-XXXXXX.html";
  const int fd = mkstemps(path.data(), 5);  // mode 0600
  if (fd < 0) return;
  const std::string html = "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=" + url + "\"><a href=\"" +
                           url + "\">heapwise explorer</a>\n";
  const bool written = write(fd, html.data(), html.size()) == static_cast<ssize_t>(html.size());
  close(fd);
  if (!written) return;
  char* argv[] = {const_cast<char*>("xdg-open"), path.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ) != 0)
    std::cerr << "heapwise open: could not run xdg-open; open the URL above\n";
}

int run(const Arguments& args) {
  server::ListenAddress address{"127.0.0.1", 0};
  if (auto text = args.value("--listen")) {
    try {
      address = server::parse_listen_address(*text);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  // Every file loads before anything is served: a bad one ends here (exit 3).
  std::vector<std::shared_ptr<const Snapshot>> snapshots = open_snapshots(args.positionals(), args);
  finish_opened_snapshots();  // the server runs until Ctrl-C: main() would write them only then
  explore::SnapshotSet set(std::move(snapshots), args.positionals());
  live::install_interrupt_handlers();
  std::unique_ptr<server::ExplorerServer> http;
  try {
    http = std::make_unique<server::ExplorerServer>(address, set);
  } catch (const server::ListenError& e) {
    throw CommandFailure(kExitUnreachable, e.what());
  }
  std::cerr << "heapwise open: serving " << args.positionals().size()
            << (args.positionals().size() == 1 ? " snapshot" : " snapshots") << " at " << http->url()
            << "\n(Ctrl-C stops it)\n";
  if (!args.flag("--no-browser")) open_browser(http->url());
  while (!live::interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return kExitOk;
}

}  // namespace

const Command kOpenCommand{"open",
                           "explore snapshots in the browser (Summary, objects, dominators, leaks)",
                           "FILE... [options]",
                           kDescription,
                           kOptions,
                           kNotes,
                           {1, kAnyNumber, "expects one FILE or more"},
                           run};

}  // namespace heapwise::cli
