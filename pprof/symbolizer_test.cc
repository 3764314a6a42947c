#include "pprof/symbolizer.h"

#include <gtest/gtest.h>

#include "pprof/stack_capture.h"

namespace pprof {
namespace {

__attribute__((noinline)) int CaptureInNamedFunction(uintptr_t* pcs) {
  int n = CaptureHere(pcs, kMaxFrames, 0);
  asm volatile("" ::: "memory");  // Not a tail call.
  return n;
}

TEST(Symbolizer, NamesOurOwnFunctionsFromTheElfSymtab) {
  auto s = Symbolizer::ForThisProcess();
  ASSERT_FALSE(s->modules().empty());
  uintptr_t pc = reinterpret_cast<uintptr_t>(&CaptureInNamedFunction) + 1;
  EXPECT_EQ(s->FunctionName(pc),
            "pprof::(anonymous namespace)::CaptureInNamedFunction(unsigned "
            "long*)");
  EXPECT_EQ(s->FunctionStart(pc), pc - 1);
  const Module* m = s->FindModule(pc);
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->path.find("pprof_test"), std::string::npos);
  EXPECT_FALSE(m->build_id.empty());
  EXPECT_EQ(s->FunctionName(0), "");
}

TEST(Symbolizer, CapturedStacksNameTheirCallers) {
  uintptr_t pcs[kMaxFrames];
  int n = CaptureInNamedFunction(pcs);
  ASSERT_GE(n, 3);
  auto s = Symbolizer::ForThisProcess();
  EXPECT_NE(s->FunctionName(pcs[0]).find("CaptureInNamedFunction"),
            std::string::npos);
  EXPECT_NE(s->FunctionName(pcs[1]).find("CapturedStacksNameTheirCallers"),
            std::string::npos);
  // libc's frames resolve through its .dynsym or .symtab.
  bool main_seen = false;
  for (int i = 0; i < n; ++i) main_seen |= s->FunctionName(pcs[i]) == "main";
  EXPECT_TRUE(main_seen);
}

TEST(Symbolizer, Demangles) {
  EXPECT_EQ(Demangle("_ZN5pprof8DemangleERKNSt7__cxx1112basic_stringIcSt11char_"
                     "traitsIcESaIcEEE"),
            "pprof::Demangle(std::__cxx11::basic_string<char, "
            "std::char_traits<char>, std::allocator<char> > const&)");
  EXPECT_EQ(Demangle("malloc"), "malloc");
  EXPECT_EQ(Demangle("_Zbroken"), "_Zbroken");
}

TEST(ElfSymbols, RejectsWhatIsNotElf) {
  EXPECT_FALSE(ReadElfSymbols("/proc/self/cmdline").ok());
  EXPECT_FALSE(ReadElfSymbols("/nonexistent").ok());
}

}  // namespace
}  // namespace pprof
