// The container registry on disk: create, docker's lookups, reload,
// remove, keys, and the tether config it hands out.
#include "attach/endpoint/containers/registry.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "attach/endpoint/containers/container_record.h"
#include "attach/endpoint/containers/ssh_keys.h"
#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/containers/tether_config.h"
#include "attach/endpoint/testing/test_util.h"
#include "guestinfo/config_codec.h"
#include "guestinfo/field_syntax.h"

namespace attach {
namespace endpoint {
namespace {

using testing::TempDir;

ContainerRecord Record(const std::string& name) {
  ContainerRecord r;
  r.name = name;
  r.args = {"/bin/sh", "-c", "echo hi"};
  r.env = {"PATH=/usr/bin:/bin", "SECRET=x"};
  r.endpoint = "tcp:127.0.0.1:2377";
  return r;
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 0777 : 0;
}

TEST(Registry, CreateWritesConfigAndKeys) {
  TempDir dir;
  Registry reg(dir.path());
  ASSERT_TRUE(reg.Load().ok());
  base::Result<Container*> c = reg.Create(Record("web"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const std::string& id = (*c)->id();
  EXPECT_TRUE(guestinfo::CheckContainerId(id).ok()) << id;
  std::string cdir = dir.path() + "/containers/" + id;
  EXPECT_EQ(ModeOf(cdir), 0700u);
  EXPECT_EQ(ModeOf(cdir + "/config"), 0600u);
  EXPECT_EQ(ModeOf(cdir + "/identity_key"), 0600u);
  base::Result<std::string> priv = reg.IdentityKey(**c);
  ASSERT_TRUE(priv.ok());
  EXPECT_EQ(priv->rfind("-----BEGIN OPENSSH PRIVATE KEY-----\n", 0), 0u);
  for (size_t start = 0, nl;
       (nl = priv->find('\n', start)) != std::string::npos; start = nl + 1) {
    EXPECT_LE(nl - start, 70u);  // libssh2 1.10 reads lines of <= 128.
  }
  base::Result<SshKey> key = ParsePrivateKey(*priv);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(reg.Authorize(id, key->get()));
  EXPECT_FALSE(reg.Authorize(id.substr(0, 12), key->get()));
  EXPECT_EQ((*c)->state(), "created");
}

TEST(Registry, LookupsFollowDocker) {
  TempDir dir;
  Registry reg(dir.path());
  ASSERT_TRUE(reg.Load().ok());
  Container* a = *reg.Create(Record("alpha"));
  Container* b = *reg.Create(Record(""));
  EXPECT_EQ(b->record().name, b->id().substr(0, 12));
  EXPECT_EQ(*reg.Find(a->id()), a);
  EXPECT_EQ(*reg.Find("alpha"), a);
  EXPECT_EQ(*reg.Find(a->id().substr(0, 8)), a);
  base::Result<Container*> none = reg.Find("nosuch");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "No such container: nosuch");
  EXPECT_EQ(reg.Find("").status().message(), "No such container: ");
  // With enough containers two share a first hex digit.
  std::map<char, int> first;
  for (int i = 0; i < 20; ++i) ++first[(*reg.Create(Record("")))->id()[0]];
  for (const auto& [digit, count] : first) {
    if (count < 2) continue;
    base::Result<Container*> many = reg.Find(std::string(1, digit));
    ASSERT_FALSE(many.ok());
    EXPECT_EQ(many.status().message(),
              std::string("multiple IDs found with provided prefix: ") + digit);
    break;
  }
}

TEST(Registry, NamesAreUniqueAndValid) {
  TempDir dir;
  Registry reg(dir.path());
  ASSERT_TRUE(reg.Load().ok());
  ASSERT_TRUE(reg.Create(Record("web")).ok());
  base::Result<Container*> dup = reg.Create(Record("web"));
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("is already in use"),
            std::string::npos);
  EXPECT_FALSE(reg.Create(Record("-bad")).ok());
  ContainerRecord no_cmd = Record("x");
  no_cmd.args.clear();
  EXPECT_EQ(reg.Create(no_cmd).status().message(), "No command specified");
  ContainerRecord bad_env = Record("y");
  bad_env.env = {"NOEQUALS"};
  EXPECT_FALSE(reg.Create(bad_env).ok());
}

TEST(Registry, SurvivesRestartAndRemove) {
  TempDir dir;
  std::string id;
  {
    Registry reg(dir.path());
    ASSERT_TRUE(reg.Load().ok());
    id = (*reg.Create(Record("keep")))->id();
    Container* gone = *reg.Create(Record("gone"));
    ASSERT_TRUE(reg.Remove(gone).ok());
    // An unfinished create (no config) is skipped, not fatal.
    ASSERT_TRUE(
        EnsureDir(dir.path() + "/containers/" + std::string(64, 'a'), 0700)
            .ok());
  }
  Registry reg(dir.path());
  ASSERT_TRUE(reg.Load().ok());
  ASSERT_EQ(reg.All().size(), 1u);
  EXPECT_EQ(reg.All()[0]->id(), id);
  EXPECT_EQ(reg.All()[0]->record().name, "keep");
  EXPECT_FALSE(reg.Find("gone").ok());
}

TEST(TetherConfig, DecodesInTheTether) {
  TempDir dir;
  Registry reg(dir.path());
  ASSERT_TRUE(reg.Load().ok());
  ContainerRecord r = Record("web_1");  // Not a hostname: '_' .
  r.tty = true;
  r.open_stdin = true;
  r.attach_before_start = true;
  r.user = "1000:1000";
  r.workdir = "/srv";
  Container* c = *reg.Create(r);
  std::string fp = "SHA256:" + std::string(43, 'A');
  base::Result<std::string> json =
      TetherConfigJson(c->record(), fp, *reg.IdentityKey(*c));
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  base::Result<guestinfo::Config> cfg = guestinfo::DecodeConfig(*json);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->version, 1);
  EXPECT_EQ(cfg->id, c->id());
  EXPECT_EQ(cfg->name, "web_1");
  EXPECT_EQ(cfg->hostname, c->id().substr(0, 12));
  ASSERT_TRUE(cfg->endpoint.has_value());
  EXPECT_EQ(cfg->endpoint->address, "tcp:127.0.0.1:2377");
  EXPECT_EQ(cfg->endpoint->host_key_sha256, fp);
  ASSERT_EQ(cfg->sessions.size(), 1u);
  const guestinfo::SessionConfig& s = cfg->sessions[0];
  EXPECT_EQ(s.id, "main");
  EXPECT_TRUE(s.primary);
  EXPECT_EQ(s.path, "/bin/sh");
  EXPECT_EQ(s.args, r.args);
  EXPECT_EQ(s.env, r.env);
  EXPECT_EQ(s.user, "1000:1000");
  EXPECT_EQ(s.workdir, "/srv");
  EXPECT_TRUE(s.tty);
  EXPECT_TRUE(s.open_stdin);
  EXPECT_TRUE(s.attach_before_start);
}

TEST(ContainerRecord, StatusRoundTripsAndState) {
  StatusRecord st;
  EXPECT_EQ(ContainerState(st), "created");
  SessionRecord& m = st.Get("main");
  m.primary = true;
  m.running = true;
  m.pid = 7;
  m.args = {"sh"};
  EXPECT_EQ(ContainerState(st), "running");
  base::Result<StatusRecord> back = DecodeStatus(EncodeStatus(st));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_NE(back->Find("main"), nullptr);
  EXPECT_EQ(back->Find("main")->pid, 7);
  m.running = false;
  m.exited = true;
  EXPECT_EQ(ContainerState(st), "exited");
  EXPECT_FALSE(DecodeStatus("{\"version\":1,\"bogus\":1}").ok());
  EXPECT_FALSE(DecodeStatus("not json").ok());
}

TEST(SshKeys, FingerprintIsSha256OfTheBlob) {
  TempDir dir;
  base::Result<SshKey> key = LoadOrCreateKey(dir.path() + "/k", "c");
  ASSERT_TRUE(key.ok());
  base::Result<std::string> fp = Fingerprint(*key);
  ASSERT_TRUE(fp.ok());
  EXPECT_TRUE(guestinfo::CheckHostKeyFingerprint(*fp).ok()) << *fp;
  // The same key again, from disk.
  base::Result<SshKey> again = LoadOrCreateKey(dir.path() + "/k", "c");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*Fingerprint(*again), *fp);
  base::Result<std::string> pub = ReadFile(dir.path() + "/k.pub");
  ASSERT_TRUE(pub.ok());
  base::Result<SshKey> parsed = ParsePublicKeyLine(*pub);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(SamePublicKey(*parsed, key->get()));
  EXPECT_EQ(ModeOf(dir.path() + "/k"), 0600u);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
