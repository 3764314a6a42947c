// `docker import --change`: Dockerfile instructions applied to the config
// of an imported image (moby's dockerfile.BuildFromConfig, the subset an
// image without a build can take): CMD, ENTRYPOINT (JSON or shell form),
// ENV and LABEL (KEY=VALUE words with quotes, or the legacy "KEY value"),
// WORKDIR (relative to the one before), USER, EXPOSE (PORT[/PROTO]).
// $VAR and ${VAR} expand from the ENV set so far, as in a Dockerfile.
//
// Outside input: never throws; kInvalidArgument in docker's words
// ("RUN is not a valid change command").
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMPORT_CHANGES_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMPORT_CHANGES_H_

#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/images/image_config.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// Applies `changes` in order to `config`. Each entry is one instruction;
// an entry may also hold several, one per line (the API's form).
base::Status ApplyChanges(const std::vector<std::string>& changes,
                          ImageConfig* config);

// Dockerfile words: whitespace-separated, "..." (with \ escapes and
// expansion), '...' (literal), \ escapes; $VAR and ${VAR} from `env`
// ("K=V" entries). kInvalidArgument for an unterminated quote.
base::Result<std::vector<std::string>> SplitWords(
    std::string_view text, const std::vector<std::string>& env);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMPORT_CHANGES_H_
