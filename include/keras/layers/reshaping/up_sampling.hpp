#pragma once
// UpSamplingImpl<N>: the one implementation of keras.layers.UpSampling1D/2D/3D;
// up_sampling1d.hpp, up_sampling2d.hpp and up_sampling3d.hpp give each its options struct
// (UpSamplingOptions<N>) and its public name.
#include <string>
#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::layers {

template <int N>
struct UpSamplingOptions;

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

}  // namespace keras::layers
