#pragma once
// keras.layers.UpSampling1D/2D/3D (keras/src/layers/reshaping/up_sampling{1,2,3}d.py): repeats
// each spatial dimension by an integer factor. UpSampling2D can instead interpolate linearly with
// half-pixel centres like keras.ops.image.resize ("bilinear"). One implementation, UpSamplingImpl.
//
//   layers::UpSampling1D({.size = 3});  // (2, 4, 5) -> (2, 12, 5)
//   layers::UpSampling2D({.size = {2, 3}, .interpolation = "bilinear"});
//   layers::UpSampling3D({.size = {1, 2, 2}});
#include <string>
#include <vector>

#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"

namespace keras::layers {

// UpSampling3D's options.
template <int N>
struct UpSamplingOptions {
  Ints size = {2, 2, 2};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};
// UpSampling2D's: it also interpolates.
template <>
struct UpSamplingOptions<2> {
  Ints size = {2, 2};
  std::string data_format{};
  std::string interpolation = "nearest";  // "nearest" or "bilinear" (case-insensitive)
  KERAS_BASE_LAYER_OPTIONS;
};
// UpSampling1D: one int, no data_format (always channels_last), as in Keras.
template <>
struct UpSamplingOptions<1> {
  int64_t size = 2;
  KERAS_BASE_LAYER_OPTIONS;
};

template <int N>
class UpSamplingImpl : public LayerImpl {
 public:
  using Options = UpSamplingOptions<N>;
  explicit UpSamplingImpl(Options options);
  std::string class_name() const override { return "UpSampling" + std::to_string(N) + "D"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  // UpSampling1D's is one int; UpSampling2D/3D's one factor per spatial dimension (a const
  // reference). One function, not two overloads told apart by constraints: clang 14 gives such
  // overloads one mangled name under explicit instantiation.
  decltype(auto) size() const {
    if constexpr (N == 1)
      return int64_t{size_[0]};
    else
      return (size_);  // parenthesized: decltype(auto) makes it const std::vector<int64_t>&
  }
  // UpSampling1D has no data_format (always channels_last), as in Keras.
  const std::string& data_format() const requires(N > 1) { return data_format_; }
  // Only UpSampling2D interpolates ("nearest" or "bilinear"); the others always repeat.
  const std::string& interpolation() const requires(N == 2) { return interpolation_; }

 private:
  std::vector<int64_t> size_;
  std::string data_format_ = "channels_last";
  std::string interpolation_ = "nearest";
};

extern template class UpSamplingImpl<1>;
extern template class UpSamplingImpl<2>;
extern template class UpSamplingImpl<3>;

KERAS_LAYER_OF(UpSampling1D, UpSamplingImpl<1>);
KERAS_LAYER_OF(UpSampling2D, UpSamplingImpl<2>);
KERAS_LAYER_OF(UpSampling3D, UpSamplingImpl<3>);

}  // namespace keras::layers
