#pragma once
// keras.layers.Cropping1D/2D/3D and ZeroPadding1D/2D/3D
// (keras/src/layers/reshaping/{cropping,zero_padding}{1,2,3}d.py): one (before, after) pair per
// spatial dimension, cropped off or padded with zeros. One implementation, PairsLayerImpl.
//
//   layers::Cropping1D({.cropping = {1, 2}});             // (2, 10, 4) -> (2, 7, 4)
//   layers::Cropping2D({.cropping = 1});                  // ((1, 1), (1, 1))
//   layers::Cropping2D({.cropping = {1, 2}});             // ((1, 1), (2, 2))
//   layers::Cropping2D({.cropping = {{1, 0}, {2, 1}}});   // ((top, bottom), (left, right))
//   layers::Cropping3D({.cropping = {{1, 0}, 2, {0, 3}}});
//   layers::ZeroPadding1D({.padding = 2});                // 2 zeros at each end
//   layers::ZeroPadding1D({.padding = {1, 3}});           // (start, end)
//   layers::ZeroPadding2D({.padding = {1, 2}});           // ((1, 1), (2, 2))
#include <string>
#include <type_traits>
#include <utility>

#include "keras/core/ints.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/reshaping/padding_pairs.hpp"

namespace keras::layers {

// Cropping2D/3D's options (Keras's defaults: ((0, 0), (0, 0)) and ((1, 1), (1, 1), (1, 1))).
template <int N>
struct CroppingOptions {
  PaddingPairs cropping =
      N == 2 ? PaddingPairs{{0, 0}, {0, 0}} : PaddingPairs{{1, 1}, {1, 1}, {1, 1}};
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};
// Cropping1D has no data_format (always channels_last), as in Keras.
template <>
struct CroppingOptions<1> {
  Ints cropping = {1, 1};  // an int (both ends) or (start, end)
  KERAS_BASE_LAYER_OPTIONS;
};
// ZeroPadding1D/2D/3D's options: an int (both ends of every dimension) or pairs.
template <int N>
struct ZeroPaddingOptions {
  std::conditional_t<N == 1, Ints, PaddingPairs> padding = 1;
  std::string data_format{};  // "" -> keras::config::image_data_format()
  KERAS_BASE_LAYER_OPTIONS;
};

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

KERAS_LAYER_OF(Cropping1D, CroppingImpl<1>);
KERAS_LAYER_OF(Cropping2D, CroppingImpl<2>);
KERAS_LAYER_OF(Cropping3D, CroppingImpl<3>);
KERAS_LAYER_OF(ZeroPadding1D, ZeroPaddingImpl<1>);
KERAS_LAYER_OF(ZeroPadding2D, ZeroPaddingImpl<2>);
KERAS_LAYER_OF(ZeroPadding3D, ZeroPaddingImpl<3>);

}  // namespace keras::layers
