#pragma once
// ObjectRef<Base>: an option that Keras accepts "as a string identifier or as an object",
// e.g. `.kernel_initializer = "he_normal"` or `.kernel_initializer = initializers::HeNormal({.seed
// = 1})`, `.optimizer = "adam"` or `.optimizer = optimizers::Adam({...})`. It holds a shared
// pointer; objects are copied in, and copies of these objects alias their state (see the object
// model in docs/architecture.md), so the caller's object and the stored one stay the same object.
#include <concepts>
#include <memory>
#include <string>

#include "keras/serialization/object_registry.hpp"

namespace keras::saving {

template <class Base>
class ObjectRef {
 public:
  ObjectRef() = default;
  ObjectRef(std::nullptr_t) {}  // NOLINT: "no object" (Python's None)
  ObjectRef(const char* identifier) : ObjectRef(std::string(identifier)) {}  // NOLINT
  ObjectRef(const std::string& identifier)                                   // NOLINT
      : identifier_(identifier), ptr_(Registry<Base>::instance().resolve(identifier, family())) {}
  template <class T>
  requires std::derived_from<T, Base> ObjectRef(const T& object)
      : ptr_(std::make_shared<T>(object)) {}  // NOLINT
  template <class T>
  requires std::derived_from<T, Base> ObjectRef(std::shared_ptr<T> object)
      : ptr_(std::move(object)) {}  // NOLINT

  explicit operator bool() const { return ptr_ != nullptr; }
  Base* operator->() const { return ptr_.get(); }
  Base& operator*() const { return *ptr_; }
  const std::shared_ptr<Base>& get() const { return ptr_; }
  // The string the user gave ("adam"), empty when an object was given.
  const std::string& identifier() const { return identifier_; }

  // Used in error messages ("Unknown optimizer 'adamm'"): Base::kFamily when the base declares it.
  static std::string family() {
    if constexpr (requires { Base::kFamily; })
      return Base::kFamily;
    else
      return "identifier";
  }

 private:
  std::string identifier_;
  std::shared_ptr<Base> ptr_;
};

}  // namespace keras::saving
