// Worker threads for Dataset.map(num_parallel_calls) and Dataset.prefetch.
#include "data/threads.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "data/data_impl.hpp"

namespace keras::data {

namespace detail {

namespace {

// A pipeline thread runs its kernels on one thread. Its own OpenMP team would spin beside the
// training step's team on the same cores: the main job ran 10% slower with a prefetch thread, and
// at the speed of no pipeline at all with this.
void use_one_kernel_thread() {
#ifdef _OPENMP
  omp_set_num_threads(1);
#endif
}

// A fixed set of threads running queued tasks; the destructor drops what has not started and
// waits for what has.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void work() {
    use_one_kernel_thread();
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
        if (stop_) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

class ParallelMapIterator final : public Iterator {
 public:
  ParallelMapIterator(std::unique_ptr<Iterator> input, std::function<Element(const Element&)> fn,
                      int threads, const char* what, int in_flight)
      : input_(std::move(input)),
        fn_(std::move(fn)),
        what_(what),
        capacity_(in_flight > 0 ? in_flight : 2 * threads),
        pool_(threads) {}

  std::optional<Element> next() override {
    while (!input_done_ && static_cast<int>(in_flight_.size()) < capacity_) {
      std::optional<Element> e = input_->next();
      if (!e) {
        input_done_ = true;
        break;
      }
      auto task = std::make_shared<std::packaged_task<Element()>>(
          [fn = fn_, what = what_, e = std::move(*e), i = index_++] {
            return what ? for_element(what, i, [&] { return fn(e); }) : fn(e);
          });
      in_flight_.push_back(task->get_future());
      pool_.submit([task] { (*task)(); });
    }
    if (in_flight_.empty()) return std::nullopt;
    std::future<Element> front = std::move(in_flight_.front());
    in_flight_.pop_front();
    return front.get();
  }

 private:
  std::unique_ptr<Iterator> input_;
  std::function<Element(const Element&)> fn_;
  const char* what_;
  int capacity_;
  int64_t index_ = 0;
  bool input_done_ = false;
  std::deque<std::future<Element>> in_flight_;
  WorkerPool pool_;  // last: joined first, while the rest is alive
};

class PrefetchIterator final : public Iterator {
 public:
  PrefetchIterator(std::unique_ptr<Iterator> input, int buffer_size)
      : input_(std::move(input)), capacity_(static_cast<size_t>(buffer_size)) {
    producer_ = std::thread([this] { produce(); });
  }
  ~PrefetchIterator() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    producer_.join();
  }

  std::optional<Element> next() override {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (!queue_.empty()) {
      Element e = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
      return e;
    }
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    return std::nullopt;
  }

 private:
  void produce() {
    use_one_kernel_thread();
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stop_ || queue_.size() < capacity_; });
        if (stop_) return;
      }
      std::optional<Element> e;
      std::exception_ptr error;
      try {
        e = input_->next();
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      if (e) {
        queue_.push_back(std::move(*e));
      } else {
        error_ = error;
        done_ = true;
      }
      changed_.notify_all();
      if (done_) return;
    }
  }

  std::unique_ptr<Iterator> input_;  // read by the producer only
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Element> queue_;
  bool done_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread producer_;
};

}  // namespace

std::unique_ptr<Iterator> parallel_map(std::unique_ptr<Iterator> input,
                                       std::function<Element(const Element&)> fn, int threads,
                                       const char* what, int in_flight) {
  return std::make_unique<ParallelMapIterator>(std::move(input), std::move(fn), threads, what,
                                               in_flight);
}

std::unique_ptr<Iterator> prefetch(std::unique_ptr<Iterator> input, int buffer_size) {
  return std::make_unique<PrefetchIterator>(std::move(input), buffer_size);
}

}  // namespace detail

Dataset Dataset::prefetch(int buffer_size) const {
  int n = buffer_size == AUTOTUNE ? 2 : buffer_size;
  if (n < 1)
    throw ValueError("Dataset.prefetch: buffer_size must be >= 1 or AUTOTUNE, got " +
                     std::to_string(buffer_size));
  std::shared_ptr<const DatasetImpl> input = impl_;
  return detail::make_dataset([input, n] { return detail::prefetch(input->iterate(), n); },
                              cardinality());
}

}  // namespace keras::data
