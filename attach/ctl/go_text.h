// Text helpers that reproduce Go library behaviour the docker CLI's output
// depends on: strconv.Quote, the CLI's formatter.Ellipsis, and
// text/tabwriter's column alignment as `docker ps` configures it. Pure
// functions; strings are UTF-8 (invalid bytes handled as Go does).
#ifndef TETHER_ATTACH_CTL_GO_TEXT_H_
#define TETHER_ATTACH_CTL_GO_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attach {
namespace ctl {

// strconv.Quote: double quotes around `s`, with `"` and `\` escaped, \a \b
// \f \n \r \t \v for those controls, \xNN for other ASCII controls and for
// invalid UTF-8 bytes, \uNNNN / \UNNNNNNNN for non-printable code points.
// Printable non-ASCII text is kept as is (Go's IsPrint is approximated:
// C1 controls, U+00AD, U+2028/9, U+FEFF, private use and non-characters
// count as non-printable).
std::string GoQuote(std::string_view s);

// formatter.Ellipsis(s, max_width): `s` when it fits in `max_width`
// columns, else the longest prefix that fits in max_width-1 columns plus
// "…". East Asian wide and fullwidth characters take two columns.
std::string Ellipsis(std::string_view s, size_t max_width);

// text/tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) over rows whose cells
// were joined with tabs: each column but the last is padded with spaces
// to max(10, widest cell + 3) characters (code points); the last column
// is not padded. Every row ends with "\n".
std::string AlignColumns(const std::vector<std::vector<std::string>>& rows);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_GO_TEXT_H_
