#pragma once
// Shape manipulation and indexing ops.
#include <utility>
#include <variant>

#include "keras/ops/core.hpp"

namespace keras::ops {

// newshape may contain one -1, inferred from the size.
Tensor reshape(const Tensor& x, const Shape& newshape);
Tensor ravel(const Tensor& x);
// axes empty: reverse the axes.
Tensor transpose(const Tensor& x, const std::vector<int64_t>& axes = {});
Tensor swapaxes(const Tensor& x, int64_t axis1, int64_t axis2);
Tensor moveaxis(const Tensor& x, const std::vector<int64_t>& source,
                const std::vector<int64_t>& destination);
Tensor expand_dims(const Tensor& x, Axis axis);
// No axis: remove every size-1 dimension.
Tensor squeeze(const Tensor& x, Axis axis = {});
Tensor broadcast_to(const Tensor& x, const Shape& shape);
Tensor concatenate(const std::vector<Tensor>& xs, int64_t axis = 0);
Tensor append(const Tensor& x1, const Tensor& x2, std::optional<int64_t> axis = std::nullopt);
Tensor stack(const std::vector<Tensor>& xs, int64_t axis = 0);
Tensor hstack(const std::vector<Tensor>& xs);
Tensor vstack(const std::vector<Tensor>& xs);
// indices_or_sections: a number of equal sections, or the split points.
using IndicesOrSections = std::variant<int64_t, std::vector<int64_t>>;
std::vector<Tensor> split(const Tensor& x, IndicesOrSections indices_or_sections, int64_t axis = 0);
std::vector<Tensor> array_split(const Tensor& x, int64_t sections, int64_t axis = 0);
// NumPy take: with no axis, indexes the flattened tensor.
Tensor take(const Tensor& x, const Tensor& indices, std::optional<int64_t> axis = std::nullopt);
Tensor take_along_axis(const Tensor& x, const Tensor& indices,
                       std::optional<int64_t> axis = std::nullopt);
// pad_width: one (before, after) pair per axis, or a single pair for all axes.
// mode: "constant", "reflect" or "symmetric".
Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& pad_width,
           const std::string& mode = "constant", const Tensor& constant_values = Tensor());
Tensor tile(const Tensor& x, const std::vector<int64_t>& repeats);
// repeats: one count for every element, or one per element along axis.
Tensor repeat(const Tensor& x, const Ints& repeats, std::optional<int64_t> axis = std::nullopt);
Tensor flip(const Tensor& x, Axis axis = {});
Tensor fliplr(const Tensor& x);
Tensor flipud(const Tensor& x);
Tensor roll(const Tensor& x, const Ints& shift, Axis axis = {});
Tensor rot90(const Tensor& x, int64_t k = 1, std::pair<int64_t, int64_t> axes = {0, 1});
// Stable; NaN last.
Tensor sort(const Tensor& x, int64_t axis = -1);
Tensor argsort(const Tensor& x, int64_t axis = -1);
Tensor diag(const Tensor& x, int64_t k = 0);
Tensor diagonal(const Tensor& x, int64_t offset = 0, int64_t axis1 = 0, int64_t axis2 = 1);
Tensor trace(const Tensor& x, int64_t offset = 0, int64_t axis1 = 0, int64_t axis2 = 1);
std::vector<Tensor> meshgrid(const std::vector<Tensor>& xs, const std::string& indexing = "xy");

}  // namespace keras::ops
