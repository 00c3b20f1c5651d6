// The leak trend test of `heapwise watch`: robust statistics on post-GC heap
// levels instead of "heapUsed went up 10 %", which fires on almost every
// steady sawtooth. Pure functions, unit-tested.
//
// Method (docs/trend-test.md): reduce samples to the
// minimum of each window (the level the heap falls back to after GC), then
// a one-sided Mann–Kendall test for an upward trend (p < 0.01), the
// Theil–Sen slope of those minima above a practical floor, and the recent
// half must agree (its slope at least half the whole one, its own
// Mann–Kendall p < 0.05), so an old ramp-up does not keep the alarm on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace heapwise::watch {

struct TimedValue {
  double t;  // seconds
  double v;  // bytes
};

// Minimum of each consecutive window of `window_seconds` (by time), with the
// time of that minimum.
std::vector<TimedValue> window_minima(const std::vector<TimedValue>& samples, double window_seconds);

struct MannKendall {
  double s = 0;
  double z = 0;
  double p_increasing = 1;  // one-sided p-value for an upward trend
};
MannKendall mann_kendall(const std::vector<TimedValue>& series);

// Median of pairwise slopes (bytes per second).
double theil_sen_slope(const std::vector<TimedValue>& series);

struct TrendVerdict {
  bool enough_data = false;
  bool leak = false;
  double slope_bytes_per_second = 0;
  double p_value = 1;
  double confidence = 0;         // 1 - p
  double seconds_to_limit = -1;  // projected, when a limit and a positive slope are known
  size_t points = 0;             // minima used
};

struct TrendOptions {
  double window_seconds = 30;
  double warmup_seconds = 120;  // samples before this (from the first) are ignored
  double p_threshold = 0.01;
  size_t min_points = 8;
  // A practical floor: 0.5 MB/min (docs/trend-test.md).
  double min_slope_bytes_per_second = 0.5e6 / 60;
};

TrendVerdict test_trend(const std::vector<TimedValue>& samples, const TrendOptions& options, double limit_bytes);

}  // namespace heapwise::watch
