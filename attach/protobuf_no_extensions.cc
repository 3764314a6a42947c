// protobuf-lite without extensions, for the static tether
// (docs/vm-image.md, "A lean tether").
//
// None of the tether's messages (control.proto, profile.proto) declares
// an extension range, so no ExtensionSet is ever serialized. Yet
// generated_message_util.o, which the generated code needs, references
// ExtensionSet::_InternalSerializeImpl from its one .text section, and
// that reference alone linked extension_set.o: 133 KB, the largest
// protobuf member in the tether. attach_link_lean_protobuf() links this
// with -Wl,--wrap for that one symbol (the only one of extension_set.o's
// that any linked member or our code references, by nm -u), so the
// reference binds to the stand-in below and the member stays out; the
// tether_static_link test checks it does. Reaching it would mean a message
// with extensions, which the tether does not have: it aborts.
#include <cstdlib>

extern "C" {

// google::protobuf::internal::ExtensionSet::_InternalSerializeImpl(
//     const MessageLite*, int, int, uint8_t*, io::EpsCopyOutputStream*)
//     const
[[noreturn]] void
__wrap__ZNK6google8protobuf8internal12ExtensionSet22_InternalSerializeImplEPKNS0_11MessageLiteEiiPhPNS0_2io19EpsCopyOutputStreamE() {
  std::abort();
}

}  // extern "C"
