#pragma once
// The dataset transformations that run on other threads: map with num_parallel_calls > 1 and
// prefetch.
#include <functional>
#include <memory>

#include "keras/data/dataset.hpp"

namespace keras::data::detail {

// `fn` on each element of `input` on `threads` worker threads, results in input order; up to
// `in_flight` elements (default 2 x threads) at a time. The input is read on the caller's thread.
// Errors name `what` and the element (null: they pass unchanged).
std::unique_ptr<Iterator> parallel_map(std::unique_ptr<Iterator> input,
                                       std::function<Element(const Element&)> fn, int threads,
                                       const char* what = "Dataset.map", int in_flight = 0);

// `input` read on a background thread up to `buffer_size` elements ahead; its exceptions reach
// the caller after the elements before them.
std::unique_ptr<Iterator> prefetch(std::unique_ptr<Iterator> input, int buffer_size);

}  // namespace keras::data::detail
