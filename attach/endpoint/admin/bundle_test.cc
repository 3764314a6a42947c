// The bundle end to end over a real loop and socket: text, files, a
// missing file left out, and a container's output (with a gap) that is
// cut at the size counted when its entry started, although more output
// arrives while the archive downloads. GNU tar reads the result.
#include "attach/endpoint/admin/bundle.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/testing/test_util.h"
#include "http/test_client.h"
#include "http/test_harness.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

using testing::FileText;

TEST(BundleOp, EntriesAndOutputCutWhereItWasCounted) {
  testing::TempDir dir;
  Registry reg(dir.path());
  ASSERT_TRUE(reg.Load().ok());
  ContainerRecord rec;
  rec.name = "web";
  rec.args = {"/bin/sh"};
  rec.endpoint = "tcp:127.0.0.1:2377";
  base::Result<Container*> c = reg.Create(rec);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  SessionLog& log = (*(*c)->GetSession(kPrimarySession))->log();
  // 16 MiB that deflate cannot shrink, so the answer's queue fills and
  // the entry is still being sent when more output arrives.
  std::mt19937 rng(7);
  std::string expected;
  for (int i = 0; i < 256; ++i) {
    std::string piece(65536, '\0');
    for (char& ch : piece) ch = static_cast<char>('!' + rng() % 90);
    piece.back() = '\n';
    ASSERT_TRUE(log.AppendData(kStdout, piece.data(), piece.size(), i).ok());
    expected += piece;
  }
  uint64_t end = log.ends().out;
  ASSERT_TRUE(log.AppendGap(kStdout, end + 100, 300).ok());
  expected += GapNotice(end, end + 100);
  ASSERT_TRUE(log.AppendData(kStderr, "err\n", 4, 301).ok());
  expected += "err\n";
  std::ofstream(dir.path() + "/file.txt") << "file body\n";

  http::Harness h;
  api::OpSet ops(h.loop());
  std::string body;
  h.Run(
      [&](std::shared_ptr<http::Exchange> ex) {
        std::deque<BundleEntry> entries(4);
        entries[0].name = "b/text.txt";
        entries[0].text = "text\n";
        entries[1].kind = BundleEntry::Kind::kFile;
        entries[1].name = "b/file.txt";
        entries[1].path = dir.path() + "/file.txt";
        entries[2].kind = BundleEntry::Kind::kFile;
        entries[2].name = "b/missing.txt";
        entries[2].path = dir.path() + "/missing.txt";
        entries[3].kind = BundleEntry::Kind::kSessionLog;
        entries[3].name = "b/containers/web/output.log";
        entries[3].container_id = (*c)->id();
        auto tar = TarGzWriter::Create(1);
        ASSERT_TRUE(tar.ok());
        auto out = ex->StartStream(http::ResponseHead());
        ops.Add(std::make_unique<BundleOp>(h.loop(), &reg, std::move(entries),
                                           std::move(*tar), 1700000000))
            ->Start(std::move(out));
        // Once the entry's size is counted (a turn or two), more output,
        // while the bundle is still being made (the client does not read
        // for 300 ms).
        http::Defer(h.loop(), 100, [&log, &ops] {
          EXPECT_EQ(ops.size(), 1u);
          ASSERT_TRUE(log.AppendData(kStdout, "late\n", 5, 400).ok());
        });
      },
      [&](uint16_t port) {
        http::TestClient client(port);
        ASSERT_TRUE(client.Send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        http::TestResponse r = client.ReadResponse();
        EXPECT_EQ(r.status, 200);
        body = r.body;
      });
  std::ofstream(dir.path() + "/b.tar.gz", std::ios::binary) << body;
  EXPECT_EQ(testing::ShellOutput("cd " + dir.path() +
                                 " && tar -xzf b.tar.gz 2>&1 && echo ok"),
            "ok\n");
  EXPECT_EQ(FileText(dir.path() + "/b/text.txt"), "text\n");
  EXPECT_EQ(FileText(dir.path() + "/b/file.txt"), "file body\n");
  EXPECT_NE(::access((dir.path() + "/b/missing.txt").c_str(), F_OK), 0);
  std::string got = FileText(dir.path() + "/b/containers/web/output.log");
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected) << "output.log differs";
}

}  // namespace
}  // namespace admin
}  // namespace endpoint
}  // namespace attach
