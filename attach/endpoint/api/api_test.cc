// The Docker API of a real attachd on a loopback port (plain HTTP here;
// TLS is the e2e tests' business), with a test tether standing in for a
// container VM: what the docker CLI relies on, request by request.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "attach/endpoint/api/stdcopy.h"
#include "attach/endpoint/testing/test_fixture.h"
#include "http/test_client.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using nlohmann::json;
using testing::TestTether;
using testing::WhileLooping;

class ApiTest : public testing::AttachdTest {
 protected:
  void SetUp() override {
    api_options_.listen = "127.0.0.1:0";
    api_options_.tls.mode = certs::TlsMode::kOff;
    AttachdTest::SetUp();
  }

  // One request on a connection of its own.
  http::TestResponse Request(const std::string& method,
                             const std::string& target,
                             const std::string& body = "") {
    uint16_t port = daemon_->api_port();
    return WhileLooping(&loop_, [&] {
      http::TestClient c(port);
      std::string req = method + " " + target + " HTTP/1.1\r\nHost: x\r\n";
      if (!body.empty() || method == "POST") {
        req += "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n";
      }
      c.Send(req + "Connection: close\r\n\r\n" + body);
      return c.ReadResponse(method == "HEAD");
    });
  }
  json Json(const http::TestResponse& r) {
    return json::parse(r.body, nullptr, false);
  }
  // POST /containers/create of `body`; the new id.
  std::string Create(const std::string& body, const std::string& name) {
    http::TestResponse r =
        Request("POST", "/v1.41/containers/create?name=" + name, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).value("Id", "");
  }
  Container* Get(const std::string& id) {
    return daemon_->registry().FindById(id);
  }
  // Sends an attach request for `target` (with `early` bytes after it) on
  // `client`; the answer's head.
  http::TestResponse Hijack(http::TestClient& client, const std::string& target,
                            const std::string& early = "") {
    return WhileLooping(&loop_, [&] {
      client.Send("POST " + target +
                  " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                  "Upgrade: tcp\r\nContent-Length: 0\r\n\r\n" +
                  early);
      return client.ReadHead();
    });
  }
};

TEST_F(ApiTest, PingAndVersionAsDockerd) {
  http::TestResponse r = Request("HEAD", "/_ping");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.HasHeader("Api-Version: 1.41")) << r.head;
  EXPECT_TRUE(r.HasHeader("Ostype: linux")) << r.head;
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(Request("GET", "/_ping").body, "OK");
  json v = Json(Request("GET", "/v1.41/version"));
  EXPECT_EQ(v["ApiVersion"], "1.41");
  EXPECT_EQ(v["Os"], "linux");
  json info = Json(Request("GET", "/info"));
  EXPECT_EQ(info["Swarm"]["LocalNodeState"], "inactive");
  EXPECT_EQ(info["OSType"], "linux");
}

TEST_F(ApiTest, ErrorsAreJsonWithDockersCodes) {
  http::TestResponse r = Request("GET", "/v1.41/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.HasHeader("Content-Type: application/json")) << r.head;
  EXPECT_EQ(Json(r)["message"], "page not found");
  r = Request("GET", "/v1.41/containers/nosuch/json");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json(r)["message"], "No such container: nosuch");
  r = Request("GET", "/v1.99/version");
  EXPECT_EQ(r.status, 400);
  r = Request("POST", "/v1.41/containers/create", "{\"Image\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json(r)["message"].get<std::string>().rfind("invalid JSON", 0), 0u);
  r = Request("POST", "/v1.41/containers/create",
              R"({"Image":"alpine","Cmd":["true"]})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json(r)["message"], "No such image: alpine:latest");
  r = Request("POST", "/v1.41/containers/create",
              "{\"Image\":\"busybox\",\"Env\":[\"" + std::string(2 << 20, 'x') +
                  "\"]}");
  EXPECT_EQ(r.status, 413);
  r = Request("POST", "/v1.41/images/create?fromImage=alpine&tag=latest");
  EXPECT_EQ(r.status, 404);  // Never 401: the CLI would ask for a login.
}

TEST_F(ApiTest, CreateInspectListAndNameConflicts) {
  std::string id = Create(
      R"({"Image":"busybox","Cmd":["sh","-c","cat"],"OpenStdin":true,
          "StdinOnce":true,"Env":["A=B"],"Labels":{"app":"web"}})",
      "web");
  ASSERT_EQ(id.size(), 64u);
  http::TestResponse r = Request("POST", "/v1.41/containers/create?name=web",
                                 R"({"Image":"busybox","Cmd":["true"]})");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(Json(r)["message"].get<std::string>().find(
                "The container name \"/web\" is already in use"),
            std::string::npos);
  json in = Json(Request("GET", "/v1.41/containers/web/json"));
  EXPECT_EQ(in["Id"], id);
  EXPECT_EQ(in["Name"], "/web");
  EXPECT_TRUE(in["Created"].is_string());
  EXPECT_EQ(in["State"]["Status"], "created");
  EXPECT_EQ(in["Path"], "sh");
  EXPECT_EQ(in["Args"], json({"-c", "cat"}));
  EXPECT_EQ(in["Config"]["Image"], "busybox");
  EXPECT_EQ(in["Config"]["StdinOnce"], true);
  // busybox's PATH joined the user's env.
  EXPECT_EQ(in["Config"]["Env"].size(), 2u);
  EXPECT_TRUE(in["HostConfig"].is_object());
  EXPECT_TRUE(in["NetworkSettings"]["Ports"].is_object());
  EXPECT_TRUE(Json(Request("GET", "/containers/json")).empty());
  json all = Json(Request("GET", "/containers/json?all=1"));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0]["Created"].is_number_integer());
  EXPECT_EQ(all[0]["Status"], "Created");
  EXPECT_EQ(all[0]["Command"], "sh -c cat");
  json named = Json(Request(
      "GET",
      "/containers/json?all=1&filters=%7B%22name%22%3A%5B%22we%22%5D%7D"));
  EXPECT_EQ(named.size(), 1u);
  json other = Json(
      Request("GET",
              "/containers/"
              "json?all=1&filters=%7B%22label%22%3A%5B%22app%3Ddb%22%5D%7D"));
  EXPECT_EQ(other.size(), 0u);
  // A name docker made up: adjective_surname.
  std::string auto_id = Create(R"({"Image":"busybox","Cmd":["true"]})", "");
  std::string auto_name = Get(auto_id)->record().name;
  EXPECT_NE(auto_name.find('_'), std::string::npos) << auto_name;
  EXPECT_EQ(Request("DELETE", "/v1.41/containers/web").status, 204);
  EXPECT_EQ(Request("DELETE", "/v1.41/containers/web").status, 404);
}

TEST_F(ApiTest, WaitAnswersHeadersAtOnceAndTheCodeAtTheEnd) {
  std::string id = Create(R"({"Image":"busybox","Cmd":["cat"]})", "w");
  // not-running on a container that never ran: at once.
  json now = Json(Request("POST", "/v1.41/containers/w/wait"));
  EXPECT_EQ(now["StatusCode"], 0);
  EXPECT_TRUE(now["Error"].is_null());
  std::unique_ptr<TestTether> t = ConnectTether(Get(id));
  uint16_t port = daemon_->api_port();
  http::TestClient waiter(port);
  // The head must come before the container ends (docker run waits for it
  // before it starts the container).
  http::TestResponse head = WhileLooping(&loop_, [&] {
    waiter.Send(
        "POST /v1.41/containers/w/wait?condition=next-exit HTTP/1.1\r\n"
        "Host: x\r\nContent-Length: 0\r\n\r\n");
    return waiter.ReadHead();
  });
  EXPECT_EQ(head.status, 200);
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  exited.mutable_session_exited()->set_exit_code(9);
  ASSERT_TRUE(
      WhileLooping(&loop_, [&] { return t->SendControl(exited); }).ok());
  std::string body = WhileLooping(&loop_, [&] {
    std::string all;
    // The body is chunked: read through the chunk's framing.
    while (all.find("}\n") == std::string::npos) {
      std::string more = waiter.ReadExactly(1);
      if (more.empty()) break;
      all += more;
    }
    return all;
  });
  EXPECT_NE(body.find("{\"Error\":null,\"StatusCode\":9}"), std::string::npos)
      << body;
}

TEST_F(ApiTest, AttachFramesOutputAndHalfCloseEndsStdinOnly) {
  std::string id = Create(
      R"({"Image":"busybox","Cmd":["cat"],"OpenStdin":true,"StdinOnce":true})",
      "a");
  std::unique_ptr<TestTether> t = ConnectTether(Get(id));
  uint16_t port = daemon_->api_port();
  http::TestClient client(port);
  http::TestResponse head = Hijack(
      client, "/v1.41/containers/a/attach?stream=1&stdin=1&stdout=1&stderr=1",
      "early");
  ASSERT_EQ(head.status, 101) << head.head;
  EXPECT_TRUE(head.HasHeader("Upgrade: tcp")) << head.head;
  // Bytes sent with the request are stdin; the half-close ends stdin.
  WhileLooping(&loop_, [&] {
    client.Send("-late");
    client.ShutdownWrite();
    return true;
  });
  std::string in = StdinUntilEof(t.get(), "main");
  EXPECT_EQ(in, "early-late");
  // Output after the client's half-close still reaches it, framed.
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  exited.mutable_session_exited()->set_exit_code(0);
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->Write("main", "out\n").ok() &&
           t->Write("main", "err\n", true).ok() && t->SendControl(exited).ok();
  }));
  std::string got = WhileLooping(&loop_, [&] { return client.ReadToEof(); });
  EXPECT_EQ(got, api::StdcopyFrame(api::kStdout, "out\n") +
                     api::StdcopyFrame(api::kStderr, "err\n"));
}

// Much output to a client that reads in bursts: the feed goes back to the
// log and forth again many times, output is gathered into large frames,
// and every byte arrives in order (a feed that waits for a drain that
// never comes would leave the client waiting here).
TEST_F(ApiTest, AttachToABurstyReaderGetsEveryByteInOrder) {
  std::string id = Create(R"({"Image":"busybox","Cmd":["cat"]})", "b");
  std::unique_ptr<TestTether> t = ConnectTether(Get(id));
  uint16_t port = daemon_->api_port();
  http::TestClient client(port);
  http::TestResponse head =
      Hijack(client, "/v1.41/containers/b/attach?stream=1&stdout=1&stderr=1");
  ASSERT_EQ(head.status, 101) << head.head;
  constexpr size_t kChunk = 64 * 1024;
  constexpr size_t kChunks = 384;  // 24 MiB: several times kHighMark.
  std::string payload;
  size_t frames = 0;
  bool ordered = true;
  std::atomic<bool> reader_done{false};
  std::thread reader([&] {
    size_t since_pause = 0;
    for (;;) {
      std::string h = client.ReadExactly(api::kStdcopyHeader);
      if (h.size() < api::kStdcopyHeader) {
        reader_done = true;
        return;
      }
      size_t n = (size_t{static_cast<uint8_t>(h[4])} << 24) |
                 (size_t{static_cast<uint8_t>(h[5])} << 16) |
                 (size_t{static_cast<uint8_t>(h[6])} << 8) |
                 static_cast<uint8_t>(h[7]);
      std::string body = client.ReadExactly(n);
      if (h[0] != api::kStdout || body.size() != n) ordered = false;
      for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] != static_cast<char>((payload.size() + i) % 251)) {
          ordered = false;
        }
      }
      payload += body;
      ++frames;
      since_pause += n;
      if (since_pause >= (1 << 20)) {  // A reader that stops now and then.
        since_pause = 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  });
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  exited.mutable_session_exited()->set_exit_code(0);
  bool wrote = WhileLooping(&loop_, [&] {
    std::string chunk(kChunk, '\0');
    for (size_t c = 0; c < kChunks; ++c) {
      for (size_t i = 0; i < kChunk; ++i) {
        chunk[i] = static_cast<char>((c * kChunk + i) % 251);
      }
      if (!t->Write("main", chunk).ok()) return false;
    }
    return t->SendControl(exited).ok();
  });
  // A stalled feed fails here, not by the test's timeout.
  bool finished = WhileLooping(&loop_, [&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!reader_done && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    bool done = reader_done;
    if (!done) client.ShutdownBoth();
    reader.join();
    return done;
  });
  EXPECT_TRUE(finished) << "the client stopped getting output at "
                        << payload.size() << " bytes";
  ASSERT_TRUE(wrote);
  EXPECT_EQ(payload.size(), kChunk * kChunks);
  EXPECT_TRUE(ordered);
  // Gathered: fewer frames than the tether's writes.
  EXPECT_LT(frames, kChunks);
}

TEST_F(ApiTest, ExecRunsStoresItsCodeAndKillWinchOnlySignals) {
  std::string id = Create(R"({"Image":"busybox","Cmd":["cat"]})", "e");
  std::unique_ptr<TestTether> t = ConnectTether(Get(id));
  json created = Json(Request("POST", "/v1.41/containers/e/exec",
                              R"({"Cmd":["ls","/"],"AttachStdout":true,
                                  "AttachStderr":true,"Env":["X=1"]})"));
  std::string exec_id = created.value("Id", "");
  ASSERT_EQ(exec_id.size(), 64u);
  EXPECT_TRUE(
      Json(Request("GET", "/exec/" + exec_id + "/json"))["ExitCode"].is_null());
  uint16_t port = daemon_->api_port();
  http::TestClient client(port);
  std::string body = R"({"Detach":false,"Tty":false})";
  http::TestResponse head = WhileLooping(&loop_, [&] {
    client.Send("POST /v1.41/exec/" + exec_id +
                "/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                "Upgrade: tcp\r\nContent-Type: application/json\r\n"
                "Content-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body);
    return client.ReadHead();
  });
  ASSERT_EQ(head.status, 101);
  base::Result<pb::Envelope> exec = WhileLooping(&loop_, [&] {
    return t->ReadUntil([](const pb::Envelope& m) { return m.has_exec(); });
  });
  ASSERT_TRUE(exec.ok()) << exec.status().ToString();
  EXPECT_EQ(exec->exec().session_id(), exec_id);
  EXPECT_EQ(exec->exec().env(0), "X=1");
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id(exec_id);
  exited.mutable_session_exited()->set_exit_code(4);
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->OpenStream(exec_id).ok() && t->Write(exec_id, "bin\n").ok() &&
           t->SendControl(exited).ok();
  }));
  EXPECT_EQ(WhileLooping(&loop_, [&] { return client.ReadToEof(); }),
            api::StdcopyFrame(api::kStdout, "bin\n"));
  // The CLI asks for the code the moment the stream ends.
  json after = Json(Request("GET", "/exec/" + exec_id + "/json"));
  EXPECT_EQ(after["ExitCode"], 4);
  EXPECT_EQ(after["Running"], false);
  EXPECT_EQ(Request("POST", "/exec/" + exec_id + "/start", R"({"Detach":true})")
                .status,
            409);
  // docker run -it forwards SIGWINCH as a kill: a signal, never a stop.
  EXPECT_EQ(Request("POST", "/v1.41/containers/e/kill?signal=WINCH").status,
            204);
  base::Result<pb::Envelope> sig = WhileLooping(&loop_, [&] {
    return t->ReadUntil([](const pb::Envelope& m) { return m.has_signal(); });
  });
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->signal().signo(), SIGWINCH);
  EXPECT_EQ(Json(Request("GET", "/containers/e/json"))["State"]["Running"],
            true);
  EXPECT_EQ(Request("POST", "/containers/e/kill?signal=NOPE").status, 400);
}

TEST_F(ApiTest, LogsAreFramedWithTimestampsAndTail) {
  std::string id = Create(R"({"Image":"busybox","Cmd":["cat"]})", "l");
  std::unique_ptr<TestTether> t = ConnectTether(Get(id));
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->Write("main", "one\ntwo\n").ok() &&
           t->Write("main", "three\n", true).ok() &&
           t->WaitAck("main", 8, 6).ok();
  }));
  http::TestResponse r =
      Request("GET", "/v1.41/containers/l/logs?stdout=1&stderr=1&tail=2");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, api::StdcopyFrame(api::kStdout, "two\n") +
                        api::StdcopyFrame(api::kStderr, "three\n"));
  r = Request("GET", "/containers/l/logs?stdout=1&timestamps=1");
  // One frame of two stamped lines: pieces of one turn are gathered.
  EXPECT_EQ(r.body.size(), 8 + 2 * (31 + 4));
  EXPECT_EQ(r.body.substr(8 + 30, 5), " one\n");
  EXPECT_EQ(r.body.substr(8 + 35 + 30, 5), " two\n");
  EXPECT_EQ(Request("GET", "/containers/l/logs").status, 400);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
