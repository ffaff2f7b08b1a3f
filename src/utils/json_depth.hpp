#pragma once
// The nesting limit for JSON that comes from files and the environment (config.json,
// metadata.json, sharded weights indexes, keras.json, BackupAndRestore metadata). It is checked on
// the text, before any parser or recursive walk sees it, so a crafted document such as 10**6
// nested `[` cannot overflow the stack anywhere: in the parser, in a copy, in dump(), or in a
// recursive walk over the parsed value (docs/security.md).
#include <cstddef>
#include <string>
#include <string_view>

namespace keras::utils {

// Deeper than any Keras file (a config nests a few levels per nested model); shallow enough that
// every recursive walk over a parsed document, including deserializing nested models, stays far
// from the stack limit of a thread.
inline constexpr size_t kMaxJsonDepth = 512;

// The deepest nesting of arrays and objects in `text`, strings skipped; stops counting past
// `limit` (returns limit + 1 then). Does not validate the text.
size_t json_nesting_depth(std::string_view text, size_t limit = kMaxJsonDepth);

// Throws ValueError "<what> nests arrays and objects more than 512 levels deep ..." when `text`
// is nested deeper than kMaxJsonDepth.
void check_json_depth(std::string_view text, const std::string& what);

}  // namespace keras::utils
