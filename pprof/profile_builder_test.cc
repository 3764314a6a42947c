#include "pprof/profile_builder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "pprof/stack_capture.h"

namespace pprof {
namespace {

namespace pb = perftools::profiles;

__attribute__((noinline)) int StackForBuilderTest(uintptr_t* pcs) {
  int n = CaptureHere(pcs, kMaxFrames, 0);
  asm volatile("" ::: "memory");
  return n;
}

std::string Str(const pb::Profile& p, int64_t i) {
  return i >= 0 && i < p.string_table_size() ? p.string_table(i) : "?";
}

TEST(ProfileBuilder, WritesAProfileThatNamesItsFunctions) {
  uintptr_t pcs[kMaxFrames];
  int n = StackForBuilderTest(pcs);
  ProfileBuilder b;
  b.AddSampleType("samples", "count");
  b.AddSampleType("cpu", "nanoseconds");
  b.SetPeriod("cpu", "nanoseconds", 10000000);
  b.AddComment("hello");
  b.AddStack(pcs, n, {3, 30000000});
  b.AddStack(pcs, n, {1, 10000000});
  b.AddSample({b.NamedLocation("[main thread]")}, {1, 1});
  std::string gz = b.Finish(*Symbolizer::ForThisProcess());

  pb::Profile p;
  ASSERT_TRUE(p.ParseFromString(Gunzip(gz)));
  EXPECT_EQ(p.string_table(0), "");
  ASSERT_EQ(p.sample_type_size(), 2);
  EXPECT_EQ(Str(p, p.sample_type(1).type()), "cpu");
  EXPECT_EQ(Str(p, p.period_type().unit()), "nanoseconds");
  EXPECT_EQ(Str(p, p.comment(0)), "hello");
  ASSERT_EQ(p.sample_size(), 3);
  // Same addresses, same locations.
  EXPECT_EQ(p.sample(0).location_id(0), p.sample(1).location_id(0));
  ASSERT_GE(p.mapping_size(), 1);
  EXPECT_TRUE(p.mapping(0).has_functions());

  // Every location has a mapping (or is synthetic) and one named line.
  std::vector<std::string> leaf_names;
  for (const pb::Location& loc : p.location()) {
    ASSERT_EQ(loc.line_size(), 1);
    const pb::Function& f = p.function(loc.line(0).function_id() - 1);
    EXPECT_EQ(f.id(), loc.line(0).function_id());
    leaf_names.push_back(Str(p, f.name()));
  }
  EXPECT_NE(std::find_if(leaf_names.begin(), leaf_names.end(),
                         [](const std::string& s) {
                           return s.find("StackForBuilderTest") !=
                                  std::string::npos;
                         }),
            leaf_names.end());
  EXPECT_NE(std::find(leaf_names.begin(), leaf_names.end(), "[main thread]"),
            leaf_names.end());
}

// A stripped tether's profile: its module keeps file and build id, says it
// has no functions, and its locations carry addresses only, which pprof
// then symbolizes from the file with that build id (docs/pprof.md).
TEST(ProfileBuilder, LeavesAModuleWithoutSymbolsToPprof) {
  Module stripped;
  stripped.start = 0x401000;
  stripped.limit = 0x500000;
  stripped.file_offset = 0x1000;
  stripped.path = "/init";
  stripped.build_id = "0123abcd";
  stripped.symbols = std::make_shared<ElfSymbols>();
  Symbolizer symbols({stripped});
  ProfileBuilder b;
  b.AddSampleType("samples", "count");
  uintptr_t pcs[] = {0x401234, 0x402345};
  b.AddStack(pcs, 2, {1});
  b.AddSample({b.NamedLocation("[main thread]")}, {1});

  pb::Profile p;
  ASSERT_TRUE(p.ParseFromString(Gunzip(b.Finish(symbols))));
  ASSERT_EQ(p.mapping_size(), 1);
  EXPECT_FALSE(p.mapping(0).has_functions());
  EXPECT_EQ(Str(p, p.mapping(0).build_id()), "0123abcd");
  EXPECT_EQ(Str(p, p.mapping(0).filename()), "/init");
  int unsymbolized = 0;
  for (const pb::Location& loc : p.location()) {
    if (loc.address() == 0) {  // The synthetic one keeps its name.
      EXPECT_EQ(loc.line_size(), 1);
      continue;
    }
    EXPECT_EQ(loc.mapping_id(), p.mapping(0).id());
    EXPECT_EQ(loc.line_size(), 0);
    ++unsymbolized;
  }
  EXPECT_EQ(unsymbolized, 2);
}

TEST(ProfileBuilder, GzipRoundTrips) {
  std::string data(100000, 'x');
  std::string gz = Gzip(data);
  EXPECT_LT(gz.size(), 1000u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(Gunzip(gz), data);
  EXPECT_EQ(Gunzip("not gzip"), "");
}

}  // namespace
}  // namespace pprof
