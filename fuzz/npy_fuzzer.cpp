// libFuzzer target: the .npy parser (src/saving/npy_format.cpp) on arbitrary bytes, followed by
// everything a reader does with a parsed array: byte swapping, Fortran-to-C reordering, string
// decoding. Only keras::Error may escape the parser; anything else (or a sanitizer report) is a
// bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "keras/core/errors.hpp"
#include "saving/npy_format.hpp"

namespace npy = keras::saving::npy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view file(reinterpret_cast<const char*>(data), size);
  try {
    npy::Header h = npy::parse(file, "fuzz.npy");
    if (h.data_offset + h.data_bytes != size) __builtin_trap();  // parse() promised this
    std::string body(file.substr(h.data_offset, h.data_bytes));
    if (h.fortran_order) body = npy::fortran_to_c(body, h.shape, h.descr.itemsize);
    if (h.descr.needs_swap()) npy::swap_bytes(body.data(), body.size(), h.descr.swap_unit());
    if (h.descr.kind == 'U')
      for (uint64_t k = 0; k < h.count; ++k)
        npy::utf32_to_utf8(body.data() + k * h.descr.itemsize, h.descr.itemsize / 4, "fuzz.npy");
    // What we would write back must parse to the same header.
    std::string again = npy::make_header(h.descr_text, h.fortran_order, h.shape) + body;
    npy::Header h2 = npy::parse(again, "rewritten");
    if (h2.shape != h.shape || h2.count != h.count || h2.fortran_order != h.fortran_order)
      __builtin_trap();
    npy::utf8_to_utf32(h.descr_text, "descr");
  } catch (const keras::Error&) {
  }
  return 0;
}
