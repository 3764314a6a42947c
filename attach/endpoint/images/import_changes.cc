#include "attach/endpoint/images/import_changes.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "attach/endpoint/images/layer_path.h"

namespace attach {
namespace endpoint {
namespace {

constexpr size_t kMaxChanges = 1000;
constexpr size_t kMaxLine = 64 * 1024;

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lookup(const std::vector<std::string>& env, const std::string& k) {
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    if (it->size() > k.size() && it->compare(0, k.size(), k) == 0 &&
        (*it)[k.size()] == '=') {
      return it->substr(k.size() + 1);
    }
  }
  return "";
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// $VAR or ${VAR} at text[i] ('$'): appends the value, returns the index
// after it.
size_t Expand(std::string_view t, size_t i, const std::vector<std::string>& env,
              std::string* out) {
  if (i + 1 < t.size() && t[i + 1] == '{') {
    size_t end = t.find('}', i + 2);
    if (end == std::string_view::npos) {
      *out += t.substr(i);
      return t.size();
    }
    *out += Lookup(env, std::string(t.substr(i + 2, end - i - 2)));
    return end + 1;
  }
  size_t j = i + 1;
  while (j < t.size() && IsNameChar(t[j])) ++j;
  if (j == i + 1) {
    *out += '$';
    return i + 1;
  }
  *out += Lookup(env, std::string(t.substr(i + 1, j - i - 1)));
  return j;
}

// The CMD/ENTRYPOINT value: a JSON array of strings, else the shell form.
std::vector<std::string> CommandForm(const std::string& rest) {
  nlohmann::json doc = nlohmann::json::parse(rest, nullptr, false);
  if (doc.is_array() &&
      std::all_of(doc.begin(), doc.end(),
                  [](const nlohmann::json& v) { return v.is_string(); })) {
    return doc.get<std::vector<std::string>>();
  }
  return {"/bin/sh", "-c", rest};
}

void SetEnv(std::vector<std::string>* env, const std::string& key,
            const std::string& value) {
  for (std::string& e : *env) {
    if (e.compare(0, key.size() + 1, key + "=") == 0) {
      e = key + "=" + value;
      return;
    }
  }
  env->push_back(key + "=" + value);
}

// ENV and LABEL: KEY=VALUE words, or the legacy "KEY value".
base::Status Pairs(const std::string& what, const std::string& rest,
                   const std::vector<std::string>& env,
                   std::vector<std::pair<std::string, std::string>>* out) {
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> words,
                          SplitWords(rest, env));
  if (words.empty()) {
    return base::Status::InvalidArgument(what + " requires at least one argument");
  }
  if (words[0].find('=') == std::string::npos) {
    size_t sp = rest.find_first_of(" \t");
    if (sp == std::string::npos) {
      return base::Status::InvalidArgument(what + " must have two arguments");
    }
    TETHER_ASSIGN_OR_RETURN(std::vector<std::string> value,
                            SplitWords(Trim(rest.substr(sp)), env));
    std::string joined;
    for (const std::string& v : value) joined += (joined.empty() ? "" : " ") + v;
    out->emplace_back(words[0], joined);
    return base::Status::Ok();
  }
  for (const std::string& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) {
      return base::Status::InvalidArgument(what + " names must be followed by "
                                           "'=': " + w);
    }
    out->emplace_back(w.substr(0, eq), w.substr(eq + 1));
  }
  return base::Status::Ok();
}

base::Status Expose(const std::string& rest, ImageConfig* c) {
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> words,
                          SplitWords(rest, c->env));
  if (words.empty()) {
    return base::Status::InvalidArgument("EXPOSE requires at least one argument");
  }
  for (const std::string& w : words) {
    std::string port = w, proto = "tcp";
    size_t slash = w.find('/');
    if (slash != std::string::npos) {
      port = w.substr(0, slash);
      proto = w.substr(slash + 1);
      std::transform(proto.begin(), proto.end(), proto.begin(), ::tolower);
    }
    bool digits = !port.empty() && port.size() <= 5 &&
                  std::all_of(port.begin(), port.end(), ::isdigit);
    int n = digits ? std::stoi(port) : 0;
    if (n < 1 || n > 65535 || (proto != "tcp" && proto != "udp" &&
                               proto != "sctp")) {
      return base::Status::InvalidArgument("Invalid containerPort: " + w);
    }
    std::string key = std::to_string(n) + "/" + proto;
    auto& ports = c->exposed_ports;
    if (std::find(ports.begin(), ports.end(), key) == ports.end()) {
      ports.push_back(key);
    }
  }
  return base::Status::Ok();
}

base::Status Workdir(const std::string& rest, ImageConfig* c) {
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> words,
                          SplitWords(rest, c->env));
  if (words.size() != 1) {
    return base::Status::InvalidArgument("WORKDIR requires exactly one argument");
  }
  std::string path = words[0];
  if (path[0] != '/') path = (c->workdir.empty() ? "/" : c->workdir) + "/" + path;
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> parts,
                          CleanLayerPath(path));
  c->workdir = "/" + JoinPath(parts);
  return base::Status::Ok();
}

base::Status ApplyOne(const std::string& line, bool* cmd_set, ImageConfig* c) {
  std::string text = Trim(line);
  if (text.empty() || text[0] == '#') return base::Status::Ok();
  size_t sp = text.find_first_of(" \t");
  std::string word = text.substr(0, sp);
  std::string rest = sp == std::string::npos ? "" : Trim(text.substr(sp));
  std::transform(word.begin(), word.end(), word.begin(), ::toupper);
  if (word == "CMD") {
    c->cmd = CommandForm(rest);
    *cmd_set = true;
  } else if (word == "ENTRYPOINT") {
    c->entrypoint = CommandForm(rest);
    // A Dockerfile's ENTRYPOINT drops an inherited CMD.
    if (!*cmd_set) c->cmd.clear();
  } else if (word == "ENV" || word == "LABEL") {
    std::vector<std::pair<std::string, std::string>> pairs;
    TETHER_RETURN_IF_ERROR(Pairs(word, rest, c->env, &pairs));
    for (auto& [k, v] : pairs) {
      if (word == "ENV") {
        SetEnv(&c->env, k, v);
      } else {
        c->labels[k] = v;
      }
    }
  } else if (word == "WORKDIR") {
    return Workdir(rest, c);
  } else if (word == "USER") {
    TETHER_ASSIGN_OR_RETURN(std::vector<std::string> words,
                            SplitWords(rest, c->env));
    if (words.size() != 1) {
      return base::Status::InvalidArgument("USER requires exactly one argument");
    }
    c->user = words[0];
  } else if (word == "EXPOSE") {
    return Expose(rest, c);
  } else if (word == "VOLUME" || word == "STOPSIGNAL" || word == "ONBUILD" ||
             word == "HEALTHCHECK") {
    return base::Status::InvalidArgument(
        word + " is not supported by attachd (supported: CMD, ENTRYPOINT, "
               "ENV, EXPOSE, LABEL, USER, WORKDIR)");
  } else {
    return base::Status::InvalidArgument(word + " is not a valid change command");
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<std::vector<std::string>> SplitWords(
    std::string_view t, const std::vector<std::string>& env) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < t.size();) {
    char ch = t[i];
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
      continue;
    }
    in_word = true;
    if (ch == '\\' && i + 1 < t.size()) {
      word += t[i + 1];
      i += 2;
    } else if (ch == '\'') {
      size_t end = t.find('\'', i + 1);
      if (end == std::string_view::npos) {
        return base::Status::InvalidArgument("unexpected end of statement while "
                                             "looking for matching single-quote");
      }
      word += t.substr(i + 1, end - i - 1);
      i = end + 1;
    } else if (ch == '"') {
      ++i;
      while (i < t.size() && t[i] != '"') {
        if (t[i] == '\\' && i + 1 < t.size()) {
          word += t[i + 1];
          i += 2;
        } else if (t[i] == '$') {
          i = Expand(t, i, env, &word);
        } else {
          word += t[i++];
        }
      }
      if (i >= t.size()) {
        return base::Status::InvalidArgument("unexpected end of statement while "
                                             "looking for matching double-quote");
      }
      ++i;
    } else if (ch == '$') {
      i = Expand(t, i, env, &word);
    } else {
      word += ch;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

base::Status ApplyChanges(const std::vector<std::string>& changes,
                          ImageConfig* config) {
  bool cmd_set = !config->cmd.empty();
  size_t count = 0;
  for (const std::string& change : changes) {
    size_t start = 0;
    while (start <= change.size()) {
      size_t nl = change.find('\n', start);
      if (nl == std::string::npos) nl = change.size();
      std::string line = change.substr(start, nl - start);
      start = nl + 1;
      if (++count > kMaxChanges || line.size() > kMaxLine) {
        return base::Status::InvalidArgument("too many or too long changes");
      }
      base::Status s = ApplyOne(line, &cmd_set, config);
      if (!s.ok()) return s;
    }
  }
  return base::Status::Ok();
}

}  // namespace endpoint
}  // namespace attach
