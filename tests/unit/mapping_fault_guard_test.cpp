// The one SIGBUS handler behind every mapped file heapwise reads: each guard
// gets the fault policy it asked for, a guard's slot is given back, and a
// fault outside every guard is handled as it would have been without it.
#include "util/mapping_fault_guard.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "snapshot_builder.h"

namespace heapwise {
namespace {

constexpr size_t kFileBytes = 1 << 20;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// A 1 MiB file of 'x', mapped read-only for as long as it lives.
class MappedFile {
 public:
  MappedFile() : file_(std::string(kFileBytes, 'x')) {
    const int fd = ::open(file_.path().c_str(), O_RDONLY);
    data_ = static_cast<const char*>(::mmap(nullptr, kFileBytes, PROT_READ, MAP_PRIVATE, fd, 0));
    ::close(fd);
  }
  ~MappedFile() { ::munmap(const_cast<char*>(data_), kFileBytes); }
  const char* data() const { return data_; }
  void cut_to_one_page() const { ASSERT_EQ(::truncate(file_.path().c_str(), 4096), 0); }

 private:
  testing::TempFile file_;
  const char* data_;
};

char read_last_byte(const char* data) { return *static_cast<const volatile char*>(data + kFileBytes - 1); }

TEST(MappingFaultGuardDeathTest, EachGuardKeepsItsOwnPolicy) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        MappedFile zeros;
        MappedFile fatal;
        MappingFaultGuard reading(zeros.data(), kFileBytes, MappingFaultGuard::OnFault::kReadZeros);
        const auto exit_on_fault = MappingFaultGuard::OnFault::kReportAndExit;
        MappingFaultGuard cached(fatal.data(), kFileBytes, exit_on_fault, "heapwise: entry gone");
        zeros.cut_to_one_page();
        fatal.cut_to_one_page();
        if (read_last_byte(zeros.data()) != '\0' || !reading.faulted()) std::_Exit(10);
        read_last_byte(fatal.data());
        std::_Exit(11);  // the read did not fault
      },
      ::testing::ExitedWithCode(3), "^heapwise: entry gone\n$");
}

TEST(MappingFaultGuard, ASlotIsGivenBackWhenItsGuardEnds) {
  MappedFile file;
  for (int i = 0; i < 200; ++i)
    MappingFaultGuard passing(file.data(), kFileBytes, MappingFaultGuard::OnFault::kReadZeros);
  MappingFaultGuard last(file.data(), kFileBytes, MappingFaultGuard::OnFault::kReadZeros);
  file.cut_to_one_page();
  EXPECT_EQ(read_last_byte(file.data()), '\0');
  EXPECT_TRUE(last.faulted());
}

// Reads past the end of a cut-short file while another mapping is guarded;
// exits with code 11 if that read does not fault.
void fault_outside_every_guard() {
  MappedFile guarded;
  MappedFile unguarded;
  MappingFaultGuard guard(guarded.data(), kFileBytes, MappingFaultGuard::OnFault::kReadZeros);
  unguarded.cut_to_one_page();
  read_last_byte(unguarded.data());
  std::_Exit(11);
}

// A handler installed before heapwise's first guard gets the faults that
// are not ours (under a sanitizer it is the sanitizer's; here the test's).
TEST(MappingFaultGuardDeathTest, AFaultOutsideEveryGuardGoesToTheHandlerBefore) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        struct sigaction before {};
        before.sa_handler = [](int) { std::_Exit(42); };
        sigemptyset(&before.sa_mask);
        sigaction(SIGBUS, &before, nullptr);
        fault_outside_every_guard();
      },
      ::testing::ExitedWithCode(42), "");
}

// With no handler before, such a fault ends the process as SIGBUS would.
TEST(MappingFaultGuardDeathTest, AFaultOutsideEveryGuardIsStillSigbus) {
  if (kAddressSanitizer) GTEST_SKIP() << "the sanitizer's own SIGBUS handler is the one before";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(fault_outside_every_guard(), ::testing::KilledBySignal(SIGBUS), "");
}

}  // namespace
}  // namespace heapwise
