#pragma once
// PairsLayerImpl: the one implementation of keras.layers.Cropping1D/2D/3D and
// ZeroPadding1D/2D/3D, which take one (before, after) pair per spatial dimension and crop or
// zero-pad by it. cropping{1,2,3}d.hpp and zero_padding{1,2,3}d.hpp give each layer its options
// struct (CroppingOptions<N>, ZeroPaddingOptions<N>) and its public name.
#include <string>
#include <type_traits>
#include <utility>

#include "keras/layers/layer.hpp"
#include "keras/layers/reshaping/padding_pairs.hpp"

namespace keras::layers {

template <int N>
struct CroppingOptions;
template <int N>
struct ZeroPaddingOptions;

enum class PairsLayerKind { kCropping, kZeroPadding };

template <PairsLayerKind Kind, int N>
class PairsLayerImpl : public LayerImpl {
  static constexpr bool kCropping = Kind == PairsLayerKind::kCropping;

 public:
  using Options = std::conditional_t<kCropping, CroppingOptions<N>, ZeroPaddingOptions<N>>;
  explicit PairsLayerImpl(Options options);
  std::string class_name() const override {
    return (kCropping ? "Cropping" : "ZeroPadding") + std::to_string(N) + "D";
  }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

  // The 1D layers' is one (start, end) pair; the 2D/3D layers' one pair per spatial dimension
  // (a const reference). One function per name, not two overloads told apart by their
  // constraints: clang 14 gives such overloads one mangled name under explicit instantiation.
  decltype(auto) cropping() const requires(kCropping) { return pairs(); }
  decltype(auto) padding() const requires(!kCropping) { return pairs(); }
  // Cropping1D has no data_format (always channels_last), as in Keras.
  const std::string& data_format() const requires(!kCropping || N > 1) { return data_format_; }

 private:
  decltype(auto) pairs() const {
    if constexpr (N == 1)
      return std::pair<int64_t, int64_t>(pairs_[0]);
    else
      return (pairs_);  // parenthesized: decltype(auto) makes it const Pairs&
  }
  PaddingPairs::Pairs pairs_;
  std::string data_format_ = "channels_last";
};

template <int N>
using CroppingImpl = PairsLayerImpl<PairsLayerKind::kCropping, N>;
template <int N>
using ZeroPaddingImpl = PairsLayerImpl<PairsLayerKind::kZeroPadding, N>;

extern template class PairsLayerImpl<PairsLayerKind::kCropping, 1>;
extern template class PairsLayerImpl<PairsLayerKind::kCropping, 2>;
extern template class PairsLayerImpl<PairsLayerKind::kCropping, 3>;
extern template class PairsLayerImpl<PairsLayerKind::kZeroPadding, 1>;
extern template class PairsLayerImpl<PairsLayerKind::kZeroPadding, 2>;
extern template class PairsLayerImpl<PairsLayerKind::kZeroPadding, 3>;

}  // namespace keras::layers
