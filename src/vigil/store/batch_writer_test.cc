#include "vigil/store/batch_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace vigil {
namespace {

using namespace std::chrono_literals;

TEST(BatchWriter, WritesEverythingInOrderAndFlushWaitsForIt) {
  std::vector<int> written;  // only the writer's thread touches it before Flush
  BatchWriter<int> writer(
      [&](const std::deque<int>& batch) {
        written.insert(written.end(), batch.begin(), batch.end());
        return true;
      },
      {});
  for (int i = 0; i < 1000; ++i) writer.Record(i);
  writer.Flush();
  ASSERT_EQ(written.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(written[i], i);
  EXPECT_EQ(writer.dropped(), 0);
}

// keep_failed (the audit log): a batch the store refuses is offered again,
// whole and in order, until it is written.
TEST(BatchWriter, KeepsAFailedBatchAndTriesAgain) {
  std::atomic<int> calls{0};
  std::vector<int> written;
  BatchWriter<int> writer(
      [&](const std::deque<int>& batch) {
        if (++calls <= 2) return false;
        written.insert(written.end(), batch.begin(), batch.end());
        return true;
      },
      {.keep_failed = true, .retry_after = 1ms, .what = "test records"});
  for (int i = 0; i < 5; ++i) writer.Record(i);
  writer.Flush();
  EXPECT_GE(calls.load(), 3);
  EXPECT_EQ(written, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(writer.dropped(), 0);
}

// Without keep_failed (suppressed matches): a refused batch is dropped and
// counted, and Flush does not hang on it.
TEST(BatchWriter, DropsAndCountsAFailedBatchOtherwise) {
  BatchWriter<int> writer([](const std::deque<int>&) { return false; }, {.what = "test records"});
  for (int i = 0; i < 3; ++i) writer.Record(i);
  writer.Flush();
  EXPECT_EQ(writer.dropped(), 3);
}

// The queue is bounded: while the writer is stuck, records past the bound
// are dropped and counted; after Stop, nothing is queued any more.
TEST(BatchWriter, BoundsItsQueue) {
  std::mutex gate;
  gate.lock();
  std::atomic<bool> entered{false};
  BatchWriter<int> writer(
      [&](const std::deque<int>&) {
        entered = true;
        std::lock_guard<std::mutex> wait(gate);
        return true;
      },
      {.max_queued = 10, .what = "test records"});
  writer.Record(0);  // taken by the writer, which then waits
  while (!entered) std::this_thread::sleep_for(1ms);
  for (int i = 0; i < 15; ++i) writer.Record(i);
  EXPECT_EQ(writer.dropped(), 5);
  gate.unlock();
  writer.Flush();
  writer.Stop();
  writer.Record(99);
  EXPECT_EQ(writer.dropped(), 6);
}

// poll: records never wake the writer; it takes them at its next poll, or
// when flushed. A flush (of an empty queue too) returns at once rather than
// spinning the writer against it.
TEST(BatchWriter, APollingWriterIsNotWokenByARecordButByAFlush) {
  std::atomic<int> written{0};
  BatchWriter<int> writer(
      [&](const std::deque<int>& batch) {
        written += static_cast<int>(batch.size());
        return true;
      },
      {.linger = 0ms, .poll = std::chrono::hours(1)});
  writer.Flush();  // nothing queued
  for (int i = 0; i < 10; ++i) writer.Record(i);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(written.load(), 0) << "a record woke a polling writer";
  writer.Flush();
  EXPECT_EQ(written.load(), 10);
  writer.Flush();
  writer.Record(10);
  writer.Stop();
  EXPECT_EQ(written.load(), 11);
}

TEST(BatchWriter, APollingWriterTakesWhatIsQueuedAtEachPoll) {
  std::atomic<int> written{0};
  BatchWriter<int> writer(
      [&](const std::deque<int>& batch) {
        written += static_cast<int>(batch.size());
        return true;
      },
      {.linger = 0ms, .poll = 10ms});
  for (int i = 0; i < 5; ++i) writer.Record(i);
  for (int tries = 0; tries < 200 && written.load() < 5; ++tries) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(written.load(), 5);
}

}  // namespace
}  // namespace vigil
