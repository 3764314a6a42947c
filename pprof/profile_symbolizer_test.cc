#include "pprof/profile_symbolizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "pprof/elf_symbols.h"
#include "pprof/profile_builder.h"
#include "profile.pb.h"

namespace pprof {
namespace {

namespace fs = std::filesystem;
namespace pb = perftools::profiles;

constexpr uint64_t kBase = 0x10000000;

// A profile of this test binary as a stripped tether would send it: one
// mapping with a build id and no functions, one location at `addr`.
std::string StrippedProfile(const std::string& build_id, uint64_t addr) {
  pb::Profile p;
  p.add_string_table("");
  p.add_string_table("init");
  p.add_string_table(build_id);
  pb::Mapping* m = p.add_mapping();
  m->set_id(1);
  m->set_memory_start(kBase);
  m->set_memory_limit(kBase + (1ull << 30));
  m->set_filename(1);
  m->set_build_id(2);
  m->set_has_functions(false);
  pb::Location* loc = p.add_location();
  loc->set_id(1);
  loc->set_mapping_id(1);
  loc->set_address(addr);
  p.add_sample()->add_location_id(1);
  return Gzip(p.SerializeAsString());
}

class ProfileSymbolizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/profile-symbolizer-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    base::Result<ElfSymbols> self = ReadElfSymbols("/proc/self/exe");
    ASSERT_TRUE(self.ok());
    self_ = std::move(*self);
    ASSERT_FALSE(self_.build_id.empty());
    for (const ElfSymbol& s : self_.functions) {
      if (s.name.find("SymbolizeProfile") != std::string::npos) target_ = s;
    }
    ASSERT_NE(target_.value, 0u);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The run-time address of `target_`'s second byte in StrippedProfile's
  // mapping.
  uint64_t Address() const {
    return (self_.position_independent ? kBase : 0) + target_.value + 1;
  }
  void KeepSymbols() {
    fs::create_directories(dir_ + "/" + self_.build_id);
    fs::copy_file(fs::read_symlink("/proc/self/exe"),
                  dir_ + "/" + self_.build_id + "/tether");
  }

  std::string dir_;
  ElfSymbols self_;
  ElfSymbol target_;
};

TEST_F(ProfileSymbolizerTest, NamesFunctionsFromTheFileOfTheBuildId) {
  KeepSymbols();
  SymbolizeStats stats;
  base::Result<std::string> out =
      SymbolizeProfile(StrippedProfile(self_.build_id, Address()),
                       "/nonexistent:" + dir_, &stats);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(stats.mappings, 1);
  EXPECT_EQ(stats.locations, 1);
  pb::Profile p;
  ASSERT_TRUE(p.ParseFromString(Gunzip(*out)));
  EXPECT_TRUE(p.mapping(0).has_functions());
  ASSERT_EQ(p.location(0).line_size(), 1);
  ASSERT_EQ(p.function_size(), 1);
  EXPECT_EQ(p.location(0).line(0).function_id(), p.function(0).id());
  EXPECT_EQ(p.string_table(p.function(0).name()),
            "pprof::SymbolizeProfile(std::basic_string_view<char, "
            "std::char_traits<char> >, std::__cxx11::basic_string<char, "
            "std::char_traits<char>, std::allocator<char> > const&, "
            "pprof::SymbolizeStats*)");
  EXPECT_EQ(p.string_table(p.function(0).system_name()), target_.name);
}

TEST_F(ProfileSymbolizerTest, LeavesTheProfileAloneWithoutItsSymbols) {
  std::string in = StrippedProfile(self_.build_id, Address());
  base::Result<std::string> out = SymbolizeProfile(in, dir_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, in);
  // A file under the build id that is another binary is not used.
  KeepSymbols();
  std::string other(40, 'a');
  fs::create_directories(dir_ + "/" + other);
  fs::copy_file(dir_ + "/" + self_.build_id + "/tether",
                dir_ + "/" + other + "/tether");
  in = StrippedProfile(other, Address());
  out = SymbolizeProfile(in, dir_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, in);
}

TEST(ProfileSymbolizer, RejectsWhatIsNotAGzippedProfile) {
  EXPECT_EQ(SymbolizeProfile("not gzip", "/tmp").status().code(),
            base::Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace pprof
