#include "attach/endpoint/images/layer_tree.h"

#include <algorithm>

namespace attach {
namespace endpoint {
namespace {

constexpr char kWhiteout[] = ".wh.";
constexpr char kOpaque[] = ".wh..wh..opq";
constexpr char kMetaPrefix[] = ".wh..wh.";
// ext4's i_links_count ceiling for files.
constexpr uint32_t kMaxLinks = 65000;

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

std::string Prefix(const std::vector<std::string>& parts, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

LayerTree::LayerTree(LayerLimits limits, int64_t now)
    : limits_(limits), now_(now) {
  LayerEntry root;
  root.type = EntryType::kDir;
  root.mode = 0755;
  root.mtime = root.atime = now;
  NewInode(root);
  inodes_[kRoot].nlink = 1;
}

uint32_t LayerTree::NewInode(const LayerEntry& meta) {
  inodes_.emplace_back();
  inodes_.back().meta = meta;
  return static_cast<uint32_t>(inodes_.size() - 1);
}

base::Result<uint32_t> LayerTree::Parent(const std::vector<std::string>& parts,
                                         uint32_t layer) {
  uint32_t dir = kRoot;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    auto it = inodes_[dir].children.find(parts[i]);
    if (it == inodes_[dir].children.end()) {
      LayerEntry meta;
      meta.type = EntryType::kDir;
      meta.mode = 0755;
      meta.mtime = meta.atime = now_;
      uint32_t id = NewInode(meta);
      inodes_[id].nlink = 1;
      inodes_[dir].children[parts[i]] = Dentry{id, layer};
      dir = id;
      continue;
    }
    const Inode& next = inodes_[it->second.inode];
    if (next.meta.type == EntryType::kSymlink) {
      return base::Status::InvalidArgument(
          "its parent \"" + Prefix(parts, i + 1) +
          "\" is a symlink: a path through a symlink could leave the image "
          "root");
    }
    if (next.meta.type != EntryType::kDir) {
      return base::Status::InvalidArgument(
          "its parent \"" + Prefix(parts, i + 1) + "\" is not a directory");
    }
    dir = it->second.inode;
  }
  return dir;
}

base::Result<uint32_t> LayerTree::Lookup(
    const std::vector<std::string>& parts) const {
  uint32_t id = kRoot;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Inode& dir = inodes_[id];
    if (dir.meta.type == EntryType::kSymlink) {
      return base::Status::InvalidArgument(
          "hard link target goes through the symlink \"" + Prefix(parts, i) +
          "\"");
    }
    auto it = dir.children.find(parts[i]);
    if (dir.meta.type != EntryType::kDir || it == dir.children.end()) {
      return base::Status::InvalidArgument("hard link target \"" +
                                           Prefix(parts, parts.size()) +
                                           "\" does not exist");
    }
    id = it->second.inode;
  }
  return id;
}

void LayerTree::Release(uint32_t id) {
  Inode& node = inodes_[id];
  if (node.nlink > 0) --node.nlink;
  if (node.nlink > 0) return;
  std::map<std::string, Dentry> children;
  children.swap(node.children);
  for (auto& [name, d] : children) Release(d.inode);
}

void LayerTree::Unlink(uint32_t dir, const std::string& name) {
  auto& children = inodes_[dir].children;
  auto it = children.find(name);
  if (it == children.end()) return;
  uint32_t id = it->second.inode;
  children.erase(it);
  Release(id);
}

base::Status LayerTree::Apply(const LayerEntry& e, uint32_t layer,
                              uint64_t ordinal) {
  if (++entries_ > limits_.max_entries) {
    return base::Status::InvalidArgument(
        "the image has more than " + std::to_string(limits_.max_entries) +
        " entries (a file bomb?)");
  }
  if (e.type == EntryType::kFile) {
    bytes_ += e.size;
    if (e.size > limits_.max_bytes || bytes_ > limits_.max_bytes) {
      return base::Status::InvalidArgument(
          "the image's files exceed " +
          std::to_string(limits_.max_bytes >> 20) + " MiB");
    }
  }
  std::vector<std::string> parts = Split(e.path);
  if (parts.empty()) {  // The root: its metadata only.
    LayerEntry meta = e;
    meta.path.clear();
    inodes_[kRoot].meta = meta;
    return base::Status::Ok();
  }
  TETHER_ASSIGN_OR_RETURN(uint32_t dir, Parent(parts, layer));
  const std::string& name = parts.back();
  if (StartsWith(name, kWhiteout)) {
    if (name == kOpaque) {
      auto& children = inodes_[dir].children;
      std::vector<std::string> hidden;
      for (const auto& [n, d] : children) {
        if (d.layer != layer) hidden.push_back(n);
      }
      for (const std::string& n : hidden) Unlink(dir, n);
    } else if (!StartsWith(name, kMetaPrefix)) {
      Unlink(dir, name.substr(sizeof(kWhiteout) - 1));
    }
    return base::Status::Ok();
  }
  auto it = inodes_[dir].children.find(name);
  if (it != inodes_[dir].children.end()) {
    Inode& old = inodes_[it->second.inode];
    if (old.meta.type == EntryType::kDir && e.type == EntryType::kDir) {
      old.meta = e;
      it->second.layer = layer;
      return base::Status::Ok();
    }
    Unlink(dir, name);
  }
  uint32_t id;
  if (e.type == EntryType::kHardlink) {
    TETHER_ASSIGN_OR_RETURN(id, Lookup(Split(e.link)));
    if (inodes_[id].meta.type == EntryType::kDir) {
      return base::Status::InvalidArgument("hard link to a directory");
    }
    if (inodes_[id].nlink >= kMaxLinks) {
      return base::Status::InvalidArgument("too many hard links");
    }
  } else {
    id = NewInode(e);
    if (e.type == EntryType::kFile) {
      inodes_[id].data_layer = static_cast<int32_t>(layer);
      inodes_[id].data_entry = ordinal;
    }
  }
  ++inodes_[id].nlink;
  inodes_[dir].children[name] = Dentry{id, layer};
  return base::Status::Ok();
}

base::Status LayerTree::Walk(
    const std::function<base::Status(const WalkStep&)>& visit) const {
  std::vector<bool> seen(inodes_.size(), false);
  std::function<base::Status(const std::string&, const std::string&,
                             uint32_t, uint32_t)>
      walk = [&](const std::string& path, const std::string& name,
                 uint32_t parent, uint32_t id) -> base::Status {
    bool first = !seen[id];
    seen[id] = true;
    TETHER_RETURN_IF_ERROR(visit(WalkStep{path, name, parent, id, first}));
    if (!first) return base::Status::Ok();
    for (const auto& [child, d] : inodes_[id].children) {
      TETHER_RETURN_IF_ERROR(
          walk(path.empty() ? child : path + "/" + child, child, id, d.inode));
    }
    return base::Status::Ok();
  };
  return walk("", "", kRoot, kRoot);
}

std::vector<std::vector<std::pair<uint64_t, uint32_t>>> LayerTree::DataByLayer(
    uint32_t layers) const {
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> out(layers);
  (void)Walk([&](const WalkStep& s) {
    const Inode& n = inodes_[s.id];
    if (s.first && n.data_layer >= 0 &&
        static_cast<uint32_t>(n.data_layer) < layers) {
      out[static_cast<size_t>(n.data_layer)].emplace_back(n.data_entry, s.id);
    }
    return base::Status::Ok();
  });
  for (auto& v : out) std::sort(v.begin(), v.end());
  return out;
}

uint64_t LayerTree::ReachableBytes() const {
  uint64_t total = 0;
  (void)Walk([&](const WalkStep& s) {
    if (s.first && inodes_[s.id].meta.type == EntryType::kFile) {
      total += inodes_[s.id].meta.size;
    }
    return base::Status::Ok();
  });
  return total;
}

uint64_t LayerTree::ReachableInodes() const {
  uint64_t total = 0;
  (void)Walk([&](const WalkStep& s) {
    total += s.first;
    return base::Status::Ok();
  });
  return total;
}

}  // namespace endpoint
}  // namespace attach
