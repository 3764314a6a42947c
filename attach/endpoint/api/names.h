// Container names as docker makes them when none is given (moby
// pkg/namesgenerator): "adjective_surname", a notable scientist or hacker
// after an adjective, with a digit appended on retries.
#ifndef TETHER_ATTACH_ENDPOINT_API_NAMES_H_
#define TETHER_ATTACH_ENDPOINT_API_NAMES_H_

#include <string>

namespace attach {
namespace endpoint {
namespace api {

// A random name; `retry` > 0 appends a random digit, as docker does after
// a clash.
std::string RandomName(int retry);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_NAMES_H_
