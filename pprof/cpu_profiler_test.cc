#include "pprof/cpu_profiler.h"

#include <gtest/gtest.h>

#include "pprof/profile_builder.h"
#include "pprof/symbolizer.h"

namespace pprof {
namespace {

volatile uint64_t g_sink;

__attribute__((noinline)) void BurnCpuForProfile() {
  uint64_t x = g_sink;
  for (int i = 0; i < 2000000; ++i) x = x * 6364136223846793005ULL + 1;
  g_sink = x;
}

void OnIdle(uv_idle_t*) noexcept { BurnCpuForProfile(); }

TEST(CpuProfiler, SamplesTheBusyFunctionAndRefusesASecondProfile) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  {
    CpuProfiler profiler(&loop);
    CpuProfiler other(&loop);
    base::UvHandle<uv_idle_t> idle;
    uv_idle_init(&loop, idle.get());
    idle.MarkInitialized();
    uv_idle_start(idle.get(), &OnIdle);

    bool done = false;
    CpuProfile result;
    ASSERT_TRUE(profiler
                    .Start(700, 200,
                           [&](CpuProfile p) {
                             done = true;
                             result = std::move(p);
                             idle.Close();
                           })
                    .ok());
    base::Status second = other.Start(1000, 100, [](CpuProfile) {});
    EXPECT_EQ(second.code(), base::Status::Code::kUnavailable);
    EXPECT_NE(second.message().find("already running"), std::string::npos);
    EXPECT_EQ(profiler.Start(1000, 0, [](CpuProfile) {}).code(),
              base::Status::Code::kInvalidArgument);
    uv_run(&loop, UV_RUN_DEFAULT);
    ASSERT_TRUE(done);

    int64_t total = 0, burning = 0;
    auto symbols = Symbolizer::ForThisProcess();
    for (const auto& entry : result.counts) {
      total += entry.second;
      if (symbols->FunctionName(entry.first[0]).find("BurnCpuForProfile") !=
          std::string::npos) {
        burning += entry.second;
      }
    }
    // 700 ms of one busy CPU at 200 Hz is about 140 samples; far fewer
    // when other work shares the machine (the timer counts CPU time).
    EXPECT_GE(total, 5);
    EXPECT_GT(burning, total / 2);
    EXPECT_GT(result.duration_ns, 600000000);

    std::string gz = EncodeCpuProfile(result, *symbols);
    perftools::profiles::Profile p;
    ASSERT_TRUE(p.ParseFromString(Gunzip(gz)));
    EXPECT_EQ(p.period(), 5000000);
    EXPECT_EQ(p.sample_type_size(), 2);

    // Over: the next one may start.
    bool again = false;
    ASSERT_TRUE(other.Start(10, 100, [&](CpuProfile) { again = true; }).ok());
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_TRUE(again);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace pprof
