// `tetherctl images`: docker's image table (REPOSITORY, TAG, IMAGE ID,
// CREATED, SIZE) from attachd's ImageSummary list. Pure functions.
#ifndef TETHER_ATTACH_CTL_IMAGE_TABLE_H_
#define TETHER_ATTACH_CTL_IMAGE_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "client.pb.h"

namespace attach {
namespace ctl {

// go-units HumanSizeWithPrecision(size, 3): "1.24MB", "4.1kB", "123B".
std::string HumanSize(uint64_t bytes);

struct ImagesOptions {
  bool quiet = false;     // Ids only (unique, 12 hex).
  bool no_trunc = false;  // Full "sha256:..." ids.
  std::string filter;     // REPOSITORY[:TAG] given: only those.
};

// One row per tag (an untagged image: <none> <none>), newest first.
std::string FormatImages(std::vector<tether::attach::ImageSummary> images,
                         const ImagesOptions& options, int64_t now_nanos);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_IMAGE_TABLE_H_
