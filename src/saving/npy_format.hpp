#pragma once
// Byte-level .npy format (NumPy's numpy/lib/format.py): header parsing and writing, dtype
// descriptors, byte swapping, Fortran-to-C reordering and UTF-32 strings. Depends only on the
// standard library and errors.hpp, so fuzz/ can compile it without the rest of the library.
// Every error is keras::ValueError("<what>: <problem>").
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keras::saving::npy {

// A parsed dtype descriptor such as "<f4", ">i8", "|b1", "<U12", "|S5", "<c8".
struct Descr {
  char byteorder = '|';  // '<', '>' or '|' ('=' is resolved to the host's order)
  char kind = 'f';       // 'b' bool, 'i', 'u', 'f', 'c' complex, 'U' unicode, 'S' bytes
  uint64_t itemsize = 0;
  // Size of the unit whose bytes a byte-order change swaps (0: nothing to swap).
  uint64_t swap_unit() const;
  bool is_string() const { return kind == 'U' || kind == 'S'; }
  // True when the data is stored in the other byte order than the host's.
  bool needs_swap() const;
};

// Parses a descriptor; ValueError for object ('|O'), structured, datetime, void and unknown ones.
Descr parse_descr(std::string_view descr, const std::string& what);
// The descriptor with the host's byte order ("<f4" on x86), as NumPy writes it.
std::string native_descr(char kind, uint64_t itemsize);
bool host_is_little_endian();

struct Header {
  int major = 1, minor = 0;
  std::string descr_text;  // as written in the file
  Descr descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
  uint64_t count = 1;        // number of elements
  uint64_t data_offset = 0;  // offset of the first data byte in the file
  uint64_t data_bytes = 0;   // count * itemsize
};

// Largest element count accepted (2^40), against absurd shapes.
inline constexpr uint64_t kMaxElements = uint64_t{1} << 40;
// NumPy's own limit on dimensions.
inline constexpr int kMaxDims = 64;

// Parses and validates a whole .npy file held in `file`: magic, version 1.0/2.0/3.0, the header
// dictionary, the descriptor and shape, and that exactly data_bytes bytes follow the header.
Header parse(std::string_view file, const std::string& what);

// The header (magic through the final '\n') NumPy 1.24 writes for these values: version 1.0 unless
// it does not fit (then 2.0), padded so that the data starts on a 64-byte boundary.
std::string make_header(const std::string& descr, bool fortran_order,
                        const std::vector<int64_t>& shape);

// Python's tuple repr of a shape: "()", "(5,)", "(2, 3)".
std::string shape_repr(const std::vector<int64_t>& shape);

// Reverses the bytes of each `unit`-byte group of `data` (in place).
void swap_bytes(char* data, uint64_t bytes, uint64_t unit);
// Reorders elements stored in Fortran order into C order.
std::string fortran_to_c(std::string_view data, const std::vector<int64_t>& shape,
                         uint64_t itemsize);
// One element of a 'U' array (`chars` UTF-32 units in the host's order) as UTF-8; trailing NULs
// end it. ValueError for an invalid code point.
std::string utf32_to_utf8(const char* data, uint64_t chars, const std::string& what);
// UTF-8 to host-order UTF-32 units (no padding). ValueError for invalid UTF-8.
std::u32string utf8_to_utf32(std::string_view text, const std::string& what);

}  // namespace keras::saving::npy
