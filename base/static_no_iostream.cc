// std::ios_base::Init without the standard streams, for the static tether
// (docs/vm-image.md, "A lean tether").
//
// Every translation unit that includes <iostream> (with GCC 12 it holds a
// static ios_base::Init object) runs ios_base::Init's constructor before
// main. protobuf-lite's archive members do, through
// google/protobuf/stubs/common.h. The first call builds std::cout, cin,
// cerr and clog and their wide twins, and with them the classic locale
// and every one of its facets: about 330 KB of libstdc++ (locale-inst,
// wlocale-inst, the shim facets) linked, and two dozen pages of it touched
// in every `tether -- CMD` before main.
//
// The tether writes through its own log (base/log.h) and never uses the
// standard streams. base_link_without_iostream() in CMake links this object
// with -Wl,--wrap for the constructor and destructor, so the references of
// those static objects bind here and do nothing; a string stream still
// builds the classic locale itself, on first use. The `tether_static_link`
// test reads the link map to prove that nothing references the standard
// stream objects, which these stand-ins leave unconstructed.
extern "C" {

void __wrap__ZNSt8ios_base4InitC1Ev(void*) {}
void __wrap__ZNSt8ios_base4InitD1Ev(void*) {}

}  // extern "C"
