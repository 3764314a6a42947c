#include "attach/ctl/image_table.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "attach/ctl/go_text.h"
#include "attach/docker/time_format.h"

namespace attach {
namespace ctl {

std::string HumanSize(uint64_t bytes) {
  static const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes);
  size_t unit = 0;
  while (v >= 1000.0 && unit + 1 < std::size(kUnits)) {
    v /= 1000.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*g%s", 3, v, kUnits[unit]);
  return buf;
}

std::string FormatImages(std::vector<tether::attach::ImageSummary> images,
                         const ImagesOptions& o, int64_t now_nanos) {
  std::stable_sort(images.begin(), images.end(),
                   [](const auto& a, const auto& b) {
                     return a.created() > b.created();
                   });
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
  std::string quiet;
  std::set<std::string> seen;
  for (const auto& image : images) {
    std::string id = o.no_trunc ? image.id() : image.id().substr(7, 12);
    std::vector<std::string> tags(image.repo_tags().begin(),
                                  image.repo_tags().end());
    if (tags.empty()) tags.push_back("<none>:<none>");
    bool shown = false;
    for (const std::string& t : tags) {
      size_t colon = t.rfind(':');
      std::string repo = t.substr(0, colon), tag = t.substr(colon + 1);
      if (!o.filter.empty() && o.filter != repo && o.filter != t) continue;
      shown = true;
      rows.push_back({repo, tag, id,
                      docker::HumanDuration(now_nanos - image.created() *
                                                    docker::kNanosPerSecond) +
                          " ago",
                      HumanSize(image.size())});
    }
    if (shown && seen.insert(id).second) quiet += id + "\n";
  }
  return o.quiet ? quiet : AlignColumns(rows);
}

}  // namespace ctl
}  // namespace attach
